"""Attachments of a submission: pages and API, type and size checks, scope, change log, locked when approved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from borderdesk.core.errors import ApplicationError
from borderdesk.core.models import ChangeLogEntry
from borderdesk.reporting import services, workflow
from borderdesk.reporting.models import Attachment, ReportForm, Submission

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def draft(users, unit):
    form = ReportForm.objects.get(code="bc-xa-thang")
    return services.submission_create(
        user=users["baocao.dongdang"], form=form, period_key="2026M05", unit=unit("Xã Đồng Đăng")
    )


def test_page_upload_download_delete(client, users, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(users["baocao.dongdang"])
    page = client.get(f"/bao-cao/nhap/{draft.pk}/")
    assert "Tệp đính kèm" in page.content.decode()
    resp = client.post(
        f"/bao-cao/nhap/{draft.pk}/dinh-kem/",
        {"file": SimpleUploadedFile("ban-ky.pdf", PDF, "application/pdf"), "title": "Bản ký số"},
    )
    assert resp.status_code == 302
    att = Attachment.objects.get(submission=draft)
    assert att.title == "Bản ký số"
    page = client.get(f"/bao-cao/nhap/{draft.pk}/").content.decode()
    assert "Bản ký số" in page
    got = client.get(f"/bao-cao/dinh-kem/{att.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert "attachment" in got["Content-Disposition"]
    log = ChangeLogEntry.objects.filter(object_id=str(draft.pk), action="attach").get()
    assert log.after["title"] == "Bản ký số"
    assert client.post(f"/bao-cao/dinh-kem/{att.pk}/xoa/").status_code == 302
    assert not Attachment.objects.filter(pk=att.pk).exists()
    assert ChangeLogEntry.objects.filter(object_id=str(draft.pk), action="detach").exists()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("virus.exe", b"MZ\x90\x00", "chỉ nhận PDF"),
        ("renamed.pdf", b"PK\x03\x04not a pdf", "không đúng với đuôi tệp"),
        ("rong.pdf", b"", "không đúng với đuôi tệp"),
    ],
)
def test_bad_files_are_refused_and_nothing_saved(users, draft, name, content, message, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ApplicationError, match=message):
        services.attachment_add(user=users["baocao.dongdang"], submission=draft, file=upload)
    assert not Attachment.objects.filter(submission=draft).exists()


def test_too_large_file_refused(users, draft, settings, tmp_path):
    # (the settings fixture, not @override_settings: mixing both leaks the override into later tests)
    settings.MEDIA_ROOT = tmp_path
    settings.BORDERDESK_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)
    with pytest.raises(ApplicationError, match="quá lớn"):
        services.attachment_add(user=users["baocao.dongdang"], submission=draft, file=big)


def test_api_attachments_and_locking(client, users, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(users["baocao.dongdang"])
    url = f"/api/reporting/submissions/{draft.pk}/attachments"
    resp = client.post(url, {"file": SimpleUploadedFile("phu-luc.pdf", PDF), "title": "Phụ lục"})
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["title"] == "Phụ lục" and body["bytes"] == len(PDF) and body["file_name"].endswith(".pdf")
    listed = client.get(url).json()
    assert [a["id"] for a in listed] == [body["id"]]
    got = client.get(body["url"])
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    bad = client.post(url, {"file": SimpleUploadedFile("a.png", b"not png")})
    assert bad.status_code == 400 and "không đúng" in bad.json()["message"]
    # Another commune's reporter sees nothing.
    other = users["baocao.quockhanh"]
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(body["url"]).status_code == 404
    assert client.delete(f"/api/reporting/attachments/{body['id']}").status_code == 404
    # Once submitted the report is locked: no new or removed attachments.
    client.force_login(users["baocao.dongdang"])
    services.submission_save(
        user=users["baocao.dongdang"], submission=draft, values={"PROPAGANDA_SESSIONS": {"value": "3"}}
    )
    workflow.submission_submit(user=users["baocao.dongdang"], submission=Submission.objects.get(pk=draft.pk))
    locked = client.post(url, {"file": SimpleUploadedFile("b.pdf", PDF)})
    assert locked.status_code == 400
    assert client.delete(f"/api/reporting/attachments/{body['id']}").status_code == 400
    client.force_login(users["baocao.dongdang"])
    assert Attachment.objects.filter(submission=draft).count() == 1
