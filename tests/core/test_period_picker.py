"""Periods in words (issue 11 part 5): one picker, one meaning of a period key on every page, and
reports that a window cuts across are counted by a stated rule, never dropped silently."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from borderdesk.core.period_picker import read_period
from borderdesk.core.periods import parse_period

pytestmark = pytest.mark.django_db

PAGES = ["/tong-quan/cua-khau/", "/bao-cao/tong-hop/"]


def _window(html: str) -> str:
    m = re.search(r'class="period-window"[^>]*>(.*?)</p>', html, re.S)
    assert m, "the page has no period picker"
    return re.sub(r"<[^>]+>", "", m.group(1))


@pytest.mark.parametrize(
    "query",
    [
        "ky=2025",
        "ky=2025Q3",
        "ky=2025M03",
        "ky=2025&quy_tac=calendar",
        "loai_ky=N9&nam_ky=2025",
        "loai_ky=cutoff&ngay=30/11/2025&quy_tac=decree09",
    ],
)
def test_a_period_key_means_the_same_dates_on_gate_and_reporting_pages(login, users, query):
    c = login(users["lanhdao.ls"])
    windows = {url: _window(c.get(f"{url}?{query}", HTTP_ACCEPT_LANGUAGE="vi").content.decode()) for url in PAGES}
    assert len(set(windows.values())) == 1, windows


def test_the_picker_shows_the_decree09_window_in_words(login, users):
    c = login(users["lanhdao.ls"])
    html = c.get("/bao-cao/tong-hop/?ky=2025", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Năm 2025: 15/12/2024 – 14/12/2025" in _window(html)
    assert 'name="loai_ky"' in html and 'name="quy_tac"' in html and 'name="ngay"' in html
    assert "<script>" not in html.split('class="period-picker"')[1].split("</fieldset>")[0]
    html = c.get("/tong-quan/cua-khau/?ky=2025&quy_tac=calendar", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Năm 2025: 01/01/2025 – 31/12/2025" in _window(html)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = c.get("/tong-quan/cua-khau/?loai_ky=cutoff&ngay=30/11/2025&quy_tac=calendar").content.decode()
    assert "Up to 30 November 2025: 01/01/2025 – 30/11/2025" in _window(html)
    assert "Calendar rule" in html and "Decree 09" in html


def test_picker_fields_and_errors():
    assert read_period({"loai_ky": "quarter", "nam_ky": "2025", "quy": "3"}).period == parse_period("2025Q3")
    assert read_period({"loai_ky": "H1", "nam_ky": "2025", "quy_tac": "calendar"}).period == parse_period(
        "2025H1", "calendar"
    )
    cut = read_period({"loai_ky": "cutoff", "ngay": "30/11/2025", "quy_tac": "decree09"}).period
    assert (cut.key, cut.start, cut.end) == ("C20251130D", dt.date(2024, 12, 15), dt.date(2025, 11, 30))
    bad = read_period({"loai_ky": "cutoff", "ngay": "31/02/2025"}, default=parse_period("2024"))
    assert bad.error and bad.period == parse_period("2024")
    assert read_period({"ky": "banana"}).error
    assert read_period({"ky": "2025", "quy_tac": "lunar"}).error


def test_a_calendar_window_says_how_it_counts_monthly_reports_it_cuts(login, users, unit):
    """Decree 09 monthly reports run 15th–14th: a calendar year cuts 2025M01 (15/12/2024–14/01/2025) and
    2026M01. The page says so and counts each by the day its data ends — the year has 12 months of data."""
    from borderdesk.reporting import consolidation
    from borderdesk.reporting.models import ReportForm

    ls = unit("Tỉnh Lạng Sơn")
    form = ReportForm.objects.get(code="bc-xa-thang")
    cal = parse_period("2025", "calendar")
    cons = consolidation.consolidation_get(user=users["lanhdao.ls"], unit=ls, period=cal, form=form)
    d09 = consolidation.consolidation_get(user=users["lanhdao.ls"], unit=ls, period=parse_period("2025"), form=form)
    assert cons.row("PROPAGANDA_SESSIONS").value == d09.row("PROPAGANDA_SESSIONS").value
    assert cons.straddling["counted"] and any(s["period_key"] == "2025M01" for s in cons.straddling["counted"])
    c = login(users["lanhdao.ls"])
    html = c.get(
        f"/bao-cao/tong-hop/?don_vi={ls.pk}&ky=2025&quy_tac=calendar&bieu=bc-xa-thang", HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    notice = html.split("period-notice")[1].split("</p>")[0]
    assert "ngày kết thúc" in notice and "tháng 1/2025" in notice


def test_report_list_filters_by_the_picker_window(login, users):
    c = login(users["admin"])
    html = c.get(
        "/bao-cao/?loai_ky=month&nam_ky=2025&thang=1&page_size=500", HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert "Tháng 1/2025: 15/12/2024 – 14/01/2025" in _window(html)
    assert "tháng 1/2025" in html and "tháng 2/2025" not in html
    assert c.get("/bao-cao/?ky=2025M01").content.decode().count("tháng 1/2025") >= 1
    html = c.get("/bao-cao/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'value="" selected' in html and 'class="period-window"' not in html  # all periods


def test_completeness_takes_the_picker_window(login, users, unit):
    c = login(users["lanhdao.ls"])
    ls = unit("Tỉnh Lạng Sơn")
    html = c.get(
        f"/bao-cao/day-du/?don_vi={ls.pk}&bieu=bc-xa-thang&loai_ky=quarter&nam_ky=2025&quy=3&quy_tac=decree09",
        HTTP_ACCEPT_LANGUAGE="vi",
    ).content.decode()
    assert "Quý III/2025: 15/06/2025 – 14/09/2025" in _window(html)
    heads = re.findall(r'<th class="cell" scope="col"[^>]*>([^<]+)</th>', html)
    assert heads == ["tháng 7/2025", "tháng 8/2025", "tháng 9/2025"]
    html = c.get(
        f"/bao-cao/day-du/?don_vi={ls.pk}&bieu=bc-xa-thang&nam=2025", HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert len(re.findall(r'<th class="cell" scope="col"', html)) == 12


def test_open_a_report_with_the_picker(login, users, unit):
    from borderdesk.reporting.models import Submission

    c = login(users["admin"])
    html = c.get("/bao-cao/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'id="op-kind"' in html and 'id="pp-kind"' in html  # two pickers, distinct ids
    ls = unit("Tỉnh Lạng Sơn")
    r = c.post("/bao-cao/mo/", {"form": "bc-nam", "reporter": f"u:{ls.pk}", "loai_ky": "year", "nam_ky": "2024"})
    assert r.status_code == 302
    sub = Submission.objects.get(pk=int(r["Location"].rstrip("/").split("/")[-1]))
    assert sub.period_key == "2024" and sub.unit_id == ls.pk
    r = c.post(
        "/bao-cao/mo/", {"form": "bc-nam", "reporter": f"u:{ls.pk}", "loai_ky": "month", "nam_ky": "2024", "thang": "3"}
    )
    assert r.status_code == 400 and "Kỳ báo cáo không hợp lệ" in r.content.decode()


def test_straddling_reports_are_found_by_their_days_within_the_units_area(unit):
    """The reports a window cuts are read through the (status, start, end, path) index by the days around the
    window; the area is a condition on each row. On the 8M-value set SQLite took the path's index range instead —
    the country's range holds every report (0,09 s a query, a quarter of a national cut-off's time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from borderdesk.reporting.window import root_paths, window_straddlers

    cal = parse_period("2025", "calendar")
    statuses = ["approved", "submitted"]
    ls = unit("Tỉnh Lạng Sơn")
    country = ls.parent
    while country.parent_id:
        country = country.parent
    with CaptureQueriesContext(connection) as ctx:
        mine = window_straddlers(root_paths(ls), cal, statuses, None)
    found = {s["pk"] for s in mine["counted"]}
    assert found and found <= {s["pk"] for s in window_straddlers(root_paths(country), cal, statuses, None)["counted"]}
    reading = [q["sql"] for q in ctx.captured_queries if "reporting_submission" in q["sql"]]
    assert reading and all('"unit_path" >=' not in sql for sql in reading), reading
    other = next(
        u for u in type(ls).objects.filter(kind="province").exclude(pk=ls.pk) if not u.path.startswith(ls.path)
    )
    assert not {s["pk"] for s in window_straddlers(root_paths(other), cal, statuses, None)["counted"]} & found
