"""Every page renders for every role, in Vietnamese by default, with bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.org.models import AdministrativeUnit, Committee

pytestmark = pytest.mark.django_db


def _pages():
    ls = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    c = Committee.objects.get(code="ls-bcdbg")
    return [
        "/",
        "/to-chuc/",
        "/to-chuc/?ngay=24/06/2021&bien_gioi=1",
        f"/to-chuc/don-vi/{ls.pk}/",
        "/to-chuc/co-quan/",
        "/to-chuc/ban-chi-dao/",
        f"/to-chuc/ban-chi-dao/{c.pk}/?ngay=31/12/2025",
        "/nhat-ky/",
        "/tai-khoan/ma-truy-cap/",
    ]


@pytest.mark.parametrize("username", ["admin", "vanphong.ls", "lanhdao.ls", "kiemtra.ls", "duyet.ls"])
def test_pages_render(client, users, username):
    client.force_login(users[username])
    for url in _pages():
        r = client.get(url, follow=url == "/")  # a leader's home is the dashboard (a redirect)
        assert r.status_code == 200, url
        assert '<html lang="vi">' in r.content.decode()


def test_login_required(client):
    r = client.get("/to-chuc/")
    assert r.status_code == 302 and "/tai-khoan/dang-nhap/" in r["Location"]


def test_login_page_and_login(client):
    assert "Đăng nhập" in client.get("/tai-khoan/dang-nhap/").content.decode()
    r = client.post("/tai-khoan/dang-nhap/", {"username": "lanhdao.ls", "password": "borderdesk-demo"})
    assert r.status_code == 302


def test_english_is_available(client, users):
    client.force_login(users["admin"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    r = client.get("/to-chuc/")
    assert '<html lang="en">' in r.content.decode()


def test_committee_page_shows_members_as_of_date(client, users):
    client.force_login(users["vanphong.ls"])
    c = Committee.objects.get(code="ls-bcdbg")
    html = client.get(f"/to-chuc/ban-chi-dao/{c.pk}/?ngay=31/12/2025").content.decode()
    assert "Đinh Hữu Học" in html and "Trịnh Tuyết Mai" in html
    html_2021 = client.get(f"/to-chuc/ban-chi-dao/{c.pk}/?ngay=24/06/2021").content.decode()
    assert "Thành viên ngày 24/06/2021" in html_2021
    assert "thực hiện các văn kiện pháp lý" in html_2021


def test_tree_page_queries_do_not_grow_with_units(client, users):
    client.force_login(users["admin"])
    with CaptureQueriesContext(connection) as q:
        client.get("/to-chuc/?ngay=01/01/2026")
    assert len(q) <= 12


def test_the_site_has_an_icon(client):
    """Every page links its icon, and /favicon.ico leads to it (no 404 in the browser's console)."""
    from django.contrib.staticfiles import finders

    login = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert 'rel="icon"' in login and "favicon.svg" in login
    resp = client.get("/favicon.ico")
    assert resp.status_code == 301 and resp["Location"].endswith("img/favicon.svg")
    assert finders.find("img/favicon.svg")


def test_the_url_conf_loads_before_static_files_are_collected(tmp_path):
    """A worker or a management command on a machine where collectstatic has not run imports the URL conf too (the
    kill -9 test's worker died of it): the icon's address must not be looked up in the missing manifest at import."""
    from tests.production_process import run_with_production_settings

    code = "import django; django.setup(); from django.urls import resolve; print(resolve('/favicon.ico').url_name)"
    run = run_with_production_settings(code, tmp_path, BORDERDESK_STATIC_ROOT=str(tmp_path / "static"))
    assert run.returncode == 0, run.stderr[-1500:]
