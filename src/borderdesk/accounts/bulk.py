"""Accounts for every border commune and station of a province, from a spreadsheet (.xlsx or .csv).

The template (`template_rows`) lists one row per border commune/ward/town and per Border Guard station
of the province, valid today, with a suggested user name; the office corrects it and uploads it.
`bulk_create` checks every row first and creates nothing when one row is wrong; each error names the
row (as numbered in the spreadsheet, header = row 1) and quotes the bad value.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderdesk.core.collation import vi_order
from borderdesk.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from borderdesk.core.registry.tabular import RowError, errors_with_columns, read_table
from borderdesk.core.vn import format_date, parse_date

from . import services
from .choices import Role
from .models import User

# (key, Vietnamese header). Spreadsheets stay Vietnamese, like every document the office files.
COLUMNS = [
    ("username", "Tên đăng nhập"),
    ("display_name", "Tên hiển thị"),
    ("email", "Thư điện tử"),
    ("role", "Vai trò"),
    ("unit_code", "Mã đơn vị hành chính"),
    ("unit_name", "Đơn vị hành chính"),
    ("agency", "Cơ quan"),
    ("valid_from", "Từ ngày"),
    ("valid_to", "Đến ngày"),
    ("password", "Mật khẩu tạm (để trống: tự sinh)"),
]
HEADER_TO_KEY = {h.lower(): k for k, h in COLUMNS} | {k: k for k, _h in COLUMNS}
ROLE_WORDS = {str(Role(v).label).lower(): v for v, _l in Role.choices}
# Vietnamese labels, whatever the interface language is while the file is read.
ROLE_WORDS |= {
    "quản trị hệ thống": Role.ADMIN,
    "cơ quan thường trực": Role.STANDING_OFFICE,
    "cán bộ báo cáo": Role.REPORTER,
    "người duyệt": Role.APPROVER,
    "lãnh đạo / người xem": Role.VIEWER,
    "lãnh đạo": Role.VIEWER,
    "người xem": Role.VIEWER,
    "kiểm tra, giám sát": Role.AUDITOR,
}
ROLE_WORDS |= {v: v for v, _l in Role.choices}
ROLE_LABELS_VI = {
    Role.ADMIN: "Quản trị hệ thống",
    Role.STANDING_OFFICE: "Cơ quan thường trực",
    Role.REPORTER: "Cán bộ báo cáo",
    Role.APPROVER: "Người duyệt",
    Role.VIEWER: "Lãnh đạo / người xem",
    Role.AUDITOR: "Kiểm tra, giám sát",
}
_PREFIXES = ("xã ", "phường ", "thị trấn ", "đồn biên phòng ", "trạm biên phòng ")


def ascii_slug(text: str) -> str:
    """ "Xã Đồng Đăng" → "dongdang" (Vietnamese letters folded, spaces dropped)."""
    text = (text or "").lower()
    for p in _PREFIXES:
        if text.startswith(p):
            text = text[len(p) :]
    text = text.replace("đ", "d")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", text)


def template_rows(*, user, province) -> list[list[str]]:
    """Header + one suggested reporter account per border commune and station of the province (today)."""
    from borderdesk.org.models import AdministrativeUnit, Agency

    services.require_manager(user)
    from borderdesk.core.scoping import Action, scope_for

    if not scope_for(user, Action.MANAGE).contains_unit(province.pk):
        raise NotFoundError(_("Đơn vị hoặc cơ quan này nằm ngoài phạm vi của bạn (hoặc không tồn tại)."))
    today = timezone.localdate()
    communes = (
        AdministrativeUnit.objects.valid_on(today)
        .filter(path__startswith=province.path, kind__in=("commune", "ward", "town"), is_border=True)
        .order_by(*vi_order("name"))
    )
    stations = (
        Agency.objects.valid_on(today)
        .select_related("unit")
        .filter(unit__path__startswith=province.path, kind__code="border_guard_station")
        .order_by(*vi_order("name"))
    )
    taken = set(User.objects.values_list("username", flat=True))
    rows = [[h for _k, h in COLUMNS]]

    def name_for(prefix, text):
        base = f"{prefix}.{ascii_slug(text)}"[:140]
        name, n = base, 2
        while name in taken:
            name, n = f"{base}{n}", n + 1
        taken.add(name)
        return name

    reporter = ROLE_LABELS_VI[Role.REPORTER]
    for u in communes:
        rows.append(
            [
                name_for("baocao", u.name),
                f"Cán bộ báo cáo {u.name}",
                "",
                reporter,
                u.code,
                u.name,
                "",
                format_date(today),
                "",
                "",
            ]
        )
    for a in stations:
        rows.append([name_for("bp", a.name), a.name, "", reporter, "", "", a.name, format_date(today), "", ""])
    return rows


def template_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Tài khoản"
    for r in rows:
        ws.append(r)
    for c in ws[1]:
        c.font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJ", (26, 36, 24, 22, 14, 28, 44, 12, 12, 22), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet("Hướng dẫn")
    for line in (
        ["Mỗi dòng là một tài khoản. Sửa, xóa hoặc thêm dòng rồi tải tệp lên trang “Tạo tài khoản hàng loạt”."],
        [
            "Vai trò: "
            + "; ".join(
                ROLE_LABELS_VI[r]
                for r in (Role.STANDING_OFFICE, Role.REPORTER, Role.APPROVER, Role.VIEWER, Role.AUDITOR)
            )
        ],
        ["Đơn vị: ghi mã đơn vị hành chính (ưu tiên) hoặc tên đơn vị; cơ quan: ghi đúng tên cơ quan."],
        ["Ngày: dd/mm/yyyy. Để trống “Đến ngày” nếu không có thời hạn."],
        ["Có một dòng lỗi thì không tài khoản nào được tạo; thông báo lỗi nêu số dòng và giá trị sai."],
        ["Người dùng phải đổi mật khẩu tạm ở lần đăng nhập đầu tiên."],
    ):
        help_ws.append(line)
    help_ws.column_dimensions["A"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _date(text: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    return parse_date(text)


@dataclass
class BulkResult:
    created: list[tuple[User, str]]  # (account, temporary password)


class BulkRejected(ApplicationError):
    code = "import_rejected"


def _resolve_unit(row: dict, today: dt.date):
    from borderdesk.org.models import AdministrativeUnit

    code, name = (row.get("unit_code") or "").strip(), (row.get("unit_name") or "").strip()
    if not code and not name:
        return None, None
    qs = AdministrativeUnit.objects.valid_on(today)
    found = list(qs.filter(code=code)[:2]) if code else []
    field, value = ("unit_code", code) if code else ("unit_name", name)
    if not found and name:  # no code, or one a spreadsheet mangled (leading zeros): the name decides
        found, field, value = list(qs.filter(name__iexact=name)[:2]), "unit_name", name
    if len(found) != 1:
        return None, (
            field,
            (
                _("Không tìm thấy đơn vị hành chính “%(v)s” (còn hiệu lực hôm nay).")
                if not found
                else _("Có nhiều đơn vị tên “%(v)s”: ghi mã đơn vị.")
            )
            % {"v": value},
        )
    return found[0], None


def _resolve_agency(row: dict, today: dt.date):
    from borderdesk.org.models import Agency

    name = (row.get("agency") or "").strip()
    if not name:
        return None, None
    found = list(Agency.objects.valid_on(today).select_related("unit").filter(name__iexact=name)[:2])
    if len(found) != 1:
        return None, (
            "agency",
            (
                _("Không tìm thấy cơ quan “%(v)s” (còn hiệu lực hôm nay).")
                if not found
                else _("Có nhiều cơ quan tên “%(v)s”.")
            )
            % {"v": name},
        )
    return found[0], None


def parse_rows(raw_rows: list[dict | None], progress=None) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Spreadsheet rows → (row number, parsed values); errors name the row and quote the value."""
    today = timezone.localdate()
    parsed, errors, seen = [], [], {}
    allowed_roles = ", ".join(ROLE_LABELS_VI[r] for r, _l in Role.choices)
    for i, raw in enumerate(raw_rows, start=2):
        if progress:
            progress(i - 2, len(raw_rows))
        if raw is None:
            continue
        row = {HEADER_TO_KEY.get(k.strip().lower(), k): v for k, v in raw.items()}
        out = {
            "username": (row.get("username") or "").strip(),
            "display_name": row.get("display_name") or "",
            "email": row.get("email") or "",
            "password": row.get("password") or "",
        }
        if not out["username"]:
            errors.append(RowError(i, "username", _("Dòng %(r)s: thiếu tên đăng nhập.") % {"r": i}))
        elif out["username"].lower() in seen:
            errors.append(
                RowError(
                    i,
                    "username",
                    _("Dòng %(r)s: tên đăng nhập “%(v)s” trùng với dòng %(o)s.")
                    % {"r": i, "v": out["username"], "o": seen[out["username"].lower()]},
                )
            )
        else:
            seen[out["username"].lower()] = i
        role_text = (row.get("role") or "").strip()
        role = ROLE_WORDS.get(role_text.lower())
        if role is None:
            errors.append(
                RowError(
                    i,
                    "role",
                    _("Dòng %(r)s: vai trò “%(v)s” không hợp lệ; chọn một trong: %(all)s.")
                    % {"r": i, "v": role_text, "all": allowed_roles},
                )
            )
        out["role"] = role
        for key in ("valid_from", "valid_to"):
            try:
                out[key] = _date(row.get(key) or "")
            except ValueError:
                errors.append(
                    RowError(
                        i, key, _("Dòng %(r)s: ngày “%(v)s” không đúng dạng dd/mm/yyyy.") % {"r": i, "v": row.get(key)}
                    )
                )
                out[key] = None
        unit, err = _resolve_unit(row, today)
        if err:
            errors.append(RowError(i, err[0], _("Dòng %(r)s: %(m)s") % {"r": i, "m": err[1]}))
        agency, err = _resolve_agency(row, today)
        if err:
            errors.append(RowError(i, err[0], _("Dòng %(r)s: %(m)s") % {"r": i, "m": err[1]}))
        out["unit"], out["agency"] = unit, agency
        if (
            role
            and role != Role.ADMIN
            and unit is None
            and agency is None
            and not any(e.row == i and e.field in ("unit_code", "unit_name", "agency") for e in errors)
        ):
            errors.append(
                RowError(i, "unit_code", _("Dòng %(r)s: cần mã đơn vị hành chính hoặc tên cơ quan.") % {"r": i})
            )
        parsed.append((i, out))
    return parsed, errors


