"""`borderdesk send_reminders [--days 7] [--date YYYY-MM-DD] [--force]`: e-mail users about due and
overdue tasks in their scope. Schedule it once a working day (docs/operations.md)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from borderdesk.coordination.reminders import send_reminder_emails


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc việc: nhiệm vụ sắp đến hạn và quá hạn (theo phạm vi của từng tài khoản). "
        "Chạy hằng ngày bằng cron hoặc systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="nhắc trước hạn bao nhiêu ngày (mặc định 7)")
        parser.add_argument("--date", default="", help="ngày nhắc YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument(
            "--force", action="store_true", help="gửi cả khi chưa cấu hình thư (ví dụ backend console để xem thử)"
        )

    def handle(self, *args, **opts):
        try:
            today = dt.date.fromisoformat(opts["date"]) if opts["date"] else dt.date.today()
        except ValueError:
            raise CommandError(f"Ngày không hợp lệ: {opts['date']} (dùng YYYY-MM-DD).") from None
        if opts["days"] < 0:
            raise CommandError("--days phải không âm.")
        run = send_reminder_emails(today=today, within_days=opts["days"], force=opts["force"])
        if not run.configured and not opts["force"]:
            self.stdout.write(
                "Chưa cấu hình thư điện tử (BORDERDESK_EMAIL_BACKEND, BORDERDESK_EMAIL_HOST): "
                "không gửi thư; nhắc việc vẫn hiện trong ứng dụng."
            )
            return
        self.stdout.write(f"Đã gửi {run.sent} thư nhắc việc ({run.tasks} nhiệm vụ).")
