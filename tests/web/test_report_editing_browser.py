"""Issue 13 in headless Chromium: draft the 2025 annual report, edit a section of its own text,
comment, compare the two versions. Screenshots at 1366 and 390 px go to var/screenshots/."""

import re

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS


def test_draft_edit_comment_compare(live_demo, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_demo.url + "/van-ban/")
    page.fill("#id_username", "vanphong.ls")
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_selector("select#c")
    page.select_option("#c", label="Ban Chỉ đạo công tác biên giới tỉnh (Lạng Sơn)")  # by name and place, no code
    page.select_option("#p-kind", "year")  # the period picker: the year 2025
    page.select_option("#p-year", "2025")
    page.fill("#d", "05/01/2026")
    page.click("button:has-text('Soạn và xem trước')")
    page.wait_for_url(re.compile(r".*/van-ban/du-thao/\d+/"))
    main = page.locator("main").inner_text()
    assert "Các lực lượng chức năng tổ chức tuần tra, kiểm soát biên giới" in main and "minh họa" not in main
    assert "Nguồn số liệu" in main
    page.screenshot(path=str(SHOTS / "report-draft-1366.png"), full_page=True)
    page.screenshot(path=str(SHOTS / "report-draft-1366-top.png"))
    page.locator("#nguon").screenshot(path=str(SHOTS / "report-sources-1366.png"))
    page.click("summary:has-text('III. ĐÁNH GIÁ CHUNG')")
    box = page.locator("details[open] textarea")
    box.fill(box.input_value() + "\nNguyên nhân của hạn chế đã được làm rõ tại hội nghị.")
    page.click("details[open] button:has-text('Lưu mục này')")
    page.wait_for_selector("text=Đã lưu mục đã sửa thành dự thảo lần 2.")
    assert "Nguyên nhân của hạn chế đã được làm rõ tại hội nghị." in page.locator(".paper").inner_text()
    page.select_option("#cs", "III. ĐÁNH GIÁ CHUNG")
    page.fill("#ct", "Đề nghị bổ sung số liệu so sánh kế hoạch.")
    page.click("button:has-text('Gửi góp ý')")
    page.wait_for_selector("text=Đề nghị bổ sung số liệu so sánh kế hoạch.")
    page.locator("#sua summary").first.click()
    page.locator("#sua").screenshot(path=str(SHOTS / "report-edit-1366.png"))
    page.click("a:has-text('So sánh')")
    page.wait_for_url(re.compile(r".*/so-sanh/.*"))
    assert "Nguyên nhân của hạn chế đã được làm rõ tại hội nghị." in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "report-compare-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.go_back()
    page.screenshot(path=str(SHOTS / "report-draft-390.png"), full_page=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "report-draft-390-top.png"))
    page.locator("#gop-y").screenshot(path=str(SHOTS / "report-comments-390.png"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width
