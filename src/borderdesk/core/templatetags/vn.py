"""Template filters that format through borderdesk.core.vn (the one formatting module)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import pgettext, pgettext_lazy

from borderdesk.core import archives, vn
from borderdesk.core.unit_labels import unit_label

register = template.Library()


_lang = vn.current_lang


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
def megabytes(value):
    """44000054 bytes → 42,0 (vi) or 42.0 (en): megabytes with one decimal (core.archives.megabytes)."""
    if value is None or value == "":
        return ""
    try:
        return archives.megabytes(int(value), places=1, lang=_lang())
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
    return vn.in_language(
        getattr(obj, "name_vi", None) or getattr(obj, "name", None) or str(obj), getattr(obj, "name_en", "")
    )


@register.filter
def unitname(unit):
    """An indicator's unit of measure in the current language ("xã" / "communes")."""
    return unit_label(unit) if _lang() == "en" else (unit or "")


_QUALIFIER_LABELS = {  # core.vn.QUALIFIERS words → the interface's words (context "qualifier")
    "trên": lambda: pgettext("qualifier", "trên"),
    "hơn": lambda: pgettext("qualifier", "hơn"),
    "gần": lambda: pgettext("qualifier", "gần"),
    "khoảng": lambda: pgettext("qualifier", "khoảng"),
    "xấp xỉ": lambda: pgettext("qualifier", "xấp xỉ"),
    "dưới": lambda: pgettext("qualifier", "dưới"),
    "hàng chục": lambda: pgettext("qualifier", "hàng chục"),
    "hàng trăm": lambda: pgettext("qualifier", "hàng trăm"),
    "hàng nghìn": lambda: pgettext("qualifier", "hàng nghìn"),
    "hàng chục nghìn": lambda: pgettext("qualifier", "hàng chục nghìn"),
    "hàng trăm nghìn": lambda: pgettext("qualifier", "hàng trăm nghìn"),
    "hàng triệu": lambda: pgettext("qualifier", "hàng triệu"),
}


@register.filter
def qualifier(code):
    """A figure's qualifier ("over" / "trên") in the current language; "" when there is none."""
    word = vn.QUALIFIERS.get((code or "").strip().lower(), (code or "").strip())
    label = _QUALIFIER_LABELS.get(word)
    return label() if label else word


_EN_SCALES = ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))


@register.filter
def amount(value):
    """A figure for the interface: "86 tỷ", "1.700" in Vietnamese (as reports write it); "86 billion",
    "1,700" in English."""
    d = vn.to_decimal(value) if value not in (None, "") else None
    if d is None:
        return ""
    if _lang() == "vi":
        return vn.format_amount(d)
    for factor, word in _EN_SCALES:
        if abs(d) >= factor:
            scaled = (d / factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            return f"{vn.format_number(scaled, lang='en')} {word}"
    return vn.format_number(d, lang="en")


@register.simple_tag
def compare(current, base):
    """The comparison with the same period last year in the current language ("" when nothing to compare)."""
    if _lang() == "vi":
        return vn.compare_phrase(current, base)
    cur, b = vn.to_decimal(current), vn.to_decimal(base)
    if cur is None or b is None or b <= 0:
        return ""
    if cur == b:
        return pgettext("comparison", "bằng cùng kỳ")
    ratio = cur / b
    if ratio >= 2:
        n = vn.format_number(ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), lang="en")
        return pgettext("comparison", "gấp %(n)s lần cùng kỳ") % {"n": n}
    pct = ((ratio - 1) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if pct == 0:
        return pgettext("comparison", "tương đương cùng kỳ")
    n = vn.format_number(abs(pct), lang="en")
    if pct > 0:
        return pgettext("comparison", "tăng %(n)s%% so với cùng kỳ") % {"n": n}
    return pgettext("comparison", "giảm %(n)s%% so với cùng kỳ") % {"n": n}


@register.filter
def vndate(value):
    """dd/mm/yyyy, in local time for datetimes."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        return vn.format_datetime(timezone.localtime(value) if timezone.is_aware(value) else value)
    return vn.format_date(value)


@register.filter
def filesize(value):
    """A file size in the interface's number format ("1,5 MB"; "1.5 MB" in English)."""
    return vn.format_size(value, lang=_lang())


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


# Change-log verbs as stored (English codes) and what a user reads.
_ACTION_LABELS = {
    "create": pgettext_lazy("change log", "Tạo mới"),
    "update": pgettext_lazy("change log", "Sửa"),
    "delete": pgettext_lazy("change log", "Xóa"),
    "save": pgettext_lazy("change log", "Lưu"),
    "submit": pgettext_lazy("change log", "Gửi"),
    "approve": pgettext_lazy("change log", "Duyệt"),
    "return": pgettext_lazy("change log", "Trả lại"),
    "reopen": pgettext_lazy("change log", "Mở lại"),
    "lock_exception": pgettext_lazy("change log", "Cho phép nhập sau hạn"),
    "import": pgettext_lazy("change log", "Nhập từ tệp"),
    "merge": pgettext_lazy("change log", "Gộp"),
    "attach": pgettext_lazy("change log", "Đính kèm tệp"),
    "detach": pgettext_lazy("change log", "Gỡ tệp đính kèm"),
    "unlink": pgettext_lazy("change log", "Gỡ liên kết"),
    "review": pgettext_lazy("change log", "Sơ kết, rà soát"),
    "issue": pgettext_lazy("change log", "Ban hành"),
    "complete": pgettext_lazy("change log", "Hoàn thành"),
    "add_photo": pgettext_lazy("change log", "Thêm ảnh"),
    "accept": pgettext_lazy("change log", "Chấp nhận"),
    "reject": pgettext_lazy("change log", "Loại"),
    "reset": pgettext_lazy("change log", "Xem xét lại"),
}


@register.filter
def action_label(entry):
    """A change-log entry's action in words ("status:verified" → "Chuyển trạng thái: Đã xác minh")."""
    action = getattr(entry, "action", entry) or ""
    if action in _ACTION_LABELS:
        return _ACTION_LABELS[action]
    if action.startswith("status:"):
        code = action.split(":", 1)[1]
        from django.contrib.contenttypes.models import ContentType

        ct_id = getattr(entry, "content_type_id", None)
        model = ContentType.objects.get_for_id(ct_id).model_class() if ct_id else None  # cached, no query
        try:
            label = dict(model._meta.get_field("status").flatchoices).get(code, code) if model else code
        except Exception:  # a model without a status field keeps the stored code
            label = code
        return pgettext("change log", "Chuyển trạng thái: %(status)s") % {"status": label}
    return action


@register.simple_tag
def source_link(value, number=None):
    """One source of a record: a link when it is a web address (http or https) — labelled "[number]" when a
    number is given (a table's column), else the address shortened —, otherwise the citation as text ("Hội nghị
    sơ kết 6 tháng đầu năm 2020, 26/6/2020"), shortened with the whole of it as the title. Never an href of
    another scheme (a ``javascript:`` source stays text)."""
    text = str(value or "").strip()
    short = Truncator(text).chars(60)
    if re.match(r"https?://[^\s]+$", text, re.IGNORECASE):
        label = f"[{number}]" if number is not None else short
        return format_html('<a href="{}" rel="noreferrer" title="{}">{}</a>', text, text, label)
    return format_html('<span class="source" title="{}">{}</span>', text, short)
