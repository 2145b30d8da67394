"""The catalogue and form pages in headless Chromium, at desktop and phone widths, in Vietnamese and English:
an administrator adds an indicator, the standing office publishes form version 2 with it and previews a
rule. Screenshots go to var/screenshots/ for a person to look at."""

import re

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS


def _login(page, url, username):
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(url)


def _shots(page, name):
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        # nothing wider than the screen: wide tables scroll inside their own box
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (name, width)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_catalogue_form_version_and_rule(live_demo, browser_page):
    live, page = live_demo, browser_page
    _login(page, live.url + "/bao-cao/chi-tieu/them/", "admin")
    page.fill("#id_code", "PATROLS_NIGHT")
    page.fill("#id_name_vi", "Số lượt tuần tra ban đêm")
    page.fill("#id_name_en", "Night patrols")
    page.fill("#id_unit", "lượt")
    page.fill("#id_group", "patrols")
    page.select_option("#id_registry_figure", "PATROLS_TOTAL")
    _shots(page, "catalogue-indicator-form")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/bao-cao/chi-tieu/\?q=PATROLS_NIGHT"))
    assert "Số lượt tuần tra ban đêm" in page.locator("main").inner_text()
    page.goto(live.url + "/bao-cao/chi-tieu/?nhom=patrols")
    _shots(page, "catalogue-indicators")
    page.context.clear_cookies()

    _login(page, live.url + "/bao-cao/bieu-mau/bc-xa-thang/phien-ban-moi/", "vanphong.ls")
    n = page.locator("fieldset").count()
    page.fill(f"#s{n - 2}_title", "Tuần tra ban đêm")
    page.fill(f"#s{n - 2}_codes", "PATROLS_NIGHT")
    _shots(page, "catalogue-form-builder")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/bao-cao/bieu-mau/bc-xa-thang/$"))
    text = page.locator("main").inner_text()
    assert "Phiên bản hiện hành: 2" in text and "PATROLS_NIGHT" in text
    _shots(page, "catalogue-form-detail")
    page.goto(live.url + "/bao-cao/bieu-mau/bc-xa-thang/quy-tac/them/")
    page.fill("#id_name", "Song phương không quá 5 lượt")
    page.fill("#id_left", "PATROLS_BILATERAL")
    page.select_option("#id_operator", "<=")
    page.fill("#id_right", "2")
    page.fill("#id_period", "2025M10")
    page.click("button[value=preview]")
    page.wait_for_load_state()
    assert "Vi phạm" in page.locator("main").inner_text() or "Đạt" in page.locator("main").inner_text()
    _shots(page, "catalogue-rule-preview")

    # English
    page.goto(live.url + "/bao-cao/bieu-mau/")
    page.click("#lang-switch")
    page.wait_for_load_state()
    page.goto(live.url + "/bao-cao/bieu-mau/bc-xa-thang/")
    assert "Current version: 2" in page.locator("main").inner_text()
    _shots(page, "catalogue-form-detail-en")
    page.goto(live.url + "/bao-cao/chi-tieu/?nhom=patrols")
    assert "Night patrols" in page.locator("main").inner_text()
    _shots(page, "catalogue-indicators-en")
