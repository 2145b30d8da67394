"""The bulk import's validation, column by column (issue 14 part 2): the registry form's checks without the
form's per-row, per-field machinery.

`ModelForm.is_valid()` builds a bound field per field and row, cleans each value (required, conversion,
choices, max_length, min/max and the field's own validators), runs the form's `clean()`, copies the values
onto the instance and runs the model's field checks and `clean()`. A file repeats its values (dates, choices,
foreign keys, counts), and each of these checks depends only on its field and its value, so here each
column's conversion and checks run once per distinct value of the file and are reused (`_Column`):
- form fields: the field's own `clean()` (its messages are the form's, word for word); a foreign key's
  value is resolved from the file-wide read (`bulk_import._Choices`) and reused when the user may pick it
  whatever the row (a value allowed only because the row's stored object points to it is checked per row);
- the form's `clean()` runs per row only when the form defines one, the model's `clean()` only when the
  model defines one; model field checks (`Field.clean`) are reused per distinct value as well;
- errors go through the form's own `add_error` / `_update_errors`, so a row's errors are those of the form.

A form with a hook this cannot reproduce (a `clean_<field>` method, its own `_post_clean` or
`_clean_fields`, a disabled or file field, a prefix) is validated by the form itself, row by row
(`fallback_reason`); a field class or model field class from outside Django is cleaned per row (not reused).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.forms.utils import ErrorDict

_FORM_HOOKS = (
    "is_valid",
    "full_clean",
    "_clean_fields",
    "_clean_form",
    "_post_clean",
    "_get_validation_exclusions",
    "_update_errors",
    "add_error",
    "add_prefix",
)
_PLAIN = {str, int, bool, dt.date, dt.time, type(None)}  # equal values of these types clean alike
_NO_FILES: dict = {}


def fallback_reason(form) -> str | None:
    """Why `form` (a bound-less registry form) must validate its rows itself; None when the column-wise
    checks reproduce it."""
    cls = type(form)
    for hook in _FORM_HOOKS:
        if getattr(cls, hook) is not getattr(forms.ModelForm, hook):
            return hook
    if form.prefix:
        return "prefix"
    for name, f in form.fields.items():
        if hasattr(form, f"clean_{name}"):
            return f"clean_{name}"
        if f.disabled or isinstance(f, forms.FileField):
            return name
        if getattr(type(f), "_clean_bound_field", None) is not getattr(forms.Field, "_clean_bound_field", None):
            return name
    return None


def _key(value):
    """A cache key telling apart values that clean differently (None: do not reuse)."""
    t = type(value)
    if t in _PLAIN:
        return (t, value)
    if t is Decimal:
        return (t, str(value))  # 1.0 and 1.00 are equal but have different decimal places
    if t is dt.datetime:
        return (t, value, value.tzinfo)
    return None


def _plain(model, mf) -> bool:
    """A field stored as is in the instance's __dict__ under its name (no descriptor of its own)."""
    return not mf.is_relation and mf.attname == mf.name and type(getattr(model, mf.attname, None)) is DeferredAttribute


def _django(cls) -> bool:
    return cls.__module__.startswith("django.")


def _unchecked(mf) -> type | None:
    """The type of value a model field's `clean()` returns unchanged and never refuses (when not empty): a
    date-time for Django's DateTimeField, a text for its TextField, without choices or validators of their own.
    Their values rarely repeat in a file (each row's times, its notes), so the per-value reuse does not help."""
    if mf.choices or mf.validators or not mf.editable:
        return None
    return {models.DateTimeField: dt.datetime, models.TextField: str}.get(type(mf))


class _Column:
    """One form field's clean(), reused per distinct value when the result depends on the value alone."""

    def __init__(self, name: str, field: forms.Field, allowed: set[str] | None):
        self.name, self.field, self.widget = name, field, field.widget
        self.read = field.widget.value_from_datadict
        self.allowed = allowed  # a foreign key: the values any row may pick (others depend on the row)
        self.reuse = _django(type(field)) and not isinstance(field, forms.ModelMultipleChoiceField)
        self.cache: dict = {}

    def clean(self, value) -> tuple[bool, Any]:
        key = _key(value) if self.reuse else None
        if key is None or (self.allowed is not None and str(value) not in self.allowed):
            return _call(self.field.clean, value)
        hit = self.cache.get(key)
        if hit is None:
            hit = self.cache[key] = _call(self.field.clean, value)
        return hit


