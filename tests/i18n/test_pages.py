"""The interface in English after the language switch, Vietnamese by default."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from borderdesk.core import vn
from borderdesk.core.periods import parse_period
from borderdesk.org.models import AdministrativeUnit, Committee

pytestmark = pytest.mark.django_db

# Interface words that must not survive the switch to English (the shell and the main pages).
VIETNAMESE_CHROME = [
    "Đăng xuất",
    "Trang chủ",
    "Bỏ qua, tới nội dung chính",
    "Nhật ký thay đổi",
    "Tổ chức",
    "Công tác biên giới",
    "Tìm kiếm",
    "Trạng thái",
    "Lọc",
]


def _english(client):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    return client


def _get(client, url):
    r = client.get(url)
    assert r.status_code == 200, url
    html = r.content.decode()
    assert '<html lang="en">' in html, url
    return html


def _no_chrome(html, url):
    # The language button offers "Tiếng Việt" on purpose; data (unit names, quotations) stays Vietnamese.
    visible = re.sub(r"<[^>]+>", " ", html)
    for word in VIETNAMESE_CHROME:
        assert f" {word} " not in f" {' '.join(visible.split())} ", (url, word)


def test_vietnamese_is_the_default(client, users):
    html = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert '<html lang="vi">' in html and "Đăng nhập" in html and "Mật khẩu" in html
    client.force_login(users["vanphong.ls"])
    html = client.get("/").content.decode()
    assert '<html lang="vi">' in html and "Đăng xuất" in html and "Xin chào" in html
    assert 'value="en"' in html  # the switch offers English


def test_login_page_in_english(client):
    html = _get(_english(client), "/tai-khoan/dang-nhap/")
    assert "Log in" in html and "Username" in html and "Password" in html
    assert "Đăng nhập" not in html and "Mật khẩu" not in html


def test_switching_back_to_vietnamese(client, users):
    client.force_login(users["vanphong.ls"])
    _english(client)
    assert "Log out" in _get(client, "/")
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="vi">' in html and "Đăng xuất" in html


def test_shell_home_and_change_log_in_english(client, users):
    client.force_login(users["vanphong.ls"])
    _english(client)
    html = _get(client, "/")
    assert "Hello, " in html and "Log out" in html and "Skip to main content" in html
    assert "Roles and scope" in html and "Standing office" in html
    _no_chrome(html, "/")
    html = _get(client, "/nhat-ky/")
    assert "<h1>Change log</h1>" in html and "Object type" in html and "Export CSV" in html
    assert "<th>Object</th>" in html
    _no_chrome(html, "/nhat-ky/")


def test_organisation_pages_in_english(client, users):
    client.force_login(users["vanphong.ls"])
    _english(client)
    ls = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    c = Committee.objects.get(code="ls-bcdbg")
    html = _get(client, "/to-chuc/?ngay=24/06/2021&bien_gioi=1")
    assert "Administrative units on 24/06/2021" in html and "Border units only" in html
    assert "Huyện Văn Lãng" in html  # names are data and stay Vietnamese
    _no_chrome(html, "tree")
    html = _get(client, f"/to-chuc/don-vi/{ls.pk}/")
    assert "History across administrative reorganisations" in html and "Subordinate units" in html
    html = _get(client, "/to-chuc/co-quan/")
    assert "<h1>Agencies</h1>" in html
    assert "<td>Border Guard station</td>" in html and "<td>Đồn/Trạm Biên phòng</td>" not in html  # kind name_en
    html = _get(client, "/to-chuc/ban-chi-dao/")
    assert "Border Steering Committees" in html
    html = _get(client, f"/to-chuc/ban-chi-dao/{c.pk}/?ngay=31/12/2025")
    assert "Members on 31/12/2025" in html and "Standing deputy head" in html and "Đinh Hữu Học" in html
    _no_chrome(html, "committee")


def test_reporting_pages_in_english(client, users):
    from borderdesk.reporting.models import Submission

    client.force_login(users["vanphong.ls"])
    _english(client)
    html = _get(client, "/bao-cao/")
    assert "<h1>Periodic reports</h1>" in html and "My reports" in html and "Open a report for entry" in html
    _no_chrome(html, "reporting home")
    html = _get(client, "/bao-cao/cho-duyet/")
    assert "Reports awaiting approval" in html
    html = _get(client, "/bao-cao/day-du/")
    assert "Submission status" in html
    html = _get(client, "/bao-cao/tong-hop/?ky=2025")
    assert "Consolidated figures" in html and "Same period last year" in html
    assert "year 2025" in html  # the period label follows the language
    sub = Submission.objects.for_user(users["vanphong.ls"], "view").first()
    if sub is not None:
        html = _get(client, f"/bao-cao/nhap/{sub.pk}/")
        assert "Reporting period" in html and "Workflow history" in html
        assert sub.period.label("en") in html


def test_registry_lists_in_english(client, users):
    from django.urls import reverse

    from borderdesk.frontier.registries import ALL as FRONTIER
    from borderdesk.gates.registries import ALL as GATES

    client.force_login(users["vanphong.ls"])
    _english(client)
    pages = []
    for app, registries in (("frontier", FRONTIER), ("gates", GATES)):
        for registry in registries:
            html = _get(client, reverse(f"{app}:{registry.slug}_list"))
            assert "Search" in html or "Filter" in html, registry.slug
            _no_chrome(html, registry.slug)
            pages.append(html)
    for title in (
        "Border sections",
        "Border markers",
        "Marker inspections",
        "Patrol and inspection roads",
        "Daily gate figures",
    ):
        assert any(f"<h1>{title}</h1>" in html for html in pages), title
    html = _get(client, reverse("frontier:moc_list"))
    assert "Condition" in html and "Responsible station" in html


def test_numbers_follow_the_language_in_the_interface():
    """UI numbers follow the language; documents (core.vn called directly) stay Vietnamese."""
    tpl = Template("{% load vn %}{{ a|num }} {{ b|num:2 }} {{ c|pct:2 }} {{ p|plabel }} ({{ p|pwindow }})")
    ctx = Context({"a": 1700, "b": Decimal("6.73"), "c": Decimal("1234.5"), "p": parse_period("2025H1")})
    with translation.override("vi"):
        assert tpl.render(ctx).startswith("1.700 6,73 1.234,5% 6 tháng đầu năm 2025 (từ ngày")
    with translation.override("en"):
        assert tpl.render(ctx).startswith("1,700 6.73 1,234.5% first half of 2025 (")
    with translation.override("en"):
        assert vn.format_number(1700) == "1.700"
        assert vn.date_line("Lạng Sơn", date(2026, 1, 5)) == "Lạng Sơn, ngày 05 tháng 01 năm 2026"


def test_indicator_names_follow_the_language():
    from borderdesk.reporting.models import Indicator

    ind = Indicator.objects.exclude(name_en="").first()
    tpl = Template("{% load vn %}{{ i|lname }}")
    with translation.override("en"):
        assert tpl.render(Context({"i": ind})) == ind.name_en
    with translation.override("vi"):
        assert tpl.render(Context({"i": ind})) == ind.name_vi


def test_interface_figures_follow_the_language():
    tpl = Template("{% load vn %}{{ v|amount }}|{% compare v b %}|{{ q|qualifier }}|{{ u|unitname }}")

    def render(v, b=None, q="", u=""):
        return tpl.render(Context({"v": v, "b": b, "q": q, "u": u}))

    with translation.override("en"):
        assert (
            render(Decimal("86000000000"), Decimal("59720000000"), "over", "lượt người")
            == "86 billion|up 44% on the same period last year|over|people"
        )
        assert (
            render(Decimal("6730000000"), Decimal("5180000000"), "trên", "xã")
            == "6.73 billion|up 29.9% on the same period last year|over|communes"
        )
        assert render(4410, 4800, "", "chỉ tiêu lạ") == "4,410|down 8.1% on the same period last year||chỉ tiêu lạ"
        assert render(250, 100) == "250|2.5 times the same period last year||"
        assert render(100, 100) == "100|same as the same period last year||"
        assert render(5, None) == "5|||"
    with translation.override("vi"):
        assert (
            render(Decimal("86000000000"), Decimal("59720000000"), "over", "xã")
            == f"86 tỷ|{vn.compare_phrase(86000000000, 59720000000)}|trên|xã"
        )
        assert render(4410, 4800) == "4.410|giảm 8,1% so với cùng kỳ||"


def test_consolidated_page_writes_figures_in_english(client, users):
    client.force_login(users["vanphong.ls"])
    html = client.get("/bao-cao/tong-hop/?ky=2025").content.decode()
    assert "so với cùng kỳ</td>" in html  # Vietnamese: as reports write them
    _english(client)
    html = _get(client, "/bao-cao/tong-hop/?ky=2025")
    assert "on the same period last year</td>" in html and "so với cùng kỳ</td>" not in html
    assert "86 billion" in html and "(communes)" in html
