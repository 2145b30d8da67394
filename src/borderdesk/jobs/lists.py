"""The jobs app's list, declared once (core.listing) for its page and its API endpoint."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from borderdesk.core.listing import Filter, ListSpec, Sort

from .models import JobStatus

#: the caller's background jobs (/cong-viec/, /api/jobs/)
JOBS = ListSpec(
    filters=[
        Filter("trang_thai", _("Trạng thái"), "status", choices=JobStatus.choices, aliases=("status",)),
        Filter("loai", _("Loại công việc"), "kind", kind="exact", aliases=("kind",)),
    ],
    search_fields=["title"],
    sorts=[
        Sort("title", _("Công việc")),
        Sort("status", _("Trạng thái")),
        Sort("created_at", _("Tạo lúc")),
        Sort("finished_at", _("Kết thúc lúc")),
    ],
    default_sort="-created_at",
)
