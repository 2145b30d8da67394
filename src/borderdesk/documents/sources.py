"""Where each figure of a report comes from: consolidation, registries (frontier, gates) — one rule.

Three sources can hold the same indicator for a committee's area and period:

* **the registry** (`borderdesk.reporting.registry`: patrols, incidents, markers in frontier; the daily
  statistics of the gates), counted from the records themselves;
* **approved reports** consolidated up the tree (`reporting.consolidation.consolidation_get`);
* **submitted reports** not yet approved (the same consolidation with ``include_submitted``).

The rule (`PRECEDENCE_RULE`, printed in every draft's source notes): an indicator the registries keep
event by event (`REGISTRY_FIRST`: patrols, incidents, markers, persons and vehicles through the gates) is
taken from the registry; every other indicator from the approved reports. When the preferred source
has no value, the next one fills in: approved → submitted → registry for reported indicators, registry
→ approved → submitted for registry indicators. The comparison with the same period last year is made
within the source that gave the figure (never a registry figure against a reported one); the plan is
the committee's target whatever the source. A figure that another source states differently is listed
with both values, so a reader sees which one the report uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from borderdesk.core import tables, vn
from borderdesk.core.periods import Period

#: The indicators the registries hold as primary records: the registry figure wins.
REGISTRY_FIRST = frozenset(
    {
        "PATROLS_TOTAL",
        "PATROLS_BILATERAL",
        "PATROLS_UNILATERAL",
        "PATROLS_JOINT",
        "PATROL_PARTICIPANTS",
        "INCIDENTS_TOTAL",
        "INCIDENTS_RESOLVED",
        "ILLEGAL_CROSSING_CASES",
        "ILLEGAL_CROSSING_PERSONS",
        "SMUGGLING_CASES",
        "INCIDENTS_MARKER_DAMAGE",
        "INCIDENTS_ENCROACHMENT",
        "INCIDENTS_CROSS_BORDER_CRIME",
        "INCIDENTS_EPIDEMIC",
        "INCIDENTS_NATURAL_DISASTER",
        "INCIDENTS_OTHER",
        "MARKERS_TOTAL",
        "MARKERS_INTACT",
        "MARKERS_DAMAGED",
        "MARKERS_REPAIRED",
        "MARKER_INSPECTIONS",
        "PERSONS_EXIT",
        "PERSONS_ENTRY",
        "PERSONS_EXIT_ENTRY",
        "CARGO_VEHICLES",
        "GOODS_TONNES",
        "RAIL_CARS_PER_DAY",
        "VEHICLES_WAITING",
    }
)

#: Registry figures that describe a state (markers held, registrations in force), not events of the period.
STATE_CODES = frozenset(
    {
        "MARKERS_TOTAL",
        "MARKERS_INTACT",
        "MARKERS_DAMAGED",
        "SELF_MGMT_COLLECTIVES",
        "SELF_MGMT_HOUSEHOLDS",
        "SELF_MGMT_INDIVIDUALS",
        "SELF_MGMT_KM",
        "SELF_MGMT_MARKERS",
        "PROGRAMME_BENEFICIARIES",
    }
)

REGISTRY, APPROVED, SUBMITTED = "registry", "approved", "submitted"
SOURCE_LABELS = {
    REGISTRY: "sổ theo dõi",
    APPROVED: "tổng hợp báo cáo đã duyệt",
    SUBMITTED: "báo cáo đã gửi, chưa được duyệt",
}
PRECEDENCE_RULE = (
    "Quy tắc nguồn số liệu: tuần tra, vụ việc, mốc quốc giới, lượt người và phương tiện qua cửa khẩu lấy theo "
    "sổ theo dõi của hệ thống; các chỉ tiêu khác lấy theo tổng hợp báo cáo đã duyệt của các đơn vị. Nguồn ưu "
    "tiên không có số liệu thì lấy nguồn kế tiếp (báo cáo đã duyệt → báo cáo đã gửi chưa duyệt → sổ theo dõi). "
    "So sánh cùng kỳ trong cùng một nguồn; kế hoạch theo chỉ tiêu giao cho Ban Chỉ đạo."
)


@dataclass
class SourcedRow:
    """One indicator's figure as `drafting.Figure.from_row` reads it, with the source it came from."""

    indicator: object
    value: Decimal | None
    qualifier: str = ""
    previous_value: Decimal | None = None
    previous_qualifier: str = ""
    plan_value: Decimal | None = None
    plan_pct: Decimal | None = None
    change_pct: Decimal | None = None
    change_qualifier: str | None = None
    missing: list[str] = field(default_factory=list)
    source: str = APPROVED
    others: dict[str, str] = field(default_factory=dict)  # source → the value it states, when different


