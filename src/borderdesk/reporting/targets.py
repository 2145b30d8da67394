"""Plan targets: reads for a user, delete, and the spreadsheet (template, import) — all or nothing.

Setting one target is ``target_set`` (scope: *manage* on the unit). The spreadsheet has
Vietnamese headers; the import reads exactly what the template/export writes (numbers as numeric
cells, periods as "năm 2026" / "6 tháng đầu năm 2026" or their keys 2026 / 2026H1); errors name the
row (header = row 1) and quote the bad value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from borderdesk.core import vn
from borderdesk.core.changelog import delete_with_log, save_with_log
from borderdesk.core.errors import ApplicationError
from borderdesk.core.periods import parse_period
from borderdesk.core.registry.tabular import ImportRejected, RowError, check_size, errors_with_columns
from borderdesk.core.scoping import Action, require_in_scope, require_unit_in_scope
from borderdesk.core.services import bump_version
from borderdesk.org.models import AdministrativeUnit

from .models import Indicator, ReportForm, Target

COLUMNS = [
    ("unit_code", "Mã đơn vị hành chính"),
    ("unit_name", "Đơn vị"),
    ("indicator", "Mã chỉ tiêu"),
    ("indicator_name", "Tên chỉ tiêu"),
    ("measure", "Đơn vị tính"),
    ("period", "Kỳ kế hoạch"),
    ("value", "Kế hoạch"),
    ("note", "Ghi chú"),
]
HEADER_TO_KEY = {h.lower(): k for k, h in COLUMNS} | {k: k for k, _h in COLUMNS}
PLAN_KINDS = ("", "H1", "H2")  # year, first half, second half


def _checked(*, user, unit, period_key: str, value) -> tuple[Decimal, str]:
    """The rules of a target, before anything is written: scope (*manage* on the unit), a non-negative
    number, a plan period. (value, period key), or ApplicationError naming the field."""
    require_unit_in_scope(unit.pk, None, user, Action.MANAGE)
    try:
        d = vn.parse_number(value) if isinstance(value, str) else vn.to_decimal(value)
    except ValueError as exc:
        raise ApplicationError(str(exc), field_errors={"value": [str(exc)]}) from None
    if d is None or d < 0:
        raise ApplicationError(_("Kế hoạch phải là số không âm."), field_errors={"value": [_("Không hợp lệ.")]})
    try:
        key = parse_period(period_key).key
    except ValueError as exc:
        raise ApplicationError(str(exc), field_errors={"period": [str(exc)]}) from None
    return d, key


def target_set(
    *, user, indicator: Indicator, unit, period_key: str, value, note: str = "", is_demo: bool = False, source: str = ""
) -> Target:
    """Enter or change the plan value of an indicator for a unit and period (standing office)."""
    d, key = _checked(user=user, unit=unit, period_key=period_key, value=value)
    with transaction.atomic():
        target = Target.objects.filter(indicator=indicator, unit=unit, period_key=key).first()
        if target is None:
            target = Target(indicator=indicator, unit=unit, period_key=key)
        elif (target.value, target.note, target.is_demo, target.source) == (d, note, is_demo, source):
            return target  # the same plan again (a re-imported spreadsheet): nothing to change or log
        else:
            bump_version(target)
        target.value, target.note, target.is_demo, target.source = d, note, is_demo, source
        save_with_log(user=user, instance=target)
    return target


def year_keys(year: int) -> list[str]:
    return [f"{year}{k}" for k in PLAN_KINDS]


def targets_for(*, user, unit, year: int):
    """Targets of the unit's subtree for a year (year and half-year targets) the user may see."""
    return (
        Target.objects.for_user(user, Action.VIEW)
        .filter(Q(unit__path__startswith=unit.path), period_key__in=year_keys(year))
        .select_related("indicator", "unit")
        .order_by("unit__path", "indicator__group", "indicator__code", "period_key")
    )


def plannable_indicators():
    """Numeric indicators of the forms' current versions (in form order), then the rest of the catalogue."""
    codes: list[str] = []
    for f in ReportForm.objects.prefetch_related("versions"):
        v = max(f.versions.all(), key=lambda x: x.number, default=None)
        for c in v.indicator_codes() if v else []:
            if c not in codes:
                codes.append(c)
    inds = {i.code: i for i in Indicator.objects.exclude(value_type="text")}
    return [inds[c] for c in codes if c in inds] + sorted(
        (i for c, i in inds.items() if c not in codes), key=lambda i: i.code
    )


