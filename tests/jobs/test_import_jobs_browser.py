"""A plan spreadsheet imported in the background from the plans page, in headless Chromium at 1366 and 390 px:
the job page's progress bar moves while a worker runs the job, and the result follows (screenshots).

Skipped when Debian's chromium is absent. Screenshots go to var/screenshots/ (BORDERDESK_SCREENSHOTS)."""

import io
import threading
import time

from openpyxl import Workbook

from tests.browser_support import BROWSER_MARKS, SHOTS

pytestmark = BROWSER_MARKS
PERIODS = ["năm 2027", "6 tháng đầu năm 2027", "6 tháng cuối năm 2027", "năm 2028"]


def _login(page, base, username="vanphong.ls"):
    page.goto(base + "/bao-cao/ke-hoach/")
    page.fill("#id_username", username)
    page.fill("#id_password", "borderdesk-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "dang-nhap" not in url)


def _plan_file(path, unit, indicators) -> int:
    wb = Workbook()
    wb.active.append(["Mã đơn vị hành chính", "Đơn vị", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Kỳ kế hoạch"])
    wb.active["G1"] = "Kế hoạch"
    n = 0
    for ind in indicators:
        for period in PERIODS:
            n += 1
            wb.active.append([unit.code, unit.name, ind.code, ind.name_vi, ind.unit, period, 100 + n])
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return n


def _open(page, url):
    """Go to the job page (it refreshes itself every 2 s, which may cut a navigation short: try again)."""
    for _attempt in range(5):
        try:
            page.goto(url)
            return
        except Exception:  # noqa: BLE001 — net::ERR_ABORTED when the page's own refresh wins
            time.sleep(0.2)
    page.goto(url)


def _work(services, job_id):
    from django.db import connection

    try:
        services.run(job_id)
    finally:
        connection.close()


def test_plans_imported_in_the_background_show_a_moving_progress_bar(live_demo, browser_page, monkeypatch, tmp_path):
    from borderdesk.jobs import services, tasks
    from borderdesk.jobs.models import Job, JobStatus
    from borderdesk.org.models import AdministrativeUnit
    from borderdesk.reporting import targets
    from borderdesk.reporting.models import Target

    base, page = live_demo.url, browser_page
    unit = AdministrativeUnit.objects.filter(name="Xã Đồng Đăng").order_by("-valid_from").first()
    rows = _plan_file(tmp_path / "ke-hoach.xlsx", unit, targets.plannable_indicators()[:12])

    class Queue:  # the worker is this test's thread below, not the request
        @staticmethod
        def enqueue(job_id):
            return None

    monkeypatch.setattr(tasks, "run_job", Queue)
    real = targets._checked
    seen = threading.Event()

    def slow(**kwargs):  # each row takes a while until the page was seen mid-way at both widths
        if not seen.is_set():
            time.sleep(0.08)
        return real(**kwargs)

    monkeypatch.setattr(targets, "_checked", slow)

    _login(page, base)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/bao-cao/ke-hoach/?don_vi={unit.pk}&nam=2027")
    page.set_input_files("#kh-file", str(tmp_path / "ke-hoach.xlsx"))
    page.check("#nhap-ke-hoach input[name=background]")
    page.click("#nhap-ke-hoach button[type=submit]")
    page.wait_for_url(lambda url: "/cong-viec/" in url)
    job, job_url = Job.objects.order_by("-created_at").first(), page.url
    assert job.status == JobStatus.QUEUED and "Đang chờ" in page.locator("main").inner_text()
    worker = threading.Thread(target=_work, args=(services, str(job.pk)))
    worker.start()
    try:
        for width, height in ((1366, 900), (390, 844)):  # the same running job on a desk and on a phone
            page.set_viewport_size({"width": width, "height": height})
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                _open(page, job_url)
                value = page.locator("progress").get_attribute("value") if page.locator("progress").count() else None
                if value and 10 <= int(value) <= 90:
                    break
                time.sleep(0.2)
            assert value and 10 <= int(value) <= 90, "the progress bar never showed the job mid-way"
            text = page.locator("main").inner_text()
            assert "Đang chạy" in text and f"/ {rows}" in text and "Bạn có thể đóng trang này" in text
            page.screenshot(path=str(SHOTS / f"jobs-plan-import-progress-{width}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, "no horizontal scrolling"
    finally:
        seen.set()
        worker.join(60)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        _open(page, job_url)
        assert "Hoàn thành" in page.locator("main").inner_text()
        assert f"Đã lưu {rows} kế hoạch từ tệp." in page.locator("main").inner_text()
        page.screenshot(path=str(SHOTS / f"jobs-plan-import-done-{width}.png"), full_page=True)
    assert Target.objects.filter(unit=unit, period_key__startswith="2027").count() == rows * 3 // 4


def test_the_import_forms_offer_the_background_choice(live_demo, browser_page):
    """The plans page, the bulk accounts page and a report's entry page each offer "Chạy nền" beside their upload."""
    from borderdesk.reporting.models import Submission

    base, page = live_demo.url, browser_page
    draft = Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01")
    for username, path, box, name in (
        ("vanphong.ls", "/bao-cao/ke-hoach/", "#nhap-ke-hoach", "plans"),
        ("vanphong.ls", "/tai-khoan/nguoi-dung/tao-hang-loat/", "form[enctype]", "accounts"),
        ("baocao.dongdang", f"/bao-cao/nhap/{draft.pk}/", "form[action$='/excel/nop/']", "report-excel"),
    ):
        page.context.clear_cookies()
        _login(page, base, username)
        for width, height in ((1366, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(base + path)
            form = page.locator(box).first
            assert form.locator("input[name=background]").count() == 1
            assert "Chạy nền" in form.inner_text()
            form.scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / f"jobs-form-{name}-{width}.png"))
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, "no horizontal scrolling"
