"""Organisation: effective-dated administrative units, agencies, committees, people, counterparts.

Validity is inclusive on both ends. A blank `valid_from`/`valid_to` means "unknown", which queries
treat as open (the unit is taken to exist on that side).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderdesk.core.collation import vi
from borderdesk.core.models import SourcedModel, VersionedModel
from borderdesk.core.scoping import ScopedManager, ScopedQuerySet
from borderdesk.core.vn import format_date

from .choices import UNIT_LEVEL, MemberRole, SuccessionKind, UnitKind


def valid_on_q(day: dt.date, prefix: str = "") -> Q:
    """Rows valid on `day` (blank bounds are open)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def overlaps_q(start: dt.date | None, end: dt.date | None, prefix: str = "") -> Q:
    """Rows whose validity overlaps [start, end] (None = open)."""
    q = Q()
    if end is not None:
        q &= Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": end})
    if start is not None:
        q &= Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": start})
    return q


class EffectiveDatedQuerySet(ScopedQuerySet):
    def valid_on(self, day: dt.date):
        return self.filter(valid_on_q(day))

    def overlapping(self, start: dt.date | None, end: dt.date | None):
        return self.filter(overlaps_q(start, end))


class EffectiveDated(models.Model):
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {
                    "valid_to": _("Ngày hết hiệu lực (%(to)s) không được trước ngày bắt đầu (%(fr)s).")
                    % {"to": format_date(self.valid_to), "fr": format_date(self.valid_from)}
                }
            )


def _date_order_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
        name=name,
    )


class AdministrativeUnit(EffectiveDated, SourcedModel, VersionedModel):
    """A country, province, district or commune as it existed between two dates.

    A unit that moves (a commune that survives the 2025 reform under the province instead of its
    district) is a new row with the same official code; succession links join the rows.
    """

    code = models.CharField(_("mã (Cục Thống kê)"), max_length=16, db_index=True, blank=True, default="")
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("trực thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_border = models.BooleanField(_("biên giới"), null=True, blank=True, help_text=_("Trống: chưa xác nhận."))
    path = models.CharField(_("đường dẫn cây"), max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("cấp"), default=0, editable=False)

    scope_unit_field = ""
    scope_agency_field = None

    objects = models.Manager.from_queryset(EffectiveDatedQuerySet)()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["path"]
        constraints = [_date_order_constraint("org_administrativeunit_valid_range")]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> int:
        return UNIT_LEVEL[self.kind]

    def clean(self):
        super().clean()
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                raise ValidationError({"parent": _("Một đơn vị không thể trực thuộc chính nó.")})
            if self.pk and self.parent and f"/{self.pk}/" in (self.parent.path or ""):
                raise ValidationError(
                    {
                        "parent": _(
                            "Không thể đặt đơn vị cấp trên là một đơn vị cấp dưới của nó (tạo vòng lặp trong cây)."
                        )
                    }
                )
            if self.parent and UNIT_LEVEL[self.parent.kind] >= UNIT_LEVEL[self.kind]:
                raise ValidationError(
                    {
                        "parent": _("Đơn vị cấp trên phải ở cấp cao hơn (%(p)s không thể chứa %(c)s).")
                        % {"p": self.parent.get_kind_display(), "c": self.get_kind_display()}
                    }
                )


class UnitSuccession(SourcedModel):
    """`predecessor` became (all or part of) `successor` on `effective_date`."""

    predecessor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị cũ"), on_delete=models.CASCADE, related_name="successions_out"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị mới"), on_delete=models.CASCADE, related_name="successions_in"
    )
    effective_date = models.DateField(_("ngày hiệu lực"))
    kind = models.CharField(_("hình thức"), max_length=16, choices=SuccessionKind.choices, default=SuccessionKind.MERGE)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True, default="")

    scope_unit_field = "successor"
    scope_agency_field = None
    objects = ScopedManager()

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        ordering = ["effective_date", vi("successor__name"), vi("predecessor__name")]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "effective_date"], name="org_unitsuccession_unique"
            ),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="org_unitsuccession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({format_date(self.effective_date)})"


class AgencyKind(models.Model):
    """A lookup the standing office maintains (border guard command, station, customs, ...)."""

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True, default="")
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("loại cơ quan")
        verbose_name_plural = _("loại cơ quan")
        ordering = ["sort_order", vi("name")]

    def __str__(self) -> str:
        return self.name


class Agency(EffectiveDated, SourcedModel, VersionedModel):
    """A member agency or unit (Sở Ngoại vụ, a Border Guard station, customs, ...)."""

    name = models.CharField(_("tên"), max_length=300)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True, default="")
    kind = models.ForeignKey(AgencyKind, verbose_name=_("loại"), on_delete=models.PROTECT, related_name="agencies")
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế thừa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )

    scope_unit_field = "unit"
    scope_agency_field = ""
    objects = models.Manager.from_queryset(EffectiveDatedQuerySet)()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["kind__sort_order", vi("name")]
        constraints = [_date_order_constraint("org_agency_valid_range")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Một cơ quan không thể trực thuộc chính nó.")})
        seen, node = {self.pk}, self.parent
        while node is not None and self.pk:
            if node.pk in seen:
                raise ValidationError({"parent": _("Quan hệ trực thuộc tạo thành vòng lặp.")})
            seen.add(node.pk)
            node = node.parent


class AgencyName(EffectiveDated):
    """An agency's names over time (renames keep history)."""

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("tên"), max_length=300)

    scope_unit_field = "agency__unit"
    scope_agency_field = "agency"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("tên cơ quan theo thời kỳ")
        verbose_name_plural = _("tên cơ quan theo thời kỳ")
        ordering = ["agency", models.F("valid_from").asc(nulls_first=True)]

    def __str__(self) -> str:
        return self.name


