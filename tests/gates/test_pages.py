"""Pages: statistics, lists, details, forms, CSV/XLSX import/export round trip, crossing-log upload."""

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.core.registry import tabular
from borderdesk.gates.forms import GateDailyStatForm
from borderdesk.gates.models import BorderGate, CrossingLogImport, GateDailyStat

pytestmark = pytest.mark.django_db


def test_statistics_page_shows_seed_figures(login, users):
    c = login(users["vanphong.ls"])
    # the seed's 1.700 vehicles a day is a calendar-2025 figure (a key alone means the Decree 09 year)
    page = c.get("/tong-quan/cua-khau/?ky=2025&quy_tac=calendar", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "1.700" in page and "2.046" in page and "20/11/2025" in page
    assert 'data-chart="stacked"' in page and 'id="chart-gate-days"' in page
    # Nothing loaded from another host (a CSRF token may contain the letters "cdn": look at addresses only).
    assert not re.search(r'(src|href)="(https?:)?//', page), re.findall(r'(?:src|href)="(?:https?:)?//[^"]*', page)
    assert "Lóng Sập" not in page  # Sơn La is outside Lạng Sơn's scope
    page = c.get("/tong-quan/cua-khau/?ky=2026M01", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "1.199" in page or "01/01/2026" in page
    # A key means Decree 09 windows on every page (as in reporting); the calendar month is a visible choice.
    page = c.get("/tong-quan/cua-khau/?ky=2025M12&quy_tac=calendar", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "1.575 xe hàng" in page and "01/12/2025 – 31/12/2025" in page
    page = c.get("/tong-quan/cua-khau/?ky=2025M12", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "15/11/2025 – 14/12/2025" in page
    assert c.get("/tong-quan/cua-khau/?ky=banana&cua_khau=x").status_code == 200


def test_gate_detail_and_scope(login, users):
    c = login(users["vanphong.ls"])
    hn = BorderGate.objects.get(code="huu-nghi")
    page = c.get(f"/cua-khau/danh-sach/{hn.pk}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Hữu Nghị Quan" in page and "<svg" in page and "minh họa" in page
    tt = BorderGate.objects.get(code="tan-thanh")
    page = c.get(f"/cua-khau/danh-sach/{tt.pk}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Tạm dừng" in page and "25/01/2025" in page
    assert c.get(f"/cua-khau/danh-sach/{BorderGate.objects.get(code='long-sap').pk}/").status_code == 404


def test_gate_list_filters_and_search(login, users, unit):
    c = login(users["admin"])
    page = c.get("/cua-khau/danh-sach/?kind=international").content.decode()
    assert "Hữu Nghị" in page and "Lóng Sập" in page and "Chi Ma" not in page
    page = c.get(f"/cua-khau/danh-sach/?province={unit('Tỉnh Sơn La').pk}").content.decode()
    assert "Lóng Sập" in page and "Hữu Nghị" not in page
    page = c.get("/cua-khau/danh-sach/?q=Youyiguan").content.decode()
    assert "Hữu Nghị" in page and "Chi Ma" not in page
    page = c.get("/cua-khau/danh-sach/?status=suspended").content.decode()
    assert "Tân Thanh" not in page  # suspended until 24/01/2025 only


@pytest.mark.parametrize(
    "url",
    [
        "/cua-khau/danh-sach/",
        "/cua-khau/so-lieu/",
        "/cua-khau/trang-thai/",
        "/cua-khau/so-lieu/?period=2025",
        "/cua-khau/nhat-ky-qua-lai/",
    ],
)
def test_list_pages_have_bounded_queries(login, users, url):
    c = login(users["vanphong.ls"])
    sep = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as small:
        assert c.get(url + sep + "page_size=5").status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert c.get(url + sep + "page_size=500").status_code == 200
    assert len(large) == len(small) and len(large) <= 25


def test_statistics_page_has_bounded_queries(login, users):
    c = login(users["admin"])
    with CaptureQueriesContext(connection) as month:
        c.get("/tong-quan/cua-khau/?ky=2025M01")
    with CaptureQueriesContext(connection) as year:
        c.get("/tong-quan/cua-khau/?ky=2024")
    assert len(month) == len(year) <= 20


def test_daily_stat_form_rejects_negative_and_duplicate(login, users):
    c = login(users["vanphong.ls"])
    hn = BorderGate.objects.get(code="huu-nghi")
    data = {
        "gate": hn.pk,
        "date": "2026-01-01",
        "persons_exit": "5",
        "persons_entry": "0",
        "vehicles_exit": "0",
        "vehicles_entry": "0",
        "cargo_vehicles_export": "0",
        "cargo_vehicles_import": "0",
        "rail_cars": "0",
        "tonnes": "0",
        "vehicles_waiting": "0",
        "export_usd": "0",
        "import_usd": "0",
    }
    r = c.post("/cua-khau/so-lieu/them/", data)
    assert r.status_code == 400 and "đã tồn tại" in r.content.decode().lower() or "already exists" in r.content.decode()
    r = c.post("/cua-khau/so-lieu/them/", data | {"date": "2023-06-06", "persons_exit": "-3"})
    assert r.status_code == 400
    assert not GateDailyStat.objects.filter(gate=hn, date=dt.date(2023, 6, 6)).exists()
    r = c.post("/cua-khau/so-lieu/them/", data | {"date": "2023-06-06", "export_usd": "1.234,5"})
    assert r.status_code == 302
    stat = GateDailyStat.objects.get(gate=hn, date=dt.date(2023, 6, 6))
    assert str(stat.export_usd) == "1234.50" and stat.channel == "form"


def test_status_form_end_before_start(login, users):
    c = login(users["vanphong.ls"])
    gate = BorderGate.objects.get(code="chi-ma")
    r = c.post(
        "/cua-khau/trang-thai/them/",
        {"gate": gate.pk, "status": "open", "valid_from": "2025-05-01", "valid_to": "2025-04-01"},
    )
    assert r.status_code == 400 and gate.status_periods.count() == 0


def _export(c, query):
    r = c.get("/cua-khau/so-lieu/xuat/?" + query)
    assert r.status_code == 200
    return r.content


def _upload(c, content, name):
    f = io.BytesIO(content)
    f.name = name
    return c.post("/cua-khau/so-lieu/nhap/", {"file": f})


def test_csv_export_import_round_trip_changes_nothing(login, users):
    c = login(users["vanphong.ls"])
    hn = BorderGate.objects.get(code="huu-nghi")
    before = list(GateDailyStat.objects.filter(gate=hn, date__year=2025, date__month=3).order_by("date").values())
    body = _export(c, f"gate={hn.pk}&from=2025-03-01&to=2025-03-31")
    r = _upload(c, body, "so-lieu.csv")
    assert r.status_code == 200
    result = r.context["result"]
    assert result.ok and result.unchanged == 31 and result.updated == 0 and result.created == 0
    after = list(GateDailyStat.objects.filter(gate=hn, date__year=2025, date__month=3).order_by("date").values())
    assert after == before
    # XLSX round trip too
    r = _upload(c, _export(c, f"gate={hn.pk}&from=01/03/2025&to=31/03/2025&dinh_dang=xlsx"), "so-lieu.xlsx")
    assert r.context["result"].unchanged == 31


def test_import_updates_by_id_and_creates(login, users):
    c = login(users["vanphong.ls"])
    hn = BorderGate.objects.get(code="huu-nghi")
    rows = list(tabular.export_rows(GateDailyStat.objects.filter(gate=hn, date=dt.date(2025, 3, 1)), GateDailyStatForm))
    header, row = tabular.technical_header(rows[0], GateDailyStatForm), list(rows[1])
    row[header.index("persons_exit")] = "4321"
    new = [""] * len(header)
    for k, v in {"gate": str(hn.pk), "date": "2023-07-07", "persons_exit": "9", "tonnes": "1,5"}.items():
        new[header.index(k)] = v
    r = _upload(c, tabular.write_csv([header, row, new]), "x.csv")
    assert r.context["result"].updated == 1 and r.context["result"].created == 1
    stat = GateDailyStat.objects.get(gate=hn, date=dt.date(2025, 3, 1))
    assert stat.persons_exit == 4321 and stat.channel == "import"
    assert str(GateDailyStat.objects.get(gate=hn, date=dt.date(2023, 7, 7)).tonnes) == "1.500"


def test_import_bad_rows_save_nothing_and_report_each_row(login, users):
    c = login(users["vanphong.ls"])
    hn = BorderGate.objects.get(code="huu-nghi")
    stat = GateDailyStat.objects.get(gate=hn, date=dt.date(2025, 3, 2))
    header = ["id", "gate", "date", "persons_exit"]
    rows = [
        header,
        [str(stat.pk), str(hn.pk), "2025-03-02", "-5"],  # negative count
        [str(stat.pk), str(hn.pk), "2025-03-02", "7"],  # duplicate id
        ["", str(hn.pk), "2023-08-08", "1"],
        ["", str(hn.pk), "2023-08-08", "2"],  # duplicate gate+date
        ["", str(BorderGate.objects.get(code="long-sap").pk), "2023-08-09", "1"],
    ]  # gate out of scope
    count = GateDailyStat.objects.count()
    r = _upload(c, tabular.write_csv(rows), "bad.csv")
    assert r.status_code == 400
    errors = {(e.row, e.field) for e in r.context["result"].errors}
    assert (2, "persons_exit") in errors and (3, "id") in errors and 5 in {row for row, _f in errors}
    assert 6 in {row for row, _f in errors}
    assert GateDailyStat.objects.count() == count
    assert GateDailyStat.objects.get(pk=stat.pk).persons_exit == stat.persons_exit


def test_crossing_log_upload_page(login, users):
    c = login(users["baocao.huunghi"])
    text = "time,gate,direction,kind,nationality,cargo_usd,tonnes\n2024-02-02 10:00,huu-nghi,exit,person,VN,,\n"
    f = io.BytesIO(text.encode())
    f.name = "hn.csv"
    r = c.post("/cua-khau/nhat-ky-qua-lai/", {"file": f})
    assert r.status_code == 302 and r.url.startswith("/cong-viec/")  # imported as a background job
    assert GateDailyStat.objects.get(gate__code="huu-nghi", date=dt.date(2024, 2, 2)).persons_exit == 1
    page = c.get(r.url).content.decode()
    assert "Hoàn thành" in page and "Đã nhập 1 dòng" in page and "?ket_qua=" in page
    result = c.get(re.search(r'href="(/cua-khau/nhat-ky-qua-lai/\?ket_qua=\d+)"', page).group(1))
    assert result.status_code == 200
    bad = io.BytesIO(
        (text + "2024-02-03 10:00,chi-ma,exit,person,VN,,\n2024-02-03 10:00,huu-nghi,exit,person,VN,-1,").encode()
    )
    bad.name = "bad.csv"
    r = c.post("/cua-khau/nhat-ky-qua-lai/", {"file": bad})
    page = c.get(r.url).content.decode()
    assert "Không thành công" in page and "chi-ma" in page and "cắt cụt" in page
    assert CrossingLogImport.objects.filter(file_name="bad.csv", status="rejected").exists()


def test_crossing_log_page_refuses_huge_upload_before_reading(login, users, settings):
    settings.BORDERDESK_MAX_CROSSING_LOG_BYTES = 1024 * 1024
    c = login(users["vanphong.ls"])
    r = c.post(
        "/cua-khau/nhat-ky-qua-lai/",
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=zz",
        CONTENT_LENGTH=str(2 * 1024**3),
    )
    assert r.status_code == 400 and "quá lớn" in r.content.decode()
