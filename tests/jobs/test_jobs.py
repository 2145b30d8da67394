"""Background jobs: progress, result or errors, scope, recovery of a job whose worker died."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from borderdesk.core import background
from borderdesk.core.models import ChangeLogEntry
from borderdesk.jobs import services
from borderdesk.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


def _counting(job, progress):
    for n in range(5):
        progress(n, 5, "Đang đếm", force=True)
    CALLS.append(str(job.pk))
    return {"message": f"Đã đếm {job.params['n']}", "url": "/"}


def _refusing(job, progress):
    raise background.JobError(
        "Tệp có 2 lỗi",
        errors=[
            {"line": 3, "field": "gate", "message": "Không có cửa khẩu “x”"},
            {"line": 7, "field": "", "message": "Dòng cuối bị cắt cụt"},
        ],
    )


def _crashing(job, progress):
    raise ZeroDivisionError("internal detail")


@pytest.fixture(autouse=True)
def kinds():
    background.register("test.count", _counting)
    background.register("test.refuse", _refusing)
    background.register("test.crash", _crashing, max_attempts=2)
    yield
    for code in ("test.count", "test.refuse", "test.crash"):
        background.KINDS.pop(code, None)


def test_a_job_runs_reports_progress_and_its_result_is_logged(users, login):
    job = services.submit(user=users["vanphong.ls"], kind_code="test.count", title="Đếm thử", params={"n": 5})
    assert job.status == JobStatus.DONE and job.result["message"] == "Đã đếm 5"
    assert (job.done, job.total, job.percent, job.attempts) == (5, 5, 100, 1)
    assert ChangeLogEntry.objects.filter(object_id=str(job.pk), action="create").exists()
    page = login(users["vanphong.ls"]).get(f"/cong-viec/{job.pk}/").content.decode()
    assert "Hoàn thành" in page and "Đã đếm 5" in page and 'http-equiv="refresh"' not in page
    api = login(users["vanphong.ls"]).get(f"/api/jobs/{job.pk}").json()
    assert api["status"] == "done" and api["percent"] == 100 and api["result"]["message"] == "Đã đếm 5"


def test_a_refused_input_shows_its_errors(users, login):
    job = services.submit(user=users["vanphong.ls"], kind_code="test.refuse", title="Nhập thử")
    assert job.status == JobStatus.FAILED and len(job.errors) == 2
    page = login(users["vanphong.ls"]).get(f"/cong-viec/{job.pk}/").content.decode()
    assert "Không thành công" in page and "Chưa có gì được ghi" in page and "Không có cửa khẩu “x”" in page


def _refusing_at_the_end(job, progress):
    progress(98, 100, "Đang đọc", force=True)
    raise background.JobError("Tệp có 1 lỗi", errors=[{"line": 100, "field": "", "message": "Dòng cuối bị cắt cụt"}])


def test_a_failed_job_shows_no_percentage_in_the_list(users, login):
    """A refused import wrote nothing: "99%" beside "Không thành công" would read as 99 % of it saved."""
    background.register("test.refuse-late", _refusing_at_the_end)
    try:
        job = services.submit(user=users["vanphong.ls"], kind_code="test.refuse-late", title="Nhập hỏng cuối tệp")
    finally:
        background.KINDS.pop("test.refuse-late", None)
    assert job.status == JobStatus.FAILED
    page = login(users["vanphong.ls"]).get("/cong-viec/").content.decode()
    row = page[page.index("Nhập hỏng cuối tệp") :].split("</tr>")[0]
    assert "Không thành công" in row and "%" not in row


def test_an_unexpected_error_tells_the_user_in_vietnamese_not_the_internals(users, login):
    job = services.submit(user=users["vanphong.ls"], kind_code="test.crash", title="Hỏng")
    assert job.status == JobStatus.FAILED and "internal detail" not in job.message
    assert "chưa có gì được ghi" in job.message


def test_another_users_job_looks_missing(users, login):
    job = services.submit(user=users["vanphong.ls"], kind_code="test.count", title="Đếm thử", params={"n": 1})
    assert login(users["vanphong.sl"]).get(f"/cong-viec/{job.pk}/").status_code == 404
    assert login(users["vanphong.sl"]).get(f"/api/jobs/{job.pk}").status_code == 404
    assert str(job.pk) not in login(users["vanphong.sl"]).get("/cong-viec/").content.decode()
    assert str(job.pk) in login(users["admin"]).get("/cong-viec/").content.decode()
    assert login(users["vanphong.ls"]).get("/api/jobs/not-a-uuid").status_code in (404, 422)


def test_a_running_page_refreshes_itself_and_shows_progress(users, login):
    job = Job.objects.create(
        kind="test.count",
        title="Đang chạy",
        status=JobStatus.RUNNING,
        done=250,
        total=1000,
        step="Đang đọc",
        created_by=users["vanphong.ls"],
        heartbeat_at=timezone.now(),
    )
    page = login(users["vanphong.ls"]).get(f"/cong-viec/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and 'value="25"' in page and "250 / 1.000 (25%)" in page


def test_a_job_whose_worker_died_runs_again_then_gives_up(users):
    CALLS.clear()
    stale = timezone.now() - services.STALE_AFTER - dt.timedelta(seconds=5)
    job = Job.objects.create(
        kind="test.count",
        title="Bị ngắt",
        status=JobStatus.RUNNING,
        attempts=1,
        params={"n": 2},
        created_by=users["vanphong.ls"],
        heartbeat_at=stale,
    )
    fresh = Job.objects.create(
        kind="test.count",
        title="Đang chạy thật",
        status=JobStatus.RUNNING,
        attempts=1,
        params={"n": 2},
        created_by=users["vanphong.ls"],
        heartbeat_at=timezone.now(),
    )
    assert services.recover_stale() == [str(job.pk)]
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and CALLS == [str(job.pk)]
    assert fresh.status == JobStatus.RUNNING  # still alive: left alone
    spent = Job.objects.create(
        kind="test.crash",
        title="Hết lượt",
        status=JobStatus.RUNNING,
        attempts=2,
        created_by=users["vanphong.ls"],
        heartbeat_at=stale,
    )
    services.recover_stale()
    spent.refresh_from_db()
    assert spent.status == JobStatus.FAILED and "2 lần" in spent.message


def test_an_administrator_starts_the_rollup_rebuild_and_others_cannot(users, login):
    from borderdesk.reporting import rollup
    from borderdesk.reporting.models import RollupValue

    before = RollupValue.objects.count()
    RollupValue.objects.all().delete()  # a drift: the roll-up lost its rows
    page = login(users["vanphong.ls"]).get("/cong-viec/").content.decode()
    assert "Tính lại số liệu tổng hợp sẵn" not in page
    assert login(users["vanphong.ls"]).post("/cong-viec/chay/reporting.rollup_rebuild/").status_code == 404
    admin = login(users["admin"])
    assert "Tính lại số liệu tổng hợp sẵn" in admin.get("/cong-viec/").content.decode()
    r = admin.post("/cong-viec/chay/reporting.rollup_rebuild/")
    assert r.status_code == 302
    job = Job.objects.get(pk=r.url.rstrip("/").rsplit("/", 1)[-1])
    assert job.status == JobStatus.DONE and "dòng tổng hợp" in job.message
    assert RollupValue.objects.count() == before > 0
    assert rollup.rebuild()["values"] == before  # the same as a rebuild from the command line


def test_a_crossing_log_job_shows_its_progress_in_megabytes_read_on_the_page_and_in_the_api(users, login):
    """Seen on the job page of a 1M-row log: "9.830.400 / 44.000.054 (22%)", numbers without a unit (bytes)."""
    from borderdesk.gates.jobs import CROSSING_LOG

    job = Job.objects.create(
        kind=CROSSING_LOG,
        title="Nhập nhật ký qua lại: log.csv",
        status=JobStatus.RUNNING,
        done=9_830_400,
        total=44_000_054,
        step="Đang đọc và kiểm tra nhật ký",
        created_by=users["baocao.huunghi"],
        heartbeat_at=timezone.now(),
    )
    client = login(users["baocao.huunghi"])
    page = client.get(f"/cong-viec/{job.pk}/").content.decode()
    assert "9,4 / 42,0 MB đã đọc (22%)" in page and "9.830.400" not in page
    answer = client.get(f"/api/jobs/{job.pk}").json()
    assert (answer["counts"], answer["done"], answer["total"]) == ("bytes", 9_830_400, 44_000_054)
    other = Job.objects.create(kind="test.count", title="x", created_by=users["baocao.huunghi"], done=1, total=5)
    assert client.get(f"/api/jobs/{other.pk}").json()["counts"] == "items"


def _speaking(job, progress):
    from django.utils.translation import gettext as _

    progress(1, 2, _("Đang ghi vào cơ sở dữ liệu"), force=True)
    return {"message": _("Đang kiểm tra từng dòng")}


def test_a_job_speaks_the_language_of_whoever_started_it(users, login):
    """Its steps and result are written by the worker: in the starter's language, as the pages they read."""
    background.register("test.speak", _speaking)
    try:
        user = users["vanphong.ls"]
        user.language = "en"
        user.save(update_fields=["language"])
        job = services.submit(user=user, kind_code="test.speak", title="Speak")
        assert job.step == "Writing to the database" and job.message == "Checking each row"
        user.language = "vi"
        user.save(update_fields=["language"])
        job = services.submit(user=user, kind_code="test.speak", title="Nói")
        assert job.step == "Đang ghi vào cơ sở dữ liệu" and job.message == "Đang kiểm tra từng dòng"
    finally:
        background.KINDS.pop("test.speak", None)
