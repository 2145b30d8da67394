"""A unit's key figures under the reports' source rule, so a dashboard shows what the report writes.

The drafted report takes each indicator from the source `documents.sources.PRECEDENCE_RULE` names (registry
first for patrols, incidents, markers, persons through the gates; approved reports for the others; the next
source when the preferred one is blank) and compares with the same period last year within that source. The
dashboard asks the same function (`documents.sources.gather`) for the indicators behind its key figures, so the
two agree for the same unit and period, and shows which source each figure comes from.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from borderdesk.core.periods import Period

from .keyfigures import _rate

#: slug -> indicator codes: the first code's row when the source gives it, else the sum of the others' rows.
SLUG_CODES = {
    "crossings": ["PERSONS_EXIT_ENTRY", "PERSONS_EXIT", "PERSONS_ENTRY"],
    "trade": ["TRADE_VALUE_TOTAL_USD"],
    "patrols": ["PATROLS_TOTAL", "PATROLS_BILATERAL", "PATROLS_UNILATERAL", "PATROLS_JOINT"],
    "incidents": ["INCIDENTS_TOTAL"],
    "markers": ["MARKERS_DAMAGED"],
}
RATE_CODES = ("SELF_MGMT_HOUSEHOLDS", "HOUSEHOLDS_TOTAL")
CODES = frozenset(c for codes in SLUG_CODES.values() for c in codes) | frozenset(RATE_CODES)


def sourced_rows(*, user, unit, period: Period) -> dict:
    """indicator code → `documents.sources.SourcedRow` for the key figures' indicators (the report's rule)."""
    from borderdesk.documents import sources  # dashboards may read documents; reporting may not

    return sources.gather(user=user, unit=unit, period=period, codes=CODES).rows


def _pick(rows: dict, codes: list[str]):
    """(value, previous, plan, source, others) of the first code with a value, else the sum of the others."""
    first = rows.get(codes[0])
    if first is not None and first.value is not None:
        return first.value, first.previous_value, first.plan_value, first.source, dict(first.others)
    parts = [rows[c] for c in codes[1:] if c in rows and rows[c].value is not None]
    if not parts:
        plan = first.plan_value if first is not None else None
        return None, None, plan, "", {}
    prev = [p.previous_value for p in parts if p.previous_value is not None]
    plans = [p.plan_value for p in parts if p.plan_value is not None]
    srcs = {p.source for p in parts}
    return (
        sum((p.value for p in parts), Decimal(0)),
        sum(prev, Decimal(0)) if prev else None,
        (
            first.plan_value
            if first is not None and first.plan_value is not None
            else (sum(plans, Decimal(0)) if plans else None)
        ),
        srcs.pop() if len(srcs) == 1 else "mixed",
        {},
    )


def registry_url(slug: str, unit, period: Period) -> str:
    """Where a registry figure's records are listed."""
    if slug in ("crossings", "trade"):
        return reverse("dashboards:gates") + "?" + urlencode({"ky": period.key})
    return reverse(
        {"patrols": "frontier:tuan-tra_list", "incidents": "frontier:vu-viec_list"}.get(slug, "frontier:moc_list")
    )


def apply_sources(figures: dict, rows: dict, *, unit, period: Period) -> dict:
    """Fill the dashboard's `KeyFigure`s (from `selectors.FIGURES`) with the report's figures and sources."""
    for slug, codes in SLUG_CODES.items():
        f = figures[slug]
        f.value, f.previous, f.plan, f.source, f.others = _pick(rows, codes)
        if f.source == "registry":
            f.url = registry_url(slug, unit, period)
    households, total = rows.get(RATE_CODES[0]), rows.get(RATE_CODES[1])
    sm = figures["self_mgmt"]
    if households is not None and total is not None:
        sm.value = _rate(households.value, total.value)
        sm.previous = _rate(households.previous_value, total.previous_value)
        sm.source = households.source if households.source == total.source else "mixed"
    if sm.value is None:
        sm.source = ""
    return figures
