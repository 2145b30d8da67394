"""Background jobs: long work (imports, rebuilds, drafting for many units) run outside the request.

A Job is what the user sees: its kind, progress (done / total, the current step), and its result or
errors. The queue underneath is Django's tasks framework (django-tasks with its database backend,
`borderdesk.jobs.tasks`), so a job runs in `borderdesk worker` processes on any machine sharing the
database, or in the worker that `borderdesk serve` starts beside the web server.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderdesk.core import background
from borderdesk.core.texts import Text


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Không thành công")


class JobQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view"):
        """A user sees the jobs they started; an administrator sees every job."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser or user.has_role("admin"):
            return self
        return self.filter(created_by=user)


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("loại công việc"), max_length=60)
    # The title as written in Vietnamese (searched and sorted on; what a job from before title_text shows) and as
    # the catalogue's text and parameters (core.texts.Text), shown in the reader's language: `shown_title`.
    title = models.CharField(_("tên công việc"), max_length=300)
    title_text = models.JSONField(_("tên công việc (theo ngôn ngữ người xem)"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    input_path = models.CharField(_("tệp đầu vào"), max_length=500, blank=True, default="")
    step = models.CharField(_("bước"), max_length=200, blank=True, default="")
    done = models.BigIntegerField(_("đã xử lý"), default=0)
    total = models.BigIntegerField(_("tổng số"), null=True, blank=True)
    result = models.JSONField(_("kết quả"), null=True, blank=True)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    message = models.TextField(_("thông báo"), blank=True, default="")
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    # A scheduled run's key ("kind:date"): unique, so several workers start a daily job once.
    run_key = models.CharField(_("lượt chạy theo lịch"), max_length=100, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("cập nhật lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("công việc chạy nền")
        verbose_name_plural = _("công việc chạy nền")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="jobs_job_status_idx")]

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        """The title in the active language (a job kept before titles were stored as texts: as stored)."""
        if self.title_text:
            try:
                return str(Text.from_json(self.title_text))[:300]
            except (KeyError, TypeError, ValueError):  # a catalogue entry that no longer fits its parameters
                pass
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def counts(self) -> str:
        """What done / total count: "items" or "bytes" (the job kind's, see core.background)."""
        found = background.KINDS.get(self.kind)
        return found.counts if found else "items"

    @property
    def percent(self) -> int | None:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return None
        return max(0, min(99, int(self.done * 100 / self.total)))
