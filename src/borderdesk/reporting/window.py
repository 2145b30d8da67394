"""The reporting window rule and the tree it reads: which reports a period's window counts (and which
it cuts across), the paths of a unit and its predecessors, the plans of a window, a form's periods and their
deadlines."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db import connection
from django.db.models import Q

from borderdesk.core.collation import sort_key
from borderdesk.core.periods import Period, parse_period
from borderdesk.core.workdays import add_working_days
from borderdesk.org.models import AdministrativeUnit, Agency, UnitSuccession

from . import rollup
from .models import (
    FormVersion,
    ReportForm,
    Submission,
)


# Tree helpers ----------------------------------------------------------------------------------------
def predecessor_ids(unit_ids: set[int]) -> set[int]:
    """The units merged (transitively) into ``unit_ids``."""
    result: set[int] = set()
    frontier = set(unit_ids)
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
    for pred, other in (
        UnitSuccession.objects.filter(predecessor_id__in=preds)
        .exclude(successor_id__in=inside)
        .values_list("predecessor__name", "successor__name")
    ):
        out[pred].append(other)
    return [{"name": k, "others": sorted(set(v), key=sort_key)} for k, v in sorted(out.items())]


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
    unit = submission.unit  # None without a query when the reporter is an agency
    if unit is not None:
        paths = root_paths(unit)
        units = AdministrativeUnit.objects.filter(_path_q(paths, "path")).overlapping(period.start, period.end)
        unit_ids = frozenset(units.values_list("pk", flat=True))
        agency_ids = frozenset(Agency.objects.filter(unit_id__in=unit_ids).values_list("pk", flat=True))
        return unit_ids, agency_ids
    agency = submission.agency
    if agency is None:  # cannot happen: the reporting_submission_unit_xor_agency constraint; as `None.unit_id` did
        raise AttributeError("a submission without a unit has an agency")
    ids, frontier = {agency.pk}, {agency.pk}
    while frontier:
        frontier = set(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    return frozenset({agency.unit_id}), frozenset(ids)


# Decree 09 and calendar boundaries are at most 17 days apart (15/12 → 1/1, 14th → 31st).
STRADDLE_DAYS = 17


def window_q(period: Period, prefix: str = "") -> Q:
    """The reports a window counts: those inside it, and those that a boundary of another rule cuts (they
    start at most :data:`STRADDLE_DAYS` before the window) counted by the day their data ends — a Decree 09
    month 15/12/2024–14/01/2025 counts in the calendar year 2025, 15/12/2025–14/01/2026 in 2026."""
    return Q(
        **{
            f"{prefix}period_start__gte": period.start - dt.timedelta(days=STRADDLE_DAYS),
            f"{prefix}period_end__gte": period.start,
            f"{prefix}period_end__lte": period.end,
        }
    )


def _window_submissions(
    paths: list[str], period: Period, statuses: Sequence[str], form: ReportForm | None, strictly_below: bool = False
):
    qs = Submission.objects.filter(window_q(period), status__in=statuses)
    qs = qs.filter(_path_q(paths, "unit_path"))
    if strictly_below:  # the reports of the units (and agencies located) below, not the area's own
        qs = qs.exclude(unit_path__in=paths)
    if form is not None:
        qs = qs.filter(form=form)
    return qs


def window_straddlers(paths: list[str], period: Period, statuses: Sequence[str], form: ReportForm | None) -> dict:
    """Reports whose window the period's window cuts: ``counted`` (started before it, end inside it) and
    ``deferred`` (start inside it, end after it: they count in the next window). Shown on the page."""
    empty: dict[str, list] = {
        "counted": [],
        "deferred": [],
        "counted_keys": [],
        "deferred_keys": [],
        "counted_periods": [],
        "deferred_periods": [],
    }
    # The path as a condition on each row (LIKE), not an index range: the rows are found through the
    # (status, start, end, path) index by the few days before and after the window — a country's or a
    # province's path range would hold nearly every report (SQLite chose it: 0,09 s a query on the 8M set).
    base = Submission.objects.filter(_path_q(paths, "unit_path"), status__in=statuses)
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
    counted = base.filter(
        period_start__gte=early, period_start__lt=period.start, period_end__gte=period.start, period_end__lte=period.end
    )
    deferred = base.filter(
        period_start__gte=early,
        period_start__lte=period.end,
        period_end__gt=period.end,
        period_end__lte=period.end + dt.timedelta(days=STRADDLE_DAYS),
    )
    out: dict = {}
    for name, qs in (("counted", counted), ("deferred", deferred)):
        rows = list(
            qs.order_by("period_start", "unit_path", "pk").values("pk", "period_key", "period_start", "period_end")[
                :1000
            ]
        )
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


def _plans(unit, paths, period: Period, indicators) -> dict:
    from .plans import plans_for

    return plans_for(unit=unit, paths=paths, period=period, indicators=indicators)


def _covering(paths: set[str]) -> set[str]:
    """The paths that are a strict prefix of another path in ``paths`` (an area holding other reporters).

    In sorted order the paths under ``p`` come right after it, so comparing neighbours is enough.
    """
    ordered = sorted(paths)
    return {a for a, b in zip(ordered, ordered[1:], strict=False) if b.startswith(a)}


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


def default_period_for(form: ReportForm, today: dt.date | None = None) -> Period:
    """The last period of the form that has ended by ``today`` (a cut-off form: up to today)."""
    spec = form.current_version().spec
    today = today or dt.date.today()
    try:
        return spec.period_containing(today).previous() if spec.kind != "cutoff" else spec.cutoff(today)
    except ValueError:  # a form of one window a year (6 or 9 months): today may lie outside each
        this_year = spec.period(today.year)
        return this_year if this_year.end < today else spec.period(today.year - 1)


# Deadlines of a window ------------------------------------------------------------------------------
def deadline_for(version: FormVersion, period) -> dt.date:
    return add_working_days(period.end, version.deadline_working_days)


def lock_date_for(version: FormVersion, period) -> dt.date | None:
    return None if version.lock_days is None else period.end + dt.timedelta(days=version.lock_days)
