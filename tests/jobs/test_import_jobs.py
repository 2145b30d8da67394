"""Report Excel, plan targets and accounts imports as background jobs (issue 14): started from the page and the
API, progress in rows, result or per-row errors on the job page, all or nothing — a job killed midway
leaves nothing written — and a safe retry. The job runs the same import as the request."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from borderdesk.accounts import bulk as accounts_bulk
from borderdesk.accounts import jobs as accounts_jobs
from borderdesk.accounts.models import User
from borderdesk.core.models import ChangeLogEntry
from borderdesk.jobs import services as job_services
from borderdesk.jobs.models import Job, JobStatus
from borderdesk.org.models import AdministrativeUnit
from borderdesk.reporting import excel, targets
from borderdesk.reporting import services as reporting_services
from borderdesk.reporting.jobs import SUBMISSION_EXCEL, TARGETS_IMPORT
from borderdesk.reporting.models import DataValue, Submission, Target
from tests.spreadsheets import xlsx_upload

pytestmark = pytest.mark.django_db
TARGET_HEADER = [
    "Mã đơn vị hành chính",
    "Đơn vị",
    "Mã chỉ tiêu",
    "Tên chỉ tiêu",
    "Đơn vị tính",
    "Kỳ kế hoạch",
    "Kế hoạch",
]
ACCOUNT_HEADER = [h for _k, h in accounts_bulk.COLUMNS]


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _xlsx(rows, name="tep.xlsx"):
    return xlsx_upload(rows, name)


def _latest() -> Job:
    return Job.objects.order_by("-created_at").first()


def _job_from(response) -> Job:
    assert response.status_code == 302 and "/cong-viec/" in response["Location"], response
    return Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def _killing(monkeypatch, module, name, at: int):
    """Replace module.name by a version that kills the worker (SystemExit) on its `at`-th call."""
    real = getattr(module, name)
    calls = {"n": 0}

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == at:
            raise SystemExit("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, dying)
    return real


def _queued(user, kind, upload, params, title="Thử") -> Job:
    """A job as submit() stores it, not yet run (the test runs it, dies, and runs it again)."""
    return Job.objects.create(
        kind=kind, title=title, created_by=user, params=params, input_path=job_services.store_input(upload)
    )


# ---------------------------------------------------------------- plan targets


def _dong_dang():
    return AdministrativeUnit.objects.filter(name="Xã Đồng Đăng").order_by("-valid_from").first()


def _target_rows(n_rows=4, bad=False):
    dd = _dong_dang()
    codes = ["PATROLS_BILATERAL", "PATROLS_UNILATERAL", "PROPAGANDA_SESSIONS", "PROPAGANDA_LISTENERS"][:n_rows]
    rows = [TARGET_HEADER] + [[dd.code, dd.name, c, "", "", "năm 2027", 100 + i] for i, c in enumerate(codes)]
    if bad:
        rows[2][6] = "một trăm"
    return rows


def test_targets_import_runs_as_a_job_from_the_page_with_progress(login, users):
    c = login(users["vanphong.ls"])
    dd = _dong_dang()
    r = c.post(
        "/bao-cao/ke-hoach/nhap/",
        {"file": _xlsx(_target_rows()), "don_vi": dd.pk, "nam": 2027, "background": "1"},
    )
    job = _job_from(r)
    assert job.kind == TARGETS_IMPORT and job.status == JobStatus.DONE, (job.message, job.errors)
    assert (job.done, job.total, job.result["saved"]) == (4, 4, 4)
    assert Target.objects.filter(unit=dd, period_key="2027").count() == 4
    page = c.get(r["Location"]).content.decode()
    assert "Đã lưu 4 kế hoạch từ tệp." in page and f"don_vi={dd.pk}" in page
    # the page offers the choice
    assert 'name="background"' in c.get(f"/bao-cao/ke-hoach/?don_vi={dd.pk}&nam=2027").content.decode()


def test_targets_import_job_from_the_api_and_its_row_errors(login, users):
    c = login(users["vanphong.ls"])
    r = c.post("/api/reporting/targets/import?background=true", {"file": _xlsx(_target_rows(bad=True))})
    assert r.status_code == 202, r.content
    job = c.get(r.json()["url"]).json()
    assert job["status"] == "failed" and job["total"] == 4
    assert [(e["line"], e["field"]) for e in job["errors"]] == [(3, "value")]
    assert "“một trăm”" in job["errors"][0]["message"]
    assert not Target.objects.filter(period_key="2027").exists()
    page = c.get(f"/cong-viec/{job['id']}/").content.decode()
    assert "Lỗi cần sửa" in page and "“một trăm”" in page
    # a reporter cannot start one
    assert login(users["baocao.dongdang"]).post(
        "/api/reporting/targets/import?background=true", {"file": _xlsx(_target_rows())}
    ).status_code in (403, 404)


def test_targets_job_killed_midway_leaves_nothing_and_its_retry_is_safe(users, monkeypatch):
    user = users["vanphong.ls"]
    log = ChangeLogEntry.objects.count()
    job = _queued(user, TARGETS_IMPORT, _xlsx(_target_rows()), {"file_name": "tep.xlsx"})
    real = _killing(monkeypatch, targets, "target_set", at=3)  # two targets written, then the worker dies
    with pytest.raises(SystemExit):
        job_services.run(str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # what a killed worker leaves behind
    assert not Target.objects.filter(period_key="2027").exists() and ChangeLogEntry.objects.count() == log
    monkeypatch.setattr(targets, "target_set", real)
    assert job_services.run(str(job.pk)) == JobStatus.DONE  # the retry (recover_stale runs it again)
    assert Target.objects.filter(period_key="2027").count() == 4
    assert job_services.run(str(job.pk)) == JobStatus.DONE  # a finished job is not run twice
    assert Target.objects.filter(period_key="2027").count() == 4


# ---------------------------------------------------------------- a report's Excel template


@pytest.fixture
def draft():
    return Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01")


def _filled(sub, value=12, bad=None) -> bytes:
    wb = load_workbook(io.BytesIO(excel.submission_xlsx(sub)))
    ws = wb[excel.DATA_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(excel.FIRST_ROW, ws.max_row + 1)}
    ws.cell(rows["PATROLS_UNILATERAL"], excel.COL_VALUE).value = value
    if bad:
        ws.cell(rows["PATROLS_BILATERAL"], excel.COL_VALUE).value = bad
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _value(sub, code="PATROLS_UNILATERAL"):
    return DataValue.objects.filter(submission=sub, indicator__code=code).values_list("value", flat=True).first()


def test_report_excel_runs_as_a_job_from_the_entry_page(login, users, draft):
    c = login(users["baocao.dongdang"])
    assert 'name="background"' in c.get(f"/bao-cao/nhap/{draft.pk}/").content.decode()
    r = c.post(
        f"/bao-cao/nhap/{draft.pk}/excel/nop/",
        {"file": SimpleUploadedFile("bc.xlsx", _filled(draft, 17)), "background": "1"},
    )
    job = _job_from(r)
    assert job.kind == SUBMISSION_EXCEL and job.status == JobStatus.DONE, (job.message, job.errors)
    assert job.total and job.done == job.total and job.total >= 10  # one step per indicator row
    assert _value(draft) == 17
    page = c.get(r["Location"]).content.decode()
    assert "Đã nhập số liệu từ tệp Excel." in page and f"/bao-cao/nhap/{draft.pk}/" in page


def test_report_excel_api_in_the_request_and_in_the_background(login, users, draft):
    c = login(users["baocao.dongdang"])
    template = c.get(f"/api/reporting/submissions/{draft.pk}/excel")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    r = c.post(
        f"/api/reporting/submissions/{draft.pk}/excel", {"file": SimpleUploadedFile("bc.xlsx", _filled(draft, 21))}
    )
    assert r.status_code == 200 and r.json()["id"] == draft.pk, r.content
    assert _value(draft) == 21
    draft.refresh_from_db()
    r = c.post(
        f"/api/reporting/submissions/{draft.pk}/excel?background=true",
        {"file": SimpleUploadedFile("bc.xlsx", _filled(draft, 9, bad="nhiều"))},
    )
    assert r.status_code == 202, r.content
    job = c.get(r.json()["url"]).json()
    assert job["status"] == "failed" and job["errors"], job
    assert any("Số liệu!D" in e["field"] and isinstance(e["line"], int) for e in job["errors"]), job["errors"]
    assert _value(draft) == 21  # nothing of the refused file was saved
    # someone who may not edit the report is refused before a job is queued
    jobs = Job.objects.count()
    other = login(users["baocao.quockhanh"]).post(
        f"/api/reporting/submissions/{draft.pk}/excel?background=true",
        {"file": SimpleUploadedFile("bc.xlsx", _filled(draft, 9))},
    )
    assert other.status_code == 404 and Job.objects.count() == jobs


def test_report_excel_job_killed_midway_leaves_nothing_and_its_retry_is_safe(users, draft, monkeypatch):
    user = users["baocao.dongdang"]
    before = list(DataValue.objects.filter(submission=draft).values_list("indicator__code", "value", "qualifier"))
    version = draft.version
    job = _queued(user, SUBMISSION_EXCEL, SimpleUploadedFile("bc.xlsx", _filled(draft, 33)), {"submission": draft.pk})
    # the values are written, then the worker dies before the change log
    real = _killing(monkeypatch, reporting_services, "record_change", at=1)
    with pytest.raises(SystemExit):
        job_services.run(str(job.pk))
    draft.refresh_from_db()
    assert draft.version == version
    assert (
        list(DataValue.objects.filter(submission=draft).values_list("indicator__code", "value", "qualifier")) == before
    )
    monkeypatch.setattr(reporting_services, "record_change", real)
    assert job_services.run(str(job.pk)) == JobStatus.DONE
    assert _value(draft) == 33


# ---------------------------------------------------------------- accounts


def _account_rows(n=3, bad=False):
    rows = [ACCOUNT_HEADER] + [
        [f"baocao.nen{i}", f"Người {i}", "", "Cán bộ báo cáo", "", "Xã Quốc Khánh", "", "", "", ""] for i in range(n)
    ]
    if bad:
        rows[2][3] = "Thủ trưởng"
    return rows


def test_accounts_bulk_runs_as_a_job_and_the_passwords_download_once(login, users):
    c = login(users["vanphong.ls"])
    r = c.post("/tai-khoan/nguoi-dung/tao-hang-loat/", {"file": _xlsx(_account_rows()), "background": "on"})
    job = _job_from(r)
    assert job.kind == accounts_jobs.BULK_CREATE and job.status == JobStatus.DONE, (job.message, job.errors)
    assert (job.done, job.total) == (3, 3) and job.result["created"] == ["baocao.nen0", "baocao.nen1", "baocao.nen2"]
    assert "temporary" not in str(job.result) and "password" not in job.result  # not kept in the database
    page = c.get(r["Location"]).content.decode()
    assert "Đã tạo 3 tài khoản" in page and "Tải tệp" in page
    download = c.get(f"/cong-viec/{job.pk}/tep/")
    assert download.status_code == 200
    lines = download.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Tên đăng nhập,Mật khẩu tạm" and len(lines) == 4
    name, password = lines[1].split(",")
    account = User.objects.get(username=name)
    assert account.check_password(password) and account.must_change_password
    assert c.get(f"/cong-viec/{job.pk}/tep/").status_code == 404  # handed over once
    assert c.get(f"/api/jobs/{job.pk}/file").status_code == 404


def test_accounts_bulk_job_from_the_api_names_the_bad_rows(login, users):
    c = login(users["vanphong.ls"])
    before = User.objects.count()
    r = c.post("/api/accounts/users/bulk?background=true", {"file": _xlsx(_account_rows(bad=True))})
    assert r.status_code == 202, r.content
    job = c.get(r.json()["url"]).json()
    assert job["status"] == "failed" and [e["line"] for e in job["errors"]] == [3]
    assert "“Thủ trưởng”" in job["errors"][0]["message"] and job["errors"][0]["field"] == "role"
    assert User.objects.count() == before
    # a reporter cannot create accounts, in the background either
    r = login(users["baocao.dongdang"]).post(
        "/api/accounts/users/bulk?background=true", {"file": _xlsx(_account_rows())}
    )
    assert r.status_code in (403, 404)


def test_accounts_job_killed_midway_leaves_nothing_and_its_retry_is_safe(users, monkeypatch, media):
    from borderdesk.accounts import services as account_services
    from borderdesk.core import background

    user = users["vanphong.ls"]
    before, log = User.objects.count(), ChangeLogEntry.objects.count()
    job = _queued(user, accounts_jobs.BULK_CREATE, _xlsx(_account_rows()), {"file_name": "tep.xlsx"})
    real = _killing(monkeypatch, account_services, "user_create", at=3)  # two accounts made, then killed
    with pytest.raises(SystemExit):
        job_services.run(str(job.pk))
    assert User.objects.count() == before and ChangeLogEntry.objects.count() == log
    assert not list(background.output_dir().iterdir())  # no file of passwords for accounts that do not exist
    monkeypatch.setattr(account_services, "user_create", real)
    assert job_services.run(str(job.pk)) == JobStatus.DONE
    assert User.objects.filter(username__startswith="baocao.nen").count() == 3
    assert [p.name for p in background.output_dir().iterdir()] == [f"{job.pk}.csv"]


def test_accounts_job_killed_after_its_commit_is_not_run_twice(users, media):
    from borderdesk.core import background

    user = users["vanphong.ls"]
    job = _queued(user, accounts_jobs.BULK_CREATE, _xlsx(_account_rows()), {"file_name": "tep.xlsx"})
    path = job.input_path
    assert job_services.run(str(job.pk)) == JobStatus.DONE
    first = (background.output_dir() / f"{job.pk}.csv").read_text(encoding="utf-8-sig")
    # The worker died after the accounts' transaction committed, before the job was marked done.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, input_path=path)
    open(path, "wb").write(b"")  # the retry must not need the file again
    assert job_services.run(str(job.pk)) == JobStatus.DONE
    job.refresh_from_db()
    assert job.result["created"] == ["baocao.nen0", "baocao.nen1", "baocao.nen2"]
    assert (background.output_dir() / f"{job.pk}.csv").read_text(encoding="utf-8-sig") == first  # same passwords
    assert User.objects.filter(username__startswith="baocao.nen").count() == 3


# ---------------------------------------------------------------- the roll-up rebuild from the API


def test_an_administrator_starts_the_rollup_rebuild_from_the_api(login, users):
    r = login(users["admin"]).post("/api/jobs/maintenance/reporting.rollup_rebuild")
    assert r.status_code == 202 and r.json()["status"] == "done", r.content
    assert "Đã tính lại" in r.json()["message"]
    assert login(users["vanphong.ls"]).post("/api/jobs/maintenance/reporting.rollup_rebuild").status_code == 404
    assert login(users["admin"]).post("/api/jobs/maintenance/jobs.registry_import").status_code == 404
