from django.core.management.base import BaseCommand, CommandError

from borderdesk.demo.loader import database_is_empty, demo_accounts, load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa (Lạng Sơn, Sơn La) vào cơ sở dữ liệu trống. Load the demonstration data."

    def handle(self, *args, **options):
        if not database_is_empty():
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu; lệnh demo chỉ chạy trên cơ sở dữ liệu trống. The database is not empty."
            )
        result = load_demo()
        self.stdout.write(
            self.style.SUCCESS("Đã nạp dữ liệu minh họa: " + ", ".join(f"{k}={v}" for k, v in result.items()))
        )
        for username, role, password, scope in demo_accounts():
            self.stdout.write(f"  {username:<16} {role:<28} {scope}  (mật khẩu: {password})")
