"""The national table: every border province's key figures with a fixed number of grouped queries.

Each figure family is ONE query over all provinces at once (grouped by where a row lies: province, commune,
agency or reporter), for the chosen period and the same period last year together; the rows are then sorted
into provinces here by their place in the unit tree. No per-province consolidation: the query count does not
grow with the number of provinces.

The figures follow the reports' source rule (`documents.sources`): registry first for the indicators the
registries keep event by event (persons through the gates, patrols, incidents, markers), the approved reports
for the others (trade, self-management households), the other source when the preferred one has nothing. The
approved figures are read from the roll-up (`reporting.models.RollupValue`) for its standard windows (year,
6 and 9 months) and from the approved values of the window otherwise; a reporter's own figure covers the
reporters inside its area, as in the consolidation. Not carried over from the consolidation: submitted
(not yet approved) reports as a third source, and the closed-reporter rule for stocks at the window's end.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum

from borderdesk.core import tables
from borderdesk.core.periods import Period

from .figures import SLUG_CODES, registry_url
from .keyfigures import FIGURES, KeyFigure, _rate, completeness_url, consolidation_url

REGISTRY_SLUGS = ("crossings", "patrols", "incidents", "markers")
REPORTED = {
    "TRADE_VALUE_TOTAL_USD",
    "SELF_MGMT_HOUSEHOLDS",
    "HOUSEHOLDS_TOTAL",
    "PERSONS_EXIT_ENTRY",
    "PERSONS_EXIT",
    "PERSONS_ENTRY",
    "PATROLS_TOTAL",
    "PATROLS_BILATERAL",
    "PATROLS_UNILATERAL",
    "PATROLS_JOINT",
    "INCIDENTS_TOTAL",
    "MARKERS_DAMAGED",
}


def _overlaps(start, end, period: Period) -> bool:
    return (start is None or start <= period.end) and (end is None or end >= period.start)


class Areas:
    """Which province each unit, agency and path belongs to, in a window (units as they stood then, with the
    provinces' predecessors): 3 queries plus one per level of succession, for all provinces together."""

    def __init__(self, provinces: dict, periods: list[Period]):
        from borderdesk.org.models import AdministrativeUnit, Agency, UnitSuccession

        self.root: dict[str, int] = {u.path: pk for pk, u in provinces.items()}
        owner = {pk: pk for pk in provinces}  # unit id → the province it is (or was merged into)
        frontier = set(provinces)
        while frontier:  # predecessors (merged into a province), level by level
            rows = list(
                UnitSuccession.objects.filter(successor_id__in=frontier).values_list("successor_id", "predecessor_id")
            )
            frontier = set()
            for succ, pred in rows:
                if pred not in owner:
                    owner[pred] = owner[succ]
                    frontier.add(pred)
        preds = [pk for pk in owner if pk not in provinces]
        if preds:
            for pk, path in AdministrativeUnit.objects.filter(pk__in=preds).values_list("pk", "path"):
                if not any(path.startswith(p) for p in self.root):
                    self.root[path] = owner[pk]
        self.roots = sorted(self.root, key=len, reverse=True)
        self._paths: dict[str, tuple[int, ...]] = {}
        start, end = min(p.start for p in periods), max(p.end for p in periods)
        q = Q()
        for p in self.root:
            q |= Q(path__startswith=p)
        self.units: dict[int, tuple] = {}  # unit id → (province id, valid_from, valid_to)
        for pk, path, vf, vt in (
            AdministrativeUnit.objects.filter(q)
            .overlapping(start, end)
            .values_list("pk", "path", "valid_from", "valid_to")
        ):
            provs = self.of_path(path)
            if provs:
                self.units[pk] = (provs, vf, vt)
        self.agencies: dict[int, int] = dict(
            Agency.objects.filter(unit_id__in=list(self.units)).values_list("pk", "unit_id")
        )

    def of_path(self, path: str | None) -> tuple[int, ...]:
        """The areas a path lies in (several when one area holds another: the country and a province)."""
        found = self._paths.get(path)
        if found is None:
            found = self._paths[path] = tuple(
                dict.fromkeys(self.root[r] for r in self.roots if path and path.startswith(r))
            )
        return found

    def of_unit(self, unit_id, period: Period) -> tuple[int, ...]:
        u = self.units.get(unit_id)
        return u[0] if u is not None and _overlaps(u[1], u[2], period) else ()

    def of_row(self, period: Period, province_id=None, unit_id=None, agency_id=None) -> set[int]:
        """The areas a registry row counts for (frontier.derived.placed_q: province, unit or agency)."""
        out = {*self.of_unit(province_id, period), *self.of_unit(unit_id, period)}
        if agency_id in self.agencies:
            out.update(self.of_unit(self.agencies[agency_id], period))
        return out


def _bounds(period: Period):
    from borderdesk.frontier.derived import _bounds as bounds

    return bounds(period)


def _registry(areas: Areas, periods: list[Period]) -> dict[int, dict[str, list]]:
    """province → registry code → [value now, value last year] (None where the registry holds nothing)."""
    from borderdesk.frontier.choices import BAD_STATES
    from borderdesk.frontier.models import Incident, Marker, MarkerInspection, Patrol
    from borderdesk.gates.models import GateDailyStat

    out: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [None, None]))

    def add(prov, code, i, n, any_rows):
        if any_rows:
            cell = out[prov][code]
            cell[i] = (cell[i] or Decimal(0)) + Decimal(n or 0)

    now, last = periods
    spans = [_bounds(p) for p in periods]
    window = Q(started_at__gte=spans[1][0], started_at__lt=spans[1][1]) | Q(
        started_at__gte=spans[0][0], started_at__lt=spans[0][1]
    )
    in_ = [Q(started_at__gte=s, started_at__lt=e) for s, e in spans]
    for row in (
        Patrol.objects.filter(window)
        .order_by()
        .values("province_id", "unit_id", "agency_id")
        .annotate(n0=Count("pk", filter=in_[0]), n1=Count("pk", filter=in_[1]))
    ):
        for i, p in enumerate(periods):
            for prov in areas.of_row(p, row["province_id"], row["unit_id"], row["agency_id"]):
                add(prov, "PATROLS_TOTAL", i, row[f"n{i}"], row[f"n{i}"])
    window = Q(occurred_at__gte=spans[1][0], occurred_at__lt=spans[1][1]) | Q(
        occurred_at__gte=spans[0][0], occurred_at__lt=spans[0][1]
    )
    in_ = [Q(occurred_at__gte=s, occurred_at__lt=e) for s, e in spans]
    for row in (
        Incident.objects.filter(window, merged_into__isnull=True)
        .order_by()
        .values("province_id", "unit_id", "agency_id")
        .annotate(n0=Count("pk", filter=in_[0]), n1=Count("pk", filter=in_[1]))
    ):
        for i, p in enumerate(periods):
            for prov in areas.of_row(p, row["province_id"], row["unit_id"], row["agency_id"]):
                add(prov, "INCIDENTS_TOTAL", i, row[f"n{i}"], row[f"n{i}"])

    # Markers: the state of their last inspection up to the end of each window (a stock, not events).
    def last_state(day):
        return Subquery(
            MarkerInspection.objects.filter(marker=OuterRef("pk"), inspected_on__lte=day)
            .order_by("-inspected_on", "-id")
            .values("state")[:1]
        )

    bad = list(BAD_STATES)
    for row in (
        Marker.objects.annotate(s0=last_state(now.end), s1=last_state(last.end))
        .order_by()
        .values("province_id", "unit_id", "agency_id")
        .annotate(n0=Count("pk", filter=Q(s0__in=bad)), n1=Count("pk", filter=Q(s1__in=bad)), any=Count("pk"))
    ):
        for i, p in enumerate(periods):
            for prov in areas.of_row(p, row["province_id"], row["unit_id"], row["agency_id"]):
                add(prov, "MARKERS_DAMAGED", i, row[f"n{i}"], row["any"])
    # Gates: persons and trade per gate's unit and managing station, both windows in one pass.
    persons, trade = F("persons_exit") + F("persons_entry"), F("export_usd") + F("import_usd")
    in_ = [Q(date__gte=p.start, date__lte=p.end) for p in periods]
    for row in (
        GateDailyStat.objects.filter(in_[0] | in_[1])
        .order_by()
        .values("gate__unit_id", "gate__managing_station_id")
        .annotate(
            n0=Count("pk", filter=in_[0]),
            n1=Count("pk", filter=in_[1]),
            p0=Sum(persons, filter=in_[0]),
            p1=Sum(persons, filter=in_[1]),
            t0=Sum(trade, filter=in_[0]),
            t1=Sum(trade, filter=in_[1]),
        )
    ):
        for i, p in enumerate(periods):
            provs = set(areas.of_unit(row["gate__unit_id"], p))
            station = row["gate__managing_station_id"]
            if station in areas.agencies:
                provs.update(areas.of_unit(areas.agencies[station], p))
            for prov in provs:
                add(prov, "PERSONS_EXIT_ENTRY", i, row[f"p{i}"], row[f"n{i}"])
                add(prov, "TRADE_VALUE_TOTAL_USD", i, row[f"t{i}"], row[f"n{i}"])
    return out


