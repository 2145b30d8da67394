"""Where a registry record happens, shared by the apps that record events on the ground (frontier, gates,
outreach): the land-territory coordinate checks, the province of a unit, the abstract PlacedRecord (its
province and unit derived from its own fields, checked against each other and the event's date), the
scope filter over those fields, and the form mixin that narrows the place choices.

In core, below every app: the registry apps do not import each other."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import SourcedModel, VersionedModel
from .scoping import ScopedManager
from .vn import format_date

LAT_RANGE = (Decimal("8.0"), Decimal("23.5"))  # the mainland
LON_RANGE = (Decimal("102.0"), Decimal("110.0"))


def validate_latitude(value):
    if value is not None and not (LAT_RANGE[0] <= value <= LAT_RANGE[1]):
        raise ValidationError(
            _("Vĩ độ %(v)s nằm ngoài lãnh thổ đất liền Việt Nam (phải từ 8,0 đến 23,5)."),
            params={"v": value},
            code="lat_range",
        )


def validate_longitude(value):
    if value is not None and not (LON_RANGE[0] <= value <= LON_RANGE[1]):
        raise ValidationError(
            _("Kinh độ %(v)s nằm ngoài lãnh thổ đất liền Việt Nam (phải từ 102,0 đến 110,0)."),
            params={"v": value},
            code="lon_range",
        )


NON_NEGATIVE = [MinValueValidator(0, message=_("Không được là số âm."))]


def lat_field():
    """A latitude column (WGS 84, 6 decimals, optional)."""
    return models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True, validators=[validate_latitude]
    )


def lon_field():
    """A longitude column (WGS 84, 6 decimals, optional)."""
    return models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True, validators=[validate_longitude]
    )


def province_of(unit):
    """The province a unit belongs to (the unit itself when it is a province)."""
    node = unit
    while node is not None and node.kind not in ("province", "country"):
        node = node.parent
    return node


class PlacedRecord(SourcedModel, VersionedModel):
    """Base of registry rows that happen somewhere: province, unit (commune or province), agency."""

    province = models.ForeignKey(
        "org.AdministrativeUnit", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    unit = models.ForeignKey(
        "org.AdministrativeUnit", verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="+", editable=False
    )

    scope_unit_field = "unit"
    scope_agency_field = "agency"
    objects = ScopedManager()

    class Meta:
        abstract = True

    # Subclasses return (commune_or_None, province_or_None) from their own fields.
    def place(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def event_date(self):
        return None

    def clean(self):
        super().clean()
        try:
            commune, province = self.place()
        except ObjectDoesNotExist:  # a required link (e.g. the agency) is not given yet: its own field error says so
            commune, province = None, None
        if commune is not None and province is None:
            province = province_of(commune)
        if province is None:
            raise ValidationError(_("Cần chỉ rõ địa bàn (xã, mốc, đoạn biên giới hoặc đơn vị phụ trách)."))
        if commune is not None:
            if not (commune.path or "").startswith(province.path or "#"):
                raise ValidationError({"commune": _("Xã %(c)s không thuộc %(p)s.") % {"c": commune, "p": province}})
            day = self.event_date()
            if day is not None and not commune.is_valid_on(day):
                raise ValidationError(
                    {"commune": _("Xã %(c)s không tồn tại vào ngày %(d)s.") % {"c": commune, "d": format_date(day)}}
                )
        self.province = province
        self.unit = commune or province


def placed_q(unit_ids, agency_ids) -> Q:
    """The PlacedRecords of these units (province or unit) and agencies: a derived indicator's reporters."""
    q = Q(pk__in=[])
    if unit_ids:
        q |= Q(province_id__in=unit_ids) | Q(unit_id__in=unit_ids)
    if agency_ids:
        q |= Q(agency_id__in=agency_ids)
    return q


def figure_or_none(row, key="n"):
    """The figure of one aggregate row: None when the register is not kept (``any`` is 0) and when a
    Sum found no value (a measure nobody recorded is missing, not 0). Counts are never None in SQL."""
    if not row.get("any"):
        return None
    v = row.get(key)
    return Decimal(v) if v is not None else None


SOURCE_FIELDS = ["source", "is_demo"]  # the provenance fields every registry form ends with


class CommuneMixin:
    """Form mixin: the commune field offers communes, the province field provinces."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "commune" in self.fields:
            self.fields["commune"].queryset = (
                self.fields["commune"].queryset.filter(kind="commune").order_by("name", "valid_from", "id")
            )
        if "province" in self.fields:
            self.fields["province"].queryset = self.fields["province"].queryset.filter(kind="province")
