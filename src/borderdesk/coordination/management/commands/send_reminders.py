"""`borderdesk send_reminders [--days 7] [--date YYYY-MM-DD]`: e-mail owners' users about due and overdue tasks."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand

from borderdesk.accounts.models import User
from borderdesk.coordination import selectors
from borderdesk.core import vn


class Command(BaseCommand):
    help = "Gửi thư nhắc việc: nhiệm vụ sắp đến hạn và quá hạn (theo phạm vi của từng tài khoản)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)
        parser.add_argument("--date", default="")

    def handle(self, *args, **opts):
        today = dt.date.fromisoformat(opts["date"]) if opts["date"] else dt.date.today()
        sent = 0
        for user in User.objects.filter(is_active=True).exclude(email=""):
            due, overdue = selectors.reminders(user=user, today=today, within_days=opts["days"])
            if not due and not overdue:
                continue
            lines = [f"Nhắc việc ngày {vn.format_date(today)}:", ""]
            lines += [f"- Sắp đến hạn {vn.format_date(t.deadline)}: {t.title} ({t.owner})" for t in due]
            lines += [f"- QUÁ HẠN từ {vn.format_date(t.deadline)}: {t.title} ({t.owner})" for t in overdue]
            send_mail(f"[BorderDesk] {len(due)} nhiệm vụ sắp đến hạn, {len(overdue)} quá hạn", "\n".join(lines),
                      settings.DEFAULT_FROM_EMAIL, [user.email])
            sent += 1
        self.stdout.write(f"Đã gửi {sent} thư nhắc việc.")
