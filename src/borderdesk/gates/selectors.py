"""Reads for a user: gates and statistics already narrowed to the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Max, Sum

from borderdesk.core.collation import vi_order
from borderdesk.core.periods import CALENDAR, Period, parse_period
from borderdesk.core.scoping import Action

from .models import CrossingLogImport, GateDailyStat

CARGO = F("cargo_vehicles_export") + F("cargo_vehicles_import")


def stats_for_user(*, user, action: str = Action.VIEW):
    return GateDailyStat.objects.for_user(user, action)


def default_period(*, user) -> Period:
    """The calendar year that ends most recently before the user's latest statistic (demo: 2025)."""
    latest = stats_for_user(user=user).aggregate(d=Max("date"))["d"]
    year = (latest - dt.timedelta(days=31)).year if latest else dt.date.today().year
    return parse_period(str(year), CALENDAR)


def period_from_key(key: str | None, *, user, params=None):
    """The period chosen with the shared picker (``ky`` or its fields, ``quy_tac``; Decree 09 windows by
    default, as on every page): ``(period, error)``; with ``params`` also the picker state."""
    from borderdesk.core.period_picker import read_period

    choice = read_period(params if params is not None else {"ky": key or ""}, default=default_period(user=user))
    if params is not None:
        return choice
    return choice.period, choice.error


@dataclass
class GateSummary:
    gate_id: int
    name: str
    days: int
    persons_exit: int
    persons_entry: int
    cargo_export: int
    cargo_import: int
    rail_cars: int
    tonnes: Decimal
    export_usd: Decimal
    import_usd: Decimal

    @property
    def cargo(self) -> int:
        return self.cargo_export + self.cargo_import

    @property
    def per_day(self) -> Decimal | None:
        if not self.days:
            return None
        return (Decimal(self.cargo) / self.days).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def trade_usd(self) -> Decimal:
        return self.export_usd + self.import_usd


def summary_by_gate(*, user, period: Period, gate_id: int | None = None) -> list[GateSummary]:
    """One row per gate with statistics in the period (one grouped query)."""
    qs = stats_for_user(user=user).filter(date__gte=period.start, date__lte=period.end)
    if gate_id:
        qs = qs.filter(gate_id=gate_id)
    rows = (
        qs.order_by()
        .values("gate_id", "gate__name")
        .annotate(
            days=Count("id"),
            pe=Sum("persons_exit"),
            pi=Sum("persons_entry"),
            ce=Sum("cargo_vehicles_export"),
            ci=Sum("cargo_vehicles_import"),
            rc=Sum("rail_cars"),
            t=Sum("tonnes"),
            eu=Sum("export_usd"),
            iu=Sum("import_usd"),
        )
        .order_by(*vi_order("gate__name", "gate_id"))
    )
    return [
        GateSummary(
            r["gate_id"],
            r["gate__name"],
            r["days"],
            r["pe"] or 0,
            r["pi"] or 0,
            r["ce"] or 0,
            r["ci"] or 0,
            r["rc"] or 0,
            r["t"] or Decimal(0),
            r["eu"] or Decimal(0),
            r["iu"] or Decimal(0),
        )
        for r in rows
    ]


def daily_series(*, user, period: Period, gate_id: int | None = None) -> list[dict]:
    """Per day (all gates in scope, or one gate): cargo vehicles, export, import, waiting (one query)."""
    qs = stats_for_user(user=user).filter(date__gte=period.start, date__lte=period.end)
    if gate_id:
        qs = qs.filter(gate_id=gate_id)
    return list(
        qs.order_by()
        .values("date")
        .annotate(
            cargo=Sum(CARGO),
            export=Sum("cargo_vehicles_export"),
            imports=Sum("cargo_vehicles_import"),
            waiting=Sum("vehicles_waiting"),
            persons=Sum(F("persons_exit") + F("persons_entry")),
        )
        .order_by("date")
    )


def series_figures(series: list[dict]) -> dict:
    """Average and peak cargo vehicles per day (the same rule as the derived figures)."""
    if not series:
        return {"days": 0, "average": None, "peak": None, "peak_date": None, "total": 0}
    total = sum(r["cargo"] or 0 for r in series)
    peak = max(series, key=lambda r: (r["cargo"] or 0, -r["date"].toordinal()))
    return {
        "days": len(series),
        "total": total,
        "peak": peak["cargo"],
        "peak_date": peak["date"],
        "average": (Decimal(total) / len(series)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
    }


def bar_chart(series: list[dict], *, key: str = "cargo", width: int = 720, height: int = 160) -> dict:
    """Geometry of an inline SVG bar chart (no JavaScript): bars, the y-axis maximum, month ticks."""
    if not series:
        return {"bars": [], "width": width, "height": height}
    top = max((r[key] or 0) for r in series) or 1
    step = width / len(series)
    bar_w = max(step - (1 if step > 3 else 0), 0.5)
    bars, ticks = [], []
    for i, r in enumerate(series):
        value = r[key] or 0
        h = round(value / top * (height - 20), 1)
        bars.append(
            {
                "x": round(i * step, 2),
                "y": round(height - h, 1),
                "w": round(bar_w, 2),
                "h": h,
                "date": r["date"],
                "value": value,
            }
        )
        if r["date"].day == 1 or i == 0:
            ticks.append({"x": round(i * step, 2), "label": f"{r['date'].month}/{r['date'].year % 100:02d}"})
    if len(ticks) > 14:
        ticks = ticks[:: (len(ticks) + 11) // 12]
    return {"bars": bars, "width": width, "height": height, "top": top, "ticks": ticks}


def recent_log_imports(*, user, limit: int = 10):
    return CrossingLogImport.objects.for_user(user).select_related("user")[:limit]


def log_import_for_user(*, user, pk) -> CrossingLogImport | None:
    """One crossing-log import the user may see (None when missing, outside scope or not a number)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return CrossingLogImport.objects.for_user(user).select_related("user").filter(pk=pk).first()
