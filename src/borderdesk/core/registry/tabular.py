"""CSV/XLSX import and export for registries, driven by the registry's ModelForm.

- Export writes one row per object, for a civil servant: Vietnamese column headers (the fields' labels,
  whatever the interface language), choices by their Vietnamese label ("Song phương", not `bilateral`),
  yes/no as "Có"/"Không", foreign keys by id plus a read-only "(tên)" column with the name, many-to-many
  as ids joined by ";". In XLSX numbers are numeric cells and dates are date cells, shown the Vietnamese
  way (1.700; 6,73; 05/01/2026); in CSV numbers use the decimal comma and dates dd/mm/yyyy.
- Import accepts exactly what the export writes (and the technical field names as headers, and choice
  codes): importing an export changes nothing, for every role. Every row is validated with the same
  ModelForm as the web page (so the same scope limits and rules apply) and saved through the registry's
  service. A row with an id updates that object, a row without one creates. All-or-nothing: any error
  rolls back every row; errors come back per row and column, quoting the bad value and the allowed ones.
- Files over settings.BORDERDESK_MAX_UPLOAD_BYTES are rejected by their declared size before a
  byte is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import archives, exports
from ..errors import ApplicationError
from ..vn import format_date, format_datetime
from .cells import _allowed, _choices, _form_data
from .forms import keep_unsent

LABEL_SUFFIX = "__ten"
MAX_ROWS = 50_000
XLSX_DATE = "dd/mm/yyyy"
XLSX_DATETIME = "dd/mm/yyyy hh:mm"


@dataclass
class RowError:
    row: int  # 1-based data row number as the user sees it (header is row 1, so data starts at 2)
    field: str  # the form field's name ("" for the whole row)
    message: str
    column: str = ""  # the column header as the file has it (Vietnamese label)

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "column": self.column or self.field, "message": self.message}


def errors_with_columns(errors: list[RowError], columns) -> list[dict]:
    """Row errors as the API and the pages give them, each naming the file's column by its header (``columns``:
    (field, header) pairs, the file's): an office reads "Vai trò", not the program's field "role"."""
    headers = dict(columns)
    return [{**e.as_dict(), "column": e.column or headers.get(e.field, "")} for e in errors]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
        }


class ImportRejected(ApplicationError):
    """The whole file was refused (too big, unreadable, wrong columns)."""

    code = "import_rejected"


# ---------------------------------------------------------------- reading files


def check_size(size: int | None) -> None:
    limit = archives.upload_limit()
    if size is not None and size > limit:
        raise ImportRejected(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB. Không có dữ liệu nào được lưu.")
            % {"size": archives.megabytes(size), "limit": archives.megabytes(limit)}
        )


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return format_date(value)
        return format_datetime(value, seconds=bool(value.second))
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    if isinstance(value, decimal.Decimal):
        return _vn_decimal_text(value)
    return str(value).strip()


def _vn_decimal_text(value: decimal.Decimal) -> str:
    """12.3450 -> "12,345"; 1700 -> "1700" (decimal comma, no thousands grouping: unambiguous on re-import)."""
    text = format(value.normalize() if value == value.to_integral_value() else value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def read_table(uploaded, *, filename: str | None = None) -> list[dict[str, str] | None]:
    """Rows of a CSV or XLSX upload as dicts of stripped strings (header row -> keys)."""
    check_size(getattr(uploaded, "size", None))
    name = (filename or getattr(uploaded, "name", "") or "").lower()
    try:
        if name.endswith(".xlsx"):
            rows = _read_xlsx(uploaded)
        elif name.endswith(".csv") or name.endswith(".txt"):
            rows = _read_csv(uploaded)
        else:
            raise ImportRejected(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    except ImportRejected:
        raise
    except Exception as exc:  # a malformed file must never become a 500
        raise ImportRejected(_("Không đọc được tệp: %(e)s") % {"e": exc.__class__.__name__}) from None
    if not rows:
        raise ImportRejected(_("Tệp không có dòng tiêu đề."))
    header = [h.strip() for h in rows[0]]
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRejected(_("Tệp có quá nhiều dòng (tối đa %(n)s).") % {"n": MAX_ROWS})
    out: list[dict[str, str] | None] = []
    for raw in rows[1:]:
        if not any((c or "").strip() for c in raw):
            out.append(None)  # keep row numbering, skip blank rows later
            continue
        out.append(
            {h: (raw[i].strip() if i < len(raw) and raw[i] is not None else "") for i, h in enumerate(header) if h}
        )
    return out


def _read_csv(uploaded) -> list[list[str]]:
    data = uploaded.read()
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRejected(_("Tệp CSV phải mã hóa UTF-8.")) from None
    else:
        text = data
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [[exports.csv_restore(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(uploaded) -> list[list[str]]:
    from openpyxl import load_workbook

    from ..archives import ArchiveRejected, check_office_archive

    try:
        check_office_archive(uploaded, max_rows=MAX_ROWS + 1)
    except ArchiveRejected as exc:
        raise ImportRejected(exc.message) from None
    wb = load_workbook(uploaded, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        return [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


# ---------------------------------------------------------------- exporting


def _vi(text) -> str:
    """``text`` (a lazy string, a label or a model instance) in Vietnamese: ``_()`` would translate too early."""
    with translation.override("vi"):
        return str(text)


def columns(form_class) -> list[tuple[str, str]]:
    """(header, key) of the export: key is "id", a field name, or a field name + LABEL_SUFFIX."""
    out = [(_vi(gettext_lazy("Mã hệ thống")), "id")]
    for name, f in form_class.base_fields.items():
        label = _vi(f.label) if f.label else name
        label = label[:1].upper() + label[1:]
        out.append((label, name))
        if isinstance(f, forms.ModelChoiceField) and not isinstance(f, forms.ModelMultipleChoiceField):
            out.append((_vi(gettext_lazy("%(label)s (tên)")) % {"label": label}, name + LABEL_SUFFIX))
    seen: dict[str, int] = {}
    for header, _key in out:
        seen[header.lower()] = seen.get(header.lower(), 0) + 1
    return [(f"{h} [{k}]" if seen[h.lower()] > 1 else h, k) for h, k in out]


def export_columns(form_class) -> list[str]:
    return [h for h, _k in columns(form_class)]


def _export_value(form_field, value):
    """The cell value: numbers, dates and datetimes typed (the writers format them), everything else text."""
    if value is None:
        return ""
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return ";".join(str(pk) for pk in sorted(value))
    if isinstance(form_field, forms.ModelChoiceField):
        return Id(value) if isinstance(value, int) else value
    if isinstance(form_field, forms.BooleanField):
        return _vi(gettext_lazy("Có")) if value else _vi(gettext_lazy("Không"))
    choices = dict(_choices(form_field))
    if choices:
        return choices.get(str(value), str(value))
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None, microsecond=0)
    if isinstance(value, bool):
        return _vi(gettext_lazy("Có")) if value else _vi(gettext_lazy("Không"))
    if isinstance(value, dt.date | int | decimal.Decimal):
        return value
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    return str(value)


def export_rows(objects: Iterable[models.Model], form_class) -> Iterable[list]:
    """Header then one row per object. Prefetch many-to-many fields on the queryset beforehand."""
    fields = form_class.base_fields
    yield export_columns(form_class)
    for obj in objects:
        row: list = [Id(obj.pk)]
        for name, f in fields.items():
            model_field = obj._meta.get_field(name)
            if isinstance(f, forms.ModelMultipleChoiceField):
                row.append(_export_value(f, [o.pk for o in getattr(obj, name).all()]))
            elif isinstance(f, forms.ModelChoiceField):
                row.append(_export_value(f, getattr(obj, model_field.attname)))  # type: ignore[union-attr]
                target = getattr(obj, name)
                row.append(_vi(target) if target is not None else "")
            else:
                row.append(_export_value(f, getattr(obj, name)))
        yield row


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return format_datetime(value, seconds=bool(value.second))
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, decimal.Decimal):
        return _vn_decimal_text(value)
    return str(value)


def write_csv(rows: Iterable[list]) -> bytes:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 Vietnamese text correctly with a BOM
    w = exports.safe_csv_writer(buf, lineterminator="\r\n")
    for row in rows:
        w.writerow([_csv_text(v) for v in row])
    return buf.getvalue().encode("utf-8")


def _number_format(value: decimal.Decimal | int) -> str:
    if isinstance(value, int) or value == value.to_integral_value():
        return "#,##0"
    places = max(1, -int(value.normalize().as_tuple().exponent))
    return "#,##0." + "0" * min(places, 10)


def write_xlsx(rows: Iterable[list], *, title: str = "Data") -> bytes:
    """Header in bold, frozen; numbers as numeric cells and dates as date cells in the Vietnamese display
    format (a Vietnamese Excel shows 1.700 and 6,73); text as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Data")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    for i, row in enumerate(rows):
        if i == 0:
            for col, header in enumerate(row, start=1):
                from openpyxl.utils import get_column_letter

                ws.column_dimensions[get_column_letter(col)].width = min(max(len(str(header)) + 2, 10), 40)
        cells = []
        for value in row:
            if i == 0:
                cell = WriteOnlyCell(ws, value=value)
                cell.font = bold
            elif isinstance(value, bool) or value is None or value == "":
                cell = WriteOnlyCell(ws, value=None if value in (None, "") else str(value))
            elif isinstance(value, dt.datetime):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = XLSX_DATETIME
            elif isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = XLSX_DATE
            elif isinstance(value, Id):
                cell = WriteOnlyCell(ws, value=int(value))
                cell.number_format = "0"
            elif isinstance(value, int | decimal.Decimal):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = _number_format(value)
            else:
                cell = WriteOnlyCell(ws, value=exports.xlsx_value(str(value)))  # no control characters
                cell.data_type = "s"  # "=..." typed in a registry is text, never a formula
                cell.number_format = "@"  # text stays text (an id list "3;5" is not a number)
            cells.append(cell)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- importing


