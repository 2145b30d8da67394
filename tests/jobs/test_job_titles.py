"""A job's title is shown in the reader's language, whoever started it and in whatever language: the job keeps the
catalogue's text and its parameters, not a translation made when it was created."""

from __future__ import annotations

import pytest
from django.utils import translation
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from borderdesk.jobs.models import Job

pytestmark = pytest.mark.django_db


def _h1(client, job) -> str:
    return HTMLParser(client.get(f"/cong-viec/{job.pk}/").content.decode()).css_first("h1").text().strip()


def _listed(client) -> str:
    return HTMLParser(client.get("/cong-viec/").content.decode()).css_first("main table").text()


def test_a_job_started_in_english_reads_vietnamese_to_a_vietnamese_reader(client, users):
    admin = users["admin"]
    client.force_login(admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.post("/cong-viec/xuat-nhat-ky/", {}).status_code == 302
    job = Job.objects.order_by("-created_at").first()
    assert _h1(client, job) == "Export the change log (CSV)"
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert _h1(client, job) == "Xuất nhật ký thay đổi (CSV)"
    assert "Xuất nhật ký thay đổi (CSV)" in _listed(client) and "Export" not in _listed(client)
    # the API answers in the caller's language too
    assert client.get(f"/api/jobs/{job.pk}").json()["title"] == "Xuất nhật ký thay đổi (CSV)"


def test_a_title_with_parameters_and_a_translated_name(client, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from borderdesk.reporting.jobs import submit_targets_import

    office = users["vanphong.ls"]
    with translation.override("en"):
        job = submit_targets_import(user=office, uploaded=SimpleUploadedFile("kh.csv", b"a;b\n"), back_url="/")
    client.force_login(office)
    assert _h1(client, job) == "Nhập kế hoạch từ tệp kh.csv"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert _h1(client, job) == "Import plans from the file kh.csv"


def test_an_older_job_keeps_the_title_it_was_stored_with(client, users):
    """Rows written before titles were kept as the catalogue's text show the text they were stored with."""
    admin = users["admin"]
    job = Job.objects.create(kind="jobs.changelog_export", title="Export the change log (CSV)", created_by=admin)
    client.force_login(admin)
    assert _h1(client, job) == "Export the change log (CSV)"


def test_the_change_log_shows_a_jobs_title_as_its_sentence_not_its_keys(client, users):
    """The change-log entry of a job showed its stored title as "title_text › msgid — %(job)s (…)" (found by a walk
    of the pages as the administrator)."""
    from borderdesk.core.models import ChangeLogEntry

    admin = users["admin"]
    client.force_login(admin)
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert client.post("/cong-viec/xuat-nhat-ky/", {}).status_code == 302
    job = Job.objects.order_by("-created_at").first()
    entry = ChangeLogEntry.objects.filter(content_type__model="job", object_id=str(job.pk)).order_by("-pk").first()
    assert entry is not None and "title_text" in (entry.after or {})
    page = HTMLParser(client.get(f"/nhat-ky/{entry.pk}/").content.decode()).css_first("main").text()
    assert "msgid" not in page and "%(" not in page and "title_text" not in page
    assert "Xuất nhật ký thay đổi (CSV)" in page
