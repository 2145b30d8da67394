"""Outreach: legal propaganda sessions, household commitments, support programmes and beneficiaries.

Rows are placed like frontier rows (province, unit = commune or province, agency), so scope and
derived figures follow the same rule.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderdesk.core.collation import vi
from borderdesk.core.places import NON_NEGATIVE, PlacedRecord, province_of
from borderdesk.core.vn import format_date

from .choices import AudienceKind, BeneficiaryKind, ProgrammeKind


def _agency_province(agency):
    return province_of(agency.unit) if agency is not None else None


class PropagandaSession(PlacedRecord):
    """One legal propaganda session (buổi tuyên truyền)."""

    held_on = models.DateField(_("ngày"))
    place_name = models.CharField(_("địa điểm"), max_length=200)
    commune = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("xã"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("đơn vị tổ chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField(_("nội dung"), max_length=300, blank=True, default="")
    audience_kind = models.CharField(
        _("đối tượng"), max_length=16, choices=AudienceKind.choices, default=AudienceKind.RESIDENTS
    )
    listeners = models.PositiveIntegerField(_("lượt người nghe"), default=0)
    leaflets = models.PositiveIntegerField(_("tờ rơi"), default=0)
    document_sets = models.PositiveIntegerField(_("bộ tài liệu"), default=0)
    bilingual = models.BooleanField(_("song ngữ"), default=False)
    joint_with_counterpart = models.BooleanField(_("phối hợp với phía bạn"), default=False)
    counterpart_name = models.CharField(_("lực lượng phía bạn"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("buổi tuyên truyền")
        verbose_name_plural = _("buổi tuyên truyền")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["province", "held_on"], name="outreach_session_prov_idx"),
            models.Index(fields=["unit", "held_on"], name="outreach_session_unit_idx"),
            models.Index(fields=["agency", "held_on"], name="outreach_session_agency_idx"),
        ]

    def __str__(self) -> str:
        return _("Tuyên truyền tại %(p)s ngày %(d)s") % {
            "p": self.place_name,
            "d": format_date(self.held_on) if self.held_on else "?",
        }

    def event_date(self):
        return self.held_on

    def place(self):
        return self.commune, _agency_province(self.agency)

    def clean(self):
        super().clean()
        if self.joint_with_counterpart and not self.counterpart_name:
            raise ValidationError({"counterpart_name": _("Buổi phối hợp với phía bạn cần ghi lực lượng phía bạn.")})


class HouseholdCommitment(PlacedRecord):
    """Households of a village signing a commitment to abide by the border regulations."""

    signed_on = models.DateField(_("ngày ký"))
    commune = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("xã"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    village = models.CharField(_("thôn, bản"), max_length=200, blank=True, default="")
    households = models.PositiveIntegerField(_("số hộ ký cam kết"))
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("đơn vị vận động"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("ghi chú"), blank=True, default="")

    class Meta:
        verbose_name = _("hộ ký cam kết")
        verbose_name_plural = _("hộ gia đình ký cam kết")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return _("%(n)s hộ ký cam kết (%(v)s)") % {"n": self.households, "v": self.village or self.commune or ""}

    def event_date(self):
        return self.signed_on

    def place(self):
        return self.commune, _agency_province(self.agency)


class Programme(PlacedRecord):
    """A support programme ("Nâng bước em tới trường", "Bữa sáng cho em", ...)."""

    name = models.CharField(_("tên chương trình"), max_length=200)
    kind = models.CharField(_("loại chương trình"), max_length=16, choices=ProgrammeKind.choices)
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("xã"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_on = models.DateField(_("bắt đầu"))
    ended_on = models.DateField(_("kết thúc"), null=True, blank=True)
    description = models.TextField(_("mô tả"), blank=True, default="")

    class Meta:
        verbose_name = _("chương trình hỗ trợ")
        verbose_name_plural = _("chương trình hỗ trợ")
        ordering = [vi("name"), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="outreach_programme_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def event_date(self):
        return self.started_on

    def place(self):
        # agency_id first: a form without an agency is a field error, not a missing related object (500)
        return self.commune, _agency_province(self.agency) if self.agency_id else None

    def clean(self):
        super().clean()
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("Ngày kết thúc không được trước ngày bắt đầu.")})


class Beneficiary(PlacedRecord):
    """A person or household supported by a programme, for a span of time."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="beneficiaries"
    )
    name = models.CharField(_("họ tên"), max_length=200)
    kind = models.CharField(
        _("đối tượng"), max_length=16, choices=BeneficiaryKind.choices, default=BeneficiaryKind.STUDENT
    )
    commune = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("xã"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("đơn vị nhận đỡ đầu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    support_from = models.DateField(_("hỗ trợ từ"))
    support_to = models.DateField(_("hỗ trợ đến"), null=True, blank=True)
    monthly_amount_vnd = models.DecimalField(
        _("mức hỗ trợ mỗi tháng (đồng)"), max_digits=14, decimal_places=0, default=Decimal(0), validators=NON_NEGATIVE
    )
    notes = models.TextField(_("ghi chú"), blank=True, default="")

    class Meta:
        verbose_name = _("người được hỗ trợ")
        verbose_name_plural = _("người được hỗ trợ")
        ordering = ["programme_id", vi("name"), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(support_to__isnull=True) | Q(support_to__gte=models.F("support_from")),
                name="outreach_beneficiary_valid_range",
            ),
            models.CheckConstraint(condition=Q(monthly_amount_vnd__gte=0), name="outreach_beneficiary_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return self.name

    def event_date(self):
        return self.support_from

    def place(self):
        return self.commune, (self.programme.province if self.programme_id else None)

    def clean(self):
        super().clean()
        if self.support_from and self.support_to and self.support_to < self.support_from:
            raise ValidationError({"support_to": _("Ngày kết thúc không được trước ngày bắt đầu.")})