def target_delete(*, user, target: Target, reason: str = "") -> None:
    """Remove a target (the standing office; logged)."""
    require_in_scope(target, user, Action.MANAGE)
    with transaction.atomic():
        delete_with_log(user=user, instance=target, reason=reason)


def period_text(key: str) -> str:
    return parse_period(key).label_vi


def parse_plan_period(text: str) -> str:
    """ "2026", "2026H1", "năm 2026", "6 tháng đầu năm 2026", "6 tháng cuối năm 2026" → a period key."""
    t = re.sub(r"\s+", " ", (text or "").strip().lower())
    m = re.fullmatch(r"(?:năm )?(\d{4})", t)
    if m:
        return m.group(1)
    m = re.fullmatch(r"(\d{4}) ?(h[12])", t)
    if m:
        return m.group(1) + m.group(2).upper()
    m = re.fullmatch(r"6 tháng (đầu|cuối) năm (\d{4})", t)
    if m:
        return m.group(2) + ("H1" if m.group(1) == "đầu" else "H2")
    raise ValueError(text)


def template_rows(*, user, unit, year: int) -> list[list]:
    """Header, the targets already set in the unit's subtree for the year, and a blank row for each
    plannable indicator of the unit itself that has no year target yet."""
    rows: list[list] = [[h for _k, h in COLUMNS]]
    have = set()
    for t in targets_for(user=user, unit=unit, year=year):
        have.add((t.unit_id, t.indicator_id, t.period_key))
        rows.append(
            [
                t.unit.code,
                t.unit.name,
                t.indicator.code,
                t.indicator.name_vi,
                t.indicator.unit,
                period_text(t.period_key),
                t.value.normalize() if t.value == t.value.to_integral_value() else t.value,
                t.note,
            ]
        )
    for ind in plannable_indicators():
        if (unit.pk, ind.pk, str(year)) not in have:
            rows.append([unit.code, unit.name, ind.code, ind.name_vi, ind.unit, f"năm {year}", None, ""])
    return rows


