"""The gates' save rules for a whole imported file (the bulk registry import, `core.registry.bulk_import`).

`services.status_period_save` refuses a period overlapping another of the same gate, and
`services.daily_stat_import_save` marks a day's figures as imported when they change. An import applies the
same rules to every row at once: the gate's periods read in one query, the rows checked in file order as the
row-by-row import saves them (a row sees the rows above it as saved, the rows below as still stored), and the
same message for the same row.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from .choices import StatChannel
from .models import STAT_VALUE_FIELDS, GateStatusPeriod


def overlaps(start: dt.date, end: dt.date | None, other_start: dt.date, other_end: dt.date | None) -> bool:
    """Two periods share a day (an open end runs for ever)."""
    return other_start <= (end or dt.date.max) and start <= (other_end or dt.date.max)


def status_period_rules(*, user, items) -> list[tuple[int, str, str]]:
    """`_check_overlap` for every row: a period may not overlap another of its gate."""
    objs = [i.obj for i in items]
    gates = {o.gate_id for o in objs}
    stored = GateStatusPeriod.objects.filter(gate_id__in=gates) | GateStatusPeriod.objects.filter(
        pk__in=[o.pk for o in objs if o.pk]
    )
    # What the database holds as the rows are saved one by one: key -> (gate, from, to), in the model's order.
    current: dict[object, tuple[int, dt.date, dt.date | None]] = {
        p.pk: (p.gate_id, p.valid_from, p.valid_to) for p in stored.order_by("gate_id", "-valid_from", "id")
    }
    errors = []
    for item in sorted(items, key=lambda i: i.line):
        o = item.obj
        clash = any(
            gate == o.gate_id and key != o.pk and overlaps(o.valid_from, o.valid_to, start, end)
            for key, (gate, start, end) in current.items()
        )
        if clash:
            errors.append((item.line, "valid_from", _("Trùng với giai đoạn khác.")))
            continue  # a refused row is not saved: the rows below do not see it
        current[o.pk or ("new", item.line)] = (o.gate_id, o.valid_from, o.valid_to)
    return errors


def daily_stat_rules(*, user, items) -> list[tuple[int, str, str]]:
    """`daily_stat_import_save` for every row: a new day, or a day whose figures change, is marked imported."""
    for item in items:
        before = item.before_values
        if before is None or any(before.get(f) != getattr(item.obj, f) for f in STAT_VALUE_FIELDS):
            item.obj.channel = StatChannel.IMPORT
    return []
