"""API: scoped bulk values (JSON and CSV), workflow, consolidation; errors are 4xx, never 500."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.reporting.models import DataValue, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01")


def test_read_values_json_and_csv(login, users):
    c = login(users["lanhdao.ls"])
    r = c.get("/api/reporting/dataValueSets?form=bc-nam&period=2025")
    assert r.status_code == 200
    vals = {v["indicator"]: v for v in r.json()["dataValues"]}
    trade = vals["TRADE_VALUE_TOTAL_USD"]
    assert trade["value"] == "86000000000" and trade["qualifier"] == "over"
    r = c.get("/api/reporting/dataValueSets?form=bc-nam&period=2025&format=csv")
    assert r.status_code == 200 and "TRADE_VALUE_TOTAL_USD,86000000000,over" in r.content.decode()
    assert c.get("/api/reporting/dataValueSets").status_code == 400


def test_values_scoped(login, users):
    r = login(users["vanphong.sl"]).get("/api/reporting/dataValueSets?form=bc-nam&period=2025")
    assert r.json()["dataValues"] == []


def test_write_json_all_or_nothing(login, users, draft):
    c = login(users["baocao.dongdang"])
    body = {
        "dataValues": [
            {"submission": draft.pk, "indicator": "PATROLS_UNILATERAL", "value": "6"},
            {"submission": draft.pk, "indicator": "PATROLS_BILATERAL", "value": "-1"},
        ]
    }
    r = c.post("/api/reporting/dataValueSets", json.dumps(body), content_type="application/json")
    assert r.status_code == 400 and "PATROLS_BILATERAL" in json.dumps(r.json()["fields"])
    assert not DataValue.objects.filter(submission=draft, indicator__code="PATROLS_UNILATERAL").exists()
    body["dataValues"][1]["value"] = "1"
    r = c.post("/api/reporting/dataValueSets", json.dumps(body), content_type="application/json")
    assert r.status_code == 200 and r.json()["imported"] == 2
    other = Submission.objects.get(unit__name="Xã Quốc Khánh", period_key="2025M12")
    r = c.post(
        "/api/reporting/dataValueSets",
        json.dumps({"dataValues": [{"submission": other.pk, "indicator": "PATROLS_UNILATERAL", "value": "6"}]}),
        content_type="application/json",
    )
    assert r.status_code == 400  # out of scope row: nothing saved, clear message
    r = c.post("/api/reporting/dataValueSets", "{not json", content_type="application/json")
    assert 400 <= r.status_code < 500


def test_write_csv(login, users, draft):
    c = login(users["baocao.dongdang"])
    csv_text = (
        "submission,form,period,unit,agency,indicator,value,qualifier,comment\n"
        f"{draft.pk},,,,,PROPAGANDA_SESSIONS,7,,\n"
    )
    r = c.post("/api/reporting/dataValueSets.csv", csv_text, content_type="text/csv")
    assert r.status_code == 200, r.content
    assert DataValue.objects.get(submission=draft, indicator__code="PROPAGANDA_SESSIONS").value == 7
    r = c.post("/api/reporting/dataValueSets.csv", "a,b\n1,2\n", content_type="text/csv")
    assert r.status_code == 400
    r = c.post("/api/reporting/dataValueSets.csv", b"\xff\xfe", content_type="text/csv")
    assert r.status_code == 400


def test_workflow_endpoints(login, users, draft):
    c = login(users["baocao.dongdang"])
    r = c.post(f"/api/reporting/submissions/{draft.pk}/submit", "{}", content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert (
        c.post(f"/api/reporting/submissions/{draft.pk}/approve", "{}", content_type="application/json").status_code
        == 404
    )
    a = login(users["duyet.ls"])
    assert (
        a.post(f"/api/reporting/submissions/{draft.pk}/return", "{}", content_type="application/json").status_code
        == 400
    )
    r = a.post(
        f"/api/reporting/submissions/{draft.pk}/return",
        json.dumps({"reason": "Bổ sung"}),
        content_type="application/json",
    )
    assert r.json()["status"] == "returned"
    assert (
        a.post(f"/api/reporting/submissions/{draft.pk}/explode", "{}", content_type="application/json").status_code
        == 400
    )
    assert a.post("/api/reporting/submissions/999999/approve", "{}", content_type="application/json").status_code == 404


def test_consolidation_endpoint(login, users, unit):
    c = login(users["lanhdao.ls"])
    ls = unit("Tỉnh Lạng Sơn")
    r = c.get(f"/api/reporting/consolidation?unit={ls.pk}&period=2025&indicators=LOCAL_EXPORT_VALUE_USD")
    assert r.status_code == 200
    row = r.json()["rows"][0]
    assert row["value"] == "183000000" or float(row["value"]) == 183000000
    assert float(row["plan_pct"]) == 100
    assert c.get(f"/api/reporting/consolidation?unit={ls.pk}&period=2025X").status_code == 400
    assert login(users["vanphong.sl"]).get(f"/api/reporting/consolidation?unit={ls.pk}&period=2025").status_code == 404


def test_list_endpoints_bounded_queries(login, users):
    c = login(users["admin"])
    for url in ("/api/reporting/submissions", "/api/reporting/indicators"):
        counts = []
        for size in (5, 500):
            with CaptureQueriesContext(connection) as ctx:
                assert c.get(f"{url}?page_size={size}").status_code == 200
            counts.append(len(ctx))
        assert counts[1] <= counts[0] + 1, (url, counts)
