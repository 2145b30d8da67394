"""Plan targets: page, spreadsheet and API; % of plan for sub-periods (pro rata for flows, as of date for stocks)."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from borderdesk.core.models import ChangeLogEntry
from borderdesk.core.periods import parse_period
from borderdesk.org.models import AdministrativeUnit
from borderdesk.reporting import consolidation, targets
from borderdesk.reporting.models import Indicator, ReportForm, Target
from borderdesk.reporting.plans import candidate_periods
from tests.spreadsheets import xlsx_upload

pytestmark = pytest.mark.django_db
NEW = dt.date(2025, 12, 1)


def _unit(name):
    return AdministrativeUnit.objects.valid_on(NEW).get(name=name)


def _set(user, code, unit, key, value):
    return targets.target_set(
        user=user, indicator=Indicator.objects.get(code=code), unit=unit, period_key=key, value=Decimal(value)
    )


def test_candidate_periods_smallest_first():
    assert [p.key for p in candidate_periods(parse_period("2026M03"))] == ["2026M03", "2026H1", "2026"]
    assert [p.key for p in candidate_periods(parse_period("2026Q4"))] == ["2026Q4", "2026H2", "2026"]
    assert [p.key for p in candidate_periods(parse_period("2026N9"))] == ["2026N9", "2026"]
    assert [p.key for p in candidate_periods(parse_period("C20260630"))] == ["C20260630", "2026H1", "2026"]


def test_sub_period_plan_pro_rata_for_flows_and_as_of_for_stocks(users):
    office, dd = users["vanphong.ls"], _unit("Xã Đồng Đăng")
    _set(office, "PATROLS_UNILATERAL", dd, "2025", 1200)
    _set(office, "SELF_MGMT_HOUSEHOLDS", dd, "2025", 500)
    form = ReportForm.objects.get(code="bc-xa-thang")
    q4 = parse_period("2025Q4")
    cons = consolidation.consolidation_get(user=office, unit=dd, period=q4, form=form)
    flow, stock = cons.row("PATROLS_UNILATERAL"), cons.row("SELF_MGMT_HOUSEHOLDS")
    assert q4.days == 91 and parse_period("2025").days == 365
    assert flow.plan_method == "pro_rata" and flow.plan_basis.key == "2025" and flow.plan_full == 1200
    assert flow.plan_value == (Decimal(1200) * 91 / 365).quantize(Decimal("0.0001")).normalize()
    assert flow.value is not None and flow.plan_pct == flow.value * 100 / flow.plan_value
    assert stock.plan_method == "as_of" and stock.plan_value == 500
    assert stock.plan_pct == stock.value * 100 / 500
    # The year itself: exact.
    year = consolidation.consolidation_get(user=office, unit=dd, period="2025", form=form).row("PATROLS_UNILATERAL")
    assert (year.plan_method, year.plan_value) == ("exact", 1200)
    # A half-year target wins over the year's for the months inside it.
    _set(office, "PATROLS_UNILATERAL", dd, "2025H2", 700)
    flow = consolidation.consolidation_get(user=office, unit=dd, period=q4, form=form).row("PATROLS_UNILATERAL")
    h2 = parse_period("2025H2")
    assert (
        flow.plan_basis.key == "2025H2"
        and flow.plan_value == (Decimal(700) * 91 / h2.days).quantize(Decimal("0.0001")).normalize()
    )


def test_province_without_own_target_adds_up_its_communes(users):
    office = users["vanphong.ls"]
    _set(office, "PROPAGANDA_SESSIONS", _unit("Xã Đồng Đăng"), "2025", 120)
    _set(office, "PROPAGANDA_SESSIONS", _unit("Xã Quốc Khánh"), "2025", 60)
    cons = consolidation.consolidation_get(
        user=office, unit=_unit("Tỉnh Lạng Sơn"), period="2025Q4", indicator_codes=["PROPAGANDA_SESSIONS"]
    )
    row = cons.row("PROPAGANDA_SESSIONS")
    assert row.plan_method == "pro_rata" and row.plan_full == 180
    assert row.plan_value == (Decimal(180) * 91 / 365).quantize(Decimal("0.0001")).normalize()


def test_consolidation_page_and_api_show_percent_of_plan(login, users):
    office, dd = users["vanphong.ls"], _unit("Xã Đồng Đăng")
    _set(office, "PATROLS_UNILATERAL", dd, "2025", 1200)
    c = login(office)
    page = c.get(f"/bao-cao/tong-hop/?don_vi={dd.pk}&ky=2025Q4&bieu=bc-xa-thang").content.decode()
    assert "theo tỷ lệ 91/365 ngày của kế hoạch năm 2025 (1.200)" in page
    api = c.get(f"/api/reporting/consolidation?unit={dd.pk}&period=2025Q4&form=bc-xa-thang").json()
    row = next(r for r in api["rows"] if r["indicator"] == "PATROLS_UNILATERAL")
    assert row["plan_method"] == "pro_rata" and row["plan_basis"] == "2025" and Decimal(row["plan_full"]) == 1200
    assert row["plan_pct"] is not None
    c.cookies["django_language"] = "en"
    page = c.get(f"/bao-cao/tong-hop/?don_vi={dd.pk}&ky=2025Q4&bieu=bc-xa-thang").content.decode()
    assert "pro rata 91/365 days of the plan for year 2025 (1,200)" in page


def test_targets_page_sets_and_refuses_bad_input(login, users):
    c = login(users["vanphong.ls"])
    ls = _unit("Tỉnh Lạng Sơn")
    ind = Indicator.objects.get(code="PATROLS_BILATERAL")
    url = f"/bao-cao/ke-hoach/?don_vi={ls.pk}&nam=2026"
    r = c.post(
        url,
        {
            "unit": ls.pk,
            "indicator": ind.pk,
            "period": "2026",
            "value": "1.700",
            "note": "NQ HĐND",
            "don_vi": ls.pk,
            "nam": 2026,
        },
    )
    assert r.status_code == 302
    t = Target.objects.get(indicator=ind, unit=ls, period_key="2026")
    assert t.value == 1700
    assert ChangeLogEntry.objects.filter(content_type__model="target", object_id=str(t.pk), action="create").exists()
    r = c.post(url, {"unit": ls.pk, "indicator": ind.pk, "period": "2026H1", "value": "một nghìn", "nam": 2026})
    assert r.status_code == 400 and "không phải là số hợp lệ" in r.content.decode()
    assert not Target.objects.filter(indicator=ind, unit=ls, period_key="2026H1").exists()
    page = c.get(url).content.decode()
    assert "1.700" in page and "năm 2026" in page
    # A viewer sees, cannot set; another province's office: the unit is not found.
    assert c.post(f"/bao-cao/ke-hoach/{t.pk}/xoa/").status_code == 302
    assert not Target.objects.filter(pk=t.pk).exists()
    c = login(users["vanphong.sl"])
    assert c.get(url).status_code == 404


def _xlsx(rows):
    return xlsx_upload(rows, "ke-hoach.xlsx")


def test_spreadsheet_round_trip_and_all_or_nothing(login, users):
    c = login(users["vanphong.ls"])
    dd = _unit("Xã Đồng Đăng")
    _set(users["vanphong.ls"], "PATROLS_UNILATERAL", dd, "2026H1", Decimal("612.5"))
    r = c.get(f"/bao-cao/ke-hoach/mau/?don_vi={dd.pk}&nam=2026")
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert rows[0][:3] == ["Mã đơn vị hành chính", "Đơn vị", "Mã chỉ tiêu"]
    existing = next(r for r in rows if r[2] == "PATROLS_UNILATERAL" and r[5] == "6 tháng đầu năm 2026")
    assert existing[6] == 612.5  # a numeric cell
    before = ChangeLogEntry.objects.count()
    r = c.post("/api/reporting/targets/import", {"file": _xlsx(rows)})
    assert r.status_code == 200 and r.json()["saved"] == 1
    assert ChangeLogEntry.objects.count() == before  # export → import changes nothing
    # Fill two plans, one bad: nothing saved, the error names the row and quotes the value.
    blank = [i for i, r in enumerate(rows) if i and r[6] is None]
    rows[blank[0]][6] = 900
    rows[blank[1]][6] = "chín trăm"
    rows[blank[2]][5] = "quý 5 năm 2026"
    rows[blank[2]][6] = 10
    r = c.post("/api/reporting/targets/import", {"file": _xlsx(rows)})
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert [e["row"] for e in errors] == [blank[1] + 1, blank[2] + 1]
    assert "“chín trăm”" in errors[0]["message"] and "“quý 5 năm 2026”" in errors[1]["message"]
    assert not Target.objects.filter(unit=dd, period_key="2026").exists()
    rows[blank[1]][6] = "1.700"
    rows[blank[2]][5] = "năm 2026"
    r = c.post("/bao-cao/ke-hoach/nhap/", {"file": _xlsx(rows), "don_vi": dd.pk, "nam": 2026})
    assert r.status_code == 302
    assert Target.objects.filter(unit=dd, period_key="2026").count() == 3
    assert Target.objects.get(unit=dd, period_key="2026", indicator__code=rows[blank[1]][2]).value == 1700


def test_targets_api(login, users):
    c = login(users["vanphong.ls"])
    ls = _unit("Tỉnh Lạng Sơn")
    r = c.post(
        "/api/reporting/targets",
        json.dumps({"unit": ls.pk, "indicator": "PATROLS_BILATERAL", "period": "2026", "value": "2.400"}),
        content_type="application/json",
    )
    assert r.status_code == 200 and Decimal(r.json()["value"]) == 2400
    listed = c.get(f"/api/reporting/targets?unit={ls.pk}&year=2026").json()
    assert [t["indicator"] for t in listed] == ["PATROLS_BILATERAL"]
    bad = c.post(
        "/api/reporting/targets",
        json.dumps({"unit": ls.pk, "indicator": "NOPE", "period": "2026", "value": 1}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    sl = AdministrativeUnit.objects.get(name="Tỉnh Sơn La")
    out = c.post(
        "/api/reporting/targets",
        json.dumps({"unit": sl.pk, "indicator": "PATROLS_BILATERAL", "period": "2026", "value": 1}),
        content_type="application/json",
    )
    assert out.status_code == 404
    c = login(users["baocao.dongdang"])
    dd = _unit("Xã Đồng Đăng")
    r = c.post(
        "/api/reporting/targets",
        json.dumps({"unit": dd.pk, "indicator": "PATROLS_BILATERAL", "period": "2026", "value": 1}),
        content_type="application/json",
    )
    assert r.status_code == 404 and not Target.objects.filter(unit=dd).exists()
    t = Target.objects.get(unit=ls, period_key="2026")
    assert c.delete(f"/api/reporting/targets/{t.pk}").status_code == 404
