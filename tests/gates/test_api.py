"""API: scoped lists with bounded queries, pushes from the gate's systems, crossing-log upload."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.accounts.models import ApiToken
from borderdesk.gates.models import BorderGate, GateDailyStat

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/gates/gates",
    "/api/gates/stats",
    "/api/gates/status-periods",
    "/api/gates/stats?period=2025&gate=1",
    "/api/gates/gates?kind=international&q=h",
]


@pytest.mark.parametrize("url", LISTS)
def test_list_endpoints_have_bounded_queries(client, users, url):
    client.force_login(users["vanphong.ls"])
    sep = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as small:
        assert client.get(url + sep + "page_size=5").status_code == 200
    with CaptureQueriesContext(connection) as large:
        r = client.get(url + sep + "page_size=500")
        assert r.status_code == 200
    assert len(large) == len(small) <= 15, f"{url}: {len(small)} vs {len(large)}"


def test_gate_list_is_scoped_and_keeps_map_fields(client, users):
    client.force_login(users["vanphong.sl"])
    items = client.get("/api/gates/gates?page_size=100").json()["items"]
    assert {g["code"] for g in items} == {"long-sap", "chieng-khuong", "nam-lanh", "na-cai", "huoi-la"}
    lsap = next(g for g in items if g["code"] == "long-sap")
    assert lsap["kind"] == "international" and lsap["kind_display"] and lsap["latitude"] and lsap["coords_are_demo"]
    hn = BorderGate.objects.get(code="huu-nghi")
    assert client.get(f"/api/gates/gates/{hn.pk}").status_code == 404


def test_gate_system_pushes_daily_stats_with_token(client, users):
    _t, key = ApiToken.issue(user=users["baocao.huunghi"], name="hệ thống cửa khẩu")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    r = client.put(
        "/api/gates/gates/huu-nghi/stats/2023-04-04",
        {"persons_exit": 10, "export_usd": "99.5"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201 and r.json()["channel"] == "api" and r.json()["version"] == 1
    r = client.put(
        "/api/gates/gates/huu-nghi/stats/2023-04-04",
        {"persons_entry": 3, "expected_version": 1},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200 and r.json()["persons_exit"] == 10 and r.json()["persons_entry"] == 3
    r = client.put(
        "/api/gates/gates/huu-nghi/stats/2023-04-04",
        {"persons_entry": 4, "expected_version": 1},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 409
    r = client.put(
        "/api/gates/gates/huu-nghi/stats/2023-04-05", {"persons_exit": -1}, content_type="application/json", **auth
    )
    assert r.status_code == 400 and "persons_exit" in r.json()["fields"]
    r = client.put(
        "/api/gates/gates/tan-thanh/stats/2023-04-05", {"persons_exit": 1}, content_type="application/json", **auth
    )
    assert r.status_code == 404
    r = client.put("/api/gates/gates/huu-nghi/stats/2023-13-45", {}, content_type="application/json", **auth)
    assert r.status_code == 422


def test_bulk_push_is_all_or_nothing(client, users):
    client.force_login(users["vanphong.ls"])
    good = [
        {"gate": "huu-nghi", "date": "2023-05-01", "persons_exit": 1},
        {"gate": "chi-ma", "date": "2023-05-01", "cargo_vehicles_export": 4},
    ]
    bad = good + [
        {"gate": "long-sap", "date": "2023-05-01"},
        {"gate": "huu-nghi", "date": "2023-05-01"},
        {"gate": "chi-ma", "date": "2023-05-02", "tonnes": "-1"},
    ]
    r = client.post("/api/gates/stats/bulk", bad, content_type="application/json")
    assert r.status_code == 400
    assert set(r.json()["fields"]) == {"2.gate", "3.date", "4.tonnes"}
    assert not GateDailyStat.objects.filter(date=dt.date(2023, 5, 1), gate__code__in=["huu-nghi", "chi-ma"]).exists()
    r = client.post("/api/gates/stats/bulk", good, content_type="application/json")
    assert r.status_code == 200 and r.json() == {"created": 2, "updated": 0}


def test_crossing_log_upload_streams_body(client, users):
    _t, key = ApiToken.issue(user=users["vanphong.ls"], name="log")
    body = (
        "time,gate,direction,kind,nationality,cargo_usd,tonnes\n"
        "2023-09-09T10:00:00,chi-ma,entry,cargo_vehicle,CN,500,2\n"
    )
    r = client.post(
        "/api/gates/crossing-logs?file_name=cm.csv",
        data=body.encode(),
        content_type="text/csv",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert r.status_code == 201 and r.json()["gate_days"] == 1
    assert GateDailyStat.objects.get(gate__code="chi-ma", date=dt.date(2023, 9, 9)).cargo_vehicles_import == 1
    r = client.post(
        "/api/gates/crossing-logs",
        data=(body + "2023-09-10,nowhere,exit,person,,,\n").encode(),
        content_type="text/csv",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert r.status_code == 400 and r.json()["errors"][0]["line"] == 3


def test_crossing_log_upload_in_the_background_is_followed_through_the_jobs_api(client, users):
    _t, key = ApiToken.issue(user=users["vanphong.ls"], name="log")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = "time,gate,direction,kind,nationality,cargo_usd,tonnes\n2023-09-11T10:00:00,chi-ma,exit,person,VN,,\n"
    r = client.post(
        "/api/gates/crossing-logs?file_name=bg.csv&background=true", data=body.encode(), content_type="text/csv", **auth
    )
    assert r.status_code == 202 and r.json()["url"] == f"/api/jobs/{r.json()['job_id']}"
    job = client.get(r.json()["url"], **auth).json()
    assert job["status"] == "done" and job["percent"] == 100 and "1 dòng" in job["message"]
    assert GateDailyStat.objects.get(gate__code="chi-ma", date=dt.date(2023, 9, 11)).persons_exit == 1
    r = client.post(
        "/api/gates/crossing-logs?file_name=bad.csv&background=true",
        data=(body + "2023-09-12,nowhere,exit,person,,,\n").encode(),
        content_type="text/csv",
        **auth,
    )
    job = client.get(r.json()["url"], **auth).json()
    assert job["status"] == "failed" and job["errors"][0]["line"] == 3
    assert not GateDailyStat.objects.filter(gate__code="chi-ma", date=dt.date(2023, 9, 12)).exists()
    other = ApiToken.issue(user=users["vanphong.sl"], name="x")[1]
    assert client.get(r.json()["url"], HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404


def test_crossing_log_upload_too_large_is_refused_by_declared_size(client, users, settings):
    settings.BORDERDESK_MAX_CROSSING_LOG_BYTES = 1000
    client.force_login(users["vanphong.ls"])
    r = client.post(
        "/api/gates/crossing-logs", data=b"time,gate\n", content_type="text/csv", CONTENT_LENGTH=str(2 * 1024**3)
    )
    assert r.status_code == 400 and r.json()["error"] == "too_large"
    r = client.post("/api/gates/crossing-logs", data=b"", content_type="text/csv")
    assert r.status_code == 400
    r = client.post(
        "/api/gates/crossing-logs?background=true",
        data=b"time,gate\n",
        content_type="text/csv",
        CONTENT_LENGTH=str(2 * 1024**3),
    )
    assert r.status_code == 400 and r.json()["error"] == "too_large"


def test_registry_routes_create_and_validate(client, users, unit):
    client.force_login(users["vanphong.ls"])
    hn = BorderGate.objects.get(code="huu-nghi")
    r = client.post(
        "/api/gates/status-periods",
        {"gate": hn.pk, "status": "open", "valid_from": "2025-05-01", "valid_to": "2025-04-01"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "valid_to" in r.json()["fields"]
    r = client.post(
        "/api/gates/stats", {"gate": hn.pk, "date": "2022-02-02", "persons_exit": 5}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["channel"] == "api"
    r = client.post(
        "/api/gates/stats", {"gate": hn.pk, "date": "2022-02-03", "persons_exit": -5}, content_type="application/json"
    )
    assert r.status_code == 400 and "persons_exit" in r.json()["fields"]
    r = client.post(
        "/api/gates/gates",
        {
            "code": "lane-x",
            "name": "Đường chuyên dụng X",
            "unit": hn.unit_id,
            "kind": "goods_lane",
            "mode": "road",
            "official_status": "official",
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "parent" in r.json()["fields"]
    r = client.post(
        "/api/gates/gates",
        {
            "code": "x",
            "name": "X",
            "unit": unit("Tỉnh Sơn La").pk,
            "kind": "auxiliary",
            "mode": "road",
            "official_status": "official",
        },
        content_type="application/json",
    )
    assert r.status_code in (400, 404) and not BorderGate.objects.filter(code="x").exists()


def test_openapi_lists_gate_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for p in (
        "/api/gates/gates",
        "/api/gates/gates/{pk}",
        "/api/gates/stats",
        "/api/gates/stats/bulk",
        "/api/gates/gates/{gate}/stats/{day}",
        "/api/gates/crossing-logs",
        "/api/gates/status-periods",
    ):
        assert p in paths, p