def _reporters(areas: Areas, period: Period) -> dict[int, dict]:
    """province → reporter (rkey) → path: who sent an approved report counted in the window (one query)."""
    from borderdesk.reporting import rollup
    from borderdesk.reporting.models import RollupMember, Submission
    from borderdesk.reporting.window import window_q

    out: dict[int, dict] = defaultdict(dict)
    if rollup.is_bucket(period):
        q = Q()
        for p in areas.root:
            q |= Q(unit_path__startswith=p)
        rows = (
            RollupMember.objects.filter(
                q, bucket_start=period.start, bucket_end=period.end, scope__in=rollup.SCOPES[False]
            )
            .order_by()
            .values_list("rkey", "unit_path")
            .distinct()
        )
    else:
        q = Q()
        for p in areas.root:
            q |= Q(unit_path__startswith=p)
        rows = [
            (rollup.rkey_of(u, a), path)
            for u, a, path in Submission.objects.filter(q, window_q(period), status="approved")
            .order_by()
            .values_list("unit_id", "agency_id", "unit_path")
        ]
    for rkey, path in rows:
        for prov in areas.of_path(path):
            out[prov][rkey] = path
    return out


def _reported(areas: Areas, periods: list[Period], indicators: dict) -> dict:
    """province → code → [approved value now, last year] from reporter-level rows, one query per window (the
    roll-up for its standard windows, the approved values otherwise)."""
    from borderdesk.reporting import rollup
    from borderdesk.reporting.models import DataValue, RollupValue

    values: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [None, None]))
    path_q = Q()
    for p in areas.root:
        path_q |= Q(unit_path__startswith=p)
    for i, period in enumerate(periods):
        per: dict[tuple, list] = {}  # (indicator id, rkey) → [value, path]
        if rollup.is_bucket(period):
            window = {"bucket_start": period.start, "bucket_end": period.end}
            for ind_id, rkey, path, s, ls in (
                RollupValue.objects.filter(
                    path_q, indicator_id__in=list(indicators), scope__in=rollup.SCOPES[False], **window
                )
                .order_by()
                .values_list("indicator_id", "rkey", "unit_path", "s", "latest_s")
            ):
                v = ls if indicators[ind_id].aggregation == "latest" else s
                cell = per.setdefault((ind_id, rkey), [Decimal(0), path])
                cell[0] += Decimal(str(v)) if v is not None else 0
        else:
            rows = list(
                DataValue.objects.filter(
                    submission__status="approved",
                    submission__period_start__gte=period.start,
                    submission__period_end__lte=period.end,
                    indicator_id__in=list(indicators),
                    value__isnull=False,
                )
                .filter(_sub_path_q(areas))
                .order_by()
                .values_list(
                    "submission_id",
                    "submission__unit_id",
                    "submission__agency_id",
                    "submission__unit_path",
                    "submission__form_id",
                    "submission__period_start",
                    "submission__period_end",
                    "indicator_id",
                    "value",
                )
            )
            windows = defaultdict(set)  # consolidation rule 1: a reporter's nested reports are not added
            for sid, uid, aid, _p, _form, ps, pe, _i, _v in rows:
                windows[rollup.rkey_of(uid, aid)].add((sid, ps, pe))
            kept = set().union(*(rollup.outermost(list(ws)) for ws in windows.values())) if windows else set()
            latest: dict[tuple, dt.date] = {}
            for sid, uid, aid, path, _f, _ps, pe, ind_id, v in rows:
                if sid not in kept:
                    continue
                rkey = rollup.rkey_of(uid, aid)
                cell = per.setdefault((ind_id, rkey), [Decimal(0), path])
                if indicators[ind_id].aggregation == "latest":  # the value(s) of the reporter's last window
                    seen = latest.get((ind_id, rkey), dt.date.min)
                    if seen < pe:
                        latest[(ind_id, rkey)], cell[0] = pe, Decimal(v)
                    elif seen == pe:
                        cell[0] += Decimal(v)
                else:
                    cell[0] += Decimal(v)
        # A reporter's own figure covers its area (consolidation rule 2), per indicator.
        by_ind: dict[int, list] = defaultdict(list)
        for (ind_id, _rkey), (v, path) in per.items():
            by_ind[ind_id].append((path, v))
        for ind_id, parts in by_ind.items():
            ordered = sorted({p for p, _v in parts})  # the paths under p follow p: neighbours tell the covering
            covering = {a for a, b in zip(ordered, ordered[1:], strict=False) if b.startswith(a)}
            for path, v in parts:
                if covering and any(q != path and path.startswith(q) for q in covering):
                    continue
                for prov in areas.of_path(path):
                    cell = values[prov][indicators[ind_id].code]
                    cell[i] = (cell[i] or Decimal(0)) + v
    return values


