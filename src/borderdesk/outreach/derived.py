"""Outreach derived figures for reporting (one aggregate query each; None when nothing is recorded for
the scope in the period, as in frontier.derived)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from borderdesk.core.places import figure_or_none, placed_q
from borderdesk.reporting.registry import register_batch, register_derived

from .models import Beneficiary, HouseholdCommitment, PropagandaSession

SOURCE = "outreach"


def _sessions(unit_ids, agency_ids, period, measure):
    agg = Count("id") if measure == "count" else Sum(measure)
    qs = PropagandaSession.objects.filter(
        placed_q(unit_ids, agency_ids), held_on__gte=period.start, held_on__lte=period.end
    )
    return figure_or_none(qs.aggregate(n=agg, any=Count("id")))


@register_derived("PROPAGANDA_SESSIONS", source=SOURCE, description="Buổi tuyên truyền pháp luật")
def propaganda_sessions(*, unit_ids, agency_ids, period):
    return _sessions(unit_ids, agency_ids, period, "count")


@register_derived("PROPAGANDA_LISTENERS", source=SOURCE, description="Lượt người nghe tuyên truyền")
def propaganda_listeners(*, unit_ids, agency_ids, period):
    return _sessions(unit_ids, agency_ids, period, "listeners")


@register_derived("LEAFLETS_DISTRIBUTED", source=SOURCE, description="Tờ rơi tuyên truyền đã phát")
def leaflets(*, unit_ids, agency_ids, period):
    return _sessions(unit_ids, agency_ids, period, "leaflets")


@register_derived("LEGAL_DOCUMENT_SETS", source=SOURCE, description="Bộ tài liệu tuyên truyền pháp luật")
def document_sets(*, unit_ids, agency_ids, period):
    return _sessions(unit_ids, agency_ids, period, "document_sets")


@register_derived("HOUSEHOLD_COMMITMENTS", source=SOURCE, description="Hộ gia đình ký cam kết chấp hành pháp luật")
def household_commitments(*, unit_ids, agency_ids, period):
    qs = HouseholdCommitment.objects.filter(
        placed_q(unit_ids, agency_ids), signed_on__gte=period.start, signed_on__lte=period.end
    )
    return figure_or_none(qs.aggregate(n=Sum("households"), any=Count("id")))


@register_derived(
    "PROGRAMME_BENEFICIARIES", source=SOURCE, description="Người được hỗ trợ từ các chương trình (trong kỳ)"
)
def programme_beneficiaries(*, unit_ids, agency_ids, period):
    cond = Q(support_from__lte=period.end) & (Q(support_to__isnull=True) | Q(support_to__gte=period.start))
    return figure_or_none(
        Beneficiary.objects.filter(placed_q(unit_ids, agency_ids)).aggregate(
            n=Count("id", filter=cond), any=Count("id")
        )
    )


SESSION_MEASURES = {
    "PROPAGANDA_SESSIONS": "count",
    "PROPAGANDA_LISTENERS": "listeners",
    "LEAFLETS_DISTRIBUTED": "leaflets",
    "LEGAL_DOCUMENT_SETS": "document_sets",
}


@register_batch(SESSION_MEASURES, source=SOURCE)
def sessions_batch(*, codes, unit_ids, agency_ids, period):
    """The propaganda figures in one query (the same values as the functions above)."""
    aggs = {
        c: Count("id") if SESSION_MEASURES[c] == "count" else Sum(SESSION_MEASURES[c])
        for c in codes
        if c in SESSION_MEASURES
    }
    qs = PropagandaSession.objects.filter(
        placed_q(unit_ids, agency_ids), held_on__gte=period.start, held_on__lte=period.end
    )
    row = qs.aggregate(any=Count("id"), **aggs)
    return {c: figure_or_none(row, c) for c in aggs}
