from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from borderdesk.core.errors import ApplicationError
from borderdesk.org.importers import import_agencies


class Command(BaseCommand):
    help = "Nhập danh sách cơ quan từ CSV (tất cả hoặc không gì cả). Import agencies from CSV, all-or-nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="tài khoản thực hiện (ghi vào nhật ký)")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {options['user']}")
        try:
            result = import_agencies(user=user, data=Path(options["file"]).read_bytes())
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(self.style.SUCCESS(f"Đã nhập: {result['created']} mới, {result['updated']} cập nhật."))
