"""Reminders of task deadlines: in the application (coordination home page) and by e-mail when mail is
configured. Operators schedule `borderdesk send_reminders` once a working day (cron or a systemd timer,
see docs/operations.md); the standing office can also send them on request (`POST
/api/coordination/reminders/send`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail

from borderdesk.core import vn

from . import selectors

NOT_SENDING_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
)
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def mail_configured() -> bool:
    """True when e-mail would reach someone: a real backend, and for SMTP a host
    (BORDERDESK_EMAIL_BACKEND / BORDERDESK_EMAIL_HOST)."""
    backend = settings.EMAIL_BACKEND
    if backend in NOT_SENDING_BACKENDS:
        return False
    if backend == SMTP_BACKEND and not (settings.EMAIL_HOST or "").strip():
        return False
    return True


@dataclass
class ReminderRun:
    configured: bool
    sent: int = 0
    users: int = 0  # users with something to be reminded of
    tasks: int = 0  # distinct tasks mentioned


def reminder_message(*, today: dt.date, due, overdue) -> tuple[str, str]:
    lines = [f"Nhắc việc ngày {vn.format_date(today)}:", ""]
    lines += [f"- Sắp đến hạn {vn.format_date(t.deadline)}: {t.title} ({t.owner})" for t in due]
    lines += [f"- QUÁ HẠN từ {vn.format_date(t.deadline)}: {t.title} ({t.owner})" for t in overdue]
    subject = (
        f"[BorderDesk] {vn.zero_pad_count(len(due)) or '0'} nhiệm vụ sắp đến hạn, "
        f"{vn.zero_pad_count(len(overdue)) or '0'} nhiệm vụ quá hạn"
    )
    return subject, "\n".join(lines)


def send_reminder_emails(
    *, today: dt.date | None = None, within_days: int = 7, force: bool = False, users=None
) -> ReminderRun:
    """E-mail each active user with an address the due and overdue open tasks in their scope.

    Nothing is sent while mail is not configured (unless `force`: e.g. the console backend to see
    the messages)."""
    from borderdesk.accounts.models import User  # noqa: PLC0415

    today = today or dt.date.today()
    run = ReminderRun(configured=mail_configured())
    if not run.configured and not force:
        return run
    seen: set[int] = set()
    qs = users if users is not None else User.objects.filter(is_active=True).exclude(email="")
    for user in qs:
        due, overdue = selectors.reminders(user=user, today=today, within_days=within_days)
        if not due and not overdue:
            continue
        run.users += 1
        seen |= {t.pk for t in due + overdue}
        subject, body = reminder_message(today=today, due=due, overdue=overdue)
        run.sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
    run.tasks = len(seen)
    return run
