"""Pages and page parts kept per *table* (core.generation, core.tables): a write to a table a page read makes
it computed again, a write to a table it did not read leaves it kept, and a saved draft figure (an open edit)
leaves the pages that count only submitted and approved reports — the consolidation, the dashboard — kept, while
the pages showing the draft are computed again and show it."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from borderdesk.core import fragments, generation, pagecache, tables
from borderdesk.core.changelog import save_with_log
from borderdesk.core.errors import ApplicationError
from borderdesk.frontier.models import Incident, Patrol
from borderdesk.reporting import services, workflow
from borderdesk.reporting.models import DataValue, Submission
from tests.web.test_page_cache import _fresh, _save_value, _text, page_cache_on  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

REGISTRY = "/bien-gioi/tuan-tra/"


def _edit_incident(users, text):
    incident = Incident.objects.order_by("pk").first()
    incident.description = text
    save_with_log(user=users["admin"], instance=incident)


def _edit_patrol(users, participants):
    patrol = Patrol.objects.for_user(users["admin"]).order_by("-pk").first()
    patrol.participants = participants
    save_with_log(user=users["admin"], instance=patrol)


def test_a_write_to_a_table_the_page_did_not_read_leaves_it_kept_one_it_read_does_not(users, client):
    client.force_login(users["vanphong.ls"])
    client.get(REGISTRY)
    kept = client.get(REGISTRY)
    assert kept[pagecache.HEADER] == "hit"
    _edit_incident(users, "Diễn biến đã sửa")  # the same application (frontier), a table the list does not read
    again = client.get(REGISTRY)
    assert again[pagecache.HEADER] == "hit" and _text(again) == _text(kept) == _fresh(client, REGISTRY)
    _edit_patrol(users, 4242)  # a table the list reads
    after = client.get(REGISTRY)
    assert after[pagecache.HEADER] == "miss" and _text(after) == _fresh(client, REGISTRY)


def test_a_page_part_is_kept_until_a_table_it_read_is_written(users):
    user, calls = users["vanphong.ls"], []

    def compute():
        calls.append(1)
        return Patrol.objects.count()

    assert fragments.cached(user, "t", ("a",), compute) == Patrol.objects.count()
    _edit_incident(users, "Diễn biến khác")
    fragments.cached(user, "t", ("a",), compute)
    assert len(calls) == 1  # kept: the part did not read the incidents
    _edit_patrol(users, 77)
    fragments.cached(user, "t", ("a",), compute)
    assert len(calls) == 2


def test_a_saved_draft_figure_leaves_the_consolidation_and_the_dashboard_kept(users, client):
    draft = _save_value(users, 1111)  # the draft exists before the pages are kept (a new report is no open edit)
    assert draft.status == "draft"
    entry = f"/bao-cao/nhap/{draft.pk}/"
    # Kept: pages counting only submitted and approved reports, and the report list and work lists (they show a
    # report's form, place, period, status and time sent, which no open edit changes) — for the office and for
    # the reporter whose draft it is. Computed again: what shows the draft's figures, version or save time.
    counting = ["/bao-cao/tong-hop/?ky=2025", "/tong-quan/tinh/", "/bao-cao/", "/"]
    showing = [entry, "/api/reporting/submissions"]
    client.force_login(users["vanphong.ls"])
    reporter = Client()
    reporter.force_login(users["baocao.dongdang"])
    kept = {}
    for url in counting + showing:
        client.get(url)
        kept[url] = client.get(url)
        assert kept[url][pagecache.HEADER] == "hit"
    for url in ("/", "/bao-cao/"):
        reporter.get(url)
        kept["reporter" + url] = reporter.get(url)
        assert kept["reporter" + url][pagecache.HEADER] == "hit"
    assert "Tiếp tục nhập" in _text(kept["reporter/"])  # the reporter's work list shows the draft
    _save_value(users, 2468)
    for url in counting:
        after = client.get(url)
        assert after[pagecache.HEADER] == "hit", url
        assert _text(after) == _text(kept[url]) == _fresh(client, url)
    for url in ("/", "/bao-cao/"):
        after = reporter.get(url)
        assert after[pagecache.HEADER] == "hit", url
        assert _text(after) == _text(kept["reporter" + url]) == _fresh(reporter, url)
    for url in showing:
        after = client.get(url)
        assert after[pagecache.HEADER] == "miss", url
        assert _text(after) == _fresh(client, url)
    assert "2.468" in client.get(entry).content.decode()
    _save_value(users, 4)  # a figure the rules accept, so that the report can be sent
    assert client.get(counting[0])[pagecache.HEADER] == "hit"
    # Sending the report changes its status: no open edit, every page reading the reports is computed again.
    workflow.submission_submit(user=users["baocao.dongdang"], submission=draft, enforce_lock=False)
    for url in counting + showing:
        after = client.get(url)
        assert after[pagecache.HEADER] == "miss", url
        assert _text(after) == _fresh(client, url)


def test_an_open_edit_bumps_only_the_open_generation_of_its_tables_and_only_inside(users):
    draft = _save_value(users, 5)
    before = generation.tokens()
    with tables.open_edit(draft.pk):
        DataValue.objects.filter(submission=draft).update(comment="ghi chú")
        Patrol.objects.filter(pk=-1).update(participants=1)  # not an open-edit table: its own generation
    after = generation.tokens()
    changed = {n for n in after if before.get(n) != after[n]}
    mark = "table:" + tables.report_mark(draft.pk)
    assert changed == {"table:reporting_datavalue@open", mark, "table:frontier_patrol"}
    Submission.objects.filter(pk=draft.pk).update(version=draft.version)
    assert generation.tokens()["table:reporting_submission"] != before.get("table:reporting_submission")
    with tables.capture() as reads:
        list(Submission.objects.filter(pk=draft.pk).values_list("pk"))
        with tables.ignoring_open_edits():
            list(DataValue.objects.filter(submission__status="approved").values_list("value")[:1])
    deps = tables.dependencies(reads.tables)
    assert {"reporting_submission", "reporting_submission@open", "reporting_datavalue"} <= deps
    assert "reporting_datavalue@open" not in deps  # read only ignoring open edits


def test_an_open_edit_bumps_at_its_end_or_before_a_read_and_not_when_rolled_back(users):
    """The bumps of an open edit are made together (one statement) when it ends or when the generations are read
    inside it (a part computed there is keyed by the new ones); rolled back with its writes, nothing is bumped;
    an error caught after its writes still bumps (the writes stay)."""
    from django.db import transaction

    draft = _save_value(users, 5)
    mark = "table:" + tables.report_mark(draft.pk)
    before = generation.tokens()
    with transaction.atomic(), tables.open_edit(draft.pk):
        DataValue.objects.filter(submission=draft).update(comment="một")
        inside = generation.tokens()  # read inside, after the write: the bump is there already
        assert inside[mark] != before[mark] and inside["table:reporting_datavalue@open"] != before.get(
            "table:reporting_datavalue@open"
        )
        DataValue.objects.filter(submission=draft).update(comment="hai")  # read since: bumped again at the end
    after = generation.tokens()
    assert after[mark] != inside[mark]
    with pytest.raises(RuntimeError), transaction.atomic(), tables.open_edit(draft.pk):
        DataValue.objects.filter(submission=draft).update(comment="ba")
        raise RuntimeError
    assert generation.tokens() == after  # rolled back: neither the write nor a bump
    with transaction.atomic():
        try:
            with tables.open_edit(draft.pk):
                DataValue.objects.filter(submission=draft).update(comment="bốn")
                raise RuntimeError
        except RuntimeError:
            pass
    assert DataValue.objects.filter(submission=draft, comment="bốn").exists()
    assert generation.tokens()[mark] != after[mark]  # the write stayed: so did its bump


def test_saving_a_report_that_is_not_open_is_refused_before_any_open_edit(users):
    draft = _save_value(users, 6)
    workflow.submission_submit(user=users["baocao.dongdang"], submission=draft, enforce_lock=False)
    before = generation.tokens()
    with pytest.raises(ApplicationError):
        services.submission_save(
            user=users["baocao.dongdang"], submission=draft, values={"PATROLS_BILATERAL": {"value": "9"}}
        )
    assert generation.tokens() == before  # refused: its lock and any bump rolled back
    assert not tables._local.__dict__.get("open_edit")


def _own_or_settled(sql: str, pk: int) -> bool:
    """A statement reading the open-edit tables reads the report's own rows or submitted/approved ones only."""
    own = (f'"reporting_submission"."id" = {pk}', f'"submission_id" = {pk}', f'"submission_id" IN ({pk})')
    settled = ("\"status\" IN ('approved'", "\"status\" = 'approved'")
    return any(s in sql for s in own + settled)


