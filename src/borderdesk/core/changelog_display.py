"""The change log in words: field labels, related objects by name, Vietnamese numbers, dates and periods.

The log stores machine values (ids, ISO dates, canonical decimals such as "6E+2"); people read
`describe(entry)`: ("Cơ quan", "Sở Ngoại vụ tỉnh Lạng Sơn", "…"), ("Số lượt", "600", "650"),
("Kỳ báo cáo", "Tháng 12 năm 2025", …), ("Thời điểm", "05/01/2026 14:30", …) in local time.
A model may add `changelog_key_labels(keys) -> {key: label}` (a classmethod) for keys that are not
its fields (a report's indicator codes).
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import vn

PERIOD_KEYS = {"period_key", "period"}


def _field(model, key: str):
    if model is None:
        return None
    for f in (*model._meta.concrete_fields, *model._meta.many_to_many):
        if key in (f.attname, f.name):
            return f
    return None


def _period_label(value) -> str | None:
    from .periods import parse_period

    try:
        return parse_period(str(value)).label_vi
    except (ValueError, TypeError):
        return None


def _datetime_text(value: str) -> str | None:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if "T" not in value and " " not in value:
        return vn.format_date(parsed.date())
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return vn.format_datetime(parsed)


def _number_text(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | decimal.Decimal):
        return vn.format_number(value)
    if isinstance(value, str):
        try:
            number = decimal.Decimal(value)
        except (decimal.InvalidOperation, ValueError):
            return None
        if not number.is_finite():
            return None
        return vn.format_number(number)
    return None


def value_text(value, field=None, key: str = "", names: dict | None = None) -> str:
    """One logged value as a person reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if field is not None and getattr(field, "choices", None):
        labels = {str(k): str(v) for k, v in field.flatchoices}
        if str(value) in labels:
            return labels[str(value)]
    if field is not None and field.is_relation and names is not None:
        name = names.get((field.related_model, value))
        if name:
            return name
    if key in PERIOD_KEYS:
        label = _period_label(value)
        if label:
            return label
    if isinstance(value, list):
        if field is not None and field.is_relation and names is not None:
            return ", ".join(names.get((field.related_model, v), str(v)) for v in value) or "—"
        return ", ".join(value_text(v) for v in value) or "—"
    if isinstance(field, models.DateTimeField | models.DateField) and isinstance(value, str):
        return _datetime_text(value) or value
    if isinstance(field, models.CharField | models.TextField):
        return str(value)
    if field is None and isinstance(value, str) and _looks_like_date(value):
        return _datetime_text(value) or value
    number = _number_text(value)
    return number if number is not None else str(value)


def _looks_like_date(value: str) -> bool:
    return len(value) >= 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit()


def _as_text(value) -> str | None:
    """A stored :class:`core.texts.Text` (a job's title: ``{"msgid": …, "params": …}``) in the reader's language,
    else None — shown as the sentence it is, not as its keys and its msgid."""
    if isinstance(value, dict) and isinstance(value.get("msgid"), str) and set(value) <= {"msgid", "params", "context"}:
        from .texts import Text

        try:
            return str(Text.from_json(value))
        except (KeyError, TypeError, ValueError):
            return None
    return None


def _flatten(data, prefix: tuple = ()) -> dict[tuple, object]:
    out: dict[tuple, object] = {}
    if isinstance(data, dict):  # an empty dict (no values yet) contributes nothing
        for k, v in data.items():
            text = _as_text(v)
            if text is not None:
                out[(*prefix, str(k))] = text
            elif isinstance(v, dict):
                out.update(_flatten(v, (*prefix, str(k))))
            else:
                out[(*prefix, str(k))] = v
    elif prefix:
        out[prefix] = data
    return out


