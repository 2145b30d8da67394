"""The user-facing reads of the reporting engine, narrowed to the user's scope: submissions, the review
queue, the forms a user may report on, the entry page's sections and the changes since approval.

Consolidation is in consolidation.py (its engine in aggregation.py), completeness in completeness.py and
the window rule, tree paths and plans in window.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from borderdesk.core import fragments, tables
from borderdesk.core.periods import Period
from borderdesk.core.scoping import Action, scope_for

from .aggregation import _Agg, _clean
from .choices import Status
from .models import (
    DataValue,
    Indicator,
    ReportForm,
    Submission,
)
from .window import predecessor_ids, window_q


# Submissions -----------------------------------------------------------------------------------------
def submissions_for_user(
    *,
    user,
    action: str = Action.VIEW,
    status: str = "",
    form_id: int | None = None,
    period_key: str = "",
    period: Period | None = None,
):
    """The user's reports; ``period``: those a consolidation of that window counts (:func:`window_q`)."""
    qs = Submission.objects.for_user(user, action).select_related("form", "form_version", "unit", "agency")
    if period is not None:
        qs = qs.filter(window_q(period))
    if status:
        qs = qs.filter(status=status)
    if form_id:
        qs = qs.filter(form_id=form_id)
    if period_key:
        qs = qs.filter(period_key=period_key.strip().upper())
    return qs.order_by("-period_end", "form__code", "unit_path", "pk")


def submission_get(*, user, pk: int, action: str = Action.VIEW) -> Submission:
    from borderdesk.core.scoping import get_for_user_or_404

    return get_for_user_or_404(
        Submission.objects.select_related("form", "form_version", "unit", "agency"), user, action, pk=pk
    )


def review_queue(*, user):
    """Submitted reports whose next pending approval level the user holds."""
    scope = scope_for(user, Action.APPROVE)
    qs = submissions_for_user(user=user, action=Action.APPROVE, status=Status.SUBMITTED).order_by("submitted_at", "pk")
    out = []
    for sub in qs:
        pending = next((lv for lv in sub.approval_levels or [] if not lv.get("approved_by")), None)
        if pending and scope.contains_unit(pending["unit_id"]):
            sub.pending_level = pending["unit"]
            out.append(sub)
    return out


def forms_for_user(*, user):
    return ReportForm.objects.prefetch_related("versions").order_by("code")


def reporter_history_values(*, submission: Submission, period: Period, memo: dict | None = None) -> dict[str, Decimal]:
    """The reporter's values (approved or submitted) of the same form for another period.

    A unit's history includes the units merged into it, so a commune created on 1/7/2025 sees the
    figures of its predecessor communes for 2024 and the first half of 2025. ``memo``: a dict kept for one
    page's reads (no write in between), where the units and each period's values are looked up once.
    """
    memo = {} if memo is None else memo
    if ("history", period.key) in memo:
        return memo[("history", period.key)]
    qs = DataValue.objects.filter(
        submission__form_id=submission.form_id,
        submission__period_key=period.key,
        submission__status__in=[Status.APPROVED, Status.SUBMITTED],
        value__isnull=False,
    )
    if submission.unit_id:
        if "units" not in memo:
            memo["units"] = {submission.unit_id} | predecessor_ids({submission.unit_id})
        qs = qs.filter(submission__unit_id__in=memo["units"])
    else:
        qs = qs.filter(submission__agency_id=submission.agency_id)
    rows = qs.values_list("indicator__code").annotate(s=Sum("value")).order_by()
    memo[("history", period.key)] = {code: _clean(s) for code, s in rows}
    return memo[("history", period.key)]


def reporter_history(*, user, submission: Submission) -> dict:
    """A :func:`reporter_history_values` memo holding the reporter's units and figures of the previous period
    and of the same period last year (submitted and approved reports only: no open edit changes them, so a figure
    saved in this report leaves them kept), kept as a page part for the report's form, reporter and period — the
    same for every user who may open the report (``core.fragments.shared``; ``user`` reads the generations)."""
    sub, period = submission, submission.period

    def compute() -> dict:
        memo: dict = {}
        for other in (period.previous(), period.same_period_last_year()):
            reporter_history_values(submission=sub, period=other, memo=memo)
        return memo

    parts = (sub.form_id, sub.unit_id, sub.agency_id, sub.period_key)
    with tables.ignoring_open_edits():
        return fragments.shared("reporter-history", parts, compute, reader=user)


@dataclass
class EntryRow:
    indicator: Indicator
    value: DataValue | None
    previous: Decimal | None
    same_period: Decimal | None
    below: _Agg | None = None  # approved figure of the reports below (communes, stations), if any
    # the parts that do not depend on the figures, as HTML (reporting.entry_parts.decorate)
    name_cell: str = ""
    unit_name: str = ""
    qualifier_options: str = ""


def form_indicators(version) -> dict[str, Indicator]:
    """{code: indicator} of a form version's indicators (one statement; a page's memo holds it as "indicators")."""
    return {i.code: i for i in Indicator.objects.filter(code__in=version.indicator_codes())}


def entry_sections(*, submission: Submission, below: dict | None = None, memo: dict | None = None) -> list[dict]:
    """The form's sections with, for each indicator, the stored value, last period and same period last year
    (and ``below``: code → figure of the reports below, see :mod:`borderdesk.reporting.below`; ``memo``: see
    :func:`reporter_history_values`, and its "values" and "indicators", the report's values and the form's
    indicators when already read)."""
    version = submission.form_version
    indicators = (memo or {}).get("indicators") or form_indicators(version)
    values = {dv.indicator_id: dv for dv in (memo or {}).get("values", None) or submission.values.all()}
    period = submission.period
    prev = reporter_history_values(submission=submission, period=period.previous(), memo=memo)
    same = reporter_history_values(submission=submission, period=period.same_period_last_year(), memo=memo)
    out = []
    for section in version.sections:
        rows = []
        for code in section.get("indicators", []):
            ind = indicators[code]
            rows.append(EntryRow(ind, values.get(ind.pk), prev.get(code), same.get(code), (below or {}).get(code)))
        out.append({"code": section.get("code", ""), "title": section.get("title", ""), "rows": rows})
    return out


def diff_since_approval(*, submission: Submission) -> list[dict]:
    """What changed since the last approval: [{"code", "name", "before", "after"}] (values and narratives)."""
    base = submission.approved_snapshot
    if not base:
        return []
    now = submission.values_snapshot()
    names = dict(
        Indicator.objects.filter(code__in=set(base["values"]) | set(now["values"])).values_list("code", "name_vi")
    )
    out = []
    for code in sorted(set(base["values"]) | set(now["values"])):
        b, a = base["values"].get(code), now["values"].get(code)
        if b != a:
            out.append({"code": code, "name": names.get(code, code), "before": b, "after": a})
    for sec in sorted(set(base["narratives"]) | set(now["narratives"])):
        b, a = base["narratives"].get(sec, ""), now["narratives"].get(sec, "")
        if b != a:
            out.append({"code": f"narrative:{sec}", "name": sec, "before": {"text": b}, "after": {"text": a}})
    return out
