"""Drafting many committees' reports for one period in a background job: from the page and the API, only
committees in the user's scope, all or nothing."""

from __future__ import annotations

import pytest

from borderdesk.documents import jobs as doc_jobs
from borderdesk.documents.models import ReportDraft
from borderdesk.jobs.models import Job, JobStatus
from borderdesk.org.models import Committee

pytestmark = pytest.mark.django_db


def _job(response) -> Job:
    return Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def test_an_administrator_drafts_every_province_in_one_job(users, login):
    client = login(users["admin"])
    committees = list(Committee.objects.filter(code__in=["ls-bcdbg", "sl-bcdbg"]).order_by("pk"))
    page = client.get("/van-ban/").content.decode()
    assert 'action="/van-ban/soan-nhieu/"' in page and "Soạn cùng lúc cho nhiều ban chỉ đạo" in page
    before = ReportDraft.objects.count()
    r = client.post(
        "/van-ban/soan-nhieu/", {"committee": [c.pk for c in committees], "period": "2025", "date": "15/12/2025"}
    )
    job = _job(r)
    assert job.status == JobStatus.DONE, (job.message, job.errors)
    assert "Đã soạn 2 dự thảo" in job.message and job.result["url"] == "/van-ban/?ky=2025"
    drafts = ReportDraft.objects.filter(pk__in=job.result["drafts"])
    assert {d.committee_id for d in drafts} == {c.pk for c in committees} and ReportDraft.objects.count() == before + 2
    assert all(d.period_key == "2025" and d.report_date.isoformat() == "2025-12-15" for d in drafts)
    listed = client.get("/van-ban/?ky=2025").content.decode()
    assert all(c.name in listed for c in committees)


def test_the_api_starts_it_for_every_committee_in_scope(users, login):
    client = login(users["admin"])
    r = client.post(
        "/api/documents/drafts/batch",
        {"period": "2026H1", "report_date": "2026-06-20"},
        content_type="application/json",
    )
    assert r.status_code == 202, r.content
    job = Job.objects.get(pk=r.json()["job_id"])
    assert job.status == JobStatus.DONE and len(job.result["drafts"]) == Committee.objects.count()
    assert client.get(r.json()["url"]).json()["result"]["drafts"] == job.result["drafts"]


def test_outside_the_scope_nothing_is_started(users, login):
    office = login(users["vanphong.ls"])
    sl = Committee.objects.get(code="sl-bcdbg")
    r = office.post(
        "/api/documents/drafts/batch",
        {"committee_ids": [sl.pk], "period": "2025", "report_date": "2025-12-15"},
        content_type="application/json",
    )
    assert r.status_code == 404
    r = office.post("/van-ban/soan-nhieu/", {"committee": [sl.pk], "period": "2025"})
    assert r.status_code == 302 and r.url == "/van-ban/"
    assert not Job.objects.filter(kind=doc_jobs.DRAFT_MANY).exists()
    assert office.post(
        "/api/documents/drafts/batch",
        {"period": "2025Q9", "report_date": "2025-12-15"},
        content_type="application/json",
    ).status_code in (400, 422)


def test_one_refusal_writes_no_draft(users, login, monkeypatch):
    from borderdesk.core.errors import ApplicationError
    from borderdesk.documents import services

    original = services.draft_create

    def refuse_son_la(**kwargs):
        if kwargs["committee"].code == "sl-bcdbg":
            raise ApplicationError("Mẫu đề cương chưa có nội dung.")
        return original(**kwargs)

    monkeypatch.setattr(services, "draft_create", refuse_son_la)
    before = ReportDraft.objects.count()
    committees = Committee.objects.filter(code__in=["ls-bcdbg", "sl-bcdbg"])
    job = _job(
        login(users["admin"]).post("/van-ban/soan-nhieu/", {"committee": [c.pk for c in committees], "period": "2025"})
    )
    assert job.status == JobStatus.FAILED and "chưa có dự thảo nào được ghi" in job.message
    assert [e["field"] for e in job.errors] == [Committee.objects.get(code="sl-bcdbg").name]
    assert ReportDraft.objects.count() == before
