"""An office starting for real, in headless Chromium: from an empty database (reference data and one
administrator), the administrator creates the Lạng Sơn standing office's account; the office changes its
temporary password, bulk-creates a commune reporter and a station reporter from the spreadsheet template
and sets the year's plan; the commune reporter logs in, must change the password, finds the report in the
work list and sends it; the office approves it and the consolidation shows the % of plan.

Screenshots at 1366 and 390 px go to var/screenshots/ for a person to look at.
"""

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS
ADMIN_PASSWORD = "Quan-tri-2026!"
OFFICE_PASSWORD = "Bien-cuong-Xanh-47"
REPORTER_PASSWORD = "Moc-gioi-Vung-82"


@pytest.fixture
def empty_office_db(live_server, django_db_blocker):
    """Only the reference data (gazetteer, catalogue, forms) and one administrator."""
    from django.core.management import call_command
    from django.db import connection

    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        serialized = getattr(connection, "_test_serialized_contents", None)
        if serialized:
            connection.creation.deserialize_db_from_string(serialized)  # rows of data migrations
        from borderdesk.accounts.models import User
        from borderdesk.demo.reference import load_reference

        load_reference()
        User.objects.create_superuser("admin", "", ADMIN_PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)
    return live_server


def _login(page, base, username, password):
    page.goto(base + "/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "dang-nhap" not in url)


def _logout(page):
    page.click("header form[action$='/dang-xuat/'] button")
    page.wait_for_load_state()


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1


def _shots(page, name):
    """The page at desktop and phone width."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    _no_horizontal_scroll(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(100)
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    _no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1366, "height": 900})


def _change_password(page, old, new):
    assert "/tai-khoan/doi-mat-khau/" in page.url  # forced: no other page before this
    page.fill("#id_old_password", old)
    page.fill("#id_new_password", new)
    page.fill("#id_new_password2", new)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "doi-mat-khau" not in url)


def test_an_office_starts_from_an_empty_database(empty_office_db, browser_page):
    from borderdesk.accounts.models import User
    from borderdesk.core.periods import period_containing
    from borderdesk.org.models import AdministrativeUnit, Agency
    from borderdesk.reporting.models import Indicator, Submission, Target

    base, page = empty_office_db.url, browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    ls = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    office_agency = Agency.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")
    assert list(User.objects.values_list("username", flat=True)) == ["admin"]

    # 1. The administrator creates the standing office's account.
    _login(page, base, "admin", ADMIN_PASSWORD)
    page.goto(base + "/tai-khoan/nguoi-dung/tao/")
    page.fill("#id_username", "vanphong.ls")
    page.fill("#id_display_name", "Văn phòng thường trực BCĐ biên giới tỉnh Lạng Sơn")
    page.select_option("#id_role", "standing_office")
    page.select_option("#id_unit", str(ls.pk))
    page.select_option("#id_agency", str(office_agency.pk))
    _shots(page, "accounts-create")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/nguoi-dung/\d+/$"))
    temp = page.locator("[data-password-for='vanphong.ls']").inner_text().strip()
    page.screenshot(path=str(SHOTS / "accounts-created.png"), full_page=True)
    _logout(page)

    # 2. The office logs in with the temporary password: it must change it first.
    _login(page, base, "vanphong.ls", temp)
    page.goto(base + "/tai-khoan/nguoi-dung/")
    _shots(page, "accounts-password-change-forced")
    _change_password(page, temp, OFFICE_PASSWORD)

    # 3. Bulk creation from the template: the commune's and the station's rows.
    page.goto(base + "/tai-khoan/nguoi-dung/tao-hang-loat/")
    _shots(page, "accounts-bulk")
    with page.expect_download() as download:
        page.click("#tai-mau")
    wb = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    ws = wb.worksheets[0]
    keep = {"Xã Đồng Đăng", "Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị"}
    for i in range(ws.max_row, 1, -1):
        if not ({ws.cell(i, 6).value, ws.cell(i, 7).value} & keep):
            ws.delete_rows(i)
    assert ws.max_row == 3
    commune_user = next(ws.cell(i, 1).value for i in (2, 3) if ws.cell(i, 6).value == "Xã Đồng Đăng")
    buf = io.BytesIO()
    wb.save(buf)
    page.set_input_files("#id_file", files=[{"name": "tai-khoan.xlsx", "buffer": buf.getvalue(),
                                             "mimeType": "application/vnd.ms-excel"}])
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_url(re.compile(r".*/nguoi-dung/$"))
    reporter_temp = page.locator(f"[data-password-for='{commune_user}']").inner_text().strip()
    assert page.locator("[data-password-for]").count() == 2
    page.screenshot(path=str(SHOTS / "accounts-bulk-created.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "accounts-list-phone.png"), full_page=True)
    _no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1366, "height": 900})

    # 4. The year's plan for the commune (the year of the last closed month).
    month = period_containing(dt.date.today(), "month").previous()
    dd = AdministrativeUnit.objects.valid_on(month.end).get(name="Xã Đồng Đăng")
    page.goto(f"{base}/bao-cao/ke-hoach/?don_vi={ls.pk}&nam={month.year}")
    page.select_option("#id_unit", str(dd.pk))
    page.select_option("#id_indicator", str(Indicator.objects.get(code="PATROLS_BILATERAL").pk))
    page.select_option("#id_period", str(month.year))
    page.fill("#id_value", "365")
    page.fill("#id_note", "Nghị quyết HĐND tỉnh")
    page.click("#dat-ke-hoach button[type=submit]")
    page.wait_for_load_state()
    assert Target.objects.get(unit=dd, period_key=str(month.year)).value == 365
    _shots(page, "targets")
    _logout(page)

    # 5. The commune reporter: forced password change, then the work list leads to the report.
    _login(page, base, commune_user, reporter_temp)
    _change_password(page, reporter_temp, REPORTER_PASSWORD)
    page.goto(base + "/")
    _shots(page, "home-worklist-reporter")
    item = page.locator("#viec-can-lam li", has_text=month.label_vi).first  # late (or still due)
    item.locator("button").click()
    page.wait_for_url(re.compile(r".*/bao-cao/nhap/\d+/$"))
    page.fill("#v_PATROLS_BILATERAL", "40")
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state()
    sub = Submission.objects.get(unit=dd, period_key=month.key)
    assert sub.status == "submitted"
    _logout(page)

    # 6. The office approves it (from its work list) and reads the consolidation with the % of plan.
    _login(page, base, "vanphong.ls", OFFICE_PASSWORD)
    _shots(page, "home-worklist-office")
    page.locator("section[data-kind=approve] li", has_text="Xã Đồng Đăng").locator("a").click()
    page.wait_for_url(re.compile(r".*/bao-cao/nhap/\d+/$"))
    page.click("#xu-ly button:has-text('Duyệt')")
    page.wait_for_load_state()
    sub.refresh_from_db()
    assert sub.status == "approved"
    page.goto(f"{base}/bao-cao/tong-hop/?don_vi={dd.pk}&ky={month.key}&bieu=bc-xa-thang")
    name = Indicator.objects.get(code="PATROLS_BILATERAL").name_vi
    text = page.locator("tbody tr", has_text=name).first.inner_text()
    assert "theo tỷ lệ" in text and f"{month.days}/" in text and "%" in text, text
    api = page.request.get(f"{base}/api/reporting/consolidation?unit={dd.pk}&period={month.key}&form=bc-xa-thang")
    row = next(r for r in api.json()["rows"] if r["indicator"] == "PATROLS_BILATERAL")
    assert row["plan_method"] == "pro_rata" and float(row["plan_pct"]) > 100  # 40 against about 31
    _shots(page, "consolidation-plan")
    # English.
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert "pro rata" in page.content()
    page.screenshot(path=str(SHOTS / "consolidation-plan-en.png"), full_page=True)
    page.goto(base + "/tai-khoan/nguoi-dung/")
    page.screenshot(path=str(SHOTS / "accounts-list-en.png"), full_page=True)
    page.goto(base + "/")
    page.screenshot(path=str(SHOTS / "home-worklist-office-en.png"), full_page=True)
