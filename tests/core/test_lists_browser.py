"""A registry list sorted by a column header in headless Chromium, at desktop and phone width (screenshots).

Skipped when Debian's chromium is absent. Screenshots go to var/screenshots/ (BORDERDESK_SCREENSHOTS).
"""

from borderdesk.core.collation import sort_key
from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS


def test_sorting_a_registry_list_by_its_headers(live_demo, browser_page):
    base, page = live_demo.url, browser_page
    page.goto(base + "/bien-gioi/moc/")
    page.fill("#id_username", "vanphong.ls")
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "dang-nhap" not in url)
    page.goto(base + "/bien-gioi/moc/?page_size=10")

    header = page.locator("th", has=page.locator("a.sort", has_text="Đoạn"))
    assert header.get_attribute("aria-sort") == "none"
    header.locator("a").click()  # ascending
    page.wait_for_url(lambda url: "sort=section" in url and "sort=-section" not in url)
    header = page.locator("th", has=page.locator("a.sort", has_text="Đoạn"))
    assert header.get_attribute("aria-sort") == "ascending" and "▲" in header.inner_text()
    header.locator("a").click()  # the same header again: descending
    page.wait_for_url(lambda url: "sort=-section" in url)
    header = page.locator("th", has=page.locator("a.sort", has_text="Đoạn"))
    assert header.get_attribute("aria-sort") == "descending" and "▼" in header.inner_text()
    sections = [c.inner_text() for c in page.locator("tbody tr td:nth-child(4)").all()]
    assert sections == sorted(sections, key=sort_key, reverse=True)

    # the filter form and the pager keep the sort
    page.select_option("#f-hien_trang", index=1)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(lambda url: "hien_trang=" in url)
    assert "sort=-section" in page.url
    for width, name in ((1366, "desktop"), (390, "phone")):  # by the station in charge, in Vietnamese order
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + "/bien-gioi/moc/?sort=agency&page_size=10")
        page.screenshot(path=str(SHOTS / f"lists-markers-sorted-{name}.png"), full_page=True)
        agencies = [c.inner_text() for c in page.locator("tbody tr td:nth-child(6)").all()]
        assert len(set(agencies)) > 1 and agencies == sorted(agencies, key=sort_key)
        assert "sort=agency" in page.locator("nav.pager a", has_text="Sau").get_attribute("href")
        assert "sort=agency" in page.locator("a", has_text="Xuất CSV").get_attribute("href")
        if width == 390:  # on a phone each row is a card, each cell under its column's name: no sideways scroll
            sizes = page.evaluate(
                "() => { const t = document.querySelector('table.stack');"
                " return [t.scrollWidth, t.parentElement.clientWidth, document.documentElement.scrollWidth]; }"
            )
            assert sizes[0] <= sizes[1] and sizes[2] <= 390, sizes
            heads = [h.inner_text().strip(" ↕▲▼") for h in page.locator("thead th").all()]
            labels = (
                page.locator("tbody tr")
                .first.locator("td")
                .evaluate_all("cells => cells.map(c => c.getAttribute('data-label'))")
            )
            assert labels == [None, *heads[1:]], (labels, heads)
            page.goto(base + "/bao-cao/")  # the report list too
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
            page.screenshot(path=str(SHOTS / "lists-reports-phone.png"), full_page=True)
