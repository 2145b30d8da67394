"""Pre-aggregated approved (and approved + submitted) values per reporter, form and standard window (the
consolidation rollup).

A national annual consolidation over monthly reports would read every monthly value (about 800.000 a
year for 550 reporters × 120 indicators). Instead, each approved submission is counted once in the
standard windows ("buckets") of its form's period rule that contain it: the year, the first six
months, the second half-year, the nine months, the quarter, the month and the year to the end of each
month from its own on. For each reporter, form,
bucket and indicator one :class:`~borderdesk.reporting.models.RollupValue` row holds the sum, count,
max, min, latest value, qualifiers and quote count, so a consolidation of a bucket window reads one row per reporter and
indicator (twelve times fewer for monthly forms).

Both value scopes are kept (:data:`SCOPES`): a (bucket, form, reporter) group without a submitted report has
one set of rows, scope 'a', read approved only and with the submitted values; a group with a submitted report
has its approved rows, 'x' (approved only), and its approved + submitted rows, 's' (with the submitted values).
So a consolidation with the submitted values reads the roll-up like an approved one instead of combining the
submitted reports' values over it.

The rows are maintained in the same transaction as every submit, return, approval and reopening
(:func:`refresh_for_submission`, called by the workflow services) and deletion (:func:`on_submission_deleted`);
a figure saved in a draft does not touch them. They can be rebuilt from the submissions at any time
(:func:`rebuild`, ``borderdesk rollup --rebuild``); ``borderdesk rollup --verify`` compares the two ways of
consolidating, for both scopes. A consolidation (:mod:`.engine`) covers its window with the fewest buckets
(:func:`pieces`: a cut-off 15/12–20/11 is the year to 14/11 and the days left) and reads the values directly only
for what the buckets cannot give: the days left over, reports of another period rule, and reports a reporter's
own larger report of another form covers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Q

from borderdesk.core import generation
from borderdesk.core.periods import BASE_RULES, CUTOFF, H1, H2, MONTH, N9, QUARTER, YEAR, Period, period_for

from .choices import Status

BUCKET_KINDS = (YEAR, H1, H2, N9, QUARTER, MONTH)  # and the year to the end of each month (year_windows)
_INDICES = {QUARTER: range(1, 5), MONTH: range(1, 13)}

Window = tuple[dt.date, dt.date]

# The scope of a roll-up row (RollupMember.scope, RollupValue.scope) within its (bucket, form, reporter) group:
APPROVED = "a"  # approved reports, the group having no submitted report: read by both scopes
EXCLUSIVE = "x"  # approved reports of a group with a submitted report: read for the approved values only
WITH_SUBMITTED = "s"  # approved and submitted reports of such a group: read with the submitted values
SCOPES = {False: (APPROVED, EXCLUSIVE), True: (APPROVED, WITH_SUBMITTED)}  # include_submitted → scopes read


def rkey_of(unit_id: int | None, agency_id: int | None) -> int:
    """One integer per reporter: the unit id, or minus the agency id."""
    return unit_id if unit_id else -int(agency_id or 0)


def reporter_key(rkey: int) -> tuple:
    """The selectors' reporter key (("u", unit id) or ("a", agency id)) of an rkey."""
    return ("u", rkey) if rkey > 0 else ("a", -rkey)


def rkey_of_reporter(key: tuple) -> int:
    """The rkey of a selectors' reporter key (inverse of :func:`reporter_key`)."""
    return key[1] if key[0] == "u" else -key[1]


def is_bucket(period: Period) -> bool:
    return period.rule in BASE_RULES and period.kind in BUCKET_KINDS


def bucket_periods(year: int, rule: str) -> list[Period]:
    """Every bucket period of ``rule`` in ``year``: the year, halves, nine months, quarters and months."""
    out = []
    for kind in BUCKET_KINDS:
        for index in _INDICES.get(kind, (None,)):
            try:
                out.append(period_for(kind, year, index, rule=rule))
            except ValueError:
                continue
    return out


@lru_cache(maxsize=256)
def year_windows(year: int, rule: str) -> tuple[Window, ...]:
    """Every bucket window of ``rule`` in ``year``: year, halves, nine months, quarters, months, and the year to
    the end of each month (so a cut-off reads one bucket and the days after its last whole month)."""
    periods = bucket_periods(year, rule)
    windows = [(p.start, p.end) for p in periods]
    first = next((p.start for p in periods if p.kind == YEAR), None)
    if first is not None:
        windows += [(first, p.end) for p in periods if p.kind == MONTH]
    return tuple(dict.fromkeys(windows))


def bucket_windows(start: dt.date, end: dt.date, rule: str) -> list[Window]:
    """The bucket windows of ``rule`` that contain [start, end]."""
    if rule not in BASE_RULES:
        return []
    out: list[Window] = []
    for year in range(start.year - 1, end.year + 2):
        for w in year_windows(year, rule):
            if w[0] <= start and end <= w[1] and w not in out:
                out.append(w)
    return out


