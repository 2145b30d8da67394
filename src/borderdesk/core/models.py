"""Shared building blocks: base models and the change log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .scoping import ScopedManager
from .vn import format_datetime


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """Optimistic locking: services compare `version` before saving (see core.services.check_version)."""

    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        abstract = True


class SourcedModel(models.Model):
    """Rows loaded from public sources keep their source; demo rows without one are marked."""

    source = models.TextField(_("nguồn"), blank=True, default="")
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    class Meta:
        abstract = True

    @property
    def is_unsourced_demo(self) -> bool:
        return self.is_demo and not self.source

    @property
    def source_urls(self) -> list[str]:
        return [s.strip() for s in self.source.split(" ; ") if s.strip()]


class ChangeLogEntry(models.Model):
    """One create, update, delete or workflow step on domain data. Never pruned by default."""

    time = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_repr = models.CharField(_("tài khoản"), max_length=150)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, db_index=True)
    action = models.CharField(_("hành động"), max_length=32)
    content_type = models.ForeignKey(ContentType, verbose_name=_("loại đối tượng"), on_delete=models.PROTECT)
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    object_repr = models.CharField(pgettext_lazy("change log", "đối tượng"), max_length=300)
    unit_id = models.BigIntegerField(_("đơn vị"), null=True, blank=True, db_index=True)
    agency_id = models.BigIntegerField(_("cơ quan"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True, default="")

    scope_unit_field = "unit_id"
    scope_agency_field = "agency_id"

    objects = ScopedManager()

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-time", "-id"]
        # The list is read newest first, a page at a time (core.keyset): each filter that narrows it much has an
        # index ending in (time, id), so a page is read in order however many entries there are (bench/changelog.py).
        indexes = [
            models.Index(fields=["time", "id"], name="core_changelog_time_idx"),
            models.Index(fields=["content_type", "time", "id"], name="core_changelog_type_time_idx"),
            models.Index(fields=["user_repr", "time", "id"], name="core_changelog_user_time_idx"),
            models.Index(fields=["content_type", "object_id", "time", "id"], name="core_changelog_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{format_datetime(self.time)} {self.user_repr} {self.action} {self.object_repr}"

    def changed_labels(self) -> list[str]:
        from .changelog_display import labels

        return labels(self)

    def described_changes(self) -> list[tuple[str, str, str]]:
        """(label, before, after) in words: labels, names, Vietnamese numbers, dates and periods."""
        from .changelog_display import describe

        return describe(self)

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field that differs."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class CacheGeneration(models.Model):
    """A token that changes whenever the data behind a cache changes (see core.generation).

    A random token, not a counter: a rolled-back change restores the previous token, whose cached values
    describe the restored data, and a new change never reuses a token.
    """

    name = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("thế hệ bộ nhớ đệm")
        verbose_name_plural = _("thế hệ bộ nhớ đệm")

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
