"""Every read of the reporting engine, narrowed to the user's scope.

Consolidation is a few aggregate queries: values of the submissions whose window lies inside the
period and whose reporting unit's tree path starts with the unit's path (or the path of one of its
predecessors, so a commune created on 1/7/2025 also sums the communes merged into it), grouped by
indicator and reporter. Python then applies the indicator's aggregation rule over the reporters, not
over the values.

Two rules keep figures from being counted twice:

* a reporter's submissions whose window lies inside another of its own submissions' windows are left
  out (a unit's monthly reports do not add to its annual report of the same period);
* for each indicator, a figure reported by a unit (or an agency located in it) covers its area: the
  figures of reporters inside that area are not added again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum, Value
from django.db.models.functions import NullIf, Round
from django.utils.translation import gettext as _

from borderdesk.core import vn
from borderdesk.core.errors import NotFoundError
from borderdesk.core.periods import Period, parse_period
from borderdesk.core.scoping import Action, scope_for
from borderdesk.org.models import AdministrativeUnit, Agency, UnitSuccession, valid_on_q

from . import rollup
from .choices import DEFAULT_NARRATIVE_SECTIONS, Aggregation, Status
from .models import (
    DataValue,
    FormVersion,
    Indicator,
    Narrative,
    ReportForm,
    RollupMember,
    RollupValue,
    Submission,
)

HUNDRED = Decimal(100)


@dataclass
class NarrativePiece:
    unit: str
    text: str
    submission_id: int | None = None


@dataclass
class ConsolidatedRow:
    indicator: Indicator
    value: Decimal | None
    qualifier: str = ""
    previous_value: Decimal | None = None
    change_abs: Decimal | None = None
    change_pct: Decimal | None = None
    plan_value: Decimal | None = None
    plan_pct: Decimal | None = None
    contributors: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    previous_qualifier: str = ""
    # How the plan was found (reporting/plans.py): exact | pro_rata | as_of, from which target period.
    plan_method: str = ""
    plan_basis: Period | None = None
    plan_full: Decimal | None = None
    plan_share: Decimal | None = None

    @property
    def display_value(self) -> str:
        """"trên 86 tỷ USD", "khoảng 1.700 lượt xe/ngày" (the figure as a report writes it)."""
        return vn.format_with_qualifier(self.value, self.indicator.unit, self.qualifier)

    @property
    def display_previous(self) -> str:
        return vn.format_with_qualifier(self.previous_value, self.indicator.unit, self.previous_qualifier)

    @property
    def display_plan(self) -> str:
        return vn.format_amount(self.plan_value, self.indicator.unit) if self.plan_value is not None else ""

    @property
    def display_change(self) -> str:
        if self.change_abs is None:
            return ""
        sign = "+" if self.change_abs > 0 else ("−" if self.change_abs < 0 else "")
        return sign + vn.format_amount(abs(self.change_abs))

    @property
    def compare_phrase(self) -> str:
        return vn.compare_phrase(self.value, self.previous_value)

    @property
    def plan_phrase(self) -> str:
        return vn.compare_phrase(self.value, self.plan_value, kind="plan")

    @property
    def trend(self) -> str:
        """"good", "bad" or "" — the change read with the indicator's direction."""
        if self.change_abs is None or self.change_abs == 0 or self.indicator.higher_is_better is None:
            return ""
        return "good" if (self.change_abs > 0) == self.indicator.higher_is_better else "bad"


@dataclass
class Consolidation:
    unit: AdministrativeUnit
    period: Period
    rows: list[ConsolidatedRow]
    narratives: dict[str, list[NarrativePiece]]
    expected_units: list = field(default_factory=list)
    reporting_units: list = field(default_factory=list)
    missing_units: list = field(default_factory=list)
    include_submitted: bool = False
    form: ReportForm | None = None
    # Reports the window cuts across (another rule's months): counted by their end date, or left to the
    # next window — {"counted": [...], "deferred": [...], "counted_keys", "deferred_keys"}.
    straddling: dict = field(default_factory=dict)
    # Predecessors split between this unit and others (2025 reform): their figures appear in full in
    # the same period last year of each successor, so the comparison is approximate.
    shared_predecessors: list[dict] = field(default_factory=list)

    def row(self, code: str) -> ConsolidatedRow | None:
        return next((r for r in self.rows if r.indicator.code == code), None)


# Tree helpers ----------------------------------------------------------------------------------------
def predecessor_ids(unit_ids: set[int]) -> set[int]:
    """The units merged (transitively) into ``unit_ids``."""
    result, frontier = set(), set(unit_ids)
    while frontier:
        preds = set(UnitSuccession.objects.filter(successor_id__in=frontier).values_list("predecessor_id", flat=True))
        frontier = preds - result - set(unit_ids)
        result |= frontier
    return result


def shared_predecessors(unit: AdministrativeUnit) -> list[dict]:
    """Predecessors of ``unit`` that were split: also succeeded by units outside it.

    ``[{"name": "Xã Thụy Hùng", "others": ["Xã ..."]}]``. Their whole figures count in the unit's history.
    """
    preds = predecessor_ids({unit.pk})
    if not preds:
        return []
    inside = set(AdministrativeUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True)) | preds
    out: dict[str, list] = defaultdict(list)
    for pred, other in (UnitSuccession.objects.filter(predecessor_id__in=preds).exclude(successor_id__in=inside)
                        .values_list("predecessor__name", "successor__name")):
        out[pred].append(other)
    return [{"name": k, "others": sorted(set(v), key=vn.sort_key)} for k, v in sorted(out.items())]


def root_paths(unit: AdministrativeUnit) -> list[str]:
    """The unit's path and those of its predecessors (not already inside it)."""
    paths = [unit.path]
    preds = predecessor_ids({unit.pk})
    if preds:
        for p in sorted(AdministrativeUnit.objects.filter(pk__in=preds).values_list("path", flat=True)):
            if not any(p.startswith(q) for q in paths):
                paths.append(p)
    return paths


def _prefix_q(paths: list[str], field_name: str) -> Q:
    """Like :func:`_path_q`, as index ranges on SQLite (its LIKE cannot use an index; paths are ASCII and
    its default collation is binary, so ``'/1/2/' <= path < '/1/20'`` is exactly the prefix)."""
    if connection.vendor != "sqlite":
        return _path_q(paths, field_name)
    q = Q()
    for p in paths:
        q |= Q(**{f"{field_name}__gte": p, f"{field_name}__lt": p[:-1] + chr(ord(p[-1]) + 1)})
    return q


