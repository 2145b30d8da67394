"""The offline map page (Django test client): layers, period and kind filters, scope, bounded queries,
nothing fetched from outside unless a tile server is configured. The browser test clicks it."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from borderdesk.frontier import forms
from borderdesk.frontier.models import Incident, IncidentCategory, Patrol

pytestmark = pytest.mark.django_db
URL = "/bien-gioi/ban-do/"


def _counts(client, **params):
    r = client.get(URL, params)
    assert r.status_code == 200
    return r.context["counts"]


def test_map_draws_every_layer_without_external_urls(client, users):
    client.force_login(users["vanphong.ls"])
    r = client.get(URL, {"ky": "2025"})
    html = r.content.decode()
    counts = r.context["counts"]
    assert counts["moc"] > 10 and counts["cua-khau"] >= 3 and counts["duong-bien"] >= 1
    assert counts["vu-viec"] >= 1 and counts["tuan-tra"] >= 1, counts
    # No tile, script, style or image from another host: only the SVG namespace names a URL.
    urls = set(re.findall(r"""(?:src|href)=["']((?:https?:)?//[^"']+)""", html))
    assert not urls, urls
    assert "<image" not in html
    assert "Không dùng lớp nền bản đồ" in html


@override_settings(BORDERDESK_MAP_TILE_URL="http://tiles.lan/{z}/{x}/{y}.png")
def test_tile_layer_is_an_optional_setting(client, users):
    client.force_login(users["vanphong.ls"])
    html = client.get(URL, {"ky": "2025"}).content.decode()
    assert re.search(r'<image href="http://tiles\.lan/\d+/\d+/\d+\.png"', html)


def test_filters_for_period_kind_and_layers(client, users):
    client.force_login(users["vanphong.ls"])
    every = _counts(client, ky="")
    year = _counts(client, ky="2025")
    assert year["vu-viec"] <= every["vu-viec"] and year["tuan-tra"] <= every["tuan-tra"]
    assert year["moc"] == every["moc"]                    # markers are not events: the period leaves them
    bilateral = _counts(client, ky="", hinh_thuc="bilateral")
    assert bilateral["tuan-tra"] == Patrol.objects.filter(
        kind="bilateral", from_marker__latitude__isnull=False, agency__unit__path__startswith=_ls_path()).count()
    assert 0 < bilateral["tuan-tra"] < every["tuan-tra"]
    code = Incident.objects.filter(merged_into__isnull=True).values_list("category__code", flat=True).first()
    by_cat = _counts(client, ky="", loai=code)
    assert 0 < by_cat["vu-viec"] <= every["vu-viec"]
    only = _counts(client, ky="", lop="moc")
    assert only["moc"] == every["moc"] and only["vu-viec"] == only["tuan-tra"] == only["cua-khau"] == 0
    r = client.get(URL, {"ky": "năm ngoái"})
    assert r.status_code == 200 and "không hợp lệ" in r.content.decode()
    assert client.get(URL, {"loai": "khong-co", "hinh_thuc": "x", "lop": "y"}).status_code == 200


def _ls_path():
    from borderdesk.org.models import AdministrativeUnit

    return AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn").path


def test_merged_duplicates_are_drawn_once_and_scope_applies(client, users, save, world):
    m = world["markers"]["T900"]
    cat = IncidentCategory.objects.get(code="illegal_crossing")
    data = {"title": "Phát hiện người vượt biên", "category": cat.pk, "occurred_at": "2026-03-01T05:00",
            "marker": m.pk, "persons_involved": 2, "vehicles_involved": 0}
    keep = save(forms.IncidentForm, data)
    dup = save(forms.IncidentForm, data | {"title": "Báo cáo trùng"})
    from borderdesk.frontier import services

    services.incident_merge(keep=keep, duplicate=dup, user=users["vanphong.ls"], note="Trùng")
    client.force_login(users["vanphong.ls"])
    feats = client.get(URL, {"ky": "2026M03", "lop": "vu-viec"}).context["features"]
    urls = [f.url for f in feats if f.kind == "vu-viec"]
    assert any(u.endswith(f"/{keep.pk}/") for u in urls) and not any(u.endswith(f"/{dup.pk}/") for u in urls)
    client.force_login(users["vanphong.sl"])
    feats = client.get(URL, {"ky": ""}).context.get("features") or []
    assert not any(f.label.endswith("T900") or "T900" in f.label for f in feats)


def test_map_queries_do_not_grow_with_events(client, users, save, world):
    client.force_login(users["vanphong.ls"])
    client.get(URL, {"ky": "2026"})
    with CaptureQueriesContext(connection) as before:
        assert client.get(URL, {"ky": "2026"}).status_code == 200
    cat = IncidentCategory.objects.get(code="smuggling")
    markers = world["markers"]
    for i in range(5):
        save(forms.IncidentForm, {"title": f"Buôn lậu {i}", "category": cat.pk, "occurred_at": f"2026-02-0{i + 1}T05:00",
                                  "marker": markers["T901"].pk, "persons_involved": 1,
                                  "vehicles_involved": 1})
        save(forms.PatrolForm, {"kind": "unilateral", "started_at": f"2026-02-0{i + 1}T07:00",
                                "ended_at": f"2026-02-0{i + 1}T11:00", "agency": markers["T900"].agency_id,
                                "from_marker": markers["T900"].pk, "to_marker": markers["T902/2"].pk,
                                "km": "3", "participants": 6})
    with CaptureQueriesContext(connection) as after:
        r = client.get(URL, {"ky": "2026"})
    drawn = sum(getattr(f, "count", 1) for f in r.context["features"] if f.kind == "vu-viec")
    assert drawn >= 5 and r.context["counts"]["tuan-tra"] >= 5, r.context["counts"]   # same point: one group
    assert len(after) == len(before), (len(before), len(after))
