"""Template filters that format through borderdesk.core.vn (the one formatting module)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from borderdesk.core import vn

register = template.Library()


def _lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


@register.filter
def num(value, decimals=None):
    """1700 → 1.700 (vi) or 1,700 (en)."""
    if value is None or value == "":
        return ""
    try:
        return vn.format_number(value, None if decimals in (None, "") else int(decimals), lang=_lang())
    except (ValueError, TypeError, ArithmeticError):
        return value


@register.filter
def pct(value, decimals=1):
    if value is None or value == "":
        return ""
    return vn.format_percent(value, int(decimals), lang=_lang())


@register.filter
def plabel(period):
    """A core.periods.Period's label in the current language ("quý III/2025" / "Q3 2025")."""
    return period.label(_lang()) if period else ""


@register.filter
def pwindow(period):
    """A period's data window in the current language."""
    return period.window_label(_lang()) if period else ""


@register.filter
def lname(obj):
    """An object's name in the current language: ``name_en`` in English when filled in, else Vietnamese."""
    if obj is None:
        return ""
    if _lang() == "en" and getattr(obj, "name_en", ""):
        return obj.name_en
    return getattr(obj, "name_vi", None) or getattr(obj, "name", None) or str(obj)


@register.filter
def vndate(value):
    """dd/mm/yyyy, in local time for datetimes."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y %H:%M")
    return vn.format_date(value)


@register.filter
def vndateonly(value):
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return vn.format_date(value)


@register.simple_tag
def dateline(place, value):
    return vn.date_line(place, value)


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def ct_label(content_type):
    """The translated verbose name of a content type's model."""
    model = content_type.model_class() if content_type else None
    return str(model._meta.verbose_name).capitalize() if model else getattr(content_type, "model", "")
