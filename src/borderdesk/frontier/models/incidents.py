"""Incidents on the border: the national category list, the incidents and their status updates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderdesk.core.collation import vi
from borderdesk.core.places import (
    PlacedRecord,
    province_of,
)
from borderdesk.core.scoping import Action, ScopedManager, scope_for
from borderdesk.core.vn import format_datetime

from ..choices import (
    HandlingMode,
    IncidentStatus,
    ResolutionLevel,
)
from .line import BorderSection, Marker, lat_field, lon_field


class ReferenceQuerySet(models.QuerySet):
    """National reference data: read by everyone who may view anything, written by administrators only."""

    def for_user(self, user, action: str = Action.VIEW):
        if action == Action.VIEW:
            return self if not scope_for(user, Action.VIEW).empty else self.none()
        # writes need a national scope for the action (core.permissions gives ADMINISTER for reference data)
        return self if scope_for(user, action).everything else self.none()


class IncidentCategory(models.Model):
    """Incident categories: national reference data (data, not code), maintained by administrators.

    `indicator_code` links a category to the reporting catalogue's indicator that counts its incidents
    (INCIDENTS_*, ILLEGAL_CROSSING_CASES, SMUGGLING_CASES); the derived figures count by this link.
    """

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    indicator_code = models.CharField(
        _("chỉ tiêu báo cáo"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("Chỉ tiêu trong danh mục báo cáo đếm các vụ việc thuộc loại này."),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    objects = models.Manager.from_queryset(ReferenceQuerySet)()

    class Meta:
        verbose_name = _("loại vụ việc")
        verbose_name_plural = _("loại vụ việc")
        ordering = ["sort_order", vi("name")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        code = (self.indicator_code or "").strip()
        self.indicator_code = code
        if not code:
            return
        from borderdesk.reporting.models import Indicator

        from ..choices import CATEGORY_INDICATORS

        if code not in CATEGORY_INDICATORS:
            raise ValidationError(
                {
                    "indicator_code": _("“%(c)s” không phải chỉ tiêu đếm vụ việc theo loại (dùng một trong: %(ok)s).")
                    % {"c": code, "ok": ", ".join(sorted(CATEGORY_INDICATORS))}
                }
            )
        if not Indicator.objects.filter(code=code).exists():
            raise ValidationError(
                {"indicator_code": _("Chỉ tiêu “%(c)s” không có trong danh mục chỉ tiêu báo cáo.") % {"c": code}}
            )


class Incident(PlacedRecord):
    """An incident on the border. Duplicate reports are merged into the kept incident."""

    title = models.CharField(_("tóm tắt"), max_length=300)
    category = models.ForeignKey(
        IncidentCategory, verbose_name=_("loại vụ việc"), on_delete=models.PROTECT, related_name="incidents"
    )
    occurred_at = models.DateTimeField(_("thời điểm xảy ra"))
    description = models.TextField(_("diễn biến"), blank=True, default="")
    marker = models.ForeignKey(
        Marker, verbose_name=_("khu vực mốc"), null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    section = models.ForeignKey(
        BorderSection,
        verbose_name=_("đoạn biên giới"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    commune = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("xã"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = lat_field()
    longitude = lon_field()
    persons_involved = models.PositiveIntegerField(_("số người liên quan"), default=0)
    vehicles_involved = models.PositiveIntegerField(_("số phương tiện liên quan"), default=0)
    involved_details = models.TextField(_("người, phương tiện liên quan"), blank=True, default="")
    detected_by = models.CharField(_("lực lượng phát hiện"), max_length=200, blank=True, default="")
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("đơn vị chủ trì xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.REPORTED, editable=False
    )
    handling_mode = models.CharField(
        _("hình thức xử lý"), max_length=16, choices=HandlingMode.choices, blank=True, default="", editable=False
    )
    resolution_level = models.CharField(
        _("kết quả giải quyết"), max_length=16, choices=ResolutionLevel.choices, blank=True, default="", editable=False
    )
    resolved_at = models.DateTimeField(_("giải quyết lúc"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("đã gộp vào vụ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_reports",
        editable=False,
    )

    class Meta:
        verbose_name = _("vụ việc")
        verbose_name_plural = _("vụ việc")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["province", "occurred_at"], name="frontier_incident_prov_idx"),
            models.Index(fields=["unit", "occurred_at"], name="frontier_incident_unit_idx"),
            models.Index(fields=["agency", "occurred_at"], name="frontier_incident_agency_idx"),
            models.Index(fields=["resolved_at"], name="frontier_incident_resolved_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(merged_into=models.F("id")), name="frontier_incident_not_self_merged"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk or '?'} {self.title}"

    def event_date(self):
        return self.occurred_at.date() if self.occurred_at else None

    def place(self):
        if self.marker_id:
            return self.commune, self.marker.section.province
        if self.section_id:
            return self.commune, self.section.province
        if self.agency_id and not self.commune_id:
            return None, province_of(self.agency.unit)
        return self.commune, None

    def clean(self):
        if not (self.marker_id or self.section_id or self.commune_id or self.latitude is not None):
            raise ValidationError(_("Cần chỉ rõ nơi xảy ra: mốc, đoạn biên giới, xã hoặc tọa độ."))
        if self.marker_id:
            # The marker tells the section, and its commune when that commune existed on the day.
            if not self.section_id:
                self.section = self.marker.section
            day = self.event_date()
            if not self.commune_id and self.marker.commune_id and day and self.marker.commune.is_valid_on(day):
                self.commune = self.marker.commune
        super().clean()
        if self.marker_id and self.section_id and self.marker.section_id != self.section_id:
            raise ValidationError(
                {"marker": _("Mốc %(n)s không thuộc đoạn biên giới đã chọn.") % {"n": self.marker.number}}
            )
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Cần nhập đủ cả vĩ độ và kinh độ (hoặc bỏ trống cả hai)."))

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class IncidentUpdate(models.Model):
    """One step on an incident's timeline (report, verification, handling, resolution, merge, note)."""

    incident = models.ForeignKey(Incident, verbose_name=_("vụ việc"), on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(_("thời điểm"))
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=IncidentStatus.choices)
    note = models.TextField(_("nội dung"), blank=True, default="")

    scope_unit_field = "incident__unit"
    scope_agency_field = "incident__agency"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("diễn biến xử lý")
        verbose_name_plural = _("diễn biến xử lý")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{format_datetime(self.at)} {self.get_status_display()}"
