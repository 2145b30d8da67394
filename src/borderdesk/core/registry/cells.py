"""Reading one cell of an imported row into form data (core.registry.tabular's import, row by row and in bulk):
choice labels to codes, "Có"/"Không", Vietnamese numbers and dates checked, id lists split."""

from __future__ import annotations

import datetime as dt
import functools

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.forms.utils import from_current_timezone
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..inputs import DATE_INPUTS, DATETIME_INPUTS, vn_first

TRUE_WORDS = {"1", "true", "yes", "x", "có", "co", "đúng", "on"}
FALSE_WORDS = {"0", "false", "no", "không", "khong", "sai", "off", ""}
_ABSENT = object()  # a cell that leaves its field out of the form data (an unticked box, a number that is not one)


@functools.lru_cache(maxsize=512)  # form classes' fields live as long as the process; imports ask once per row
def _choices(form_field) -> list[tuple[str, str]]:
    """(code, Vietnamese label) of a plain choice field (not a model choice), without the blank choice."""
    if isinstance(form_field, forms.ModelChoiceField) or not isinstance(form_field, forms.ChoiceField):
        return []
    with translation.override("vi"):
        return [(str(k), str(v)) for k, v in form_field.choices if str(k) != ""]


def _allowed(choices: list[tuple[str, str]], limit: int = 30) -> str:
    labels = [label for _code, label in choices]
    more = len(labels) - limit
    return ", ".join(labels[:limit]) + (_(" … (và %(n)s lựa chọn khác)") % {"n": more} if more > 0 else "")


def _form_data(row: dict[str, str], form_class, form=None, cache: dict | None = None) -> tuple[dict, dict[str, str]]:
    """Turn a row of strings into form data: choice labels to codes, "Có"/"Không", Vietnamese numbers,
    id lists. Returns (data, errors by field) — each error quotes the value and the allowed ones.

    `cache` (the bulk import's, one per file) keeps each field's reading of a text it has already read: a file
    repeats its dates, choices and foreign keys, and a cell's reading depends only on its field and its text."""
    data: dict = {}
    errors: dict[str, str] = {}
    for name, f in form_class.base_fields.items():
        if name not in row:
            continue
        value = (row[name] or "").strip()
        if cache is None or isinstance(f, forms.ModelMultipleChoiceField):  # a list: never shared between rows
            read, error = _cell(f, value)
        else:
            key = (name, value)
            hit = cache.get(key)
            if hit is None:
                hit = cache[key] = _cell(f, value)
            read, error = hit
        if error is not None:
            errors[name] = error
        if read is not _ABSENT:
            data[name] = read
    return data, errors


def _cell(f, value: str) -> tuple:
    """One cell's form data (or _ABSENT) and its error (or None)."""
    from ..vn import parse_number

    if isinstance(f, forms.ModelMultipleChoiceField):
        return [v.strip() for v in value.replace(",", ";").split(";") if v.strip()], None
    if isinstance(f, forms.ModelChoiceField):
        return value, None
    if isinstance(f, forms.BooleanField):
        word = value.casefold()
        if word in TRUE_WORDS:
            return "on", None
        if word not in FALSE_WORDS:
            return _ABSENT, _("“%(v)s” không hợp lệ; dùng Có hoặc Không.") % {"v": value}
        return _ABSENT, None
    if _choices(f):
        choices = _choices(f)
        match = next((code for code, label in choices if value.casefold() in (code.casefold(), label.casefold())), None)
        error = None
        if value and match is None:
            error = _("“%(v)s” không phải lựa chọn hợp lệ; dùng một trong: %(allowed)s.") % {
                "v": value,
                "allowed": _allowed(choices),
            }
        return (match if match is not None else ("" if not value else value)), error
    if isinstance(f, forms.DateField | forms.DateTimeField) and value:
        formats = DATETIME_INPUTS if isinstance(f, forms.DateTimeField) else DATE_INPUTS
        if not any(_parses(value, fmt) for fmt in vn_first(formats)):
            example = "05/01/2026 08:30" if isinstance(f, forms.DateTimeField) else "05/01/2026"
            return value, _("“%(v)s” không phải ngày hợp lệ; viết dd/mm/yyyy (ví dụ %(e)s).") % {
                "v": value,
                "e": example,
            }
        return value, None
    if isinstance(f, forms.IntegerField | forms.DecimalField | forms.FloatField) and value:
        try:
            number = parse_number(value)
        except ValueError:
            return _ABSENT, _("“%(v)s” không phải là số (viết 1.700 hoặc 6,73).") % {"v": value}
        # A Decimal, not text: the form's text box would read "21.845" the Vietnamese way (21845).
        return (number if isinstance(f, forms.DecimalField) else format(number, "f")), None
    return value, None


