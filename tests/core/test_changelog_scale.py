"""The change log at millions of entries (issue 14; `python bench/changelog.py` measures it).

What the bench saw at 200.000 entries: a filter by object type sorted every entry of that type (SQLite 383 ms, 14 ×
its time at the demo's size), a date range read every entry's local date (SQLite 1,04 s, PostgreSQL 100 ms), a
filter by account folded every entry's account name (PostgreSQL 172 ms), and the API's pages by number counted the
table and skipped every entry before a deep page (PostgreSQL 148 ms). Here: each filter reads its page through an
index in the order of the list, dates are ranges on the time itself, accounts are matched in the accounts' table,
and the API pages by cursor like the page does.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from borderdesk.accounts.models import User
from borderdesk.core.changelog_list import CHANGELOG
from borderdesk.core.keyset import decode, newer_q, older_q
from borderdesk.core.models import ChangeLogEntry
from borderdesk.core.selectors import changelog_for_user

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _entry(ct, *, when, user_repr="admin", user=None, object_id="1", action="update") -> ChangeLogEntry:
    e = ChangeLogEntry.objects.create(
        user=user,
        user_repr=user_repr,
        request_id="scale",
        action=action,
        content_type=ct,
        object_id=object_id,
        object_repr="mục",
        before={"n": 1},
        after={"n": 2},
    )
    ChangeLogEntry.objects.filter(pk=e.pk).update(time=when)
    return e


#: average entries per distinct value of a column at 2.000.000 entries (a province's three years, as the bench)
_PER_VALUE = {
    "time": 1,
    "id": 1,
    "content_type_id": 30_000,
    "object_id": 2,
    "request_id": 10,
    "unit_id": 5_000,
    "agency_id": 5_000,
    "user_repr": 100_000,
    "action": 400_000,
}


def _as_if_two_million_entries() -> None:
    """A plan as the table's size would make it. SQLite chooses from sqlite_stat1: it is given the statistics of the
    bench's 2.000.000 entries. PostgreSQL is told not to sort or scan the table where an index can serve (for the
    transaction): a plan that still sorts or scans has no index to read in the list's order."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for setting in ("enable_seqscan", "enable_sort", "enable_incremental_sort"):
                cur.execute(f"SET LOCAL {setting} = off")  # noqa: S608 (constant names)
        return
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
        cur.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'core_changelogentry'")
        cur.execute("PRAGMA index_list(core_changelogentry)")
        for index in [row[1] for row in cur.fetchall()]:
            cur.execute(f"PRAGMA index_info({index})")  # noqa: S608 (an index name SQLite gave)
            cols = [row[2] for row in cur.fetchall()]
            stat = " ".join(["2000000"] + [str(_PER_VALUE.get(c, 1)) for c in cols])
            cur.execute(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('core_changelogentry', %s, %s)", [index, stat]
            )
        cur.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('core_changelogentry', NULL, '2000000')")
        cur.execute("ANALYZE sqlite_schema")  # read the statistics again


def _plan(params: str, user) -> str:
    query = QueryDict(params)
    qs = CHANGELOG.apply(changelog_for_user(user=user), query, user).order_by("-time", "-id")
    if query.get("cu_hon"):
        qs = qs.filter(older_q(decode(query["cu_hon"])))
    if query.get("moi_hon"):
        qs = qs.filter(newer_q(decode(query["moi_hon"]))).order_by("time", "id")
    qs = qs[:51]
    sql, sql_params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("EXPLAIN " + sql, sql_params)
            return "\n".join(row[0] for row in cur.fetchall())
        cur.execute("EXPLAIN QUERY PLAN " + sql, sql_params)
        return "\n".join(str(row[-1]) for row in cur.fetchall())


def _sorts_or_scans(plan: str, narrowed: bool) -> list[str]:
    """The plan's lines that sort rows or read the whole change log, on either backend. ``narrowed`` (a filter or a
    cursor): on PostgreSQL the change log's index scan must be bounded by it (an Index Cond), not walk the whole
    index filtering every entry."""
    if connection.vendor == "postgresql":
        lines = plan.split("\n")
        bad = [
            line
            for line in lines
            if line.strip(" ->").startswith(("Sort", "Incremental Sort")) or "Seq Scan on core_changelogentry" in line
        ]
        for i, line in enumerate(lines):
            if narrowed and "Scan" in line and "on core_changelogentry" in line:
                node = lines[i + 1 :]
                node = node[: next((k for k, rest in enumerate(node) if "->" in rest), len(node))]
                if not any("Index Cond" in rest for rest in node):
                    bad.append(line)
        return bad
    entries = [line for line in plan.split("\n") if "core_changelogentry" in line]
    return [line for line in plan.split("\n") if "TEMP B-TREE FOR ORDER BY" in line] + [
        line for line in entries if "INDEX" not in line
    ]


@pytest.mark.parametrize(
    "params",
    [
        "",
        "model=gates.gatedailystat",
        "model=org.committee",
        "from=2026-03-01&to=2026-03-31",
        "from=01/03/2026",
        "user=admin",
        "model=frontier.patrol&object_id=7",
        "cu_hon=2025-06-01T08:00:00%2B07:00~5000",
        "moi_hon=2025-06-01T08:00:00%2B07:00~5000",
        "model=gates.gatedailystat&cu_hon=2025-06-01T08:00:00%2B07:00~5000",
    ],
)
def test_each_filter_reads_its_page_through_an_index_in_the_lists_order(params, users):
    _as_if_two_million_entries()
    plan = _plan(params, users["admin"])
    assert "core_changelogentry" in plan, plan
    # no sort of every entry the filter keeps, never a scan of the whole table
    assert _sorts_or_scans(plan, narrowed=bool(params)) == [], plan
    assert (
        "date("
        not in str(
            CHANGELOG.apply(changelog_for_user(user=users["admin"]), QueryDict(params), users["admin"]).query
        ).lower()
    )