def bulk_create(
    *, user, uploaded, filename: str | None = None, reason: str = "", progress=None, keep=None
) -> BulkResult:
    """Create every account of the spreadsheet, or none (errors per row).

    `progress(done, total, step)` is a background job's: the rows are checked outside the write
    transaction (the job's page follows them), then every account is created in one transaction.
    `keep(created)` runs inside that transaction once every account is made (a job writes the temporary
    passwords to its file there: a job killed before the commit leaves no account, one killed after it
    leaves the accounts and their file)."""
    services.require_manager(user)
    raw = read_table(uploaded, filename=filename)
    headers = {HEADER_TO_KEY.get(k.strip().lower()) for r in raw if r for k in r}
    if raw and not {"username", "role"} <= headers:
        raise BulkRejected(_("Tệp thiếu cột bắt buộc “Tên đăng nhập” hoặc “Vai trò”. Hãy dùng tệp mẫu."))
    if progress:
        progress(0, len(raw), _("Đang kiểm tra từng dòng"), force=True)
    parsed, errors = parse_rows(raw, progress=progress)
    if not parsed and not errors:
        raise BulkRejected(_("Tệp không có dòng tài khoản nào."))
    created: list[tuple[User, str]] = []
    if not errors:
        if progress:
            progress(len(raw), len(raw), _("Đang tạo tài khoản"), force=True)
        with transaction.atomic():
            for i, row in parsed:
                try:
                    account, password = services.user_create(
                        user=user,
                        username=row["username"],
                        display_name=row["display_name"],
                        email=row["email"],
                        role=row["role"],
                        unit=row["unit"],
                        agency=row["agency"],
                        valid_from=row["valid_from"],
                        valid_to=row["valid_to"],
                        password=row["password"],
                        reason=reason or _("Tạo hàng loạt"),
                    )
                    created.append((account, password))
                except (NotFoundError, PermissionDeniedError, ApplicationError) as exc:
                    field = next(iter(getattr(exc, "field_errors", {}) or {}), "")
                    value = row.get(field) if field in row else row["username"]
                    if isinstance(exc, NotFoundError):  # the unit or agency lies outside the office's scope
                        field, value = ("agency", row["agency"]) if row["agency"] else ("unit_code", row["unit"])
                    errors.append(
                        RowError(i, field, _("Dòng %(r)s (“%(v)s”): %(m)s") % {"r": i, "v": value, "m": exc.message})
                    )
            if errors:
                transaction.set_rollback(True)
            elif keep is not None:
                keep(created)
    if errors:
        raise BulkRejected(
            _("Không tạo tài khoản nào: %(n)s dòng có lỗi.") % {"n": len({e.row for e in errors})},
            extra={"errors": errors_with_columns(errors, COLUMNS)},
        )
    return BulkResult(created=created)
