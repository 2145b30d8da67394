"""The accounts app's lists, declared once (core.listing) for their page and their API endpoint."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from borderdesk.core.listing import Filter, ListSpec, Sort

from .choices import Role
from .models import RoleAssignment


def _holding_role(qs, role: str, query):
    """Accounts holding the role (current or past), each once."""
    return qs.filter(pk__in=RoleAssignment.objects.filter(role=role).values("user_id"))


#: the accounts a standing office or the administrator manages (/tai-khoan/, /api/accounts/users)
USERS = ListSpec(
    filters=[
        Filter("vai_tro", _("Vai trò"), "role", choices=Role.choices, apply=_holding_role, aliases=("role",)),
        Filter("hoat_dong", _("Đang hoạt động"), "is_active", kind="bool", aliases=("active",)),
    ],
    search_fields=["username", "display_name", "email"],
    sorts=[
        Sort("username", _("Tên đăng nhập")),
        Sort("display_name", _("Tên hiển thị"), ("display_name",)),
        Sort("is_active", _("Trạng thái"), ("-is_active", "username")),
        Sort("last_login", _("Đăng nhập gần nhất"), ("last_login",)),
    ],
    default_sort="username",
)