@dataclass
class Gathered:
    rows: dict[str, SourcedRow]
    notes: list[dict]
    narratives: dict
    missing_units: list[str]
    used_submitted: list[str]


def _area(unit, period: Period, agency=None) -> tuple[frozenset[int], frozenset[int]]:
    """Units (as they stood in the period, with predecessors) and agencies of the report's area."""
    from borderdesk.org.models import AdministrativeUnit, Agency  # noqa: PLC0415
    from borderdesk.reporting.window import _path_q, root_paths  # noqa: PLC0415

    if agency is not None:
        return frozenset(), agency_area(agency)
    units = AdministrativeUnit.objects.filter(_path_q(root_paths(unit), "path")).overlapping(period.start, period.end)
    unit_ids = frozenset(units.values_list("pk", flat=True))
    return unit_ids, frozenset(Agency.objects.filter(unit_id__in=unit_ids).values_list("pk", flat=True))


def agency_area(agency) -> frozenset[int]:
    """The agencies whose records an agency's own report counts: the agency, the bodies it succeeded or
    that succeeded it (the Border Guard's Bộ Chỉ huy became a Ban Chỉ huy on 28/06/2025: one command), and
    every sub-agency of any of them (its stations, and the stations' posts). One query per level."""
    from borderdesk.org.models import Agency  # noqa: PLC0415

    ids, frontier = {agency.pk}, {agency.pk}
    while frontier:  # the succession chain, both ways
        found = (
            set(
                Agency.objects.filter(Q(successor_id__in=frontier) | Q(predecessors__in=frontier)).values_list(
                    "pk", flat=True
                )
            )
            - ids
        )
        ids |= found
        frontier = found
    frontier = set(ids)
    while frontier:  # sub-agencies, any depth
        frontier = set(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    return frozenset(ids)


def registry_values(*, unit, period: Period, agency=None, codes=None) -> dict[str, Decimal]:
    """The registered derived figures (all, or those in `codes`) for the area and period (None left out)."""
    from borderdesk.reporting.registry import compute_many, derived_indicators  # noqa: PLC0415

    unit_ids, agency_ids = _area(unit, period, agency)
    wanted = [c for c in derived_indicators() if codes is None or c in codes]
    return compute_many(wanted, unit_ids=unit_ids, agency_ids=agency_ids, period=period)


def _consolidations(*, user, unit, period: Period, agency=None, indicator_codes=None):
    from borderdesk.reporting.consolidation import consolidation_get  # noqa: PLC0415

    if agency is not None:
        return _agency_consolidation(user=user, agency=agency, period=period)
    approved = consolidation_get(user=user, unit=unit, period=period, indicator_codes=indicator_codes)
    if not _has_submitted(unit, period):
        return approved, approved
    submitted = consolidation_get(
        user=user, unit=unit, period=period, include_submitted=True, indicator_codes=indicator_codes
    )
    return approved, submitted


@tables.ignoring_open_edits()  # reads the reports' status, period and place: no open edit changes them
def _has_submitted(unit, period: Period) -> bool:
    """Whether any report of the area in the window (or the same window last year) awaits approval."""
    from borderdesk.reporting.models import Submission  # noqa: PLC0415
    from borderdesk.reporting.window import _path_q, root_paths  # noqa: PLC0415

    last = period.same_period_last_year()
    return (
        Submission.objects.filter(_path_q(root_paths(unit), "unit_path"), status="submitted")
        .filter(
            Q(period_start__gte=period.start, period_end__lte=period.end)
            | Q(period_start__gte=last.start, period_end__lte=last.end)
        )
        .exists()
    )


@tables.ignoring_open_edits()  # approved and submitted reports only
def _agency_consolidation(*, user, agency, period: Period):
    """An agency's own approved and submitted reports for the period (its rows, no roll-up)."""
    from borderdesk.reporting.consolidation import ConsolidatedRow, Consolidation, NarrativePiece  # noqa: PLC0415
    from borderdesk.reporting.models import DataValue, Narrative, Submission  # noqa: PLC0415

    def one(statuses, per: Period):
        subs = Submission.objects.filter(
            agency=agency, status__in=statuses, period_start__gte=per.start, period_end__lte=per.end
        )
        values: dict[str, tuple] = {}
        for code, ind, value, qual in (
            DataValue.objects.filter(submission__in=subs, value__isnull=False)
            .select_related("indicator")
            .values_list("indicator__code", "indicator", "value", "qualifier")
        ):
            values[code] = (ind, value, qual)
        return subs, values

    from borderdesk.reporting.models import Indicator  # noqa: PLC0415

    out = []
    for statuses in (["approved"], ["approved", "submitted"]):
        subs, cur = one(statuses, period)
        _s, prev = one(statuses, period.same_period_last_year())
        inds = {i.code: i for i in Indicator.objects.filter(code__in=set(cur) | set(prev))}
        rows = [
            ConsolidatedRow(
                indicator=inds[c],
                value=cur[c][1] if c in cur else None,
                qualifier=(cur[c][2] or "") if c in cur else "",
                previous_value=prev[c][1] if c in prev else None,
            )
            for c in sorted(set(cur) | set(prev))
        ]
        narr: dict[str, list] = {}
        for section, text in (
            Narrative.objects.filter(submission__in=subs)
            .exclude(text="")
            .values_list("section", "text")
            .order_by("section", "submission__period_end")
        ):
            narr.setdefault(section, []).append(NarrativePiece(unit=agency.name, text=text))
        out.append(Consolidation(unit=agency.unit, period=period, rows=rows, narratives=narr))
    return out[0], out[1]


def _indicators(codes) -> dict:
    from borderdesk.reporting.models import Indicator  # noqa: PLC0415

    return {i.code: i for i in Indicator.objects.filter(code__in=list(codes))}


def _text(value, ind, qualifier="") -> str:
    return vn.format_figure(value, getattr(ind, "unit", "") or "", qualifier or None)


def outline_codes(*texts: str) -> frozenset[str]:
    """The indicator codes an outline (``f.CODE``) or a draft's live figures (``⟪CODE~``) name."""
    found: set[str] = set()
    for t in texts:
        found |= set(re.findall(r"\bf\.([A-Z][A-Z0-9_]+)", t or "")) | set(re.findall(r"⟪([A-Z][A-Z0-9_]+)~", t or ""))
    return frozenset(found)


def gather(*, user, unit, period: Period, agency=None, codes=None, only_codes: bool = False) -> Gathered:
    """The report's figures under `PRECEDENCE_RULE`, with one source note per figure.

    `codes`: the indicators the report names (registry figures are counted only for those, and the
    same period last year only where the registry gives the figure). `only_codes`: read the
    consolidation for those indicators only too (a dashboard's few figures, not a whole report)."""
    approved, submitted = _consolidations(
        user=user, unit=unit, period=period, agency=agency, indicator_codes=codes if only_codes else None
    )
    reg = registry_values(unit=unit, period=period, agency=agency, codes=codes)
    a_codes = {r.indicator.code for r in approved.rows if r.value is not None} | {
        r.indicator.code for r in submitted.rows if r.value is not None
    }
    prev_codes = {c for c in reg if c in REGISTRY_FIRST or c not in a_codes}
    reg_prev = (
        registry_values(unit=unit, period=period.same_period_last_year(), agency=agency, codes=prev_codes)
        if prev_codes
        else {}
    )
    a_rows = {r.indicator.code: r for r in approved.rows}
    s_rows = {r.indicator.code: r for r in submitted.rows}
    named = codes
    all_codes = set(a_rows) | set(s_rows) | set(reg)
    inds = {c: r.indicator for c, r in {**s_rows, **a_rows}.items()}
    inds.update(_indicators(set(reg) - set(inds)))
    rows: dict[str, SourcedRow] = {}
    notes, used_submitted = [], []
    for code in all_codes:
        ind = inds.get(code)
        if ind is None:
            continue
        a, s = a_rows.get(code), s_rows.get(code)
        candidates = {
            APPROVED: a if a is not None and a.value is not None else None,
            SUBMITTED: s if s is not None and s.value is not None else None,
            REGISTRY: code if code in reg else None,
        }
        order = (REGISTRY, APPROVED, SUBMITTED) if code in REGISTRY_FIRST else (APPROVED, SUBMITTED, REGISTRY)
        chosen = next((src for src in order if candidates[src] is not None), None)
        plan_row = a or s
        plan = getattr(plan_row, "plan_value", None)
        if chosen is None:
            if plan is not None:  # a plan without a figure yet: the line is dropped, the plan stays known
                rows[code] = SourcedRow(indicator=ind, value=None, plan_value=plan, source=APPROVED)
            continue
        if chosen == REGISTRY:
            value = reg[code]
            row = SourcedRow(
                indicator=ind,
                value=value,
                previous_value=reg_prev.get(code),
                source=REGISTRY,
                plan_value=plan,
                plan_pct=(value * 100 / plan) if plan else None,
            )
        else:
            src = candidates[chosen]
            row = SourcedRow(
                indicator=ind,
                value=src.value,
                qualifier=src.qualifier or "",
                previous_value=src.previous_value,
                previous_qualifier=getattr(src, "previous_qualifier", "") or "",
                plan_value=src.plan_value if getattr(src, "plan_value", None) is not None else plan,
                plan_pct=getattr(src, "plan_pct", None),
                missing=list(getattr(src, "missing", []) or []),
                source=chosen,
            )
            if row.plan_pct is None and row.plan_value:
                row.plan_pct = row.value * 100 / row.plan_value
        chosen_text = _text(row.value, ind, row.qualifier)
        for src in (REGISTRY, APPROVED, SUBMITTED):
            if src == chosen or candidates[src] is None:
                continue
            other = (
                _text(reg[code], ind)
                if src == REGISTRY
                else _text(candidates[src].value, ind, candidates[src].qualifier)
            )
            if other != chosen_text and not (src == SUBMITTED and chosen == APPROVED):
                row.others[src] = other
        if chosen == SUBMITTED:
            used_submitted.append(ind.name_vi)
        rows[code] = row
        if named is not None and code not in named:
            continue  # not in the report: no note
        notes.append(
            {
                "code": code,
                "name": ind.name_vi,
                "value": chosen_text,
                "source": SOURCE_LABELS[chosen],
                "others": "; ".join(f"{SOURCE_LABELS[k]}: {v}" for k, v in row.others.items()),
            }
        )
    order = {c: i for i, c in enumerate(r.indicator.code for r in approved.rows)}
    notes.sort(key=lambda n: (order.get(n["code"], 10**6), n["code"]))
    narratives = submitted.narratives if not approved.narratives else approved.narratives
    return Gathered(
        rows=rows,
        notes=notes,
        narratives=narratives,
        missing_units=[str(u) for u in (getattr(approved, "missing_units", None) or [])],
        used_submitted=used_submitted,
    )


@dataclass(frozen=True)
class SourcedFigure:
    """One indicator's figure as the report states it (`figures_for`)."""

    code: str
    value: Decimal | None  # None: no source holds it for the period (never 0 for missing data)
    text: str  # as the report writes it ("05 vụ", "trên 86 tỷ USD"); "" when missing
    source: str  # REGISTRY, APPROVED, SUBMITTED, or "" when missing
    source_label: str  # "sổ theo dõi", ...
    note: str  # the other sources' different values, or why the figure is missing
    previous: Decimal | None = None  # the same period last year, from the same source
    compare: str = ""  # "tăng 12% so với cùng kỳ" (only when both figures exist)
    plan: str = ""  # "đạt 85% kế hoạch"


def figures_for(*, user, unit, period: Period, codes, agency=None) -> dict[str, SourcedFigure]:
    """The figures of `codes` for a committee's area (or an agency) and period, under `PRECEDENCE_RULE`:
    the same value, source and comparison a drafted report states, without drafting one.

    For the dashboards (issue 12): ``figures_for(user=u, unit=province, period=parse_period("2025"),
    codes=["PATROLS_TOTAL", "PERSONS_EXIT"])["PATROLS_TOTAL"].value``. Every code asked for is in the
    answer; a code no source holds has ``value=None`` and a note. Scope: the user must be allowed to see
    the unit (`reporting.selectors.consolidation_get` checks). Queries: the consolidation of those
    indicators, and one aggregate query per register (patrols, incidents, gates...) for each of the
    period and the same period last year — not one per indicator."""
    from .figures import Figure, strip_live  # noqa: PLC0415

    codes = frozenset(codes)
    g = gather(user=user, unit=unit, period=period, agency=agency, codes=codes, only_codes=True)
    out = {}
    for code in sorted(codes):
        row = g.rows.get(code)
        if row is None or row.value is None:
            out[code] = SourcedFigure(
                code=code, value=None, text="", source="", source_label="", note="không có số liệu trong kỳ"
            )
            continue
        fig = Figure.from_row(row)
        out[code] = SourcedFigure(
            code=code,
            value=row.value,
            text=strip_live(fig["value"]),
            source=row.source,
            source_label=SOURCE_LABELS[row.source],
            note="; ".join(f"{SOURCE_LABELS[k]}: {v}" for k, v in row.others.items()),
            previous=row.previous_value,
            compare=strip_live(fig["compare"]),
            plan=strip_live(fig["plan"]),
        )
    return out
