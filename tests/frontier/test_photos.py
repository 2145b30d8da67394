"""Inspection photos: uploaded from the inspection page (JPEG/PNG/WEBP by content, size-capped, logged),
shown on the page and served through the application to users in scope only."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from borderdesk.core.models import ChangeLogEntry
from borderdesk.frontier import forms
from borderdesk.frontier.models import InspectionPhoto

pytestmark = pytest.mark.django_db
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="
)


@pytest.fixture(autouse=True)
def media(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


@pytest.fixture
def inspection(save, world):
    return save(
        forms.MarkerInspectionForm,
        {"marker": world["markers"]["T900"].pk, "inspected_on": "2026-01-05", "team": "Tổ 1", "state": "damaged"},
    )


def _upload(client, inspection, name, body, caption="Mặt bắc của mốc"):
    return client.post(
        f"/bien-gioi/kiem-tra-moc/{inspection.pk}/anh/",
        {"file": SimpleUploadedFile(name, body), "caption": caption},
        follow=True,
    )


def test_upload_show_and_serve_in_scope(client, users, inspection):
    client.force_login(users["vanphong.ls"])
    r = _upload(client, inspection, "moc.png", PNG)
    assert r.status_code == 200 and "Đã tải ảnh lên." in r.content.decode()
    photo = InspectionPhoto.objects.get(inspection=inspection)
    assert ChangeLogEntry.objects.filter(
        content_type__model="markerinspection", object_id=str(inspection.pk), action="add_photo"
    ).exists()
    url = f"/bien-gioi/anh-kiem-tra/{photo.pk}/"
    page = client.get(f"/bien-gioi/kiem-tra-moc/{inspection.pk}/").content.decode()
    assert f'src="{url}"' in page and "Mặt bắc của mốc" in page and "/media/" not in page
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PNG
    client.force_login(users["lanhdao.ls"])  # read-only in the province: sees it
    assert client.get(url).status_code == 200
    client.force_login(users["vanphong.sl"])  # another province: 404
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name,body", [("moc.png", b"%PDF-1.4 not a photo"), ("moc.pdf", PNG), ("moc", PNG)])
def test_not_a_photo_is_refused_and_nothing_saved(client, users, inspection, name, body):
    client.force_login(users["vanphong.ls"])
    r = _upload(client, inspection, name, body)
    assert r.status_code == 200 and "Chỉ nhận ảnh JPG, PNG hoặc WEBP" in r.content.decode()
    assert not InspectionPhoto.objects.filter(inspection=inspection).exists()


def test_too_large_is_refused(client, users, inspection, settings):
    settings.BORDERDESK_MAX_UPLOAD_BYTES = 50
    client.force_login(users["vanphong.ls"])
    r = _upload(client, inspection, "moc.png", PNG + b"\0" * 100)
    assert "quá lớn" in r.content.decode()
    assert not InspectionPhoto.objects.exists()


def test_read_only_and_other_province_cannot_upload(client, users, inspection):
    for name in ("lanhdao.ls", "vanphong.sl"):
        client.force_login(users[name])
        r = client.post(f"/bien-gioi/kiem-tra-moc/{inspection.pk}/anh/", {"file": SimpleUploadedFile("a.png", PNG)})
        assert r.status_code == 404
    assert not InspectionPhoto.objects.exists()
