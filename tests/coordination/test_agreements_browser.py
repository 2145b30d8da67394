"""An agreement entered through its form in headless Chromium, a bad submission first; screenshots of
the list, the form with its errors and the detail page go to var/screenshots/."""

import re

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS


def test_agreement_form_list_and_detail(live_demo, browser_page):
    live_server, page = live_demo, browser_page
    page.goto(live_server.url + "/hoi-nghi/quy-che/them/")
    page.fill("#id_username", "vanphong.ls")
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/quy-che/them/"))
    page.select_option("#id_unit", label="Tỉnh Lạng Sơn")
    page.fill("#id_title", "Quy chế phối hợp giữa BĐBP tỉnh và Sở Ngoại vụ năm 2026")
    page.fill("#id_year", "2026")
    options = page.locator("#id_parties option").all_inner_texts()
    page.select_option("#id_parties", label=options[0])  # one party only
    page.fill("#id_signed_on", "2026-01-20")
    page.fill("#id_review_date", "2026-01-10")  # reviewed before signing
    page.click("button:has-text('Lưu')")
    text = page.locator("main").inner_text()
    assert "ít nhất hai bên" in text and "trước ngày ký" in text
    page.screenshot(path=str(SHOTS / "agreement-form-errors.png"), full_page=True)
    page.select_option("#id_parties", label=[options[0], options[1]])
    page.fill("#id_review_date", "")
    page.fill("#id_summary", "Trao đổi thông tin, phối hợp quản lý biên giới và cửa khẩu")
    page.click("button:has-text('Lưu')")
    page.wait_for_url(re.compile(r".*/quy-che/\d+/$"))
    detail = page.locator("main").inner_text()
    assert options[0] in detail and options[1] in detail and "20/01/2026" in detail
    assert "2026" in detail and "2.026" not in detail
    page.screenshot(path=str(SHOTS / "agreement-detail.png"), full_page=True)
    page.goto(live_server.url + "/hoi-nghi/quy-che/?nam=2026")
    listing = page.locator("main").inner_text()
    assert "Sở Ngoại vụ năm 2026" in listing and "2.026" not in listing
    page.goto(live_server.url + "/hoi-nghi/quy-che/")
    page.screenshot(path=str(SHOTS / "agreements-list.png"), full_page=True)
