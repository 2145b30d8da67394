import pytest

from tests.browser_support import BROWSER_MARKS

pytestmark = BROWSER_MARKS


def _login(page, base, user):
    page.goto(base + "/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")


def test_shots(browser_page, live_demo):
    from borderdesk.core.models import ChangeLogEntry
    from borderdesk.demo.loader import DEMO_PASSWORD
    from borderdesk.reporting.models import Submission

    page, base = browser_page, live_demo.url
    page.goto(base + "/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", "vanphong.ls")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    page.goto(base + "/cua-khau/so-lieu/")
    page.goto(base + "/api/docs")
    sub = Submission.objects.filter(unit__name="Xã Quốc Khánh", period_key="2025M12").first()
    entry = ChangeLogEntry.objects.filter(content_type__model="gatedailystat").order_by("-pk").first() or \
        ChangeLogEntry.objects.order_by("-pk").first()
    for w in (1366, 390):
        page.set_viewport_size({"width": w, "height": 900})
        page.goto(base + f"/bao-cao/nhap/{sub.pk}/")
        page.screenshot(path=f"/tmp/trust/entry-{w}.png", full_page=False)
        page.goto(base + f"/nhat-ky/{entry.pk}/")
        page.screenshot(path=f"/tmp/trust/changelog-{w}.png", full_page=True)
        page.goto(base + "/bao-cao/")
        page.screenshot(path=f"/tmp/trust/home-{w}.png", full_page=False)
