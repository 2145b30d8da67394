"""The aggregation engine of a consolidation: the values (or the rollup rows) of the reports a window
counts, per indicator and reporter, reduced by each indicator's aggregation rule over the reporters, and
the reporters expected in a window (for the missing ones).

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
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, overload

from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum, Value
from django.db.models.functions import NullIf, Round
from django.utils.translation import gettext as _

from borderdesk.core import vn
from borderdesk.core.periods import Period
from borderdesk.org.models import AdministrativeUnit, Agency, UnitSuccession, valid_on_q

from . import rollup
from .choices import Aggregation, Status
from .models import (
    DataValue,
    FormVersion,
    Indicator,
    ReportForm,
    RollupMember,
    RollupValue,
)
from .window import _covering, _path_q, _prefix_q, _window_submissions, root_paths


# Consolidation ---------------------------------------------------------------------------------------
class _SubmissionRow(NamedTuple):
    """A counted report of the window (values path)."""

    pk: int
    unit_id: int | None
    agency_id: int | None
    unit_path: str
    period_start: dt.date
    period_end: dt.date


class _MemberRow(NamedTuple):
    """A report counted in a rollup bucket (rollup path)."""

    submission_id: int
    form_id: int
    rkey: str
    unit_path: str
    period_start: dt.date
    period_end: dt.date


#: A number as the database cursor returns it (:func:`_raw`): Decimal on PostgreSQL, int or float on SQLite —
#: one kind per connection, so they subtract from each other, which no static type can say (hence Any).
#: Never NULL in the rollup totals: a rollup row exists only for non-null values.
_DbNumber = Any


class _Totals(NamedTuple):
    """One indicator's totals over the rollup rows of a window."""

    indicator_id: int
    ts: _DbNumber  # sum of the sums
    tn: int  # number of values
    tmx: _DbNumber  # largest
    tmn: _DbNumber  # smallest
    tls: _DbNumber  # sum of the latest values
    tq1: str | None  # qualifiers (smallest, largest)
    tq2: str | None
    tr: int  # rollup rows = reporters
    tnq: int  # values with a source quote


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

    Bucket windows (year, 6 months, second half, 9 months) of approved data read the rollup rows;
    anything else reads the values.
    """
    parts = None
    if (
        use_rollup
        and Status.SUBMITTED in statuses
        and rollup.is_bucket(period)
        and not _window_submissions(paths, period, [Status.SUBMITTED], form).exists()
    ):
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


def rollup_differences(*, unit, period: Period, form: ReportForm | None = None) -> list[str]:
    """Where the rollup and the values disagree for one consolidation (empty when they agree)."""
    paths = root_paths(unit)
    indicators = {i.pk: i for i in Indicator.objects.all()}
    fast, _fast_paths, fast_ids = _aggregate(paths, period, [Status.APPROVED], form, indicators)
    slow, _slow_paths, slow_ids = _aggregate(paths, period, [Status.APPROVED], form, indicators, use_rollup=False)
    out = []
    for ind_id in sorted(set(fast) | set(slow)):
        a, b = fast.get(ind_id), slow.get(ind_id)
        if (
            a is None
            or b is None
            or (a.value, a.qualifier, sorted(a.contributors), sorted(a.quotes))
            != (b.value, b.qualifier, sorted(b.contributors), sorted(b.quotes))
        ):
            show = [(x.value, x.qualifier, len(x.contributors), len(x.quotes)) if x else None for x in (a, b)]
            out.append(f"{unit} {period.key} {indicators[ind_id].code}: rollup {show[0]} ≠ values {show[1]}")
    if sorted(fast_ids) != sorted(slow_ids):
        out.append(f"{unit} {period.key}: counted submissions differ")
    return out


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


def _parts_from_rollup(paths, period, form, indicators):
    """The same parts as :func:`_parts_from_values`, read from the rollup rows of a bucket window.

    Returns None (read the values instead) when the window holds approved reports of a form with another
    period rule, or when a reporter's reports of two forms nest only partly inside each other.
    """
    window = {"bucket_start": period.start, "bucket_end": period.end}
    other_rule = [
        pk for pk, spec in FormVersion.objects.values_list("pk", "period_spec") if rollup.rule_of(spec) != period.rule
    ]
    if (
        other_rule
        and _window_submissions(paths, period, [Status.APPROVED], form).filter(form_version_id__in=other_rule).exists()
    ):
        return None
    members = RollupMember.objects.filter(_prefix_q(paths, "unit_path"), **window)
    if form is not None:
        members = members.filter(form=form)
    rows = [
        _MemberRow(*r)
        for r in _raw(
            members.values_list(
                "submission_id", "form_id", "rkey", "unit_path", "period_start", "period_end"
            ).order_by()
        )
    ]
    if not rows:
        return None
    by_reporter: dict[int, list] = defaultdict(list)
    for row in rows:
        by_reporter[row.rkey].append(row)
    rpath: dict[tuple, str] = {}
    skip: set[tuple] = set()  # (rkey, form_id) wholly inside another form's report of the same reporter
    sub_keys: dict[int, tuple] = {}
    for rkey, rs in by_reporter.items():
        rpath[rollup.reporter_key(rkey)] = rs[0].unit_path
        keep = (
            rollup.outermost([(r.submission_id, r.period_start, r.period_end) for r in rs])
            if len(rs) > 1
            else {rs[0].submission_id}
        )
        by_form: dict[int, list] = defaultdict(list)
        for r in rs:
            by_form[r.form_id].append(r.submission_id in keep)
        for form_id, kept in by_form.items():
            if not any(kept):
                skip.add((rkey, form_id))
            elif not all(kept):
                return None
        sub_keys.update((r.submission_id, rollup.reporter_key(rkey)) for r in rs if r.submission_id in keep)
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
    single_form = all(len({r.form_id for r in rs}) == 1 for rs in by_reporter.values())
    if not skip and single_form and not _covering(set(rpath.values())):
        return _Done(_totals_from_rollup(vq.order_by(), indicators, rpath, sub_keys, period), rpath, sub_keys)
    per_ind: dict[int, dict[tuple, list]] = defaultdict(dict)
    latest: dict[tuple, tuple] = {}
    quals: dict[tuple, set] = {}
    quoted: set[tuple] = set()
    # Read without the ORM's per-value converters (a national year is 66.000 rows): numbers stay as the
    # driver returns them (int/float on SQLite, Decimal on PostgreSQL) until _finish cleans the totals.
    fetched = _raw(
        vq.values_list(
            "indicator_id", "form_id", "rkey", "s", "n", "mx", "mn", "q1", "q2", "nq", "latest_end", "latest_s"
        ).order_by()
    )
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
    totals = [
        t
        for t in map(
            _Totals._make,
            _raw(
                vq.values("indicator_id")
                .annotate(
                    ts=Round(Sum("s"), 4),
                    tn=Sum("n"),
                    tmx=Max("mx"),
                    tmn=Min("mn"),
                    tls=Round(Sum("latest_s"), 4),
                    tq1=Min("q1"),
                    tq2=Max("q2"),
                    tr=Count("pk"),
                    tnq=Sum("nq"),
                )
                .values_list("indicator_id", "ts", "tn", "tmx", "tmn", "tls", "tq1", "tq2", "tr", "tnq")
            ),
        )
        if t.indicator_id in indicators
    ]
    if not totals:
        return {}
    # Which reporters contributed to which indicator: usually every counted reporter reported every
    # indicator (one row each), which the totals already show; otherwise ask per reporter.
    extra: dict[int, list] = defaultdict(list)
    everyone = all(t.tr == len(rpath) for t in totals) and len(indicators) < 200
    quoted_any = any(t.tnq for t in totals)
    # rkey → (rows, quoted values), asked only when the totals cannot tell
    counts = (
        []
        if everyone and not quoted_any
        else _raw(vq.values("rkey").annotate(c=Count("pk"), q=Sum("nq")).values_list("rkey", "c", "q"))
    )
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
    closed_latest: dict[int, _DbNumber] = {}
    latest_ids = [t.indicator_id for t in totals if indicators[t.indicator_id].aggregation == Aggregation.LATEST]
    if latest_ids:
        closed = _closed_reporters(set(rpath), period.end, rpath)
        if closed:
            rkeys = [rollup.rkey_of_reporter(k) for k in closed]
            closed_latest = dict(
                _raw(
                    vq.filter(rkey__in=rkeys, indicator_id__in=latest_ids)
                    .values("indicator_id")
                    .annotate(c=Sum("latest_s"))
                    .values_list("indicator_id", "c")
                )
            )
    quotes = _quotes(quoted, sub_keys, list(indicators))
    result: dict[int, _Agg] = {}
    for ind_id, ts, tn, tmx, tmn, tls, tq1, tq2, tr, _tnq in totals:
        agg = indicators[ind_id].aggregation
        total = tls - closed_latest.get(ind_id, 0) if agg == Aggregation.LATEST else ts
        value = _by_rule(agg, total=total, count=tn, largest=tmx, smallest=tmn, reporters=tr)
        qualifier = _merged_qualifier({tq1, tq2})
        keys = full + extra[ind_id] if ind_id in extra else full
        result[ind_id] = _Agg(
            _clean(value),
            qualifier,
            keys,
            [q for k in keys if k in quoted for q in quotes.get((ind_id, k), [])] if quoted else [],
        )
    return result


def _quotes(quoted: set[tuple], sub_keys: dict[int, tuple], ind_ids: list[int]) -> dict[tuple, list[str]]:
    """(indicator id, reporter key) → the source quotes of the counted submissions of quoted reporters."""
    quotes: dict[tuple, list] = defaultdict(list)
    if quoted:
        quoted_subs = [sid for sid, k in sub_keys.items() if k in quoted]
        for ind_id, uid, aid, quote in (
            DataValue.objects.filter(submission_id__in=quoted_subs, indicator_id__in=ind_ids)
            .exclude(source_quote="")
            .values_list("indicator_id", "submission__unit_id", "submission__agency_id", "source_quote")
            .order_by("pk")[:2000]
        ):
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
        succ_paths = dict(
            AdministrativeUnit.objects.filter(pk__in={n for s in succ.values() for n in s}).values_list("pk", "path")
        )
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
    rows = [
        (("u", pk), n, f, t)
        for pk, n, f, t in AdministrativeUnit.objects.filter(pk__in=uids).values_list(
            "pk", "name", "valid_from", "valid_to"
        )
    ]
    rows += [
        (("a", pk), n, f, t)
        for pk, n, f, t in Agency.objects.filter(pk__in=aids).values_list("pk", "name", "valid_from", "valid_to")
    ]
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
    from .replacements import replaced_on, replacements_by_form

    out: dict[tuple, dict] = {}
    pq = _path_q(paths, "path")
    replaced = replacements_by_form({v.form_id for v in versions})
    for v in versions:
        spec = v.reporter_spec or {}
        found = replaced[v.form_id]
        uq = Q(pk__in=spec.get("units", [])) | Q(kind__in=spec.get("unit_kinds", []))
        units = AdministrativeUnit.objects.filter(pq).filter(valid_on_q(period.end)).filter(uq)
        if spec.get("border_only"):
            units = units.exclude(is_border=False)
        for pk, name, path in units.values_list("pk", "name", "path"):
            if found and replaced_on(found, ("u", pk), period.end):
                continue  # reports on its province's own form
            out.setdefault(("u", pk), {"name": name, "path": path, "version_ids": set()})["version_ids"].add(v.pk)
        aq = Q(pk__in=spec.get("agencies", [])) | Q(kind__code__in=spec.get("agency_kinds", []))
        if spec.get("agencies") or spec.get("agency_kinds"):
            agencies = Agency.objects.filter(_path_q(paths, "unit__path")).filter(valid_on_q(period.end)).filter(aq)
            for pk, name, path in agencies.values_list("pk", "name", "unit__path"):
                if found and replaced_on(found, ("a", pk), period.end):
                    continue
                out.setdefault(("a", pk), {"name": name, "path": path, "version_ids": set()})["version_ids"].add(v.pk)
    return out


def expected_reporters_by_period(
    *, paths: list[str], periods: list[Period], versions: list[FormVersion]
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
    version_forms = {v.pk: v.form_id for v in versions}

    from .replacements import replaced_on, replacements_by_form

    replaced = replacements_by_form({v.form_id for v in versions})

    def add(key, name, path, start, end, version_id):
        found = replaced[version_forms[version_id]]
        for i, day in enumerate(days):
            if found and replaced_on(found, key, day):
                continue  # reports on its province's own form from that day
            if (start is None or start <= day) and (end is None or end >= day):
                out[i].setdefault(key, {"name": name, "path": path, "version_ids": set()})["version_ids"].add(
                    version_id
                )

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
            for pk, name, path, start, end in agencies.values_list(
                "pk", "name", "unit__path", "valid_from", "valid_to"
            ):
                add(("a", pk), name, path, start, end, v.pk)
    return out
