"""The change log exported to CSV by a background job: from the page (filters kept) and the API, with the scope
of the person who asked, a file downloadable only by them, written whole or not at all."""

from __future__ import annotations

import csv
import io

import pytest

from borderdesk.jobs import exports
from borderdesk.jobs.models import Job, JobStatus
from borderdesk.org import services as org_services
from borderdesk.org.models import Committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _edits(users):
    sl, ls = Committee.objects.get(code="sl-bcdbg"), Committee.objects.get(code="ls-bcdbg")
    org_services.committee_update(user=users["vanphong.sl"], committee=sl, parent_body="UBND TỈNH SƠN LA (sửa)")
    org_services.committee_update(user=users["vanphong.ls"], committee=ls, parent_body="UBND TỈNH LẠNG SƠN (sửa)")


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_page_exports_the_filtered_log_in_a_job_and_its_owner_downloads_it(users, login, media):
    _edits(users)
    client = login(users["kiemtra.ls"])
    page = client.get("/nhat-ky/?model=org.committee").content.decode()
    assert 'action="/cong-viec/xuat-nhat-ky/"' in page and 'name="model" value="org.committee"' in page
    r = client.post("/cong-viec/xuat-nhat-ky/", {"model": "org.committee"})
    assert r.status_code == 302
    job = Job.objects.get(pk=r.url.rstrip("/").rsplit("/", 1)[-1])
    assert job.status == JobStatus.DONE and job.created_by == users["kiemtra.ls"]
    assert job.params == {"model": "org.committee"}
    detail = client.get(r.url).content.decode()
    assert "Tải tệp" in detail and "Đã xuất" in detail
    rows = _rows(b"".join(client.get(f"/cong-viec/{job.pk}/tep/").streaming_content))
    assert rows[0][:3] == ["id", rows[0][1], "user"] and rows[0][1].startswith("time (")
    assert {r[5] for r in rows[1:]} == {"org.committee"}
    text = "\n".join(",".join(r) for r in rows)
    assert "LẠNG SƠN (sửa)" in text and "SƠN LA (sửa)" not in text  # the asker's scope, not the worker's
    # the same rows as the streamed export of the same filter
    streamed = _rows(b"".join(client.get("/nhat-ky/xuat.csv?model=org.committee").streaming_content))
    assert streamed == rows
    # nobody else gets the file, and no partial file is left behind
    assert login(users["vanphong.sl"]).get(f"/cong-viec/{job.pk}/tep/").status_code == 404
    assert [p.name for p in exports.output_dir().iterdir()] == [f"{job.pk}.csv"]


def test_the_api_exports_in_a_job_with_progress_and_a_file(users, login, media):
    _edits(users)
    client = login(users["kiemtra.ls"])
    r = client.post(
        "/api/jobs/changelog-export",
        {"model": "org.committee", "date_from": "2000-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 202, r.content
    body = r.json()
    assert body["status"] == "done" and body["percent"] == 100 and body["result"]["file_name"] == "nhat-ky-thay-doi.csv"
    assert body["total"] == len(_rows(b"".join(client.get(f"/api/jobs/{body['id']}/file").streaming_content))) - 1


def test_who_cannot_audit_cannot_export_and_a_missing_file_is_404(users, login, media):
    reporter = login(users["baocao.dongdang"])
    assert reporter.post("/cong-viec/xuat-nhat-ky/", {}).status_code == 404
    assert reporter.post("/api/jobs/changelog-export", {}, content_type="application/json").status_code == 404
    assert not Job.objects.filter(kind=exports.CHANGELOG_EXPORT).exists()
    client = login(users["kiemtra.ls"])
    job = Job.objects.get(pk=client.post("/cong-viec/xuat-nhat-ky/", {}).url.rstrip("/").rsplit("/", 1)[-1])
    exports.output_path(job).unlink()
    assert client.get(f"/cong-viec/{job.pk}/tep/").status_code == 404
    assert client.get(f"/api/jobs/{job.pk}/file").status_code == 404


def test_a_job_killed_while_writing_leaves_no_file(users, media, monkeypatch):
    from borderdesk.core import changelog_display
    from borderdesk.jobs import services

    original = changelog_display.csv_rows

    def dying(queryset, **kwargs):
        for n, row in enumerate(original(queryset, **kwargs)):
            if n == 3:
                raise KeyboardInterrupt  # the worker is stopped mid-file
            yield row

    monkeypatch.setattr(exports.changelog_display, "csv_rows", dying)
    with pytest.raises(KeyboardInterrupt):
        services.submit(user=users["kiemtra.ls"], kind_code=exports.CHANGELOG_EXPORT, title="x", params={})
    assert not [p for p in exports.output_dir().iterdir() if p.suffix == ".csv"]
