"""Every write on accounts: create, edit, deactivate, roles, passwords, bulk creation.

Rules (checked here, for pages and API alike):

- Only a user holding the *manage* action (standing office, administrator) manages accounts, and only
  accounts whose every role lies inside their own manage scope (`selectors.users_for`); anything
  else is "not found" (404), as for every other object outside one's scope.
- A user never grants more than they hold: the administrator role only by an administrator; any other
  role only over a unit and/or agency where the grantor holds every action of that role, and no longer
  than the grantor's own managing role lasts.
- A new account and a reset password are temporary: the user must change the password at the next
  login (`must_change_password`, enforced by `accounts.middleware`).
- Each change is written to the change log (never the password hash).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderdesk.core.changelog import record_change, save_with_log, snapshot
from borderdesk.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from borderdesk.core.scoping import Action, scope_for
from borderdesk.core.vn import format_date

from .choices import ROLE_ACTIONS, Role
from .models import RoleAssignment, User
from .selectors import is_admin, users_for

USERNAME_RE = re.compile(r"^[A-Za-z0-9._@+-]{3,150}$")
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password() -> str:
    """A random password to hand over once (no look-alike characters)."""
    return "".join(secrets.choice(_ALPHABET) for _i in range(12))


def require_manager(user) -> None:
    if not scope_for(user, Action.MANAGE).everything and scope_for(user, Action.MANAGE).empty:
        raise PermissionDeniedError(_("Chỉ cơ quan thường trực hoặc quản trị hệ thống mới quản lý tài khoản."))


def require_manageable(actor, target: User) -> None:
    """404 unless `actor` may manage `target` (see selectors.users_for)."""

    require_manager(actor)
    if not users_for(actor).filter(pk=target.pk).exists():
        raise NotFoundError(_("Không tìm thấy tài khoản này (hoặc tài khoản nằm ngoài phạm vi của bạn)."))


# Granting -------------------------------------------------------------------------------------------
def _grantor_manage_end(actor, unit, agency) -> tuple[bool, dt.date | None]:
    """Whether one of the actor's managing roles covers the unit/agency today, and the latest day it lasts."""
    today = timezone.localdate()
    found = False
    end: dt.date | None = dt.date.min
    for a in actor.active_assignments(today):
        if Action.MANAGE not in ROLE_ACTIONS[a.role]:
            continue
        covers = True
        if unit is not None:
            covers = bool(a.unit_id) and (unit.path or "").startswith(a.unit.path)
        if agency is not None and covers and unit is None:
            covers = (a.agency_id == agency.pk) or (
                bool(a.unit_id) and (agency.unit.path or "").startswith(a.unit.path)
            )
        if covers:
            found = True
            end = None if a.valid_to is None or end is None else max(end, a.valid_to)
    return found, end


def check_grant(
    actor, *, role: str, unit=None, agency=None, valid_from: dt.date | None = None, valid_to: dt.date | None = None
) -> None:
    """Refuse a role assignment that would give more than the actor holds (level, scope, time)."""
    if role not in ROLE_ACTIONS:
        raise ApplicationError(
            _("Vai trò không hợp lệ: “%(v)s”. Chọn một trong: %(all)s.")
            % {"v": role, "all": ", ".join(str(label) for _v, label in Role.choices)},
            field_errors={"role": [_("Không hợp lệ.")]},
        )
    if is_admin(actor):
        return
    require_manager(actor)
    if role == Role.ADMIN:
        raise PermissionDeniedError(_("Chỉ quản trị hệ thống mới cấp được vai trò quản trị hệ thống."))
    if unit is None and agency is None:
        raise ApplicationError(
            _("Vai trò này phải gắn với một đơn vị hoặc một cơ quan."), field_errors={"unit": [_("Bắt buộc.")]}
        )
    for action in ROLE_ACTIONS[role]:
        scope = scope_for(actor, action)
        if (unit is not None and not scope.contains_unit(unit.pk)) or (
            agency is not None and not scope.contains_agency(agency.pk)
        ):
            raise NotFoundError(_("Đơn vị hoặc cơ quan này nằm ngoài phạm vi của bạn (hoặc không tồn tại)."))
    covered, end = _grantor_manage_end(actor, unit, agency)
    if not covered:
        raise NotFoundError(_("Đơn vị hoặc cơ quan này nằm ngoài phạm vi của bạn (hoặc không tồn tại)."))
    if end is not None and (valid_to is None or valid_to > end):
        raise PermissionDeniedError(
            _("Không thể cấp quyền dài hơn quyền của chính bạn: vai trò quản lý của bạn hết hạn ngày %(d)s.")
            % {"d": format_date(end)},
            field_errors={"valid_to": [_("Muộn nhất %(d)s.") % {"d": format_date(end)}]},
        )


