"""The aggregation of a consolidation: the reports a window counts, per indicator and reporter, reduced by each
indicator's aggregation rule over the reporters (the SQL engine in engine.py; here its entry point, the direct
computation it is checked against, and the rules both share). The reporters expected in a window are in
reporters.py.

The reports counted are those whose window lies inside the period (window.window_q) and whose reporting
unit's tree path starts with the unit's path (or the path of one of its predecessors, so a commune created on
1/7/2025 also sums the communes merged into it); each indicator's rule applies over the reporters, not over
the values.

Two rules keep figures from being counted twice:

* a reporter's submissions whose window lies inside another of its own submissions' windows are left
  out (a unit's monthly reports do not add to its annual report of the same period);
* for each indicator, a figure reported by a unit (or an agency located in it) covers its area: the
  figures of reporters inside that area are not added again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, overload

from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum, Value
from django.db.models.functions import NullIf

from borderdesk.core.periods import Period

from . import engine, rollup
from .choices import Aggregation, Status
from .models import DataValue, Indicator, ReportForm
from .reporters import _closed_reporters
from .window import _covering, _window_submissions, root_paths


# Consolidation ---------------------------------------------------------------------------------------
class _SubmissionRow(NamedTuple):
    """A counted report of the window (values path)."""

    pk: int
    unit_id: int | None
    agency_id: int | None
    unit_path: str
    period_start: dt.date
    period_end: dt.date


@dataclass
class _Agg:
    value: Decimal | None
    qualifier: str
    contributors: list[tuple]  # reporter keys
    quotes: list[str]


def _rkey(unit_id, agency_id) -> tuple:
    return ("u", unit_id) if unit_id else ("a", agency_id)


def _aggregate(
    paths: list[str],
    period: Period,
    statuses: Sequence[str],
    form: ReportForm | None,
    indicators: dict[int, Indicator],
    *,
    use_rollup: bool = True,
) -> tuple[dict[int, _Agg], dict[tuple, str], list[int]]:
    """indicator id → aggregate; reporter key → path; ids of the submissions counted.

    By default the SQL engine (:mod:`.engine`: roll-up buckets plus the values they do not hold); with
    ``use_rollup=False`` the direct computation from the values in Python (the reference the tests and
    ``borderdesk rollup --verify`` compare the engine with).
    """
    if not use_rollup:
        parts = _parts_from_values(paths, period, statuses, form, indicators)
        if parts is None:
            return {}, {}, []
        per_ind, quals, quoted, rpath, sub_keys = parts
        return _finish(per_ind, quals, quoted, rpath, sub_keys, period, indicators), rpath, list(sub_keys)
    reports = engine.counted_reports(paths, period, statuses, form)
    if not reports:
        return {}, {}, []
    p = engine.plan(reports, period, submitted=Status.SUBMITTED in statuses)
    rpath = {rollup.reporter_key(k): v for k, v in p.rpath.items()}
    closed: set[int] = set()
    if any(ind.aggregation == Aggregation.LATEST for ind in indicators.values()):
        closed = {rollup.rkey_of_reporter(k) for k in _closed_reporters(set(rpath), period.end, rpath)}
    totals, nq, missing = engine.run(p, paths, form, indicators, closed)
    sub_keys = {pk: rollup.reporter_key(rkey) for pk, rkey in p.kept.items()}
    quoted = {rollup.reporter_key(k) for k, c in nq.items() if c}
    quotes = _quotes(quoted, sub_keys, list(indicators))
    everyone = sorted(rollup.reporter_key(k) for k in nq)
    result: dict[int, _Agg] = {}
    # Indicators missing the same reporters share one list (the consolidation resolves each list once).
    lists: dict[frozenset, list[tuple]] = {}
    # Each indicator's quotes, in the contributors' order (everyone's: sorted): read from the quotes found, not by
    # looking up every contributor of every indicator (550 reporters × 120 indicators on the national set).
    by_ind: dict[int, list[tuple]] = defaultdict(list)
    for (ind_id, key), found in sorted(quotes.items()):
        by_ind[ind_id].append((key, found))
    listed: dict[int, set] = {}
    for t in totals:
        if t.indicator_id not in indicators:
            continue
        agg = indicators[t.indicator_id].aggregation
        total = t.ls if agg == Aggregation.LATEST else t.s
        value = _by_rule(agg, total=total, count=t.n, largest=t.mx, smallest=t.mn, reporters=t.reporters)
        gone = missing.get(t.indicator_id)
        keys = everyone
        if gone:
            keys = lists.get(frozenset(gone)) or lists.setdefault(
                frozenset(gone), [k for k in everyone if rollup.rkey_of_reporter(k) not in gone]
            )
        said: list[str] = []
        if quoted and t.indicator_id in by_ind:
            members = listed.get(id(keys))
            if members is None:
                members = listed[id(keys)] = set(keys)
            said = [q for k, found in by_ind[t.indicator_id] if k in members for q in found]
        result[t.indicator_id] = _Agg(_clean(value), _merged_qualifier({t.q1, t.q2}), keys, said)
    return result, rpath, list(sub_keys)


def rollup_differences(
    *,
    unit,
    period: Period,
    form: ReportForm | None = None,
    include_submitted: bool = False,
    indicators: dict[int, Indicator] | None = None,
    paths: list[str] | None = None,
) -> list[str]:
    """Where the engine (roll-up and values) and the direct computation disagree for one consolidation
    (empty when they agree). A caller checking many windows (``borderdesk rollup --verify``, the tests) reads
    the catalogue (``indicators``, id → indicator) and each unit's ``root_paths`` once and passes them: at each
    call they cost about as much as the empty windows' two queries."""
    paths = root_paths(unit) if paths is None else paths
    if indicators is None:
        indicators = {i.pk: i for i in Indicator.objects.all()}
    statuses = [Status.APPROVED, Status.SUBMITTED] if include_submitted else [Status.APPROVED]
    fast, _fast_paths, fast_ids = _aggregate(paths, period, statuses, form, indicators)
    slow, _slow_paths, slow_ids = _aggregate(paths, period, statuses, form, indicators, use_rollup=False)
    out, scope = [], " (+submitted)" if include_submitted else ""
    for ind_id in sorted(set(fast) | set(slow)):
        a, b = fast.get(ind_id), slow.get(ind_id)
        if (
            a is None
            or b is None
            or (a.value, a.qualifier, sorted(a.contributors), sorted(a.quotes))
            != (b.value, b.qualifier, sorted(b.contributors), sorted(b.quotes))
        ):
            show = [(x.value, x.qualifier, len(x.contributors), len(x.quotes)) if x else None for x in (a, b)]
            out.append(f"{unit} {period.key}{scope} {indicators[ind_id].code}: rollup {show[0]} ≠ values {show[1]}")
    if sorted(fast_ids) != sorted(slow_ids):
        out.append(f"{unit} {period.key}{scope}: counted submissions differ")
    return out


