"""Users, their scoped roles, and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borderdesk.core.scoping import Action, Scope

from .choices import ROLE_ACTIONS, Role


class User(AbstractUser):
    """A BorderDesk account. What it may see and do comes from its role assignments."""

    display_name = models.CharField(_("tên hiển thị"), max_length=200, blank=True, default="")
    language = models.CharField(
        _("ngôn ngữ"), max_length=8, default="vi", choices=[("vi", "Tiếng Việt"), ("en", "English")]
    )
    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu"),
        default=False,
        help_text=_("Đặt khi tài khoản được tạo hoặc đặt lại mật khẩu: lần đăng nhập sau phải đổi mật khẩu."),
    )
    home_unit = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("đơn vị quản lý tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The change log files account changes under the unit that manages the account (its auditors see them).
    scope_unit_field = "home_unit"
    scope_agency_field = None
    changelog_exclude = ("password",)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    # -- scope -------------------------------------------------------------------------------
    def active_assignments(self, day: dt.date | None = None):
        day = day or timezone.localdate()
        cache = getattr(self, "_assignment_cache", None)
        if cache is None or cache[0] != day:
            rows = list(
                self.role_assignments.filter(
                    (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
                    & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
                ).select_related("unit", "agency")
            )
            cache = (day, rows)
            self._assignment_cache = cache
        return cache[1]

    def roles(self) -> set[str]:
        return {a.role for a in self.active_assignments()}

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(self.roles() & set(roles))

    def can(self, action: str) -> bool:
        return not self.get_scope(action).empty

    def get_scope(self, action: str = Action.VIEW) -> Scope:
        """The user's scope for an action: computed once per process and data generation.

        Within a request the scope is kept on the user object; across requests in the process-wide cache,
        keyed by the user, the action, the day (role assignments have validity dates), the account's
        state and the "scope" generation, which every change to role assignments, accounts, units, unit
        successions and agencies bumps (accounts.signals).
        """
        cache = self.__dict__.setdefault("_scope_cache", {})
        if action not in cache:
            from django.core.cache import cache as shared

            from borderdesk.core import generation

            from .scopes import compute_scope

            if "_scope_generation" not in self.__dict__:  # one statement reads every generation's token
                self.__dict__["_scope_generation"] = generation.tokens_for(self).get("scope") or generation.current(
                    "scope"
                )
            key = (
                f"bd-scope:{self.pk}:{action}:{timezone.localdate().isoformat()}:{int(self.is_active)}"
                f"{int(self.is_superuser)}:{self.__dict__['_scope_generation']}"
            )
            scope = shared.get(key) if self.pk else None
            if scope is None:
                scope = compute_scope(self, action)
                if self.pk:
                    shared.set(key, scope, 3600)
            cache[action] = scope
        return cache[action]

    def clear_scope_cache(self) -> None:
        self.__dict__.pop("_scope_cache", None)
        self.__dict__.pop("_scope_generation", None)
        self.__dict__.pop("_generation_tokens", None)
        self.__dict__.pop("_assignment_cache", None)


class RoleAssignment(models.Model):
    """A role bound to a scope: a unit subtree and/or an agency (with its sub-agencies)."""

    user = models.ForeignKey(
        User, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("phạm vi đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("phạm vi cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    scope_unit_field = "unit"
    scope_agency_field = "agency"

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(unit__isnull=False) | Q(agency__isnull=False),
                name="accounts_roleassignment_has_scope",
            )
        ]

    def __str__(self) -> str:
        scope = self.unit or self.agency or _("toàn quốc")
        return f"{self.get_role_display()} — {scope}"

    def clean(self):
        if self.role != Role.ADMIN and not self.unit_id and not self.agency_id:
            raise ValidationError(_("Vai trò này phải gắn với một đơn vị hoặc một cơ quan."))
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc không được trước ngày bắt đầu.")})

    def is_active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    @property
    def actions(self) -> frozenset[str]:
        return ROLE_ACTIONS[self.role]


def default_token_expiry():
    """Now plus ``BORDERDESK_API_TOKEN_DAYS`` (every API token expires)."""
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone

    return timezone.now() + dt.timedelta(days=getattr(settings, "BORDERDESK_API_TOKEN_DAYS", 90))


class ApiToken(models.Model):
    """A token for the REST API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    prefix = models.CharField(_("tiền tố"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn"), default=default_token_expiry)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at <= timezone.now()

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str, expires_at=None) -> tuple[ApiToken, str]:
        """A new token; it expires after ``BORDERDESK_API_TOKEN_DAYS`` days unless ``expires_at`` is given."""
        if expires_at is None:
            expires_at = default_token_expiry()
        key = "bd_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=key[:10], key_hash=cls.hash_key(key), expires_at=expires_at
        )
        return token, key
