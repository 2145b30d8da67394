"""The registry forms: a ModelForm that knows its user (scope of its choices), Vietnamese decimals and
dates accepted, and the bound form the API builds from JSON (fields left out keep their values)."""

from __future__ import annotations

import decimal

from django import forms
from django.db.models import Q

from .. import inputs
from ..scoping import Action


class ScopedModelForm(forms.ModelForm):
    """A ModelForm whose choices are narrowed to the user's scope, with Vietnamese date inputs."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, f in self.fields.items():
            if isinstance(f, forms.ModelChoiceField) and user is not None:
                qs = f.queryset
                if hasattr(qs, "for_user"):
                    scoped = qs.for_user(user, Action.VIEW)
                    current = self._current_ids(name)
                    # What the object already points to stays a valid choice: a station's patrol that ends at
                    # a marker of the neighbouring station can be edited (and its export re-imported) by it.
                    f.queryset = qs.filter(Q(pk__in=scoped.values("pk")) | Q(pk__in=current)) if current else scoped
            inputs.conventional(f)  # dd/mm/yyyy dates, Vietnamese numbers (core.inputs)

    def _current_ids(self, name: str) -> list:
        inst = getattr(self, "instance", None)
        if inst is None or inst.pk is None:
            return []
        try:
            field = inst._meta.get_field(name)
        except Exception:  # a form field that is not a model field
            return []
        if field.many_to_many:
            return [o.pk for o in getattr(inst, name).all()]  # uses a prefetch (bulk imports) when there is one
        value = getattr(inst, field.attname, None)
        return [] if value is None else [value]


def form_initial(form_class, instance=None, **form_kwargs) -> dict:
    """The values a form starts from: the instance's, or the model's defaults for a new object."""
    if instance is None:
        from django.forms.models import model_to_dict

        return model_to_dict(form_class._meta.model(), fields=list(form_class.base_fields))
    return form_class(instance=instance, **form_kwargs).initial


def bound_form(form_class, *, user, data: dict, instance=None):
    """A bound form from JSON-like data; fields left out keep the instance's current values."""
    full: dict = {}
    # Current values (or the model's defaults for a new object) for the fields not sent.
    initial = form_initial(form_class, instance, user=user)
    for name, f in form_class.base_fields.items():
        v = initial.get(name)
        if isinstance(f, forms.ModelMultipleChoiceField):
            full[name] = [o.pk if hasattr(o, "pk") else o for o in (v or [])]
        elif v is not None:
            full[name] = v
    for name, v in data.items():
        full[name] = v
    for name, f in form_class.base_fields.items():
        if isinstance(f, forms.BooleanField):
            v = full.pop(name, False)
            if v not in (False, None, "", "0", "false", 0):
                full[name] = "on"
        elif full.get(name) is None:
            full.pop(name, None)
        elif isinstance(f, forms.DecimalField) and isinstance(full[name], str):
            # JSON carries machine decimals ("21.845"), not the Vietnamese "1.700" a page's text box reads.
            try:
                full[name] = decimal.Decimal(full[name].strip())
            except decimal.InvalidOperation:
                pass  # left to the field, which reports it
    return form_class(data=full, instance=instance, user=user)


def keep_unsent(data: dict, sent, fields: dict, initial: dict) -> dict:
    """An import row's form data completed with the current values (a new row: the defaults) of the columns
    the file left out, as a bound form expects them (many-to-many as ids, booleans as "on")."""
    for name, f in fields.items():
        if name in sent:
            continue
        v = initial.get(name)
        if isinstance(f, forms.ModelMultipleChoiceField):
            data[name] = [o.pk if hasattr(o, "pk") else o for o in (v or [])]
        elif isinstance(f, forms.BooleanField):
            if v:
                data[name] = "on"
        elif v is not None:
            data[name] = v
    return data