def _home_unit(unit, agency):
    return unit if unit is not None else (agency.unit if agency is not None else None)


def _new_assignment(actor, user: User, *, role, unit, agency, valid_from, valid_to, reason="") -> RoleAssignment:
    check_grant(actor, role=role, unit=unit, agency=agency, valid_from=valid_from, valid_to=valid_to)
    a = RoleAssignment(user=user, role=role, unit=unit, agency=agency, valid_from=valid_from, valid_to=valid_to)
    save_with_log(user=actor, instance=a, reason=reason)
    user.clear_scope_cache()
    return a


# Accounts -------------------------------------------------------------------------------------------
def _check_username(username: str) -> str:
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise ApplicationError(
            _("Tên đăng nhập “%(v)s” không hợp lệ: 3–150 ký tự, chỉ gồm chữ không dấu, số và . _ @ + -.")
            % {"v": username},
            field_errors={"username": [_("Không hợp lệ.")]},
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(
            _("Tên đăng nhập “%(v)s” đã có người dùng.") % {"v": username},
            field_errors={"username": [_("Đã tồn tại.")]},
        )
    return username


def _check_password(password: str, user: User, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field_errors={field: list(exc.messages)}) from None


def user_create(
    *,
    user,
    username: str,
    display_name: str = "",
    email: str = "",
    language: str = "vi",
    role: str,
    unit=None,
    agency=None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    password: str = "",
    reason: str = "",
) -> tuple[User, str]:
    """Create an account with its first role. Returns (account, temporary password shown once)."""
    require_manager(user)
    if role == Role.ADMIN and not is_admin(user):
        raise PermissionDeniedError(_("Chỉ quản trị hệ thống mới cấp được vai trò quản trị hệ thống."))
    check_grant(user, role=role, unit=unit, agency=agency, valid_from=valid_from, valid_to=valid_to)
    with transaction.atomic():
        account = User(
            username=_check_username(username),
            display_name=(display_name or "").strip()[:200],
            email=(email or "").strip(),
            language=language if language in ("vi", "en") else "vi",
            must_change_password=True,
            home_unit=_home_unit(unit, agency),
        )
        password = password or temporary_password()
        _check_password(password, account)
        account.set_password(password)
        try:
            save_with_log(user=user, instance=account, reason=reason)
        except ValidationError as exc:
            msgs = [m for v in exc.message_dict.values() for m in v] if hasattr(exc, "error_dict") else exc.messages
            raise ApplicationError("; ".join(msgs), field_errors=getattr(exc, "message_dict", {})) from None
        except IntegrityError:
            raise ApplicationError(_("Tên đăng nhập “%(v)s” đã có người dùng.") % {"v": username}) from None
        _new_assignment(
            user, account, role=role, unit=unit, agency=agency, valid_from=valid_from, valid_to=valid_to, reason=reason
        )
    return account, password


def user_update(*, user, account: User, reason: str = "", **fields) -> User:
    """Change name, e-mail or language of an account the user manages."""
    require_manageable(user, account)
    allowed = {"display_name", "email", "language"}
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(_("Không sửa được trường: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        for k, v in fields.items():
            if k == "language" and v not in ("vi", "en"):
                raise ApplicationError(
                    _("Ngôn ngữ “%(v)s” không hợp lệ (vi hoặc en).") % {"v": v},
                    field_errors={"language": [_("Không hợp lệ.")]},
                )
            setattr(account, k, (v or "").strip())
        try:
            save_with_log(user=user, instance=account, reason=reason)
        except ValidationError as exc:
            raise ApplicationError("; ".join(exc.messages), field_errors=getattr(exc, "message_dict", {})) from None
    return account


def user_set_active(*, user, account: User, active: bool, reason: str = "") -> User:
    """Deactivate (or reactivate) an account: it can no longer log in nor use its API tokens."""
    require_manageable(user, account)
    if account.pk == user.pk and not active:
        raise ApplicationError(_("Không thể tự khóa tài khoản của chính mình."))
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        if account.is_active == active:
            return account
        account.is_active = active
        save_with_log(user=user, instance=account, reason=reason, action="deactivate" if not active else "activate")
    return account


def role_assign(
    *,
    user,
    account: User,
    role: str,
    unit=None,
    agency=None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    reason: str = "",
) -> RoleAssignment:
    """Give an account one more role over a unit subtree and/or an agency, for a validity period."""
    require_manageable(user, account)
    with transaction.atomic():
        return _new_assignment(
            user, account, role=role, unit=unit, agency=agency, valid_from=valid_from, valid_to=valid_to, reason=reason
        )


def role_end(*, user, assignment: RoleAssignment, end: dt.date | None = None, reason: str = "") -> RoleAssignment:
    """End a role on a day (default yesterday: no longer valid today). The row stays, for the record."""
    require_manageable(user, assignment.user)
    if not is_admin(user):
        check_grant(user, role=assignment.role, unit=assignment.unit, agency=assignment.agency)
    end = end or (timezone.localdate() - dt.timedelta(days=1))
    with transaction.atomic():
        a = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if a.valid_from and end < a.valid_from:  # not started yet: withdrawn altogether
            before = snapshot(a)
            record_change(user=user, instance=a, action="delete", before=before, after=None, reason=reason)
            a.delete()
            return assignment
        if a.valid_to is not None and a.valid_to <= end:
            return a
        a.valid_to = end
        save_with_log(user=user, instance=a, reason=reason)
    return a


def password_reset(*, user, account: User, password: str = "", reason: str = "") -> str:
    """Set a temporary password (returned once); the user must change it at the next login."""
    require_manageable(user, account)
    if account.pk == user.pk:
        raise ApplicationError(_("Đổi mật khẩu của chính bạn tại trang “Đổi mật khẩu”."))
    password = password or temporary_password()
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        _check_password(password, account)
        account.set_password(password)
        account.must_change_password = True
        account.save(update_fields=["password", "must_change_password"])
        record_change(
            user=user,
            instance=account,
            action="reset_password",
            before=None,
            after={"must_change_password": True},
            reason=reason,
        )
    return password


def password_change(*, user, old_password: str, new_password: str, new_password2: str | None = None) -> User:
    """The user changes their own password (required after a reset)."""
    if not user.check_password(old_password or ""):
        raise ApplicationError(_("Mật khẩu hiện tại không đúng."), field_errors={"old_password": [_("Không đúng.")]})
    if new_password2 is not None and new_password != new_password2:
        raise ApplicationError(
            _("Hai lần nhập mật khẩu mới không khớp."), field_errors={"new_password2": [_("Không khớp.")]}
        )
    if new_password == old_password:
        raise ApplicationError(
            _("Mật khẩu mới phải khác mật khẩu hiện tại."), field_errors={"new_password": [_("Trùng mật khẩu cũ.")]}
        )
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=user.pk)
        _check_password(new_password, account, "new_password")
        account.set_password(new_password)
        was = account.must_change_password
        account.must_change_password = False
        account.save(update_fields=["password", "must_change_password"])
        record_change(
            user=account,
            instance=account,
            action="change_password",
            before={"must_change_password": was},
            after={"must_change_password": False},
        )
    user.password, user.must_change_password = account.password, False
    return account
