"""All-or-nothing CSV import of agencies (the standing office's bulk edit).

Columns: id (blank = new), name, kind (agency-kind code), unit_code, unit_name (optional, to pick
between rows sharing a code), parent_name, valid_from, valid_to (YYYY-MM-DD or dd/mm/yyyy), source.
Every row is checked first; one bad row saves nothing and the error names the row and column.
"""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from borderdesk.core.errors import ApplicationError
from borderdesk.core.views import parse_date_param

from . import services
from .models import AdministrativeUnit, Agency, AgencyKind

REQUIRED = ("name", "kind", "unit_code")


def _read(data: bytes | str) -> list[dict]:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ApplicationError(_("Tệp không phải văn bản UTF-8. Hãy lưu lại dưới dạng CSV UTF-8.")) from None
    reader = csv.DictReader(io.StringIO(data))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ApplicationError(_("Thiếu cột: %s") % ", ".join(missing))
    return list(reader)


@transaction.atomic
def import_agencies(*, user, data: bytes | str) -> dict:
    rows = _read(data)
    kinds = {k.code: k for k in AgencyKind.objects.all()}
    errors: list[str] = []
    plans = []
    for n, row in enumerate(rows, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        for col in REQUIRED:
            if not row.get(col):
                errors.append(_("Dòng %(n)s, cột %(c)s: không được để trống.") % {"n": n, "c": col})
        kind = kinds.get(row.get("kind", ""))
        if row.get("kind") and kind is None:
            errors.append(_("Dòng %(n)s, cột kind: loại cơ quan “%(k)s” không tồn tại.") % {"n": n, "k": row["kind"]})
        units = AdministrativeUnit.objects.filter(code=row.get("unit_code", ""))
        if row.get("unit_name"):
            units = units.filter(name=row["unit_name"])
        units = list(units[:2])
        if row.get("unit_code") and not units:
            errors.append(
                _("Dòng %(n)s, cột unit_code: không có đơn vị hành chính mã “%(c)s”.") % {"n": n, "c": row["unit_code"]}
            )
        elif len(units) > 1:
            errors.append(
                _("Dòng %(n)s: có nhiều đơn vị cùng mã “%(c)s”; ghi thêm cột unit_name.")
                % {"n": n, "c": row["unit_code"]}
            )
        dates = {}
        for col in ("valid_from", "valid_to"):
            if row.get(col):
                dates[col] = parse_date_param(row[col])
                if dates[col] is None:
                    errors.append(
                        _("Dòng %(n)s, cột %(c)s: ngày “%(v)s” không hợp lệ (dd/mm/yyyy).")
                        % {"n": n, "c": col, "v": row[col]}
                    )
        plans.append((n, row, kind, units[0] if len(units) == 1 else None, dates))
    if errors:
        raise ApplicationError(
            _("Không nhập được tệp (chưa lưu dòng nào): %s") % " ".join(errors), extra={"row_errors": errors}
        )
    created = updated = 0
    for n, row, kind, unit, dates in plans:
        fields = {"kind": kind, "unit": unit, "source": row.get("source", ""), **dates}
        try:
            if row.get("id"):
                agency = Agency.objects.for_user(user, "manage").filter(pk=row["id"]).first()
                if agency is None:
                    raise ApplicationError(_("không có cơ quan id %s trong phạm vi của bạn") % row["id"])
                if agency.name != row["name"]:
                    services.agency_rename(
                        user=user,
                        agency=agency,
                        new_name=row["name"],
                        effective_date=dates.get("valid_from") or agency.valid_from,
                    )
                services.agency_update(user=user, agency=agency, **fields)
                updated += 1
            else:
                services.agency_create(user=user, name=row["name"], **fields)
                created += 1
        except ApplicationError as exc:
            raise ApplicationError(
                _("Dòng %(n)s: %(m)s. Chưa lưu dòng nào.") % {"n": n, "m": exc.message},
                extra={"row_errors": [str(exc.message)]},
            ) from None
    return {"created": created, "updated": updated}