def _parses(value: str, fmt: str) -> bool:
    try:
        strptime(value, fmt)
    except ValueError:
        return False
    return True


def strptime(value: str, fmt: str) -> dt.datetime:
    """`datetime.strptime`, read directly when the text is exactly what the export writes ("05/01/2026 08:30",
    "05/01/2026": fixed positions, ASCII digits); anything else (or an impossible date) goes to strptime itself."""
    if fmt == "%d/%m/%Y %H:%M" and len(value) == 16 and value[10] == " " and value[13] == ":":
        digits = value[:2] + value[3:5] + value[6:10] + value[11:13] + value[14:]
        if value[2] == value[5] == "/" and digits.isascii() and digits.isdigit():
            try:
                return dt.datetime(
                    int(value[6:10]), int(value[3:5]), int(value[:2]), int(value[11:13]), int(value[14:])
                )
            except ValueError:
                pass
    elif fmt == "%d/%m/%Y" and len(value) == 10 and value[2] == value[5] == "/":
        digits = value[:2] + value[3:5] + value[6:]
        if digits.isascii() and digits.isdigit():
            try:
                return dt.datetime(int(value[6:]), int(value[3:5]), int(value[:2]))
            except ValueError:
                pass
    return dt.datetime.strptime(value, fmt)


def _field_strptime(field, value: str, fmt: str):
    """DateField/DateTimeField.strptime through `strptime` above."""
    parsed = strptime(value, fmt)
    return parsed if isinstance(field, forms.DateTimeField) else parsed.date()


def fast_temporal(field) -> None:
    """Give a form's own date or date-time field (not a subclass with a strptime of its own) the quick reading;
    a date-time field also gets `_datetime_to_python` (the time zone read once, for this import's prototype)."""
    if type(field).strptime in (forms.DateField.strptime, forms.DateTimeField.strptime):
        field.strptime = functools.partial(_field_strptime, field)
    if type(field).to_python is forms.DateTimeField.to_python and settings.USE_TZ:
        field.to_python = functools.partial(_datetime_to_python, field, timezone.get_current_timezone())


def _datetime_to_python(field, zone, value):
    """`forms.DateTimeField.to_python` for a text, with `from_current_timezone` done with the zone read once:
    Django's asks the settings and the active zone for every value, and a file's date-times rarely repeat
    (every patrol has two of its own). Anything but a non-empty text, and a time the zone's clocks skip or
    repeat (its error message), goes to Django's own code."""
    if type(value) is not str or value in field.empty_values:
        return forms.DateTimeField.to_python(field, value)
    text = value.strip()
    result = None
    if text[2:3] != "/":  # "05/01/2026 08:30" is never ISO (which starts with a four-digit year): no parse_datetime
        try:
            result = parse_datetime(text)
        except ValueError:
            raise ValidationError(field.error_messages["invalid"], code="invalid") from None
    if not result:
        result = BaseTemporalField.to_python(field, value)
    if result.tzinfo is not None or zone.utcoffset(result.replace(fold=not result.fold)) != zone.utcoffset(result):
        return from_current_timezone(result)  # aware already, or ambiguous/imaginary here: Django's result or error
    return result.replace(tzinfo=zone)
