"""Main user journey in headless Chromium: log in, browse the tree as of a date, a unit, a committee.

Skipped when Debian's chromium is absent. Screenshots go to var/screenshots/ for a person to look at.
"""

import re

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS


def test_organisation_journey(live_demo, browser_page):
    live_server = live_demo
    page = browser_page
    page.goto(live_server.url + "/to-chuc/")
    page.fill("#id_username", "vanphong.ls")
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/to-chuc/.*"))
    page.fill("#ngay", "24/06/2021")
    page.check("input[name=bien_gioi]")
    page.click("button:has-text('Xem')")
    assert page.locator("h1").inner_text() == "Cây đơn vị hành chính ngày 24/06/2021"
    assert page.locator("ul.tree >> text=Huyện Văn Lãng").count() == 1
    page.screenshot(path=str(SHOTS / "org-tree-2021.png"), full_page=True)
    page.click("text=Xã Tân Thanh")
    assert "Xã Hoàng Văn Thụ" in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "unit-tan-thanh.png"), full_page=True)
    page.click("text=Xã Hoàng Văn Thụ")
    page.screenshot(path=str(SHOTS / "unit-hoang-van-thu.png"), full_page=True)
    page.goto(live_server.url + "/to-chuc/ban-chi-dao/")
    page.click("text=Ban Chỉ đạo công tác biên giới tỉnh")
    page.fill("#ngay", "31/12/2025")
    with page.expect_navigation():  # (wait_for_load_state returned before the form's navigation had started, and
        page.keyboard.press("Enter")  # the next goto was aborted by it: net::ERR_ABORTED in a CI run)
    body = page.locator("main").inner_text()
    assert "Đinh Hữu Học" in body and "Trịnh Tuyết Mai" in body
    page.screenshot(path=str(SHOTS / "committee-ls.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/to-chuc/?ngay=01/01/2026&bien_gioi=1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400, "no horizontal scrolling at phone width"
    page.screenshot(path=str(SHOTS / "org-tree-2026-phone.png"), full_page=True)
