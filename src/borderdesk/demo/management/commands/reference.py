from django.core.management.base import BaseCommand, CommandError

from borderdesk.demo.loader import database_is_empty
from borderdesk.demo.reference import load_reference


class Command(BaseCommand):
    help = (
        "Nạp danh mục tham chiếu (đơn vị hành chính, cơ quan, chỉ tiêu, biểu mẫu) vào cơ sở dữ liệu trống, "
        "không có dữ liệu minh họa. Load the reference data only (no demo accounts or reports)."
    )

    def handle(self, *args, **options):
        if not database_is_empty():
            raise CommandError("Cơ sở dữ liệu đã có dữ liệu. The database is not empty.")
        result = load_reference()
        self.stdout.write(
            self.style.SUCCESS("Đã nạp danh mục tham chiếu: " + ", ".join(f"{k}={v}" for k, v in result.items()))
        )
        self.stdout.write(
            "Tiếp theo / next: borderdesk createsuperuser, rồi đăng nhập và tạo tài khoản "
            "cơ quan thường trực (Tài khoản → Tạo tài khoản)."
        )
