"""The coordination's background job: e-mail reminders of due and overdue tasks, once a working day.

The workers start it every day at BORDERDESK_REMINDERS_AT (local time, default 07:00; empty turns the schedule
off), so the embedded setup needs no cron; an administrator can also start it from "Công việc". The command
`borderdesk send_reminders` does the same for operators who prefer cron.
"""

from __future__ import annotations

import datetime as dt
import os

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderdesk.core import vn
from borderdesk.core.background import register

from .reminders import send_reminder_emails

REMINDERS = "coordination.reminders"


def reminders_time() -> dt.time | None:
    """The daily time of the reminders (BORDERDESK_REMINDERS_AT, "HH:MM"); None when turned off."""
    value = os.environ.get("BORDERDESK_REMINDERS_AT", "07:00").strip()
    if not value:
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        return dt.time(7, 0)


def _day(job) -> dt.date:
    """The day the reminders are for: params["date"], else a scheduled run's day ("kind:YYYY-MM-DD"), else today."""
    for text in (job.params.get("date"), (job.run_key or "").rpartition(":")[2]):
        try:
            return dt.date.fromisoformat(text)
        except (TypeError, ValueError):
            continue
    return timezone.localdate()


def send_reminders(job, progress) -> dict:
    """Send today's reminders. Not retried after a crash (max_attempts=1): a mail sent cannot be unsent."""
    today = _day(job)
    if today.weekday() >= 5 and job.run_key:  # scheduled runs: working days only
        return {"message": _("Hôm nay là ngày nghỉ cuối tuần: không gửi thư nhắc việc.")}
    progress(0, None, _("Đang gửi thư nhắc việc"))
    run = send_reminder_emails(today=today, within_days=int(job.params.get("days", 7)))
    if not run.configured:
        return {"message": _("Chưa cấu hình thư điện tử: không gửi thư; nhắc việc vẫn hiện trong ứng dụng.")}
    return {
        "message": _("Đã gửi %(sent)s thư nhắc việc (%(tasks)s nhiệm vụ).")
        % {"sent": vn.format_number(run.sent), "tasks": vn.format_number(run.tasks)}
    }


def register_jobs() -> None:
    register(
        REMINDERS,
        send_reminders,
        max_attempts=1,
        admin_title=gettext_lazy("Gửi thư nhắc việc"),
        daily_at=reminders_time(),
    )
