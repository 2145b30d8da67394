"""Pages of the catalogue, forms and rules: what each role sees, the builder, preview, errors in place."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.reporting.models import Indicator, ReportForm, ValidationRule

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["admin", "vanphong.ls", "baocao.dongdang", "lanhdao.ls"])
def test_everyone_reads_catalogue_and_forms(client, users, name):
    client.force_login(users[name])
    r = client.get("/bao-cao/chi-tieu/?q=PATROLS")
    assert r.status_code == 200 and "PATROLS_BILATERAL" in r.content.decode()
    editors = ("admin", "vanphong.ls")  # national rows: the administrator; the province's own: its office
    assert ("Thêm chỉ tiêu" in r.content.decode()) == (name in editors)
    assert client.get("/bao-cao/bieu-mau/").status_code == 200
    r = client.get("/bao-cao/bieu-mau/bc-xa-thang/")
    assert r.status_code == 200 and ("Soạn phiên bản mới" in r.content.decode()) == (name == "admin")
    assert ("Tạo biểu mẫu riêng của tỉnh" in r.content.decode()) == (name == "vanphong.ls")
    expected = 200 if name == "admin" else 404
    assert client.get("/bao-cao/bieu-mau/bc-xa-thang/phien-ban-moi/").status_code == expected
    assert client.get("/bao-cao/chi-tieu/them/").status_code == (200 if name in editors else 404)


def test_indicator_list_queries_bounded(client, users):
    client.force_login(users["admin"])
    client.get("/bao-cao/chi-tieu/")
    with CaptureQueriesContext(connection) as a:
        client.get("/bao-cao/chi-tieu/?nhom=patrols")
    with CaptureQueriesContext(connection) as b:
        client.get("/bao-cao/chi-tieu/")
    assert len(a.captured_queries) == len(b.captured_queries)


def test_admin_adds_and_edits_an_indicator_on_the_page(client, users):
    client.force_login(users["admin"])
    data = {
        "code": "PATROLS_NIGHT",
        "name_vi": "Số lượt tuần tra ban đêm",
        "unit": "lượt",
        "value_type": "integer",
        "aggregation": "sum",
        "registry_figure": "PATROLS_TOTAL",
    }
    r = client.post("/bao-cao/chi-tieu/them/", data)
    assert r.status_code == 302
    ind = Indicator.objects.get(code="PATROLS_NIGHT")
    assert ind.registry_figure == "PATROLS_TOTAL"
    r = client.post("/bao-cao/chi-tieu/them/", {**data, "code": "bad code"})
    assert r.status_code == 400 and "bad code" in r.content.decode()
    r = client.post("/bao-cao/chi-tieu/PATROLS_NIGHT/sua/", {**data, "name_en": "Night patrols", "_version": "1"})
    assert r.status_code == 302
    ind.refresh_from_db()
    assert ind.name_en == "Night patrols" and ind.version == 2 and ind.code == "PATROLS_NIGHT"
    r = client.post("/bao-cao/chi-tieu/PATROLS_NIGHT/sua/", {**data, "unit": "lần", "_version": "1"})
    assert r.status_code == 400 and "vừa được người khác cập nhật" in r.content.decode()


def test_builder_publishes_version_and_keeps_input_on_error(client, users):
    client.force_login(users["admin"])
    f = ReportForm.objects.get(code="bc-xa-thang")
    cur = f.current_version()
    page = client.get("/bao-cao/bieu-mau/bc-xa-thang/phien-ban-moi/")
    n = len(page.context["rows"])
    post = {
        "name": f.name,
        "based_on": cur.number,
        "n_sections": n,
        "narratives": "general: Tình hình chung\nĐề xuất, kiến nghị",
    }
    for i, s in enumerate(cur.sections):
        post |= {f"s{i}_code": s["code"], f"s{i}_title": s["title"], f"s{i}_codes": "\n".join(s["indicators"])}
    post |= {
        f"s{n - 1}_title": "Mua bán người, ma túy",
        f"s{n - 1}_codes": "HUMAN_TRAFFICKING_CASES — Số vụ mua bán người\nnot_a_code",
    }
    r = client.post("/bao-cao/bieu-mau/bc-xa-thang/phien-ban-moi/", post)
    assert r.status_code == 400 and "NOT_A_CODE" in r.content.decode()
    assert "HUMAN_TRAFFICKING_CASES — Số vụ mua bán người" in r.content.decode()  # the input is kept
    post[f"s{n - 1}_codes"] = "HUMAN_TRAFFICKING_CASES — Số vụ mua bán người\nDRUG_CASES"
    r = client.post("/bao-cao/bieu-mau/bc-xa-thang/phien-ban-moi/", post)
    assert r.status_code == 302
    v = f.current_version()
    assert v.number == cur.number + 1
    assert v.sections[-1]["indicators"] == ["HUMAN_TRAFFICKING_CASES", "DRUG_CASES"]
    assert [s["title"] for s in v.narrative_sections] == ["Tình hình chung", "Đề xuất, kiến nghị"]
    r = client.get("/bao-cao/bieu-mau/bc-xa-thang/")
    assert f"Phiên bản hiện hành: {v.number}" in r.content.decode()


def test_rule_preview_and_save_on_the_page(client, users):
    client.force_login(users["admin"])
    n = ValidationRule.objects.count()
    data = {
        "name": "Song phương ít hơn 1",
        "left": "PATROLS_BILATERAL",
        "operator": "<",
        "right": "1",
        "severity": "warning",
        "skip_when_missing": "on",
        "is_active": "on",
        "period": "2025M12",
    }
    r = client.post("/bao-cao/bieu-mau/bc-xa-thang/quy-tac/them/", {**data, "action": "preview"})
    assert r.status_code == 200 and r.context["preview"].failing >= 1 and "Vi phạm" in r.content.decode()
    assert ValidationRule.objects.count() == n
    r = client.post("/bao-cao/bieu-mau/bc-xa-thang/quy-tac/them/", {**data, "left": "open('x')", "action": "save"})
    assert r.status_code == 400 and ValidationRule.objects.count() == n
    r = client.post("/bao-cao/bieu-mau/bc-xa-thang/quy-tac/them/", {**data, "action": "save"})
    assert r.status_code == 302 and ValidationRule.objects.count() == n + 1
    rule = ValidationRule.objects.latest("pk")
    r = client.post(f"/bao-cao/bieu-mau/bc-xa-thang/quy-tac/{rule.pk}/", {**data, "action": "delete", "_version": 1})
    assert r.status_code == 302 and not ValidationRule.objects.filter(pk=rule.pk).exists()
    client.force_login(users["baocao.dongdang"])
    assert client.get("/bao-cao/bieu-mau/bc-xa-thang/quy-tac/them/").status_code == 404


def _visible(html: str) -> str:
    import re

    body = html.split("<main", 1)[-1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_catalogue_names_groups_and_registry_sources_in_words(client, users):
    """An office reads "Tuần tra, kiểm soát" and "Biên giới, mốc giới", not the keys border_line or frontier."""
    client.force_login(users["vanphong.ls"])
    r = client.get("/bao-cao/chi-tieu/")
    text = _visible(r.content.decode())
    for key in ("border_line", "mass_movement", "gates_trade", "foreign_affairs", "frontier", "outreach"):
        assert key not in text, key
    assert "Đường biên, mốc giới" in text and "Biên giới, mốc giới" in text
    # the group filter offers the same words and still filters by the key
    assert '<option value="patrols"' in r.content.decode()
    filtered = _visible(client.get("/bao-cao/chi-tieu/?nhom=patrols").content.decode())
    assert "PATROLS_BILATERAL" in filtered and "BORDER_LENGTH_KM" not in filtered
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = _visible(client.get("/bao-cao/chi-tieu/").content.decode())
    assert "Border line and markers" in text and "border_line" not in text


def test_a_province_group_of_its_own_is_shown_as_typed(client, users):
    Indicator.objects.create(code="LS_OWN", name_vi="Chỉ tiêu riêng", group="nhóm riêng của tỉnh", unit="lần")
    client.force_login(users["admin"])
    assert "nhóm riêng của tỉnh" in _visible(client.get("/bao-cao/chi-tieu/?q=LS_OWN").content.decode())


def test_the_indicator_form_offers_groups_by_name(client, users):
    """An office picks "Tuần tra, kiểm soát", not a key it cannot know; a key nobody uses is refused in words."""
    client.force_login(users["admin"])
    Indicator.objects.create(code="LS_OWN2", name_vi="Chỉ tiêu riêng", group="nhóm riêng")
    html = client.get("/bao-cao/chi-tieu/them/").content.decode()
    assert '<option value="patrols">Tuần tra, kiểm soát</option>' in html
    assert '<option value="nhóm riêng">nhóm riêng</option>' in html  # a group in use stays choosable
    data = {"code": "PATROLS_DAWN", "name_vi": "Tuần tra rạng sáng", "value_type": "integer", "aggregation": "sum"}
    assert client.post("/bao-cao/chi-tieu/them/", {**data, "group": "patrols"}).status_code == 302
    assert Indicator.objects.get(code="PATROLS_DAWN").group == "patrols"
    r = client.post("/bao-cao/chi-tieu/them/", {**data, "code": "PATROLS_DUSK", "group": "patrol"})
    assert r.status_code == 400 and "Hãy chọn một lựa chọn hợp lệ" in r.content.decode()
    assert not Indicator.objects.filter(code="PATROLS_DUSK").exists()
    # a group of the office's own, as the API allows it
    r = client.post("/bao-cao/chi-tieu/them/", {**data, "code": "PATROLS_DUSK", "group_new": " tuần tra đêm "})
    assert r.status_code == 302 and Indicator.objects.get(code="PATROLS_DUSK").group == "tuần tra đêm"
