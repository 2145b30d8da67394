"""The consolidation engine in SQL: every window kind and both value scopes in one statement.

A consolidation counts the reports of a window (:func:`~borderdesk.reporting.window.window_q`), drops a
reporter's reports nested inside another of its own, combines each reporter's figures per indicator (sum,
count, max, min, qualifiers, quotes and the value at the reporter's latest window), lets a reporter's own
figure cover its area, and reduces what is left per indicator by the indicator's rule. Here all of that
after the first step runs in the database:

1. the counted reports are read (one row per report, not per value) and the nesting rule applied to them
   in Python;
2. the window is tiled with roll-up buckets (:func:`rollup.pieces`): a (bucket, form, reporter) group whose
   counted reports are exactly the bucket's members of the scope (approved; approved + submitted: the 's' rows
   of a group with a submitted report) reads its roll-up rows; the other counted reports — days a bucket does
   not cover, reports of another period rule, groups where another form's report of the same reporter changes
   what is nested — are read from the values, grouped per reporter, indicator and window end;
3. one statement unions both sources, combines the rows of the reporters that have several ("latest" = the
   rows at its latest window end, joined for the "latest" indicators only; every other reporter's roll-up row
   is its figure as it is), removes the (reporter, indicator) pairs an enclosing reporter covers (the
   enclosing reporters found in Python from the reporters' paths, joined by equality) and aggregates per
   indicator, together with each reporter's pairs and quotes for the contributor lists; the indicators of the
   few reporters with fewer figures than there are totals are read by a second statement, through the reporter
   index (on SQLite the roll-up has a covering index in indicator order for the per-indicator grouping:
   migration reporting 0012).

The figures are those of the direct computation (:func:`aggregation._parts_from_values` +
:func:`aggregation._finish`), which ``borderdesk rollup --verify`` and the tests compare against.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db import connection

from borderdesk.core.periods import Period

from . import rollup
from .choices import Aggregation, Status
from .models import DataValue, FormVersion, Indicator, ReportForm, RollupValue, Submission
from .window import _covering, _path_q, window_q

#: More excluded roll-up groups than this: read the values of the whole window instead.
MAX_EXCLUDED = 300


class Counted(NamedTuple):
    """A report the window counts."""

    pk: int
    form_id: int
    rkey: int
    unit_path: str
    start: dt.date
    end: dt.date
    approved: bool
    rule: str


class Plan(NamedTuple):
    """Where a consolidation's rows come from."""

    pieces: list[rollup.Window]
    accepted: set[tuple]  # (bucket start, form id, rkey) read from the roll-up
    excluded: set[tuple]  # roll-up groups not read (their reports, if counted, come from the values)
    value_ids: list[int]  # submissions read from the values
    rpath: dict[int, str]  # rkey → path
    kept: dict[int, int]  # counted submission id → rkey
    value_unique: bool = False  # no two of the reports read from the values share a reporter and window end
    multipath: frozenset = frozenset()  # rkeys whose kept reports lie at more than one path
    one_end: frozenset = frozenset()  # rkeys whose reports read from the values share one window end
    scopes: tuple = rollup.SCOPES[False]  # the roll-up rows read (approved only, or with the submitted values)


