"""Keyset ("cursor") pagination for long, newest-first lists such as the change log.

An offset page (``LIMIT 50 OFFSET 500000``) and its ``COUNT(*)`` read every row before the page; a keyset
page reads only its own rows through the index on the ordering columns, however deep it is. The cursor is
the (time, id) of the row at a page's edge: ``older=<cursor>`` is the page after it, ``newer=<cursor>`` the
page before it. A cursor that does not parse is ignored (the first page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q


@dataclass
class KeysetPage:
    items: list
    newer_cursor: str | None  # link to the page of newer rows, when there are any
    older_cursor: str | None  # link to the page of older rows, when there are any
    first: bool

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def encode(row, field: str = "time") -> str:
    return f"{getattr(row, field).isoformat()}~{row.pk}"


def decode(cursor: str | None) -> tuple[dt.datetime, int] | None:
    if not cursor or "~" not in cursor or len(cursor) > 80:
        return None
    stamp, _sep, pk = cursor.rpartition("~")
    try:
        when = dt.datetime.fromisoformat(stamp)
        return (when, int(pk)) if when.tzinfo is not None and 0 < int(pk) < 2**63 else None
    except ValueError:
        return None


def keyset_page(
    qs, *, older: str | None = None, newer: str | None = None, size: int = 50, field: str = "time"
) -> KeysetPage:
    """One page of `qs` ordered newest first by (`field`, id)."""
    after, before = decode(older), decode(newer)
    desc = qs.order_by(f"-{field}", "-id")
    if after:
        rows = list(
            desc.filter(Q(**{f"{field}__lt": after[0]}) | Q(**{field: after[0], "id__lt": after[1]}))[: size + 1]
        )
        more_older, more_newer = len(rows) > size, True
        rows = rows[:size]
    elif before:
        asc = qs.order_by(field, "id").filter(
            Q(**{f"{field}__gt": before[0]}) | Q(**{field: before[0], "id__gt": before[1]})
        )
        rows = list(asc[: size + 1])
        more_newer, more_older = len(rows) > size, True
        rows = list(reversed(rows[:size]))
    else:
        rows = list(desc[: size + 1])
        more_older, more_newer = len(rows) > size, False
        rows = rows[:size]
    if not rows:
        return KeysetPage([], None, None, first=not (after or before))
    return KeysetPage(
        rows,
        encode(rows[0], field) if more_newer else None,
        encode(rows[-1], field) if more_older else None,
        first=not more_newer,
    )
