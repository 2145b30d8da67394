"""CSV/XLSX import and export for registries, driven by the registry's ModelForm.

- Export writes one row per object: `id`, then each form field as the form would accept it back
  (foreign keys by id, many-to-many as ids joined by ";", dates ISO, decimals with "."), plus
  read-only `<field>__ten` label columns for people. Importing an export changes nothing.
- Import reads every row, validates it with the same ModelForm as the web page (so the same scope
  limits and rules apply) and saves it through the registry's service. A row with an `id` updates
  that object, a row without one creates. All-or-nothing: any error rolls back every row, and the
  errors come back per row and field.
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
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from . import exports
from .errors import ApplicationError

LABEL_SUFFIX = "__ten"
MAX_ROWS = 50_000
TRUE_WORDS = {"1", "true", "yes", "x", "có", "co", "đúng", "on"}


@dataclass
class RowError:
    row: int          # 1-based data row number as the user sees it (header is row 1, so data starts at 2)
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


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
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "errors": [e.as_dict() for e in self.errors]}


class ImportRejected(ApplicationError):
    """The whole file was refused (too big, unreadable, wrong columns)."""

    code = "import_rejected"


# ---------------------------------------------------------------- reading files

def max_upload_bytes() -> int:
    return int(getattr(settings, "BORDERDESK_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def check_size(size: int | None) -> None:
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise ImportRejected(_("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB. Không có dữ liệu nào được lưu.")
                             % {"size": f"{size / 1048576:,.0f}".replace(",", "."),
                                "limit": f"{limit / 1048576:,.0f}".replace(",", ".")})


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def read_table(uploaded, *, filename: str | None = None) -> list[dict[str, str]]:
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
    out = []
    for raw in rows[1:]:
        if not any((c or "").strip() for c in raw):
            out.append(None)  # keep row numbering, skip blank rows later
            continue
        out.append({h: (raw[i].strip() if i < len(raw) and raw[i] is not None else "") for i, h in enumerate(header) if h})
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

    from .archives import ArchiveRejected, check_office_archive

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

def _export_value(form_field, model_field, value) -> str:
    if value is None:
        return ""
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return ";".join(str(pk) for pk in sorted(value))
    if isinstance(form_field, forms.ModelChoiceField):
        return str(value)
    if isinstance(form_field, forms.BooleanField):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if timezone.is_aware(value) else \
            value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


def export_columns(form_class) -> list[str]:
    cols = ["id"]
    for name, f in form_class.base_fields.items():
        cols.append(name)
        if isinstance(f, forms.ModelChoiceField) and not isinstance(f, forms.ModelMultipleChoiceField):
            cols.append(name + LABEL_SUFFIX)
    return cols


def export_rows(objects: Iterable[models.Model], form_class) -> Iterable[list[str]]:
    """Header then one row per object. Prefetch many-to-many fields on the queryset beforehand."""
    fields = form_class.base_fields
    yield export_columns(form_class)
    for obj in objects:
        row = [str(obj.pk)]
        for name, f in fields.items():
            model_field = obj._meta.get_field(name)
            if isinstance(f, forms.ModelMultipleChoiceField):
                value = [o.pk for o in getattr(obj, name).all()]
                row.append(_export_value(f, model_field, value))
            elif isinstance(f, forms.ModelChoiceField):
                row.append(_export_value(f, model_field, getattr(obj, model_field.attname)))
                target = getattr(obj, name)
                row.append(str(target) if target is not None else "")
            else:
                row.append(_export_value(f, model_field, getattr(obj, name)))
        yield row


def write_csv(rows: Iterable[list[str]]) -> bytes:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 Vietnamese text correctly with a BOM
    w = exports.safe_csv_writer(buf, lineterminator="\r\n")
    for row in rows:
        w.writerow(row)
    return buf.getvalue().encode("utf-8")


def write_xlsx(rows: Iterable[list[str]], *, title: str = "Data") -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Data")
    for row in rows:
        ws.append(exports.xlsx_row(ws, row))  # as text: re-import reads exactly what was written
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- importing

def _form_data(row: dict[str, str], form_class) -> dict:
    """Turn a row of strings into form data (decimal commas, booleans, id lists)."""
    data: dict = {}
    for name, f in form_class.base_fields.items():
        if name not in row:
            continue
        value = row[name]
        if isinstance(f, forms.ModelMultipleChoiceField):
            data[name] = [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]
        elif isinstance(f, forms.BooleanField):
            if value.strip().lower() in TRUE_WORDS:
                data[name] = "on"
        elif isinstance(f, forms.DecimalField | forms.FloatField) and "," in value:
            # Vietnamese style: "1.234,567" -> 1234.567
            data[name] = value.replace(".", "").replace(",", ".")
        else:
            data[name] = value
    return data


def _messages(exc) -> dict[str, list[str]]:
    if isinstance(exc, ApplicationError):
        if exc.field_errors:
            return {k: [str(m) for m in (v if isinstance(v, list | tuple) else [v])] for k, v in exc.field_errors.items()}
        return {"": [str(exc.message)]}
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        return {"": list(exc.messages)}
    return {"": [str(exc)]}


def form_initial(form_class, instance, **kwargs):
    from .registry_views import form_initial as initial

    return initial(form_class, instance, **kwargs)


def import_rows(*, rows: list[dict | None], form_class, queryset, user,
                save: Callable, form_kwargs: dict | None = None) -> ImportResult:
    """Validate and save every row in one transaction; roll everything back on any error.

    `queryset` is the user's changeable objects (rows with an id must be found in it);
    `save(user=, form=, instance=)` is the registry's service and returns (object, changed: bool).
    """
    result = ImportResult()
    known = set(form_class.base_fields) | {"id"} | {n + LABEL_SUFFIX for n in form_class.base_fields}
    header = next((r.keys() for r in rows if r), [])
    unknown = [h for h in header if h not in known]
    if unknown:
        raise ImportRejected(_("Cột không nhận ra: %(c)s. Hãy dùng tệp xuất từ trang này làm mẫu.")
                             % {"c": ", ".join(unknown)})
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
                    result.errors.append(RowError(line, "id", _("Mã %(id)s xuất hiện hai lần trong tệp.") % {"id": rid}))
                    continue
                seen_ids.add(rid)
                try:
                    instance = queryset.get(pk=int(rid))
                except (ValueError, queryset.model.DoesNotExist):
                    result.errors.append(RowError(line, "id", _("Không tìm thấy đối tượng mã %(id)s trong phạm vi "
                                                                "của bạn.") % {"id": rid}))
                    continue
            data = _form_data(row, form_class)
            # Columns left out of the file keep their current values (a new row: the defaults).
            initial = form_initial(form_class, instance, **(form_kwargs or {}))
            for name, f in form_class.base_fields.items():
                if name not in row:
                    v = initial.get(name)
                    if isinstance(f, forms.ModelMultipleChoiceField):
                        data[name] = [o.pk if hasattr(o, "pk") else o for o in (v or [])]
                    elif isinstance(f, forms.BooleanField):
                        if v:
                            data[name] = "on"
                    elif v is not None:
                        data[name] = v
            form = form_class(data=data, instance=instance, **(form_kwargs or {}))
            if not form.is_valid():
                for fname, errs in form.errors.items():
                    for msg in errs:
                        result.errors.append(RowError(line, "" if fname == "__all__" else fname, str(msg)))
                continue
            try:
                with transaction.atomic():
                    obj, changed = save(user=user, form=form, instance=instance)
            except (ApplicationError, ValidationError, IntegrityError) as exc:
                for fname, msgs in _messages(exc).items():
                    for msg in msgs:
                        result.errors.append(RowError(line, "" if fname == "__all__" else fname, msg))
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
