"""Lifecycles: gates, status periods, daily statistics — scope, validation, versions, change log."""

import datetime as dt
from decimal import Decimal

import pytest

from borderdesk.core.errors import ApplicationError, ConflictError, NotFoundError
from borderdesk.core.models import ChangeLogEntry
from borderdesk.gates import services
from borderdesk.gates.models import BorderGate, GateDailyStat, GateStatusPeriod

pytestmark = pytest.mark.django_db


def test_gate_lifecycle_create_update_conflict(users, unit):
    user = users["vanphong.ls"]
    hn = BorderGate.objects.get(code="huu-nghi")
    lane = services.gate_create(
        user=user,
        code="huu-nghi-lane",
        name="Đường chuyên dụng mốc 1119-1120",
        unit=hn.unit,
        kind="goods_lane",
        parent=hn,
        mode="road",
    )
    assert lane.parent == hn and lane in hn.lanes.all()
    assert ChangeLogEntry.objects.filter(object_id=str(lane.pk), action="create").exists()
    services.gate_update(user=user, gate=lane, expected_version=1, status_note="Thông quan hàng hóa")
    assert BorderGate.objects.get(pk=lane.pk).version == 2
    with pytest.raises(ConflictError):
        services.gate_update(user=user, gate=BorderGate.objects.get(pk=lane.pk), expected_version=1, name="x")


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"kind": "goods_lane"}, "parent"),
        ({"latitude": Decimal("21.9")}, "longitude"),
        ({"latitude": Decimal("95"), "longitude": Decimal("106")}, "latitude"),
        ({"latitude": Decimal("35"), "longitude": Decimal("106.7")}, "latitude"),  # outside Vietnam
        ({"latitude": Decimal("21.9"), "longitude": Decimal("120")}, "longitude"),
    ],
)
def test_gate_validation(users, unit, fields, field):
    with pytest.raises(ApplicationError) as exc:
        services.gate_create(
            user=users["vanphong.ls"],
            **{"code": "x-gate", "name": "X", "kind": "auxiliary", "unit": unit("Tỉnh Lạng Sơn")} | fields,
        )
    assert field in exc.value.field_errors


def test_duplicate_gate_code_is_refused(users, unit):
    with pytest.raises(ApplicationError) as exc:
        services.gate_create(
            user=users["vanphong.ls"], code="huu-nghi", name="Trùng", kind="auxiliary", unit=unit("Tỉnh Lạng Sơn")
        )
    assert "code" in exc.value.field_errors


def test_gate_outside_scope(users, unit):
    with pytest.raises(NotFoundError):
        services.gate_create(
            user=users["vanphong.ls"], code="sl-x", name="X", kind="auxiliary", unit=unit("Tỉnh Sơn La")
        )
    with pytest.raises(NotFoundError):
        services.gate_update(user=users["vanphong.ls"], gate=BorderGate.objects.get(code="long-sap"), name="x")


def test_status_lifecycle_open_suspend_reopen(users):
    user = users["vanphong.ls"]
    gate = BorderGate.objects.get(code="chi-ma")
    services.status_period_add(user=user, gate=gate, status="open", valid_from=dt.date(2024, 1, 1))
    services.status_period_close(user=user, gate=gate, status="suspended", on=dt.date(2025, 2, 1), reason="Mưa lũ")
    services.status_period_close(user=user, gate=gate, status="open", on=dt.date(2025, 2, 10))
    periods = list(GateStatusPeriod.objects.filter(gate=gate).order_by("valid_from"))
    assert [(p.status, p.valid_from, p.valid_to) for p in periods] == [
        ("open", dt.date(2024, 1, 1), dt.date(2025, 1, 31)),
        ("suspended", dt.date(2025, 2, 1), dt.date(2025, 2, 9)),
        ("open", dt.date(2025, 2, 10), None),
    ]
    gate = BorderGate.objects.prefetch_related("status_periods").get(pk=gate.pk)
    assert gate.status_on(dt.date(2025, 2, 5)) == "suspended" and gate.status_on(dt.date(2026, 1, 1)) == "open"
    assert gate.status_on(dt.date(2023, 1, 1)) is None