def test_the_entry_page_reads_its_own_report_and_settled_ones_only(users, client):
    """The claim of reporting.views.entry (tables.reading_open_report), statement by statement: every read of
    an open-edit table names the report or the submitted/approved status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    draft = _save_value(users, 3)
    checked = 0
    for name in ("baocao.dongdang", "vanphong.ls", "admin"):
        client.force_login(users[name])
        for sub in (draft, Submission.objects.for_user(users[name]).order_by("-pk").first()):
            with override_settings(BORDERDESK_PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
                assert client.get(f"/bao-cao/nhap/{sub.pk}/").status_code == 200
            for q in queries.captured_queries:
                if tables.read_tables(q["sql"]) & tables.OPEN_EDIT_TABLES:
                    checked += 1
                    assert _own_or_settled(q["sql"], sub.pk), q["sql"]
    assert checked > 10


def test_a_saved_figure_leaves_the_entry_pages_of_other_reports_kept(users, client):
    draft = _save_value(users, 7)
    other = Submission.objects.exclude(pk=draft.pk).filter(
        pk__in=Submission.objects.for_user(users["vanphong.ls"]).values("pk")
    )
    other = next(s for s in other.order_by("-pk") if tables.report_mark(s.pk) != tables.report_mark(draft.pk))
    client.force_login(users["vanphong.ls"])
    pages = [f"/bao-cao/nhap/{draft.pk}/", f"/bao-cao/nhap/{other.pk}/"]
    for url in pages:
        client.get(url)
        assert client.get(url)[pagecache.HEADER] == "hit"
    _save_value(users, 8642)
    mine, theirs = (client.get(url) for url in pages)
    assert mine[pagecache.HEADER] == "miss" and "8.642" in mine.content.decode()
    assert theirs[pagecache.HEADER] == "hit" and _text(theirs) == _fresh(client, pages[1])


def test_a_long_table_name_fits_the_generation_name():
    long = "frontier_selfmanagementregistration@open"
    name = generation.table_name(long)
    assert len(name) <= 40 and name != generation.table_name(long[:-1]) and name == generation.table_name(long)
    assert generation.table_name("frontier_patrol") == "table:frontier_patrol"


API_REPORTS = "/api/reporting/submissions"


def _listed_marks(client, url) -> set[str]:
    return {tables.report_mark(row["id"]) for row in client.get(url).json()["items"]}


def test_the_api_list_of_reports_is_kept_through_a_saved_figure_of_a_report_it_does_not_list(users, client):
    """The list shows each report's version, which an open edit changes: it is kept under the generations of the
    reports it lists (tables.reading_open_reports), so a figure saved in another report leaves it kept."""
    draft = _save_value(users, 11)
    client.force_login(users["vanphong.ls"])
    pages = (f"{API_REPORTS}?trang_thai=approved&page={n}" for n in range(1, 6))
    url = next(u for u in pages if tables.report_mark(draft.pk) not in _listed_marks(client, u))
    client.get(url)
    kept = client.get(url)
    assert kept[pagecache.HEADER] == "hit"
    _save_value(users, 2222)
    after = client.get(url)
    assert after[pagecache.HEADER] == "hit" and _text(after) == _text(kept) == _fresh(client, url)


def test_the_api_list_shows_a_saved_figure_s_new_version_at_the_cost_of_one_statement(users, client):
    """A figure saved in a listed report: the list is computed again and shows the new version, from the kept rows
    (fragments, keyed ignoring open edits) and one statement reading the listed reports' versions."""
    from django.db import connection

    draft = _save_value(users, 12)
    client.force_login(users["baocao.dongdang"])
    client.get(API_REPORTS)
    assert client.get(API_REPORTS)[pagecache.HEADER] == "hit"
    before = {row["id"]: row["version"] for row in client.get(API_REPORTS).json()["items"]}
    assert draft.pk in before
    _save_value(users, 3333)
    sent = []
    with connection.execute_wrapper(lambda execute, sql, *args: sent.append(sql) or execute(sql, *args)):
        after = client.get(API_REPORTS)
    assert after[pagecache.HEADER] == "miss" and _text(after) == _fresh(client, API_REPORTS)
    versions = {row["id"]: row["version"] for row in after.json()["items"]}
    assert versions[draft.pk] == Submission.objects.get(pk=draft.pk).version == before[draft.pk] + 1
    assert {k: v for k, v in versions.items() if k != draft.pk} == {k: v for k, v in before.items() if k != draft.pk}
    reads = [sql for sql in sent if "reporting_submission" in tables.read_tables(sql)]
    assert len(reads) == 1 and "COUNT" not in reads[0], sent


