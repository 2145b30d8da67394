"""Outreach API: every list endpoint runs a bounded number of queries; writes answer 4xx with
per-field errors (never 500) and save nothing; scope."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.org.models import AdministrativeUnit
from borderdesk.outreach.models import Beneficiary, PropagandaSession

from .test_outreach import make_data

pytestmark = pytest.mark.django_db
PATHS = ["sessions", "commitments", "programmes", "beneficiaries"]


@pytest.mark.parametrize("path", PATHS)
def test_list_endpoints_have_bounded_queries(client, users, path):
    make_data(users)
    client.force_login(users["vanphong.ls"])
    client.get(f"/api/outreach/{path}")
    counts = []
    for size in (2, 500):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(f"/api/outreach/{path}?page_size={size}")
        assert r.status_code == 200 and r.json()["count"] >= 2, r.content
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 12, counts


def _session(**over):
    commune = AdministrativeUnit.objects.get(name="Xã Đồng Đăng").pk
    return {
        "held_on": "2026-03-01",
        "place_name": "Nhà văn hóa",
        "commune": commune,
        "audience_kind": "residents",
        "listeners": 40,
        "leaflets": 10,
        "document_sets": 1,
        **over,
    }


@pytest.mark.parametrize(
    "over,field",
    [
        ({"listeners": -5}, "listeners"),
        ({"leaflets": -1}, "leaflets"),
        ({"held_on": "2026-02-30"}, "held_on"),
        ({"joint_with_counterpart": True}, "counterpart_name"),
        ({"audience_kind": "aliens"}, "audience_kind"),
    ],
)
def test_bad_session_is_400_with_the_field(client, users, over, field):
    client.force_login(users["vanphong.ls"])
    n = PropagandaSession.objects.count()
    r = client.post("/api/outreach/sessions", _session(**over), content_type="application/json")
    assert r.status_code == 400 and field in r.json()["fields"], r.content
    assert PropagandaSession.objects.count() == n


def test_commune_of_another_province_is_refused(client, users):
    client.force_login(users["vanphong.sl"])
    r = client.post("/api/outreach/sessions", _session(), content_type="application/json")
    assert r.status_code == 400 and "commune" in r.json()["fields"]


def test_beneficiary_support_ending_before_it_starts(client, users):
    programme = make_data(users)["programme"]
    client.force_login(users["vanphong.ls"])
    n = Beneficiary.objects.count()
    r = client.post(
        "/api/outreach/beneficiaries",
        {
            "programme": programme.pk,
            "name": "Em D",
            "kind": "student",
            "support_from": "2026-09-01",
            "support_to": "2026-01-01",
            "monthly_amount_vnd": "500000",
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["fields"], r.content
    assert Beneficiary.objects.count() == n


def test_create_then_update_with_version(client, users):
    client.force_login(users["vanphong.ls"])
    r = client.post("/api/outreach/sessions", _session(), content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = client.put(f"/api/outreach/sessions/{pk}", {"listeners": 45, "version": 1}, content_type="application/json")
    assert r.status_code == 200 and r.json()["listeners"] == 45
    r = client.put(f"/api/outreach/sessions/{pk}", {"listeners": 50, "version": 1}, content_type="application/json")
    assert r.status_code == 409
    client.force_login(users["vanphong.sl"])
    assert client.get(f"/api/outreach/sessions/{pk}").status_code == 404