def pieces(period: Period) -> tuple[str, list[Window]]:
    """The rule and the fewest disjoint bucket windows that tile ``period``'s window from its start, longest
    first (a bucket window gives itself; a cut-off 15/12/2024–20/11/2025 gives the year to 14/11/2025 and
    leaves 15/11–20/11 to the values). ("", []) when the period has no buckets."""
    rule = period.base_rule if period.kind == CUTOFF else period.rule
    if rule not in BASE_RULES:
        return "", []
    candidates = [
        w
        for year in range(period.start.year, period.end.year + 2)
        for w in year_windows(year, rule)
        if w[1] <= period.end
    ]
    out: list[Window] = []
    day = period.start
    while True:
        starting = [w for w in candidates if w[0] == day]
        if not starting:
            break
        best = max(starting, key=lambda w: w[1])
        out.append(best)
        day = best[1] + dt.timedelta(days=1)
    return rule, out


def outermost(windows: list[tuple]) -> set:
    """Ids of the windows not nested inside another, different window: ``windows`` = [(id, start, end)].

    Equal windows are all kept. Sorted by start, then longest first, a window is nested exactly when an
    earlier, different window reaches at least as far (dates or ISO date strings).
    """
    ordered = sorted(sorted(windows, key=lambda w: w[2], reverse=True), key=lambda w: w[1])
    kept: set = set()
    best = None  # (end, start) of the first window reaching furthest so far
    for wid, start, end in ordered:
        if best is not None and best[0] >= end and best != (end, start):
            continue
        kept.add(wid)
        if best is None or end > best[0]:
            best = (end, start)
    return kept


def rule_of(period_spec) -> str:
    return (period_spec or {}).get("rule", "") if isinstance(period_spec, dict) else ""


def _tables():
    from .models import DataValue, RollupMember, RollupValue

    q = connection.ops.quote_name
    return q(RollupMember._meta.db_table), q(RollupValue._meta.db_table), q(DataValue._meta.db_table)


_VALUE_COLUMNS = (
    "bucket_start",
    "bucket_end",
    "form_id",
    "rkey",
    "unit_path",
    "indicator_id",
    "scope",
    "s",
    "n",
    "mx",
    "mn",
    "q1",
    "q2",
    "nq",
    "latest_end",
    "latest_s",
)


