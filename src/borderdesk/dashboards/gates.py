"""Gate statistics for a period (moved here from the gates app): totals per gate, average and peak per day,
and the daily chart (chart.js, with its table)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from borderdesk.core.periods import DECREE09, Period, parse_period
from borderdesk.core.scoping import Action
from borderdesk.core.vn import format_date, format_number
from borderdesk.gates import selectors
from borderdesk.gates.models import BorderGate

from .selectors import chart as dashboard_chart


def gates_context(request) -> dict:
    picker = selectors.period_from_key(None, user=request.user, params=request.GET)  # the shared period picker
    period, period_error = picker.period, picker.error
    gates = list(BorderGate.objects.for_user(request.user).only("id", "name"))
    try:
        gate_id = int(request.GET.get("cua_khau") or 0) or None
    except ValueError:
        gate_id = None
    if gate_id and gate_id not in {g.pk for g in gates}:
        gate_id = None
    rows = selectors.summary_by_gate(user=request.user, period=period, gate_id=gate_id)
    series = selectors.daily_series(user=request.user, period=period, gate_id=gate_id)
    figures = selectors.series_figures(series)
    totals = {
        k: sum(getattr(r, k) for r in rows)
        for k in (
            "persons_exit",
            "persons_entry",
            "cargo_export",
            "cargo_import",
            "cargo",
            "rail_cars",
            "tonnes",
            "export_usd",
            "import_usd",
            "trade_usd",
        )
    }
    last = series[-1] if series else None
    previous = series[-2] if len(series) > 1 else None
    day_change = ""
    if last and previous and previous["date"] == last["date"] - dt.timedelta(days=1):
        diff = (last["cargo"] or 0) - (previous["cargo"] or 0)
        word = _("tăng") if diff > 0 else _("giảm") if diff < 0 else _("bằng")
        day_change = _("%(word)s %(n)s xe so với ngày %(d)s") % {
            "word": word,
            "n": format_number(abs(diff)),
            "d": format_date(previous["date"]),
        }
    chart = dashboard_chart(
        [format_date(r["date"]) for r in series],
        [(_("Xe hàng xuất"), [r["export"] for r in series]), (_("Xe hàng nhập"), [r["imports"] for r in series])],
    )
    return {
        "period": period,
        "period_key": request.GET.get("ky") or period.key,
        "period_error": period_error,
        "pc": picker,
        "gates": gates,
        "gate_id": gate_id,
        "rows": rows,
        "totals": totals,
        "figures": figures,
        "series": series,
        "chart": chart,
        "last": last,
        "day_change": day_change,
        "presets": [(p.key, p) for p in _presets(period, picker.rule)],
        "can_change": request.user.can(Action.CHANGE),
        "has_demo": selectors.stats_for_user(user=request.user)
        .filter(date__gte=period.start, date__lte=period.end, is_demo=True)
        .exists(),
    }


def _presets(period: Period, rule: str = DECREE09) -> list[Period]:
    """Last year, this year, its fourth quarter and December, in the rule the picker shows."""
    year = period.year
    return [
        parse_period(str(year - 1), rule),
        parse_period(str(year), rule),
        parse_period(f"{year}Q4", rule),
        parse_period(f"{year}M12", rule),
    ]
