"""How a form asks for a date or a number: one convention for every page.

Dates are text inputs written and read as dd/mm/yyyy (``core.vn.parse_date`` also takes ISO 2021-06-24,
which API clients, links and browser tests send). A browser's own date picker follows the language of
the operating system, and 02/01/2026 written the US way would read 2 January to a Vietnamese user, so
no page uses the browser's date input type. Date-times add " hh:mm".

Numbers are text inputs (``inputmode="decimal"``) shown with ``core.vn.format_number`` and read with
``core.vn.parse_number``: "1.700" is one thousand seven hundred, "6,73" six point seven three.

``ScopedModelForm`` (the registries) applies :func:`conventional` to every field; a hand-written form
uses :func:`date_field`, :func:`datetime_field` or :func:`decimal_field`, or calls :func:`conventional`.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import vn

#: strptime formats a date field accepts (Vietnamese first); see core.vn.parse_date.
DATE_INPUTS = list(vn.DATE_INPUT_FORMATS)
DATETIME_INPUTS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    *DATE_INPUTS,
]

_DATE_ATTRS = {
    "placeholder": "dd/mm/yyyy",
    "inputmode": "numeric",
    "autocomplete": "off",
    "size": 10,
    "class": "date-input",
}


class DateInput(forms.DateInput):
    """dd/mm/yyyy in a text box."""

    def __init__(self, attrs=None):
        super().__init__(attrs={**_DATE_ATTRS, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return vn.format_date(value)
        return value or None


class DateTimeInput(forms.DateTimeInput):
    """dd/mm/yyyy hh:mm in a text box (local time)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={**_DATE_ATTRS, "placeholder": "dd/mm/yyyy hh:mm", "size": 16, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            return vn.format_datetime(timezone.localtime(value) if timezone.is_aware(value) else value)
        return value or None


class DecimalInput(forms.TextInput):
    """A number in the Vietnamese way ("1.700", "6,73")."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return vn.format_number(value)
        return value or None


def _vn_decimal(field: forms.DecimalField):
    """field.to_python reading Vietnamese numbers through core.vn.parse_number (then the field's own checks)."""
    to_python = field.to_python

    def parse(value):
        if isinstance(value, str) and value.strip():
            try:
                value = vn.parse_number(value)
            except ValueError:
                raise ValidationError(_("Không phải là số (viết 1.700 hoặc 6,73)."), code="invalid") from None
        return to_python(value)

    return parse


def conventional(field: forms.Field) -> forms.Field:
    """Give a date, date-time or decimal field the project's input convention (in place; returns it)."""
    if isinstance(field, forms.DateTimeField):
        field.input_formats = DATETIME_INPUTS
        field.widget = DateTimeInput(attrs=_kept_attrs(field.widget))
    elif isinstance(field, forms.DateField):
        field.input_formats = DATE_INPUTS
        field.widget = DateInput(attrs=_kept_attrs(field.widget))
    elif isinstance(field, forms.DecimalField) and not getattr(field.to_python, "vn_decimal", False):
        parse = _vn_decimal(field)
        parse.vn_decimal = True
        field.to_python = parse  # type: ignore[method-assign]
        field.widget = DecimalInput(attrs=_kept_attrs(field.widget))
    return field


def _kept_attrs(widget) -> dict:
    """Attributes a form set on purpose (not the ones Django derives from the field)."""
    attrs = dict(getattr(widget, "attrs", {}) or {})
    for derived in ("type", "step", "min", "max", "format"):
        attrs.pop(derived, None)
    return attrs


def date_field(**kwargs) -> forms.DateField:
    return conventional(forms.DateField(**kwargs))  # type: ignore[return-value]


def datetime_field(**kwargs) -> forms.DateTimeField:
    return conventional(forms.DateTimeField(**kwargs))  # type: ignore[return-value]


def decimal_field(**kwargs) -> forms.DecimalField:
    return conventional(forms.DecimalField(**kwargs))  # type: ignore[return-value]


@functools.lru_cache(maxsize=8)
def _vn_first(formats: tuple[str, ...]) -> list[str]:
    return sorted(formats, key=lambda f: not f.startswith("%d/%m/%Y"))


def vn_first(formats) -> list[str]:
    """The same input formats, the Vietnamese ones (what the export writes) first: a value matches at most
    one of them, so only the number of failed attempts changes."""
    return _vn_first(tuple(formats))
