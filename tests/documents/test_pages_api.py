import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.coordination.models import Conference, Task
from borderdesk.documents.models import ReportTemplate
from borderdesk.org.models import Committee

pytestmark = pytest.mark.django_db


def test_coordination_and_document_pages_render(client, users, draft_2025):
    client.force_login(users["vanphong.ls"])
    conf = Conference.objects.get(date=dt.date(2025, 12, 31))
    task = Task.objects.filter(directive__conference=conf).first()
    for url in [
        "/hoi-nghi/?ngay=25/01/2026",
        f"/hoi-nghi/hoi-nghi/{conf.pk}/",
        "/hoi-nghi/nhiem-vu/",
        f"/hoi-nghi/nhiem-vu/{task.pk}/",
        "/hoi-nghi/khen-thuong/",
        "/hoi-nghi/quy-che/",
        "/van-ban/",
        f"/van-ban/du-thao/{draft_2025.pk}/",
        f"/van-ban/mau/{ReportTemplate.objects.first().pk}/",
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
    html = client.get(f"/van-ban/du-thao/{draft_2025.pk}/").content.decode()
    assert "183 triệu USD" in html and "Lạng Sơn, ngày 05 tháng 01 năm 2026" in html
    r = client.get(f"/van-ban/du-thao/{draft_2025.pk}/docx/")
    assert r["Content-Type"].endswith("wordprocessingml.document") and r.content[:2] == b"PK"


def test_pdf_button_disabled_without_libreoffice(client, users, draft_2025, monkeypatch):
    monkeypatch.setattr("borderdesk.documents.views.libreoffice_available", lambda: False)
    client.force_login(users["vanphong.ls"])
    html = client.get(f"/van-ban/du-thao/{draft_2025.pk}/").content.decode()
    assert "chưa cài LibreOffice" in html and "disabled" in html


def test_other_province_gets_404(client, users, draft_2025):
    client.force_login(users["vanphong.sl"])
    assert client.get(f"/van-ban/du-thao/{draft_2025.pk}/").status_code == 404
    assert client.get(f"/api/documents/drafts/{draft_2025.pk}/docx").status_code == 404


def test_api_draft_and_errors(client, users):
    client.force_login(users["vanphong.ls"])
    c = Committee.objects.get(code="ls-bcdbg")
    r = client.post(
        "/api/documents/drafts",
        {"committee_id": c.pk, "period": "2025", "report_date": "2026-01-05"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    r = client.post(
        "/api/documents/drafts",
        {"committee_id": c.pk, "period": "x", "report_date": "2026-01-05"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "Kỳ báo cáo" in r.json()["message"]
    t = ReportTemplate.objects.get(code="annual")
    r = client.post(
        f"/api/documents/templates/{t.pk}/versions",
        {"summary": "x", "body": "Mẫu mới"},
        content_type="application/json",
    )
    assert r.status_code == 404  # the national outline is the administrator's (core.permissions.REFERENCE)
    client.force_login(users["admin"])
    r = client.post(
        f"/api/documents/templates/{t.pk}/versions",
        {"summary": "x", "body": "{{ f.NOPE.full }}"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_template"


def test_api_task_deadline_before_conference(client, users):
    client.force_login(users["vanphong.ls"])
    conf = Conference.objects.get(date=dt.date(2025, 12, 31))
    d = conf.directives.first()
    owner = Task.objects.filter(directive__conference=conf).first().owner
    r = client.post(
        "/api/coordination/tasks",
        {"directive_id": d.pk, "title": "X", "owner_id": owner.pk, "deadline": "2025-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "trước ngày hội nghị" in r.json()["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/coordination/tasks",
        "/api/coordination/conferences",
        "/api/coordination/agreements",
        "/api/documents/drafts",
    ],
)
def test_list_endpoints_bounded_queries(client, users, url):
    client.force_login(users["admin"])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url + "?page_size=5").status_code == 200
    with CaptureQueriesContext(connection) as big:
        assert client.get(url + "?page_size=500").status_code == 200
    assert len(big) <= len(small) + 1


def test_the_drafting_form_names_committees_by_name_and_place_not_code(client, users):
    client.force_login(users["admin"])
    html = client.get("/van-ban/").content.decode()
    for c in Committee.objects.all():
        assert f"({c.code})" not in html, c.code
    ls = Committee.objects.get(code="ls-bcdbg")
    assert f">{ls.name} ({ls.place_name})</option>" in html or f">{ls.name}</option>" in html
