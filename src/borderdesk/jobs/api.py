"""REST API of background jobs: follow a job's progress and read its result (the same data as the page)."""

import datetime as dt
import uuid

from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from borderdesk.core.scoping import get_for_user_or_404

from . import selectors
from .models import Job

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    status: str
    step: str
    done: int
    total: int | None
    percent: int | None
    result: dict | None
    errors: list
    message: str
    attempts: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


@router.get("/", response=list[JobOut], operation_id="jobs_list")
@paginate(PageNumberPagination, page_size=50)
def job_list(request):
    """The caller's jobs, newest first."""
    return selectors.jobs_for_user(user=request.auth)


@router.get("/{job_id}", response=JobOut, operation_id="jobs_get")
def job_get(request, job_id: uuid.UUID):
    """One job: status, progress (done / total, percent), result or errors. Poll it until `status` is
    `done` or `failed`."""
    job = get_for_user_or_404(Job.objects, request.auth, pk=job_id)
    selectors.notice_stale(job)
    return job
