"""Derived figures the periodic reports need, offered to reporting (one aggregate query each).

A row belongs to a reporting unit when its province, its unit (commune) or its agency is in the
unit's subtree / agencies. Merged duplicate incidents (merged_into set) are never counted.

Missing is not zero (issue 13). The rule, for every figure here:

* a **count** is a figure only when the register is kept for the scope in the period: it holds at least
  one record of the scope dated in the period (patrols, inspections, roads, sessions...). Then 0 is a real
  figure ("0 vụ": patrols recorded, none bilateral). The incident register is kept where the stations
  record patrols too: a period with patrols and no incident is a real "0 vụ" (the patrol teams report what
  they find); without patrols or incidents it is None;
* a **measure** (km, participants, persons, listeners: a Sum) is a figure only when at least one record
  of the kind counted carries it; no such record → None, never 0 (a road register with only inspection
  roads built in the year has no patrol-road length, not "0 km");
* a **state** figure (markers, self-management) is None when the scope has no markers / registrations.
The period condition is in the WHERE clause so the date indexes do the work.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from borderdesk.core.places import figure_or_none, placed_q
from borderdesk.reporting.registry import register_batch, register_derived

from .choices import (
    BAD_STATES,
    CATEGORY_INDICATORS,
    GOOD_STATES,
    MarkerState,
    PatrolKind,
    RegistrantKind,
    RoadKind,
)
from .models import Incident, Marker, MarkerInspection, Patrol, PatrolRoad, SelfManagementRegistration

SOURCE = "frontier"


def _bounds(period) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) as aware datetimes for datetime columns."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


# ---------------------------------------------------------------- patrols


def _patrols(unit_ids, agency_ids, period, extra: Q, agg="count"):
    start, end = _bounds(period)
    measure = Count("id", filter=extra) if agg == "count" else Sum("participants", filter=extra)
    qs = Patrol.objects.filter(placed_q(unit_ids, agency_ids), started_at__gte=start, started_at__lt=end)
    return figure_or_none(qs.aggregate(n=measure, any=Count("id")))


@register_derived("PATROLS_BILATERAL", source=SOURCE, description="Tuần tra song phương với lực lượng nước láng giềng")
def patrols_bilateral(*, unit_ids, agency_ids, period):
    return _patrols(unit_ids, agency_ids, period, Q(kind=PatrolKind.BILATERAL))


@register_derived("PATROLS_UNILATERAL", source=SOURCE, description="Tuần tra đơn phương")
def patrols_unilateral(*, unit_ids, agency_ids, period):
    return _patrols(unit_ids, agency_ids, period, Q(kind=PatrolKind.UNILATERAL))


@register_derived("PATROLS_JOINT", source=SOURCE, description="Tuần tra phối hợp")
def patrols_joint(*, unit_ids, agency_ids, period):
    return _patrols(unit_ids, agency_ids, period, Q(kind=PatrolKind.JOINT))


@register_derived("PATROLS_TOTAL", source=SOURCE, description="Tổng số lượt tuần tra (mọi hình thức)")
def patrols_total(*, unit_ids, agency_ids, period):
    return _patrols(unit_ids, agency_ids, period, Q())


@register_derived("PATROL_PARTICIPANTS", source=SOURCE, description="Lượt người tham gia tuần tra")
def patrol_participants(*, unit_ids, agency_ids, period):
    return _patrols(unit_ids, agency_ids, period, Q(), agg="sum")


# ---------------------------------------------------------------- incidents


def _incidents(unit_ids, agency_ids, period, extra: Q, field="occurred_at", agg="count"):
    start, end = _bounds(period)
    occurred = Q(occurred_at__gte=start, occurred_at__lt=end)
    cond = Q(**{f"{field}__gte": start, f"{field}__lt": end}) & extra
    measure = Count("id", filter=cond) if agg == "count" else Sum("persons_involved", filter=cond)
    where = occurred if field == "occurred_at" else occurred | Q(**{f"{field}__gte": start, f"{field}__lt": end})
    qs = Incident.objects.filter(placed_q(unit_ids, agency_ids), where, merged_into__isnull=True)
    row = qs.aggregate(n=measure, any=Count("id"))
    if not row["any"] and agg == "count" and _patrols_kept(unit_ids, agency_ids, start, end):
        row["any"] = 1  # the stations patrolled and recorded no incident: a real "0 vụ"
    return figure_or_none(row)


def _patrols_kept(unit_ids, agency_ids, start, end) -> bool:
    return Patrol.objects.filter(placed_q(unit_ids, agency_ids), started_at__gte=start, started_at__lt=end).exists()


@register_derived(
    "INCIDENTS_TOTAL", source=SOURCE, description="Vụ việc xảy ra trên biên giới (không tính báo cáo trùng đã gộp)"
)
def incidents_total(*, unit_ids, agency_ids, period):
    return _incidents(unit_ids, agency_ids, period, Q())


@register_derived("INCIDENTS_RESOLVED", source=SOURCE, description="Vụ việc đã giải quyết trong kỳ")
def incidents_resolved(*, unit_ids, agency_ids, period):
    return _incidents(unit_ids, agency_ids, period, Q(), field="resolved_at")


def _category_fn(indicator_code: str, category_code: str):
    def compute(*, unit_ids, agency_ids, period):
        return _incidents(unit_ids, agency_ids, period, Q(category__indicator_code=indicator_code))

    compute.__name__ = f"incidents_{category_code}"
    return compute


for _code, (_cat, _desc) in CATEGORY_INDICATORS.items():
    register_derived(_code, source=SOURCE, description=_desc)(_category_fn(_code, _cat))


@register_derived("ILLEGAL_CROSSING_PERSONS", source=SOURCE, description="Người xuất cảnh, nhập cảnh trái phép")
def illegal_crossing_persons(*, unit_ids, agency_ids, period):
    return _incidents(unit_ids, agency_ids, period, Q(category__code="illegal_crossing"), agg="sum")


# ---------------------------------------------------------------- markers


def _marker_states(unit_ids, agency_ids, period, states) -> Decimal | None:
    last_state = Subquery(
        MarkerInspection.objects.filter(marker=OuterRef("pk"), inspected_on__lte=period.end)
        .order_by("-inspected_on", "-id")
        .values("state")[:1]
    )
    qs = Marker.objects.filter(placed_q(unit_ids, agency_ids)).annotate(last_state=last_state)
    return figure_or_none(qs.aggregate(n=Count("id", filter=Q(last_state__in=list(states))), any=Count("id")))


@register_derived("MARKERS_INTACT", source=SOURCE, description="Mốc nguyên trạng (lần kiểm tra gần nhất đến cuối kỳ)")
def markers_intact(*, unit_ids, agency_ids, period):
    return _marker_states(unit_ids, agency_ids, period, GOOD_STATES)


@register_derived("MARKERS_DAMAGED", source=SOURCE, description="Mốc hư hỏng, xê dịch, mất (lần kiểm tra gần nhất)")
def markers_damaged(*, unit_ids, agency_ids, period):
    return _marker_states(unit_ids, agency_ids, period, BAD_STATES)


@register_derived("MARKERS_TOTAL", source=SOURCE, description="Tổng số mốc trong danh mục")
def markers_total(*, unit_ids, agency_ids, period):
    n = Marker.objects.filter(placed_q(unit_ids, agency_ids)).aggregate(n=Count("id"))["n"]
    return Decimal(n) if n else None


def _inspections(unit_ids, agency_ids, period, extra: Q, distinct_markers=False):
    measure = Count("marker", filter=extra, distinct=True) if distinct_markers else Count("id", filter=extra)
    qs = MarkerInspection.objects.filter(
        placed_q(unit_ids, agency_ids), inspected_on__gte=period.start, inspected_on__lte=period.end
    )
    return figure_or_none(qs.aggregate(n=measure, any=Count("id")))


@register_derived("MARKER_INSPECTIONS", source=SOURCE, description="Lượt kiểm tra mốc trong kỳ")
def marker_inspections(*, unit_ids, agency_ids, period):
    return _inspections(unit_ids, agency_ids, period, Q())


@register_derived("MARKERS_REPAIRED", source=SOURCE, description="Mốc được sửa chữa, khôi phục trong kỳ")
def markers_repaired(*, unit_ids, agency_ids, period):
    return _inspections(unit_ids, agency_ids, period, Q(state=MarkerState.REPAIRED), distinct_markers=True)


# ---------------------------------------------------------------- roads


def _roads(unit_ids, agency_ids, period, kind, agg):
    cond = Q(kind=kind)
    measure = Count("id", filter=cond) if agg == "count" else Sum("length_km", filter=cond)
    qs = PatrolRoad.objects.filter(placed_q(unit_ids, agency_ids), built_on__gte=period.start, built_on__lte=period.end)
    return figure_or_none(qs.aggregate(n=measure, any=Count("id")))


@register_derived("INSPECTION_ROADS_BUILT", source=SOURCE, description="Đường kiểm tra cột mốc hoàn thành trong kỳ")
def inspection_roads_built(*, unit_ids, agency_ids, period):
    return _roads(unit_ids, agency_ids, period, RoadKind.INSPECTION, "count")


@register_derived("PATROL_ROAD_KM", source=SOURCE, description="Km đường tuần tra hoàn thành trong kỳ")
def patrol_road_km(*, unit_ids, agency_ids, period):
    return _roads(unit_ids, agency_ids, period, RoadKind.PATROL, "sum")


# ---------------------------------------------------------------- self-management (Directive 01)


def _self_mgmt(unit_ids, agency_ids, period, measure_fn):
    day = period.end
    active = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    qs = SelfManagementRegistration.objects.filter(placed_q(unit_ids, agency_ids))
    return figure_or_none(qs.aggregate(n=measure_fn(active), any=Count("id")))


@register_derived("SELF_MGMT_COLLECTIVES", source=SOURCE, description="Tập thể đăng ký tự quản (đang hiệu lực cuối kỳ)")
def self_mgmt_collectives(*, unit_ids, agency_ids, period):
    return _self_mgmt(
        unit_ids, agency_ids, period, lambda a: Count("id", filter=a & Q(registrant_kind=RegistrantKind.COLLECTIVE))
    )


@register_derived("SELF_MGMT_HOUSEHOLDS", source=SOURCE, description="Hộ gia đình đăng ký tự quản")
def self_mgmt_households(*, unit_ids, agency_ids, period):
    return _self_mgmt(
        unit_ids, agency_ids, period, lambda a: Count("id", filter=a & Q(registrant_kind=RegistrantKind.HOUSEHOLD))
    )


@register_derived("SELF_MGMT_INDIVIDUALS", source=SOURCE, description="Cá nhân đăng ký tự quản")
def self_mgmt_individuals(*, unit_ids, agency_ids, period):
    return _self_mgmt(
        unit_ids, agency_ids, period, lambda a: Count("id", filter=a & Q(registrant_kind=RegistrantKind.INDIVIDUAL))
    )


@register_derived("SELF_MGMT_KM", source=SOURCE, description="Km đường biên giới do nhân dân tự quản")
def self_mgmt_km(*, unit_ids, agency_ids, period):
    return _self_mgmt(unit_ids, agency_ids, period, lambda a: Sum("km", filter=a))


@register_derived("SELF_MGMT_MARKERS", source=SOURCE, description="Mốc do nhân dân tự quản")
def self_mgmt_markers(*, unit_ids, agency_ids, period):
    return _self_mgmt(unit_ids, agency_ids, period, lambda a: Count("markers", filter=a, distinct=True))


# ---------------------------------------------------------------- batches (one query per register)

PATROL_CODES = {
    "PATROLS_BILATERAL": Q(kind=PatrolKind.BILATERAL),
    "PATROLS_UNILATERAL": Q(kind=PatrolKind.UNILATERAL),
    "PATROLS_JOINT": Q(kind=PatrolKind.JOINT),
    "PATROLS_TOTAL": Q(),
}


@register_batch([*PATROL_CODES, "PATROL_PARTICIPANTS"], source=SOURCE)
def patrols_batch(*, codes, unit_ids, agency_ids, period):
    start, end = _bounds(period)
    aggs = {c: Count("id", filter=q) for c, q in PATROL_CODES.items() if c in codes}
    if "PATROL_PARTICIPANTS" in codes:
        aggs["PATROL_PARTICIPANTS"] = Sum("participants")
    row = Patrol.objects.filter(placed_q(unit_ids, agency_ids), started_at__gte=start, started_at__lt=end).aggregate(
        any=Count("id"), **aggs
    )
    return {c: figure_or_none(row, c) for c in aggs}


INCIDENT_COUNTS = ["INCIDENTS_TOTAL", "INCIDENTS_RESOLVED", *CATEGORY_INDICATORS]


@register_batch([*INCIDENT_COUNTS, "ILLEGAL_CROSSING_PERSONS"], source=SOURCE)
def incidents_batch(*, codes, unit_ids, agency_ids, period):
    """The incident figures of one scope and period in one query (same rule as `_incidents`)."""
    start, end = _bounds(period)
    occurred = Q(occurred_at__gte=start, occurred_at__lt=end)
    resolved = Q(resolved_at__gte=start, resolved_at__lt=end)
    aggs = {}
    for c in codes:
        if c == "INCIDENTS_TOTAL":
            aggs[c] = Count("id", filter=occurred)
        elif c == "INCIDENTS_RESOLVED":
            aggs[c] = Count("id", filter=resolved)
        elif c == "ILLEGAL_CROSSING_PERSONS":
            aggs[c] = Sum("persons_involved", filter=occurred & Q(category__code="illegal_crossing"))
        elif c in CATEGORY_INDICATORS:
            aggs[c] = Count("id", filter=occurred & Q(category__indicator_code=c))
    qs = Incident.objects.filter(placed_q(unit_ids, agency_ids), occurred | resolved, merged_into__isnull=True)
    row = qs.aggregate(n_occurred=Count("id", filter=occurred), n_any=Count("id"), **aggs)
    patrolled = None
    out = {}
    for c in aggs:  # the same rule as `_incidents`, code by code
        any_ = row["n_any"] if c == "INCIDENTS_RESOLVED" else row["n_occurred"]
        if not any_ and c != "ILLEGAL_CROSSING_PERSONS":
            if patrolled is None:
                patrolled = _patrols_kept(unit_ids, agency_ids, start, end)
            any_ = patrolled
        out[c] = figure_or_none({"any": any_, "n": row[c]})
    return out


@register_batch(["MARKERS_INTACT", "MARKERS_DAMAGED", "MARKERS_TOTAL"], source=SOURCE)
def markers_batch(*, codes, unit_ids, agency_ids, period):
    last_state = Subquery(
        MarkerInspection.objects.filter(marker=OuterRef("pk"), inspected_on__lte=period.end)
        .order_by("-inspected_on", "-id")
        .values("state")[:1]
    )
    qs = Marker.objects.filter(placed_q(unit_ids, agency_ids))
    if codes & {"MARKERS_INTACT", "MARKERS_DAMAGED"}:
        qs = qs.annotate(last_state=last_state)
        row = qs.aggregate(
            any=Count("id"),
            MARKERS_INTACT=Count("id", filter=Q(last_state__in=list(GOOD_STATES))),
            MARKERS_DAMAGED=Count("id", filter=Q(last_state__in=list(BAD_STATES))),
        )
    else:
        row = qs.aggregate(any=Count("id"))
    row["MARKERS_TOTAL"] = row["any"]
    return {c: figure_or_none(row, c) for c in codes}


@register_batch(["MARKER_INSPECTIONS", "MARKERS_REPAIRED"], source=SOURCE)
def inspections_batch(*, codes, unit_ids, agency_ids, period):
    qs = MarkerInspection.objects.filter(
        placed_q(unit_ids, agency_ids), inspected_on__gte=period.start, inspected_on__lte=period.end
    )
    row = qs.aggregate(
        any=Count("id"),
        MARKER_INSPECTIONS=Count("id"),
        MARKERS_REPAIRED=Count("marker", filter=Q(state=MarkerState.REPAIRED), distinct=True),
    )
    return {c: figure_or_none(row, c) for c in codes}


SELF_MGMT = {
    "SELF_MGMT_COLLECTIVES": lambda a: Count("id", filter=a & Q(registrant_kind=RegistrantKind.COLLECTIVE)),
    "SELF_MGMT_HOUSEHOLDS": lambda a: Count("id", filter=a & Q(registrant_kind=RegistrantKind.HOUSEHOLD)),
    "SELF_MGMT_INDIVIDUALS": lambda a: Count("id", filter=a & Q(registrant_kind=RegistrantKind.INDIVIDUAL)),
    "SELF_MGMT_KM": lambda a: Sum("km", filter=a),
    "SELF_MGMT_MARKERS": lambda a: Count("markers", filter=a, distinct=True),
}


@register_batch(SELF_MGMT, source=SOURCE)
def self_mgmt_batch(*, codes, unit_ids, agency_ids, period):
    day = period.end
    active = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    qs = SelfManagementRegistration.objects.filter(placed_q(unit_ids, agency_ids))
    # the markers join multiplies rows: "any" and the other figures are distinct over registrations
    aggs = {c: SELF_MGMT[c](active) for c in codes if c in SELF_MGMT}
    if "SELF_MGMT_MARKERS" in aggs and len(aggs) > 1:
        rest = {c: f for c, f in aggs.items() if c != "SELF_MGMT_MARKERS"}
        row = qs.aggregate(any=Count("id"), **rest)
        row.update(qs.aggregate(SELF_MGMT_MARKERS=aggs["SELF_MGMT_MARKERS"]))
    else:
        row = qs.aggregate(any=Count("id"), **aggs)
    return {c: figure_or_none(row, c) for c in aggs}
