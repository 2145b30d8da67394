"""Reporting's background jobs: rebuilding the consolidation roll-up (an administrator's maintenance)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderdesk.core.vn import format_number
from borderdesk.jobs.registry import register

from . import rollup

ROLLUP_REBUILD = "reporting.rollup_rebuild"


def rollup_rebuild(job, progress) -> dict:
    """Recompute the roll-up from the approved reports, in one transaction (a killed job changes nothing)."""
    progress(0, None, _("Đang tính lại số liệu tổng hợp sẵn từ các báo cáo đã duyệt"), force=True)
    counts = rollup.rebuild()
    return {
        "message": _("Đã tính lại: %(m)s báo cáo-kỳ, %(v)s dòng tổng hợp.")
        % {"m": format_number(counts["members"]), "v": format_number(counts["values"])},
        **counts,
    }


def register_jobs() -> None:
    register(ROLLUP_REBUILD, rollup_rebuild, admin_title=gettext_lazy("Tính lại số liệu tổng hợp sẵn"))