class Id(int):
    """An id cell: numeric, shown without thousands grouping."""


def _norm(header: str) -> str:
    return " ".join((header or "").replace("*", " ").split()).casefold()


def header_keys(form_class) -> dict[str, str]:
    """Normalised header -> key ("id", field name, field + LABEL_SUFFIX): the export's Vietnamese headers,
    and the technical names (files made before the headers were Vietnamese, or by a program)."""
    cols = columns(form_class)
    out = {_norm(h): k for h, k in cols}
    # Files exported in the English interface before the export was Vietnamese in every language.
    with translation.override("en"):
        out.setdefault(_norm(_("Mã hệ thống")), "id")
        labels = dict((k, h) for h, k in cols)
        for key in labels:
            if key.endswith(LABEL_SUFFIX) and key[: -len(LABEL_SUFFIX)] in labels:
                out.setdefault(_norm(_("%(label)s (tên)") % {"label": labels[key[: -len(LABEL_SUFFIX)]]}), key)
    for name in form_class.base_fields:
        out.setdefault(_norm(name), name)
        out.setdefault(_norm(name + LABEL_SUFFIX), name + LABEL_SUFFIX)
    out.setdefault("id", "id")
    return out


def technical_header(header: list[str], form_class) -> list[str]:
    """The field names behind an export's Vietnamese headers (for programs; the import reads either)."""
    keys = header_keys(form_class)
    return [keys[_norm(h)] for h in header]


