"""A report's Excel template through the API (mounted by reporting/api.py): download it pre-filled, upload it
filled in — the page's `excel.submission_xlsx` / `excel.submission_import_xlsx`, checked cell by cell, all or
nothing — in the request or, with `background=true`, as a background job."""

from django.http import HttpResponse
from ninja import File, Schema, Status
from ninja.files import UploadedFile

from borderdesk.core import archives

from . import selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExcelImportOut(Schema):
    id: int
    status: str
    version: int
    warnings: list[str]


class JobRef(Schema):
    job_id: str
    url: str


def excel_get(request, submission_id: int):
    """The report's pre-filled Excel template (the same file as the page's "Tải mẫu Excel")."""
    from .excel import submission_xlsx

    sub = selectors.submission_get(user=request.user, pk=submission_id)
    response = HttpResponse(submission_xlsx(sub), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{sub.pk}-{sub.period_key}.xlsx"'
    return response


def excel_import(request, submission_id: int, file: File[UploadedFile], background: bool = False):
    """Upload the filled-in template (multipart field `file`): checked cell by cell, saved all or nothing
    (400 naming each cell). With `background=true`: 202 with the job; follow `GET /api/jobs/{id}`."""
    from .excel import submission_import_xlsx
    from .jobs import submit_submission_excel

    sub = selectors.submission_get(user=request.user, pk=submission_id)
    if background:
        job = submit_submission_excel(user=request.user, submission=sub, uploaded=file)
        return Status(202, {"job_id": str(job.pk), "url": f"/api/jobs/{job.pk}"})
    saved = submission_import_xlsx(user=request.user, submission=sub, data=file.read(archives.upload_limit() + 1))
    return Status(
        200,
        {
            "id": saved.submission.pk,
            "status": saved.submission.status,
            "version": saved.submission.version,
            "warnings": [str(f.message) for f in saved.warnings],
        },
    )


def mount(router) -> None:
    """Add the two operations to reporting's router — before its `/submissions/{id}/{action}`, which would
    otherwise take "excel" for a workflow action (a child router's paths come after the parent's)."""
    router.get(
        "/submissions/{submission_id}/excel",
        operation_id="reporting_submission_excel_get",
        openapi_extra={"responses": {200: {"description": "the pre-filled template", "content": {XLSX: {}}}}},
    )(excel_get)
    router.post(
        "/submissions/{submission_id}/excel",
        response={200: ExcelImportOut, 202: JobRef},
        operation_id="reporting_submission_excel_import",
    )(excel_import)
