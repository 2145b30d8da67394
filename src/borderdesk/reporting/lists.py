"""The reporting app's lists, declared once (core.listing) for their page, their API endpoint and any export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from borderdesk.core.listing import Filter, ListSpec, Sort

from .choices import Status
from .models import ReportForm
from .window import window_q


def _in_window(qs, period, query):
    """The reports a consolidation of that window counts (reporting.window.window_q)."""
    return qs.filter(window_q(period))


def _form_codes():
    return [(code, code) for code in ReportForm.objects.order_by("code").values_list("code", flat=True)]


def _exact_period(qs, key: str, query):
    return qs.filter(period_key=key.strip().upper())


#: the report list (/bao-cao/, /api/reporting/submissions)
SUBMISSIONS = ListSpec(
    filters=[
        Filter("trang_thai", _("Trạng thái"), "status", choices=Status.choices, aliases=("status",)),
        Filter("bieu", _("Biểu mẫu"), "form__code", choices=_form_codes, aliases=("form",)),
        Filter("ky", _("Kỳ"), "period_end", kind="period", apply=_in_window),
        Filter("ma_ky", _("Đúng mã kỳ (2026Q3)"), "period_key", kind="exact", apply=_exact_period, aliases=("period",)),
    ],
    sorts=[
        Sort("form", _("Biểu mẫu"), ("form__code",)),
        Sort("reporter", _("Đơn vị / cơ quan"), ("unit__name", "agency__name")),
        Sort("period", _("Kỳ"), ("period_end", "period_start")),
        Sort("status", _("Trạng thái"), ("status",)),
        Sort("submitted_at", _("Gửi lúc"), ("submitted_at",)),
    ],
    page_size=25,
)


#: the indicator catalogue (/bao-cao/chi-tieu/, /api/reporting/indicators)
INDICATORS = ListSpec(
    filters=[Filter("nhom", _("Nhóm"), "group", kind="exact", aliases=("group",))],
    search_fields=["code", "name_vi", "name_en"],
    sorts=[
        Sort("code", _("Mã")),
        Sort("name", _("Tên chỉ tiêu"), ("name_vi",)),
        Sort("unit", _("Đơn vị tính")),
        Sort("value_type", _("Kiểu")),
        Sort("aggregation", _("Tổng hợp")),
        Sort("group", _("Nhóm"), ("group", "code")),
        Sort("province", _("Phạm vi"), ("province__name",)),
    ],
)