def _date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def counted_reports(
    paths: list[str], period: Period, statuses: Sequence[str], form: ReportForm | None
) -> list[Counted]:
    """The reports of the window (one query, plus one for the forms' period rules)."""
    qs = Submission.objects.filter(window_q(period), _path_q(paths, "unit_path"), status__in=list(statuses))
    if form is not None:
        qs = qs.filter(form=form)
    sql, params = (
        qs.values_list(
            "pk",
            "form_id",
            "unit_id",
            "agency_id",
            "unit_path",
            "period_start",
            "period_end",
            "status",
            "form_version_id",
        )
        .order_by("unit_path", "period_start", "pk")
        .query.sql_with_params()
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    if not rows:
        return []
    rules = {pk: rollup.rule_of(spec) for pk, spec in FormVersion.objects.values_list("pk", "period_spec")}
    return [
        Counted(
            pk,
            form_id,
            rollup.rkey_of(uid, aid),
            path,
            _date(start),
            _date(end),
            status == Status.APPROVED,
            rules.get(version_id, ""),
        )
        for pk, form_id, uid, aid, path, start, end, status, version_id in rows
    ]


def plan(reports: list[Counted], period: Period, use_rollup: bool = True, submitted: bool = False) -> Plan:
    """Apply the nesting rule and split the counted reports between roll-up groups and values. ``submitted``:
    the submitted reports are counted (read from the roll-up's approved + submitted rows, scope 's')."""
    by_rkey: dict[int, list[Counted]] = defaultdict(list)
    for r in reports:
        by_rkey[r.rkey].append(r)
    kept: dict[int, int] = {}
    rpath: dict[int, str] = {}
    for rkey, rs in by_rkey.items():
        rpath[rkey] = rs[0].unit_path
        keep = rollup.outermost([(r.pk, r.start, r.end) for r in rs]) if len(rs) > 1 else {rs[0].pk}
        kept.update((pk, rkey) for pk in keep)
    rule, pieces = rollup.pieces(period) if use_rollup else ("", [])
    members: dict[tuple, list[Counted]] = defaultdict(list)  # the roll-up's same-rule reports in a piece
    counted_in: dict[tuple, list[Counted]] = defaultdict(list)  # counted reports in a piece
    value_ids: list[int] = []
    for r in reports:
        piece = next((p for p in pieces if p[0] <= r.start and r.end <= p[1]), None) if r.rule == rule else None
        if piece is None:
            if r.pk in kept:
                value_ids.append(r.pk)
            continue
        g = (piece[0], r.form_id, r.rkey)
        if r.approved or submitted:
            members[g].append(r)
        if r.pk in kept:
            counted_in[g].append(r)
    accepted, excluded = set(), set()
    for g in set(members) | set(counted_in):
        rows = members.get(g, [])
        bucket = rollup.outermost([(r.pk, r.start, r.end) for r in rows]) if len(rows) > 1 else {r.pk for r in rows}
        # the group's rows (scope 'a', or 's' with submitted reports) hold exactly the reports it counts
        if bucket and {r.pk for r in counted_in.get(g, [])} == bucket:
            accepted.add(g)
        else:
            if bucket:
                excluded.add(g)
            value_ids += [r.pk for r in counted_in.get(g, [])]
    if len(excluded) > MAX_EXCLUDED:  # too many groups read apart: every counted report from the values
        pieces, accepted, excluded, value_ids = [], set(), set(), sorted(kept)
    else:
        value_ids.sort()
    return Plan(
        pieces if accepted else [],
        accepted,
        excluded,
        value_ids,
        rpath,
        kept,
        _unique(reports, value_ids),
        _multipath(reports, kept),
        _one_end(reports, value_ids),
        rollup.SCOPES[submitted],
    )


def _one_end(reports: list[Counted], ids: list[int]) -> frozenset:
    """The reporters whose reports ``ids`` (read from the values) all end on one day: one row per indicator."""
    wanted, ends = set(ids), defaultdict(set)
    for r in reports:
        if r.pk in wanted:
            ends[r.rkey].add(r.end)
    return frozenset(k for k, e in ends.items() if len(e) == 1)


def _multipath(reports: list[Counted], kept: dict[int, int]) -> frozenset:
    """The reporters whose kept reports lie at more than one path (their rows are combined under one path)."""
    paths: dict[int, set[str]] = defaultdict(set)
    for r in reports:
        if r.pk in kept:
            paths[r.rkey].add(r.unit_path)
    return frozenset(k for k, ps in paths.items() if len(ps) > 1)


def _unique(reports: list[Counted], ids: list[int]) -> bool:
    """Whether no two of the reports ``ids`` share a reporter and a window end (then each of their values is a
    reporter's row for its indicator and window end as it is, without grouping)."""
    wanted = set(ids)
    return len({(r.rkey, r.end) for r in reports if r.pk in wanted}) == len(wanted)


def _ids_sql(column: str, ids: list[int]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]  # noqa: S608 (a column name)


class Totals(NamedTuple):
    indicator_id: int
    s: Any
    n: int
    mx: Any
    mn: Any
    ls: Any
    q1: str | None
    q2: str | None
    reporters: int


def run(
    p: Plan,
    paths: list[str],
    form: ReportForm | None,
    indicators: dict[int, Indicator],
    closed: set[int],
) -> tuple[list[Totals], dict[int, int], dict[int, set[int]]]:
    """Totals per indicator; rkey → values with a source quote; indicator → rkeys missing from the
    contributors (among those with figures)."""
    q = connection.ops.quote_name
    values_t, subs_t, dv_t = (
        q(RollupValue._meta.db_table),
        q(Submission._meta.db_table),
        q(DataValue._meta.db_table),
    )
    ind_ids = sorted(indicators)
    few_inds = len(ind_ids) < 200
    # The reporters with several rows per indicator: those with values read, or with roll-up rows of several groups
    # (a cut-off's buckets, two forms). Their rows are combined (m = 1) only where that changes a total: for the
    # "latest" indicators (the rows at the reporter's latest window end), and for a reporter whose rows lie at
    # several paths (the covering rule reads one path per reporter). Every other row passes as it is (m = 0): sums,
    # counts, extremes, qualifiers and quotes add up the same per row as per reporter, and a reporter's pairs
    # are counted apart (dc).
    per_rkey: dict[int, int] = defaultdict(int)
    for g in p.accepted:
        per_rkey[g[2]] += 1
    # (a reporter whose only rows are those of reports ending on one day has one row per indicator: not combined)
    from_values = {p.kept[i] for i in p.value_ids}
    multi = {k for k in from_values if k in per_rkey or k not in p.one_end} | {k for k, c in per_rkey.items() if c > 1}
    latest = sorted(i for i, ind in indicators.items() if ind.aggregation == Aggregation.LATEST)
    grouped = multi & p.multipath
    flag = _flag("r.rkey", "r.indicator_id", multi & set(per_rkey), grouped, latest)

    def sources(at: list[str] | None = None, only: list[int] | None = None) -> tuple[list[str], list]:
        """The statements of src's rows (roll-up rows, values), and their parameters; ``at``: only the rows at
        those paths; ``only``: only those reporters' rows."""
        params: list = []
        parts = []
        if p.accepted:
            # A few reporters' rows (``only``) are read through the reporter index (rkey, form, bucket start), not
            # the whole bucket through the bucket index: SQLite is told so (without statistics it would take the
            # covering index); PostgreSQL, which estimated the bucket index cheaper (72.000 rows filtered for 210 on
            # a national quarter, 12 ms against 1,5 ms), sees the bucket's end as an expression it cannot look up.
            table, end = f"{values_t} r", "r.bucket_end"
            if only is not None and connection.vendor == "sqlite":
                table += " INDEXED BY reporting_rvalue_reporter_idx"
            elif only is not None:
                end = "r.bucket_end + 0"
            if at is None:
                where, wparams = _path_sql(paths, "r.unit_path")
            else:  # equality on the index's path column (SQLite would otherwise choose the range)
                where, wparams = "r.unit_path IN (" + ", ".join(["%s"] * len(at)) + ")", list(at)
            bucket_sql = " OR ".join([f"(r.bucket_start = %s AND {end} = %s)"] * len(p.pieces))
            sql = (
                "SELECT r.rkey, r.unit_path AS path, r.indicator_id, r.s, r.n, r.mx, r.mn, r.q1, r.q2, r.nq, "  # noqa: S608
                f"r.latest_end AS le, r.latest_s AS ls, {flag} AS m FROM {table} WHERE ({bucket_sql}) AND {where} "
                "AND r.scope IN (%s, %s)"
            )
            params += [d for piece in p.pieces for d in piece] + wparams + list(p.scopes)
            rkeys = sorted({g[2] for g in p.accepted})
            if only is not None:
                sql += " AND r.rkey IN (" + ", ".join(str(int(k)) for k in only) + ")"
                if form is None:  # (every row read belongs to an accepted or excluded group: forms of those)
                    forms = {g[1] for g in p.accepted} | {g[1] for g in p.excluded}
                    sql += " AND r.form_id IN (" + ", ".join(str(int(f)) for f in sorted(forms)) + ")"
            elif connection.vendor != "sqlite" and len(rkeys) <= 200:
                sql += " AND r.rkey IN (" + ", ".join(["%s"] * len(rkeys)) + ")"
                params += rkeys
            if form is not None:
                sql += " AND r.form_id = %s"
                params.append(form.pk)
            if few_inds:
                sql += " AND r.indicator_id IN (" + ", ".join(["%s"] * len(ind_ids)) + ")"
                params += ind_ids
            for start, form_id, rkey in sorted(p.excluded):
                sql += " AND NOT (r.rkey = %s AND r.form_id = %s AND r.bucket_start = %s)"
                params += [rkey, form_id, start]
            parts.append(sql)
        if p.value_ids:
            ids_sql, ids_params = _ids_sql("v.submission_id", p.value_ids)
            rkey_sql = "CASE WHEN s.unit_id IS NOT NULL THEN s.unit_id ELSE -s.agency_id END"
            reporter = f"{rkey_sql} AS rkey"
            vflag = _flag(rkey_sql, "v.indicator_id", multi, grouped, latest)
            if p.value_unique:  # one report per reporter and window end: each value is a row as it is
                sql = (
                    f"SELECT {reporter}, s.unit_path AS path, v.indicator_id, ROUND(v.value, 4) AS s, 1 AS n, "  # noqa: S608
                    "v.value AS mx, v.value AS mn, NULLIF(v.qualifier, '') AS q1, NULLIF(v.qualifier, '') AS q2, "
                    "CASE WHEN v.source_quote <> '' THEN 1 ELSE 0 END AS nq, s.period_end AS le, "
                    f"ROUND(v.value, 4) AS ls, {vflag} AS m FROM {dv_t} v JOIN {subs_t} s ON s.id = v.submission_id "
                    f"WHERE {ids_sql} AND v.value IS NOT NULL"
                )
            else:
                sql = (
                    f"SELECT {reporter}, MIN(s.unit_path) AS path, v.indicator_id, ROUND(SUM(v.value), 4) AS s, "  # noqa: S608
                    "COUNT(v.value) AS n, MAX(v.value) AS mx, MIN(v.value) AS mn, MIN(NULLIF(v.qualifier, '')) AS q1, "
                    "MAX(NULLIF(v.qualifier, '')) AS q2, SUM(CASE WHEN v.source_quote <> '' THEN 1 ELSE 0 END) AS nq, "
                    f"s.period_end AS le, ROUND(SUM(v.value), 4) AS ls, MAX({vflag}) AS m "
                    f"FROM {dv_t} v JOIN {subs_t} s ON s.id = v.submission_id WHERE {ids_sql} AND v.value IS NOT NULL"
                )
            params += ids_params
            if at is not None:
                sql += " AND s.unit_path IN (" + ", ".join(["%s"] * len(at)) + ")"
                params += list(at)
            if only is not None:
                sql += f" AND {rkey_sql} IN (" + ", ".join(str(int(k)) for k in only) + ")"
            if few_inds:
                sql += " AND v.indicator_id IN (" + ", ".join(["%s"] * len(ind_ids)) + ")"
                params += ind_ids
            if not p.value_unique:
                sql += " GROUP BY 1, v.indicator_id, s.period_end"
            parts.append(sql)
        return parts, params

    parts, params = sources()
    if not parts:
        return [], {}, {}
    # Rule 2: the reporters whose area holds other reporters, and who lies in whose area (from the paths).
    covering = _covering(set(p.rpath.values()))
    pairs = [(rkey, c) for rkey, path in p.rpath.items() for c in covering if path != c and path.startswith(c)]
    # The covered pairs are marked by a condition on their rows (below) unless a reporter lies at several paths.
    mark = bool(pairs) and not p.multipath
    # SQLite counts a combined reporter's distinct indicators in the per-reporter grouping; PostgreSQL apart (dc).
    distinct = bool(multi) and connection.vendor == "sqlite"
    src, l1, lx = _materialized(bool(multi), bool(p.value_ids), bool(pairs) and not mark)
    ctes = [f"{src} ({' UNION ALL '.join(parts)})"]
    one = "SELECT rkey, path, indicator_id, s, n, mx, mn, q1, q2, nq, ls FROM src"
    if not multi:  # one roll-up row per reporter and indicator: nothing to combine
        ctes.append(f"{l1} ({one})")
    else:
        # One pass groups a reporter's rows; "latest" (the rows at its latest window end, summed) is read for the
        # pairs with several rows of the indicators that use it, by joining their (window end) sums on the latest
        # end — no window function over every row.
        ctes.append(
            "g AS (SELECT rkey, MIN(path) AS path, indicator_id, SUM(s) AS s, SUM(n) AS n, MAX(mx) AS mx, "
            "MIN(mn) AS mn, MIN(q1) AS q1, MAX(q2) AS q2, SUM(nq) AS nq, MAX(le) AS le, COUNT(*) AS k, "
            "SUM(ls) AS ls FROM src WHERE m = 1 GROUP BY rkey, indicator_id)"
        )
        if not distinct:  # a combined reporter's pairs (its distinct indicators), for the "fewer figures" test
            ctes.append(
                "dc AS (SELECT rkey, COUNT(*) AS c1 FROM (SELECT DISTINCT rkey, indicator_id FROM src WHERE rkey IN ("  # noqa: S608
                + ", ".join(str(int(k)) for k in sorted(multi))
                + ")) d GROUP BY rkey)"
            )
        if latest:
            ctes.append(
                "lt AS (SELECT rkey, indicator_id, le, SUM(ls) AS ls FROM src WHERE m = 1 AND indicator_id IN ("  # noqa: S608
                + ", ".join(str(int(i)) for i in latest)
                + ") GROUP BY rkey, indicator_id, le)"
            )
            combined = (
                "SELECT g.rkey, g.path, g.indicator_id, g.s, g.n, g.mx, g.mn, g.q1, g.q2, g.nq, "
                "CASE WHEN g.k = 1 THEN g.ls ELSE t.ls END AS ls FROM g LEFT JOIN lt t ON t.rkey = g.rkey "
                "AND t.indicator_id = g.indicator_id AND t.le = g.le"
            )
        else:  # "latest" is read by no indicator here
            combined = "SELECT rkey, path, indicator_id, s, n, mx, mn, q1, q2, nq, ls FROM g"
        ctes.append(f"{l1} ({one} WHERE m = 0 UNION ALL {combined})")
    # The covering reporters' indicators are read first (a few rows through the roll-up index) and each pair covered
    # is marked by a condition on its row, instead of joining every pair with the covered pairs (SQLite, no hash
    # join: an automatic index probed per row in each of the two groupings; PostgreSQL: the window's rows copied
    # into a temporary table to be read twice, 75 → 42 ms for a national quarter). One path per reporter only (a
    # reporter combined over several paths is read under its first one in SQL: joined).
    covered: dict[int, set[int]] | None = None
    if mark:
        covered = _covered_pairs(*sources(sorted(covering)), pairs)
        ctes.append(f"{lx} (SELECT l1.*, {_cv_sql(covered)} AS cv FROM l1)")  # noqa: S608 (integers only)
    elif pairs:
        ctes.append("inside(rkey, area) AS (VALUES " + ", ".join(["(%s, %s)"] * len(pairs)) + ")")
        params += [x for pair in pairs for x in pair]
        cov_paths = sorted(covering)
        marks = ", ".join(["%s"] * len(cov_paths))
        ctes.append(f"cov AS (SELECT DISTINCT path, indicator_id FROM l1 WHERE path IN ({marks}))")  # noqa: S608
        params += cov_paths
        # Typed (the VALUES column has no affinity on SQLite, which then indexes the join on the indicator only).
        ctes.append(
            "covered AS (SELECT DISTINCT CAST(i.rkey AS BIGINT) AS rkey, c.indicator_id FROM inside i "
            "JOIN cov c ON c.path = i.area)"
        )
        ctes.append(  # every pair, cv set when an enclosing reporter covers it
            f"{lx} (SELECT l1.*, k.rkey AS cv FROM l1 LEFT JOIN covered k ON k.rkey = l1.rkey "  # noqa: S608
            "AND k.indicator_id = l1.indicator_id)"
        )
    else:
        ctes.append(f"{lx} (SELECT l1.*, CAST(NULL AS BIGINT) AS cv FROM l1)")  # noqa: S608 (constant text)
    closed_sql = "ls"
    if closed:
        closed_sql = "CASE WHEN rkey IN (" + ", ".join(str(int(k)) for k in sorted(closed)) + ") THEN 0 ELSE ls END"
    # Per indicator over the pairs not covered; per reporter: its pairs, those not covered, their quotes.
    ctes += _totals(closed_sql, bool(pairs), distinct)
    # Each reporter's pairs (c1: its distinct indicators when combined) for the "fewer figures" test below.
    c1 = "COALESCE(dc.c1, rr.c1)" if multi and not distinct else "rr.c1"
    join_dc = " LEFT JOIN dc ON dc.rkey = rr.rkey" if multi and not distinct else ""
    select = (
        " SELECT 'i', indicator_id, s, n, mx, mn, ls, q1, q2, c FROM ti"  # noqa: S608 (constant text)
        f" UNION ALL SELECT 'r', rr.rkey, {c1}, rr.c2, NULL, NULL, NULL, NULL, NULL, rr.nq FROM rr{join_dc}"
        # Missing from the contributors: the pairs covered (and, below, the indicators a reporter has no figure for).
        + (
            " UNION ALL SELECT 'm', rkey, NULL, indicator_id, NULL, NULL, NULL, NULL, NULL, NULL FROM covered"
            if pairs and covered is None
            else ""
        )
    )
    sql = "WITH " + ", ".join(ctes) + select  # placeholders and integers only; the values are bound
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    totals, quoted, missing, present = [], {}, defaultdict(set), defaultdict(set)
    pairs_of: dict[int, int] = {}
    for kind, key, s, n, mx, mn, ls, q1, q2, c in rows:
        if kind == "i":
            totals.append(Totals(key, s, n, mx, mn, ls, q1, q2, c))
        elif kind == "r":
            pairs_of[key] = s
            if n:
                quoted[key] = c or 0
        else:
            missing[n].add(key)
    # The indicators of the reporters with fewer figures than there are indicators with a total (every indicator
    # of l1 has one, the covering reporter's figure not being covered in turn at the top), read apart: a few
    # reporters' rows through the reporter index instead of every row of the window a third time.
    few = sorted(k for k, c1 in pairs_of.items() if c1 < len(totals))
    if few:
        few_parts, few_params = sources(only=few)
        few_sql = "SELECT DISTINCT rkey, indicator_id FROM (" + " UNION ALL ".join(few_parts) + ") f"  # noqa: S608
        with connection.cursor() as cur:
            cur.execute(few_sql, few_params)
            for rkey, indicator_id in cur.fetchall():
                present[rkey].add(indicator_id)
    for rkey, inds in (covered or {}).items():
        for i in inds:
            missing[i].add(rkey)
    for rkey, inds in present.items():
        for t in totals:
            if t.indicator_id not in inds:
                missing[t.indicator_id].add(rkey)
    return totals, quoted, dict(missing)


def _covered_pairs(parts: list[str], params: list, pairs: list[tuple[int, str]]) -> dict[int, set[int]]:
    """rkey → the indicators an enclosing reporter covers for it: ``parts`` = src's rows at the covering paths,
    ``pairs`` = (rkey, enclosing path)."""
    sql = "SELECT DISTINCT path, indicator_id FROM (" + " UNION ALL ".join(parts) + ") c"  # noqa: S608
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    at: dict[str, set[int]] = defaultdict(set)
    for path, indicator_id in rows:
        at[path].add(indicator_id)
    covered: dict[int, set[int]] = {}
    for rkey, area in pairs:
        if at.get(area):
            covered[rkey] = covered[rkey] | at[area] if rkey in covered else at[area]
    return covered


def _cv_sql(covered: dict[int, set[int]]) -> str:
    """cv for a row of l1: its rkey when the pair is covered, else NULL — one condition per set of indicators
    covered (usually one: the province's form), integers only."""
    by_set: dict[frozenset, list[int]] = defaultdict(list)
    for rkey, inds in covered.items():
        by_set[frozenset(inds)].append(rkey)
    terms = [
        "(l1.indicator_id IN ("
        + ", ".join(str(int(i)) for i in sorted(inds))
        + ") AND l1.rkey IN ("
        + ", ".join(str(int(k)) for k in sorted(rkeys))
        + "))"
        for inds, rkeys in sorted(by_set.items(), key=lambda x: sorted(x[0]))
    ]
    return f"CASE WHEN {' OR '.join(terms)} THEN l1.rkey END" if terms else "CAST(NULL AS BIGINT)"


def _materialized(multi: bool, values: bool, joined: bool) -> tuple[str, str, str]:
    """How src, l1 and lx are introduced. PostgreSQL: l1 is read once in full, inlined into the one grouping pass,
    unless the covered pairs are joined (``joined``), which reads it twice. SQLite (no hash
    aggregation, every grouping a sort): when nothing is combined, l1 and lx are inlined into each reader instead
    of copied into temporary tables before the two groupings (the per-reporter sort then carries three columns,
    not the whole row), and so is src when it is roll-up rows only (a bucket read through its index costs less
    than a copy; submitted values, read through a join, are read once). When reporters are combined, src and l1
    are copied once and lx (l1 with the covered pairs marked on each row) is inlined, unless it joins the covered
    pairs (``joined``: a reporter at several paths)."""
    if connection.vendor == "postgresql":
        return "src AS", "l1 AS" if joined else "l1 AS NOT MATERIALIZED", "lx AS"
    if connection.vendor == "sqlite" and not multi and connection.Database.sqlite_version_info >= (3, 35):
        return "src AS" if values else "src AS NOT MATERIALIZED", "l1 AS NOT MATERIALIZED", "lx AS NOT MATERIALIZED"
    if connection.vendor == "sqlite" and not joined and connection.Database.sqlite_version_info >= (3, 35):
        return "src AS", "l1 AS", "lx AS NOT MATERIALIZED"
    return "src AS", "l1 AS", "lx AS"


def _flag(rkey: str, indicator: str, multi: set[int], grouped: set[int], latest: list[int]) -> str:
    """m for a row: 1 when it is combined with the reporter's other rows (see :func:`run`)."""
    terms = []
    if grouped:
        terms.append(f"{rkey} IN (" + ", ".join(str(int(k)) for k in sorted(grouped)) + ")")
    rest = multi - grouped
    if rest and latest:
        rest_sql = ", ".join(str(int(k)) for k in sorted(rest))
        terms.append(f"({rkey} IN ({rest_sql}) AND {indicator} IN (" + ", ".join(str(int(i)) for i in latest) + "))")
    return f"CASE WHEN {' OR '.join(terms)} THEN 1 ELSE 0 END" if terms else "0"


def _totals(closed_sql: str, pairs: bool, distinct: bool = False) -> list[str]:
    """The CTEs ti (per indicator, over the pairs not covered) and rr (per reporter: its pairs, those not covered,
    their quotes) over lx. On PostgreSQL both groupings come from one pass over lx (GROUPING SETS, two hash
    tables), not two sorts of every pair. ``distinct`` (SQLite, reporters combined): rr's c1 counts the
    reporter's distinct indicators (a combined reporter has several rows for some)."""
    if connection.vendor == "postgresql":
        f = " FILTER (WHERE cv IS NULL)" if pairs else ""
        return [
            "agg AS (SELECT GROUPING(indicator_id) AS gi, indicator_id, rkey, ROUND(SUM(s)"  # noqa: S608
            f"{f}, 4) AS s, SUM(n){f} AS n, MAX(mx){f} AS mx, MIN(mn){f} AS mn, ROUND(SUM({closed_sql}){f}, 4) AS ls, "
            f"MIN(q1){f} AS q1, MAX(q2){f} AS q2, COUNT(*){f} AS c, COUNT(*) AS c1, SUM(nq){f} AS nq FROM lx "
            "GROUP BY GROUPING SETS ((indicator_id), (rkey)))",
            "ti AS (SELECT indicator_id, s, n, mx, mn, ls, q1, q2, c FROM agg WHERE gi = 0 AND c > 0)",
            "rr AS (SELECT rkey, c1, c AS c2, nq FROM agg WHERE gi = 1)",
        ]
    return [
        "ti AS (SELECT indicator_id, ROUND(SUM(s), 4) AS s, SUM(n) AS n, MAX(mx) AS mx, MIN(mn) AS mn, "  # noqa: S608
        f"ROUND(SUM({closed_sql}), 4) AS ls, MIN(q1) AS q1, MAX(q2) AS q2, COUNT(*) AS c FROM lx WHERE cv IS NULL "
        "GROUP BY indicator_id)",
        f"rr AS (SELECT rkey, {'COUNT(DISTINCT indicator_id)' if distinct else 'COUNT(*)'} AS c1, "  # noqa: S608
        "COUNT(*) - COUNT(cv) AS c2, "
        "SUM(CASE WHEN cv IS NULL THEN nq ELSE 0 END) AS nq FROM lx GROUP BY rkey)",
    ]


def _path_sql(paths: list[str], column: str) -> tuple[str, list]:
    """Rows whose path starts with one of ``paths`` (index ranges on SQLite, like :func:`window._prefix_q`)."""
    if connection.vendor == "sqlite":
        sql = " OR ".join([f"({column} >= %s AND {column} < %s)"] * len(paths))
        return f"({sql})", [x for p in paths for x in (p, p[:-1] + chr(ord(p[-1]) + 1))]
    sql = " OR ".join([f"{column} LIKE %s"] * len(paths))
    return f"({sql})", [p.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for p in paths]
