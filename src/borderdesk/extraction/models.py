"""Documents read for figures and the proposals a person reviews before they become data values.

The extraction library (pure Python, :mod:`borderdesk.extraction.figures`) proposes figures; a
``FigureProposal`` keeps each one with its exact quote and offsets into ``SourceDocument.text``
(the normalised text), so the quote can always be shown in its place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderdesk.core.models import TimeStampedModel, VersionedModel
from borderdesk.core.scoping import ScopedManager

from .choices import DocumentKind, ProposalStatus


class SourceDocument(TimeStampedModel):
    """A narrative (pasted text, .txt, .docx or a saved .html page) uploaded for one unit or agency."""

    title = models.CharField(_("tiêu đề"), max_length=300)
    filename = models.CharField(_("tên tệp"), max_length=255, blank=True, default="")
    kind = models.CharField(_("loại"), max_length=8, choices=DocumentKind.choices, default=DocumentKind.PASTE)
    text = models.TextField(_("nội dung (đã chuẩn hóa)"))
    size_bytes = models.PositiveBigIntegerField(_("kích thước (byte)"), default=0)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    unit = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extraction_documents",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extraction_documents",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    period_guess = models.CharField(_("kỳ (đoán từ văn bản)"), max_length=120, blank=True, default="")
    period_key = models.CharField(
        _("mã kỳ (đoán từ văn bản)"),
        max_length=20,
        blank=True,
        default="",
        help_text=_("Ví dụ 2026H1, 2025, 2025Q3; đề xuất làm kỳ mặc định khi đưa vào báo cáo."),
    )
    province_guess = models.CharField(_("tỉnh (đoán từ văn bản)"), max_length=80, blank=True, default="")

    scope_unit_field = "unit"
    scope_agency_field = "agency"
    objects = ScopedManager()
    changelog_exclude = ("text",)

    class Meta:
        verbose_name = _("văn bản nguồn")
        verbose_name_plural = _("văn bản nguồn")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(agency__isnull=False), name="extraction_sourcedocument_has_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self):
        return self.unit if self.unit_id else self.agency


class FigureProposal(VersionedModel):
    """One figure found in a document: proposed, then accepted (possibly edited), rejected or imported."""

    document = models.ForeignKey(
        SourceDocument, verbose_name=_("văn bản nguồn"), on_delete=models.CASCADE, related_name="proposals"
    )
    position = models.PositiveIntegerField(_("thứ tự"))
    quote = models.TextField(_("trích dẫn"))
    start = models.PositiveIntegerField(_("vị trí đầu"))
    end = models.PositiveIntegerField(_("vị trí cuối"))
    value = models.DecimalField(_("giá trị"), max_digits=24, decimal_places=4, null=True, blank=True)
    range_low = models.DecimalField(_("từ"), max_digits=24, decimal_places=4, null=True, blank=True)
    range_high = models.DecimalField(_("đến"), max_digits=24, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=60, blank=True, default="")
    qualifier = models.CharField(_("từ định lượng"), max_length=40, blank=True, default="")
    noun = models.TextField(_("đối tượng đếm"), blank=True, default="")
    vague = models.BooleanField(_("ước lượng"), default=False)
    indicator_code = models.CharField(_("chỉ tiêu đề xuất"), max_length=64, blank=True, default="")
    confidence = models.DecimalField(_("độ tin cậy"), max_digits=3, decimal_places=2, default=0)
    comparison = models.JSONField(_("so sánh"), null=True, blank=True)
    change_direction = models.CharField(
        _("thay đổi (tăng/giảm)"),
        max_length=8,
        blank=True,
        default="",
        help_text=_("“tăng 148 doanh nghiệp”: số liệu là mức thay đổi, không phải giá trị."),
    )
    change_of = models.PositiveIntegerField(_("thay đổi của số liệu (thứ tự)"), null=True, blank=True)
    part_of = models.PositiveIntegerField(_("phần của số liệu (thứ tự)"), null=True, blank=True)
    context = models.JSONField(_("bối cảnh"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED, db_index=True
    )
    edited_value = models.DecimalField(_("giá trị đã sửa"), max_digits=24, decimal_places=4, null=True, blank=True)
    edited_indicator_code = models.CharField(_("chỉ tiêu đã sửa"), max_length=64, blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    imported_value_id = models.BigIntegerField(_("mã số liệu đã nhập"), null=True, blank=True)
    imported_submission_id = models.BigIntegerField(_("mã báo cáo đã nhập"), null=True, blank=True)
    imported_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True)

    @property
    def is_change(self) -> bool:
        return bool(self.change_direction)

    scope_unit_field = "document__unit"
    scope_agency_field = "document__agency"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("số liệu đề xuất")
        verbose_name_plural = _("số liệu đề xuất")
        ordering = ["document", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="extraction_figureproposal_position"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="extraction_figureproposal_span"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="extraction_figureproposal_confidence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quote} → {self.final_indicator_code or '—'}"

    @property
    def final_value(self):
        return self.edited_value if self.edited_value is not None else self.value

    @property
    def final_indicator_code(self) -> str:
        return self.edited_indicator_code or self.indicator_code

    @property
    def is_edited(self) -> bool:
        return self.edited_value is not None or bool(self.edited_indicator_code)