def _call(clean, *args) -> tuple[bool, Any]:
    try:
        return True, clean(*args)
    except ValidationError as exc:
        return False, exc


class ColumnValidator:
    """The prototype form's checks for every row of a file (see the module's docstring)."""

    def __init__(self, proto, allowed: dict[str, set[str]], exclude: set[str]):
        meta = proto._meta
        model = meta.model
        self.columns = [_Column(name, f, allowed.get(name)) for name, f in proto.fields.items()]
        self.form_clean = type(proto).clean is not forms.ModelForm.clean
        self.model_clean = model.clean is not models.Model.clean
        fields = proto.fields
        # construct_instance(form, instance, meta.fields, meta.exclude), its field list computed once
        self.construct = [
            (mf, mf.name, mf.has_default(), fields[mf.name], _plain(model, mf))
            for mf in model._meta.fields
            if mf.editable
            and not isinstance(mf, models.AutoField)
            and mf.name in fields
            and (meta.fields is None or mf.name in meta.fields)
            and not (meta.exclude and mf.name in meta.exclude)
        ]
        # Model.clean_fields(exclude=form._get_validation_exclusions() | exclude): the form excludes the fields
        # it does not have (or its Meta leaves out), the ones it refused, and an empty value of a field the form
        # does not require but the model does; `exclude` are the foreign keys, resolved by the form from the
        # file-wide read. Which fields: computed once; which values: per row below.
        self.model_fields: list[tuple[Any, str, bool, Any, dict | None, bool, type | None]] = [
            (
                mf,
                mf.name,
                not mf.blank and not fields[mf.name].required,  # then an empty value is not checked
                fields[mf.name].empty_values,
                {} if _django(type(mf)) and not mf.is_relation else None,  # id(value) -> (value, result)
                _plain(model, mf),
                _unchecked(mf),
            )
            for mf in model._meta.fields
            if mf.name in fields
            and (meta.fields is None or mf.name in meta.fields)
            and not (meta.exclude and mf.name in meta.exclude)
            and mf.name not in exclude
            and not getattr(mf, "generated", False)
        ]

    def is_valid(self, form) -> bool:
        """`form.is_valid()` for a form bound by `bulk_import._row_form` (validate_unique left to the database)."""
        data = form.data
        form._errors = ErrorDict()
        cleaned = form.cleaned_data = {}
        for col in self.columns:
            name = col.name
            raw = col.read(data, _NO_FILES, name)
            hit = col.cache.get((type(raw), raw)) if type(raw) is str else None  # the common case, inline
            ok, value = hit if hit is not None else col.clean(raw)
            if ok:
                cleaned[name] = value
            else:
                form.add_error(name, value)
        if self.form_clean:
            form._clean_form()
            cleaned = form.cleaned_data
        # ModelForm._post_clean
        refused = set(form._errors)
        obj = form.instance
        attrs = obj.__dict__
        try:
            for mf, name, has_default, ff, plain in self.construct:
                if name not in cleaned:
                    continue
                value = cleaned[name]
                if (
                    has_default
                    and value in ff.empty_values
                    and ff.widget.value_omitted_from_data(data, _NO_FILES, name)
                ):
                    continue
                if plain:
                    attrs[name] = value  # what Field.save_form_data's setattr does for a plain field
                else:
                    mf.save_form_data(obj, value)
        except ValidationError as exc:
            form._update_errors(exc)
        errors: dict = {}
        for mf, name, optional, empty, cache, plain, same in self.model_fields:  # Model.full_clean(no unique)
            if (refused and name in refused) or (optional and cleaned.get(name) in empty):
                continue
            raw = attrs[name] if plain and name in attrs else getattr(obj, mf.attname)
            if type(raw) is same and raw != "":
                continue  # the field's clean() returns this value as it is, with no error (see _unchecked)
            if mf.blank and raw in mf.empty_values:
                continue
            if cache is None:
                ok, value = _call(mf.clean, raw, obj)
            else:  # the same value object (a reused form result) is checked once
                hit = cache.get(id(raw))
                if hit is None or hit[0] is not raw:
                    hit = cache[id(raw)] = (raw, _call(mf.clean, raw, obj))
                ok, value = hit[1]
            if ok:
                if plain:
                    attrs[name] = value
                else:
                    setattr(obj, mf.attname, value)
            else:
                errors[name] = value.error_list
        if self.model_clean:
            try:
                obj.clean()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            form._update_errors(ValidationError(errors))
        return not form._errors
