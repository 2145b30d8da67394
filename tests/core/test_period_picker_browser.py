"""The period picker in headless Chromium without JavaScript-driven fields: choose "tính đến ngày" with a
typed date and the calendar rule, submit, read the window; screenshots at 1366 and 390 px."""

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS


def test_period_picker_on_consolidation_and_gates(live_demo, browser_page):
    page = browser_page
    page.goto(live_demo.url + "/bao-cao/tong-hop/?ky=2025&bieu=bc-xa-thang")
    page.fill("#id_username", "lanhdao.ls")
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_selector(".period-window")
    assert "Năm 2025: 15/12/2024 – 14/12/2025" in page.locator(".period-window").inner_text()
    page.select_option("#pp-kind", "cutoff")
    page.fill("#pp-date", "30/11/2025")
    page.select_option("#pp-rule", "calendar")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "Tính đến ngày 30/11/2025: 01/01/2025 – 30/11/2025" in page.locator(".period-window").inner_text()
    assert page.locator(".period-notice").count() == 1  # Decree 09 months cut by the window are named
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"period-picker-consolidation-{width}.png"), full_page=False)
    page.goto(live_demo.url + "/cua-khau/?loai_ky=quarter&nam_ky=2025&quy=4")
    assert "Quý IV/2025: 15/09/2025 – 14/12/2025" in page.locator(".period-window").inner_text()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"period-picker-gates-{width}.png"), full_page=False)
    page.goto(live_demo.url + "/bao-cao/?loai_ky=quarter&nam_ky=2025&quy=3")
    assert "Quý III/2025: 15/06/2025 – 14/09/2025" in page.locator(".period-window").inner_text()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 1100})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"period-picker-reports-{width}.png"), full_page=False)
