"""PDF export: works through LibreOffice when it is installed; says so when it is not."""

import pytest

from borderdesk.documents.pdf import libreoffice_available

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(not libreoffice_available(), reason="LibreOffice not installed")
def test_pdf_download_through_libreoffice(client, users, draft_2025):
    client.force_login(users["vanphong.ls"])
    html = client.get(f"/van-ban/du-thao/{draft_2025.pk}/").content.decode()
    assert f"/van-ban/du-thao/{draft_2025.pk}/pdf/" in html
    r = client.get(f"/van-ban/du-thao/{draft_2025.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")


def test_pdf_link_without_libreoffice_explains(client, users, draft_2025, monkeypatch):
    monkeypatch.setattr("borderdesk.documents.pdf.soffice_path", lambda: None)
    client.force_login(users["vanphong.ls"])
    r = client.get(f"/van-ban/du-thao/{draft_2025.pk}/pdf/", follow=True)
    assert "Máy chủ chưa cài LibreOffice" in r.content.decode()
    api = client.get(f"/api/documents/drafts/{draft_2025.pk}/docx").json()
    assert api["pdf_available"] is False
