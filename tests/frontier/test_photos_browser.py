"""An inspection photo uploaded and shown on the inspection page in headless Chromium (screenshot)."""

import re

from django.test import override_settings

from tests.browser_support import BROWSER_MARKS, SHOTS

from .test_photos import PNG

pytestmark = BROWSER_MARKS


def test_photo_on_the_inspection_page(live_demo, browser_page, tmp_path):
    from borderdesk.frontier.models import MarkerInspection

    live_server, page = live_demo, browser_page
    inspection = MarkerInspection.objects.filter(marker__province__name="Tỉnh Lạng Sơn").order_by("-id").first()
    photo = tmp_path / "moc.png"
    photo.write_bytes(PNG)
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        page.goto(f"{live_server.url}/bien-gioi/kiem-tra-moc/{inspection.pk}/")
        page.fill("#id_username", "vanphong.ls")
        page.fill("#id_password", "borderdesk-demo")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/kiem-tra-moc/\d+/$"))
        page.set_input_files("#id_file", str(photo))
        page.fill("#id_caption", "Mốc sau khi sửa chữa")
        page.click("button:has-text('Tải ảnh lên')")
        page.wait_for_load_state()
        img = page.locator("figure img").first
        assert img.evaluate("i => i.complete && i.naturalWidth") == 1
        assert "Mốc sau khi sửa chữa" in page.locator("figure figcaption").first.inner_text()
        page.screenshot(path=str(SHOTS / "inspection-photo.png"), full_page=True)
