"""Reads of accounts for a user: only the accounts they manage (see services for the rule)."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from borderdesk.core.errors import NotFoundError
from borderdesk.core.scoping import Action, scope_for

from .choices import Role
from .models import RoleAssignment, User


def _inside_q(scope) -> Q:
    """Role assignments lying wholly inside a (non-total) scope."""
    return (
        ~Q(role=Role.ADMIN)
        & ~(Q(unit__isnull=True) & Q(agency__isnull=True))
        & (Q(unit__isnull=True) | Q(unit_id__in=scope.unit_ids))
        & (Q(agency__isnull=True) | Q(agency_id__in=scope.agency_ids))
    )


def users_for(user):
    """Accounts the user manages: all for an administrator; for a standing office, the accounts that have
    at least one role and whose every role (past, present or future) lies inside its manage scope."""
    scope = scope_for(user, Action.MANAGE)
    if scope.everything:
        return User.objects.all()
    if scope.empty:
        return User.objects.none()
    inside = _inside_q(scope)
    outside = RoleAssignment.objects.exclude(inside).values("user_id")
    with_role = RoleAssignment.objects.filter(inside).values("user_id")
    return User.objects.filter(is_superuser=False, pk__in=with_role).exclude(pk__in=outside)


def users_list(*, user):
    """The accounts the user manages with their roles (filters, search and order: ``accounts.lists.USERS``)."""
    qs = users_for(user).prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("unit", "agency"))
    )
    return qs.order_by("username")


def user_get(*, user, pk: int) -> User:
    account = users_for(user).filter(pk=pk).first()
    if account is None:
        raise NotFoundError(_("Không tìm thấy tài khoản này (hoặc tài khoản nằm ngoài phạm vi của bạn)."))
    return account


def assignment_get(*, user, pk: int) -> RoleAssignment:
    a = (
        RoleAssignment.objects.select_related("user", "unit", "agency__unit")
        .filter(pk=pk, user__in=users_for(user))
        .first()
    )
    if a is None:
        raise NotFoundError(_("Không tìm thấy phân quyền này (hoặc nằm ngoài phạm vi của bạn)."))
    return a


def grantable_roles(user) -> list:
    """Roles the user may hand out, the most common first (the administrator role last, for administrators)."""
    roles = [(v, label) for v, label in Role.choices if v != Role.ADMIN]
    return roles + ([(Role.ADMIN.value, Role.ADMIN.label)] if is_admin(user) else [])


def is_admin(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or Role.ADMIN in user.roles())
    )
