"""Content-Security-Policy in headless Chromium: the main pages load with no CSP violation (no inline script or
style left), and the header is sent. Screenshots of a few pages at 1366 and 390 px go to var/screenshots/."""

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS


def _detail_urls():
    from borderdesk.coordination.models import Conference
    from borderdesk.documents.models import ReportDraft, ReportTemplate
    from borderdesk.extraction.models import SourceDocument
    from borderdesk.frontier.models import MarkerInspection
    from borderdesk.reporting.models import Submission

    urls = []
    sub = Submission.objects.filter(unit__name="Xã Đồng Đăng").first()
    if sub:
        urls.append(f"/bao-cao/nhap/{sub.pk}/")
    for model, pattern in (
        (Conference, "/hoi-nghi/hoi-nghi/{}/"),
        (MarkerInspection, "/bien-gioi/kiem-tra-moc/{}/"),
        (SourceDocument, "/trich-xuat/van-ban/{}/"),
        (ReportDraft, "/van-ban/du-thao/{}/"),
        (ReportTemplate, "/van-ban/mau/{}/"),
    ):
        obj = model.objects.first()
        if obj is not None:
            urls.append(pattern.format(obj.pk))
    return urls


def test_main_pages_have_no_csp_violation(live_demo, browser_page):
    live_server, page = live_demo, browser_page
    violations = []
    page.on(
        "console",
        lambda m: (
            violations.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    response = page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    page.fill("#id_username", "vanphong.ls")
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "dang-nhap" not in url)
    nav = page.eval_on_selector_all("nav.main a", "els => els.map(e => e.getAttribute('href'))")
    assert len(nav) >= 5
    pages = list(
        dict.fromkeys(
            nav
            + [
                "/",
                "/bao-cao/cho-duyet/",
                "/bao-cao/tong-hop/?ky=2025",
                "/bao-cao/day-du/?nam=2025&bieu=bc-xa-thang",
                "/bien-gioi/ban-do/",
                "/tai-khoan/ma-truy-cap/",
                "/nhat-ky/",
                "/khong-co-trang-nay/",
                "/bao-cao/tong-hop/?ky=2025Q9",
                "/api/docs",
            ]
            + _detail_urls()
        )
    )
    visited = 0
    for path in pages:
        page.goto(live_server.url + path, wait_until="load")  # scripts, styles, images loaded: violations fired
        visited += 1
    assert visited >= 15
    page.goto(live_server.url + "/tong-quan/ban-do/")
    page.wait_for_load_state("networkidle")  # the one page that fetches after load (boundaries, layers)
    assert violations == [], "\n".join(violations)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in (
            ("bao-cao", _detail_urls()[0]),
            ("ma-truy-cap", "/tai-khoan/ma-truy-cap/"),
            ("loi-404", "/khong-co-trang-nay/"),
        ):
            page.goto(live_server.url + path)
            page.screenshot(path=str(SHOTS / f"csp-{name}-{width}.png"), full_page=False)
    assert violations == [], "\n".join(violations)