def _insert_values(where: str = "", params: Iterable = ()) -> None:
    """Aggregate the members' values into rollup rows (members restricted by ``where`` over alias m)."""
    members, values, datavalues = _tables()
    keys = "x.bucket_start, x.bucket_end, x.form_id, x.rkey, x.unit_path, x.indicator_id, x.scope"
    sql = (
        f"INSERT INTO {values} ({', '.join(_VALUE_COLUMNS)}) "  # noqa: S608 (table names from models, values bound)
        f"SELECT {keys}, ROUND(SUM(x.value), 4), COUNT(x.value), MAX(x.value), MIN(x.value), MIN(x.q), MAX(x.q), "
        "SUM(x.quoted), MAX(x.period_end), ROUND(SUM(CASE WHEN x.period_end = x.last_end THEN x.value END), 4) "
        "FROM (SELECT m.bucket_start, m.bucket_end, m.form_id, m.rkey, m.unit_path, m.scope, m.period_end, "
        "v.indicator_id, v.value, NULLIF(v.qualifier, '') AS q, CASE WHEN v.source_quote <> '' THEN 1 ELSE 0 END "
        "AS quoted, MAX(m.period_end) OVER (PARTITION BY m.bucket_start, m.bucket_end, m.form_id, m.rkey, m.scope, "
        "v.indicator_id) AS last_end "
        f"FROM {members} m JOIN {datavalues} v ON v.submission_id = m.submission_id "
        f"WHERE v.value IS NOT NULL {('AND ' + where) if where else ''}) x "
        f"GROUP BY {keys}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, list(params))


def _members_for(subs: list[tuple], buckets_of) -> list:
    """RollupMember objects for submission rows (pk, form_id, rkey, path, start, end, rule, approved): per
    (bucket, form, reporter) the outermost approved reports, scope 'a' when none of the group's reports is
    submitted, else 'x', and then also the outermost of the approved and submitted ones, scope 's'."""
    from .models import RollupMember

    groups: dict[tuple, list] = defaultdict(list)
    for row in subs:
        for b in buckets_of(row[4], row[5], row[6]):
            groups[(b, row[1], row[2])].append(row)
    out = []
    for (b, form_id, rkey), rows in groups.items():
        approved = [r for r in rows if r[7]]
        scoped = [(APPROVED, rows)] if len(approved) == len(rows) else [(EXCLUSIVE, approved), (WITH_SUBMITTED, rows)]
        for scope, rs in scoped:
            keep = outermost([(r[0], r[4], r[5]) for r in rs])
            out += [
                RollupMember(
                    bucket_start=b[0],
                    bucket_end=b[1],
                    submission_id=pk,
                    form_id=form_id,
                    rkey=rkey,
                    unit_path=path,
                    period_start=start,
                    period_end=end,
                    scope=scope,
                )
                for pk, _f, _k, path, start, end, _rule, _a in rs
                if pk in keep
            ]
    return out


def _counted_rows(qs) -> list[tuple]:
    """(pk, form_id, rkey, path, start, end, rule, approved) of the approved and submitted reports of ``qs``."""
    return [
        (pk, form_id, rkey_of(uid, aid), path, start, end, rule_of(spec), status == Status.APPROVED)
        for pk, form_id, uid, aid, path, start, end, spec, status in qs.filter(
            status__in=[Status.APPROVED, Status.SUBMITTED]
        ).values_list(
            "pk",
            "form_id",
            "unit_id",
            "agency_id",
            "unit_path",
            "period_start",
            "period_end",
            "form_version__period_spec",
            "status",
        )
    ]


def refresh_for_submission(submission) -> None:
    """Recompute the buckets of a submission's reporter and form that contain its window (both scopes).

    Call inside the transaction that changes the submission's status (submit, return, approve, reopen) or
    deletes it. Five statements whatever the number of buckets (ten for a monthly report).
    """
    from .models import FormVersion, RollupMember, RollupValue, Submission

    spec = FormVersion.objects.filter(pk=submission.form_version_id).values_list("period_spec", flat=True).first()
    rule = rule_of(spec)
    windows = bucket_windows(submission.period_start, submission.period_end, rule)
    if not windows:
        return
    rkey = rkey_of(submission.unit_id, submission.agency_id)
    reporter = {"unit_id": submission.unit_id} if submission.unit_id else {"agency_id": submission.agency_id}
    in_windows = Q()
    for bs, be in windows:
        in_windows |= Q(bucket_start=bs, bucket_end=be)
    with transaction.atomic():
        generation.bump_table(RollupValue._meta.db_table)  # pages cached from the roll-up are computed again
        generation.bump_table(RollupMember._meta.db_table)
        if connection.vendor == "postgresql":
            # Two approvals of the same reporter's reports must not rebuild its buckets at the same time
            # (each would miss the other's uncommitted approval and both would insert rows). The lock
            # lasts until the approving transaction commits; SQLite already serialises writers.
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [submission.form_id % 2**31, rkey % 2**31])
        RollupMember.objects.filter(in_windows, rkey=rkey, form_id=submission.form_id).delete()
        RollupValue.objects.filter(in_windows, rkey=rkey, form_id=submission.form_id).delete()
        subs = _counted_rows(
            Submission.objects.filter(
                form_id=submission.form_id,
                period_start__gte=min(w[0] for w in windows),
                period_end__lte=max(w[1] for w in windows),
                **reporter,
            )
        )
        subs = [r for r in subs if r[6] == rule]
        members = _members_for(subs, lambda s, e, _r: [w for w in windows if w[0] <= s and e <= w[1]])
        if not members:
            return
        RollupMember.objects.bulk_create(members)
        buckets = " OR ".join(["(m.bucket_start = %s AND m.bucket_end = %s)"] * len(windows))
        _insert_values(
            f"m.rkey = %s AND m.form_id = %s AND ({buckets})",
            [rkey, submission.form_id, *(d for w in windows for d in w)],
        )


#: SQLite only: the roll-up's rows of a bucket in indicator order with every column the engine reads (migration
#: reporting 0012 has its own copy of this definition). SQLite has no hash aggregation: the per-indicator totals of a
#: national window stream from it without a sort or a table look-up per row.
SQLITE_COVER_INDEX = "reporting_rvalue_bucket_cover_idx"
SQLITE_COVER_COLUMNS = (
    "bucket_start, bucket_end, indicator_id, unit_path, scope, rkey, form_id, s, n, mx, mn, q1, q2, nq, latest_end, "
    "latest_s"
)


def ensure_sqlite_index(sender=None, using: str = "default", **kwargs) -> None:
    """After every ``migrate`` (post_migrate): create the covering index on SQLite when it is missing. The models do
    not declare it (Django declares an index for every backend), so a later migration that makes Django rebuild the
    table on SQLite (altering one of its columns) drops it; this puts it back."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reporting_rollupvalue'")
        if cur.fetchone() is not None:
            cur.execute(
                f'CREATE INDEX IF NOT EXISTS "{SQLITE_COVER_INDEX}" ON "reporting_rollupvalue" ({SQLITE_COVER_COLUMNS})'
            )


def on_submission_deleted(sender, instance, **kwargs) -> None:
    """A deleted approved or submitted report leaves its buckets (post_delete; its members went with it)."""
    if instance.status in (Status.APPROVED, Status.SUBMITTED):
        refresh_for_submission(instance)


def rebuild() -> dict[str, int]:
    """Recompute every rollup row from the approved and submitted reports (after a bulk load or as a repair)."""
    from .models import RollupMember, RollupValue, Submission

    with transaction.atomic():
        generation.bump_table(RollupValue._meta.db_table)
        generation.bump_table(RollupMember._meta.db_table)
        RollupValue.objects.all().delete()
        RollupMember.objects.all().delete()
        members = _members_for(_counted_rows(Submission.objects.all()), bucket_windows)
        RollupMember.objects.bulk_create(members, batch_size=5000)
        _insert_values()
    return {"members": len(members), "values": RollupValue.objects.count()}
