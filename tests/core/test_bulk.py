"""core.bulk.insert_many and the bulk change log written with it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from borderdesk.core.bulk import insert_many
from borderdesk.core.changelog import BulkChange, record_changes_bulk
from borderdesk.core.models import ChangeLogEntry


@pytest.mark.django_db
def test_insert_many_fills_defaults_and_prepares_values():
    from borderdesk.gates.choices import StatChannel
    from borderdesk.gates.models import BorderGate, GateDailyStat

    gate = BorderGate.objects.order_by("pk").first()
    GateDailyStat.objects.filter(gate=gate, date__year=2031).delete()
    rows = [
        {
            "gate_id": gate.pk,
            "date": dt.date(2031, 1, d),
            "persons_exit": d,
            "export_usd": Decimal("12.50"),
            "channel": StatChannel.LOG,
        }
        for d in (1, 2)
    ]
    before = timezone.now()
    assert insert_many(GateDailyStat, rows) == 2
    assert rows[0]["version"] == 1 and rows[0]["tonnes"] == 0 and rows[0]["created_at"] >= before  # filled in
    saved = GateDailyStat.objects.get(gate=gate, date=dt.date(2031, 1, 2))
    assert (saved.persons_exit, saved.export_usd, saved.channel, saved.note) == (2, Decimal("12.50"), "log", "")
    assert saved.created_at == rows[1]["created_at"]
    assert insert_many(GateDailyStat, []) == 0


@pytest.mark.django_db
def test_bulk_change_log_skips_bookkeeping_only_updates(users):
    from borderdesk.gates.models import GateDailyStat

    user = users["vanphong.ls"]
    n = record_changes_bulk(
        user=user,
        model=GateDailyStat,
        reason="thử",
        changes=[
            BulkChange("1", "A 01/01/2031", 5, None, None, {"persons_exit": 1}),
            BulkChange(
                "2", "B 01/01/2031", 5, None, {"persons_exit": 1, "version": 1}, {"persons_exit": 2, "version": 2}
            ),
            BulkChange(
                "3", "C 01/01/2031", 5, None, {"persons_exit": 1, "version": 1}, {"persons_exit": 1, "version": 2}
            ),
        ],
    )
    assert n == 2
    entries = {e.object_id: e for e in ChangeLogEntry.objects.filter(reason="thử")}
    assert set(entries) == {"1", "2"}
    assert entries["1"].action == "create" and entries["2"].action == "update"
    assert entries["2"].after == {"persons_exit": 2, "version": 2} and entries["2"].user_id == user.pk
    assert entries["1"].content_type.model == "gatedailystat" and entries["1"].unit_id == 5
    assert entries["1"].time is not None and entries["1"].user_repr == user.get_username()


def _patrols(n: int, day: int) -> list:
    from borderdesk.frontier.models import Patrol
    from borderdesk.org.models import Agency

    agency = Agency.objects.order_by("pk").first()
    start = timezone.make_aware(dt.datetime(2031, 3, day, 23, 30))
    return [
        Patrol(
            kind="joint",
            started_at=start + dt.timedelta(minutes=i),
            agency=agency,
            km=Decimal("1.250") if i % 2 else None,
            participants=i,
            findings=f"Tuần tra {i} ‘\t\\ \n",
            minutes_signed=bool(i % 2),
            province_id=agency.unit_id,
            unit_id=agency.unit_id,
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_copy_new_writes_what_bulk_create_writes():
    """core.bulk.copy_new: on PostgreSQL the rows and objects bulk_create leaves (keys in order, auto_now set on
    the objects, _state); elsewhere nothing written and False (the caller uses bulk_create)."""
    from django.db import connection

    from borderdesk.core.bulk import copy_new
    from borderdesk.frontier.models import Patrol

    copied, created = _patrols(5, 1), _patrols(5, 2)
    before = timezone.now()
    done = copy_new(Patrol, copied)
    assert done == (connection.vendor == "postgresql")
    if not done:
        assert all(o.pk is None and o._state.adding for o in copied) and not Patrol.objects.filter(findings="x")
        return
    Patrol.objects.bulk_create(created)
    keys = [o.pk for o in copied]
    assert keys == sorted(keys) and len(set(keys)) == 5 and max(keys) < min(o.pk for o in created)
    assert all(not o._state.adding and o._state.db == "default" and o.created_at >= before for o in copied)
    skip = {"id", "created_at", "updated_at", "started_at"}
    names = [f.attname for f in Patrol._meta.concrete_fields if f.attname not in skip]
    rows = {o.pk: o for o in Patrol.objects.filter(pk__in=keys)}
    for a, b in zip(copied, created, strict=True):
        stored = rows[a.pk]
        assert [getattr(stored, n) for n in names] == [getattr(b, n) for n in names]
        assert (stored.created_at, stored.updated_at, stored.started_at.day) == (a.created_at, a.updated_at, 1)
    assert copy_new(Patrol, [Patrol(pk=keys[0])]) is False  # a key already: bulk_create's case
