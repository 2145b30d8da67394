"""`borderdesk report draft --committee <id|code|province> --period <key> --out <file.docx>`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from borderdesk.accounts.models import User
from borderdesk.core.errors import ApplicationError
from borderdesk.core.periods import parse_period
from borderdesk.org.models import Committee


def find_committee(value: str) -> Committee:
    value = value.strip()
    qs = Committee.objects.select_related("unit", "standing_office")
    if value.isdigit():
        c = qs.filter(pk=int(value)).first()
    else:
        c = (
            qs.filter(code=value).first()
            or qs.filter(
                Q(unit__name__iexact=value) | Q(unit__name__iexact=f"Tỉnh {value}") | Q(place_name__iexact=value)
            )
            .order_by("pk")
            .first()
        )
    if c is None:
        raise CommandError(f"Không tìm thấy ban chỉ đạo “{value}” (dùng mã số, mã ngắn như ls-bcdbg, hoặc tên tỉnh).")
    return c


class Command(BaseCommand):
    help = "Soạn báo cáo theo Nghị định 30/2020 (.docx): report draft --committee ls-bcdbg --period 2025 --out bc.docx"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        d = sub.add_parser("draft", help="soạn dự thảo báo cáo")
        d.add_argument("--committee", required=True, help="mã số, mã ngắn (ls-bcdbg) hoặc tên tỉnh (Lạng Sơn)")
        d.add_argument("--period", required=True, help="kỳ: 2025, 2025H1, 2025Q3, C20251130 ...")
        d.add_argument("--rule", default="decree09", choices=["decree09", "calendar"])
        d.add_argument("--out", required=True, help="tệp .docx đầu ra")
        d.add_argument("--date", help="ngày báo cáo YYYY-MM-DD (mặc định: hôm nay)")
        d.add_argument("--template", default="", help="mã mẫu đề cương (mặc định theo loại kỳ)")
        d.add_argument("--user", default="", help="tài khoản soạn (mặc định: quản trị đầu tiên)")
        d.add_argument("--signer", default="head", choices=["head", "standing_deputy"])
        d.add_argument("--pdf", help="đồng thời xuất PDF (cần LibreOffice)")
        d.add_argument(
            "--agency", default="", help="báo cáo riêng của một cơ quan (tên hoặc mã số), ví dụ Bộ Chỉ huy BĐBP"
        )

    def handle(self, *args, **opts):
        from borderdesk.documents import services
        from borderdesk.documents.pdf import docx_to_pdf

        committee = find_committee(opts["committee"])
        try:
            period = parse_period(opts["period"], opts["rule"])
        except ValueError as exc:
            raise CommandError(f"Kỳ báo cáo không hợp lệ: {exc}") from None
        if opts["user"]:
            user = User.objects.filter(username=opts["user"], is_active=True).first()
        else:
            user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("Không có tài khoản để soạn báo cáo (dùng --user).")
        report_date = dt.date.fromisoformat(opts["date"]) if opts["date"] else dt.date.today()
        agency = None
        if opts["agency"]:
            from borderdesk.org.models import Agency

            value = opts["agency"].strip()
            agency = (
                Agency.objects.filter(pk=int(value)).first()
                if value.isdigit()
                else Agency.objects.filter(name__iexact=value).first()
            )
            if agency is None:
                raise CommandError(f"Không tìm thấy cơ quan “{value}”.")
        try:
            template = services.template_for(period=period, code=opts["template"])
            draft = services.draft_create(
                user=user,
                committee=committee,
                period=period,
                report_date=report_date,
                template=template,
                signer_role=opts["signer"],
                agency=agency,
            )
            out = Path(opts["out"])
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(bytes(draft.docx))
            if opts["pdf"]:
                Path(opts["pdf"]).write_bytes(docx_to_pdf(bytes(draft.docx)))
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"Đã soạn: {out} — {draft.summary_text} (dự thảo {draft.version})")
        for w in draft.warnings:
            self.stderr.write(f"Cảnh báo: {w}")
        notes = draft.source_notes or {}
        if notes.get("notes"):
            self.stdout.write(notes["rule"])
            for n in notes["notes"]:
                other = f" (khác: {n['others']})" if n["others"] else ""
                self.stdout.write(f"  {n['name']}: {n['value']} — {n['source']}{other}")
