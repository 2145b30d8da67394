"""Frontier API: lists with bounded queries, scope, writes with per-field errors, the incident workflow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.frontier.models import Incident

pytestmark = pytest.mark.django_db

PATHS = [
    "sections",
    "markers",
    "inspections",
    "roads",
    "patrols",
    "incidents",
    "self-management",
    "incident-categories",
]


@pytest.mark.parametrize("path", PATHS)
def test_list_bounded_queries(client, users, world, path):
    client.force_login(users["vanphong.ls"])
    client.get(f"/api/frontier/{path}")
    counts = []
    for size in (5, 500):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(f"/api/frontier/{path}?page_size={size}")
        assert r.status_code == 200, r.content
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_filters_shared_with_pages(client, users, world):
    client.force_login(users["vanphong.ls"])
    r = client.get("/api/frontier/markers", {"q": "T90", "doan": world["section"].pk}).json()
    assert sorted(i["number"] for i in r["items"]) == ["T900", "T901", "T902/2"]


def test_scope_and_404_shape(client, users, world):
    client.force_login(users["vanphong.ls"])
    r = client.get(f"/api/frontier/markers/{world['markers']['SL1'].pk}")
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_create_errors_then_workflow(client, users, world):
    client.force_login(users["vanphong.ls"])
    bad = client.post(
        "/api/frontier/incidents",
        {"title": "x", "category": 1, "occurred_at": "2025-05-01 10:00", "latitude": "45", "longitude": "106"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "latitude" in bad.json()["fields"]
    r = client.post(
        "/api/frontier/incidents",
        {
            "title": "Buôn lậu",
            "category": 2,
            "occurred_at": "2025-05-01 10:00",
            "marker": world["markers"]["T901"].pk,
            "persons_involved": 1,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["status"] == "reported"
    r = client.post(f"/api/frontier/incidents/{pk}/transition", {"to": "closed"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"] == "invalid_transition"
    r = client.post(f"/api/frontier/incidents/{pk}/transition", {"to": "verified"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "verified"
    r = client.put(
        f"/api/frontier/incidents/{pk}", {"persons_involved": -1, "version": 1}, content_type="application/json"
    )
    assert r.status_code == 400 and "persons_involved" in r.json()["fields"]
    r = client.put(
        f"/api/frontier/incidents/{pk}", {"persons_involved": 4, "version": 1}, content_type="application/json"
    )
    assert r.status_code == 409
    r = client.put(
        f"/api/frontier/incidents/{pk}", {"persons_involved": 4, "version": 2}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["persons_involved"] == 4
    assert r.json()["marker"] == world["markers"]["T901"].pk
    r2 = client.post(
        "/api/frontier/incidents",
        {"title": "Buôn lậu (trùng)", "category": 2, "occurred_at": "2025-05-01 10:30", "section": world["section"].pk},
        content_type="application/json",
    )
    r = client.post(
        f"/api/frontier/incidents/{pk}/merge", {"duplicate": r2.json()["id"]}, content_type="application/json"
    )
    assert r.status_code == 200
    assert Incident.objects.get(pk=r2.json()["id"]).merged_into_id == pk
    tl = client.get(f"/api/frontier/incidents/{pk}/timeline").json()
    assert [u["status"] for u in tl][:2] == ["reported", "verified"]


def test_viewer_cannot_write(client, users, world):
    client.force_login(users["lanhdao.ls"])
    r = client.post("/api/frontier/markers", {"number": "Z"}, content_type="application/json")
    assert r.status_code == 404
