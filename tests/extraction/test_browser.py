"""The review queue in headless Chromium: paste a narrative, review the proposals, and an oversized paste.

Skipped when Debian's chromium is absent. Screenshots go to var/screenshots/ for a person to look at.
"""

import re

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS

NARRATIVE = (
    "Lạng Sơn, ngày 05/01/2026. Năm 2025, Đồn Biên phòng Đồng Đăng đã tổ chức hai mươi lăm đợt tuần tra, "
    "kiểm soát với 540 lượt cán bộ, chiến sĩ tham gia; phối hợp với lực lượng Trung Quốc tuần tra song phương "
    "36 lượt. Qua cửa khẩu có hàng chục nghìn phương tiện qua lại, bình quân mỗi ngày khoảng 1.100–1.350 xe. "
    "Đơn vị tổ chức 12 buổi tuyên truyền cho hơn 1.500 lượt người, tăng 12% so với cùng kỳ; "
    "phát hiện, bắt giữ 4 vụ/7 đối tượng buôn lậu."
)


def test_paste_review_and_oversized_paste(live_demo, browser_page, settings):
    live_server, page = live_demo, browser_page
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # a light oversized paste below
    page.goto(live_server.url + "/trich-xuat/tai-len/")
    page.fill("#id_username", "baocao.dongdang")
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/trich-xuat/tai-len/"))
    page.fill("#id_title", "Tổng kết năm 2025")
    page.select_option("#id_owner", label="Xã Đồng Đăng")
    page.fill("#id_text", NARRATIVE)
    page.click("button:has-text('Đọc và đề xuất số liệu')")
    page.wait_for_url(re.compile(r".*/trich-xuat/van-ban/\d+/$"))
    main = page.locator("main").inner_text()
    assert "hai mươi lăm đợt" in main and "ước lượng" in main
    assert "Lạng Sơn · Năm 2025" in main
    assert page.locator("mark.fig").count() >= 8
    page.screenshot(path=str(SHOTS / "extraction-review.png"), full_page=True)

    row = page.locator("tr:has-text('hai mươi lăm đợt')")
    row.locator("button:has-text('Chấp nhận')").click()
    page.wait_for_load_state()
    assert "Đã chấp nhận" in page.locator("tr:has-text('hai mươi lăm đợt')").inner_text()
    vague = page.locator("tr:has-text('hàng chục nghìn phương tiện')")
    vague.locator("input[name=indicator]").fill("VEHICLES_EXIT_ENTRY")
    vague.locator("button:has-text('Chấp nhận')").click()
    page.wait_for_load_state()
    assert "số ước lượng" in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "extraction-review-decided.png"), full_page=True)

    # pasted text over Django's form-field limit: the app's own message on the upload page, not a bare 400
    page.goto(live_server.url + "/trich-xuat/tai-len/")
    page.select_option("#id_owner", label="Xã Đồng Đăng")
    page.locator("#id_text").evaluate("(el) => { el.value = 'a'.repeat(300 * 1024); }")
    with page.expect_navigation():
        page.click("button:has-text('Đọc và đề xuất số liệu')")
    assert "Văn bản dán vào quá lớn" in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "extraction-paste-too-large.png"), full_page=True)


REPORT = (
    "Báo cáo kết quả công tác biên giới 6 tháng đầu năm\n\n"
    "Trong 6 tháng đầu năm, Bộ đội Biên phòng tỉnh Lạng Sơn tổ chức 24 đợt tuần tra song phương và 36 đợt tuần "
    "tra đơn phương với 1.150 lượt cán bộ, chiến sĩ tham gia; kiểm tra 130/131 mốc, phát quang 138,3km đường "
    "tuần tra. Lực lượng chức năng phát hiện 17 vụ buôn lậu với 23 đối tượng, giảm 5 vụ so với cùng kỳ; "
    "thu giữ 0,128kg ma túy. Thực hiện Kế hoạch số 145/KH-BCĐ, cột mốc 29 lượt được kiểm tra định kỳ."
)


def test_review_page_highlights_figures_in_place(live_demo, browser_page):
    live_server, page = live_demo, browser_page
    page.goto(live_server.url + "/trich-xuat/tai-len/")
    page.fill("#id_username", "baocao.dongdang")
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/trich-xuat/tai-len/"))
    page.select_option("#id_owner", label="Xã Đồng Đăng")
    page.fill("#id_text", REPORT)
    page.click("button:has-text('Đọc và đề xuất số liệu')")
    page.wait_for_url(re.compile(r".*/trich-xuat/van-ban/\d+/$"))
    text = page.locator(".doc-text").last
    marks = [m.strip() for m in text.locator("mark.fig").all_inner_texts()]
    assert {"24 đợt", "36 đợt", "130", "131 mốc", "138,3km", "giảm 5 vụ", "0,128kg", "29 lượt"} <= set(marks)
    assert text.locator("mark.fig-change").count() == 1
    assert "145" in text.locator(".num-left").all_inner_texts()
    assert "6 tháng đầu năm" in page.locator(".facts").inner_text()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        # an indicator code stays on one line: its box is one line high
        code = page.locator("td code").first
        box = code.bounding_box()
        line = code.evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight) || el.offsetHeight")
        assert box["height"] <= line * 1.5
        page.screenshot(path=str(SHOTS / f"extraction-highlights-{width}.png"), full_page=True)
        page.locator("section.card").first.screenshot(path=str(SHOTS / f"extraction-highlights-text-{width}.png"))
        page.locator(".table-wrap").first.screenshot(path=str(SHOTS / f"extraction-highlights-table-{width}.png"))
