"""Excel round trip: a pre-filled, protected .xlsx per submission; upload validated per cell, all or nothing.

The workbook has a visible sheet "Số liệu" (indicators: code, name, unit, value, qualifier, comment, hints),
a sheet "Nội dung" (narratives), and a very hidden sheet "_meta" with the submission, form version,
reporter, period and a checksum of the row structure, so a wrong template, a wrong unit or period,
deleted or inserted rows and a renamed sheet are all refused with a clear message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from borderdesk.core import archives, exports, vn
from borderdesk.core.errors import ApplicationError
from borderdesk.core.scoping import Action, require_in_scope

from . import selectors, services
from .choices import Transition

DATA_SHEET = "Số liệu"
TEXT_SHEET = "Nội dung"
META_SHEET = "_meta"
FIRST_ROW = 6
#: a report template has one row per indicator: no form comes near this
MAX_TEMPLATE_ROWS = 5_000
COL_CODE, COL_NAME, COL_UNIT, COL_VALUE, COL_QUAL, COL_COMMENT, COL_HINT = range(1, 8)
_HEAD = Font(bold=True)
_INPUT = PatternFill("solid", fgColor="FFF8E6")


def _checksum(submission, codes: list[str], sections: list[str]) -> str:
    text = "|".join(
        [str(submission.pk), str(submission.form_version_id), submission.period_key, *codes, "#", *sections]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def submission_xlsx(submission) -> bytes:
    """The pre-filled template for one submission."""
    sections = selectors.entry_sections(submission=submission)
    period = submission.period
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws["A1"] = submission.form.name
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = exports.xlsx_value(f"{submission.reporter_name} — {period.label_vi} ({period.window_label()})")
    ws["A3"] = _(
        "Nhập số vào cột D (dùng số, không dùng công thức); cột E: trên, hơn, gần, khoảng…; "
        "không thêm, xóa hay gộp dòng; không đổi tên trang tính."
    )
    headers = [
        _("Mã"),
        _("Chỉ tiêu"),
        _("Đơn vị tính"),
        _("Số liệu"),
        _("Từ định lượng"),
        _("Ghi chú"),
        _("Gợi ý (kỳ trước / cùng kỳ)"),
    ]
    for i, h in enumerate(headers, start=1):
        c = ws.cell(row=FIRST_ROW - 1, column=i, value=h)
        c.font = _HEAD
    # Every qualifier the web entry offers (vn.QUALIFIERS), in the same order; the import reads each back.
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(vn.QUALIFIERS.values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Từ định lượng"),
        error=_("Chọn một từ trong danh sách: %s") % ", ".join(vn.QUALIFIERS.values()),
    )
    ws.add_data_validation(dv)
    row = FIRST_ROW
    codes = []
    for section in sections:
        for r in section["rows"]:
            ind, val = r.indicator, r.value
            codes.append(ind.code)
            ws.cell(row=row, column=COL_CODE, value=ind.code)
            ws.cell(row=row, column=COL_NAME, value=f"{section['title']} — {ind.name_vi}")
            ws.cell(row=row, column=COL_UNIT, value=ind.unit)
            vcell = ws.cell(row=row, column=COL_VALUE)
            if val is not None and val.value is not None:
                vcell.value = int(val.value) if val.value == val.value.to_integral_value() else float(val.value)
            vcell.number_format = "#,##0" if ind.value_type == "integer" else "#,##0.####"
            qcell = ws.cell(row=row, column=COL_QUAL, value=vn.QUALIFIERS.get(val.qualifier, "") if val else "")
            ccell = ws.cell(row=row, column=COL_COMMENT, value=exports.xlsx_value(val.comment) if val else "")
            for c in (vcell, qcell, ccell):
                c.protection = Protection(locked=False)
                c.fill = _INPUT
            dv.add(qcell)
            hint = f"{vn.format_number(r.previous) or '—'} / {vn.format_number(r.same_period) or '—'}"
            ws.cell(row=row, column=COL_HINT, value=hint)
            row += 1
    for col, width in zip("ABCDEFG", (28, 60, 14, 18, 14, 40, 24), strict=True):
        ws.column_dimensions[col].width = width
    ws.protection.sheet = True
    ws.protection.formatRows = True
    ws.protection.insertRows = True
    ws.protection.deleteRows = True
    texts = wb.create_sheet(TEXT_SHEET)
    texts["A1"], texts["B1"], texts["C1"] = _("Mã mục"), _("Mục"), _("Nội dung")
    narr = {n.section: n.text for n in submission.narratives.all()}
    section_codes = []
    for i, s in enumerate(submission.form_version.narrative_sections, start=2):
        section_codes.append(s["code"])
        texts.cell(row=i, column=1, value=s["code"])
        texts.cell(row=i, column=2, value=s["title"])
        c = texts.cell(row=i, column=3, value=exports.xlsx_value(narr.get(s["code"], "")))
        c.protection = Protection(locked=False)
        c.alignment = Alignment(wrap_text=True, vertical="top")
    texts.column_dimensions["B"].width = 36
    texts.column_dimensions["C"].width = 100
    texts.protection.sheet = True
    meta = wb.create_sheet(META_SHEET)
    for i, (k, v) in enumerate(
        [
            ("submission", submission.pk),
            ("form", submission.form.code),
            ("form_version", submission.form_version_id),
            ("unit", submission.unit_id or ""),
            ("agency", submission.agency_id or ""),
            ("period", submission.period_key),
            ("checksum", _checksum(submission, codes, section_codes)),
        ],
        start=1,
    ):
        meta.cell(row=i, column=1, value=k)
        meta.cell(row=i, column=2, value=v)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    exports.neutralise_workbook(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value) -> str:
    """A text cell's content; a number or date typed into a text column (a comment) becomes its Vietnamese text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, int | float | Decimal):
        return vn.format_number(Decimal(str(value)))
    if isinstance(value, dt.datetime | dt.date):
        return vn.format_date(value)
    return str(value)


