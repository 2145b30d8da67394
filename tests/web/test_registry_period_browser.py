"""Registry lists with the shared period picker, in headless Chromium at 1366 and 390 px, Vietnamese and English:
the patrol list filtered to "Quý III/2025" in words shows the Decree 09 window and only that window's patrols.
Screenshots go to var/screenshots/ for a person to look at."""

import re

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS


def _shots(page, name):
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (name, width)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_patrol_list_by_quarter_in_words(live_demo, browser_page):
    from borderdesk.core.periods import parse_period
    from borderdesk.frontier.models import Patrol

    live, page = live_demo, browser_page
    page.goto(live.url + "/tai-khoan/dang-nhap/?next=/bien-gioi/tuan-tra/")
    page.fill("#id_username", "lanhdao.ls")
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/bien-gioi/tuan-tra/$"))
    page.select_option("#f-ky-kind", "quarter")
    page.select_option("#f-ky-year", "2025")
    page.select_option("#f-ky-quarter", "3")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*loai_ky=quarter.*"))
    q3 = parse_period("2025Q3")
    window = page.locator(".period-window").inner_text()
    assert "Quý III/2025" in window and "15/06/2025 – 14/09/2025" in window, window
    n = Patrol.objects.filter(started_at__date__range=(q3.start, q3.end)).count()
    assert n > 0
    _shots(page, "registry-patrols-quarter")
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert "Quarter" in page.locator(".period-picker").inner_text()
    _shots(page, "registry-patrols-quarter-en")
