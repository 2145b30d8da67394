"""Deleting outreach records: confirmation page, 409 for a programme with beneficiaries, API, scope."""

import pytest
from django.urls import reverse

from borderdesk.core.models import ChangeLogEntry
from borderdesk.outreach.models import Beneficiary, Programme, PropagandaSession
from borderdesk.outreach.registries import ALL

from .test_outreach import make_data

pytestmark = pytest.mark.django_db
API = {
    "tuyen-truyen": "sessions",
    "cam-ket": "commitments",
    "chuong-trinh": "programmes",
    "nguoi-duoc-ho-tro": "beneficiaries",
}


def test_every_registry_has_a_delete_page_and_endpoint(client, users):
    client.force_login(users["vanphong.ls"])
    schema = client.get("/api/openapi.json").json()["paths"]
    for registry in ALL:
        assert reverse(registry.url_name("delete"), args=[1]).endswith("/xoa/")
        assert "delete" in schema[f"/api/outreach/{API[registry.slug]}/{{pk}}"]


def test_session_deleted_from_the_page_and_logged(client, users):
    session = make_data(users)["session"]
    client.force_login(users["vanphong.ls"])
    page = client.get(reverse("outreach:tuyen-truyen_delete", args=[session.pk]))
    assert page.status_code == 200 and "Xóa vĩnh viễn" in page.content.decode()
    r = client.post(reverse("outreach:tuyen-truyen_delete", args=[session.pk]), {"reason": "Trùng"})
    assert r.status_code == 302 and not PropagandaSession.objects.filter(pk=session.pk).exists()
    entry = ChangeLogEntry.objects.get(
        content_type__model="propagandasession", object_id=str(session.pk), action="delete"
    )
    assert entry.before["listeners"] == 120 and entry.reason == "Trùng"


def test_programme_with_beneficiaries_is_protected(client, users):
    programme = make_data(users)["programme"]
    client.force_login(users["vanphong.ls"])
    r = client.delete(f"/api/outreach/programmes/{programme.pk}")
    assert r.status_code == 409 and r.json()["error"] == "protected"
    assert "Không thể xóa" in client.get(reverse("outreach:chuong-trinh_delete", args=[programme.pk])).content.decode()
    for b in Beneficiary.objects.filter(programme=programme):
        assert client.delete(f"/api/outreach/beneficiaries/{b.pk}").status_code == 204
    assert client.delete(f"/api/outreach/programmes/{programme.pk}").status_code == 204
    assert not Programme.objects.filter(pk=programme.pk).exists()


def test_other_province_and_read_only_get_404(client, users):
    session = make_data(users)["session"]
    for name in ("vanphong.sl", "lanhdao.ls"):
        client.force_login(users[name])
        assert client.delete(f"/api/outreach/sessions/{session.pk}").status_code == 404
        assert client.post(reverse("outreach:tuyen-truyen_delete", args=[session.pk])).status_code == 404
    assert PropagandaSession.objects.filter(pk=session.pk).exists()
