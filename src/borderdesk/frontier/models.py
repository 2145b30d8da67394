"""Border line, markers, inspections, patrol roads, patrols, incidents and self-management.

Every event record stores the province and the most specific unit it happened in (a commune valid on the event
date, else the province) and, optionally, the agency (Border Guard station) in charge. Scope follows `unit` and
`agency`; derived figures match province, unit or agency.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderdesk.core.collation import vi
from borderdesk.core.models import SourcedModel, VersionedModel
from borderdesk.core.places import (  # noqa: F401  (validate_*: named by migration 0001)
    NON_NEGATIVE,
    PlacedRecord,
    lat_field,
    lon_field,
    province_of,
    validate_latitude,
    validate_longitude,
)
from borderdesk.core.scoping import ReferenceQuerySet, ScopedManager
from borderdesk.core.vn import format_date, format_datetime, in_language

from .choices import (
    HandlingMode,
    ImpactLevel,
    IncidentStatus,
    MarkerArrangement,
    MarkerKind,
    MarkerState,
    PatrolKind,
    RegistrantKind,
    ResolutionLevel,
    RoadKind,
    marker_sort_key,
    validate_category_indicator,
)


class BorderSection(SourcedModel, VersionedModel):
    """A stretch of the land border a province manages with one counterpart province."""

    name = models.CharField(_("tên đoạn biên giới"), max_length=200)
    province = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        related_name="border_sections",
        limit_choices_to={"kind": "province"},
    )
    neighbour_country = models.CharField(_("nước láng giềng"), max_length=100)
    counterpart_province = models.CharField(_("tỉnh đối diện"), max_length=200, blank=True, default="")
    length_km = models.DecimalField(
        _("chiều dài (km)"), max_digits=10, decimal_places=3, null=True, blank=True, validators=NON_NEGATIVE
    )
    responsible_agencies = models.ManyToManyField(
        "org.Agency", verbose_name=_("đơn vị, đồn phụ trách"), blank=True, related_name="border_sections"
    )
    impact_level = models.CharField(
        _("mức độ tác động"), max_length=16, choices=ImpactLevel.choices, default=ImpactLevel.LOW
    )
    notes = models.TextField(_("ghi chú"), blank=True, default="")

    scope_unit_field = "province"
    scope_agency_field = None
    objects = ScopedManager()

    class Meta:
        verbose_name = _("đoạn biên giới")
        verbose_name_plural = _("đoạn biên giới")
        ordering = [vi("province__name"), vi("name"), "id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="frontier_bordersection_unique_name"),
            models.CheckConstraint(
                condition=Q(length_km__isnull=True) | Q(length_km__gte=0), name="frontier_bordersection_length_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Marker(PlacedRecord):
    """A boundary marker (mốc quốc giới) or stake (cọc dấu); the identifier is text ("1088/2")."""

    number = models.CharField(_("số hiệu mốc"), max_length=32)
    sort_key = models.BigIntegerField(_("thứ tự"), default=0, editable=False, db_index=True)
    kind = models.CharField(_("loại mốc"), max_length=16, choices=MarkerKind.choices, blank=True, default="")
    arrangement = models.CharField(
        _("hình thức"), max_length=16, choices=MarkerArrangement.choices, default=MarkerArrangement.SINGLE
    )
    section = models.ForeignKey(
        BorderSection, verbose_name=_("đoạn biên giới"), on_delete=models.PROTECT, related_name="markers"
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
        verbose_name=_("đồn biên phòng phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = lat_field()
    longitude = lon_field()
    coords_are_demo = models.BooleanField(_("tọa độ minh họa"), default=False)
    state = models.CharField(
        _("hiện trạng"), max_length=16, choices=MarkerState.choices, default=MarkerState.UNKNOWN, editable=False
    )
    state_on = models.DateField(_("kiểm tra gần nhất"), null=True, blank=True, editable=False)
    notes = models.TextField(_("ghi chú"), blank=True, default="")

    class Meta:
        verbose_name = _("mốc quốc giới")
        verbose_name_plural = _("mốc quốc giới")
        ordering = ["section_id", "sort_key", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="frontier_marker_unique_number"),
        ]

    def __str__(self) -> str:
        return _("Mốc %(n)s") % {"n": self.number}

    def place(self):
        return self.commune, (self.section.province if self.section_id else None)

    def clean(self):
        self.number = (self.number or "").strip()
        self.sort_key = marker_sort_key(self.number)
        super().clean()
        if self.section_id and self.number:
            dup = Marker.objects.filter(
                number=self.number,
                section__province_id=self.section.province_id,
                section__neighbour_country=self.section.neighbour_country,
            ).exclude(pk=self.pk)
            if dup.exists():
                raise ValidationError({"number": _("Mốc %(n)s đã có trong danh sách của tỉnh.") % {"n": self.number}})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Cần nhập đủ cả vĩ độ và kinh độ (hoặc bỏ trống cả hai)."))


class MarkerInspection(PlacedRecord):
    """One inspection of one marker; the marker's current state is the latest inspection's."""

    marker = models.ForeignKey(Marker, verbose_name=_("mốc"), on_delete=models.PROTECT, related_name="inspections")
    inspected_on = models.DateField(_("ngày kiểm tra"))
    team = models.CharField(_("tổ kiểm tra"), max_length=200, blank=True, default="")
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("đơn vị kiểm tra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("hiện trạng"), max_length=16, choices=[c for c in MarkerState.choices if c[0] != MarkerState.UNKNOWN]
    )
    notes = models.TextField(_("ghi chú"), blank=True, default="")

    class Meta:
        verbose_name = _("kiểm tra mốc")
        verbose_name_plural = _("kiểm tra mốc")
        ordering = ["-inspected_on", "-id"]
        indexes = [
            models.Index(fields=["marker", "inspected_on"], name="frontier_inspection_marker_idx"),
            models.Index(fields=["province", "inspected_on"], name="frontier_inspection_prov_idx"),
            models.Index(fields=["unit", "inspected_on"], name="frontier_inspection_unit_idx"),
            models.Index(fields=["agency", "inspected_on"], name="frontier_inspection_agency_idx"),
        ]

    def __str__(self) -> str:
        return _("Kiểm tra mốc %(n)s ngày %(d)s") % {
            "n": self.marker.number if self.marker_id else "?",
            "d": format_date(self.inspected_on) if self.inspected_on else "?",
        }

    def place(self):
        if not self.marker_id:
            return None, None
        return None, self.marker.section.province

    def clean(self):
        super().clean()
        if self.marker_id:
            self.unit = self.marker.unit


class InspectionPhoto(models.Model):
    """A photo taken during an inspection."""

    inspection = models.ForeignKey(
        MarkerInspection, verbose_name=_("lần kiểm tra"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("ảnh"), upload_to="frontier/inspections/%Y/")
    caption = models.CharField(_("chú thích"), max_length=200, blank=True, default="")

    scope_unit_field = "inspection__unit"
    scope_agency_field = "inspection__agency"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("ảnh kiểm tra")
        verbose_name_plural = _("ảnh kiểm tra")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class PatrolRoad(PlacedRecord):
    """A patrol road or a marker-inspection road."""

    name = models.CharField(_("tên đường"), max_length=200)
    kind = models.CharField(_("loại đường"), max_length=16, choices=RoadKind.choices, default=RoadKind.PATROL)
    section = models.ForeignKey(
        BorderSection,
        verbose_name=_("đoạn biên giới"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roads",
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
        verbose_name=_("đơn vị quản lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    marker = models.ForeignKey(
        Marker, verbose_name=_("dẫn tới mốc"), null=True, blank=True, on_delete=models.PROTECT, related_name="roads"
    )
    length_km = models.DecimalField(
        _("chiều dài (km)"), max_digits=8, decimal_places=3, null=True, blank=True, validators=NON_NEGATIVE
    )
    built_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True, default="")

    class Meta:
        verbose_name = _("đường tuần tra, kiểm tra")
        verbose_name_plural = _("đường tuần tra, kiểm tra")
        ordering = [vi("name"), "id"]

    def __str__(self) -> str:
        return self.name

    def event_date(self):
        return self.built_on

    def place(self):
        province = None
        if self.section_id:
            province = self.section.province
        elif self.marker_id:
            province = self.marker.section.province
        elif self.agency_id:
            province = province_of(self.agency.unit)
        return self.commune, province


class Patrol(PlacedRecord):
    """One patrol: bilateral with the neighbour, unilateral, joint or closed-loop."""

    kind = models.CharField(_("hình thức tuần tra"), max_length=16, choices=PatrolKind.choices)
    started_at = models.DateTimeField(_("bắt đầu"))
    ended_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("đơn vị tuần tra"), on_delete=models.PROTECT, related_name="+"
    )
    counterpart_unit = models.CharField(_("lực lượng phía bạn / phối hợp"), max_length=200, blank=True, default="")
    from_marker = models.ForeignKey(
        Marker, verbose_name=_("từ mốc"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_marker = models.ForeignKey(
        Marker, verbose_name=_("đến mốc"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    km = models.DecimalField(
        _("quãng đường (km)"), max_digits=8, decimal_places=3, null=True, blank=True, validators=NON_NEGATIVE
    )
    participants = models.PositiveIntegerField(_("số người tham gia"), default=0)
    findings = models.TextField(_("kết quả, phát hiện"), blank=True, default="")
    minutes_signed = models.BooleanField(_("đã ký biên bản"), default=False)

    class Meta:
        verbose_name = _("chuyến tuần tra")
        verbose_name_plural = _("chuyến tuần tra")
        ordering = ["-started_at", "-id"]
        # Covering indexes for the derived figures (scope arm, period range, kind, participants).
        indexes = [
            models.Index(fields=["province", "started_at", "kind", "participants"], name="frontier_patrol_prov_idx"),
            models.Index(fields=["unit", "started_at", "kind", "participants"], name="frontier_patrol_unit_idx"),
            models.Index(fields=["agency", "started_at", "kind", "participants"], name="frontier_patrol_agency_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="frontier_patrol_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        when = format_date(self.started_at) if self.started_at else "?"
        return _("Tuần tra %(k)s ngày %(d)s") % {"k": self.get_kind_display().lower(), "d": when}

    def event_date(self):
        return self.started_at.date() if self.started_at else None

    def place(self):
        if self.from_marker_id:
            return None, self.from_marker.section.province
        if self.agency_id:
            return None, province_of(self.agency.unit)
        return None, None

    def clean(self):
        super().clean()
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValidationError({"ended_at": _("Thời điểm kết thúc không được trước thời điểm bắt đầu.")})
        if self.kind == PatrolKind.BILATERAL and not self.counterpart_unit:
            raise ValidationError({"counterpart_unit": _("Tuần tra song phương cần ghi lực lượng phía bạn.")})
        for name in ("from_marker", "to_marker"):
            m = getattr(self, name)
            if m is not None and self.province and m.section.province_id != self.province.pk:
                raise ValidationError({name: _("Mốc %(n)s thuộc tỉnh khác.") % {"n": m.number}})


class IncidentCategory(models.Model):
    """Incident categories: national reference data (data, not code), maintained by administrators.

    `indicator_code` links a category to the reporting catalogue's indicator that counts its incidents (INCIDENTS_*,
    ILLEGAL_CROSSING_CASES, SMUGGLING_CASES); the derived figures count by this link. Named in both languages."""

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True, default="")
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

    def __str__(self) -> str:  # the name in the interface's language (English when the English name is filled in)
        return in_language(self.name, self.name_en)

    def clean(self):
        super().clean()
        code = (self.indicator_code or "").strip()
        self.indicator_code = code
        if code:
            validate_category_indicator(code)


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


class SelfManagementRegistration(PlacedRecord):
    """A collective, household or individual registered to self-manage a segment and markers."""

    registrant_kind = models.CharField(_("đối tượng đăng ký"), max_length=16, choices=RegistrantKind.choices)
    registrant_name = models.CharField(_("tên tập thể, hộ, cá nhân"), max_length=200)
    segment = models.CharField(_("đoạn biên giới tự quản"), max_length=300, blank=True, default="")
    section = models.ForeignKey(
        BorderSection,
        verbose_name=_("thuộc đoạn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="self_management",
    )
    markers = models.ManyToManyField(Marker, verbose_name=_("mốc tự quản"), blank=True, related_name="self_management")
    km = models.DecimalField(
        _("chiều dài (km)"), max_digits=8, decimal_places=3, default=Decimal("0"), validators=NON_NEGATIVE
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
        verbose_name=_("đồn biên phòng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký tự quản")
        verbose_name_plural = _("đăng ký tự quản (Chỉ thị 01)")
        ordering = ["-valid_from", vi("registrant_name"), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="frontier_selfmgmt_valid_range",
            ),
            models.CheckConstraint(condition=Q(km__gte=0), name="frontier_selfmgmt_km_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.get_registrant_kind_display()}: {self.registrant_name}"

    def event_date(self):
        return self.valid_from

    def place(self):
        province = None
        if self.section_id:
            province = self.section.province
        elif self.agency_id:
            province = province_of(self.agency.unit)
        return self.commune, province

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc không được trước ngày bắt đầu.")})
