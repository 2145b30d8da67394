"""Daily jobs started by the workers themselves (no cron): task reminders at BORDERDESK_REMINDERS_AT, once a day
however many workers ask, working days only; an administrator can also start them from "Công việc"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from borderdesk.coordination.jobs import REMINDERS
from borderdesk.jobs import services
from borderdesk.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _at(day: str, hhmm: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day} {hhmm}"))


@pytest.fixture
def mailboxes(users, settings):
    settings.EMAIL_BACKEND = LOCMEM
    for name in ("vanphong.ls", "vanphong.sl"):
        users[name].email = f"{name}@example.org"
        users[name].save()


def test_the_reminders_start_once_a_day_at_their_time(mailboxes):
    assert services.schedule_due(now=_at("2026-01-26", "06:59")) == []
    started = services.schedule_due(now=_at("2026-01-26", "07:00"))
    assert [j.kind for j in started] == [REMINDERS]
    job = started[0]
    assert job.run_key == f"{REMINDERS}:2026-01-26" and job.status == JobStatus.DONE and job.created_by is None
    assert "Đã gửi" in job.message and len(mail.outbox) >= 1
    assert any("Sắp đến hạn 31/01/2026" in m.body for m in mail.outbox)  # the day of the run, not today's date
    sent = len(mail.outbox)
    assert services.schedule_due(now=_at("2026-01-26", "15:30")) == []  # a second worker, later that day
    assert len(mail.outbox) == sent
    assert len(services.schedule_due(now=_at("2026-01-27", "07:10"))) == 1  # the next day


def test_two_workers_cannot_start_the_same_run(users):
    services.submit(user=None, kind_code=REMINDERS, title="x", run_key=f"{REMINDERS}:2026-02-02")
    with pytest.raises(IntegrityError), transaction.atomic():
        services.submit(user=None, kind_code=REMINDERS, title="x", run_key=f"{REMINDERS}:2026-02-02")
    assert Job.objects.filter(run_key=f"{REMINDERS}:2026-02-02").count() == 1


def test_no_mail_at_the_weekend_nor_when_mail_is_not_configured(mailboxes, settings):
    saturday = services.schedule_due(now=_at("2026-01-31", "08:00"))[0]
    assert "cuối tuần" in saturday.message and mail.outbox == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    monday = services.schedule_due(now=_at("2026-02-02", "08:00"))[0]
    assert monday.status == JobStatus.DONE and "Chưa cấu hình thư điện tử" in monday.message


def test_an_administrator_sends_them_now_from_the_jobs_page(mailboxes, users, login):
    page = login(users["admin"]).get("/cong-viec/").content.decode()
    assert "Gửi thư nhắc việc" in page
    r = login(users["admin"]).post(f"/cong-viec/chay/{REMINDERS}/")
    job = Job.objects.get(pk=r.url.rstrip("/").rsplit("/", 1)[-1])
    assert job.status == JobStatus.DONE and job.run_key is None
    assert login(users["vanphong.ls"]).post(f"/cong-viec/chay/{REMINDERS}/").status_code == 404
