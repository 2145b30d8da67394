"""Exports that run as background jobs: the change log as CSV (hundreds of thousands of entries).

The file is written under a temporary name and renamed when complete, so a worker killed midway leaves no
partial file, and running the job again is safe. The person who started the job (or an administrator)
downloads it from the job's page or `GET /api/jobs/{id}/file`.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _

from borderdesk.core import background, changelog_display, vn
from borderdesk.core.background import JobError, register
from borderdesk.core.changelog_list import CHANGELOG, PARAMS
from borderdesk.core.exports import safe_csv_writer
from borderdesk.core.listing import ListParamError
from borderdesk.core.selectors import changelog_for_user

CHANGELOG_EXPORT = "jobs.changelog_export"
PROGRESS_EVERY = 2000


def output_dir() -> Path:
    return background.output_dir()


def output_path(job) -> Path | None:
    """The finished file of a job, if it made one and it is still there."""
    name = (job.result or {}).get("file")
    if not name or os.path.basename(name) != name:
        return None
    path = output_dir() / name
    return path if path.is_file() else None


def file_response(job):
    """The file a finished job wrote, as a download (404 when there is none). A file marked `download_once`
    (temporary passwords) is removed as it is handed over: a second download finds nothing."""
    from django.http import FileResponse, HttpResponse
    from django.utils.http import content_disposition_header

    from borderdesk.core.errors import NotFoundError

    path = output_path(job)
    if path is None:
        raise NotFoundError(_("Tệp của công việc này không còn (hoặc công việc chưa xong)."))
    name = job.result.get("file_name") or path.name
    content_type = job.result.get("content_type") or "application/octet-stream"
    if job.result.get("download_once"):
        data = path.read_bytes()
        path.unlink(missing_ok=True)
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
        response["Cache-Control"] = "no-store"
        return response
    return FileResponse(open(path, "rb"), as_attachment=True, filename=name, content_type=content_type)  # noqa: SIM115


def changelog_params(query) -> dict:
    """What the export job keeps of the page's query string (only the filters, as text)."""
    return {key: str(query.get(key, ""))[:200] for key in PARAMS if query.get(key)}


def changelog_export(job, progress) -> dict:
    """Write the filtered change log to a CSV file, with the scope of the person who started the job."""
    user = job.created_by
    if user is None or not user.is_active:
        raise JobError(_("Tài khoản yêu cầu xuất không còn hoạt động."))
    try:
        entries = CHANGELOG.apply(changelog_for_user(user=user), job.params, user)
    except ListParamError as exc:
        raise JobError(str(exc.message)) from None
    total = entries.count()
    progress(0, total, _("Đang ghi tệp CSV"))
    name = f"{job.pk}.csv"
    final, partial = output_dir() / name, output_dir() / f"{name}.part"
    with open(partial, "w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff")
        writer = safe_csv_writer(fh)
        writer.writerow(changelog_display.csv_header())
        for done, row in enumerate(changelog_display.csv_rows(entries), start=1):
            writer.writerow(row)
            if done % PROGRESS_EVERY == 0:
                progress(done, total)
    os.replace(partial, final)  # atomic: the file is whole or absent
    return {
        "message": _("Đã xuất %(n)s mục nhật ký.") % {"n": vn.format_number(total)},
        "url": reverse("jobs:file", args=[job.pk]),
        "file": name,
        "file_name": "nhat-ky-thay-doi.csv",
        "content_type": "text/csv; charset=utf-8",
    }


def register_jobs() -> None:
    register(CHANGELOG_EXPORT, changelog_export)