# The direct computation --------------------------------------------------------------------------------
def _parts_from_values(paths, period, statuses, form, indicators, strictly_below: bool = False):
    """Per indicator and reporter: [sum, count, max, min] (sum replaced by the latest value for "latest")."""
    subs_qs = _window_submissions(paths, period, statuses, form, strictly_below)
    meta = [
        _SubmissionRow(*r)
        for r in subs_qs.values_list("pk", "unit_id", "agency_id", "unit_path", "period_start", "period_end")
    ]
    if not meta:
        return None
    # Rule 1: drop a reporter's submissions nested inside another of its own (same form or not).
    by_reporter: dict[tuple, list] = defaultdict(list)
    for row in meta:
        by_reporter[_rkey(row.unit_id, row.agency_id)].append(row)
    dropped: set[int] = set()
    rpath: dict[tuple, str] = {}
    for key, rows in by_reporter.items():
        rpath[key] = rows[0].unit_path
        if len(rows) > 1:
            keep = rollup.outermost([(r.pk, r.period_start, r.period_end) for r in rows])
            dropped |= {r.pk for r in rows if r.pk not in keep}
    sub_ids = [r.pk for r in meta if r.pk not in dropped]
    sub_keys = {r.pk: _rkey(r.unit_id, r.agency_id) for r in meta if r.pk not in dropped}
    values = (
        DataValue.objects.filter(submission_id__in=sub_ids)
        if dropped
        else DataValue.objects.filter(submission__in=subs_qs)
    )
    values = values.filter(indicator_id__in=list(indicators))
    grouped = (
        values.filter(value__isnull=False)
        .values_list("indicator_id", "submission__unit_id", "submission__agency_id")
        .annotate(
            s=Sum("value"),
            n=Count("value"),
            mx=Max("value"),
            mn=Min("value"),
            q1=Min(NullIf("qualifier", Value(""))),
            q2=Max(NullIf("qualifier", Value(""))),
            nq=Count("pk", filter=~Q(source_quote="")),
        )
        .order_by()
    )
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
        rows = (
            values.filter(value__isnull=False, indicator_id__in=latest_ids)
            .values_list("indicator_id", "submission__unit_id", "submission__agency_id", "submission__period_end")
            .annotate(s=Sum("value"))
            .order_by()
        )
        best: dict[tuple, tuple] = {}
        for ind_id, uid, aid, end, s in rows:
            k = (ind_id, _rkey(uid, aid))
            if k not in best or end > best[k][0]:
                best[k] = (end, s)
        for (ind_id, key), (_end, s) in best.items():
            per_ind[ind_id][key][0] = s
    return per_ind, quals, quoted, rpath, sub_keys


def _quotes(quoted: set[tuple], sub_keys: dict[int, tuple], ind_ids: list[int]) -> dict[tuple, list[str]]:
    """(indicator id, reporter key) → the source quotes of the counted submissions of quoted reporters (the
    first 2.000 values by id; one statement, the submission ids bound as one parameter; the condition written as
    the partial index reporting_dv_quoted_idx's, which SQLite uses only then — not every value of the reports)."""
    quotes: dict[tuple, list] = defaultdict(list)
    if not quoted:
        return quotes
    quoted_subs = sorted(sid for sid, k in sub_keys.items() if k in quoted)
    if not quoted_subs:
        return quotes
    ids_sql, params = engine._ids_sql("v.submission_id", quoted_subs)
    sql = (
        "SELECT v.indicator_id, v.submission_id, v.source_quote FROM "  # noqa: S608 (table name from the model)
        f"{connection.ops.quote_name(DataValue._meta.db_table)} v WHERE {ids_sql} AND NOT (v.source_quote = '') "
        "ORDER BY v.id"
    )
    wanted = set(ind_ids)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        found = 0
        for ind_id, sid, quote in cur.fetchall():
            if ind_id in wanted:
                quotes[(ind_id, sub_keys[sid])].append(quote)
                found += 1
                if found == 2000:
                    break
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
        value = _by_rule(
            ind.aggregation,
            total=sum(_dec(p[0]) for p in parts),
            count=sum(p[1] for p in parts),
            largest=max((p[2] for p in parts), default=None),
            smallest=min((p[3] for p in parts), default=None),
            reporters=len(parts),
        )
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


@overload
def _clean(value: Decimal) -> Decimal: ...
@overload
def _clean(value: None) -> None: ...
@overload
def _clean(value: Decimal | None) -> Decimal | None: ...
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