def test_days_are_the_local_days(users):
    """from/to are days in Vietnam's time: 23:30 on the last day counts, 00:10 the day after does not."""
    ct = ContentType.objects.get_for_model(User)
    inside = [
        _entry(ct, when=dt.datetime(2026, 3, 1, 0, 0, tzinfo=HCM)),
        _entry(ct, when=dt.datetime(2026, 3, 31, 23, 30, tzinfo=HCM)),
    ]
    _entry(ct, when=dt.datetime(2026, 2, 28, 23, 59, tzinfo=HCM))
    _entry(ct, when=dt.datetime(2026, 4, 1, 0, 10, tzinfo=HCM))
    qs = CHANGELOG.apply(ChangeLogEntry.objects.filter(request_id="scale"), QueryDict("from=01/03/2026&to=31/03/2026"))
    assert sorted(qs.values_list("pk", flat=True)) == sorted(e.pk for e in inside)
    qs = CHANGELOG.apply(ChangeLogEntry.objects.filter(request_id="scale"), QueryDict("to=2026-02-28"))
    assert qs.count() == 1


def test_a_period_filter_on_a_time_is_a_range_of_local_days():
    """The registries' period picker on a date-time column (patrols, incidents) reads the same local days."""
    from borderdesk.core.listing import Filter

    f = Filter("ky", "Kỳ", "started_at", kind="period", datetime=True)
    q = f.day_range(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    start, end = q.children[0][1], q.children[1][1]
    assert start == dt.datetime(2026, 1, 1, tzinfo=HCM) and end == dt.datetime(2026, 4, 1, tzinfo=HCM)
    assert [c[0] for c in q.children] == ["started_at__gte", "started_at__lt"]


def test_an_account_is_found_by_its_name_or_display_name_without_reading_every_entry(users):
    ct = ContentType.objects.get_for_model(User)
    office = users["vanphong.ls"]
    mine = _entry(ct, when=timezone.now(), user_repr=office.username, user=office)
    _entry(ct, when=timezone.now(), user_repr="admin", user=users["admin"])
    system = _entry(ct, when=timezone.now(), user_repr="system")
    base = ChangeLogEntry.objects.filter(request_id="scale")
    assert list(CHANGELOG.apply(base, QueryDict("user=VANPHONG.ls")).values_list("pk", flat=True)) == [mine.pk]
    if office.display_name:
        term = office.display_name.split()[-1]
        assert mine.pk in CHANGELOG.apply(base, QueryDict(f"user={term}")).values_list("pk", flat=True)
    assert list(CHANGELOG.apply(base, QueryDict("user=syst")).values_list("pk", flat=True)) == [system.pk]
    assert not CHANGELOG.apply(base, QueryDict("user=nobody-such")).exists()
    sql = str(CHANGELOG.apply(base, QueryDict("user=vanphong")).query)
    assert "unaccent" not in sql and "bd_fold" not in sql  # no fold of every entry's account name


def test_an_unknown_object_type_is_an_empty_list_not_a_join():
    qs = CHANGELOG.apply(ChangeLogEntry.objects.all(), QueryDict("model=nosuch.thing"))
    assert list(qs) == []
    sql = str(CHANGELOG.apply(ChangeLogEntry.objects.all(), QueryDict("model=gates.gatedailystat")).query)
    assert "django_content_type" not in sql  # the type's id, read once, not a join on every entry


@pytest.fixture
def api_entries(users):
    ct = ContentType.objects.get_for_model(User)
    base = timezone.now() - dt.timedelta(days=2)
    rows = [
        ChangeLogEntry(
            user_repr="admin",
            request_id="api-walk",
            action="update",
            content_type=ct,
            object_id=str(i),
            object_repr=f"mục {i}",
        )
        for i in range(75)
    ]
    ChangeLogEntry.objects.bulk_create(rows)
    for n, pk in enumerate(ChangeLogEntry.objects.filter(request_id="api-walk").order_by("pk").values_list("pk")):
        ChangeLogEntry.objects.filter(pk=pk[0]).update(time=base + dt.timedelta(seconds=n // 4))
    return list(
        ChangeLogEntry.objects.filter(request_id="api-walk").order_by("-time", "-id").values_list("pk", flat=True)
    )


def test_the_api_pages_by_cursor_every_entry_once_without_counting(api_entries, client, users):
    client.force_login(users["admin"])
    seen, url = [], "/api/changelog?request_id=api-walk&page_size=20"
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url).json()
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    assert body["newer"] is None
    while True:
        seen += [e["id"] for e in body["items"]]
        if not body["older"]:
            break
        body = client.get(f"{url}&older={quote(body['older'])}").json()
    assert seen == api_entries
    # and back: the page before the last one's first entry
    back = client.get(f"{url}&newer={quote(body['newer'])}").json()
    assert [e["id"] for e in back["items"]] == api_entries[40:60]
    # the page's own parameter names are read too
    assert client.get(f"{url}&cu_hon={quote(body['newer'])}").json()["items"][0]["id"] == api_entries[61]
    r = client.get(f"{url}&older=not-a-cursor")
    assert r.status_code == 400 and "older" in r.json()["message"]


def test_the_api_explains_that_pages_go_by_cursor(client, users):
    client.force_login(users["admin"])
    assert client.get("/api/changelog?page=1").status_code == 200
    r = client.get("/api/changelog?page=3")
    assert r.status_code == 400 and "older" in r.json()["message"]
