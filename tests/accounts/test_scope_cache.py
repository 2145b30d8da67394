"""A user's scope is computed once per process and data generation, and a change is seen at once."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from borderdesk.accounts.choices import Role
from borderdesk.accounts.models import RoleAssignment, User
from borderdesk.core.scoping import Action

pytestmark = pytest.mark.django_db


def fresh(username):
    return User.objects.get(username=username)


def test_a_second_request_reuses_the_scope_with_one_query(users):
    first = fresh("vanphong.ls").get_scope(Action.VIEW)
    user = fresh("vanphong.ls")  # a new request: a new user object
    with CaptureQueriesContext(connection) as q:
        again = user.get_scope(Action.VIEW)
    assert again == first
    assert len(q.captured_queries) == 1, [x["sql"] for x in q.captured_queries]  # the generation token only


def test_a_new_role_assignment_is_seen_by_the_next_request(users, unit):
    before = fresh("baocao.dongdang").get_scope(Action.VIEW)
    son_la = unit("Tỉnh Sơn La")
    assert son_la.pk not in before.unit_ids
    RoleAssignment.objects.create(user=users["baocao.dongdang"], role=Role.VIEWER, unit=son_la)
    after = fresh("baocao.dongdang").get_scope(Action.VIEW)
    assert son_la.pk in after.unit_ids


def test_ending_an_assignment_and_deactivating_are_seen(users):
    user = fresh("lanhdao.ls")
    assert not user.get_scope(Action.VIEW).empty
    RoleAssignment.objects.filter(user=user).delete()  # a queryset delete still sends post_delete per row
    assert fresh("lanhdao.ls").get_scope(Action.VIEW).empty
    other = fresh("duyet.ls")
    assert not other.get_scope(Action.VIEW).empty
    other.is_active = False
    other.save()
    assert fresh("duyet.ls").get_scope(Action.VIEW).empty


def test_a_rolled_back_change_leaves_the_previous_scope(users, unit):
    before = fresh("baocao.quockhanh").get_scope(Action.VIEW)
    son_la = unit("Tỉnh Sơn La")
    with pytest.raises(RuntimeError), transaction.atomic():
        RoleAssignment.objects.create(user=users["baocao.quockhanh"], role=Role.VIEWER, unit=son_la)
        assert son_la.pk in fresh("baocao.quockhanh").get_scope(Action.VIEW).unit_ids
        raise RuntimeError
    assert fresh("baocao.quockhanh").get_scope(Action.VIEW) == before


def test_a_login_does_not_invalidate_every_scope(users, client):
    from borderdesk.core import generation

    token = generation.current("scope")
    client.force_login(users["vanphong.ls"])  # saves last_login
    assert generation.current("scope") == token
