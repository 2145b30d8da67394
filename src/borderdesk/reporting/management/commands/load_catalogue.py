from django.core.management.base import BaseCommand

from borderdesk.reporting.services import catalogue_load


class Command(BaseCommand):
    help = "Nạp (hoặc cập nhật) danh mục chỉ tiêu từ reporting/data/indicators.csv; chạy lại nhiều lần vẫn an toàn."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=None, help="Tệp CSV khác (mặc định: danh mục đi kèm)")

    def handle(self, *args, **opts):
        from pathlib import Path

        result = catalogue_load(path=Path(opts["path"]) if opts["path"] else None)
        self.stdout.write(f"Chỉ tiêu: thêm {result['created']}, cập nhật {result['updated']}, tổng {result['total']}")