def template_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Kế hoạch"
    for r in rows:
        ws.append([float(v) if isinstance(v, Decimal) else v for v in r])
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in ws.iter_rows(min_row=2, min_col=7, max_col=7):
        for c in row:
            c.number_format = "#,##0.####"
    for col, width in zip("ABCDEFGH", (12, 26, 30, 50, 12, 22, 14, 30), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_csv(rows: list[list]) -> bytes:
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    for r in rows:
        w.writerow(["" if v is None else (vn.format_number(v) if isinstance(v, Decimal) else v) for v in r])
    return buf.getvalue().encode("utf-8")


def _read(uploaded, filename: str) -> list[list]:
    check_size(getattr(uploaded, "size", None))
    name = (filename or getattr(uploaded, "name", "") or "").lower()
    try:
        if name.endswith(".xlsx"):
            from openpyxl import load_workbook

            wb = load_workbook(uploaded, read_only=True, data_only=True)
            try:
                return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
            finally:
                wb.close()
        if name.endswith(".csv"):
            text = uploaded.read().decode("utf-8-sig")
            return [list(r) for r in csv.reader(io.StringIO(text))]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ImportRejected(_("Không đọc được tệp: %(e)s") % {"e": exc.__class__.__name__}) from None
    except Exception as exc:  # a malformed workbook must never become a 500
        raise ImportRejected(_("Không đọc được tệp: %(e)s") % {"e": exc.__class__.__name__}) from None
    raise ImportRejected(_("Chỉ nhận tệp .csv hoặc .xlsx."))


def _number(v) -> Decimal | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError(str(v))
    if isinstance(v, int | float):
        try:
            return Decimal(str(v))
        except InvalidOperation:
            raise ValueError(str(v)) from None
    return vn.parse_number(str(v))


def _unit_for(code: str, name: str, day: dt.date):
    qs = AdministrativeUnit.objects.filter(code=code) if code else AdministrativeUnit.objects.filter(name__iexact=name)
    found = list(qs.valid_on(day)[:2]) or list(qs[:2])
    return found[0] if len(found) == 1 else None


def _row_error(n: int, item: dict, exc: ApplicationError) -> RowError:
    outside = exc.status_code == 404
    return RowError(
        n,
        "unit_code" if outside else "value",
        _("Dòng %(r)s (“%(v)s”): %(m)s")
        % {"r": n, "v": item["unit"].name if outside else item["value"], "m": exc.message},
    )


def import_targets(*, user, uploaded, filename: str | None = None, progress=None) -> int:
    """Set every target of the spreadsheet, or none. Rows without a value are skipped. Returns the count.

    `progress(done, total, step)` is a background job's (rows read so far, of the file's rows)."""
    raw = _read(uploaded, filename or "")
    if not raw:
        raise ImportRejected(_("Tệp không có dòng tiêu đề."))
    header = [HEADER_TO_KEY.get(str(h or "").strip().lower()) for h in raw[0]]
    missing = [h for k, h in COLUMNS if k in ("indicator", "period", "value") and k not in header]
    if missing or ("unit_code" not in header and "unit_name" not in header):
        raise ImportRejected(
            _("Tệp thiếu cột: %(c)s. Hãy dùng tệp mẫu.") % {"c": ", ".join(missing or ["Mã đơn vị hành chính"])}
        )
    errors: list[RowError] = []
    count = 0
    inds = {i.code: i for i in Indicator.objects.all()}
    total = len(raw) - 1
    step = _("Đang kiểm tra từng dòng")
    if progress:
        progress(0, total, step, force=True)
    # 1. Every row checked (outside the write transaction, so a job's progress is seen while it runs).
    checked: list[tuple[int, dict]] = []
    for n, values in enumerate(raw[1:], start=2):
        if progress:
            progress(n - 2, total, step)
        row = {k: v for k, v in zip(header, values, strict=False) if k}
        if not any(v not in (None, "") for v in row.values()):
            continue
        try:
            value = _number(row.get("value"))
        except ValueError:
            errors.append(
                RowError(
                    n,
                    "value",
                    _("Dòng %(r)s: kế hoạch “%(v)s” không phải là số (ví dụ 1.700 hoặc 6,73).")
                    % {"r": n, "v": row.get("value")},
                )
            )
            continue
        if value is None:
            continue  # a template row left blank
        code = str(row.get("indicator") or "").strip()
        ind = inds.get(code)
        if ind is None:
            errors.append(
                RowError(n, "indicator", _("Dòng %(r)s: không có chỉ tiêu mã “%(v)s”.") % {"r": n, "v": code})
            )
            continue
        try:
            key = parse_plan_period(str(row.get("period") or ""))
            period = parse_period(key)
        except ValueError:
            errors.append(
                RowError(
                    n,
                    "period",
                    _("Dòng %(r)s: kỳ kế hoạch “%(v)s” không hợp lệ; ghi “năm 2026” hoặc “6 tháng đầu năm 2026”.")
                    % {"r": n, "v": row.get("period")},
                )
            )
            continue
        ucode, uname = str(row.get("unit_code") or "").strip(), str(row.get("unit_name") or "").strip()
        unit = _unit_for(ucode, uname, period.end)
        if unit is None:
            errors.append(
                RowError(
                    n,
                    "unit_code",
                    _("Dòng %(r)s: không xác định được đơn vị “%(v)s”.") % {"r": n, "v": ucode or uname},
                )
            )
            continue
        item = {"indicator": ind, "unit": unit, "period_key": key, "value": value}
        try:
            _checked(user=user, unit=unit, period_key=key, value=value)
        except ApplicationError as exc:
            errors.append(_row_error(n, item, exc))
            continue
        checked.append((n, item | {"note": str(row.get("note") or "").strip()[:300]}))
    # 2. Written in one transaction, through target_set (which checks again), only when every row is right.
    if not errors:
        if progress:
            progress(total, total, _("Đang ghi vào cơ sở dữ liệu"), force=True)
        with transaction.atomic():
            for n, item in checked:
                try:
                    target_set(user=user, **item)
                    count += 1
                except ApplicationError as exc:
                    errors.append(_row_error(n, item, exc))
            if errors:
                transaction.set_rollback(True)
    if errors:
        raise ImportRejected(
            _("Không lưu kế hoạch nào: %(n)s dòng có lỗi.") % {"n": len({e.row for e in errors})},
            extra={"errors": errors_with_columns(errors, COLUMNS)},
        )
    return count