def _sub_path_q(areas: Areas) -> Q:
    q = Q()
    for p in areas.root:
        q |= Q(submission__unit_path__startswith=p)
    return q


def _completeness(areas: Areas, period: Period, reporters: dict) -> dict[int, tuple[int, int]]:
    """province → (reporters expected, missing), as the consolidation counts them (one query per form version)."""
    from borderdesk.reporting.reporters import expected_reporters
    from borderdesk.reporting.window import _versions_for

    expected = expected_reporters(paths=list(areas.root), period=period, versions=_versions_for(None, period))
    out: dict[int, list] = defaultdict(lambda: [0, 0])
    covered = {prov: set(rs.values()) for prov, rs in reporters.items()}
    for key, info in expected.items():
        rk = key[1] if key[0] == "u" else -key[1]
        for prov in areas.of_path(info["path"]):
            out[prov][0] += 1
            if rk in reporters.get(prov, {}):
                continue
            if not any(info["path"].startswith(p) and info["path"] != p for p in covered.get(prov, ())):
                out[prov][1] += 1
    return {k: tuple(v) for k, v in out.items()}


def _choose(reg: list | None, rep: list | None, registry_first: bool):
    """(value, previous, source) under the rule: the preferred source when it has a value, else the other."""
    order = ((reg, "registry"), (rep, "approved")) if registry_first else ((rep, "approved"), (reg, "registry"))
    for cell, source in order:
        if cell is not None and cell[0] is not None:
            return cell[0], cell[1], source
    return None, None, ""


