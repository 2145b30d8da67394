"""Reads of background jobs for a user."""

from __future__ import annotations

from django.utils import timezone

from .models import Job, JobStatus


def jobs_for_user(*, user):
    return Job.objects.for_user(user).select_related("created_by")


def notice_stale(job: Job) -> None:
    """A job whose worker died is put back in the queue when someone looks at it (the worker's own
    watcher does the same every half minute)."""
    from .services import STALE_AFTER, recover_stale

    if job.status == JobStatus.RUNNING and job.heartbeat_at and timezone.now() - job.heartbeat_at > STALE_AFTER:
        recover_stale()
        job.refresh_from_db()