class Committee(EffectiveDated, SourcedModel, VersionedModel):
    """A provincial Border Steering Committee (Ban Chỉ đạo công tác biên giới tỉnh)."""

    code = models.SlugField(_("mã ngắn"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="committees"
    )
    standing_office = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan thường trực"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="standing_for",
    )
    parent_body = models.CharField(
        _("cơ quan chủ quản"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Dòng trên cùng bên trái của văn bản, ví dụ: UBND TỈNH LẠNG SƠN"),
    )
    abbreviation = models.CharField(
        _("chữ viết tắt"),
        max_length=32,
        blank=True,
        default="BCĐ",
        help_text=_("Dùng trong số ký hiệu văn bản, ví dụ: BCĐ trong 15/BC-BCĐ"),
    )
    place_name = models.CharField(
        _("địa danh"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("Dùng ở dòng địa danh, ngày tháng (ví dụ: Lạng Sơn)"),
    )

    scope_unit_field = "unit"
    scope_agency_field = "standing_office"
    objects = models.Manager.from_queryset(EffectiveDatedQuerySet)()

    class Meta:
        verbose_name = _("ban chỉ đạo")
        verbose_name_plural = _("ban chỉ đạo")
        ordering = [vi("unit__name"), "code"]
        constraints = [_date_order_constraint("org_committee_valid_range")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name as a list offers it: with its place when the name does not say it ("Ban Chỉ đạo công tác biên
        giới tỉnh (Lạng Sơn)"), so that two provinces' committees differ without their internal codes."""
        if self.place_name and self.place_name not in self.name:
            return f"{self.name} ({self.place_name})"
        return self.name

    def name_on(self, day: dt.date) -> str:
        for row in self.names.all():
            if row.is_valid_on(day):
                return row.name
        return self.name


class CommitteeName(EffectiveDated, SourcedModel):
    committee = models.ForeignKey(
        Committee, verbose_name=_("ban chỉ đạo"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("tên"), max_length=300)

    class Meta:
        verbose_name = _("tên ban chỉ đạo theo thời kỳ")
        verbose_name_plural = _("tên ban chỉ đạo theo thời kỳ")
        ordering = ["committee", models.F("valid_from").asc(nulls_first=True)]

    def __str__(self) -> str:
        return self.name


class DocumentNumberSeries(models.Model):
    """A committee's own number series for one document symbol and year (e.g. BC-BCĐ, 2026)."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("ban chỉ đạo"), on_delete=models.CASCADE, related_name="number_series"
    )
    symbol = models.CharField(_("ký hiệu"), max_length=32, help_text=_("Ví dụ: BC-BCĐ"))
    year = models.PositiveSmallIntegerField(_("năm"))
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("sổ đăng ký số văn bản")
        verbose_name_plural = _("sổ đăng ký số văn bản")
        ordering = ["committee", "-year", "symbol"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "symbol", "year"], name="org_documentnumberseries_unique")
        ]

    def __str__(self) -> str:
        return f"{self.committee.code} {self.symbol} {self.year}: {self.last_number}"


class Person(SourcedModel, VersionedModel):
    full_name = models.CharField(_("họ và tên"), max_length=200)
    notes = models.TextField(_("ghi chú"), blank=True, default="")

    class Meta:
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")
        ordering = [vi("full_name")]

    def __str__(self) -> str:
        return self.full_name


class Membership(EffectiveDated, SourcedModel, VersionedModel):
    """A person's seat on a committee, decided by a numbered decision."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("ban chỉ đạo"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=32, choices=MemberRole.choices)
    post = models.CharField(_("chức vụ tại cơ quan"), max_length=300, blank=True, default="")
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True, default="")
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)

    scope_unit_field = "committee__unit"
    scope_agency_field = "committee__standing_office"
    objects = models.Manager.from_queryset(EffectiveDatedQuerySet)()

    class Meta:
        verbose_name = _("thành viên ban chỉ đạo")
        verbose_name_plural = _("thành viên ban chỉ đạo")
        ordering = ["committee", "role", models.F("valid_from").asc(nulls_first=True), vi("person__full_name")]
        constraints = [_date_order_constraint("org_membership_valid_range")]

    ROLE_ORDER = {r.value: i for i, r in enumerate(MemberRole)}

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class Counterpart(SourcedModel, VersionedModel):
    """A province or local unit across the border that a province works with."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="counterparts"
    )
    country = models.CharField(_("nước"), max_length=100)
    name = models.CharField(_("tên đối tác"), max_length=300)
    notes = models.TextField(_("ghi chú"), blank=True, default="")

    scope_unit_field = "unit"
    scope_agency_field = None
    objects = ScopedManager()

    class Meta:
        verbose_name = _("đối tác nước láng giềng")
        verbose_name_plural = _("đối tác nước láng giềng")
        ordering = [vi("unit__name"), "country", vi("name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"
