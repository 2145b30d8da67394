"""Report outlines (editable, versioned), drafts (versioned) and issued reports (frozen)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderdesk.core.collation import vi
from borderdesk.core.scoping import ScopedManager
from borderdesk.core.vn import format_date


class ReportKind(models.TextChoices):
    YEAR = "year", _("Báo cáo năm (tổng kết)")
    H1 = "H1", _("Báo cáo 6 tháng (sơ kết)")
    OTHER = "other", _("Báo cáo khác")


class ReportTemplate(models.Model):
    """A report outline the standing office edits; its text lives in versions."""

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên mẫu"), max_length=200)
    kind = models.CharField(_("loại báo cáo"), max_length=16, choices=ReportKind.choices)
    is_default = models.BooleanField(_("mẫu mặc định của loại"), default=False)

    class Meta:
        verbose_name = _("mẫu đề cương báo cáo")
        verbose_name_plural = _("mẫu đề cương báo cáo")
        ordering = ["kind", vi("name")]

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> ReportTemplateVersion | None:
        return self.versions.order_by("-number").first()


class ReportTemplateVersion(models.Model):
    """One saved, validated version of an outline (never edited in place)."""

    template = models.ForeignKey(
        ReportTemplate, verbose_name=_("mẫu"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    summary = models.TextField(_("trích yếu"))
    body = models.TextField(_("đề cương"))
    recipients = models.TextField(_("nơi nhận"), blank=True, default="")
    note = models.CharField(_("ghi chú thay đổi"), max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản mẫu đề cương")
        verbose_name_plural = _("phiên bản mẫu đề cương")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="documents_reporttemplateversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class ReportDraft(models.Model):
    """One version of a drafted report for (committee, template, period)."""

    committee = models.ForeignKey(
        "org.Committee", verbose_name=_("ban chỉ đạo"), on_delete=models.PROTECT, related_name="report_drafts"
    )
    template_version = models.ForeignKey(
        ReportTemplateVersion, verbose_name=_("mẫu đề cương"), on_delete=models.PROTECT, related_name="drafts"
    )
    period_key = models.CharField(_("kỳ báo cáo"), max_length=16)
    period_rule = models.CharField(_("quy tắc kỳ"), max_length=16, default="decree09")
    period_label = models.CharField(_("tên kỳ"), max_length=100)
    form_code = models.CharField(_("biểu mẫu"), max_length=64, blank=True, default="")
    report_date = models.DateField(_("ngày báo cáo"))
    version = models.PositiveIntegerField(_("lần dự thảo"))
    status = models.CharField(_("trạng thái"), max_length=8, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    signer_role = models.CharField(_("người ký"), max_length=32, default="head")
    summary_text = models.TextField(_("trích yếu"))
    body_text = models.TextField(_("nội dung"))
    warnings = models.JSONField(_("cảnh báo"), default=list, blank=True)
    source_notes = models.JSONField(_("nguồn số liệu"), default=dict, blank=True)
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan báo cáo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_drafts",
    )
    edit_note = models.CharField(_("nội dung sửa"), max_length=300, blank=True, default="")
    document = models.JSONField(_("bố cục văn bản"), default=dict)
    docx = models.BinaryField(_("tệp .docx"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    scope_unit_field = "committee__unit"
    scope_agency_field = "committee__standing_office"
    objects = ScopedManager()
    changelog_exclude = ("docx",)

    class Meta:
        verbose_name = _("dự thảo báo cáo")
        verbose_name_plural = _("dự thảo báo cáo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "template_version", "period_key", "version"],
                name="documents_reportdraft_unique_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.summary_text} — dự thảo {self.version}"


class DraftComment(models.Model):
    """A member's comment on a draft (on one section, or on the whole draft)."""

    draft = models.ForeignKey(ReportDraft, verbose_name=_("dự thảo"), on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(_("mục"), max_length=300, blank=True, default="")
    text = models.TextField(_("ý kiến"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người góp ý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    scope_unit_field = "draft__committee__unit"
    scope_agency_field = "draft__committee__standing_office"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("ý kiến góp ý dự thảo")
        verbose_name_plural = _("ý kiến góp ý dự thảo")
        ordering = ["draft", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.draft_id}: {self.text[:40]}"


class IssuedReport(models.Model):
    """An issued report: number, date and the .docx bytes are frozen (never updated or deleted)."""

    draft = models.OneToOneField(
        ReportDraft, verbose_name=_("dự thảo"), on_delete=models.PROTECT, related_name="issued"
    )
    committee = models.ForeignKey(
        "org.Committee", verbose_name=_("ban chỉ đạo"), on_delete=models.PROTECT, related_name="issued_reports"
    )
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=32)
    issued_on = models.DateField(_("ngày ban hành"))
    summary_text = models.TextField(_("trích yếu"))
    docx = models.BinaryField(_("tệp .docx"))
    sha256 = models.CharField(max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ban hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    scope_unit_field = "committee__unit"
    scope_agency_field = "committee__standing_office"
    objects = ScopedManager()
    changelog_exclude = ("docx",)

    class Meta:
        verbose_name = _("báo cáo đã ban hành")
        verbose_name_plural = _("báo cáo đã ban hành")
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "symbol", "issued_on", "number"], name="documents_issuedreport_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.symbol} ({format_date(self.issued_on)})"

    def save(self, *args, **kwargs):
        if self.pk and IssuedReport.objects.filter(pk=self.pk).exists():
            raise ValidationError(_("Báo cáo đã ban hành không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Báo cáo đã ban hành không được xóa."))

    @property
    def number_line(self) -> str:
        return f"Số: {self.number:02d}/{self.symbol}"
