"""Registry declarations of the frontier app (lists, details, forms, import/export, API filters)."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from borderdesk.core import vn
from borderdesk.core.registry.views import Column, Filter, Registry
from borderdesk.core.scoping import Action
from borderdesk.reporting.models import Indicator

from . import forms, services
from .choices import (
    INCIDENT_TRANSITIONS,
    ImpactLevel,
    IncidentStatus,
    MarkerKind,
    MarkerState,
    PatrolKind,
    RegistrantKind,
    RoadKind,
)
from .forms import IncidentMergeForm, IncidentStepForm
from .models import (
    BorderSection,
    Incident,
    IncidentCategory,
    Marker,
    MarkerInspection,
    Patrol,
    PatrolRoad,
    SelfManagementRegistration,
)

NS = "frontier"


def _sections(user):
    return BorderSection.objects.for_user(user, Action.VIEW).only("id", "name")


def _categories(user):
    return IncidentCategory.objects.all()


def _incident_context(obj, user):
    return incident_context(obj, user)


def _marker_context(obj, user):
    inspections = obj.inspections.select_related("agency").order_by("-inspected_on", "-id")[:50]
    return {"inspections": inspections}


def _inspection_context(obj, user):
    return {"photos": list(obj.photos.all()), "photo_form": forms.InspectionPhotoForm()}


sections = Registry(
    model=BorderSection,
    slug="doan",
    title=_("Đoạn biên giới"),
    form_class=forms.BorderSectionForm,
    save=services.section_save,
    bulk_import=True,
    app_namespace=NS,
    columns=[
        Column("name", _("Tên đoạn")),
        Column("province", _("Tỉnh")),
        Column("neighbour_country", _("Nước láng giềng")),
        Column("counterpart_province", _("Tỉnh đối diện")),
        Column("length_km", _("Chiều dài (km)")),
        Column("impact_level", _("Mức độ tác động")),
    ],
    filters=[Filter("muc_do", _("Mức độ tác động"), "impact_level", choices=ImpactLevel.choices)],
    search_fields=["name", "counterpart_province"],
    select_related=["province"],
    prefetch_related=["responsible_agencies"],
)

markers = Registry(
    model=Marker,
    slug="moc",
    title=_("Mốc quốc giới"),
    form_class=forms.MarkerForm,
    save=services.marker_save,
    bulk_import=True,
    app_namespace=NS,
    detail_template="frontier/marker_detail.html",
    detail_context=_marker_context,
    extra_detail_fields=[("state", _("Hiện trạng")), ("state_on", _("Kiểm tra gần nhất"))],
    columns=[
        Column("number", _("Số hiệu")),
        Column("kind", _("Loại")),
        Column("arrangement", _("Hình thức")),
        Column("section", _("Đoạn")),
        Column("commune", _("Xã")),
        Column("agency", _("Đồn phụ trách")),
        Column("state", _("Hiện trạng")),
        Column("state_on", _("Kiểm tra gần nhất")),
    ],
    filters=[
        Filter("doan", _("Đoạn"), "section", kind="model", queryset=_sections),
        Filter("loai", _("Loại"), "kind", choices=MarkerKind.choices),
        Filter("hien_trang", _("Hiện trạng"), "state", choices=MarkerState.choices),
    ],
    search_fields=["number", "notes"],
    select_related=["section", "commune", "agency"],
)

inspections = Registry(
    model=MarkerInspection,
    slug="kiem-tra-moc",
    title=_("Kiểm tra mốc"),
    form_class=forms.MarkerInspectionForm,
    save=services.inspection_save,
    # the inspected markers' state follows their latest inspection (services.inspection_save), for the whole file
    bulk_import=True,
    after_bulk=services.inspection_after_bulk,
    remove=services.inspection_delete,
    app_namespace=NS,
    detail_template="frontier/inspection_detail.html",
    detail_context=_inspection_context,
    columns=[
        Column("inspected_on", _("Ngày")),
        Column("marker", _("Mốc")),
        Column("team", _("Tổ kiểm tra")),
        Column("agency", _("Đơn vị")),
        Column("state", _("Hiện trạng")),
    ],
    filters=[
        Filter("ky", _("Kỳ"), "inspected_on", kind="period"),
        Filter("hien_trang", _("Hiện trạng"), "state", choices=MarkerState.choices),
    ],
    search_fields=["marker__number", "team", "notes"],
    select_related=["marker", "agency"],
)

roads = Registry(
    model=PatrolRoad,
    slug="duong",
    title=_("Đường tuần tra, kiểm tra"),
    form_class=forms.PatrolRoadForm,
    save=services.road_save,
    bulk_import=True,
    app_namespace=NS,
    columns=[
        Column("name", _("Tên đường")),
        Column("kind", _("Loại")),
        Column("section", _("Đoạn")),
        Column("commune", _("Xã")),
        Column("length_km", _("Chiều dài (km)")),
        Column("built_on", _("Hoàn thành")),
    ],
    filters=[
        Filter("loai", _("Loại"), "kind", choices=RoadKind.choices),
        Filter("ky", _("Kỳ hoàn thành"), "built_on", kind="period"),
    ],
    search_fields=["name", "notes"],
    select_related=["section", "commune"],
)

patrols = Registry(
    model=Patrol,
    slug="tuan-tra",
    title=_("Tuần tra"),
    form_class=forms.PatrolForm,
    save=services.patrol_save,
    bulk_import=True,
    app_namespace=NS,
    columns=[
        Column("started_at", _("Bắt đầu")),
        Column("kind", _("Hình thức")),
        Column("agency", _("Đơn vị")),
        Column("counterpart_unit", _("Phía bạn / phối hợp")),
        Column("from_marker.number", _("Từ mốc")),
        Column("to_marker.number", _("Đến mốc")),
        Column("km", _("Km")),
        Column("participants", _("Người")),
        Column("minutes_signed", _("Biên bản")),
    ],
    filters=[
        Filter("ky", _("Kỳ"), "started_at", kind="period", datetime=True),
        Filter("hinh_thuc", _("Hình thức"), "kind", choices=PatrolKind.choices),
        Filter("bien_ban", _("Đã ký biên bản"), "minutes_signed", kind="bool"),
    ],
    search_fields=["findings", "counterpart_unit"],
    select_related=["agency", "from_marker", "to_marker"],
)

incidents = Registry(
    model=Incident,
    slug="vu-viec",
    title=_("Vụ việc trên biên giới"),
    form_class=forms.IncidentForm,
    save=services.incident_save,
    bulk_import=True,
    after_bulk=services.incident_after_bulk,
    app_namespace=NS,
    detail_template="frontier/incident_detail.html",
    detail_context=_incident_context,
    extra_detail_fields=[
        ("status", _("Trạng thái")),
        ("handling_mode", _("Hình thức xử lý")),
        ("resolution_level", _("Kết quả giải quyết")),
        ("resolved_at", _("Giải quyết lúc")),
    ],
    columns=[
        Column("occurred_at", _("Thời điểm")),
        Column("title", _("Tóm tắt")),
        Column("category", _("Loại")),
        Column("marker.number", _("Mốc")),
        Column("commune", _("Xã")),
        Column("status", _("Trạng thái")),
        Column("merged_into_id", _("Gộp vào vụ")),
    ],
    filters=[
        Filter("ky", _("Kỳ"), "occurred_at", kind="period", datetime=True),
        Filter("loai", _("Loại"), "category", kind="model", queryset=_categories),
        Filter("trang_thai", _("Trạng thái"), "status", choices=IncidentStatus.choices),
        Filter("vu_chinh", _("Chỉ vụ chính (chưa gộp)"), "merged_into__isnull", kind="bool"),
    ],
    search_fields=["title", "description", "involved_details"],
    select_related=["category", "marker", "commune"],
)

self_management = Registry(
    model=SelfManagementRegistration,
    slug="tu-quan",
    title=_("Tự quản đường biên, cột mốc (Chỉ thị 01/CT-TTg)"),
    form_class=forms.SelfManagementForm,
    save=services.self_management_save,
    bulk_import=True,
    app_namespace=NS,
    columns=[
        Column("registrant_name", _("Tập thể, hộ, cá nhân")),
        Column("registrant_kind", _("Đối tượng")),
        Column("segment", _("Đoạn tự quản")),
        Column("km", _("Km")),
        Column("commune", _("Xã")),
        Column("valid_from", _("Từ ngày")),
        Column("valid_to", _("Đến ngày")),
    ],
    filters=[
        Filter("doi_tuong", _("Đối tượng"), "registrant_kind", choices=RegistrantKind.choices),
        Filter("tu_ngay", _("Hiệu lực từ"), "valid_from", kind="date_from"),
    ],
    search_fields=["registrant_name", "segment"],
    select_related=["commune", "agency"],
    prefetch_related=["markers"],
)

ALL = [sections, markers, inspections, roads, patrols, incidents, self_management]


class ReferenceRegistry(Registry):
    """A registry of national reference data: everyone who sees incidents reads it, only administrators write
    (`core.permissions.REFERENCE`, read by the shared pages, API, import and services)."""


def _indicator_words(obj) -> str:
    """The category's indicator by its name in the interface's language (the list annotates both names)."""
    vi = getattr(obj, "indicator_name_vi", None) or obj.indicator_code
    return vn.in_language(vi, getattr(obj, "indicator_name_en", "") or "")


class _IndicatorColumn(Column):
    def value(self, obj):
        return _indicator_words(obj)


class _CategoryRegistry(ReferenceRegistry):
    """Incident categories name their reporting indicator in words; the code stays in imports and exports."""

    def queryset(self, user, action: str | None = None):
        same = Indicator.objects.filter(code=OuterRef("indicator_code"))
        return (
            super()
            .queryset(user, action)
            .annotate(
                indicator_name_vi=Subquery(same.values("name_vi")[:1]),
                indicator_name_en=Subquery(same.values("name_en")[:1]),
            )
        )

    def detail_rows(self, obj):
        label = IncidentCategory._meta.get_field("indicator_code").verbose_name
        words = _indicator_words(obj)
        shown = f"{words} ({obj.indicator_code})" if words != obj.indicator_code else words
        return [(k, shown if k == label and obj.indicator_code else v) for k, v in super().detail_rows(obj)]


categories = _CategoryRegistry(
    model=IncidentCategory,
    slug="loai-vu-viec",
    title=_("Loại vụ việc"),
    form_class=forms.IncidentCategoryForm,
    save=services.category_save,
    # administrators only (services.category_save), for the whole file
    bulk_import=True,
    bulk_rules=services.category_bulk_rules,
    remove=services.category_delete,
    app_namespace=NS,
    help_text=_("Danh mục dùng chung toàn quốc: mọi người xem được, chỉ quản trị hệ thống được sửa."),
    columns=[
        Column("name", _("Tên loại")),
        Column("name_en", _("Tên tiếng Anh")),
        Column("code", _("Mã")),
        _IndicatorColumn("indicator_code", _("Chỉ tiêu báo cáo")),
        Column("sort_order", _("Thứ tự")),
    ],
    search_fields=["code", "name", "name_en", "indicator_code"],
    extra_detail_fields=[("version", _("Phiên bản"))],
)

#: reference data (not scoped to a unit; administrators write it)
REFERENCE = [categories]


def incident_context(obj, user) -> dict:
    steps = [(s, IncidentStatus(s).label) for s in INCIDENT_TRANSITIONS.get(obj.status, ())]
    return {
        "timeline": obj.updates.select_related("user").order_by("at", "id"),
        "merged_reports": obj.merged_reports.order_by("id"),
        "steps": [] if obj.merged_into_id else steps,
        "step_form": IncidentStepForm(),
        "merge_form": IncidentMergeForm(),
        "can_act": user.can(Action.CHANGE),
        "lifecycle": [(s.value, s.label) for s in IncidentStatus],
    }
