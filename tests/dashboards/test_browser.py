"""Dashboards and the map in headless Chromium: charts drawn, the map zoomed and a marker's popup opened,
screenshots at 1366 and 390 px in Vietnamese and English (var/screenshots/, for a person to look at)."""

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS


def _login(page, url, username):
    page.goto(url + "/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "borderdesk-demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _no_overflow(page):
    """No horizontal scrolling once the page has laid itself out at this width (the charts resize on the next
    frames): waited for up to 3 s, rather than a fixed pause, then checked."""
    try:
        page.wait_for_function(
            "() => document.documentElement.scrollWidth <= window.innerWidth + 1", timeout=3000, polling=50
        )
    except PlaywrightTimeout:  # the assertion below says by how much
        pass
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, width


def test_leader_dashboard_charts_and_map(live_demo, browser_page):
    url, page = live_demo.url, browser_page
    _login(page, url, "lanhdao.ls")
    # A provincial leader lands on the province dashboard.
    page.wait_for_url(re.compile(r".*/tong-quan/tinh/\?don_vi=\d+"))
    page.goto(url + "/tong-quan/tinh/?ky=2025")
    assert "Tổng quan Tỉnh Lạng Sơn" in page.locator("h1").inner_text()
    page.wait_for_selector("figure[data-chart] canvas")
    assert page.locator("figure[data-chart] canvas").count() == 4
    assert page.locator(".kpi").count() == 7
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        _no_overflow(page)
        page.screenshot(path=str(SHOTS / f"dashboard-province-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1000, "height": 900})
    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / "dashboard-province-print.png"), full_page=True)
    page.emulate_media(media="screen")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(url + "/tong-quan/ban-do/")
    page.wait_for_selector("#bd-map .leaflet-marker-icon")
    page.wait_for_selector("#bd-map[data-boundaries-loaded='1']", state="attached")  # no eval under the CSP
    assert page.locator("#bd-map path.leaflet-interactive").count() > 0  # patrol routes and roads
    # Markers 1116–1120 start in one numbered cluster, not a blob of overlapping labels.
    assert page.locator("#bd-map .bd-label:has-text('1117')").count() == 0
    assert page.locator("#bd-map .bd-cluster-moc").count() >= 1
    zoom = page.evaluate("document.getElementById('bd-map').bdMap.getZoom()")
    # Pan to Hữu Nghị, then zoom in with the + button until they separate; open one. (void: panTo returns the map,
    # which Playwright would spend 12–17 s serializing.)
    page.evaluate("void document.getElementById('bd-map').bdMap.panTo([21.968, 106.716], {animate: false})")
    # Each click's zoom animation has ended (Leaflet's zoomend; a click during the animation would be ignored)
    # before the next click: counted, rather than a fixed pause.
    page.evaluate(
        "(m => { m.bdZoomEnds = 0; m.on('zoomend', () => { m.bdZoomEnds += 1; }); })"
        "(document.getElementById('bd-map').bdMap)"
    )
    for step in range(1, 5):
        page.click(".leaflet-control-zoom-in")
        page.wait_for_function("n => document.getElementById('bd-map').bdMap.bdZoomEnds >= n", arg=step, polling=50)
    assert page.evaluate("document.getElementById('bd-map').bdMap.getZoom()") == zoom + 4
    # The clusters' own animation after the last zoom has ended too (markercluster marks the map pane meanwhile):
    # a marker clicked during it is taken off the map and back, closing its popup.
    page.wait_for_function(
        "() => !document.querySelector('#bd-map .leaflet-map-pane').classList.contains('leaflet-cluster-anim')",
        polling=50,
    )
    page.locator("#bd-map .bd-label:has-text('1116')").first.wait_for()
    page.screenshot(path=str(SHOTS / "map-zoomed-1366.png"))
    page.locator("#bd-map .leaflet-marker-icon[title='Mốc 1117']").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Mốc 1117" in popup.inner_text() and "Hiện trạng" in popup.inner_text()
    page.screenshot(path=str(SHOTS / "map-zoomed-popup-1366.png"))
    # Labels of 1116, 1117, 1119, 1120 do not overlap at this zoom.
    boxes = [
        page.locator(f"#bd-map .bd-label:has-text('{n}')").first.bounding_box()
        for n in ("1116", "1117", "1119", "1120")
    ]
    for a, b in zip(boxes, boxes[1:], strict=False):
        assert a and b
        overlap_x = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
        overlap_y = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
        assert overlap_x <= 1 or overlap_y <= 1, (a, b)
    page.goto(url + "/tong-quan/ban-do/")
    page.wait_for_selector("#bd-map[data-boundaries-loaded='1']", state="attached")  # no eval under the CSP
    page.screenshot(path=str(SHOTS / "map-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + "/tong-quan/ban-do/")
    page.wait_for_selector("#bd-map[data-boundaries-loaded='1']", state="attached")  # no eval under the CSP
    _no_overflow(page)
    page.screenshot(path=str(SHOTS / "map-390.png"), full_page=True)


def test_national_dashboard_in_both_languages(live_demo, browser_page):
    url, page = live_demo.url, browser_page
    _login(page, url, "admin")
    page.goto(url + "/tong-quan/toan-quoc/?ky=2025")
    assert "Biên giới Việt Nam – Trung Quốc" in page.locator("main").inner_text()
    assert "Biên giới Việt Nam – Lào" in page.locator("main").inner_text()
    page.wait_for_selector("figure[data-chart] canvas")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        _no_overflow(page)
        page.screenshot(path=str(SHOTS / f"dashboard-national-{width}.png"), full_page=True)
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert "Overview of the whole border" in page.locator("h1").inner_text()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(SHOTS / "dashboard-national-en-1366.png"), full_page=True)


def test_a_commune_dashboard_fits_a_phone(live_demo, browser_page):
    """A commune reporter's figures carry their source ("Nguồn: báo cáo đã gửi, chưa duyệt"): the badge wraps on a
    phone rather than pushing the page wider than the screen."""
    url, page = live_demo.url, browser_page
    _login(page, url, "baocao.quockhanh")
    page.goto(url + "/tong-quan/")
    assert page.locator(".badge.source").count() > 0
    page.set_viewport_size({"width": 390, "height": 844})
    _no_overflow(page)
    page.screenshot(path=str(SHOTS / "dashboard-commune-390.png"), full_page=True)
