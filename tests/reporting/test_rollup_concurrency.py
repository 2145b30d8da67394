"""Two approvals of one reporter's reports at the same moment (PostgreSQL): the rollup stays exact."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from borderdesk.core.periods import period_for
from borderdesk.org.models import AdministrativeUnit
from borderdesk.reporting import aggregation, rollup, services, workflow
from borderdesk.reporting.models import ReportForm, RollupMember, RollupValue

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers"),
]


def test_concurrent_approvals_of_one_reporter(monkeypatch):
    from borderdesk.accounts.models import User
    from borderdesk.demo.loader import database_is_empty, load_demo

    if database_is_empty():
        load_demo()
    admin = User.objects.get(username="admin")
    form = ReportForm.objects.get(code="bc-xa-thang")
    commune = AdministrativeUnit.objects.get(name="Xã Đồng Đăng")
    subs = []
    for key in ("2026M03", "2026M04"):
        sub = services.submission_create(user=admin, form=form, period_key=key, unit=commune)
        services.submission_save(
            user=admin, submission=sub, values={"PROPAGANDA_SESSIONS": {"value": "7"}}, enforce_lock=False
        )
        workflow.submission_submit(user=admin, submission=sub, enforce_lock=False)
        subs.append(sub)
    # Hold each approval open after its rollup refresh until the other one has refreshed too (or 3 s):
    # without a lock both refresh from the same committed state and both insert rows.
    barrier = threading.Barrier(2)
    original = rollup.refresh_for_submission

    def refresh_then_wait(submission):
        original(submission)
        try:
            barrier.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass

    monkeypatch.setattr(rollup, "refresh_for_submission", refresh_then_wait)
    errors = []

    def approve(sub):
        try:
            while sub.status == "submitted":
                workflow.submission_approve(user=admin, submission=sub)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(s,)) for s in subs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    year = period_for("year", 2026)
    ids = set(
        RollupMember.objects.filter(bucket_start=year.start, bucket_end=year.end, rkey=commune.pk).values_list(
            "submission_id", flat=True
        )
    )
    assert {s.pk for s in subs} <= ids
    rows = RollupValue.objects.filter(
        bucket_start=year.start, bucket_end=year.end, rkey=commune.pk, indicator__code="PROPAGANDA_SESSIONS"
    )
    assert rows.count() == 1
    assert aggregation.rollup_differences(unit=commune, period=year, form=form) == []
