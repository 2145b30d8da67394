"""The gates' background jobs: importing a crossing log (up to hundreds of megabytes)."""

from __future__ import annotations

import os

from django.urls import reverse
from django.utils.translation import gettext as _

from borderdesk.core.background import JobError, register
from borderdesk.core.vn import format_number

from . import services
from .models import ImportStatus

CROSSING_LOG = "gates.crossing_log"


def crossing_log(job, progress) -> dict:
    """Aggregate the uploaded log into daily statistics, all or nothing (services.crossing_log_import)."""
    if not job.created_by:
        raise JobError(_("Tài khoản gửi tệp không còn tồn tại."))
    size = os.path.getsize(job.input_path)
    with open(job.input_path, "rb") as fh:
        record = services.crossing_log_import(
            user=job.created_by, stream=fh, file_name=job.params.get("file_name", ""), size=size, progress=progress
        )
    url = reverse("gates:log_import") + f"?ket_qua={record.pk}"
    if record.status != ImportStatus.DONE:
        raise JobError(
            _("Tệp có %(n)s lỗi; chưa có số liệu nào được ghi. Sửa tệp rồi nhập lại.") % {"n": len(record.errors)},
            errors=record.errors,
        )
    return {
        "message": _("Đã nhập %(rows)s dòng vào %(days)s ngày-cửa khẩu.")
        % {"rows": format_number(record.rows), "days": format_number(record.gate_days)},
        "url": url,
        "import_id": record.pk,
    }


def register_jobs() -> None:
    register(CROSSING_LOG, crossing_log, counts="bytes")  # the log's bytes read: rows are counted at the end
