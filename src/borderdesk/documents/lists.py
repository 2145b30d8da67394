"""The documents app's lists, declared once (core.listing) for their page and their API endpoint."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from borderdesk.core.listing import Filter, ListSpec, Sort

from .models import DraftStatus


def _period_key(qs, key: str, query):
    return qs.filter(period_key=key.strip().upper()[:20])


#: report drafts (/van-ban/, /api/documents/drafts)
DRAFTS = ListSpec(
    filters=[
        Filter("ky", _("Kỳ báo cáo (2026Q3)"), "period_key", kind="exact", apply=_period_key, aliases=("period",)),
        Filter("ban_chi_dao", _("Ban chỉ đạo"), "committee_id", kind="model", aliases=("committee",)),
        Filter("trang_thai", _("Trạng thái"), "status", choices=DraftStatus.choices, aliases=("status",)),
    ],
    search_fields=["summary_text"],
    sorts=[
        Sort("summary", _("Trích yếu"), ("summary_text",)),
        Sort("committee", _("Ban chỉ đạo"), ("committee__name",)),
        Sort("version", _("Lần")),
        Sort("status", _("Trạng thái")),
        Sort("created_at", _("Tạo lúc")),
    ],
    default_sort="-created_at",
)