def _model_choice_error(form, name: str, value) -> str | None:
    """A clearer message for a foreign key the user may not pick: the value and some allowed ones."""
    f = form.fields.get(name)
    if not isinstance(f, forms.ModelChoiceField):
        return None
    options = [(str(o.pk), f"{o.pk} — {o}") for o in (f.queryset or [])[:11]]
    values = value if isinstance(value, list) else [value]
    shown = ";".join(str(v) for v in values)
    return _("“%(v)s” không có trong danh sách bạn được chọn; ví dụ: %(allowed)s.") % {
        "v": shown,
        "allowed": _allowed(options, limit=10),
    }


def _messages(exc) -> dict[str, list[str]]:
    if isinstance(exc, ApplicationError):
        if exc.field_errors:
            return {
                k: [str(m) for m in (v if isinstance(v, list | tuple) else [v])] for k, v in exc.field_errors.items()
            }
        return {"": [str(exc.message)]}
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        return {"": list(exc.messages)}
    return {"": [str(exc)]}


def form_initial(form_class, instance, **kwargs):
    from .forms import form_initial as initial

    return initial(form_class, instance, **kwargs)


def import_rows(
    *,
    rows: list[dict | None],
    form_class,
    queryset,
    user,
    save: Callable,
    form_kwargs: dict | None = None,
    bulk: bool = False,
    after_bulk: Callable | None = None,
    bulk_rules: Callable | None = None,
    progress: Callable | None = None,
) -> ImportResult:
    """Validate and save every row in one transaction; roll everything back on any error.

    `queryset` is the user's changeable objects (rows with an id must be found in it);
    `save(user=, form=, instance=)` is the registry's service and returns (object, changed: bool).
    With `bulk` (a registry whose `save` is `save_form` plus rules it also gives for a whole file: `bulk_rules`
    before the write, `after_bulk` after it), the rows are validated once and written in bulk
    (core.registry.bulk_import); `progress(done, total, step)` is told how far it got (a background job's).
    """
    result = ImportResult()
    keys = header_keys(form_class)
    header = list(next((r.keys() for r in rows if r), []))
    unknown = [h for h in header if _norm(h) not in keys]
    if unknown:
        raise ImportRejected(
            _("Cột không nhận ra: %(c)s. Hãy dùng tệp xuất từ trang này làm mẫu; các cột nhận được: %(allowed)s.")
            % {"c": ", ".join(unknown), "allowed": ", ".join(export_columns(form_class))}
        )
    mapped = [keys[_norm(h)] for h in header]
    dupes = sorted({k for k in mapped if mapped.count(k) > 1})
    if dupes:
        raise ImportRejected(_("Cột bị lặp: %(c)s.") % {"c": ", ".join(h for h in header if keys[_norm(h)] in dupes)})
    column_of = {k: h for h, k in zip(header, mapped, strict=True)}
    rows = [None if r is None else {keys[_norm(h)]: v for h, v in r.items()} for r in rows]
    if bulk:
        from .bulk_import import import_bulk

        import_bulk(
            rows=rows,
            column_of=column_of,
            form_class=form_class,
            queryset=queryset,
            user=user,
            form_kwargs=form_kwargs,
            after_bulk=after_bulk,
            bulk_rules=bulk_rules,
            progress=progress,
            result=result,
            errors_cls=RowError,
            form_data=_form_data,
            model_choice_error=_model_choice_error,
        )
        if result.errors:  # nothing was written (the write is one transaction, reached only without errors)
            result.created = result.updated = result.unchanged = 0
        return result
    seen_ids: set[str] = set()
    with transaction.atomic():
        for offset, row in enumerate(rows):
            line = offset + 2
            if row is None:
                continue
            instance = None
            rid = (row.get("id") or "").strip()
            if rid:
                if rid in seen_ids:
                    result.errors.append(
                        RowError(line, "id", _("Mã %(id)s xuất hiện hai lần trong tệp.") % {"id": rid})
                    )
                    continue
                seen_ids.add(rid)
                try:
                    instance = queryset.get(pk=int(rid))
                except (ValueError, queryset.model.DoesNotExist):
                    result.errors.append(
                        RowError(
                            line, "id", _("Không tìm thấy đối tượng mã %(id)s trong phạm vi của bạn.") % {"id": rid}
                        )
                    )
                    continue
            data, bad = _form_data(row, form_class)
            if bad:
                for fname, msg in bad.items():
                    result.errors.append(RowError(line, fname, msg, column_of.get(fname, fname)))
                continue
            # Columns left out of the file keep their current values (a new row: the defaults).
            keep_unsent(data, row, form_class.base_fields, form_initial(form_class, instance, **(form_kwargs or {})))
            form = form_class(data=data, instance=instance, **(form_kwargs or {}))
            if not form.is_valid():
                for fname, errs in form.errors.as_data().items():
                    for err in errs:
                        msg = str(err.messages[0]) if err.messages else ""
                        if err.code in ("invalid_choice", "invalid_pk_value") and fname in row:
                            msg = _model_choice_error(form, fname, data.get(fname)) or msg
                        result.errors.append(
                            RowError(line, "" if fname == "__all__" else fname, msg, column_of.get(fname, ""))
                        )
                continue
            try:
                with transaction.atomic():
                    obj, changed = save(user=user, form=form, instance=instance)
            except (ApplicationError, ValidationError, IntegrityError) as exc:
                for fname, msgs in _messages(exc).items():
                    for msg in msgs:
                        result.errors.append(
                            RowError(line, "" if fname == "__all__" else fname, msg, column_of.get(fname, ""))
                        )
                continue
            if instance is None:
                result.created += 1
            elif changed:
                result.updated += 1
            else:
                result.unchanged += 1
        if result.errors:
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
    return result
