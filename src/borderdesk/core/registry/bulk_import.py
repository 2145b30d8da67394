"""Registry CSV/XLSX imports at bulk speed: each row validated once, read and written in bulk.

`tabular.import_rows` hands the rows here when the registry can save in bulk. The rules are the web
form's and `save_form`'s (see `bulk_save`); what changes is the cost per row:
- the objects the file updates are read in one query (with their many-to-many links), each cell's text is
  read once per distinct value (`cells`, cached for the file), and the rows are validated
  column by column (`column_check`: the form's own fields and the model's field checks once per distinct
  value, the form's and the model's `clean()` per row where defined; a form with hooks of its own is
  validated by the form itself, row by row); reading and validating
  run outside the write transaction (a job's progress stays visible), the write then locks the rows it
  updates and refuses any that another user changed meanwhile;
- foreign keys are resolved from one read per referenced table for the whole file (the same choices the
  user's form offers: the scoped ones, plus what the object already points to);
- uniqueness and constraints are enforced by the database in the bulk write (a refusal is traced back
  to its rows with Django's own checks), scope is checked once per distinct unit/agency;
- rows are written with bulk_create/bulk_update and logged in bulk, all in one transaction;
- a registry whose save service has rules of its own gives them for the whole file: `bulk_rules(user=, items=)`
  refuses rows (with the service's messages) before the write, `after_bulk` does the follow-up after it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import signals
from django.db.models.base import ModelState
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from ..changelog import snapshot
from ..inputs import vn_first as tabular_vn_first
from .bulk_save import BulkItem, file_duplicates, save_forms_bulk, values_of
from .cells import fast_temporal
from .column_check import ColumnValidator, fallback_reason
from .forms import keep_unsent


class _Choices:
    """The choices of one foreign-key form field for the whole file: objects and which ones are allowed."""

    def __init__(self, name: str, scoped_field, all_field, values: set[str]):
        self.key = scoped_field.to_field_name or "pk"
        self.empty = scoped_field.empty_values
        wanted = [v for v in values if v not in self.empty]
        self.objects: dict[str, models.Model] = {}
        self.allowed: set[str] = set()
        if wanted:
            try:
                found = all_field.queryset.filter(**{f"{self.key}__in": wanted})
                self.objects = {str(getattr(o, self.key)): o for o in found}
                self.allowed = {
                    str(v)
                    for v in scoped_field.queryset.filter(**{f"{self.key}__in": wanted}).values_list(
                        self.key, flat=True
                    )
                }
            except (ValueError, TypeError, ValidationError):  # a malformed id in the column: resolve one by one
                for v in wanted:
                    try:
                        obj = all_field.queryset.filter(**{self.key: v}).first()
                    except (ValueError, TypeError, ValidationError):
                        continue
                    if obj is not None:
                        self.objects[v] = obj
                        if scoped_field.queryset.filter(**{self.key: v}).exists():
                            self.allowed.add(v)

    def resolve(self, f, value, current: set[str]):
        obj = self.objects.get(str(value))
        if obj is None or (str(value) not in self.allowed and str(value) not in current):
            raise ValidationError(f.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return obj


def _patch(form, choices: dict[str, _Choices], current: dict[str, set[str]]) -> None:
    """Resolve the form's foreign keys from the file-wide choices instead of one query per field and row.

    `current[name]` holds what the row's stored object points to now (a valid choice, as in ScopedModelForm).
    """
    for name, ch in choices.items():
        f = form.fields[name]
        if isinstance(f, forms.ModelMultipleChoiceField):

            def clean(value, f=f, ch=ch, name=name):
                value = value or []
                if f.required and not value:
                    raise ValidationError(f.error_messages["required"], code="required")
                if not isinstance(value, list | tuple):
                    raise ValidationError(f.error_messages["invalid_list"], code="invalid_list")
                objs = []
                for v in value:
                    try:
                        objs.append(ch.resolve(f, v, current.get(name, ())))
                    except ValidationError:
                        raise ValidationError(
                            f.error_messages["invalid_choice"], code="invalid_choice", params={"value": v}
                        ) from None
                f.run_validators(value)
                return objs

            setattr(f, "clean", clean)  # noqa: B010 - this form's field only, for the file's lookups
        else:

            def to_python(value, f=f, ch=ch, name=name):
                if value in f.empty_values:
                    return None
                if isinstance(value, models.Model):
                    value = getattr(value, ch.key)
                return ch.resolve(f, value, current.get(name, ()))

            f.to_python = to_python
    form.validate_unique = lambda: None  # enforced by the database in the bulk write, traced back on refusal


def new_objects(model) -> Callable[[], models.Model]:
    """`model()` for each new row of a file. When the model computes nothing per instance (no callable or
    database default, no init signals, no parent model), a copy of one blank instance is the same instance,
    some thirty times cheaper than `Model.__init__`'s walk over the fields."""
    meta = model._meta
    if (
        meta.parents
        or signals.pre_init.has_listeners(model)
        or signals.post_init.has_listeners(model)
        or any(
            (f.has_default() and callable(f.default)) or f.db_default is not models.NOT_PROVIDED
            for f in meta.concrete_fields
        )
    ):
        return model
    blank = {k: v for k, v in model().__dict__.items() if k != "_state"}

    def new():
        obj = model.__new__(model)
        obj.__dict__.update(blank)
        obj._state = ModelState()
        return obj

    return new


