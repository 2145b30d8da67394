"""Page parts cached across requests (core.fragments): a write makes the next read fresh, a role change
too, and one user's cached part is never served to another."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from borderdesk.core import fragments, generation
from borderdesk.core.changelog import save_with_log
from borderdesk.org.models import AdministrativeUnit
from borderdesk.reporting import services, workflow
from borderdesk.reporting.models import ReportForm

pytestmark = pytest.mark.django_db


def test_a_cached_part_is_computed_once_then_again_after_a_logged_write(users):
    user, calls = users["vanphong.ls"], []

    def compute():
        calls.append(1)
        ReportForm.objects.count()  # the part reads the forms' table
        return len(calls)

    assert fragments.cached(user, "t", ("a",), compute) == 1
    assert fragments.cached(user, "t", ("a",), compute) == 1  # kept
    assert fragments.cached(user, "t", ("b",), compute) == 2  # other parameters, other entry
    form = ReportForm.objects.get(code="bc-xa-thang")
    form.description = "Mô tả đã sửa"
    save_with_log(user=users["admin"], instance=form)  # a write to a table the part read bumps its generation
    assert fragments.cached(user, "t", ("a",), compute) == 3


def test_one_bump_per_transaction_and_again_after_a_read_or_a_rolled_back_savepoint():
    with transaction.atomic():
        generation.bump_once("t")
        first = generation.tokens()["t"]
        generation.bump_once("t")  # read since the bump: bumped again
        second = generation.tokens()["t"]
        assert second != first
        count = generation.bump_count()
        generation.bump_once("t")
        generation.bump_once("t")  # no read in between: bumped once
        assert generation.bump_count() == count + 1
        assert generation.tokens()["t"] != second
        third = generation.tokens()["t"]
        try:
            with transaction.atomic():
                generation.bump_once("t")
                raise RuntimeError
        except RuntimeError:
            pass
        assert generation.tokens()["t"] == third  # the savepoint's bump was undone with it
        generation.bump_once("t")
        assert generation.tokens()["t"] != third


def test_a_bump_undone_with_its_savepoint_is_made_again_without_a_read_in_between():
    with transaction.atomic():
        generation.bump_once("u")
        for _ in range(50):  # other hooks of the transaction
            transaction.on_commit(lambda: None)
        count = generation.bump_count()
        try:
            with transaction.atomic():
                generation.bump_once("v")
                assert generation.bump_count() == count + 1
                generation.bump_once("v")  # already bumped here
                assert generation.bump_count() == count + 1
                raise RuntimeError
        except RuntimeError:
            pass
        generation.bump_once("u")  # bumped before the savepoint, kept
        assert generation.bump_count() == count + 1
        generation.bump_once("v")  # its bump went with the savepoint: made again
        assert generation.bump_count() == count + 2


def test_a_report_sent_shows_on_the_approvers_next_home_page(users, client, monkeypatch):
    from borderdesk.core import views

    approver, reporter = users["duyet.ls"], users["baocao.dongdang"]
    calls = []
    real = views.collect
    monkeypatch.setattr(views, "collect", lambda *a: calls.append(1) or real(*a))
    client.force_login(approver)
    client.get("/")  # computes the work list, or finds it kept by an earlier visit on the same data
    computed = len(calls)
    first = client.get("/").content.decode()
    assert len(calls) == computed  # the second visit used the cached work list
    form = ReportForm.objects.get(code="bc-xa-thang")
    unit = AdministrativeUnit.objects.valid_on(dt.date.today()).get(name="Xã Đồng Đăng")
    sub = services.submission_get_or_create(user=reporter, form=form, period_key="2026M11", unit=unit)
    services.submission_save(user=reporter, submission=sub, values={"PATROLS_BILATERAL": {"value": "4"}})
    assert f"/bao-cao/nhap/{sub.pk}/" not in first
    workflow.submission_submit(user=reporter, submission=sub, enforce_lock=False)
    assert f"/bao-cao/nhap/{sub.pk}/" in client.get("/").content.decode()
    assert len(calls) == computed + 1


@pytest.mark.parametrize("url", ["/bao-cao/tong-hop/?ky=2025", "/bao-cao/", "/"])
def test_cached_parts_are_never_served_to_another_user(users, client, url):
    client.force_login(users["vanphong.ls"])
    ls = client.get(url).content.decode()
    client.get(url)
    client.force_login(users["vanphong.sl"])
    sl = client.get(url).content.decode()
    if url.startswith("/bao-cao/tong-hop"):
        assert "Tỉnh Lạng Sơn" in ls and "Tỉnh Lạng Sơn" not in sl and "Tỉnh Sơn La" in sl
    if url == "/bao-cao/":
        assert "Xã Đồng Đăng" in ls and "Xã Đồng Đăng" not in sl
    assert ls != sl


def test_a_role_change_makes_the_next_read_fresh(users, client):
    from borderdesk.accounts.models import RoleAssignment

    office = users["vanphong.sl"]
    client.force_login(office)
    assert "Tỉnh Lạng Sơn" not in client.get("/bao-cao/tong-hop/?ky=2025").content.decode()
    a = RoleAssignment.objects.filter(user=office).first()
    RoleAssignment.objects.create(
        user=office, role=a.role, unit=AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn", kind="province")
    )
    assert "Tỉnh Lạng Sơn" in client.get("/bao-cao/tong-hop/?ky=2025").content.decode()
