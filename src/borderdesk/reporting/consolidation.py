"""Consolidation: the figures of a unit for a period rolled up the tree, with last year, the plan,
contributors, missing units and the narratives (the engine is in aggregation.py, the window rule in
window.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from borderdesk.core import tables, vn
from borderdesk.core.errors import NotFoundError
from borderdesk.core.periods import Period, parse_period
from borderdesk.core.scoping import Action, scope_for
from borderdesk.org.models import AdministrativeUnit

from .aggregation import _aggregate, _clean, _rkey
from .choices import DEFAULT_NARRATIVE_SECTIONS, Status
from .models import (
    Indicator,
    Narrative,
    ReportForm,
)
from .reporters import _reporter_names, expected_reporters
from .window import (
    _path_q,
    _plans,
    _versions_for,
    form_codes,
    root_paths,
    shared_predecessors,
    window_q,
    window_straddlers,
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
        """ "trên 86 tỷ USD", "khoảng 1.700 lượt xe/ngày" (the figure as a report writes it)."""
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
        """ "good", "bad" or "" — the change read with the indicator's direction."""
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


def _require_unit_view(user, unit) -> None:
    if user is None:
        return
    if not scope_for(user, Action.VIEW).contains_unit(unit.pk):
        raise NotFoundError("Không tìm thấy đơn vị này (hoặc bạn không có quyền truy cập).")


@tables.ignoring_open_edits()  # counts approved (and submitted) reports only; the expected ones from the tree
def consolidation_get(*, user, unit, period, form=None, include_submitted=False, indicator_codes=None) -> Consolidation:
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
    missing_keys = [
        k
        for k in expected
        if k not in reporting_keys and not any(a in covered_paths for a in _areas(expected[k]["path"])[:-1])
    ]
    code_versions: dict[str, set] = defaultdict(set)
    for v in versions:
        for c in v.indicator_codes():
            code_versions[c].add(v.pk)
    rows = []
    seen: dict[int, tuple] = {}
    order = {
        c: i
        for i, c in enumerate(
            form_codes(form) if form is not None else [c for v in versions for c in v.indicator_codes()]
        )
    }
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
            contrib_paths = {rpath[k] for k in keys}
            uncovered = [k for k in missing_keys if not any(a in contrib_paths for a in _areas(expected[k]["path"]))]
            seen[id(keys)] = (keys, sorted(names.get(k, str(k)) for k in keys), uncovered)
        _keys, contributors, uncovered = seen[id(keys)]
        miss = [expected[k]["name"] for k in uncovered if code_versions[ind.code] & expected[k]["version_ids"]]
        rows.append(
            ConsolidatedRow(
                indicator=ind,
                value=value,
                qualifier=cur.qualifier if cur else "",
                previous_value=prev_value,
                change_abs=change_abs,
                change_pct=change_pct,
                plan_value=plan,
                plan_pct=plan_pct,
                contributors=list(contributors),
                missing=sorted(miss),
                quotes=cur.quotes if cur else [],
                previous_qualifier=prev.qualifier if prev else "",
                plan_method=found.method if found else "",
                plan_basis=found.basis if found else None,
                plan_full=_clean(found.full_value) if found else None,
                plan_share=found.share if found else None,
            )
        )
    narratives = _narratives(sub_ids, names, paths, period)
    shared = shared_predecessors(unit) if unit.kind in ("commune", "ward", "town", "district") else []
    straddling = window_straddlers(paths, period, statuses, form)
    return Consolidation(
        shared_predecessors=shared,
        straddling=straddling,
        unit=unit,
        period=period,
        rows=rows,
        narratives=narratives,
        expected_units=sorted(v["name"] for v in expected.values()),
        reporting_units=sorted(names.get(k, str(k)) for k in reporting_keys),
        missing_units=sorted(expected[k]["name"] for k in missing_keys),
        include_submitted=include_submitted,
        form=form,
    )


def _areas(path: str) -> list[str]:
    """The tree paths that ``path`` starts with, itself last ("/1/2/9/" → "/1/", "/1/2/", "/1/2/9/"): a path
    starts with another exactly when that one is among these (every path ends with "/")."""
    parts = path.split("/")[1:-1]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _narratives(
    sub_ids: list[int], names: dict[tuple, str], paths: list[str] | None = None, period: Period | None = None
) -> dict[str, list[NarrativePiece]]:
    out: dict[str, list[NarrativePiece]] = defaultdict(list)
    if not sub_ids:
        return {}
    if len(sub_ids) > 500 and paths is not None and period is not None:
        # Thousands of monthly reports: select the window's narratives, keep those of counted reports.
        counted = set(sub_ids)
        qs = Narrative.objects.filter(_path_q(paths, "submission__unit_path"), window_q(period, "submission__"))
    else:
        counted, qs = None, Narrative.objects.filter(submission_id__in=sub_ids)
    rows = (
        qs.exclude(text="")
        .values_list(
            "section",
            "text",
            "submission_id",
            "submission__unit_id",
            "submission__agency_id",
            "submission__unit_path",
            "submission__period_end",
        )
        .order_by("section", "submission__unit_path", "submission__period_end", "submission_id")
    )
    for section, text, sid, uid, aid, _p, _e in rows:
        if counted is not None and sid not in counted:
            continue
        out[section].append(NarrativePiece(unit=names.get(_rkey(uid, aid), ""), text=text, submission_id=sid))
    order = {s["code"]: i for i, s in enumerate(DEFAULT_NARRATIVE_SECTIONS)}
    return dict(sorted(out.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))


def indicator_value(*, unit, period, code, user=None, include_submitted=False) -> Decimal | None:
    """The consolidated value of one indicator for a unit and period (None when nothing was reported)."""
    cons = consolidation_get(
        user=user, unit=unit, period=period, include_submitted=include_submitted, indicator_codes=[code]
    )
    row = cons.row(code)
    return row.value if row else None
