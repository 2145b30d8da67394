"""Reporting's background jobs: rebuilding the consolidation roll-up (an administrator's maintenance), and
the two spreadsheet imports — plan targets and a report's filled-in Excel template — which run the same
import as the page (`targets.import_targets`, `excel.submission_import_xlsx`), all or nothing, with
progress in rows, from the page's "Chạy nền" or the API's `background=true`."""

from __future__ import annotations

import re

from django.core.files import File
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from borderdesk.core.background import JobError, register
from borderdesk.core.errors import ApplicationError, PermissionDeniedError
from borderdesk.core.registry.tabular import check_size
from borderdesk.core.texts import Text
from borderdesk.core.vn import format_number
from borderdesk.jobs import services as job_services

from . import rollup

ROLLUP_REBUILD = "reporting.rollup_rebuild"
TARGETS_IMPORT = "reporting.targets_import"
SUBMISSION_EXCEL = "reporting.submission_excel"


def rollup_rebuild(job, progress) -> dict:
    """Recompute the roll-up from the approved reports, in one transaction (a killed job changes nothing)."""
    progress(0, None, _("Đang tính lại số liệu tổng hợp sẵn từ các báo cáo đã duyệt"), force=True)
    counts = rollup.rebuild()
    return {
        "message": _("Đã tính lại: %(m)s báo cáo-kỳ, %(v)s dòng tổng hợp.")
        % {"m": format_number(counts["members"]), "v": format_number(counts["values"])},
        **counts,
    }


def _user(job):
    if job.created_by is None or not job.created_by.is_active:
        raise JobError(_("Tài khoản gửi tệp không còn hoạt động."))
    return job.created_by


def _refused(exc: ApplicationError) -> JobError:
    """A refused import as the job's errors: per row (targets) or per cell (a report's workbook)."""
    rows = [
        {
            "line": e.get("row"),
            "field": e.get("field", ""),
            "column": e.get("column", ""),
            "message": e.get("message", ""),
        }
        for e in (exc.extra or {}).get("errors", [])
    ]
    for cell, messages in (exc.field_errors or {}).items():
        found = re.search(r"(\d+)$", str(cell))
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            rows.append({"line": int(found.group(1)) if found else "", "field": str(cell), "message": str(message)})
    return JobError(exc.message, errors=rows)


# ---------------------------------------------------------------- plan targets


def submit_targets_import(*, user, uploaded, back_url: str = ""):
    """Keep the spreadsheet and queue its import; returns the Job."""
    from borderdesk.core.scoping import Action

    if not user.can(Action.MANAGE):
        raise PermissionDeniedError(_("Bạn không có quyền nhập kế hoạch."))
    check_size(getattr(uploaded, "size", None))
    name = (getattr(uploaded, "name", "") or "ke-hoach.xlsx")[:255]
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ApplicationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    return job_services.submit_upload(
        user=user,
        kind_code=TARGETS_IMPORT,
        title=Text(gettext_noop("Nhập kế hoạch từ tệp %(file)s"), {"file": name[:150]}),
        params={"file_name": name, "back": back_url[:300]},
        upload=uploaded,
    )


def targets_import(job, progress) -> dict:
    from . import targets

    user = _user(job)
    name = job.params.get("file_name") or "ke-hoach.xlsx"
    try:
        with open(job.input_path, "rb") as fh:
            n = targets.import_targets(user=user, uploaded=File(fh, name=name), filename=name, progress=progress)
    except ApplicationError as exc:
        raise _refused(exc) from None
    back = job.params.get("back") or ""
    return {
        "message": _("Đã lưu %(n)s kế hoạch từ tệp.") % {"n": format_number(n)},
        "url": back if back.startswith("/") and not back.startswith("//") else reverse("reporting:targets"),
        "saved": n,
    }


# ---------------------------------------------------------------- a report's Excel template


def submit_submission_excel(*, user, submission, uploaded):
    """Check the caller may edit the report, keep the workbook and queue its import; returns the Job."""
    from borderdesk.core import archives
    from borderdesk.core.scoping import Action, require_in_scope

    from . import services

    require_in_scope(submission, user, Action.CHANGE)
    services.check_editable(submission)
    size = getattr(uploaded, "size", None)
    if size is not None and size > archives.upload_limit():
        raise ApplicationError(
            _("Tệp quá lớn; tối đa %(max)s MB.") % {"max": archives.megabytes(archives.upload_limit())},
            code="invalid_workbook",
        )
    return job_services.submit_upload(
        user=user,
        kind_code=SUBMISSION_EXCEL,
        title=Text(
            gettext_noop("Nhập số liệu từ Excel: %(form)s — %(who)s, %(period)s"),
            {"form": submission.form.name, "who": submission.reporter_name, "period": submission.period},
        ),
        params={"submission": submission.pk, "file_name": (getattr(uploaded, "name", "") or "")[:255]},
        upload=uploaded,
    )


def submission_excel(job, progress) -> dict:
    from borderdesk.core.errors import NotFoundError

    from . import selectors
    from .excel import submission_import_xlsx

    user = _user(job)
    try:
        submission = selectors.submission_get(user=user, pk=job.params.get("submission"))
    except NotFoundError:
        raise JobError(_("Không tìm thấy báo cáo (hoặc bạn không còn quyền sửa báo cáo này).")) from None
    with open(job.input_path, "rb") as fh:
        data = fh.read()
    try:
        submission_import_xlsx(user=user, submission=submission, data=data, progress=progress)
    except ApplicationError as exc:
        raise _refused(exc) from None
    return {
        "message": _("Đã nhập số liệu từ tệp Excel."),
        "url": reverse("reporting:entry", args=[submission.pk]),
        "submission": submission.pk,
    }


def register_jobs() -> None:
    register(ROLLUP_REBUILD, rollup_rebuild, admin_title=gettext_lazy("Tính lại số liệu tổng hợp sẵn"))
    register(TARGETS_IMPORT, targets_import)
    register(SUBMISSION_EXCEL, submission_excel)