@tables.ignoring_open_edits()  # approved reports and the roll-up only; the expected ones from the tree
def province_figures(*, provinces: dict, period: Period) -> dict[int, dict[str, KeyFigure]]:
    """province id → slug → `KeyFigure` for every province in ``provinces`` (id → unit)."""
    from borderdesk.reporting.models import Indicator

    periods = [period, period.same_period_last_year()]
    areas = Areas(provinces, periods)
    indicators = {i.pk: i for i in Indicator.objects.filter(code__in=sorted(REPORTED))}
    reg = _registry(areas, periods)
    rep = _reported(areas, periods, indicators)
    comp = _completeness(areas, period, _reporters(areas, period))
    out = {}
    for pk, unit in provinces.items():
        url = consolidation_url(unit, period)
        figs = {
            slug: KeyFigure(slug, label, unit_of, url=url, higher_is_better=better)
            for slug, (label, unit_of, better) in FIGURES.items()
        }
        r, a = reg.get(pk, {}), rep.get(pk, {})
        for slug, codes in SLUG_CODES.items():
            f = figs[slug]
            registry_first = slug in REGISTRY_SLUGS
            code = codes[0]
            f.value, f.previous, f.source = _choose(r.get(code), _reported_sum(a, codes), registry_first)
            if f.source == "registry":
                f.url = registry_url(slug, unit, period)
        households, total = a.get("SELF_MGMT_HOUSEHOLDS"), a.get("HOUSEHOLDS_TOTAL")
        if households and total:
            figs["self_mgmt"].value = _rate(households[0], total[0])
            figs["self_mgmt"].previous = _rate(households[1], total[1])
            figs["self_mgmt"].source = "approved"
        expected, missing = comp.get(pk, (0, 0))
        c = figs["completeness"]
        c.value = _rate(Decimal(expected - missing), Decimal(expected)) if expected else None
        c.expected, c.missing = expected, missing
        c.url = completeness_url(unit, period)
        out[pk] = figs
    return out


def _reported_sum(values: dict, codes: list[str]) -> list | None:
    """The first code's approved [now, last year]; else the sum of the other codes (a direct total wins)."""
    first = values.get(codes[0])
    if first is not None and first[0] is not None:
        return first
    parts = [values[c] for c in codes[1:] if c in values and values[c][0] is not None]
    if not parts:
        return None
    prev = [p[1] for p in parts if p[1] is not None]
    return [sum((p[0] for p in parts), Decimal(0)), sum(prev, Decimal(0)) if prev else None]


@tables.ignoring_open_edits()  # approved reports and the roll-up only; the expected ones from the tree
def unit_completeness(*, unit, period: Period) -> tuple[int, int]:
    """(reporters expected, missing) of one unit's area in the window, as its consolidation counts them."""
    areas = Areas({unit.pk: unit}, [period])
    return _completeness(areas, period, _reporters(areas, period)).get(unit.pk, (0, 0))
