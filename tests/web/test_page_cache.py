"""Whole pages kept per user (core.pagecache): every page of the load mix is kept, a write shows on the next
request exactly as an uncached render would show it, a write elsewhere keeps it, and one user's page, CSRF
token or messages never reach another."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from borderdesk.core import generation, pagecache, tables
from borderdesk.core.changelog import save_with_log
from borderdesk.frontier.models import Patrol
from borderdesk.org.models import AdministrativeUnit
from borderdesk.reporting import services
from borderdesk.reporting.models import ReportForm, Submission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

PAGES = {
    "home": "/",
    "report list": "/bao-cao/",
    "entry": None,  # the user's newest report
    "consolidation": "/bao-cao/tong-hop/?ky=2025",
    "registry list": "/bien-gioi/tuan-tra/",
    "dashboard": "/tong-quan/tinh/",
    "api submissions": "/api/reporting/submissions",
    "api patrols": "/api/frontier/patrols",
    "api markers": "/api/frontier/markers",
}
TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


@pytest.fixture
def page_cache_on():
    from django.core.cache import cache

    cache.clear()
    with override_settings(BORDERDESK_PAGE_CACHE=True):
        yield
    cache.clear()


def _url(page, user):
    if page == "entry":
        return f"/bao-cao/nhap/{Submission.objects.for_user(user).order_by('-pk').first().pk}/"
    return PAGES[page]


def _text(response) -> str:
    return TOKEN.sub("<csrf>", response.content.decode())


def _fresh(client, url) -> str:
    with override_settings(BORDERDESK_PAGE_CACHE=False):
        response = client.get(url)
    assert response.status_code == 200 and pagecache.HEADER not in response
    return _text(response)


def _save_value(users, value):
    reporter = users["baocao.dongdang"]
    form = ReportForm.objects.get(code="bc-xa-thang")
    unit = AdministrativeUnit.objects.valid_on(dt.date.today()).get(name="Xã Đồng Đăng")
    sub = services.submission_get_or_create(user=reporter, form=form, period_key="2026M11", unit=unit)
    services.submission_save(user=reporter, submission=sub, values={"PATROLS_BILATERAL": {"value": str(value)}})
    return sub


def _save_patrol(users, participants):
    patrol = Patrol.objects.for_user(users["admin"]).order_by("-pk").first()
    patrol.participants = participants
    save_with_log(user=users["admin"], instance=patrol)
    return patrol


WRITES = {"reporting": _save_value, "frontier": _save_patrol}


@pytest.mark.parametrize("written", sorted(WRITES))
@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_page_is_kept_and_the_next_request_after_a_write_shows_it(users, client, page, written):
    user = users["vanphong.ls"]
    client.force_login(user)
    url = _url(page, user)
    first = client.get(url)
    assert first.status_code == 200 and first[pagecache.HEADER] == "miss"
    second = client.get(url)
    assert second[pagecache.HEADER] == "hit"
    assert _text(second) == _text(first)
    before = generation.tokens()
    deps = pagecache.cache.get(pagecache.base_key(second.wsgi_request, user, before))
    WRITES[written](users, 4321)
    changed = {name for name, token in generation.tokens().items() if before.get(name) != token}
    after = client.get(url)
    assert after.status_code == 200
    # A write to a table the page read makes it computed again; a write elsewhere leaves it kept.
    read = {generation.table_name(d) for d in deps} | {generation.table_name(generation.ALL)}
    assert after[pagecache.HEADER] == ("miss" if read & changed or (tables.EVERY in deps and changed) else "hit")
    assert _text(after) == _fresh(client, url)  # what the page shows is what an uncached render shows


def test_the_written_figure_and_patrol_show_on_the_next_request(users, client):
    client.force_login(users["baocao.dongdang"])
    sub = _save_value(users, 1111)
    entry = f"/bao-cao/nhap/{sub.pk}/"
    client.get(entry)
    assert client.get(entry)[pagecache.HEADER] == "hit"
    _save_value(users, 2468)
    page = client.get(entry).content.decode()
    assert "2.468" in page and "1.111" not in page
    client.force_login(users["admin"])
    patrol = _save_patrol(users, 1357)
    client.get("/api/frontier/patrols")
    assert client.get("/api/frontier/patrols")[pagecache.HEADER] == "hit"
    _save_patrol(users, 9753)
    rows = {row["id"]: row for row in client.get("/api/frontier/patrols?page_size=500").json()["items"]}
    assert rows[patrol.pk]["participants"] == 9753


def test_a_write_by_raw_sql_or_a_bulk_update_is_seen_too(users, client):
    client.force_login(users["vanphong.ls"])
    client.get("/bien-gioi/tuan-tra/")
    assert client.get("/bien-gioi/tuan-tra/")[pagecache.HEADER] == "hit"
    assert Patrol._meta.db_table == "frontier_patrol"
    Patrol.objects.filter(pk=Patrol.objects.order_by("pk").first().pk).update(participants=77)
    assert client.get("/bien-gioi/tuan-tra/")[pagecache.HEADER] == "miss"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE frontier_patrol SET participants = participants + 1")
    assert client.get("/bien-gioi/tuan-tra/")[pagecache.HEADER] == "miss"


def test_a_rolled_back_write_keeps_the_page(users, client):
    client.force_login(users["vanphong.ls"])
    client.get("/api/frontier/patrols")
    try:
        with transaction.atomic():
            Patrol.objects.update(participants=1)
            raise RuntimeError
    except RuntimeError:
        pass
    assert client.get("/api/frontier/patrols")[pagecache.HEADER] == "hit"


@pytest.mark.parametrize("url", ["/", "/bao-cao/", "/bao-cao/tong-hop/?ky=2025", "/api/reporting/submissions"])
def test_one_users_page_is_never_served_to_another(users, url):
    pages = {}
    for name in ("vanphong.ls", "vanphong.sl"):
        c = Client()
        c.force_login(users[name])
        c.get(url)
        pages[name] = c.get(url)
        assert pages[name][pagecache.HEADER] == "hit"
    assert _text(pages["vanphong.ls"]) != _text(pages["vanphong.sl"])
    other = Client()
    other.force_login(users["vanphong.sl"])
    assert _text(other.get(url)) == _text(pages["vanphong.sl"])


def test_a_kept_page_carries_the_csrf_token_of_the_browser_asking(users):
    url = f"/bao-cao/nhap/{_save_value(users, 5).pk}/"
    browsers = []
    for _ in range(2):
        c = Client(enforce_csrf_checks=True)
        c.force_login(users["baocao.dongdang"])
        c.get(url)
        response = c.get(url)
        assert response[pagecache.HEADER] == "hit"
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', response.content.decode()))
        assert tokens and pagecache.PLACEHOLDER.decode() not in response.content.decode()
        secret = c.cookies["csrftoken"].value
        assert {_unmask_cipher_token(t) for t in tokens} == {secret}  # masked from this browser's own secret
        browsers.append((c, tokens.pop()))
    assert browsers[0][0].cookies["csrftoken"].value != browsers[1][0].cookies["csrftoken"].value
    # The token of a kept page is accepted on a post (the password page: a wrong password, 200 with the error).
    c, token = browsers[1]
    posted = c.post("/tai-khoan/doi-mat-khau/", {"csrfmiddlewaretoken": token, "old_password": "sai"})
    assert posted.status_code != 403


def test_waiting_messages_are_shown_and_never_kept(users, client):
    client.force_login(users["vanphong.ls"])
    client.get("/bao-cao/")
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Đã lưu báo cáo thử")])
    shown = client.get("/bao-cao/")
    assert "Đã lưu báo cáo thử" in shown.content.decode() and pagecache.HEADER not in shown
    again = client.get("/bao-cao/")
    assert again[pagecache.HEADER] == "hit" and "Đã lưu báo cáo thử" not in again.content.decode()
    other = Client()
    other.force_login(users["vanphong.ls"])
    assert "Đã lưu báo cáo thử" not in other.get("/bao-cao/").content.decode()


def test_a_role_change_or_an_account_change_makes_the_next_request_fresh(users, client):
    from borderdesk.accounts.models import RoleAssignment

    office = users["vanphong.sl"]
    client.force_login(office)
    client.get("/bao-cao/tong-hop/?ky=2025")
    assert "Tỉnh Lạng Sơn" not in client.get("/bao-cao/tong-hop/?ky=2025").content.decode()
    a = RoleAssignment.objects.filter(user=office).first()
    RoleAssignment.objects.create(
        user=office, role=a.role, unit=AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn", kind="province")
    )
    assert "Tỉnh Lạng Sơn" in client.get("/bao-cao/tong-hop/?ky=2025").content.decode()
    client.get("/")
    office.first_name = "Tên Mới Thử"
    office.save()
    assert client.get("/")[pagecache.HEADER] == "miss"


def test_what_is_never_kept(users, client):
    from borderdesk.accounts.token_services import token_issue

    client.force_login(users["vanphong.ls"])
    assert client.get("/khong-co-trang-nay/").status_code == 404
    assert pagecache.HEADER not in client.get("/khong-co-trang-nay/") or (
        client.get("/khong-co-trang-nay/")[pagecache.HEADER] == "skip"
    )
    _token, key = token_issue(user=users["vanphong.ls"], name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    for _ in range(2):
        assert pagecache.HEADER not in api.get("/api/frontier/patrols")
    anonymous = Client()
    assert pagecache.HEADER not in anonymous.get("/tai-khoan/dang-nhap/")
    with override_settings(BORDERDESK_PAGE_CACHE=False):
        assert pagecache.HEADER not in client.get("/bao-cao/")


def test_a_kept_page_costs_the_statements_of_the_trivial_view_and_one_more(users, client):
    client.force_login(users["vanphong.ls"])
    for url in ("/", "/tong-quan/tinh/", "/api/reporting/submissions"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url)[pagecache.HEADER] == "hit"
        assert len(queries) <= 3, [q["sql"] for q in queries]  # session, account, generations


def test_the_sql_watch_names_the_applications_read_and_written():
    assert tables.written_tables('INSERT INTO "frontier_patrol" ("kind") VALUES (%s) RETURNING id') == [
        "frontier_patrol"
    ]
    assert tables.written_tables('UPDATE "reporting_datavalue" SET "value" = 1') == ["reporting_datavalue"]
    assert tables.written_tables('SELECT * FROM "a" FOR UPDATE') == []
    assert tables.written_tables('TRUNCATE "a", "b";') == ["a", "b"]
    assert tables.written_tables("COPY x FROM stdin") is None  # unknown: every application is bumped
    with tables.capture() as reads:
        list(Patrol.objects.select_related("agency")[:1])
    assert tables.dependencies(reads.tables) == {"frontier_patrol", "org_agency"}
    assert tables.dependencies({"core_changelogentry"}) == {tables.EVERY}
    assert tables.dependencies({"django_session"}) is None
    assert tables.dependencies({"generate_series"}) is None
    assert tables.dependencies({"reporting_datavalue"}) == {"reporting_datavalue", "reporting_datavalue@open"}
    before = generation.tokens().get("table:frontier_patrol")
    Patrol.objects.filter(pk=-1).update(participants=1)  # an UPDATE, even of no row, counts as a write
    assert generation.tokens()["table:frontier_patrol"] != before


def test_a_request_for_a_page_being_computed_waits_for_it(users, client, monkeypatch):
    client.force_login(users["vanphong.ls"])
    client.get("/bao-cao/")
    _save_value(users, 8)  # the kept page is no longer current: the next request computes it
    monkeypatch.setattr(pagecache.cache, "add", lambda *a, **k: False)  # another request is computing it
    waited = []
    monkeypatch.setattr(pagecache, "_wait_for", lambda key: waited.append(key) or (b"computed by the other", [], False))
    response = client.get("/bao-cao/")
    assert waited and response.content == b"computed by the other" and response[pagecache.HEADER] == "hit"
    monkeypatch.setattr(pagecache, "_wait_for", lambda key: None)  # the other kept nothing: computed here
    response = client.get("/bao-cao/")
    assert response[pagecache.HEADER] == "miss" and _text(response) == _fresh(client, "/bao-cao/")


def test_a_statements_own_names_are_no_tables_read():
    """The consolidation engine's SQL names its common table expressions (one with a column list) and reads
    report ids through json_each(...): none of them is a table, so the page stays keepable."""
    sql = (
        'WITH l1 AS (SELECT * FROM "reporting_datavalue" v JOIN json_each(%s) j ON 1), '
        "inside(rkey, area) AS (VALUES (%s, %s)), covered AS MATERIALIZED (SELECT * FROM inside i JOIN l1 ON 1) "
        'SELECT * FROM covered JOIN "reporting_rollupvalue" r ON 1 JOIN unnest(%s) u ON 1 INNER JOIN "org_unit" T3 ON 1'
    )
    assert tables.read_tables(sql) == {"reporting_datavalue", "reporting_rollupvalue", "org_unit"}
    assert tables.read_tables('SELECT 1 FROM "json_each_log"') == {"json_each_log"}  # a table, not the function


def test_the_consolidation_page_is_kept(users, client, settings):
    settings.BORDERDESK_PAGE_CACHE = True
    client.force_login(users["vanphong.ls"])
    assert client.get("/bao-cao/tong-hop/?ky=2025")[pagecache.HEADER] == "miss"
    assert client.get("/bao-cao/tong-hop/?ky=2025")[pagecache.HEADER] == "hit"
