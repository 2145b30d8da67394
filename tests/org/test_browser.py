"""The standing office's edit forms in headless Chromium, at desktop and phone width (screenshots).

Skipped when Debian's chromium is absent. Screenshots go to var/screenshots/ for a person to look at.
"""

import re

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS


def _login(page, base, username="vanphong.ls"):
    page.goto(base + "/to-chuc/ban-chi-dao/")
    page.fill("#id_username", username)
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "dang-nhap" not in url)


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1, (
        "no horizontal scrolling"
    )


def test_add_member_and_rename_agency_forms(live_demo, browser_page):
    from borderdesk.org.models import Agency, Committee, Membership

    base, page = live_demo.url, browser_page
    committee = Committee.objects.get(code="ls-bcdbg")
    office = Agency.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")
    _login(page, base)
    committee_url = f"{base}/to-chuc/ban-chi-dao/{committee.pk}/?ngay=01/03/2026"

    # A refused member (a second head while one holds the seat): the service's message on the form.
    page.goto(committee_url)
    page.fill("#id_new_person_name", "Nguyễn Văn Thử")
    page.select_option("#id_role", "head")
    page.fill("#id_post", "Phó Chủ tịch UBND tỉnh")
    page.fill("#id_decision_number", "45/QĐ-UBND")
    page.fill("#id_valid_from", "01/02/2026")
    page.click("#them-thanh-vien button[type=submit]")
    page.wait_for_load_state()
    assert "chỉ có một người tại một thời điểm" in page.locator("#them-thanh-vien").inner_text()
    page.locator("#them-thanh-vien").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "org-committee-add-member-error.png"), full_page=True)
    assert not Membership.objects.filter(person__full_name="Nguyễn Văn Thử").exists()

    # Corrected (a deputy): saved, listed on the page.
    page.select_option("#id_role", "deputy")
    page.select_option("#id_agency", str(office.pk))
    page.click("#them-thanh-vien button[type=submit]")
    page.wait_for_url(re.compile(r".*/ban-chi-dao/\d+/$"))
    assert "Đã thêm Nguyễn Văn Thử" in page.locator("main").inner_text()
    page.goto(committee_url)
    page.screenshot(path=str(SHOTS / "org-committee-add-member.png"), full_page=True)
    _no_horizontal_scroll(page)

    # The agency page with the rename form.
    page.goto(f"{base}/to-chuc/co-quan/{office.pk}/")
    page.fill("#id_rename-new_name", "Sở Ngoại vụ tỉnh Lạng Sơn (thử)")
    page.fill("#id_rename-effective_date", "01/03/2026")
    page.fill("#id_rename-reason", "Quyết định 99/QĐ-UBND")
    page.screenshot(path=str(SHOTS / "org-agency-rename.png"), full_page=True)
    _no_horizontal_scroll(page)

    # Phone width.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(committee_url)
    _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / "org-committee-add-member-phone.png"), full_page=True)
    page.locator("#them-thanh-vien").screenshot(path=str(SHOTS / "org-committee-add-member-form-phone.png"))
    page.goto(f"{base}/to-chuc/co-quan/{office.pk}/")
    _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / "org-agency-rename-phone.png"), full_page=True)
    page.click("#doi-ten button[type=submit]")  # the current name again, today: refused by the service
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "org-agency-rename-error-phone.png"), full_page=True)
    page.locator("#doi-ten").screenshot(path=str(SHOTS / "org-agency-rename-form-error-phone.png"))
    _no_horizontal_scroll(page)
