"""REST API of background jobs: follow a job's progress and read its result (the same data as the page)."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from borderdesk.core import background
from borderdesk.core.errors import NotFoundError
from borderdesk.core.listing import ListPagination
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.core.texts import Text

from . import exports, selectors, services
from .lists import JOBS
from .models import Job

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str = Field(description="in the caller's language", alias="shown_title")
    status: str
    step: str
    done: int
    total: int | None
    percent: int | None
    counts: str = Field(description='what done / total count: "items" (rows, entries, units) or "bytes"')
    result: dict | None
    errors: list
    message: str
    attempts: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


@router.get("/", response=list[JobOut], operation_id="jobs_list", description=JOBS.describe())
@paginate(ListPagination, spec=JOBS)
def job_list(request):
    """The caller's jobs, newest first."""
    return selectors.jobs_for_user(user=request.auth)


class ChangelogExportIn(Schema):
    user: str = ""
    model: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    object_id: str = ""
    request_id: str = ""
    action: str = ""


@router.post("/changelog-export", response={202: JobOut}, operation_id="jobs_changelog_export")
def changelog_export(request, payload: ChangelogExportIn):
    """Export the change log (filtered as on the page) to CSV in a background job: 202 with the job. Poll
    `GET /api/jobs/{id}`; when `status` is `done`, download `GET /api/jobs/{id}/file`."""
    if not request.auth.can(Action.AUDIT):
        raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))
    query = payload.dict()
    query["from"] = payload.date_from.isoformat() if payload.date_from else ""
    query["to"] = payload.date_to.isoformat() if payload.date_to else ""
    job = services.submit(
        user=request.auth,
        kind_code=exports.CHANGELOG_EXPORT,
        title=Text(gettext_noop("Xuất nhật ký thay đổi (CSV)")),
        params=exports.changelog_params(query),
    )
    return Status(202, job)


@router.post("/maintenance/{kind}", response={202: JobOut}, operation_id="jobs_maintenance")
def maintenance(request, kind: str):
    """An administrator starts a maintenance job with no input — `reporting.rollup_rebuild` (rebuild the
    consolidation roll-up), `coordination.reminders` ...: 202 with the job; poll `GET /api/jobs/{id}`."""
    found = next((k for k in background.admin_kinds() if k.code == kind), None)
    user = request.auth
    if found is None or not (user.is_superuser or user.has_role("admin")):
        raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))
    return Status(202, services.submit(user=user, kind_code=found.code, title=Text.of(found.admin_title)))


@router.get(
    "/{job_id}/file",
    operation_id="jobs_file",
    openapi_extra={
        "responses": {
            200: {"description": "the job's file", "content": {"text/csv": {}}},
            404: {"description": "no such job or no file"},
        }
    },
)
def job_file(request, job_id: uuid.UUID):
    """The file a finished job wrote (an export)."""
    job = get_for_user_or_404(Job.objects, request.auth, pk=job_id)
    return exports.file_response(job)


@router.get("/{job_id}", response=JobOut, operation_id="jobs_get")
def job_get(request, job_id: uuid.UUID):
    """One job: status, progress (done / total, percent), result or errors. Poll it until `status` is
    `done` or `failed`."""
    job = get_for_user_or_404(Job.objects, request.auth, pk=job_id)
    selectors.notice_stale(job)
    return job
