"""Border gates, their operating periods, daily statistics and crossing-log imports.

A gate sits in an administrative unit (the commune or province) and may be managed by a border
guard station; scope follows the unit and the station. Daily statistics are one row per gate and
day, entered on a form, imported from CSV/XLSX, pushed by the gate's own systems through the API,
or aggregated from a raw crossing log.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from borderdesk.core.collation import vi
from borderdesk.core.models import SourcedModel, TimeStampedModel, VersionedModel
from borderdesk.core.scoping import ScopedManager
from borderdesk.core.vn import format_date

from .choices import GateKind, GateMode, ImportStatus, OfficialStatus, OperatingStatus, StatChannel


class BorderGate(SourcedModel, VersionedModel):
    """A border gate (cửa khẩu), opening (lối mở) or dedicated goods lane."""

    code = models.SlugField(
        _("mã cửa khẩu"),
        max_length=40,
        unique=True,
        help_text=_("Mã dùng trong nhật ký qua lại và API, ví dụ: huu-nghi."),
    )
    name = models.CharField(_("tên"), max_length=200)
    unit = models.ForeignKey(
        "org.AdministrativeUnit", verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="border_gates"
    )
    managing_station = models.ForeignKey(
        "org.Agency",
        verbose_name=_("đồn biên phòng quản lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_gates",
    )
    kind = models.CharField(_("loại cửa khẩu"), max_length=16, choices=GateKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc cửa khẩu"), null=True, blank=True, on_delete=models.PROTECT, related_name="lanes"
    )
    mode = models.CharField(_("loại hình"), max_length=8, choices=GateMode.choices, default=GateMode.ROAD)
    counterpart_name = models.CharField(_("cửa khẩu đối diện"), max_length=200, blank=True, default="")
    counterpart_country = models.CharField(_("nước bạn"), max_length=80, blank=True, default="")
    official_status = models.CharField(
        _("tình trạng pháp lý"), max_length=12, choices=OfficialStatus.choices, default=OfficialStatus.OFFICIAL
    )
    latitude = models.DecimalField(
        _("vĩ độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("kinh độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    coords_are_demo = models.BooleanField(_("tọa độ gần đúng (minh họa)"), default=False)
    status_note = models.TextField(_("ghi chú tình trạng"), blank=True, default="")

    scope_unit_field = "unit"
    scope_agency_field = "managing_station"

    objects = ScopedManager()

    class Meta:
        verbose_name = _("cửa khẩu")
        verbose_name_plural = _("cửa khẩu")
        ordering = [vi("name"), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="gates_bordergate_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="gates_bordergate_longitude_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind="goods_lane") | Q(parent__isnull=False), name="gates_bordergate_lane_has_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == GateKind.GOODS_LANE and not self.parent_id:
            errors["parent"] = _("Đường chuyên dụng phải thuộc một cửa khẩu quốc tế hoặc cửa khẩu chính.")
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                errors["parent"] = _("Cửa khẩu không thể thuộc chính nó.")
            elif self.parent.kind not in (GateKind.INTERNATIONAL, GateKind.MAIN):
                errors["parent"] = _("Chỉ cửa khẩu quốc tế hoặc cửa khẩu chính mới có đường chuyên dụng.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Cần nhập cả vĩ độ và kinh độ (hoặc để trống cả hai).")
        # A gate is on Vietnam's land border: the same bounds as markers and incidents.
        from borderdesk.core.places import validate_latitude, validate_longitude

        for name, check in (("latitude", validate_latitude), ("longitude", validate_longitude)):
            try:
                check(getattr(self, name))
            except ValidationError as exc:
                errors.setdefault(name, exc.messages[0])
        if errors:
            raise ValidationError(errors)

    def status_on(self, day: dt.date) -> str | None:
        """open/suspended on `day` from the status periods (None when no period covers it)."""
        for p in self.status_periods.all():
            if p.covers(day):
                return p.status
        return None


class GateStatusPeriod(VersionedModel):
    """A period during which a gate was open or suspended (inclusive dates; blank end = until now)."""

    gate = models.ForeignKey(
        BorderGate, verbose_name=_("cửa khẩu"), on_delete=models.CASCADE, related_name="status_periods"
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=OperatingStatus.choices)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    reason = models.TextField(_("lý do, căn cứ"), blank=True, default="")
    source = models.TextField(_("nguồn"), blank=True, default="")

    scope_unit_field = "gate__unit"
    scope_agency_field = "gate__managing_station"

    objects = ScopedManager()

    class Meta:
        verbose_name = _("giai đoạn hoạt động")
        verbose_name_plural = _("giai đoạn hoạt động")
        ordering = ["gate_id", "-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="gates_gatestatusperiod_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        end = format_date(self.valid_to) if self.valid_to else "…"
        return f"{self.gate}: {self.get_status_display()} {format_date(self.valid_from)}–{end}"

    @property
    def source_urls(self) -> list[str]:
        return [s.strip() for s in self.source.split(" ; ") if s.strip()]

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {
                    "valid_to": _("Ngày kết thúc (%(to)s) không được trước ngày bắt đầu (%(fr)s).")
                    % {"to": format_date(self.valid_to), "fr": format_date(self.valid_from)}
                }
            )


# Counter fields of a daily statistic, in display and file order.
STAT_INT_FIELDS = (
    "persons_exit",
    "persons_entry",
    "vehicles_exit",
    "vehicles_entry",
    "cargo_vehicles_export",
    "cargo_vehicles_import",
    "rail_cars",
    "vehicles_waiting",
)
STAT_DECIMAL_FIELDS = ("tonnes", "export_usd", "import_usd")
STAT_VALUE_FIELDS = STAT_INT_FIELDS + STAT_DECIMAL_FIELDS
# Fields a crossing log determines (vehicles waiting is not in a log and is kept as it was).
LOG_FIELDS = (
    "persons_exit",
    "persons_entry",
    "vehicles_exit",
    "vehicles_entry",
    "cargo_vehicles_export",
    "cargo_vehicles_import",
    "rail_cars",
    "tonnes",
    "export_usd",
    "import_usd",
)


class GateDailyStat(SourcedModel, VersionedModel):
    """One day's figures at one gate (unique per gate and date)."""

    gate = models.ForeignKey(
        BorderGate, verbose_name=_("cửa khẩu"), on_delete=models.PROTECT, related_name="daily_stats"
    )
    date = models.DateField(_("ngày"))
    persons_exit = models.PositiveIntegerField(_("lượt người xuất cảnh"), default=0)
    persons_entry = models.PositiveIntegerField(_("lượt người nhập cảnh"), default=0)
    vehicles_exit = models.PositiveIntegerField(_("lượt phương tiện xuất cảnh"), default=0)
    vehicles_entry = models.PositiveIntegerField(_("lượt phương tiện nhập cảnh"), default=0)
    cargo_vehicles_export = models.PositiveIntegerField(_("xe hàng xuất khẩu"), default=0)
    cargo_vehicles_import = models.PositiveIntegerField(_("xe hàng nhập khẩu"), default=0)
    rail_cars = models.PositiveIntegerField(_("toa tàu liên vận"), default=0)
    tonnes = models.DecimalField(
        _("khối lượng hàng (tấn)"), max_digits=14, decimal_places=3, default=0, validators=[MinValueValidator(0)]
    )
    vehicles_waiting = models.PositiveIntegerField(_("xe hàng tồn chờ"), default=0)
    export_usd = models.DecimalField(
        _("kim ngạch xuất khẩu (USD)"), max_digits=18, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    import_usd = models.DecimalField(
        _("kim ngạch nhập khẩu (USD)"), max_digits=18, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    channel = models.CharField(_("cách nhập"), max_length=8, choices=StatChannel.choices, default=StatChannel.FORM)
    note = models.TextField(_("ghi chú"), blank=True, default="")

    scope_unit_field = "gate__unit"
    scope_agency_field = "gate__managing_station"

    objects = ScopedManager()

    class Meta:
        verbose_name = _("số liệu ngày tại cửa khẩu")
        verbose_name_plural = _("số liệu ngày tại cửa khẩu")
        ordering = ["-date", "gate_id"]
        constraints = [
            models.UniqueConstraint(fields=["gate", "date"], name="gates_gatedailystat_one_per_gate_day"),
            models.CheckConstraint(
                condition=Q(tonnes__gte=0) & Q(export_usd__gte=0) & Q(import_usd__gte=0),
                name="gates_gatedailystat_amounts_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["date", "gate"], name="gates_stat_date_gate_idx")]

    def __str__(self) -> str:
        return f"{self.gate_id and self.gate} {format_date(self.date)}"

    @property
    def cargo_vehicles(self) -> int:
        return self.cargo_vehicles_export + self.cargo_vehicles_import

    @property
    def trade_usd(self):
        return self.export_usd + self.import_usd


class CrossingLogImport(TimeStampedModel):
    """One upload of a raw crossing log (accepted as a whole or rejected as a whole)."""

    file_name = models.CharField(_("tên tệp"), max_length=255)
    size_bytes = models.BigIntegerField(_("dung lượng (byte)"), default=0)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    rejected_rows = models.PositiveIntegerField(_("số dòng lỗi"), default=0)
    gate_days = models.PositiveIntegerField(_("số ngày-cửa khẩu cập nhật"), default=0)
    date_from = models.DateField(_("từ ngày"), null=True, blank=True)
    date_to = models.DateField(_("đến ngày"), null=True, blank=True)
    status = models.CharField(_("kết quả"), max_length=10, choices=ImportStatus.choices)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    seconds = models.DecimalField(_("thời gian xử lý (giây)"), max_digits=10, decimal_places=3, default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("cơ quan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_unit_field = "unit"
    scope_agency_field = "agency"

    objects = ScopedManager()

    class Meta:
        verbose_name = _("lần nhập nhật ký qua lại")
        verbose_name_plural = _("các lần nhập nhật ký qua lại")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
