"""REST endpoints for border gates: the same registries, services and selectors as the pages.

The gate's own systems push daily statistics with `PUT /api/gates/gates/{code}/stats/{date}`
(token auth: `Authorization: Bearer bd_...`) and upload raw crossing logs to `/api/gates/crossing-logs`.
"""

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Router, Schema, Status

from borderdesk.core.errors import ApplicationError
from borderdesk.core.registry.api import add_registry_routes
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.core.texts import Text
from borderdesk.jobs import services as job_services

from . import services
from .choices import StatChannel
from .jobs import CROSSING_LOG
from .models import STAT_VALUE_FIELDS, BorderGate, GateDailyStat
from .registries import daily_stats, gates, status_periods

router = Router(tags=["gates"])

# Lists, details, creates and updates of the three registries come from the shared declarations
# (core.registry.api): the same filters as the pages, the same forms and services as the pages and
# the CSV/XLSX import. Statistics created or changed through the API are marked channel "api".


class GateOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_display: str
    mode: str
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    managing_station_id: int | None
    parent_id: int | None
    counterpart_name: str
    counterpart_country: str
    official_status: str
    latitude: Decimal | None
    longitude: Decimal | None
    coords_are_demo: bool
    status_note: str
    source: str
    is_demo: bool
    version: int

    @staticmethod
    def resolve_kind_display(obj):
        return str(obj.get_kind_display())


class StatusPeriodOut(Schema):
    id: int
    gate_id: int
    status: str
    valid_from: dt.date
    valid_to: dt.date | None
    reason: str
    source: str
    version: int


class StatOut(Schema):
    id: int
    gate_id: int
    gate_code: str = Field(..., alias="gate.code")
    date: dt.date
    persons_exit: int
    persons_entry: int
    vehicles_exit: int
    vehicles_entry: int
    cargo_vehicles_export: int
    cargo_vehicles_import: int
    rail_cars: int
    tonnes: Decimal
    vehicles_waiting: int
    export_usd: Decimal
    import_usd: Decimal
    channel: str
    note: str
    is_demo: bool
    version: int


class StatIn(Schema):
    persons_exit: int | None = None
    persons_entry: int | None = None
    vehicles_exit: int | None = None
    vehicles_entry: int | None = None
    cargo_vehicles_export: int | None = None
    cargo_vehicles_import: int | None = None
    rail_cars: int | None = None
    tonnes: Decimal | None = None
    vehicles_waiting: int | None = None
    export_usd: Decimal | None = None
    import_usd: Decimal | None = None
    note: str | None = None
    expected_version: int | None = None


def _gate_by_code_or_id(request, gate: str, action=Action.CHANGE) -> BorderGate:
    qs = BorderGate.objects.all()
    lookup = {"pk": int(gate)} if gate.isdigit() else {"code": gate}
    return get_for_user_or_404(qs, request.user, action, **lookup)


@router.put("/gates/{gate}/stats/{day}", response={200: StatOut, 201: StatOut})
def put_stat(request, gate: str, day: dt.date, payload: StatIn):
    """Create or update one gate-day (for the gate's own systems). Fields left out keep their values."""
    g = _gate_by_code_or_id(request, gate)
    data = payload.dict(exclude_unset=True)
    expected = data.pop("expected_version", None)
    note = data.pop("note", None)
    stat, created = services.daily_stat_upsert(
        user=request.user,
        gate=g,
        date=day,
        values=data,
        channel=StatChannel.API,
        expected_version=expected,
        note=note,
        version_required=True,
    )
    return Status(
        201 if created else 200,
        get_for_user_or_404(GateDailyStat.objects.select_related("gate"), request.user, pk=stat.pk),
    )


class BulkStatIn(StatIn):
    gate: str
    date: dt.date


class BulkResult(Schema):
    created: int
    updated: int


