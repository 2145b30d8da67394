"""Registry declarations of the gates app (lists, details, forms, import/export, API filters)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from borderdesk.core.registry.views import Column, Filter, Registry
from borderdesk.core.scoping import Action
from borderdesk.org.models import AdministrativeUnit

from . import forms, import_rules, services
from .choices import GateKind, GateMode, OfficialStatus, OperatingStatus, StatChannel
from .models import BorderGate, GateDailyStat, GateStatusPeriod

NS = "gates"


def _gates(user):
    return BorderGate.objects.for_user(user, Action.VIEW).only("id", "name")


def _provinces(user):
    return AdministrativeUnit.objects.for_user(user, Action.VIEW).filter(kind="province").only("id", "name", "path")


def _gate_context(obj, user):
    from .views import gate_context

    return gate_context(obj, user)


def _under_province(qs, province_id: int, query):
    """Gates whose unit lies under a province (the unit's materialised path)."""
    return qs.filter(unit__path__contains=f"/{province_id}/")


def _status_today(qs, status: str, query):
    """Gates open / suspended today (from their status periods)."""
    from django.db.models import Q
    from django.utils import timezone

    today = timezone.localdate()
    ids = (
        GateStatusPeriod.objects.filter(status=status, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values("gate_id")
    )
    return qs.filter(pk__in=ids)


gates = Registry(
    model=BorderGate,
    slug="danh-sach",
    title=_("Cửa khẩu"),
    form_class=forms.BorderGateForm,
    save=services.gate_save,
    bulk_import=True,
    app_namespace=NS,
    detail_template="gates/gate_detail.html",
    detail_context=_gate_context,
    columns=[
        Column("name", _("Tên"), link=True),
        Column("kind", _("Loại")),
        Column("mode", _("Loại hình")),
        Column("unit", _("Địa bàn")),
        Column("counterpart_name", _("Cửa khẩu đối diện")),
        Column("official_status", _("Tình trạng")),
    ],
    filters=[
        Filter("kind", _("Loại"), "kind", choices=GateKind.choices),
        Filter("mode", _("Loại hình"), "mode", choices=GateMode.choices),
        Filter("province", _("Tỉnh"), "unit", kind="model", queryset=_provinces, apply=_under_province),
        Filter("status", _("Trạng thái hôm nay"), "status", choices=OperatingStatus.choices, apply=_status_today),
        Filter("official_status", _("Tình trạng pháp lý"), "official_status", choices=OfficialStatus.choices),
    ],
    search_fields=["name", "code", "counterpart_name", "status_note"],
    select_related=["unit"],
)

status_periods = Registry(
    model=GateStatusPeriod,
    slug="trang-thai",
    title=_("Giai đoạn hoạt động của cửa khẩu"),
    form_class=forms.GateStatusPeriodForm,
    save=services.status_period_save,
    # no overlap with another period of the gate (services._check_overlap), for the whole file
    bulk_import=True,
    bulk_rules=import_rules.status_period_rules,
    app_namespace=NS,
    columns=[
        Column("gate", _("Cửa khẩu"), link=True),
        Column("status", _("Trạng thái")),
        Column("valid_from", _("Từ ngày")),
        Column("valid_to", _("Đến ngày")),
        Column("reason", _("Lý do")),
    ],
    filters=[
        Filter("gate", _("Cửa khẩu"), "gate_id", kind="model", queryset=_gates),
        Filter("status", _("Trạng thái"), "status", choices=OperatingStatus.choices),
    ],
    search_fields=["reason"],
    select_related=["gate"],
)


daily_stats = Registry(
    model=GateDailyStat,
    slug="so-lieu",
    title=_("Số liệu ngày tại cửa khẩu"),
    form_class=forms.GateDailyStatForm,
    save=services.daily_stat_save,
    # an import marks new or changed figures as imported (services.daily_stat_import_save), for the whole file
    bulk_import=True,
    bulk_rules=import_rules.daily_stat_rules,
    app_namespace=NS,
    columns=[
        Column("date", _("Ngày"), link=True),
        Column("gate", _("Cửa khẩu")),
        Column("persons_exit", _("Người xuất cảnh"), css="num"),
        Column("persons_entry", _("Người nhập cảnh"), css="num"),
        Column("cargo_vehicles_export", _("Xe hàng xuất"), css="num"),
        Column("cargo_vehicles_import", _("Xe hàng nhập"), css="num"),
        Column("vehicles_waiting", _("Xe tồn"), css="num"),
        Column("channel", _("Cách nhập")),
    ],
    filters=[
        Filter("gate", _("Cửa khẩu"), "gate_id", kind="model", queryset=_gates),
        Filter("period", _("Kỳ"), "date", kind="period"),
        Filter("from", _("Từ ngày"), "date", kind="date_from"),
        Filter("to", _("Đến ngày"), "date", kind="date_to"),
        Filter("channel", _("Cách nhập"), "channel", choices=StatChannel.choices),
        Filter("is_demo", _("Dữ liệu minh họa"), "is_demo", kind="bool"),
    ],
    search_fields=["note", "gate__name"],
    select_related=["gate"],
)

ALL = [gates, status_periods, daily_stats]
