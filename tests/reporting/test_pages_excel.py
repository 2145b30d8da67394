"""Pages and the Excel round trip (bad uploads save nothing and say which cell is wrong)."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from borderdesk.core.errors import ApplicationError
from borderdesk.reporting import excel
from borderdesk.reporting.models import DataValue, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01")


def _book(sub):
    return load_workbook(io.BytesIO(excel.submission_xlsx(sub)))


def _bytes(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row_of(ws, code):
    return next(r for r in range(excel.FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value == code)


def test_pages_render(login, users, draft):
    c = login(users["baocao.dongdang"])
    r = c.get(f"/bao-cao/nhap/{draft.pk}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Cùng kỳ" in body and 'name="v_PATROLS_BILATERAL"' in body
    c = login(users["duyet.ls"])
    assert "Xã Quốc Khánh" in c.get("/bao-cao/cho-duyet/").content.decode()
    page = c.get("/bao-cao/tong-hop/?ky=2025").content.decode()
    assert "trên 86 tỷ USD" in page and "tăng 44% so với cùng kỳ" in page
    assert c.get("/bao-cao/day-du/?nam=2025&bieu=bc-xa-thang").status_code == 200
    assert c.get("/bao-cao/tong-hop/?ky=2025&xuat=xlsx")["Content-Type"].startswith("application/vnd.openxml")


def test_entry_page_post_shows_cell_errors_and_saves_nothing(login, users, draft):
    c = login(users["baocao.dongdang"])
    r = c.post(
        f"/bao-cao/nhap/{draft.pk}/",
        {"version": draft.version, "v_PATROLS_BILATERAL": "abc", "v_PATROLS_UNILATERAL": "5", "action": "save"},
    )
    assert r.status_code == 200 and "không phải là số" in r.content.decode()
    assert not DataValue.objects.filter(submission=draft, indicator__code="PATROLS_UNILATERAL").exists()
    r = c.post(f"/bao-cao/nhap/{draft.pk}/", {"version": draft.version, "v_PATROLS_UNILATERAL": "5", "action": "save"})
    assert r.status_code == 302
    assert DataValue.objects.get(submission=draft, indicator__code="PATROLS_UNILATERAL").value == 5


def test_other_unit_cannot_open_entry(login, users, draft):
    assert login(users["baocao.quockhanh"]).get(f"/bao-cao/nhap/{draft.pk}/").status_code == 404


def test_home_query_count_bounded(login, users):
    c = login(users["admin"])
    counts = []
    for size in (5, 500):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(f"/bao-cao/?page_size={size}").status_code == 200
        counts.append(len(ctx))
    assert counts[1] <= counts[0] + 2


def test_excel_round_trip(users, draft):
    wb = _book(draft)
    ws = wb[excel.DATA_SHEET]
    assert ws.protection.sheet and wb[excel.META_SHEET].sheet_state == "veryHidden"
    ws.cell(_row_of(ws, "PATROLS_UNILATERAL"), excel.COL_VALUE).value = 12
    ws.cell(_row_of(ws, "PROPAGANDA_LISTENERS"), excel.COL_VALUE).value = "1.250"
    ws.cell(_row_of(ws, "PROPAGANDA_LISTENERS"), excel.COL_QUAL).value = "trên"
    excel.submission_import_xlsx(user=users["baocao.dongdang"], submission=draft, data=_bytes(wb))
    dv = DataValue.objects.get(submission=draft, indicator__code="PROPAGANDA_LISTENERS")
    assert dv.value == 1250 and dv.qualifier == "over"


def _expect_refused(users, draft, data, fragment):
    before = list(DataValue.objects.filter(submission=draft).values_list("indicator__code", "value"))
    with pytest.raises(ApplicationError) as exc:
        excel.submission_import_xlsx(user=users["baocao.dongdang"], submission=draft, data=data)
    text = exc.value.message + " " + " ".join(f"{k} {v}" for k, v in exc.value.field_errors.items())
    assert fragment in text
    assert list(DataValue.objects.filter(submission=draft).values_list("indicator__code", "value")) == before


def test_excel_bad_cells(users, draft):
    wb = _book(draft)
    ws = wb[excel.DATA_SHEET]
    ws.cell(_row_of(ws, "PATROLS_UNILATERAL"), excel.COL_VALUE).value = 3  # valid, must not be saved
    r = _row_of(ws, "PATROLS_BILATERAL")
    ws.cell(r, excel.COL_VALUE).value = "nhiều"
    _expect_refused(users, draft, _bytes(wb), f"D{r}")
    ws.cell(r, excel.COL_VALUE).value = -4
    _expect_refused(users, draft, _bytes(wb), "không được âm")
    ws.cell(r, excel.COL_VALUE).value = "=1+2"
    _expect_refused(users, draft, _bytes(wb), "công thức")


def test_excel_bad_structure(users, draft):
    wb = _book(draft)
    wb[excel.DATA_SHEET].delete_rows(excel.FIRST_ROW + 1)
    _expect_refused(users, draft, _bytes(wb), "Cấu trúc mẫu")
    wb = _book(draft)
    wb[excel.DATA_SHEET].merge_cells("B7:C7")
    _expect_refused(users, draft, _bytes(wb), "gộp")
    wb = _book(draft)
    wb[excel.DATA_SHEET].title = "Sheet1"
    _expect_refused(users, draft, _bytes(wb), "đổi tên")
    _expect_refused(users, draft, b"not an excel file at all", ".xlsx")
    _expect_refused(users, draft, b"PK" + b"0" * (50 * 1024 * 1024), "quá lớn")


def test_excel_wrong_template_unit_period(users, draft):
    other = Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2025M12")
    _expect_refused(users, draft, excel.submission_xlsx(other), "báo cáo khác")
    wb = _book(draft)
    meta = wb[excel.META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == "period":
            row[1].value = "2025M11"
    _expect_refused(users, draft, _bytes(wb), "kỳ báo cáo khác")
    wb = _book(draft)
    for row in wb[excel.META_SHEET].iter_rows():
        if row[0].value == "form_version":
            row[1].value = 999
    _expect_refused(users, draft, _bytes(wb), "phiên bản")


def test_completeness_overview_page_and_api(client, users, unit):
    """Units × forms × periods: a year's overview per form, and the per-period matrix, in pages and API."""
    ls = unit("Tỉnh Lạng Sơn")
    client.force_login(users["lanhdao.ls"])
    page = client.get(f"/bao-cao/day-du/?don_vi={ls.pk}&bieu=all&nam=2025").content.decode()
    assert "Tất cả biểu mẫu" in page and "Báo cáo tháng của xã biên giới và đồn biên phòng" in page
    assert "6/6" in page  # Xã Đồng Đăng: months 7–12 of 2025, all sent
    body = client.get(f"/api/reporting/completeness/overview?unit={ls.pk}&year=2025").json()
    codes = [f["form"] for f in body["forms"]]
    assert "bc-xa-thang" in codes
    dd = next(r for r in body["reporters"] if r["reporter"].startswith("Xã Đồng Đăng"))
    monthly = dd["forms"][codes.index("bc-xa-thang")]
    assert monthly["expected"] == 6 and monthly["received"] == 6
    one = client.get(f"/api/reporting/completeness?unit={ls.pk}&form=bc-xa-thang&year=2025").json()
    assert [c["period"] for c in one["reporters"][0]["cells"]][:2] == ["2025M01", "2025M02"]
    assert one["rates"][0]["expected"] >= 1
    assert client.get(f"/api/reporting/completeness?unit={ls.pk}&form=khong-co&year=2025").status_code == 400
    assert client.get(f"/api/reporting/completeness?unit={ls.pk}&form=bc-xa-thang&year=99999").status_code == 400
    # Another province's reporter cannot look into Lạng Sơn.
    client.force_login(users["vanphong.sl"])
    assert client.get(f"/api/reporting/completeness/overview?unit={ls.pk}&year=2025").status_code == 404


def test_excel_template_offers_every_qualifier_of_the_web(users, draft):
    """The web entry offers every word of vn.QUALIFIERS; the template's list must too, and each imports back."""
    from borderdesk.core import vn

    wb = _book(draft)
    ws = wb[excel.DATA_SHEET]
    lists = [d.formula1 for d in ws.data_validations.dataValidation if d.type == "list"]
    offered = lists[0].strip('"').split(",")
    assert offered == list(vn.QUALIFIERS.values())
    for code, word in vn.QUALIFIERS.items():
        ws.cell(_row_of(ws, "PROPAGANDA_LISTENERS"), excel.COL_VALUE).value = 1250
        ws.cell(_row_of(ws, "PROPAGANDA_LISTENERS"), excel.COL_QUAL).value = word
        excel.submission_import_xlsx(user=users["baocao.dongdang"], submission=draft, data=_bytes(wb))
        draft.refresh_from_db()
        assert DataValue.objects.get(submission=draft, indicator__code="PROPAGANDA_LISTENERS").qualifier == code
        wb = _book(draft)
        ws = wb[excel.DATA_SHEET]