def test_reads_ignoring_open_edits_inside_a_report_s_page_do_not_depend_on_its_own_generation(users):
    draft = _save_value(users, 13)
    with tables.capture() as reads, tables.reading_open_report(draft.pk):
        list(Submission.objects.filter(pk=draft.pk).values_list("version"))
        with tables.ignoring_open_edits(), tables.capture() as settled:
            list(DataValue.objects.filter(submission__status="approved").values_list("value")[:1])
    assert tables.report_mark(draft.pk) in tables.dependencies(reads.tables)
    deps = tables.dependencies(settled.tables)
    assert {"reporting_datavalue", "reporting_submission"} <= deps
    assert not {d for d in deps if d.startswith("@report-") or d.endswith("@open")}, deps


def test_a_saved_figure_computes_its_entry_page_again_without_reading_the_history_again(users, client):
    """The reporter's figures of earlier periods (submitted and approved reports only) are kept as a page part
    through a figure saved in the report itself; the page shows the new figure."""
    from django.db import connection

    draft = _save_value(users, 14)
    client.force_login(users["baocao.dongdang"])
    url = f"/bao-cao/nhap/{draft.pk}/"
    client.get(url)
    _save_value(users, 5151)
    sent = []
    with connection.execute_wrapper(lambda execute, sql, *args: sent.append(sql) or execute(sql, *args)):
        after = client.get(url)
    assert after[pagecache.HEADER] == "miss" and "5.151" in after.content.decode()
    assert _text(after) == _fresh(client, url)
    assert not [sql for sql in sent if "SUM(" in sql or "org_unitsuccession" in sql], sent
