"""Submitting, running and recovering background jobs (every write to a Job goes through here)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from borderdesk.core import vn
from borderdesk.core.background import JobError, kind
from borderdesk.core.changelog import record_change, snapshot
from borderdesk.core.texts import Text

from .models import Job, JobStatus

log = logging.getLogger(__name__)

# A running job writes its progress at most (and, while it reports, at least) this often; one silent for STALE_AFTER
# was killed.
HEARTBEAT_SECONDS = float(os.environ.get("BORDERDESK_JOB_HEARTBEAT_SECONDS", "1"))
STALE_AFTER = dt.timedelta(seconds=int(os.environ.get("BORDERDESK_JOB_STALE_SECONDS", "120")))


def input_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_input(upload) -> str:
    """Keep an uploaded file for the job (moved when Django spooled it to disk, else copied in chunks)."""
    target = input_dir() / uuid.uuid4().hex
    source = getattr(upload, "temporary_file_path", None)
    if source is not None:
        shutil.copyfile(source(), target)
    else:
        with open(target, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    return str(target)


def store_stream(stream, *, limit: int) -> str:
    """Keep a request body or other binary stream for a job, refusing more than `limit` bytes."""
    from borderdesk.core.errors import ApplicationError

    target = input_dir() / uuid.uuid4().hex
    written = 0
    with open(target, "wb") as out:
        while block := stream.read(1024 * 1024):
            written += len(block)
            if written > limit:
                out.close()
                target.unlink(missing_ok=True)
                raise ApplicationError(_("Tệp vượt quá dung lượng cho phép."), code="too_large")
            out.write(block)
    return str(target)


def submit(
    *,
    user,
    kind_code: str,
    title: Text | str,
    params: dict | None = None,
    input_path: str = "",
    run_key: str | None = None,
) -> Job:
    """Create a job and queue it, in one transaction (the worker sees both or neither). The title is kept as the
    catalogue's text (core.texts.Text: a plain string is taken as one), shown in each reader's language."""
    from .tasks import run_job

    kind(kind_code)  # an unknown kind is a programming error, raised here rather than in the worker
    text = Text.of(title)
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind_code,
            title=text.in_vietnamese()[:300],
            title_text=text.as_json(),
            params=params or {},
            input_path=input_path,
            created_by=user if getattr(user, "pk", None) else None,
            run_key=run_key,
        )
        record_change(user=user, instance=job, action="create", before=None, after=snapshot(job))
        run_job.enqueue(str(job.pk))  # same transaction: the worker finds the job and its task, or neither
    job.refresh_from_db()
    return job


def submit_upload(*, user, kind_code: str, title: Text | str, params: dict | None = None, upload=None) -> Job:
    """`core.background.submit`: keep the uploaded file (if any) for the job and queue it."""
    return submit(
        user=user,
        kind_code=kind_code,
        title=title,
        params=params,
        input_path=store_input(upload) if upload is not None else "",
    )


def schedule_due(*, now: dt.datetime | None = None) -> list[Job]:
    """Start today's run of each daily job whose time has come (called by every worker, every few seconds).

    The run key ("kind:date") is unique, so however many workers ask, each daily job runs once a day.
    """
    from django.db import IntegrityError

    from borderdesk.core.background import daily_kinds

    local = timezone.localtime(now or timezone.now())
    started = []
    for daily in daily_kinds():
        if daily.daily_at is None or local.time() < daily.daily_at:
            continue
        key = f"{daily.code}:{local.date().isoformat()}"
        if Job.objects.filter(run_key=key).exists():
            continue
        try:
            started.append(
                submit(
                    user=None,
                    kind_code=daily.code,
                    run_key=key,
                    title=Text(
                        gettext_noop("%(job)s (theo lịch, ngày %(date)s)"),
                        {"job": Text.of(daily.admin_title or daily.code), "date": vn.format_date(local.date())},
                    ),
                )
            )
        except IntegrityError:
            continue  # another worker started it first
    return started


class Progress:
    """The callable a handler reports progress with; writes at most once per HEARTBEAT_SECONDS."""

    def __init__(self, job: Job):
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None, step: str | None = None, *, force: bool = False):
        now = time.monotonic()
        if step is not None and step != self.job.step:
            force = True
        if not force and now - self._last < HEARTBEAT_SECONDS:
            return
        self._last = now
        fields = {"done": int(done), "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = int(total)
        if step is not None:
            fields["step"] = step[:200]
        Job.objects.filter(pk=self.job.pk).update(**fields)
        for key, value in fields.items():
            setattr(self.job, key, value)


def run(job_id: str) -> str:
    """Run one job (called by the worker). Returns its final status."""
    claimed = Job.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    now = timezone.now()
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return job.status if job else "missing"
    claimed.update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=job.attempts + 1)
    job.refresh_from_db()
    # Its steps, messages and errors are read by whoever started it: in their language, as their pages are.
    starter = Job.objects.filter(pk=job.pk).values_list("created_by__language", flat=True).first()
    with translation.override(starter or settings.LANGUAGE_CODE):
        return _run(job)


def _run(job: Job) -> str:
    progress = Progress(job)
    try:
        result = kind(job.kind).handler(job, progress)
    except JobError as exc:
        _finish(job, JobStatus.FAILED, message=exc.message, errors=exc.errors[:500])
    except Exception:  # noqa: BLE001 — the user is told; the details go to the log
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            JobStatus.FAILED,
            message=_(
                "Có lỗi không lường trước khi xử lý; chưa có gì được ghi. Hãy thử lại hoặc báo quản trị hệ thống."
            ),
        )
    else:
        _finish(job, JobStatus.DONE, result=result or {}, message=(result or {}).get("message", ""))
    return job.status


def _finish(job: Job, status: str, *, message: str = "", errors: list | None = None, result: dict | None = None):
    job.status, job.message, job.errors, job.result = status, str(message)[:5000], errors or [], result
    job.finished_at = job.heartbeat_at = timezone.now()
    if job.total is not None and status == JobStatus.DONE:
        job.done = job.total
    job.save(update_fields=["status", "message", "errors", "result", "finished_at", "heartbeat_at", "done"])
    if job.input_path:
        Path(job.input_path).unlink(missing_ok=True)


def recover_stale(*, now: dt.datetime | None = None) -> list[str]:
    """Jobs whose worker died (no progress for STALE_AFTER) run again, or fail after their last attempt.

    Safe because handlers write all-or-nothing: a killed job has written nothing.
    """
    from .tasks import run_job

    now = now or timezone.now()
    recovered = []
    stale = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    for job in stale:
        with transaction.atomic():
            if not Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at).update(
                status=JobStatus.QUEUED, step=_("Chạy lại sau khi bị dừng giữa chừng"), heartbeat_at=now
            ):
                continue  # another worker got there first
        if job.attempts >= kind(job.kind).max_attempts:
            job.refresh_from_db()
            _finish(
                job,
                JobStatus.FAILED,
                message=_("Công việc bị dừng giữa chừng %(n)s lần; chưa có gì được ghi.") % {"n": job.attempts},
            )
            continue
        run_job.enqueue(str(job.pk))
        recovered.append(str(job.pk))
    return recovered
