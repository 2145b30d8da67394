"""Derived figures the periodic reports need, offered to reporting (one aggregate query each).

A row belongs to a reporting unit when its province, its unit (commune) or its agency is in the
unit's subtree / agencies. Merged duplicate incidents (merged_into set) are never counted.

Blank stays blank: an event figure (patrols, incidents, inspections, roads) is None when the registry
holds no row of that kind of event for the scope in the period (nothing recorded, so nothing to
pre-fill); it is 0 when rows exist but none match (e.g. patrols recorded, none bilateral). A state
figure (markers, self-management) is None when the scope has no markers / registrations at all.
The period condition is in the WHERE clause so the date indexes do the work.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from borderdesk.core.places import figure_or_none, placed_q
from borderdesk.reporting.registry import register_derived

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
    return figure_or_none(qs.aggregate(n=measure, any=Count("id")))


@register_derived("INCIDENTS_TOTAL", source=SOURCE,
                  description="Vụ việc xảy ra trên biên giới (không tính báo cáo trùng đã gộp)")
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
    last_state = Subquery(MarkerInspection.objects.filter(marker=OuterRef("pk"), inspected_on__lte=period.end)
                          .order_by("-inspected_on", "-id").values("state")[:1])
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
    qs = MarkerInspection.objects.filter(placed_q(unit_ids, agency_ids), inspected_on__gte=period.start,
                                         inspected_on__lte=period.end)
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
    qs = PatrolRoad.objects.filter(placed_q(unit_ids, agency_ids), built_on__gte=period.start,
                                   built_on__lte=period.end)
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
    return _self_mgmt(unit_ids, agency_ids, period,
                      lambda a: Count("id", filter=a & Q(registrant_kind=RegistrantKind.COLLECTIVE)))


@register_derived("SELF_MGMT_HOUSEHOLDS", source=SOURCE, description="Hộ gia đình đăng ký tự quản")
def self_mgmt_households(*, unit_ids, agency_ids, period):
    return _self_mgmt(unit_ids, agency_ids, period,
                      lambda a: Count("id", filter=a & Q(registrant_kind=RegistrantKind.HOUSEHOLD)))


@register_derived("SELF_MGMT_INDIVIDUALS", source=SOURCE, description="Cá nhân đăng ký tự quản")
def self_mgmt_individuals(*, unit_ids, agency_ids, period):
    return _self_mgmt(unit_ids, agency_ids, period,
                      lambda a: Count("id", filter=a & Q(registrant_kind=RegistrantKind.INDIVIDUAL)))


@register_derived("SELF_MGMT_KM", source=SOURCE, description="Km đường biên giới do nhân dân tự quản")
def self_mgmt_km(*, unit_ids, agency_ids, period):
    return _self_mgmt(unit_ids, agency_ids, period, lambda a: Sum("km", filter=a))


@register_derived("SELF_MGMT_MARKERS", source=SOURCE, description="Mốc do nhân dân tự quản")
def self_mgmt_markers(*, unit_ids, agency_ids, period):
    return _self_mgmt(unit_ids, agency_ids, period, lambda a: Count("markers", filter=a, distinct=True))
