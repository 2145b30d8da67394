"""Deleting gate records: gates need the manage right and no statistics; stats and periods go with a log."""

import datetime as dt

import pytest
from django.urls import reverse

from borderdesk.core.models import ChangeLogEntry
from borderdesk.gates import services
from borderdesk.gates.models import BorderGate, GateDailyStat, GateStatusPeriod
from borderdesk.gates.registries import ALL

pytestmark = pytest.mark.django_db
API = {"danh-sach": "gates", "trang-thai": "status-periods", "so-lieu": "stats"}


def test_every_registry_has_a_delete_page_and_endpoint(client, users):
    client.force_login(users["vanphong.ls"])
    schema = client.get("/api/openapi.json").json()["paths"]
    for registry in ALL:
        assert reverse(registry.url_name("delete"), args=[1]).endswith("/xoa/")
        assert "delete" in schema[f"/api/gates/{API[registry.slug]}/{{pk}}"]


def test_gate_with_statistics_is_protected(client, users, gate):
    hn = gate("huu-nghi")
    client.force_login(users["vanphong.ls"])
    r = client.delete(f"/api/gates/gates/{hn.pk}")
    assert r.status_code == 409 and r.json()["error"] == "protected"
    assert "Không thể xóa" in client.get(reverse("gates:danh-sach_delete", args=[hn.pk])).content.decode()
    assert BorderGate.objects.filter(pk=hn.pk).exists()


def test_new_gate_goes_with_its_status_periods_logged(client, users, gate):
    user = users["vanphong.ls"]
    hn = gate("huu-nghi")
    new = services.gate_create(
        user=user, code="moi-thu", name="Lối mở thử nghiệm", unit_id=hn.unit_id, kind="opening", mode="road"
    )
    period = services.status_period_add(user=user, gate=new, status="open", valid_from=dt.date(2025, 1, 1))
    # A commune reporter may change statistics but not remove a gate.
    client.force_login(users["baocao.huunghi"])
    assert client.delete(f"/api/gates/gates/{new.pk}").status_code == 404
    client.force_login(user)
    page = client.get(reverse("gates:danh-sach_delete", args=[new.pk])).content.decode()
    assert "Sẽ xóa kèm" in page
    assert client.delete(f"/api/gates/gates/{new.pk}").status_code == 204
    assert not GateStatusPeriod.objects.filter(pk=period.pk).exists()
    logged = set(ChangeLogEntry.objects.filter(action="delete").values_list("content_type__model", "object_id"))
    assert {("bordergate", str(new.pk)), ("gatestatusperiod", str(period.pk))} <= logged


def test_daily_stat_deleted_by_a_reporter_of_that_gate(client, users, gate):
    stat = GateDailyStat.objects.filter(gate=gate("huu-nghi")).order_by("date").first()
    other = GateDailyStat.objects.filter(gate=gate("tan-thanh")).order_by("date").first()
    client.force_login(users["baocao.huunghi"])
    assert client.delete(f"/api/gates/stats/{other.pk}").status_code == 404
    r = client.post(reverse("gates:so-lieu_delete", args=[stat.pk]), {"_version": stat.version})
    assert r.status_code == 302 and not GateDailyStat.objects.filter(pk=stat.pk).exists()
    assert ChangeLogEntry.objects.filter(
        content_type__model="gatedailystat", object_id=str(stat.pk), action="delete"
    ).exists()
