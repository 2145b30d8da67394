"""Plan targets API (/api/reporting/targets): the same services as the page."""

import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from borderdesk.core.errors import ApplicationError
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.org.models import AdministrativeUnit

from . import targets
from .models import Indicator, Target

router = Router(tags=["reporting"])


class TargetOut(Schema):
    id: int
    unit_id: int
    unit: str
    indicator: str
    period: str
    value: Decimal
    note: str
    version: int

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.code

    @staticmethod
    def resolve_period(obj):
        return obj.period_key


class TargetIn(Schema):
    unit: int
    indicator: str
    period: str  # "2026" or "2026H1"
    value: Decimal | str
    note: str = ""


class TargetImportOut(Schema):
    saved: int


@router.get("", response=list[TargetOut])
def list_targets(request, unit: int, year: int):
    """Year and half-year targets of a unit's subtree."""
    u = get_for_user_or_404(AdministrativeUnit, request.user, pk=unit)
    return list(targets.targets_for(user=request.user, unit=u, year=year))


@router.post("", response=TargetOut)
def set_target(request, payload: TargetIn):
    """Enter or change the plan of an indicator for a unit and a year (or half-year)."""
    u = get_for_user_or_404(AdministrativeUnit, request.user, Action.MANAGE, pk=payload.unit)
    ind = Indicator.objects.filter(code=payload.indicator).first()
    if ind is None:
        raise ApplicationError(
            _("Không có chỉ tiêu mã “%(v)s”.") % {"v": payload.indicator},
            field_errors={"indicator": [_("Không tồn tại.")]},
        )
    t = targets.target_set(
        user=request.user, indicator=ind, unit=u, period_key=payload.period, value=payload.value, note=payload.note
    )
    return Target.objects.select_related("unit", "indicator").get(pk=t.pk)


@router.delete("/{int:target_id}", response={204: None})
def delete_target(request, target_id: int):
    t = get_for_user_or_404(Target, request.user, Action.MANAGE, pk=target_id)
    targets.target_delete(user=request.user, target=t)
    return Status(204, None)


class JobRef(Schema):
    job_id: str
    url: str


@router.post("/import", response={200: TargetImportOut, 202: JobRef})
def import_targets(request, file: File[UploadedFile], background: bool = False):
    """Targets from the spreadsheet (.xlsx or .csv, the template's columns); all or nothing, errors per row.
    With `background=true`: 202 with the job; follow `GET /api/jobs/{id}` (progress in rows, errors per row)."""
    if background:
        from .jobs import submit_targets_import

        job = submit_targets_import(user=request.user, uploaded=file)
        return Status(202, {"job_id": str(job.pk), "url": f"/api/jobs/{job.pk}"})
    return {"saved": targets.import_targets(user=request.user, uploaded=file, filename=file.name)}


@router.get("/template")
def target_template(request, unit: int, year: int | None = None, format: str = "xlsx"):
    """The spreadsheet of a unit's targets for a year (the import reads it back unchanged)."""
    u = get_for_user_or_404(AdministrativeUnit, request.user, pk=unit)
    rows = targets.template_rows(user=request.user, unit=u, year=year or dt.date.today().year)
    if format == "csv":
        return HttpResponse(targets.template_csv(rows), content_type="text/csv; charset=utf-8")
    return HttpResponse(
        targets.template_xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
