"""The incident journey in headless Chromium: report, verify, handle with the neighbour, resolve; then the map.

Skipped when Debian's chromium is absent. Screenshots go to var/screenshots/ for a person to look at.
"""

import re

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS


def test_incident_journey_and_map(live_demo, browser_page):
    live_server, page = live_demo, browser_page
    page.goto(live_server.url + "/bien-gioi/vu-viec/them/")
    page.fill("#id_username", "vanphong.ls")
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/vu-viec/them/"))
    # A bad submission first: coordinates outside Vietnam give a field error, nothing is saved.
    page.fill("#id_title", "Phát hiện 3 người nhập cảnh trái phép")
    page.select_option("#id_category", label="Xuất cảnh, nhập cảnh trái phép")
    page.fill("#id_occurred_at", "2026-01-10T05:30")
    page.select_option("#id_marker", label="Mốc 1116")
    page.fill("#id_latitude", "35")
    page.fill("#id_longitude", "106.7")
    page.fill("#id_persons_involved", "3")
    page.click("button:has-text('Lưu')")
    assert "lãnh thổ đất liền Việt Nam" in page.locator("main").inner_text()
    page.fill("#id_latitude", "")
    page.fill("#id_longitude", "")
    page.click("button:has-text('Lưu')")
    page.wait_for_url(re.compile(r".*/vu-viec/\d+/$"))
    assert page.locator("ol.lifecycle li.current").inner_text() == "Mới báo cáo"
    page.click("button:has-text('Chuyển sang: Đã xác minh')")
    page.wait_for_load_state()
    page.locator("form:has(button:has-text('Chuyển sang: Đang xử lý')) select[name=handling_mode]").select_option(
        "exchange"
    )
    page.locator("form:has(button:has-text('Chuyển sang: Đang xử lý')) textarea").fill(
        "Trao đổi qua đường dây nóng với Trạm Biên phòng phía bạn."
    )
    page.click("button:has-text('Chuyển sang: Đang xử lý')")
    page.wait_for_load_state()
    page.locator("form:has(button:has-text('Chuyển sang: Đã giải quyết')) select[name=resolution_level]").select_option(
        "grassroots"
    )
    page.click("button:has-text('Chuyển sang: Đã giải quyết')")
    page.wait_for_load_state()
    assert page.locator("ol.lifecycle li.current").inner_text() == "Đã giải quyết"
    timeline = page.locator("ol.timeline").inner_text()
    assert "đường dây nóng" in timeline and timeline.count("—") == 4
    page.screenshot(path=str(SHOTS / "incident-journey.png"), full_page=True)

    # The old map address redirects to the dashboards' map (tests/dashboards/test_browser.py clicks it).
    page.goto(live_server.url + "/bien-gioi/ban-do/?ky=2026")
    page.wait_for_url(re.compile(r".*/tong-quan/ban-do/\?ky=2026"))
    page.wait_for_selector("#bd-map .bd-pin")
    page.screenshot(path=str(SHOTS / "map-2026.png"), full_page=True)
