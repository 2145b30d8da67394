"""The gate statistics page and a crossing-log upload in headless Chromium (no request leaves the
machine); screenshots go to var/screenshots/ for a person to look at."""

import re

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS


def test_gate_statistics_and_log_upload(live_demo, browser_page, tmp_path):
    live_server, page = live_demo, browser_page
    page.goto(live_server.url + "/tong-quan/cua-khau/?ky=2025&quy_tac=calendar")  # the seed's figures are calendar 2025
    page.fill("#id_username", "vanphong.ls")
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/cua-khau/\?ky=2025"))
    text = page.locator("main").inner_text()
    assert "1.700" in text and "Lóng Sập" not in text
    page.wait_for_selector("main figure[data-chart] canvas")
    page.screenshot(path=str(SHOTS / "gate-statistics-2025.png"), full_page=True)
    # A crossing log with an unknown gate and a truncated last line: errors per line, nothing saved.
    log = tmp_path / "nhat-ky.csv"
    log.write_text(
        "time,gate,direction,kind,nationality,cargo_usd\n"
        "2026-02-01 08:00,huu-nghi,exit,person,VN,\n"
        "2026-02-01 08:05,khong-co,entry,person,CN,\n"
        "2026-02-01 08:0",
        encoding="utf-8",
    )
    page.goto(live_server.url + "/cua-khau/nhat-ky-qua-lai/")
    page.set_input_files("input[type=file]", str(log))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "khong-co" in text
    page.screenshot(path=str(SHOTS / "gate-log-errors.png"), full_page=True)