def _path_q(paths: list[str], field_name: str) -> Q:
    q = Q()
    for p in paths:
        q |= Q(**{f"{field_name}__startswith": p})
    return q


def subtree_ids_for(*, submission: Submission) -> tuple[frozenset[int], frozenset[int]]:
    """Units (and predecessors) under the reporter as it stood in the period; agencies located there."""
    period = submission.period
    if submission.unit_id:
        paths = root_paths(submission.unit)
        units = AdministrativeUnit.objects.filter(_path_q(paths, "path")).overlapping(period.start, period.end)
        unit_ids = frozenset(units.values_list("pk", flat=True))
        agency_ids = frozenset(Agency.objects.filter(unit_id__in=unit_ids).values_list("pk", flat=True))
        return unit_ids, agency_ids
    ids, frontier = {submission.agency_id}, {submission.agency_id}
    while frontier:
        frontier = set(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    return frozenset({submission.agency.unit_id}), frozenset(ids)


# Submissions -----------------------------------------------------------------------------------------
def submissions_for_user(*, user, action: str = Action.VIEW, status: str = "", form_id: int | None = None,
                         period_key: str = "", period: Period | None = None):
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

    return get_for_user_or_404(Submission.objects.select_related("form", "form_version", "unit", "agency"),
                               user, action, pk=pk)


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


def reporter_history_values(*, submission: Submission, period: Period) -> dict[str, Decimal]:
    """The reporter's values (approved or submitted) of the same form for another period.

    A unit's history includes the units merged into it, so a commune created on 1/7/2025 sees the
    figures of its predecessor communes for 2024 and the first half of 2025.
    """
    qs = DataValue.objects.filter(submission__form_id=submission.form_id, submission__period_key=period.key,
                                  submission__status__in=[Status.APPROVED, Status.SUBMITTED],
                                  value__isnull=False)
    if submission.unit_id:
        ids = {submission.unit_id} | predecessor_ids({submission.unit_id})
        qs = qs.filter(submission__unit_id__in=ids)
    else:
        qs = qs.filter(submission__agency_id=submission.agency_id)
    rows = qs.values_list("indicator__code").annotate(s=Sum("value")).order_by()
    return {code: _clean(s) for code, s in rows}


@dataclass
class EntryRow:
    indicator: Indicator
    value: DataValue | None
    previous: Decimal | None
    same_period: Decimal | None
    below: _Agg | None = None      # approved figure of the reports below (communes, stations), if any


def entry_sections(*, submission: Submission, below: dict | None = None) -> list[dict]:
    """The form's sections with, for each indicator, the stored value, last period and same period last year
    (and ``below``: code → figure of the reports below, see :mod:`borderdesk.reporting.below`)."""
    version = submission.form_version
    codes = version.indicator_codes()
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    values = {dv.indicator_id: dv for dv in submission.values.all()}
    period = submission.period
    prev = reporter_history_values(submission=submission, period=period.previous())
    same = reporter_history_values(submission=submission, period=period.same_period_last_year())
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
    from .services import values_snapshot

    base = submission.approved_snapshot
    if not base:
        return []
    now = values_snapshot(submission)
    names = dict(Indicator.objects.filter(code__in=set(base["values"]) | set(now["values"]))
                 .values_list("code", "name_vi"))
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


# Consolidation ---------------------------------------------------------------------------------------
@dataclass
class _Agg:
    value: Decimal | None
    qualifier: str
    contributors: list[tuple]  # reporter keys
    quotes: list[str]


# Decree 09 and calendar boundaries are at most 17 days apart (15/12 → 1/1, 14th → 31st).
STRADDLE_DAYS = 17


def window_q(period: Period, prefix: str = "") -> Q:
    """The reports a window counts: those inside it, and those that a boundary of another rule cuts (they
    start at most :data:`STRADDLE_DAYS` before the window) counted by the day their data ends — a Decree 09
    month 15/12/2024–14/01/2025 counts in the calendar year 2025, 15/12/2025–14/01/2026 in 2026."""
    return Q(**{f"{prefix}period_start__gte": period.start - dt.timedelta(days=STRADDLE_DAYS),
                f"{prefix}period_end__gte": period.start, f"{prefix}period_end__lte": period.end})


def _window_submissions(paths: list[str], period: Period, statuses: list[str], form: ReportForm | None,
                        strictly_below: bool = False):
    qs = Submission.objects.filter(window_q(period), status__in=statuses)
    qs = qs.filter(_path_q(paths, "unit_path"))
    if strictly_below:  # the reports of the units (and agencies located) below, not the area's own
        qs = qs.exclude(unit_path__in=paths)
    if form is not None:
        qs = qs.filter(form=form)
    return qs


def _rkey(unit_id, agency_id) -> tuple:
    return ("u", unit_id) if unit_id else ("a", agency_id)


def _aggregate(paths: list[str], period: Period, statuses: list[str], form: ReportForm | None,
               indicators: dict[int, Indicator], *, use_rollup: bool = True
               ) -> tuple[dict[int, _Agg], dict[tuple, str], list[int]]:
    """indicator id → aggregate; reporter key → path; ids of the submissions counted.

    Bucket windows (year, 6 months, second half, 9 months) of approved data read the rollup rows;
    anything else reads the values.
    """
    parts = None
    if (use_rollup and Status.SUBMITTED in statuses and rollup.is_bucket(period)
            and not _window_submissions(paths, period, [Status.SUBMITTED], form).exists()):
        statuses = [Status.APPROVED]  # nothing awaits approval in the window: the approved figures are all
    if use_rollup and statuses == [Status.APPROVED] and rollup.is_bucket(period):
        parts = _parts_from_rollup(paths, period, form, indicators)
        if isinstance(parts, _Done):
            return parts.result, parts.rpath, list(parts.sub_keys)
    if parts is None:
        parts = _parts_from_values(paths, period, statuses, form, indicators)
    if parts is None:
        return {}, {}, []
    per_ind, quals, quoted, rpath, sub_keys = parts
    return _finish(per_ind, quals, quoted, rpath, sub_keys, period, indicators), rpath, list(sub_keys)


def window_straddlers(paths: list[str], period: Period, statuses: list[str], form: ReportForm | None) -> dict:
    """Reports whose window the period's window cuts: ``counted`` (started before it, end inside it) and
    ``deferred`` (start inside it, end after it: they count in the next window). Shown on the page."""
    empty = {"counted": [], "deferred": [], "counted_keys": [], "deferred_keys": [], "counted_periods": [],
             "deferred_periods": []}
    base = Submission.objects.filter(_prefix_q(paths, "unit_path"), status__in=statuses)
    if form is not None:
        base = base.filter(form=form)
    if period.kind != "cutoff":
        # Windows of one rule never cut each other: only reports of forms under another rule can straddle.
        versions = FormVersion.objects.filter(form=form) if form is not None else FormVersion.objects.all()
        other = [pk for pk, spec in versions.values_list("pk", "period_spec") if rollup.rule_of(spec) != period.rule]
        if not other:
            return empty
        base = base.filter(form_version_id__in=other)
    early = period.start - dt.timedelta(days=STRADDLE_DAYS)
    counted = base.filter(period_start__gte=early, period_start__lt=period.start, period_end__gte=period.start,
                          period_end__lte=period.end)
    deferred = base.filter(period_start__gte=early, period_start__lte=period.end, period_end__gt=period.end,
                           period_end__lte=period.end + dt.timedelta(days=STRADDLE_DAYS))
    out: dict = {}
    for name, qs in (("counted", counted), ("deferred", deferred)):
        rows = list(qs.order_by("period_start", "unit_path", "pk").values("pk", "period_key", "period_start",
                                                                            "period_end")[:1000])
        out[name] = rows
        out[f"{name}_keys"] = sorted({r["period_key"] for r in rows})
        out[f"{name}_periods"] = _periods_of(out[f"{name}_keys"])
    return out


def _periods_of(keys: list[str]) -> list[Period]:
    """Periods named by keys, for their labels (a label does not depend on the rule)."""
    out = []
    for key in keys:
        try:
            out.append(parse_period(key))
        except ValueError:
            continue
    return sorted(out)


def rollup_differences(*, unit, period: Period, form: ReportForm | None = None) -> list[str]:
    """Where the rollup and the values disagree for one consolidation (empty when they agree)."""
    paths = root_paths(unit)
    indicators = {i.pk: i for i in Indicator.objects.all()}
    fast = _aggregate(paths, period, [Status.APPROVED], form, indicators)
    slow = _aggregate(paths, period, [Status.APPROVED], form, indicators, use_rollup=False)
    out = []
    for ind_id in sorted(set(fast[0]) | set(slow[0])):
        a, b = fast[0].get(ind_id), slow[0].get(ind_id)
        if a is None or b is None or (a.value, a.qualifier, sorted(a.contributors), sorted(a.quotes)) != (
                b.value, b.qualifier, sorted(b.contributors), sorted(b.quotes)):
            show = [(x.value, x.qualifier, len(x.contributors), len(x.quotes)) if x else None for x in (a, b)]
            out.append(f"{unit} {period.key} {indicators[ind_id].code}: rollup {show[0]} ≠ values {show[1]}")
    if sorted(fast[2]) != sorted(slow[2]):
        out.append(f"{unit} {period.key}: counted submissions differ")
    return out


def _parts_from_values(paths, period, statuses, form, indicators, strictly_below: bool = False):
    """Per indicator and reporter: [sum, count, max, min] (sum replaced by the latest value for "latest")."""
    subs_qs = _window_submissions(paths, period, statuses, form, strictly_below)
    meta = list(subs_qs.values_list("pk", "unit_id", "agency_id", "unit_path", "period_start", "period_end"))
    if not meta:
        return None
    # Rule 1: drop a reporter's submissions nested inside another of its own (same form or not).
    by_reporter: dict[tuple, list] = defaultdict(list)
    for row in meta:
        by_reporter[_rkey(row[1], row[2])].append(row)
    dropped: set[int] = set()
    rpath: dict[tuple, str] = {}
    for key, rows in by_reporter.items():
        rpath[key] = rows[0][3]
        if len(rows) > 1:
            keep = rollup.outermost([(r[0], r[4], r[5]) for r in rows])
            dropped |= {r[0] for r in rows if r[0] not in keep}
    sub_ids = [r[0] for r in meta if r[0] not in dropped]
    sub_keys = {r[0]: _rkey(r[1], r[2]) for r in meta if r[0] not in dropped}
    values = DataValue.objects.filter(submission_id__in=sub_ids) if dropped else \
        DataValue.objects.filter(submission__in=subs_qs)
    values = values.filter(indicator_id__in=list(indicators))
    grouped = (values.filter(value__isnull=False)
               .values_list("indicator_id", "submission__unit_id", "submission__agency_id")
               .annotate(s=Sum("value"), n=Count("value"), mx=Max("value"), mn=Min("value"),
                         q1=Min(NullIf("qualifier", Value(""))), q2=Max(NullIf("qualifier", Value(""))),
                         nq=Count("pk", filter=~Q(source_quote=""))).order_by())
    per_ind: dict[int, dict[tuple, list]] = defaultdict(dict)
    quals: dict[tuple, set] = {}
    quoted: set[tuple] = set()
    for ind_id, uid, aid, s, n, mx, mn, q1, q2, nq in grouped:
        key = _rkey(uid, aid)
        per_ind[ind_id][key] = [s, n, mx, mn]
        if q1 or q2:
            quals[(ind_id, key)] = {q for q in (q1, q2) if q}
        if nq:
            quoted.add(key)
    latest_ids = [i for i, ind in indicators.items() if ind.aggregation == Aggregation.LATEST and i in per_ind]
    if latest_ids:
        rows = (values.filter(value__isnull=False, indicator_id__in=latest_ids)
                .values_list("indicator_id", "submission__unit_id", "submission__agency_id", "submission__period_end")
                .annotate(s=Sum("value")).order_by())
        best: dict[tuple, tuple] = {}
        for ind_id, uid, aid, end, s in rows:
            k = (ind_id, _rkey(uid, aid))
            if k not in best or end > best[k][0]:
                best[k] = (end, s)
        for (ind_id, key), (_end, s) in best.items():
            per_ind[ind_id][key][0] = s
    return per_ind, quals, quoted, rpath, sub_keys


def _parts_from_rollup(paths, period, form, indicators):
    """The same parts as :func:`_parts_from_values`, read from the rollup rows of a bucket window.

    Returns None (read the values instead) when the window holds approved reports of a form with another
    period rule, or when a reporter's reports of two forms nest only partly inside each other.
    """
    window = {"bucket_start": period.start, "bucket_end": period.end}
    other_rule = [pk for pk, spec in FormVersion.objects.values_list("pk", "period_spec")
                  if rollup.rule_of(spec) != period.rule]
    if other_rule and _window_submissions(paths, period, [Status.APPROVED], form).filter(
            form_version_id__in=other_rule).exists():
        return None
    members = RollupMember.objects.filter(_prefix_q(paths, "unit_path"), **window)
    if form is not None:
        members = members.filter(form=form)
    rows = _raw(members.values_list("submission_id", "form_id", "rkey", "unit_path", "period_start", "period_end")
                .order_by())
    if not rows:
        return None
    by_reporter: dict[int, list] = defaultdict(list)
    for row in rows:
        by_reporter[row[2]].append(row)
    rpath: dict[tuple, str] = {}
    skip: set[tuple] = set()  # (rkey, form_id) wholly inside another form's report of the same reporter
    sub_keys: dict[int, tuple] = {}
    for rkey, rs in by_reporter.items():
        rpath[rollup.reporter_key(rkey)] = rs[0][3]
        keep = rollup.outermost([(r[0], r[4], r[5]) for r in rs]) if len(rs) > 1 else {rs[0][0]}
        by_form: dict[int, list] = defaultdict(list)
        for r in rs:
            by_form[r[1]].append(r[0] in keep)
        for form_id, kept in by_form.items():
            if not any(kept):
                skip.add((rkey, form_id))
            elif not all(kept):
                return None
        sub_keys.update((r[0], rollup.reporter_key(rkey)) for r in rs if r[0] in keep)
    vq = RollupValue.objects.filter(_prefix_q(paths, "unit_path"), **window)
    if connection.vendor != "sqlite" and len(by_reporter) <= 200:
        # PostgreSQL cannot range-scan a LIKE prefix under a linguistic collation: reach a subtree's rows
        # through its reporters found above (index on rkey); the path test then only filters. (A country's
        # or a big region's rows are most of the bucket: reading the bucket is faster.)
        vq = vq.filter(rkey__in=list(by_reporter))
    if form is not None:
        vq = vq.filter(form=form)
    if len(indicators) < 200:
        vq = vq.filter(indicator_id__in=list(indicators))
    single_form = all(len({r[1] for r in rs}) == 1 for rs in by_reporter.values())
    if not skip and single_form and not _covering(set(rpath.values())):
        return _Done(_totals_from_rollup(vq.order_by(), indicators, rpath, sub_keys, period), rpath, sub_keys)
    per_ind: dict[int, dict[tuple, list]] = defaultdict(dict)
    latest: dict[tuple, tuple] = {}
    quals: dict[tuple, set] = {}
    quoted: set[tuple] = set()
    # Read without the ORM's per-value converters (a national year is 66.000 rows): numbers stay as the
    # driver returns them (int/float on SQLite, Decimal on PostgreSQL) until _finish cleans the totals.
    fetched = _raw(vq.values_list("indicator_id", "form_id", "rkey", "s", "n", "mx", "mn", "q1", "q2", "nq",
                                  "latest_end", "latest_s").order_by())
    for ind_id, form_id, rkey, s, n, mx, mn, q1, q2, nq, lend, ls in fetched:
        if ind_id not in indicators or (skip and (rkey, form_id) in skip):
            continue
        key = rollup.reporter_key(rkey)
        part = per_ind[ind_id].get(key)
        if part is None:
            per_ind[ind_id][key] = [s, n, mx, mn]
            latest[(ind_id, key)] = (lend, ls)
        else:  # the same reporter's rows of another form
            part[0] += s
            part[1] += n
            part[2] = max(part[2], mx)
            part[3] = min(part[3], mn)
            e, v = latest[(ind_id, key)]
            latest[(ind_id, key)] = (lend, ls) if lend > e else ((e, v + ls) if lend == e else (e, v))
        if q1 or q2:
            quals.setdefault((ind_id, key), set()).update(q for q in (q1, q2) if q)
        if nq:
            quoted.add(key)
    for (ind_id, key), (_e, ls) in latest.items():
        if indicators[ind_id].aggregation == Aggregation.LATEST:
            per_ind[ind_id][key][0] = ls
    return per_ind, quals, quoted, rpath, sub_keys


@dataclass
class _Done:
    result: dict
    rpath: dict
    sub_keys: dict


def _raw(qs) -> list[tuple]:
    """Rows of a values_list queryset without the ORM's per-value converters."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _totals_from_rollup(vq, indicators, rpath, sub_keys, period) -> dict[int, _Agg]:
    """Aggregate the rollup rows per indicator in the database (each reporter has one form and no
    reporter's area covers another's, so no per-reporter work is left to Python)."""
    totals = [t for t in _raw(vq.values("indicator_id").annotate(
        ts=Round(Sum("s"), 4), tn=Sum("n"), tmx=Max("mx"), tmn=Min("mn"), tls=Round(Sum("latest_s"), 4),
        tq1=Min("q1"), tq2=Max("q2"), tr=Count("pk"), tnq=Sum("nq")).values_list(
        "indicator_id", "ts", "tn", "tmx", "tmn", "tls", "tq1", "tq2", "tr", "tnq")) if t[0] in indicators]
    if not totals:
        return {}
    # Which reporters contributed to which indicator: usually every counted reporter reported every
    # indicator (one row each), which the totals already show; otherwise ask per reporter.
    extra: dict[int, list] = defaultdict(list)
    everyone = all(t[8] == len(rpath) for t in totals) and len(indicators) < 200
    quoted_any = any(t[9] for t in totals)
    # rkey → (rows, quoted values), asked only when the totals cannot tell
    counts = [] if everyone and not quoted_any else _raw(
        vq.values("rkey").annotate(c=Count("pk"), q=Sum("nq")).values_list("rkey", "c", "q"))
    if everyone:
        full = sorted(rpath)
    else:
        full = sorted(rollup.reporter_key(k) for k, c, _q in counts if c >= len(totals))
        partial = [k for k, c, _q in counts if c < len(totals)]
        if partial:
            for rkey, ind_id in _raw(vq.filter(rkey__in=partial).values_list("rkey", "indicator_id")):
                extra[ind_id].append(rollup.reporter_key(rkey))
    quoted = {rollup.reporter_key(k) for k, _c, q in counts if q}
    # A stock at the end of the window: units closed before then and succeeded here no longer count.
    closed_latest: dict[int, object] = {}
    latest_ids = [t[0] for t in totals if indicators[t[0]].aggregation == Aggregation.LATEST]
    if latest_ids:
        closed = _closed_reporters(set(rpath), period.end, rpath)
        if closed:
            rkeys = [rollup.rkey_of_reporter(k) for k in closed]
            closed_latest = dict(_raw(vq.filter(rkey__in=rkeys, indicator_id__in=latest_ids).values(
                "indicator_id").annotate(c=Sum("latest_s")).values_list("indicator_id", "c")))
    quotes = _quotes(quoted, sub_keys, list(indicators))
    result: dict[int, _Agg] = {}
    for ind_id, ts, tn, tmx, tmn, tls, tq1, tq2, tr, _tnq in totals:
        agg = indicators[ind_id].aggregation
        total = tls - closed_latest.get(ind_id, 0) if agg == Aggregation.LATEST else ts
        value = _by_rule(agg, total=total, count=tn, largest=tmx, smallest=tmn, reporters=tr)
        qualifier = _merged_qualifier({tq1, tq2})
        keys = full + extra[ind_id] if ind_id in extra else full
        result[ind_id] = _Agg(_clean(value), qualifier, keys,
                              [q for k in keys if k in quoted for q in quotes.get((ind_id, k), [])] if quoted else [])
    return result


def _quotes(quoted: set[tuple], sub_keys: dict[int, tuple], ind_ids: list[int]) -> dict[tuple, list[str]]:
    """(indicator id, reporter key) → the source quotes of the counted submissions of quoted reporters."""
    quotes: dict[tuple, list] = defaultdict(list)
    if quoted:
        quoted_subs = [sid for sid, k in sub_keys.items() if k in quoted]
        for ind_id, uid, aid, quote in DataValue.objects.filter(
                submission_id__in=quoted_subs, indicator_id__in=ind_ids).exclude(source_quote="").values_list(
                "indicator_id", "submission__unit_id", "submission__agency_id", "source_quote").order_by("pk")[:2000]:
            quotes[(ind_id, _rkey(uid, aid))].append(quote)
    return quotes


def _finish(per_ind, quals, quoted, rpath, sub_keys, period, indicators) -> dict[int, _Agg]:
    """Apply the closed-reporter rule for stocks, rule 2 (covering) and each indicator's aggregation."""
    if any(indicators[i].aggregation == Aggregation.LATEST for i in per_ind):
        closed = _closed_reporters(set(rpath), period.end, rpath)
        if closed:
            # A stock at the end of the window: units closed before then and succeeded by a counted
            # reporter no longer count (their successors report the figure).
            for ind_id, reporters in per_ind.items():
                if indicators[ind_id].aggregation == Aggregation.LATEST:
                    for key in closed & set(reporters):
                        reporters[key][0] = 0
    quotes = _quotes(quoted, sub_keys, list(indicators))
    # Rule 2: a reporter's own figure covers its area.
    all_paths = set(rpath.values())
    covering = _covering(all_paths)
    result: dict[int, _Agg] = {}
    for ind_id, reporters in per_ind.items():
        ind = indicators[ind_id]
        keys = list(reporters)
        if covering:
            own_paths = {rpath[k] for k in keys}
            keys = [k for k in keys if not any(p != rpath[k] and rpath[k].startswith(p) for p in own_paths & covering)]
        parts = [reporters[k] for k in keys]
        value = _by_rule(ind.aggregation, total=sum(_dec(p[0]) for p in parts), count=sum(p[1] for p in parts),
                         largest=max((p[2] for p in parts), default=None),
                         smallest=min((p[3] for p in parts), default=None), reporters=len(parts))
        qualifier = _merged_qualifier(set().union(*(quals.get((ind_id, k), set()) for k in keys)))
        result[ind_id] = _Agg(_clean(value), qualifier, keys, [q for k in keys for q in quotes.get((ind_id, k), [])])
    return result


def _by_rule(aggregation: str, *, total, count, largest, smallest, reporters: int):
    """An indicator's figure from its reporters' combined figures, by its aggregation rule. ``total`` is the
    sum of their values (for "latest": of their values at the end of the window), ``count`` how many values."""
    if aggregation in (Aggregation.SUM, Aggregation.LATEST):
        return total
    if aggregation == Aggregation.AVERAGE:
        return _dec(total) / count
    if aggregation == Aggregation.MAX:
        return largest
    if aggregation == Aggregation.MIN:
        return smallest
    return total if reporters == 1 and count == 1 else None  # none: only a single reporter's own figure stands


def _merged_qualifier(qualifiers: set) -> str:
    """One qualifier for a figure added from several: the common one, "about" when they differ."""
    qualifiers = {q for q in qualifiers if q}
    if not qualifiers:
        return ""
    return qualifiers.pop() if len(qualifiers) == 1 else "about"


def _clean(value: Decimal | None) -> Decimal | None:
    """A plain Decimal without exponent or trailing zeros (1140.0000 → 1140, 6.7300 → 6.73)."""
    if value is None:
        return None
    d = _dec(value)
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.quantize(Decimal("0.0001")).normalize()


def _dec(value) -> Decimal:
    """A driver's number as a Decimal (SQLite returns floats for decimal sums: read their shortest repr)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _closed_reporters(keys, day: dt.date, rpath: dict[tuple, str] | None = None) -> set[tuple]:
    """Reporters among ``keys`` that closed before ``day`` and whose stock a successor counted in the same
    consolidation reports (a successor unit or agency among ``keys``, or a reporter inside a successor
    unit's area). A unit that ended with no successor counted here keeps its last reported stock: Huyện
    Cao Lộc (ended 30/06/2025) shows its communes' households for 2025, not 0."""
    uids = [k[1] for k in keys if k[0] == "u"]
    aids = [k[1] for k in keys if k[0] == "a"]
    closed_u = set(AdministrativeUnit.objects.filter(pk__in=uids, valid_to__lt=day).values_list("pk", flat=True))
    closed_a = set(Agency.objects.filter(pk__in=aids, valid_to__lt=day).values_list("pk", flat=True))
    out: set[tuple] = set()
    if closed_u:
        paths = set((rpath or {}).values())
        succ: dict[int, set[int]] = defaultdict(set)  # closed unit → its successors, transitively
        frontier = {pk: {pk} for pk in closed_u}
        while frontier:
            rows = UnitSuccession.objects.filter(predecessor_id__in={p for s in frontier.values() for p in s})
            step = defaultdict(set)
            for pred, nxt in rows.values_list("predecessor_id", "successor_id"):
                step[pred].add(nxt)
            new = {}
            for pk, preds in frontier.items():
                found = {n for p in preds for n in step.get(p, ())} - succ[pk] - {pk}
                if found:
                    succ[pk] |= found
                    new[pk] = found
            frontier = new
        succ_paths = dict(AdministrativeUnit.objects.filter(
            pk__in={n for s in succ.values() for n in s}).values_list("pk", "path"))
        unit_keys = set(uids)
        for pk, nexts in succ.items():
            if nexts & unit_keys or any(r.startswith(succ_paths[n]) for n in nexts for r in paths):
                out.add(("u", pk))
    if closed_a:
        successor = dict(Agency.objects.filter(successor__isnull=False).values_list("pk", "successor_id"))
        agency_keys = set(aids)
        for pk in closed_a:
            seen, node = {pk}, successor.get(pk)
            while node is not None and node not in seen:
                if node in agency_keys:
                    out.add(("a", pk))
                    break
                seen.add(node)
                node = successor.get(node)
    return out


def _reporter_names(keys, span: tuple[dt.date, dt.date] | None = None) -> dict[tuple, str]:
    """Reporter key → name. With ``span``, a reporter that opened or closed inside it gets its dates
    ("Xã Quốc Khánh (đến 30/06/2025)", "Xã Quốc Khánh (từ 01/07/2025)"): the 2025 reform kept many names."""
    uids = [k[1] for k in keys if k[0] == "u"]
    aids = [k[1] for k in keys if k[0] == "a"]
    rows = [(("u", pk), n, f, t) for pk, n, f, t in AdministrativeUnit.objects.filter(pk__in=uids).values_list(
        "pk", "name", "valid_from", "valid_to")]
    rows += [(("a", pk), n, f, t) for pk, n, f, t in Agency.objects.filter(pk__in=aids).values_list(
        "pk", "name", "valid_from", "valid_to")]
    names = {}
    for key, name, start, end in rows:
        if span is not None and start and span[0] < start <= span[1]:
            name = _("%(name)s (từ %(date)s)") % {"name": name, "date": vn.format_date(start)}
        elif span is not None and end and span[0] <= end < span[1]:
            name = _("%(name)s (đến %(date)s)") % {"name": name, "date": vn.format_date(end)}
        names[key] = name
    return names


def expected_reporters(*, paths: list[str], period: Period, versions: list[FormVersion]) -> dict[tuple, dict]:
    """Reporters a form expects in a subtree for a period: those that exist on the cut-off date.

    A unit that opened during the period is expected; one that closed during it is not (its successor
    reports). Returns reporter key → {"name", "path", "version_ids"}.
    """
    out: dict[tuple, dict] = {}
    pq = _path_q(paths, "path")
    for v in versions:
        spec = v.reporter_spec or {}
        uq = Q(pk__in=spec.get("units", [])) | Q(kind__in=spec.get("unit_kinds", []))
        units = AdministrativeUnit.objects.filter(pq).filter(valid_on_q(period.end)).filter(uq)
        if spec.get("border_only"):
            units = units.exclude(is_border=False)
        for pk, name, path in units.values_list("pk", "name", "path"):
            out.setdefault(("u", pk), {"name": name, "path": path, "version_ids": set()})["version_ids"].add(v.pk)
        aq = Q(pk__in=spec.get("agencies", [])) | Q(kind__code__in=spec.get("agency_kinds", []))
        if spec.get("agencies") or spec.get("agency_kinds"):
            agencies = Agency.objects.filter(_path_q(paths, "unit__path")).filter(valid_on_q(period.end)).filter(aq)
            for pk, name, path in agencies.values_list("pk", "name", "unit__path"):
                out.setdefault(("a", pk), {"name": name, "path": path, "version_ids": set()})["version_ids"].add(v.pk)
    return out


def expected_reporters_by_period(*, paths: list[str], periods: list[Period], versions: list[FormVersion]
                                 ) -> list[dict[tuple, dict]]:
    """:func:`expected_reporters` for each of ``periods`` (same rule), with two queries per form version instead
    of two per period and version: the candidates valid at some period's cut-off are read once, then kept per
    period by their validity on its cut-off."""
    from borderdesk.org.models import overlaps_q

    out: list[dict[tuple, dict]] = [{} for _p in periods]
    if not periods:
        return out
    days = [p.end for p in periods]
    window = overlaps_q(min(days), max(days))

    def add(key, name, path, start, end, version_id):
        for i, day in enumerate(days):
            if (start is None or start <= day) and (end is None or end >= day):
                out[i].setdefault(key, {"name": name, "path": path, "version_ids": set()})["version_ids"].add(
                    version_id)

    pq = _path_q(paths, "path")
    for v in versions:
        spec = v.reporter_spec or {}
        uq = Q(pk__in=spec.get("units", [])) | Q(kind__in=spec.get("unit_kinds", []))
        units = AdministrativeUnit.objects.filter(pq).filter(window).filter(uq)
        if spec.get("border_only"):
            units = units.exclude(is_border=False)
        for pk, name, path, start, end in units.values_list("pk", "name", "path", "valid_from", "valid_to"):
            add(("u", pk), name, path, start, end, v.pk)
        aq = Q(pk__in=spec.get("agencies", [])) | Q(kind__code__in=spec.get("agency_kinds", []))
        if spec.get("agencies") or spec.get("agency_kinds"):
            agencies = Agency.objects.filter(_path_q(paths, "unit__path")).filter(window).filter(aq)
            for pk, name, path, start, end in agencies.values_list("pk", "name", "unit__path", "valid_from",
                                                                   "valid_to"):
                add(("a", pk), name, path, start, end, v.pk)
    return out


def form_codes(form: ReportForm) -> list[str]:
    """Indicator codes of every version of ``form``: the current version's order, then codes only older
    versions carry (newest first)."""
    out: dict[str, None] = {}
    for v in form.versions.order_by("-number"):
        for c in v.indicator_codes():
            out.setdefault(c, None)
    return list(out)


def _versions_for(form: ReportForm | None, period: Period) -> list[FormVersion]:
    if form is not None:
        v = form.current_version()
        return [v] if v else []
    out = []
    for f in ReportForm.objects.prefetch_related("versions"):
        v = max(f.versions.all(), key=lambda x: x.number, default=None)
        if v and v.spec.kind == period.kind:
            out.append(v)
    return out


def _require_unit_view(user, unit) -> None:
    if user is None:
        return
    if not scope_for(user, Action.VIEW).contains_unit(unit.pk):
        raise NotFoundError("Không tìm thấy đơn vị này (hoặc bạn không có quyền truy cập).")


def consolidation_get(*, user, unit, period, form=None, include_submitted=False, indicator_codes=None
                      ) -> Consolidation:
    """Figures of ``unit`` for ``period`` rolled up the tree as it stood then, with the same period last
    year (across the 2025 reform through successor links), the plan, contributors and missing units."""
    _require_unit_view(user, unit)
    if isinstance(period, str):
        period = parse_period(period)
    statuses = [Status.APPROVED, Status.SUBMITTED] if include_submitted else [Status.APPROVED]
    paths = root_paths(unit)
    ind_qs = Indicator.objects.all()
    if indicator_codes:
        ind_qs = ind_qs.filter(code__in=list(indicator_codes))
    elif form is not None:
        # Every version's indicators: reports sent on an older version still count after a new one is published.
        ind_qs = ind_qs.filter(code__in=form_codes(form))
    indicators = {i.pk: i for i in ind_qs}
    current, rpath, sub_ids = _aggregate(paths, period, statuses, form, indicators)
    last = period.same_period_last_year()
    previous, prev_rpath, _ids = _aggregate(paths, last, statuses, form, indicators)
    plans = _plans(unit, paths, period, indicators)
    versions = _versions_for(form, period)
    expected = expected_reporters(paths=paths, period=period, versions=versions)
    names = _reporter_names(set(rpath) | set(expected))
    reporting_keys = set(rpath)
    covered_paths = set(rpath.values())
    missing_keys = [k for k in expected if k not in reporting_keys
                    and not any(expected[k]["path"].startswith(p) and expected[k]["path"] != p for p in covered_paths)]
    code_versions: dict[str, set] = defaultdict(set)
    for v in versions:
        for c in v.indicator_codes():
            code_versions[c].add(v.pk)
    rows = []
    seen: dict[int, tuple] = {}
    order = {c: i for i, c in enumerate(form_codes(form) if form is not None
                                        else [c for v in versions for c in v.indicator_codes()])}
    for ind in sorted(indicators.values(), key=lambda i: (order.get(i.code, 10**6), i.group, i.code)):
        cur, prev = current.get(ind.pk), previous.get(ind.pk)
        if cur is None and prev is None and ind.pk not in plans:
            if not (form is not None or indicator_codes):
                continue
        value = cur.value if cur else None
        prev_value = prev.value if prev else None
        change_abs, change_pct = vn.change(value, prev_value)
        found = plans.get(ind.pk)
        plan = _clean(found.value) if found else None
        plan_pct = (value * HUNDRED / plan) if (value is not None and plan) else None
        keys = cur.contributors if cur else []
        if id(keys) not in seen:  # most indicators share one list of contributors: resolve it once
            seen[id(keys)] = (keys, sorted(names.get(k, str(k)) for k in keys), {rpath[k] for k in keys})
        _keys, contributors, contrib_paths = seen[id(keys)]
        miss = [expected[k]["name"] for k in missing_keys if code_versions[ind.code] & expected[k]["version_ids"]
                and not any(expected[k]["path"].startswith(p) for p in contrib_paths)]
        rows.append(ConsolidatedRow(
            indicator=ind, value=value, qualifier=cur.qualifier if cur else "", previous_value=prev_value,
            change_abs=change_abs, change_pct=change_pct, plan_value=plan, plan_pct=plan_pct,
            contributors=list(contributors), missing=sorted(miss), quotes=cur.quotes if cur else [],
            previous_qualifier=prev.qualifier if prev else "", plan_method=found.method if found else "",
            plan_basis=found.basis if found else None, plan_full=_clean(found.full_value) if found else None,
            plan_share=found.share if found else None))
    narratives = _narratives(sub_ids, names, paths, period)
    shared = shared_predecessors(unit) if unit.kind in ("commune", "ward", "town", "district") else []
    straddling = window_straddlers(paths, period, statuses, form)
    return Consolidation(shared_predecessors=shared, straddling=straddling,
        unit=unit, period=period, rows=rows, narratives=narratives,
        expected_units=sorted(v["name"] for v in expected.values()),
        reporting_units=sorted(names.get(k, str(k)) for k in reporting_keys),
        missing_units=sorted(expected[k]["name"] for k in missing_keys),
        include_submitted=include_submitted, form=form)


def _plans(unit, paths, period: Period, indicators) -> dict:
    from .plans import plans_for

    return plans_for(unit=unit, paths=paths, period=period, indicators=indicators)


def _covering(paths: set[str]) -> set[str]:
    """The paths that are a strict prefix of another path in ``paths`` (an area holding other reporters).

    In sorted order the paths under ``p`` come right after it, so comparing neighbours is enough.
    """
    ordered = sorted(paths)
    return {a for a, b in zip(ordered, ordered[1:], strict=False) if b.startswith(a)}


def _narratives(sub_ids: list[int], names: dict[tuple, str], paths: list[str] | None = None,
                period: Period | None = None) -> dict[str, list[NarrativePiece]]:
    out: dict[str, list[NarrativePiece]] = defaultdict(list)
    if not sub_ids:
        return {}
    if len(sub_ids) > 500 and paths is not None and period is not None:
        # Thousands of monthly reports: select the window's narratives, keep those of counted reports.
        counted = set(sub_ids)
        qs = Narrative.objects.filter(_path_q(paths, "submission__unit_path"), window_q(period, "submission__"))
    else:
        counted, qs = None, Narrative.objects.filter(submission_id__in=sub_ids)
    rows = (qs.exclude(text="")
            .values_list("section", "text", "submission_id", "submission__unit_id", "submission__agency_id",
                         "submission__unit_path", "submission__period_end")
            .order_by("section", "submission__unit_path", "submission__period_end", "submission_id"))
    for section, text, sid, uid, aid, _p, _e in rows:
        if counted is not None and sid not in counted:
            continue
        out[section].append(NarrativePiece(unit=names.get(_rkey(uid, aid), ""), text=text, submission_id=sid))
    order = {s["code"]: i for i, s in enumerate(DEFAULT_NARRATIVE_SECTIONS)}
    return dict(sorted(out.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))


def indicator_value(*, unit, period, code, user=None, include_submitted=False) -> Decimal | None:
    """The consolidated value of one indicator for a unit and period (None when nothing was reported)."""
    cons = consolidation_get(user=user, unit=unit, period=period, include_submitted=include_submitted,
                             indicator_codes=[code])
    row = cons.row(code)
    return row.value if row else None


# Completeness ----------------------------------------------------------------------------------------
@dataclass
class CompletenessCell:
    status: str  # approved | submitted | draft | returned | missing | not_expected
    on_time: bool | None = None
    submission_id: int | None = None


@dataclass
class Completeness:
    unit: AdministrativeUnit
    form: ReportForm
    periods: list[Period]
    reporters: list[dict]  # {"key", "name", "cells": [CompletenessCell per period]}
    rates: list[dict]  # per period: expected, received, on_time, pct, timely_pct


def completeness_get(*, user, unit, form: ReportForm, periods: list[Period]) -> Completeness:
    """Reporters × periods for one form: who was expected (existing on the cut-off), who reported, on time."""
    from .services import deadline_for

    _require_unit_view(user, unit)
    version = form.current_version()
    paths = root_paths(unit)
    expected_by_period = expected_reporters_by_period(paths=paths, periods=periods, versions=[version])
    keys = {k: v for e in expected_by_period for k, v in e.items()}
    subs = (Submission.objects.filter(form=form, period_key__in=[p.key for p in periods])
            .filter(_path_q(paths, "unit_path"))
            .values_list("pk", "unit_id", "agency_id", "period_key", "status", "submitted_at", "unit_path"))
    by = {}
    for pk, uid, aid, key, status, at, path in subs:
        k = _rkey(uid, aid)
        by[(k, key)] = (pk, status, at)
        if k not in keys:
            keys[k] = {"name": None, "path": path}
    names = _reporter_names(keys, span=(periods[0].start, periods[-1].end) if periods else None)
    reporters = []
    rates = [{"period": p, "expected": 0, "received": 0, "on_time": 0} for p in periods]
    for k in sorted(keys, key=lambda k: (keys[k]["path"], names.get(k, ""))):
        cells = []
        for i, p in enumerate(periods):
            found = by.get((k, p.key))
            is_expected = k in expected_by_period[i]
            if found:
                pk, status, at = found
                on_time = None
                if status in (Status.SUBMITTED, Status.APPROVED) and at is not None:
                    on_time = at.date() <= deadline_for(version, p)
                cells.append(CompletenessCell(status, on_time, pk))
            else:
                cells.append(CompletenessCell("missing" if is_expected else "not_expected"))
            if is_expected:
                rates[i]["expected"] += 1
                if found and found[1] in (Status.SUBMITTED, Status.APPROVED):
                    rates[i]["received"] += 1
                    if cells[-1].on_time:
                        rates[i]["on_time"] += 1
        reporters.append({"key": k, "name": names.get(k, str(k)), "cells": cells})
    for r in rates:
        r["pct"] = (Decimal(r["received"]) * HUNDRED / r["expected"]) if r["expected"] else None
        r["timely_pct"] = (Decimal(r["on_time"]) * HUNDRED / r["expected"]) if r["expected"] else None
    return Completeness(unit=unit, form=form, periods=periods, reporters=reporters, rates=rates)


@dataclass
class OverviewCell:
    form: ReportForm
    expected: int = 0
    received: int = 0
    on_time: int = 0

    @property
    def status(self) -> str:
        if not self.expected:
            return "not_expected"
        return "approved" if self.received >= self.expected else ("submitted" if self.received else "missing")


@dataclass
class CompletenessOverview:
    unit: AdministrativeUnit
    year: int
    forms: list[ReportForm]
    reporters: list[dict]  # {"key", "name", "cells": [OverviewCell per form]}
    totals: list[OverviewCell]


def form_periods(form: ReportForm, year: int) -> list[Period]:
    """The periods of a form's current version in a year (none for a cut-off form chosen report by report)."""
    version = form.current_version()
    if version is None:
        return []
    try:
        return version.spec.periods_in_year(year)
    except ValueError:
        return []


def form_periods_in(form: ReportForm, window: Period) -> list[Period]:
    """The periods of a form's current version that a window counts (the rule of :func:`window_q`): a
    quarter of a monthly form gives its three months, whichever rule each side uses."""
    early = window.start - dt.timedelta(days=STRADDLE_DAYS)
    out = []
    for year in range(window.start.year, window.end.year + 2):
        out += [p for p in form_periods(form, year) if p.start >= early and window.start <= p.end <= window.end]
    return sorted(set(out))


def completeness_overview(*, user, unit, year: int) -> CompletenessOverview:
    """Units × forms for a year: for each reporter and form, the reports expected, received and on time."""
    _require_unit_view(user, unit)
    forms = [f for f in ReportForm.objects.prefetch_related("versions").order_by("code") if form_periods(f, year)]
    rows: dict[tuple, dict] = {}
    totals = [OverviewCell(form=f) for f in forms]
    for i, f in enumerate(forms):
        comp = completeness_get(user=user, unit=unit, form=f, periods=form_periods(f, year))
        for rep in comp.reporters:
            row = rows.setdefault(rep["key"], {"key": rep["key"], "name": rep["name"],
                                               "cells": [OverviewCell(form=g) for g in forms]})
            cell = row["cells"][i]
            for c in rep["cells"]:
                if c.status == "not_expected":
                    continue
                cell.expected += 1
                if c.status in (Status.SUBMITTED, Status.APPROVED):
                    cell.received += 1
                    cell.on_time += bool(c.on_time)
        for r in comp.rates:
            totals[i].expected += r["expected"]
            totals[i].received += r["received"]
            totals[i].on_time += r["on_time"]
    reporters = [r for r in rows.values() if any(c.expected or c.received for c in r["cells"])]
    return CompletenessOverview(unit=unit, year=year, forms=forms, reporters=reporters, totals=totals)


def default_period_for(form: ReportForm, today: dt.date | None = None) -> Period:
    spec = form.current_version().spec
    today = today or dt.date.today()
    try:
        return spec.period_containing(today).previous() if spec.kind != "cutoff" else spec.cutoff(today)
    except ValueError:
        return spec.period(today.year - 1)
