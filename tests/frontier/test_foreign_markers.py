"""A marker of another province is refused even for a user who sees every province (the national
administrator): patrols, self-management registrations and incidents, through the API; nothing saved."""

import pytest

from borderdesk.frontier.models import Incident, Patrol, SelfManagementRegistration

pytestmark = pytest.mark.django_db


def _post(client, path, data):
    return client.post(f"/api/frontier/{path}", data, content_type="application/json")


def test_patrol_with_another_provinces_marker(client, users, world, station):
    client.force_login(users["admin"])
    n = Patrol.objects.count()
    r = _post(
        client,
        "patrols",
        {
            "kind": "unilateral",
            "started_at": "2025-02-01 08:00",
            "agency": station.pk,
            "participants": 5,
            "from_marker": world["markers"]["T900"].pk,
            "to_marker": world["markers"]["SL1"].pk,
        },
    )
    assert r.status_code == 400 and "to_marker" in r.json()["fields"], r.content
    assert Patrol.objects.count() == n


def test_self_management_with_another_provinces_marker(client, users, world):
    client.force_login(users["admin"])
    n = SelfManagementRegistration.objects.count()
    data = {
        "registrant_kind": "household",
        "registrant_name": "Hộ ông A",
        "section": world["section"].pk,
        "km": "1.5",
        "valid_from": "2025-01-01",
        "markers": [world["markers"]["T900"].pk, world["markers"]["SL1"].pk],
    }
    r = _post(client, "self-management", data)
    assert r.status_code == 400 and "markers" in r.json()["fields"], r.content
    assert "SL1" in r.json()["fields"]["markers"][0]
    assert SelfManagementRegistration.objects.count() == n
    r = _post(client, "self-management", data | {"markers": [world["markers"]["T900"].pk]})
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = client.put(
        f"/api/frontier/self-management/{pk}",
        {"markers": [world["markers"]["SL1"].pk], "version": 1},
        content_type="application/json",
    )
    assert r.status_code == 400 and "markers" in r.json()["fields"]
    assert list(SelfManagementRegistration.objects.get(pk=pk).markers.values_list("number", flat=True)) == ["T900"]


def test_incident_at_another_provinces_marker_in_our_commune(client, users, world):
    from borderdesk.org.models import AdministrativeUnit

    client.force_login(users["admin"])
    n = Incident.objects.count()
    commune = AdministrativeUnit.objects.get(name="Xã Đồng Đăng")
    r = _post(
        client,
        "incidents",
        {
            "title": "Vượt biên",
            "category": 1,
            "occurred_at": "2025-05-01 10:00",
            "marker": world["markers"]["SL1"].pk,
            "commune": commune.pk,
            "persons_involved": 1,
        },
    )
    assert r.status_code == 400 and "commune" in r.json()["fields"], r.content
    assert Incident.objects.count() == n
