"""API of the catalogue, forms and rules: same services as the pages; 4xx with quoted values, never 500."""

from __future__ import annotations

import json

import pytest

from borderdesk.reporting.models import Indicator, ReportForm, ValidationRule

pytestmark = pytest.mark.django_db


def _post(c, url, body, method="post"):
    return getattr(c, method)(url, data=json.dumps(body), content_type="application/json")


def test_indicator_create_update_and_refusals(login, users):
    c = login(users["baocao.dongdang"])
    body = {
        "code": "PATROLS_NIGHT",
        "name_vi": "Số lượt tuần tra ban đêm",
        "unit": "lượt",
        "registry_figure": "PATROLS_TOTAL",
    }
    assert _post(c, "/api/reporting/indicators", body).status_code == 403
    c = login(users["vanphong.ls"])  # the office edits its province's indicators only
    assert _post(c, "/api/reporting/indicators/PATROLS_TOTAL", {"unit": "lần"}, "patch").status_code == 403
    c = login(users["admin"])
    r = _post(c, "/api/reporting/indicators", body)
    assert r.status_code == 201, r.content
    assert r.json()["registry_figure"] == "PATROLS_TOTAL" and r.json()["version"] == 1
    r = _post(c, "/api/reporting/indicators/PATROLS_NIGHT", {"name_en": "Night patrols", "version": 1}, "patch")
    assert r.status_code == 200 and r.json()["name_en"] == "Night patrols"
    assert (
        _post(c, "/api/reporting/indicators/PATROLS_NIGHT", {"unit": "lần", "version": 1}, "patch").status_code == 409
    )
    r = _post(c, "/api/reporting/indicators", {"code": "X_Y", "name_vi": "x", "aggregation": "median"})
    assert r.status_code == 400 and "median" in r.json()["fields"]["aggregation"][0]
    assert "sum" in r.json()["fields"]["aggregation"][0]
    assert c.get("/api/reporting/indicators/NOPE").status_code == 404
    assert _post(c, "/api/reporting/indicators", {"code": 5}).status_code in (400, 422)
    assert not Indicator.objects.filter(code="X_Y").exists()
    figures = c.get("/api/reporting/registry-figures").json()
    assert any(f["code"] == "PATROLS_BILATERAL" and f["source"] == "frontier" for f in figures)


def test_publish_version_via_api(login, users):
    c = login(users["vanphong.ls"])
    assert _post(c, "/api/reporting/forms/bc-xa-thang/versions", {"name": "x"}).status_code == 403  # national
    c = login(users["admin"])
    form = c.get("/api/reporting/forms/bc-xa-thang").json()
    current = form["versions"][0]
    assert form["current_version"] == current["number"] and current["reports"] > 0
    sections = current["sections"]
    sections[0]["indicators"].append("HUMAN_TRAFFICKING_CASES")
    r = _post(c, "/api/reporting/forms/bc-xa-thang/versions", {"sections": sections, "based_on": current["number"]})
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["current_version"] == current["number"] + 1 and out["versions"][1]["reports"] == current["reports"]
    assert out["versions"][0]["reports"] == 0
    r = _post(c, "/api/reporting/forms/bc-xa-thang/versions", {"sections": sections, "based_on": current["number"]})
    assert r.status_code == 409
    r = _post(
        c, "/api/reporting/forms/bc-xa-thang/versions", {"sections": [{"title": "A", "indicators": ["NOPE_CODE"]}]}
    )
    assert r.status_code == 400 and "NOPE_CODE" in r.json()["message"]
    assert ReportForm.objects.get(code="bc-xa-thang").current_version().number == current["number"] + 1
    r = login(users["baocao.dongdang"]).post(
        "/api/reporting/forms/bc-xa-thang/versions",
        data=json.dumps({"sections": sections}),
        content_type="application/json",
    )
    assert r.status_code == 403


def test_rules_crud_and_preview(login, users):
    c = login(users["admin"])
    body = {
        "form": "bc-xa-thang",
        "name": "Song phương ≤ 2 × đơn phương",
        "left": "PATROLS_BILATERAL",
        "operator": "<=",
        "right": "2 * PATROLS_UNILATERAL",
        "severity": "warning",
    }
    r = _post(c, "/api/reporting/rules/preview", {**body, "period": "2025M12"})
    assert r.status_code == 200 and r.json()["period"] == "2025M12" and r.json()["rows"]
    r = _post(c, "/api/reporting/rules", body)
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    r = _post(c, f"/api/reporting/rules/{rid}", {"severity": "error", "version": 1}, "patch")
    assert r.status_code == 200 and r.json()["version"] == 2
    r = _post(c, f"/api/reporting/rules/{rid}", {"left": "__import__('os')", "version": 2}, "patch")
    assert r.status_code == 400 and "left" in r.json()["fields"]
    assert c.get("/api/reporting/rules?form=bc-xa-thang").status_code == 200
    assert c.delete(f"/api/reporting/rules/{rid}?version=1").status_code == 409
    assert c.delete(f"/api/reporting/rules/{rid}?version=2").status_code == 204
    assert not ValidationRule.objects.filter(pk=rid).exists()
    c = login(users["vanphong.ls"])
    r = _post(c, "/api/reporting/rules/preview", {**body, "period": "2025M12"})
    assert r.status_code == 200 and r.json()["rows"]  # a preview writes nothing
    assert _post(c, "/api/reporting/rules", {**body, "form": None}).status_code == 403
    assert _post(c, "/api/reporting/rules", body).status_code == 403  # a national form's rules