def _fail(message, cells: dict | None = None):
    raise ApplicationError(message, field_errors=cells or {}, code="invalid_workbook")


def submission_import_xlsx(*, user, submission, data: bytes, expected_version=None, progress=None):
    """Validate an uploaded workbook and save it through ``services.submission_save`` (all or nothing).

    The right to edit this report is checked first, then the file's size, packed and unpacked, and its row count;
    only then is the workbook parsed. `progress(done, total, step)` is a background job's (indicator rows read)."""
    require_in_scope(submission, user, Action.CHANGE)
    services.check_editable(submission)
    limit = archives.upload_limit()
    if len(data) > limit:
        _fail(
            _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB.")
            % {"size": vn.format_number(Decimal(len(data)) / 1024 / 1024, 1), "max": limit // 1024 // 1024}
        )
    if not data.startswith(b"PK"):
        _fail(_("Tệp không phải là tệp Excel .xlsx. Hãy tải mẫu Excel của báo cáo này và điền vào đó."))
    archives.check_office_archive(data, max_rows=MAX_TEMPLATE_ROWS)
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        _fail(_("Không đọc được tệp Excel (.xlsx). Hãy tải mẫu Excel của báo cáo này và điền vào đó."))
    if META_SHEET not in wb.sheetnames:
        _fail(_("Tệp không phải mẫu Excel của BorderDesk (thiếu thông tin mẫu). Hãy tải mẫu mới."))
    if DATA_SHEET not in wb.sheetnames or TEXT_SHEET not in wb.sheetnames:
        _fail(
            _("Không thấy trang tính “%s” — trang tính đã bị đổi tên hoặc xóa. Hãy giữ nguyên tên trang tính.")
            % DATA_SHEET
        )
    meta = {str(r[0].value): r[1].value for r in wb[META_SHEET].iter_rows(min_row=1, max_col=2) if r[0].value}
    if str(meta.get("submission")) != str(submission.pk) or meta.get("form") != submission.form.code:
        _fail(_("Tệp này là mẫu của báo cáo khác (biểu mẫu hoặc đơn vị khác). Hãy tải mẫu của báo cáo này."))
    if str(meta.get("form_version")) != str(submission.form_version_id):
        _fail(_("Tệp dùng phiên bản biểu mẫu khác. Hãy tải mẫu mới."))
    if str(meta.get("unit") or "") != str(submission.unit_id or "") or str(meta.get("agency") or "") != str(
        submission.agency_id or ""
    ):
        _fail(_("Tệp này là của đơn vị khác."))
    if meta.get("period") != submission.period_key:
        _fail(_("Tệp này là của kỳ báo cáo khác (%s).") % meta.get("period"))
    ws = wb[DATA_SHEET]
    if ws.merged_cells.ranges:
        _fail(
            _("Trang “%(s)s” có ô bị gộp (%(r)s); không gộp ô trong mẫu.")
            % {"s": DATA_SHEET, "r": ", ".join(str(r) for r in ws.merged_cells.ranges)}
        )
    rows = list(ws.iter_rows(min_row=FIRST_ROW, max_col=COL_COMMENT))
    codes_in_file = [str(r[COL_CODE - 1].value).strip() for r in rows if r[COL_CODE - 1].value not in (None, "")]
    texts = wb[TEXT_SHEET]
    text_rows = [r for r in texts.iter_rows(min_row=2, max_col=3) if r[0].value]
    section_codes = [str(r[0].value) for r in text_rows]
    if _checksum(submission, codes_in_file, section_codes) != meta.get("checksum"):
        _fail(_("Cấu trúc mẫu đã bị thay đổi (thêm, xóa hoặc gộp dòng). Hãy tải mẫu mới và nhập lại."))
    cells: dict[str, list[str]] = {}
    values: dict[str, dict] = {}
    cell_of: dict[str, str] = {}
    if progress:
        progress(0, len(rows), _("Đang kiểm tra từng ô"), force=True)
    for done, r in enumerate(rows):
        if progress:
            progress(done, len(rows))
        code = r[COL_CODE - 1].value
        if code in (None, ""):
            continue
        code = str(code).strip()
        vcell, qcell, ccell = r[COL_VALUE - 1], r[COL_QUAL - 1], r[COL_COMMENT - 1]
        cell_of[code] = vcell.coordinate
        for c in (vcell, qcell, ccell):
            if c.data_type == "f":  # a text cell that starts with "=" (as exported) is text, not a formula
                cells.setdefault(c.coordinate, []).append(_("Không chấp nhận công thức; hãy nhập giá trị."))
        raw = vcell.value
        if isinstance(raw, bool):
            cells.setdefault(vcell.coordinate, []).append(_("Giá trị phải là số."))
            continue
        if isinstance(raw, int | float):
            raw = Decimal(str(raw))
        values[code] = {"value": raw, "qualifier": _text(qcell.value), "comment": _text(ccell.value)}
    if cells:
        _fail(_("Chưa nhập: %d ô có lỗi.") % len(cells), cells)
    narratives = {str(r[0].value): _text(r[2].value) for r in text_rows}
    for r in text_rows:
        if r[2].data_type == "f":
            _fail(_("Không chấp nhận công thức."), {f"{TEXT_SHEET}!{r[2].coordinate}": [_("Công thức.")]})
    if progress:
        progress(len(rows), len(rows), _("Đang ghi vào cơ sở dữ liệu"), force=True)
    try:
        return services.submission_save(
            user=user,
            submission=submission,
            values=values,
            narratives=narratives,
            expected_version=expected_version,
            action=Transition.IMPORT,
            refuse_errors=True,
        )
    except ApplicationError as exc:
        if exc.field_errors:
            mapped = {f"{DATA_SHEET}!{cell_of.get(k, k)}": v for k, v in exc.field_errors.items()}
            raise ApplicationError(exc.message, field_errors=mapped, code=exc.code) from None
        raise


def consolidation_xlsx(cons) -> bytes:
    """The consolidated table as .xlsx (Vietnamese labels, numbers as numbers)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    ws["A1"] = f"{cons.unit.name} — {cons.period.label_vi} ({cons.period.window_label()})"
    ws["A1"].font = Font(bold=True, size=13)
    headers = [
        _("Mã"),
        _("Chỉ tiêu"),
        _("Đơn vị tính"),
        _("Kỳ này"),
        _("Từ định lượng"),
        _("Cùng kỳ năm trước"),
        _("Tăng/giảm"),
        _("Tăng/giảm (%)"),
        _("Kế hoạch"),
        _("% kế hoạch"),
        _("Đơn vị báo cáo"),
        _("Đơn vị chưa báo cáo"),
    ]
    for i, h in enumerate(headers, start=1):
        ws.cell(row=3, column=i, value=h).font = _HEAD

    def n(v):
        return None if v is None else (int(v) if v == v.to_integral_value() else float(round(v, 4)))

    for r in cons.rows:
        ws.append(
            [
                r.indicator.code,
                r.indicator.name_vi,
                r.indicator.unit,
                n(r.value),
                vn.QUALIFIERS.get(r.qualifier, ""),
                n(r.previous_value),
                n(r.change_abs),
                n(r.change_pct),
                n(r.plan_value),
                n(r.plan_pct),
                ", ".join(r.contributors),
                ", ".join(r.missing),
            ]
        )
    for col, width in zip("ABCDEFGHIJKL", (28, 50, 12, 18, 10, 18, 16, 12, 16, 10, 40, 40), strict=True):
        ws.column_dimensions[col].width = width
    exports.neutralise_workbook(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
