"""The English interface in headless Chromium: switch language from the header, main pages, screenshots.

Screenshots go to var/screenshots/en-*.png for a person to look at (longer English labels, wrapping).
"""

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS


def test_english_journey(live_demo, browser_page):
    page = browser_page
    url = live_demo.url
    page.goto(url + "/tai-khoan/dang-nhap/")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    with page.expect_navigation():
        page.click("#lang-switch")  # the header button: English
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Log in"
    page.screenshot(path=str(SHOTS / "en-login.png"), full_page=True)
    page.fill("#id_username", "vanphong.ls")
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(url + "/")
    assert page.locator("h1").inner_text().startswith("Hello, ")
    assert page.locator("nav.main").inner_text().count("Change log") == 1
    page.screenshot(path=str(SHOTS / "en-home.png"), full_page=True)

    page.goto(url + "/to-chuc/?ngay=24/06/2021&bien_gioi=1")
    assert page.locator("h1").inner_text() == "Administrative units on 24/06/2021"
    page.screenshot(path=str(SHOTS / "en-org-tree.png"), full_page=True)

    page.goto(url + "/to-chuc/ban-chi-dao/")
    page.click("text=Ban Chỉ đạo công tác biên giới tỉnh")
    page.fill("#ngay", "31/12/2025")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Members on 31/12/2025" in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "en-committee.png"), full_page=True)

    page.goto(url + "/bao-cao/tong-hop/?ky=2025")
    assert page.locator("h1").inner_text() == "Consolidated figures"
    page.screenshot(path=str(SHOTS / "en-consolidated.png"), full_page=True)

    page.goto(url + "/bao-cao/")
    page.locator("table tbody a").first.click()  # the first report (the header links sort the list)
    page.wait_for_selector("text=Workflow history")
    page.screenshot(path=str(SHOTS / "en-report-entry.png"), full_page=True)

    page.goto(url + "/cua-khau/")
    page.screenshot(path=str(SHOTS / "en-gates.png"), full_page=True)

    page.goto(url + "/bien-gioi/moc/")
    assert page.locator("h1").inner_text() == "Border markers"
    page.screenshot(path=str(SHOTS / "en-markers.png"), full_page=True)

    page.goto(url + "/nhat-ky/")
    assert page.locator("h1").inner_text() == "Change log"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + "/")
    page.screenshot(path=str(SHOTS / "en-home-phone.png"), full_page=True)
    # Nothing wider than the phone screen outside scrollable tables.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, overflow

    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_navigation():
        page.click("#lang-switch")  # back to Vietnamese
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text().startswith("Xin chào")
