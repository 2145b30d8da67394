"""Deleting frontier registry records: confirmation page, scope, 409 when protected, change log, API."""

import pytest
from django.urls import reverse

from borderdesk.core.models import ChangeLogEntry
from borderdesk.frontier import forms, services
from borderdesk.frontier.models import Incident, IncidentCategory, IncidentUpdate, Marker, MarkerInspection
from borderdesk.frontier.registries import ALL

from .conftest import aware

pytestmark = pytest.mark.django_db

API_PATHS = {
    "doan": "sections",
    "moc": "markers",
    "kiem-tra-moc": "inspections",
    "duong": "roads",
    "tuan-tra": "patrols",
    "vu-viec": "incidents",
    "tu-quan": "self-management",
}


def _log(obj, action="delete"):
    return ChangeLogEntry.objects.filter(content_type__model=obj._meta.model_name, object_id=str(obj.pk), action=action)


def _incident(save, world, title="Vượt biên trái phép"):
    cat = IncidentCategory.objects.get(code="illegal_crossing")
    return save(
        forms.IncidentForm,
        {
            "title": title,
            "category": cat.pk,
            "occurred_at": aware(2025, 3, 1).strftime("%Y-%m-%d %H:%M"),
            "marker": world["markers"]["T900"].pk,
            "persons_involved": 1,
            "vehicles_involved": 0,
        },
    )


def test_every_registry_has_a_delete_page_and_endpoint(client, users):
    client.force_login(users["vanphong.ls"])
    schema = client.get("/api/openapi.json").json()["paths"]
    for registry in ALL:
        assert reverse(registry.url_name("delete"), args=[1]).endswith("/xoa/")
        assert "delete" in schema[f"/api/frontier/{API_PATHS[registry.slug]}/{{pk}}"]


def test_confirm_then_delete_from_the_page(client, users, world):
    marker = world["markers"]["T902/2"]
    client.force_login(users["vanphong.ls"])
    detail = client.get(reverse("frontier:moc_detail", args=[marker.pk])).content.decode()
    assert reverse("frontier:moc_delete", args=[marker.pk]) in detail
    page = client.get(reverse("frontier:moc_delete", args=[marker.pk]))
    assert page.status_code == 200 and "Xóa vĩnh viễn" in page.content.decode()
    r = client.post(
        reverse("frontier:moc_delete", args=[marker.pk]), {"_version": marker.version, "reason": "Nhập trùng"}
    )
    assert r.status_code == 302 and r["Location"] == reverse("frontier:moc_list")
    assert not Marker.objects.filter(pk=marker.pk).exists()
    entry = _log(marker).get()
    assert entry.before["number"] == "T902/2" and entry.after is None and entry.reason == "Nhập trùng"
    assert entry.user == users["vanphong.ls"]


def test_protected_marker_answers_409_and_stays(client, users, world, save):
    marker = world["markers"]["T901"]
    save(forms.MarkerInspectionForm, {"marker": marker.pk, "inspected_on": "2025-01-10", "state": "intact"})
    client.force_login(users["vanphong.ls"])
    page = client.get(reverse("frontier:moc_delete", args=[marker.pk])).content.decode()
    assert "Không thể xóa" in page and "Xóa vĩnh viễn" not in page
    r = client.post(reverse("frontier:moc_delete", args=[marker.pk]))
    assert r.status_code == 409 and "Không thể xóa" in r.content.decode()
    r = client.delete(f"/api/frontier/markers/{marker.pk}")
    assert r.status_code == 409 and r.json()["error"] == "protected"
    assert Marker.objects.filter(pk=marker.pk).exists() and not _log(marker).exists()


def test_deleting_an_inspection_restores_the_marker_state(users, world, save):
    marker = world["markers"]["T901"]
    save(forms.MarkerInspectionForm, {"marker": marker.pk, "inspected_on": "2025-01-10", "state": "intact"})
    last = save(forms.MarkerInspectionForm, {"marker": marker.pk, "inspected_on": "2025-03-10", "state": "damaged"})
    marker.refresh_from_db()
    assert marker.state == "damaged"
    services.inspection_delete(user=users["vanphong.ls"], instance=last)
    marker.refresh_from_db()
    assert (marker.state, marker.state_on.isoformat()) == ("intact", "2025-01-10")
    assert not MarkerInspection.objects.filter(pk=last.pk).exists() and _log(last).exists()


def test_incident_timeline_goes_with_it_and_is_logged(users, world, save):
    inc = _incident(save, world)
    updates = list(IncidentUpdate.objects.filter(incident=inc))
    assert updates
    services_registry = next(r for r in ALL if r.slug == "vu-viec")
    services_registry.delete_object(user=users["vanphong.ls"], instance=inc)
    assert not Incident.objects.filter(pk=inc.pk).exists()
    assert not IncidentUpdate.objects.filter(pk__in=[u.pk for u in updates]).exists()
    assert _log(inc).exists() and all(_log(u).exists() for u in updates)


def test_incident_with_merged_reports_is_protected(client, users, world, save):
    keep, dup = _incident(save, world, "Báo cáo của đồn"), _incident(save, world, "Báo cáo của xã")
    services.incident_merge(keep=keep, duplicate=dup, user=users["vanphong.ls"])
    client.force_login(users["vanphong.ls"])
    assert client.delete(f"/api/frontier/incidents/{keep.pk}").status_code == 409
    assert client.delete(f"/api/frontier/incidents/{dup.pk}").status_code == 204  # the duplicate may go
    assert client.delete(f"/api/frontier/incidents/{keep.pk}").status_code == 204


def test_self_management_links_are_logged(users, world, save):
    reg = save(
        forms.SelfManagementForm,
        {
            "registrant_kind": "household",
            "registrant_name": "Hộ ông B",
            "section": world["section"].pk,
            "km": "1,5",
            "valid_from": "2025-01-01",
            "markers": [world["markers"]["T900"].pk],
        },
    )
    next(r for r in ALL if r.slug == "tu-quan").delete_object(user=users["vanphong.ls"], instance=reg)
    assert _log(reg, "unlink").get().before == {"markers": [world["markers"]["T900"].pk]}
    assert _log(reg).exists()


def test_api_delete_204_404_and_stale_version(client, users, world):
    marker = world["markers"]["T902/2"]
    client.force_login(users["vanphong.ls"])
    r = client.delete(f"/api/frontier/markers/{marker.pk}?version={marker.version + 5}")
    assert r.status_code == 409 and r.json()["error"] == "conflict"
    r = client.delete(f"/api/frontier/markers/{marker.pk}?version={marker.version}")
    assert r.status_code == 204 and r.content == b""
    assert client.delete(f"/api/frontier/markers/{marker.pk}").status_code == 404


@pytest.mark.parametrize("username", ["vanphong.ls", "lanhdao.ls", "kiemtra.ls"])
def test_out_of_scope_or_read_only_is_404(client, users, world, username):
    """Another province's marker, or a read-only role: the page and the API answer 404, nothing changes."""
    target = world["markers"]["SL1"] if username == "vanphong.ls" else world["markers"]["T900"]
    client.force_login(users[username])
    assert client.get(reverse("frontier:moc_delete", args=[target.pk])).status_code == 404
    assert client.post(reverse("frontier:moc_delete", args=[target.pk])).status_code == 404
    assert client.delete(f"/api/frontier/markers/{target.pk}").status_code == 404
    assert Marker.objects.filter(pk=target.pk).exists()
    if username != "vanphong.ls":
        detail = client.get(reverse("frontier:moc_detail", args=[target.pk])).content.decode()
        assert reverse("frontier:moc_delete", args=[target.pk]) not in detail
