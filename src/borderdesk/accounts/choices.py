from django.db import models
from django.utils.translation import gettext_lazy as _

from borderdesk.core.scoping import Action


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    STANDING_OFFICE = "standing_office", _("Cơ quan thường trực")
    REPORTER = "reporter", _("Cán bộ báo cáo")
    APPROVER = "approver", _("Người duyệt")
    VIEWER = "viewer", _("Lãnh đạo / người xem")
    AUDITOR = "auditor", _("Kiểm tra, giám sát")


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(Action.ALL),
    Role.STANDING_OFFICE: frozenset({Action.VIEW, Action.CHANGE, Action.APPROVE, Action.MANAGE, Action.AUDIT}),
    Role.REPORTER: frozenset({Action.VIEW, Action.CHANGE}),
    Role.APPROVER: frozenset({Action.VIEW, Action.APPROVE}),
    Role.VIEWER: frozenset({Action.VIEW}),
    Role.AUDITOR: frozenset({Action.VIEW, Action.AUDIT}),
}
