"""Job kinds: each app registers the handlers of the long work it offers.

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


KINDS: dict[str, JobKind] = {}


def register(
    code: str, handler: Callable, *, max_attempts: int = 3, admin_title=None, daily_at: dt.time | None = None
) -> None:
    KINDS[code] = JobKind(code, handler, max_attempts, admin_title, daily_at)


def daily_kinds() -> list[JobKind]:
    return [k for k in KINDS.values() if k.daily_at is not None]


def admin_kinds() -> list[JobKind]:
    return [k for k in KINDS.values() if k.admin_title is not None]


def kind(code: str) -> JobKind:
    return KINDS[code]
