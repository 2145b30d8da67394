"""The extraction app's lists, declared once (core.listing) for their page and their API endpoint."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from borderdesk.core.listing import Filter, ListSpec, Sort

from .choices import DocumentKind, ProposalStatus

#: the documents figures are read from (/trich-xuat/, /api/extraction/documents)
DOCUMENTS = ListSpec(
    filters=[Filter("kind", _("Loại"), "kind", choices=DocumentKind.choices)],
    search_fields=["title", "filename"],
    sorts=[
        Sort("title", _("Tiêu đề")),
        Sort("reporter", _("Đơn vị / cơ quan"), ("unit__name", "agency__name")),
        Sort("created_at", _("Tải lên")),
        Sort("proposals", _("Số liệu"), ("n_proposals",)),
        Sort("open", _("Chờ xem xét"), ("n_open",)),
        Sort("accepted", _("Đã chấp nhận"), ("n_accepted",)),
        Sort("imported", _("Đã đưa vào báo cáo"), ("n_imported",)),
    ],
    page_size=25,
)

#: the figures proposed from one document (/api/extraction/documents/{id}/proposals)
PROPOSALS = ListSpec(
    filters=[Filter("status", _("Trạng thái"), "status", choices=ProposalStatus.choices)],
    sorts=[
        Sort("position", _("Thứ tự")),
        Sort("status", _("Trạng thái")),
        Sort("indicator", _("Chỉ tiêu"), ("indicator_code",)),
        Sort("confidence", _("Độ tin cậy")),
    ],
)