@router.post("/stats/bulk", response=BulkResult)
def bulk_stats(request, payload: list[BulkStatIn]):
    """Upsert many gate-days at once, all or nothing; errors name the item index and field."""
    from django.db import transaction

    if len(payload) > 5000:
        raise ApplicationError(_("Tối đa 5.000 dòng mỗi lần gửi."))
    gates = {}
    errors = {}
    rows = {}
    for i, item in enumerate(payload):
        key = item.gate
        if key not in gates:
            try:
                gates[key] = _gate_by_code_or_id(request, key)
            except ApplicationError:
                gates[key] = None
        if gates[key] is None:
            errors[f"{i}.gate"] = [_("Không có cửa khẩu “%s” trong phạm vi của bạn.") % key]
            continue
        if (gates[key].pk, item.date) in rows:
            errors[f"{i}.date"] = [_("Trùng cửa khẩu và ngày với một dòng trước.")]
            continue
        values = item.dict(exclude_unset=True, exclude={"gate", "date", "note", "expected_version"})
        try:
            rows[(gates[key].pk, item.date)] = services._clean_values(values)
        except ApplicationError as exc:
            for f, msgs in exc.field_errors.items():
                errors[f"{i}.{f}"] = msgs
    if errors:
        raise ApplicationError(_("Có %d lỗi; không dòng nào được lưu.") % len(errors), field_errors=errors)
    with transaction.atomic():
        # Only the fields each item sends change (a new gate-day starts from the model's defaults).
        fields = tuple(f for f in STAT_VALUE_FIELDS if any(f in v for v in rows.values()))
        created, updated = services.stats_bulk_upsert(
            user=request.user, rows=rows, channel=StatChannel.API, fields=fields, reason="API"
        )
    return {"created": created, "updated": updated}


class LogImportOut(Schema):
    id: int
    file_name: str
    status: str
    rows: int
    rejected_rows: int
    gate_days: int
    date_from: dt.date | None
    date_to: dt.date | None
    seconds: Decimal
    errors: list[dict]


class LogJobOut(Schema):
    job_id: uuid.UUID
    status: str
    url: str


class CrossingLogErrorOut(Schema):
    """The whole request was refused before any row was read (empty body, too large, wrong encoding)."""

    error: str
    message: str
    request_id: str = ""
    fields: dict[str, list[str]] | None = None


@router.post("/crossing-logs", response={201: LogImportOut, 202: LogJobOut, 400: LogImportOut | CrossingLogErrorOut})
def upload_crossing_log(request, file_name: str = "log.csv", background: bool = False):
    """Upload a raw crossing log: the request body is the CSV file itself (Content-Type: text/csv).

    The declared Content-Length is checked against the limit before a byte is read, and the body is
    streamed in chunks. 201 when aggregated, 400 with per-row errors when rejected (nothing saved).
    With `background=true` the log is imported by a background job: 202 with the job's id and the
    address to poll (`GET /api/jobs/{id}`: progress, then the result or the per-row errors).
    """
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    if size <= 0:
        raise ApplicationError(_("Thân yêu cầu rỗng: gửi nội dung tệp CSV (Content-Type: text/csv)."))
    if background:
        if size > services.max_log_bytes():
            services.crossing_log_import(user=request.user, stream=None, file_name="", size=size)  # refuses
        if not services.gate_lookup_for(request.user):
            raise ApplicationError(_("Bạn không có quyền nhập số liệu cho cửa khẩu nào."), code="forbidden")
        path = job_services.store_stream(request, limit=services.max_log_bytes())
        job = job_services.submit(
            user=request.user,
            kind_code=CROSSING_LOG,
            params={"file_name": file_name[:255]},
            title=Text(gettext_noop("Nhập nhật ký qua lại: %(file)s"), {"file": file_name[:200]}),
            input_path=path,
        )
        return Status(202, {"job_id": job.pk, "status": job.status, "url": f"/api/jobs/{job.pk}"})
    record = services.crossing_log_import(user=request.user, stream=request, file_name=file_name, size=size)
    return Status(201 if record.status == "done" else 400, record)


add_registry_routes(router, gates, path="gates", out_schema=GateOut)
add_registry_routes(router, status_periods, path="status-periods", out_schema=StatusPeriodOut)
add_registry_routes(
    router, dataclasses.replace(daily_stats, save=services.daily_stat_api_save), path="stats", out_schema=StatOut
)
