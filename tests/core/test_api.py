"""API: schema and docs served locally, tokens, one error shape, bounded queries on every list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_openapi_and_docs_are_served_without_internet(client):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/org/units" in paths and "/api/changelog" in paths
    docs = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in docs
    assert "cdn." not in docs and "https://" not in docs.split("<body")[0]


def test_token_authentication(client, users):
    _token, key = ApiToken.issue(user=users["lanhdao.ls"], name="script")
    r = client.get("/api/org/committees", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 200
    assert {c["code"] for c in r.json()["items"]} == {"ls-bcdbg", "ls-kiemtra"}


@pytest.mark.parametrize(
    "header", ["Bearer abc", "Bearer bd_<script>", "Bearer " + "x" * 500, "Token bd_x", "Bearer bd_" + "A" * 40]
)
def test_malformed_or_unknown_token_is_401_with_message(client, header):
    r = client.get("/api/org/units", HTTP_AUTHORIZATION=header)
    assert r.status_code == 401
    body = r.json()
    assert body["error"] == "unauthenticated" and body["message"]


def test_unauthenticated_is_401(client):
    assert client.get("/api/org/units").status_code == 401


def test_write_requires_scope_and_validates(client, users):
    from borderdesk.org.models import Committee

    client.force_login(users["vanphong.ls"])
    c = Committee.objects.get(code="ls-bcdbg")
    r = client.patch(
        f"/api/org/committees/{c.pk}",
        {"place_name": "Lạng Sơn", "expected_version": 999},
        content_type="application/json",
    )
    assert r.status_code == 409 and "người khác" in r.json()["message"]
    r = client.patch(
        f"/api/org/committees/{c.pk}",
        {"parent_body": "UBND TỈNH LẠNG SƠN", "expected_version": c.version},
        content_type="application/json",
    )
    assert r.status_code == 200
    sl = Committee.objects.get(code="sl-bcdbg")
    r = client.patch(
        f"/api/org/committees/{sl.pk}",
        {"place_name": "x", "expected_version": sl.version},
        content_type="application/json",
    )
    assert r.status_code == 404
    r = client.post(
        "/api/org/memberships",
        {
            "committee_id": c.pk,
            "person_name": "Lê Văn B",
            "role": "member",
            "valid_from": "2026-02-01",
            "valid_to": "2025-01-01",
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "không được trước" in r.json()["message"]
    r = client.post("/api/org/memberships", {"committee_id": c.pk, "role": "boss"}, content_type="application/json")
    assert r.status_code in (400, 422)
    r = client.post("/api/org/memberships", data="{not json", content_type="application/json")
    assert 400 <= r.status_code < 500


LISTS = [
    "/api/org/units",
    "/api/org/agencies",
    "/api/org/committees",
    "/api/org/memberships",
    "/api/org/counterparts",
    "/api/changelog",
    "/api/org/units?as_of=2021-06-24&kind=district",
]


@pytest.mark.parametrize("url", LISTS)
def test_list_endpoints_have_bounded_queries(client, users, url):
    client.force_login(users["vanphong.ls"])
    client.get(url)  # the user's scopes are computed once, then cached (compare like with like)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url + ("&" if "?" in url else "?") + "page_size=5").status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert client.get(url + ("&" if "?" in url else "?") + "page_size=500").status_code == 200
    assert len(large) == len(small), f"{url}: N+1 ({len(small)} vs {len(large)} queries)"
    assert len(large) <= 15
