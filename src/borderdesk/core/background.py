"""Background work, offered to the jobs app by every app — also those it cannot import (core, accounts).

The jobs app runs the work; an app says what a kind of job does (`register(code, handler)`) and starts one
(`submit(...)`) through this module, which the jobs app fills in when it starts (`install`), so accounts —
beside jobs in the layers — and core offer background work without importing it.

A handler is ``handler(job, progress) -> dict``. It reads ``job.params`` / ``job.input_path``, reports
progress with ``progress(done, total=None, step=None)``, and returns the result shown to the user
(``{"message": ..., "url": ...}``), or raises ``JobError`` with the errors to show. It must write
all-or-nothing (validate first, then write in one transaction), so that a job killed midway leaves
nothing half-written and running it again is safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _


class JobError(Exception):
    """The job's input was refused: nothing was written. `errors` are shown to the user."""

    def __init__(self, message: str, errors: list | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []


@dataclass(frozen=True)
class JobKind:
    code: str
    handler: Callable
    max_attempts: int = 3
    # When set, an administrator can start the job from "Công việc" with no input (maintenance work).
    admin_title: object = None
    # When set, the workers start the job once a day at this local time (no cron needed).
    daily_at: dt.time | None = None
    # What its progress counts: "items" (rows, entries, units) or "bytes" (a file read as it streams, whose rows
    # are not known before the end): the job page shows bytes as megabytes.
    counts: str = "items"


KINDS: dict[str, JobKind] = {}


def register(
    code: str,
    handler: Callable,
    *,
    max_attempts: int = 3,
    admin_title=None,
    daily_at: dt.time | None = None,
    counts: str = "items",
) -> None:
    KINDS[code] = JobKind(code, handler, max_attempts, admin_title, daily_at, counts)


def daily_kinds() -> list[JobKind]:
    return [k for k in KINDS.values() if k.daily_at is not None]


def admin_kinds() -> list[JobKind]:
    return [k for k in KINDS.values() if k.admin_title is not None]


def kind(code: str) -> JobKind:
    return KINDS[code]


# The jobs app's submit(user=, kind_code=, title=, params=, upload=) -> Job, installed when it starts.
_RUNNER: dict[str, Callable[..., Any] | None] = {"submit": None}


def install(submit: Callable[..., Any]) -> None:
    _RUNNER["submit"] = submit


def submit(*, user, kind_code: str, title, params: dict | None = None, upload=None):
    """Keep `upload` (an uploaded file, if any) and queue a job of `kind_code`; returns the Job
    (its page is `reverse("jobs:detail", args=[job.pk])`, its API `/api/jobs/{job.pk}`). `title` is a
    `core.texts.Text` (the catalogue's text and its parameters), shown in each reader's language."""
    from .errors import ApplicationError

    runner = _RUNNER["submit"]
    if runner is None:
        raise ApplicationError(_("Chưa bật công việc chạy nền."))
    return runner(user=user, kind_code=kind_code, title=title, params=params, upload=upload)


def output_dir() -> Path:
    """Where jobs write the files they make (downloaded from the job's page or `GET /api/jobs/{id}/file`)."""
    path = Path(settings.MEDIA_ROOT) / "jobs" / "output"
    path.mkdir(parents=True, exist_ok=True)
    return path
