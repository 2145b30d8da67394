"""Issue 11's done-when journey, one test in headless Chromium: from an empty database (reference data and one
administrator), the administrator creates the Lạng Sơn standing office's account; the office changes its
temporary password, bulk-creates a commune reporter and a station reporter from the spreadsheet template,
adds its province's own indicator, makes the province's own monthly form from the national one (version 1)
and publishes version 2 with the new indicator, and sets the year's plan for it; the commune reporter logs
in, must change the password, finds the report in the work list and sends it on version 2 (the new indicator
included); the office approves it, the consolidation shows the % of plan, and a validation rule is previewed
against the report. The same pages are then read in English.

Screenshots at 1366 and 390 px of every step go to var/screenshots/ for a person to look at.
"""

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests import demo_snapshot
from tests.browser_support import BROWSER_MARKS, SHOTS, sequences_past_rows

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
        # The rows of data migrations: the snapshot's (tests/browser_support.py), else those Django serialized.
        serialized = demo_snapshot.serialized_contents() if demo_snapshot.enabled() else None
        serialized = serialized or getattr(connection, "_test_serialized_contents", None)
        if serialized:
            connection.creation.deserialize_db_from_string(serialized)  # rows of data migrations
            sequences_past_rows()  # the flush restarted the sequences; the rows came back with their ids
        from django.db import transaction

        from borderdesk.accounts.models import User
        from borderdesk.demo.reference import load_reference

        with transaction.atomic():
            load_reference()
            User.objects.create_superuser("admin", "", ADMIN_PASSWORD)
            if connection.vendor == "sqlite":  # which row breaks a foreign key, rather than only that one does
                broken = connection.cursor().execute("PRAGMA foreign_key_check").fetchall()
                assert not broken, f"rows referring to missing rows (table, rowid, parent, key): {broken[:20]}"
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
    try:  # laid out at the new width (waited for, rather than a fixed pause); the check below says if not
        page.wait_for_function(
            "() => document.documentElement.scrollWidth <= window.innerWidth + 1", timeout=3000, polling=50
        )
    except PlaywrightTimeout:
        pass
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
    from borderdesk.reporting.models import Indicator, ReportForm, Submission, Target

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
    _shots(page, "accounts-created")
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
    page.set_input_files(
        "#id_file", files=[{"name": "tai-khoan.xlsx", "buffer": buf.getvalue(), "mimeType": "application/vnd.ms-excel"}]
    )
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_url(re.compile(r".*/nguoi-dung/$"))
    reporter_temp = page.locator(f"[data-password-for='{commune_user}']").inner_text().strip()
    assert page.locator("[data-password-for]").count() == 2
    _shots(page, "accounts-bulk-created")

    # 4. The office adds its province's own indicator (the national catalogue stays the administrator's).
    page.goto(base + "/bao-cao/chi-tieu/them/")
    page.fill("#id_code", "PATROLS_NIGHT")
    page.fill("#id_name_vi", "Số lượt tuần tra ban đêm")
    page.fill("#id_name_en", "Night patrols")
    page.fill("#id_unit", "lượt")
    page.select_option("#id_group", "patrols")
    page.select_option("#id_registry_figure", "PATROLS_TOTAL")
    _shots(page, "catalogue-indicator-form")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/bao-cao/chi-tieu/\?q=PATROLS_NIGHT"))
    assert "Số lượt tuần tra ban đêm" in page.locator("main").inner_text()
    assert Indicator.objects.get(code="PATROLS_NIGHT").province == ls
    page.goto(base + "/bao-cao/chi-tieu/?nhom=patrols")
    _shots(page, "catalogue-indicators")

    # 5. The national monthly form is the administrator's: the office makes Lạng Sơn's own (version 1) and
    #    publishes version 2 with its indicator.
    page.goto(base + "/bao-cao/bieu-mau/bc-xa-thang/")
    assert page.locator("a:has-text('Soạn phiên bản mới')").count() == 0
    _shots(page, "catalogue-form-national")
    page.click("#tao-bieu-tinh")
    page.wait_for_url(re.compile(r".*/bao-cao/bieu-mau/bc-xa-thang-lang-son/$"))
    page.click("a:has-text('Soạn phiên bản mới')")
    page.wait_for_url(re.compile(r".*/phien-ban-moi/$"))
    n = page.locator("fieldset").count()
    page.fill(f"#s{n - 2}_title", "Tuần tra ban đêm")
    page.fill(f"#s{n - 2}_codes", "PATROLS_NIGHT")
    _shots(page, "catalogue-form-builder")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/bao-cao/bieu-mau/bc-xa-thang-lang-son/$"))
    text = page.locator("main").inner_text()
    assert "Phiên bản hiện hành: 2" in text and "PATROLS_NIGHT" in text, text
    form = ReportForm.objects.get(code="bc-xa-thang-lang-son")
    assert form.province == ls and form.current_version().number == 2
    _shots(page, "catalogue-form-detail")

    # 6. The year's plan for the commune (the year of the last closed month), on the new indicator.
    month = period_containing(dt.date.today(), "month").previous()
    dd = AdministrativeUnit.objects.valid_on(month.end).get(name="Xã Đồng Đăng")
    night = Indicator.objects.get(code="PATROLS_NIGHT")
    page.goto(f"{base}/bao-cao/ke-hoach/?don_vi={ls.pk}&nam={month.year}")
    page.select_option("#id_unit", str(dd.pk))
    page.select_option("#id_indicator", str(night.pk))
    page.select_option("#id_period", str(month.year))
    page.fill("#id_value", "120")
    page.fill("#id_note", "Kế hoạch tuần tra ban đêm của tỉnh")
    page.click("#dat-ke-hoach button[type=submit]")
    page.wait_for_load_state()
    assert Target.objects.get(unit=dd, indicator=night, period_key=str(month.year)).value == 120
    _shots(page, "targets")
    _logout(page)

    # 7. The commune reporter: forced password change, then the work list leads to the report on version 2.
    _login(page, base, commune_user, reporter_temp)
    _change_password(page, reporter_temp, REPORTER_PASSWORD)
    page.goto(base + "/")
    _shots(page, "home-worklist-reporter")
    item = page.locator("#viec-can-lam li", has_text=month.label_vi).filter(has_text="Tỉnh Lạng Sơn").first
    item.locator("button").click()
    page.wait_for_url(re.compile(r".*/bao-cao/nhap/\d+/$"))
    page.fill("#v_PATROLS_BILATERAL", "40")
    page.fill("#v_PATROLS_NIGHT", "12")
    _shots(page, "report-entry-v2")
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state()
    sub = Submission.objects.get(unit=dd, period_key=month.key, form=form)
    assert sub.status == "submitted" and sub.form_version.number == 2
    assert sub.values.get(indicator=night).value == 12
    _logout(page)

    # 8. The office approves it (from its work list) and reads the consolidation with the % of plan.
    _login(page, base, "vanphong.ls", OFFICE_PASSWORD)
    _shots(page, "home-worklist-office")
    page.locator("section[data-kind=approve] li", has_text="Xã Đồng Đăng").locator("a").click()
    page.wait_for_url(re.compile(r".*/bao-cao/nhap/\d+/$"))
    page.click("#xu-ly button:has-text('Duyệt')")
    page.wait_for_load_state()
    sub.refresh_from_db()
    assert sub.status == "approved"
    page.goto(f"{base}/bao-cao/tong-hop/?don_vi={dd.pk}&ky={month.key}&bieu={form.code}")
    text = page.locator("tbody tr", has_text=night.name_vi).first.inner_text()
    assert "theo tỷ lệ" in text and f"{month.days}/" in text and "%" in text, text
    api = page.request.get(f"{base}/api/reporting/consolidation?unit={dd.pk}&period={month.key}&form={form.code}")
    row = next(r for r in api.json()["rows"] if r["indicator"] == "PATROLS_NIGHT")
    assert row["plan_method"] == "pro_rata" and float(row["plan_pct"]) > 100  # 12 against about 10
    _shots(page, "consolidation-plan")

    # 9. A rule of the province's form, previewed against the month's approved report (nothing saved).
    page.goto(f"{base}/bao-cao/bieu-mau/{form.code}/quy-tac/them/")
    page.fill("#id_name", "Tuần tra ban đêm không quá tuần tra song phương")
    page.fill("#id_left", "PATROLS_NIGHT")
    page.select_option("#id_operator", "<=")
    page.fill("#id_right", "PATROLS_BILATERAL")
    page.fill("#id_period", month.key)
    page.click("button[value=preview]")
    page.wait_for_load_state()
    assert "Đạt" in page.locator("main").inner_text()
    _shots(page, "catalogue-rule-preview")

    # 10. English: the same pages.
    page.click("#lang-switch")
    page.wait_for_load_state()
    page.goto(f"{base}/bao-cao/tong-hop/?don_vi={dd.pk}&ky={month.key}&bieu={form.code}")
    assert "pro rata" in page.content()
    _shots(page, "consolidation-plan-en")
    page.goto(f"{base}/bao-cao/bieu-mau/{form.code}/")
    assert "Current version: 2" in page.locator("main").inner_text()
    assert "Own form of Tỉnh Lạng Sơn" in page.locator("main").inner_text()
    _shots(page, "catalogue-form-detail-en")
    page.goto(base + "/bao-cao/chi-tieu/?nhom=patrols")
    assert "Night patrols" in page.locator("main").inner_text()
    assert "a province's standing office adds and changes its own" in page.locator("main").inner_text()
    _shots(page, "catalogue-indicators-en")
    page.goto(base + "/bao-cao/bieu-mau/bc-xa-thang/")
    assert "National data form" in page.locator("main").inner_text()
    page.goto(base + "/tai-khoan/nguoi-dung/")
    _shots(page, "accounts-list-en")
    page.goto(base + "/")
    _shots(page, "home-worklist-office-en")
