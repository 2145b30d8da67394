"""Derived figures offered to reporting (registered in GatesConfig.ready).

Each is one aggregate query over the daily statistics of gates whose unit is in `unit_ids` (or whose
managing station is in `agency_ids`) and whose date is inside the period. None when there is no
statistic in the period, so a blank stays blank.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Max, Q, Sum

from borderdesk.reporting.registry import register_batch, register_derived

from .models import GateDailyStat

SOURCE = "gates"


def _stats(unit_ids, agency_ids, period):
    where = Q(gate__unit_id__in=list(unit_ids or ()))
    if agency_ids:
        where |= Q(gate__managing_station_id__in=list(agency_ids))
    return GateDailyStat.objects.filter(where, date__gte=period.start, date__lte=period.end)


def _sum(expr, *, unit_ids, agency_ids, period):
    row = _stats(unit_ids, agency_ids, period).aggregate(n=Count("id"), total=Sum(expr))
    if not row["n"]:
        return None
    return Decimal(row["total"] or 0)


@register_derived("PERSONS_EXIT", source=SOURCE, description="Tổng lượt người xuất cảnh qua các cửa khẩu")
def persons_exit(*, unit_ids, agency_ids, period):
    return _sum("persons_exit", unit_ids=unit_ids, agency_ids=agency_ids, period=period)


@register_derived("PERSONS_ENTRY", source=SOURCE, description="Tổng lượt người nhập cảnh qua các cửa khẩu")
def persons_entry(*, unit_ids, agency_ids, period):
    return _sum("persons_entry", unit_ids=unit_ids, agency_ids=agency_ids, period=period)


@register_derived("PERSONS_EXIT_ENTRY", source=SOURCE, description="Tổng lượt người xuất, nhập cảnh")
def persons_exit_entry(*, unit_ids, agency_ids, period):
    return _sum(F("persons_exit") + F("persons_entry"), unit_ids=unit_ids, agency_ids=agency_ids, period=period)


@register_derived("CARGO_VEHICLES", source=SOURCE, description="Tổng lượt xe hàng xuất, nhập khẩu")
def cargo_vehicles(*, unit_ids, agency_ids, period):
    return _sum(
        F("cargo_vehicles_export") + F("cargo_vehicles_import"), unit_ids=unit_ids, agency_ids=agency_ids, period=period
    )


@register_derived(
    "VEHICLES_PER_DAY_AVG",
    source=SOURCE,
    description="Xe hàng thông quan bình quân mỗi ngày = tổng xe hàng ÷ số ngày có số liệu",
)
def vehicles_per_day_avg(*, unit_ids, agency_ids, period):
    row = _stats(unit_ids, agency_ids, period).aggregate(
        days=Count("date", distinct=True), total=Sum(F("cargo_vehicles_export") + F("cargo_vehicles_import"))
    )
    if not row["days"]:
        return None
    return (Decimal(row["total"] or 0) / Decimal(row["days"])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@register_derived(
    "VEHICLES_PER_DAY_PEAK",
    source=SOURCE,
    description="Số xe hàng thông quan trong ngày cao điểm (tổng các cửa khẩu trong ngày)",
)
def vehicles_per_day_peak(*, unit_ids, agency_ids, period):
    # One query: per-day totals grouped by the database, the largest first.
    peak = (
        _stats(unit_ids, agency_ids, period)
        .order_by()
        .values("date")
        .annotate(day_total=Sum(F("cargo_vehicles_export") + F("cargo_vehicles_import")))
        .order_by("-day_total", "date")
        .values_list("day_total", flat=True)[:1]
    )
    peak = list(peak)
    return Decimal(peak[0] or 0) if peak else None


@register_derived(
    "VEHICLES_WAITING", source=SOURCE, description="Xe hàng tồn chờ thông quan vào ngày cuối cùng có số liệu trong kỳ"
)
def vehicles_waiting(*, unit_ids, agency_ids, period):
    qs = _stats(unit_ids, agency_ids, period)
    last = qs.aggregate(d=Max("date"))["d"]
    if last is None:
        return None
    return Decimal(qs.filter(date=last).aggregate(s=Sum("vehicles_waiting"))["s"] or 0)


@register_derived("RAIL_CARS_PER_DAY", source=SOURCE, description="Toa tàu liên vận bình quân mỗi ngày")
def rail_cars_per_day(*, unit_ids, agency_ids, period):
    row = (
        _stats(unit_ids, agency_ids, period)
        .filter(gate__mode="rail")
        .aggregate(days=Count("date", distinct=True), total=Sum("rail_cars"))
    )
    if not row["days"]:
        return None
    return (Decimal(row["total"] or 0) / Decimal(row["days"])).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


@register_derived("GOODS_TONNES", source=SOURCE, description="Khối lượng hàng hóa xuất nhập khẩu qua cửa khẩu (tấn)")
def goods_tonnes(*, unit_ids, agency_ids, period):
    return _sum("tonnes", unit_ids=unit_ids, agency_ids=agency_ids, period=period)


@register_derived("EXPORT_VALUE_USD", source=SOURCE, description="Kim ngạch xuất khẩu qua các cửa khẩu (USD)")
def export_value_usd(*, unit_ids, agency_ids, period):
    return _sum("export_usd", unit_ids=unit_ids, agency_ids=agency_ids, period=period)


@register_derived("IMPORT_VALUE_USD", source=SOURCE, description="Kim ngạch nhập khẩu qua các cửa khẩu (USD)")
def import_value_usd(*, unit_ids, agency_ids, period):
    return _sum("import_usd", unit_ids=unit_ids, agency_ids=agency_ids, period=period)


@register_derived(
    "TRADE_VALUE_TOTAL_USD",
    source=SOURCE,
    description="Tổng kim ngạch xuất nhập khẩu qua các cửa khẩu (USD) = xuất khẩu + nhập khẩu",
)
def trade_value_total_usd(*, unit_ids, agency_ids, period):
    return _sum(F("export_usd") + F("import_usd"), unit_ids=unit_ids, agency_ids=agency_ids, period=period)


SUMS = {
    "PERSONS_EXIT": F("persons_exit"),
    "PERSONS_ENTRY": F("persons_entry"),
    "PERSONS_EXIT_ENTRY": F("persons_exit") + F("persons_entry"),
    "CARGO_VEHICLES": F("cargo_vehicles_export") + F("cargo_vehicles_import"),
    "GOODS_TONNES": F("tonnes"),
    "EXPORT_VALUE_USD": F("export_usd"),
    "IMPORT_VALUE_USD": F("import_usd"),
    "TRADE_VALUE_TOTAL_USD": F("export_usd") + F("import_usd"),
}


@register_batch(SUMS, source=SOURCE)
def sums_batch(*, codes, unit_ids, agency_ids, period):
    """The summed gate figures in one query (the same values as the functions above)."""
    aggs = {c: Sum(SUMS[c]) for c in codes if c in SUMS}
    row = _stats(unit_ids, agency_ids, period).aggregate(n=Count("id"), **aggs)
    if not row["n"]:
        return dict.fromkeys(aggs)
    return {c: Decimal(row[c] or 0) for c in aggs}