def test_status_end_before_start_and_overlap_refused(users):
    user = users["vanphong.ls"]
    gate = BorderGate.objects.get(code="chi-ma")
    with pytest.raises(ApplicationError) as exc:
        services.status_period_add(
            user=user, gate=gate, status="open", valid_from=dt.date(2025, 5, 1), valid_to=dt.date(2025, 4, 1)
        )
    assert "valid_to" in exc.value.field_errors
    services.status_period_add(
        user=user, gate=gate, status="open", valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 6, 30)
    )
    with pytest.raises(ApplicationError):
        services.status_period_add(user=user, gate=gate, status="suspended", valid_from=dt.date(2025, 6, 1))
    assert GateStatusPeriod.objects.filter(gate=gate).count() == 1


def test_daily_stat_lifecycle(users):
    user = users["baocao.huunghi"]  # the border guard station managing Hữu Nghị
    gate = BorderGate.objects.get(code="huu-nghi")
    stat, created = services.daily_stat_upsert(
        user=user, gate=gate, date=dt.date(2023, 1, 2), values={"persons_exit": 100, "export_usd": "1500.50"}
    )
    assert created and stat.version == 1 and stat.channel == "form"
    stat, created = services.daily_stat_upsert(
        user=user, gate=gate, date=dt.date(2023, 1, 2), values={"persons_exit": 120}, expected_version=1, channel="api"
    )
    assert not created and stat.version == 2 and stat.channel == "api"
    with pytest.raises(ConflictError):
        services.daily_stat_upsert(
            user=user, gate=gate, date=dt.date(2023, 1, 2), values={"persons_exit": 1}, expected_version=1
        )
    entries = ChangeLogEntry.objects.filter(object_id=str(stat.pk), content_type__model="gatedailystat")
    assert set(entries.values_list("action", flat=True)) == {"create", "update"}
    services.daily_stat_delete(user=user, stat=stat)
    assert not GateDailyStat.objects.filter(pk=stat.pk).exists()


@pytest.mark.parametrize(
    "values,field",
    [
        ({"persons_exit": -1}, "persons_exit"),
        ({"tonnes": "-0.5"}, "tonnes"),
        ({"export_usd": "1.234"}, "export_usd"),
        ({"rail_cars": "2.5"}, "rail_cars"),
        ({"vehicles_waiting": "abc"}, "vehicles_waiting"),
        ({"bogus": 1}, "bogus"),
    ],
)
def test_daily_stat_bad_values_save_nothing(users, values, field):
    gate = BorderGate.objects.get(code="huu-nghi")
    before = GateDailyStat.objects.count()
    with pytest.raises(ApplicationError) as exc:
        services.daily_stat_upsert(user=users["vanphong.ls"], gate=gate, date=dt.date(2023, 3, 3), values=values)
    assert field in exc.value.field_errors
    assert GateDailyStat.objects.count() == before


def test_reporter_of_a_commune_cannot_write_other_gates(users):
    with pytest.raises(NotFoundError):
        services.daily_stat_upsert(
            user=users["baocao.quockhanh"],
            gate=BorderGate.objects.get(code="huu-nghi"),
            date=dt.date(2023, 1, 1),
            values={"persons_exit": 1},
        )
    with pytest.raises(NotFoundError):
        services.daily_stat_upsert(
            user=users["lanhdao.ls"],
            gate=BorderGate.objects.get(code="huu-nghi"),
            date=dt.date(2023, 1, 1),
            values={"persons_exit": 1},
        )


SCOPE_TABLE = [
    ("admin", "long-sap", True),
    ("vanphong.ls", "huu-nghi", True),
    ("vanphong.ls", "long-sap", False),
    ("vanphong.sl", "long-sap", True),
    ("vanphong.sl", "chi-ma", False),
    ("baocao.dongdang", "huu-nghi", True),
    ("baocao.dongdang", "dong-dang-rail", True),
    ("baocao.dongdang", "chi-ma", False),
    ("baocao.huunghi", "huu-nghi", True),
    ("baocao.huunghi", "tan-thanh", False),
    ("lanhdao.ls", "chi-ma", True),
]


@pytest.mark.parametrize("username,code,visible", SCOPE_TABLE)
def test_scope_table(users, username, code, visible):
    assert BorderGate.objects.for_user(users[username]).filter(code=code).exists() is visible
    assert GateDailyStat.objects.for_user(users[username]).filter(gate__code=code).exists() is (
        visible and GateDailyStat.objects.filter(gate__code=code).exists()
    )
