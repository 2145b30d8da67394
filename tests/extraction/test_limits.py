"""Oversized uploads and pastes get BorderDesk's own message (page and API), never Django's bare 400."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings

from borderdesk.extraction.models import SourceDocument

from .test_review import SEED, dong_dang  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

PAGE = "/trich-xuat/tai-len/"
API = "/api/extraction/documents"


def _csrf_client(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(PAGE)
    return client, client.cookies["csrftoken"].value


def test_paste_over_django_limit_gets_the_app_message_on_the_page(users, dong_dang):  # noqa: F811
    """11 MB of pasted text: over Django's 10 MB form-field limit, under the 20 MB file limit."""
    client, token = _csrf_client(users["baocao.dongdang"])
    text = (SEED + "\n") * (11 * 1024 * 1024 // len(SEED.encode()) + 1)
    response = client.post(PAGE, {"csrfmiddlewaretoken": token, "owner": f"u{dong_dang.pk}", "text": text})
    html = response.content.decode()
    assert response.status_code == 413
    assert "Văn bản dán vào quá lớn" in html and "10 MB" in html and "20 MB" in html
    assert "<form" in html  # the upload form again, not Django's error page
    assert not SourceDocument.objects.exists()


@override_settings(BORDERDESK_MAX_UPLOAD_BYTES=200_000, DATA_UPLOAD_MAX_MEMORY_SIZE=50_000)
def test_body_over_the_file_limit_is_refused_before_parsing(users, dong_dang):  # noqa: F811
    client, token = _csrf_client(users["baocao.dongdang"])
    big = b"x" * 1_000_000
    response = client.post(
        PAGE,
        {
            "csrfmiddlewaretoken": token,
            "owner": f"u{dong_dang.pk}",
            "text": "",
            "file": SimpleUploadedFile("lon.txt", big),
        },
    )
    html = response.content.decode()
    assert response.status_code == 413
    assert "Nội dung gửi lên quá lớn (1 MB)" in html and "tệp đến 0,2 MB" in html
    pasted = client.post(PAGE, {"csrfmiddlewaretoken": token, "owner": f"u{dong_dang.pk}", "text": "y" * 100_000})
    assert pasted.status_code == 413 and "Văn bản dán vào quá lớn" in pasted.content.decode()
    assert not SourceDocument.objects.exists()


def test_csrf_is_still_enforced_on_the_upload_page(users, dong_dang):  # noqa: F811
    client, _token = _csrf_client(users["baocao.dongdang"])
    response = client.post(PAGE, {"owner": f"u{dong_dang.pk}", "text": SEED})
    assert response.status_code == 403
    assert not SourceDocument.objects.exists()


def test_small_paste_still_works_with_csrf(users, dong_dang):  # noqa: F811
    client, token = _csrf_client(users["baocao.dongdang"])
    response = client.post(PAGE, {"csrfmiddlewaretoken": token, "owner": f"u{dong_dang.pk}", "text": SEED})
    assert response.status_code == 302
    assert SourceDocument.objects.count() == 1


def test_api_paste_over_django_limit_is_json_413(login, users, dong_dang):  # noqa: F811
    client = login(users["baocao.dongdang"])
    text = "a" * (10 * 1024 * 1024 + 10)
    response = client.post(API, {"unit_id": dong_dang.pk, "text": text})
    assert response.status_code == 413
    body = response.json()
    assert body["error"] == "too_large" and "Văn bản dán vào quá lớn" in body["message"]
    assert not SourceDocument.objects.exists()


@override_settings(BORDERDESK_MAX_UPLOAD_BYTES=200_000)
def test_api_body_over_the_file_limit_is_json_413(login, users, dong_dang):  # noqa: F811
    client = login(users["baocao.dongdang"])
    response = client.post(API, {"unit_id": dong_dang.pk, "file": SimpleUploadedFile("lon.txt", b"x" * 1_000_000)})
    assert response.status_code == 413
    assert response.json()["error"] == "too_large" and "quá lớn (1 MB)" in response.json()["message"]
    ok = client.post(API, {"unit_id": dong_dang.pk, "text": SEED})
    assert ok.status_code == 201