def _row_form(proto, *, data: dict, instance, initial: dict, new):
    """The prototype form bound to one row: its fields (and their patched lookups) shared, not deep-copied
    per row as a new form would; everything a form keeps per binding is reset."""
    form = object.__new__(type(proto))
    form.__dict__.update(proto.__dict__)  # copy.copy(proto), without its generic protocol
    form.data, form.files, form.is_bound = data, {}, True
    form.instance = instance if instance is not None else new()
    form.initial = initial
    form._errors = None
    form._bound_fields_cache = {}
    form.__dict__.pop("cleaned_data", None)
    return form


def _full_clean(obj, resolved: set[str], exclude=None, validate_unique=True, validate_constraints=True):
    return type(obj).full_clean(
        obj, exclude=set(exclude or ()) | resolved, validate_unique=validate_unique, validate_constraints=False
    )


def import_bulk(
    *,
    rows: list[dict | None],
    column_of: dict[str, str],
    form_class,
    queryset,
    user,
    form_kwargs: dict | None,
    after_bulk: Callable | None = None,
    bulk_rules: Callable | None = None,
    progress: Callable | None = None,
    result,
    errors_cls,
    form_data: Callable,
    model_choice_error: Callable,
):
    """Validate every row once, then write them all; fills `result` (tabular.ImportResult)."""
    form_kwargs = form_kwargs or {}
    model = queryset.model
    fields = form_class.base_fields
    m2m = [n for n, f in fields.items() if isinstance(f, forms.ModelMultipleChoiceField)]
    fks = [n for n, f in fields.items() if isinstance(f, forms.ModelChoiceField)]
    total = sum(1 for r in rows if r is not None)
    step = _("Đang kiểm tra từng dòng")
    if progress:
        progress(0, total, step, force=True)

    def error(line, fname, msg):
        result.errors.append(errors_cls(line, "" if fname == "__all__" else fname, msg, column_of.get(fname, "")))

    # 1. The objects the file updates: one query, locked until the end of the transaction.
    ids: dict[int, int] = {}
    seen: set[int] = set()
    for offset, row in enumerate(rows):
        rid = (row or {}).get("id", "").strip() if row else ""
        if not rid:
            continue
        line = offset + 2
        if not rid.isdigit():
            error(line, "id", _("Không tìm thấy đối tượng mã %(id)s trong phạm vi của bạn.") % {"id": rid})
        elif int(rid) in seen:
            error(line, "id", _("Mã %(id)s xuất hiện hai lần trong tệp.") % {"id": rid})
        else:
            ids[line] = int(rid)
            seen.add(int(rid))
    stored = {o.pk: o for o in queryset.filter(pk__in=list(ids.values())).prefetch_related(*m2m)} if ids else {}
    blank = model_to_dict(model(), fields=list(fields))
    refused = {e.row for e in result.errors}
    cells: dict = {}  # each column's reading of each distinct text (registry.cells, once per value)

    # 2. Form data of every row, with the columns left out of the file taken from the stored object.
    prepared = []
    for offset, row in enumerate(rows):
        line = offset + 2
        if row is None or line in refused:
            continue
        instance = None
        if line in ids:
            instance = stored.get(ids[line])
            if instance is None:
                error(line, "id", _("Không tìm thấy đối tượng mã %(id)s trong phạm vi của bạn.") % {"id": ids[line]})
                continue
        data, bad = form_data(row, form_class, cache=cells)
        if bad:
            for fname, msg in bad.items():
                error(line, fname, msg)
            continue
        initial = blank if instance is None else model_to_dict(instance, fields=list(fields))
        keep_unsent(data, row, fields, initial)
        prepared.append((line, instance, data, row, initial))

    # 3. Foreign-key choices for the whole file: one read per referenced table (plus the allowed ids).
    scoped_form = form_class(**form_kwargs)
    all_form = form_class(**(form_kwargs | {"user": None})) if "user" in form_kwargs else scoped_form
    choices = {}
    for name in fks:
        values: set = set()
        for _line, _inst, data, _row, _initial in prepared:
            v = data.get(name)
            values.update(str(x) for x in (v if isinstance(v, list) else [v]) if x not in (None, ""))
        choices[name] = _Choices(name, scoped_form.fields[name], all_form.fields[name], values)

    # 4. Validate each row once (the form runs the model's own clean()). One prototype form, built without
    # the user: its choices are the file-wide ones computed above with the user's scope.
    resolved = {n for n in fks if n not in m2m}
    items: list[BulkItem] = []
    current: dict[str, set[str]] = {}
    proto = form_class(**(form_kwargs | {"user": None} if "user" in form_kwargs else form_kwargs))
    _patch(proto, choices, current)
    for f in proto.fields.values():
        if isinstance(f, forms.DateField | forms.DateTimeField):
            f.input_formats = tabular_vn_first(f.input_formats)
            fast_temporal(f)  # this import's prototype only
    # Column by column (each distinct value checked once), unless the form has a hook only it can run.
    allowed = {n: ch.allowed for n, ch in choices.items()}
    checker = None if fallback_reason(proto) else ColumnValidator(proto, allowed, resolved)
    new = new_objects(model)
    for done, (line, instance, data, row, initial) in enumerate(prepared, start=1):
        before = before_values = None
        before_m2m = {}
        current.clear()
        if instance is not None:
            before, before_values = snapshot(instance), values_of(instance)
            before_m2m = {n: sorted(o.pk for o in getattr(instance, n).all()) for n in m2m}
            for n in fks:
                v = before_m2m.get(n) if n in m2m else [before_values.get(model._meta.get_field(n).attname)]
                current[n] = {str(x) for x in v or () if x is not None}
        form = _row_form(proto, data=data, instance=instance, initial=initial, new=new)
        obj = form.instance
        if checker is not None:
            valid = checker.is_valid(form)
        else:
            # Constraints are enforced by the database in the bulk write (one query per row and constraint here),
            # and the foreign keys were just resolved by the form from the file-wide read (not one query each).
            obj.full_clean = functools.partial(_full_clean, obj, resolved)
            valid = form.is_valid()
            del obj.full_clean
        if not valid:
            for fname, errs in form.errors.as_data().items():
                for err in errs:
                    msg = str(err.messages[0]) if err.messages else ""
                    if err.code in ("invalid_choice", "invalid_pk_value") and fname in row:
                        msg = model_choice_error(scoped_form, fname, data.get(fname)) or msg
                    error(line, fname, msg)
            continue
        new_m2m = {n: sorted(o.pk for o in form.cleaned_data.get(n, [])) for n in m2m if n in form.cleaned_data}
        items.append(
            BulkItem(
                line=line,
                obj=form.instance,
                before=before,
                before_values=before_values,
                before_m2m=before_m2m,
                new_m2m=new_m2m,
            )
        )
        if progress and done % 200 == 0:
            progress(done, total, step)
    for line, fname, msg in file_duplicates(items):  # reported with the other errors, before any write
        error(line, fname, msg)
    if bulk_rules is not None and items:  # the registry's own save rules, over the whole file at once
        for line, fname, msg in bulk_rules(user=user, items=items):
            error(line, fname, msg)
    if result.errors:
        return result

    # 5. Write everything at once (the caller's transaction rolls back on any error).
    if progress:
        progress(len(prepared), total, _("Đang ghi vào cơ sở dữ liệu"), force=True)
    # Reading and validating ran outside any transaction, so the job's progress is visible to the page; the
    # write locks the rows it updates and checks their versions (save_forms_bulk), all or nothing.
    with transaction.atomic():
        outcome = save_forms_bulk(user=user, model=model, items=items, after_bulk=after_bulk)
        if outcome.errors:
            transaction.set_rollback(True)
    for line, fname, msg in outcome.errors:
        error(line, fname, msg)
    if not outcome.errors:
        result.created, result.updated, result.unchanged = outcome.created, outcome.updated, outcome.unchanged
    return result