def _related_names(model, rows: list[tuple]) -> dict:
    """{(related model, id): str(object)} for every foreign-key value in the rows (one query per model)."""
    wanted: dict[Any, set] = {}
    for path, before, after in rows:
        field = _field(model, path[0]) if len(path) == 1 else None
        if field is None or not field.is_relation or field.related_model is None:
            continue
        for v in (before, after):
            for item in v if isinstance(v, list) else [v]:
                if isinstance(item, int) or (isinstance(item, str) and item.isdigit()):
                    wanted.setdefault(field.related_model, set()).add(int(item))
    names = {}
    for rel, ids in wanted.items():
        for obj in rel._default_manager.filter(pk__in=ids):
            names[(rel, obj.pk)] = str(obj)
            names[(rel, str(obj.pk))] = str(obj)
    return names


def labels(entry) -> list[str]:
    """The labels of the changed values, without a query (the list page)."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    before, after = _flatten(entry.before or {}), _flatten(entry.after or {})
    out = []
    for path in sorted(set(before) | set(after)):
        if before.get(path) == after.get(path):
            continue
        field = _field(model, path[0]) if len(path) == 1 else None
        label = str(field.verbose_name) if field is not None else str(_KEY_LABELS.get(path[0], path[0]))
        if label not in out:
            out.append(label)
    return out


def describe(entry) -> list[tuple[str, str, str]]:
    """(label, before, after) in words for each value that changed."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    before, after = _flatten(entry.before or {}), _flatten(entry.after or {})
    rows = [
        (k, before.get(k), after.get(k))
        for k in sorted(set(before) | set(after), key=lambda p: p)
        if before.get(k) != after.get(k)
    ]
    names = _related_names(model, rows)
    extra_keys = {part for path, _b, _a in rows for part in path}
    hook = getattr(model, "changelog_key_labels", None)
    extra = hook(extra_keys) if callable(hook) else {}
    out = []
    for path, b, a in rows:
        field = _field(model, path[0]) if len(path) == 1 else None
        if field is not None:
            label = str(field.verbose_name)
            label = label[:1].upper() + label[1:]
        else:
            label = " › ".join(str(extra.get(p, _KEY_LABELS.get(p, p))) for p in path)
        key = path[-1]
        shown = (label, value_text(b, field, key, names), value_text(a, field, key, names))
        if shown[1] != shown[2]:  # "" and None read the same ("—"): not a change for a person
            out.append(shown)
    return out


_KEY_LABELS = {
    "values": gettext_lazy("Số liệu"),
    "narratives": gettext_lazy("Nội dung"),
    "value": gettext_lazy("giá trị"),
    "text": gettext_lazy("văn bản"),
    "qualifier": gettext_lazy("từ định lượng"),
    "comment": gettext_lazy("ghi chú"),
    "language": gettext_lazy("Ngôn ngữ"),
    "name": gettext_lazy("Tên"),
    "prefix": gettext_lazy("Tiền tố"),
    "expires_at": gettext_lazy("Hết hạn"),
    "memberships": gettext_lazy("Thành viên"),
    "version": gettext_lazy("Phiên bản"),
}


def text(entry) -> str:
    """The changes of an entry on one line (the CSV's "changes" column)."""
    return "; ".join(f"{label}: {b} → {a}" for label, b, a in describe(entry))


def csv_header() -> list[str]:
    """The change-log CSV's header: local times, the zone named (as each value's offset also says)."""
    zone = timezone.get_current_timezone_name()
    return [
        "id",
        f"time ({zone})",
        "user",
        "request_id",
        "action",
        "object_type",
        "object_id",
        "object",
        "reason",
        "changes",
        "before",
        "after",
    ]


def csv_rows(queryset, *, chunk_size: int = 2000):
    """The change-log CSV's rows for a queryset of entries (the page's export and the background job's)."""
    import json

    for e in queryset.iterator(chunk_size=chunk_size):
        yield [
            e.pk,
            timezone.localtime(e.time).isoformat(timespec="seconds"),
            e.user_repr,
            e.request_id,
            e.action,
            f"{e.content_type.app_label}.{e.content_type.model}",
            e.object_id,
            e.object_repr,
            e.reason,
            text(e),
            json.dumps(e.before, ensure_ascii=False),
            json.dumps(e.after, ensure_ascii=False),
        ]
