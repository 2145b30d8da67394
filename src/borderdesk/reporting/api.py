"""REST API of the reporting engine (dataValueSets-style bulk values, workflow, consolidation)."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from borderdesk.core import uploads
from borderdesk.core.errors import ApplicationError
from borderdesk.core.exports import csv_restore, safe_dict_writer
from borderdesk.core.listing import ListPagination
from borderdesk.core.periods import parse_period
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.org.models import AdministrativeUnit, Agency

from . import api_rows, selectors, services, window, workflow
from . import completeness as completeness_selectors
from .choices import ValueType
from .consolidation import consolidation_get
from .lists import SUBMISSIONS
from .models import Attachment, DataValue, Indicator, ReportForm

router = Router(tags=["reporting"])
CSV_COLUMNS = ["submission", "form", "period", "unit", "agency", "indicator", "value", "qualifier", "comment"]
MAX_BULK = 10000


class SubmissionOut(Schema):
    """A report (reporting.api_rows.submission_row)."""

    id: int
    form: str
    form_version: int
    unit_id: int | None
    agency_id: int | None
    reporter: str
    period: str
    status: str
    version: int
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    return_reason: str


class SubmissionPagination(ListPagination):
    """The report list's rows kept ignoring open edits, with each listed report's current version (api_rows)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        return api_rows.kept_page(
            request,
            lambda: super(SubmissionPagination, self).paginate_queryset(queryset, pagination, request, **params),
        )


class ActionIn(Schema):
    reason: str = ""
    version: int | None = None


class DataValueIn(Schema):
    submission: int | None = None
    form: str | None = None
    period: str | None = None
    unit: int | None = None
    agency: int | None = None
    indicator: str
    value: Decimal | str | None = Field(
        None,
        description=(
            'Số: số JSON (12345.5) hoặc chuỗi thập phân chuẩn dấu chấm ("12345.5"), không dấu phân cách hàng '
            "nghìn — như GET /dataValueSets trả về. Cách viết Việt Nam (1.700; 6,73) chỉ dành cho trang và Excel. "
            "Chỉ tiêu văn bản: chuỗi."
        ),
    )
    qualifier: str = ""
    comment: str = ""


class DataValueSetIn(Schema):
    dataValues: list[DataValueIn]


class DataValueImportOut(Schema):
    imported: int
    submissions: list[int]


class RowOut(Schema):
    indicator: str
    name: str
    unit: str
    value: Decimal | None
    qualifier: str
    previous_value: Decimal | None
    change_abs: Decimal | None
    change_pct: Decimal | None
    plan_value: Decimal | None
    plan_pct: Decimal | None
    plan_method: str = ""  # exact | pro_rata (flows) | as_of (stocks): reporting/plans.py
    plan_basis: str | None = None  # the target's period key ("2026", "2026H1")
    plan_full: Decimal | None = None  # that target before pro-rating
    contributors: list[str]
    missing: list[str]
    quotes: list[str]


class ConsolidationOut(Schema):
    unit: str
    period: str
    period_label: str
    start: dt.date
    end: dt.date
    include_submitted: bool
    rows: list[RowOut]
    expected_units: list[str]
    reporting_units: list[str]
    missing_units: list[str]
    shared_predecessors: list[dict]
    narratives: dict[str, list[dict]]


@router.get("/submissions", response=list[SubmissionOut], description=SUBMISSIONS.describe())
@paginate(SubmissionPagination, spec=SUBMISSIONS)
def list_submissions(request):
    return selectors.submissions_for_user(user=request.user)


@router.get("/submissions/{submission_id}", response=SubmissionOut)
def get_submission(request, submission_id: int):
    return api_rows.submission_row(selectors.submission_get(user=request.user, pk=submission_id))


class AttachmentOut(Schema):
    id: int
    submission_id: int
    title: str
    file_name: str
    bytes: int | None
    created_at: dt.datetime
    url: str

    @staticmethod
    def resolve_file_name(obj):
        return obj.file.name.rsplit("/", 1)[-1]

    @staticmethod
    def resolve_bytes(obj):
        try:
            return obj.file.size
        except OSError:
            return None

    @staticmethod
    def resolve_url(obj):
        return f"/api/reporting/attachments/{obj.pk}/file"


@router.get("/submissions/{submission_id}/attachments", response=list[AttachmentOut])
def list_attachments(request, submission_id: int):
    sub = selectors.submission_get(user=request.user, pk=submission_id)
    return list(sub.attachments.order_by("created_at", "pk"))


@router.post("/submissions/{submission_id}/attachments", response={201: AttachmentOut})
def add_attachment(request, submission_id: int, file: File[UploadedFile], title: Form[str] = ""):
    """Attach a PDF, Word, Excel, OpenDocument, JPEG or PNG file (multipart field ``file``) to an editable report."""
    sub = selectors.submission_get(user=request.user, pk=submission_id, action=Action.CHANGE)
    return Status(201, services.attachment_add(user=request.user, submission=sub, file=file, title=title))


@router.get("/attachments/{attachment_id}/file")
def download_attachment(request, attachment_id: int):
    att = get_for_user_or_404(Attachment, request.user, Action.VIEW, pk=attachment_id)
    return uploads.serve_file(att.file)


@router.delete("/attachments/{attachment_id}", response={204: None})
def delete_attachment(request, attachment_id: int):
    att = get_for_user_or_404(Attachment, request.user, Action.CHANGE, pk=attachment_id)
    services.attachment_delete(user=request.user, attachment=att)
    return Status(204, None)


# A report's Excel template (reporting/api_excel.py), before the workflow's /{action} catches "excel".
from . import api_excel  # noqa: E402

api_excel.mount(router)


@router.post("/submissions/{submission_id}/{action}", response=SubmissionOut)
def submission_action(request, submission_id: int, action: str, payload: ActionIn):
    """Workflow: submit, approve, return (reason required), reopen (reason required)."""
    sub = selectors.submission_get(user=request.user, pk=submission_id)
    handlers = {
        "submit": lambda: workflow.submission_submit(
            user=request.user, submission=sub, expected_version=payload.version
        ),
        "approve": lambda: workflow.submission_approve(
            user=request.user, submission=sub, comment=payload.reason, expected_version=payload.version
        ),
        "return": lambda: workflow.submission_return(
            user=request.user, submission=sub, reason=payload.reason, expected_version=payload.version
        ),
        "reopen": lambda: workflow.submission_reopen(
            user=request.user, submission=sub, reason=payload.reason, expected_version=payload.version
        ),
    }
    if action not in handlers:
        raise ApplicationError(_("Thao tác không hợp lệ: %s (dùng submit, approve, return, reopen).") % action)
    return api_rows.submission_row(handlers[action]())


def _value_rows(request, submission: int | None, form: str, period: str, unit: int | None, agency: int | None):
    qs = (
        DataValue.objects.for_user(request.user)
        .select_related("indicator", "submission__form")
        .order_by("submission_id", "indicator__code")
    )
    if submission:
        qs = qs.filter(submission_id=submission)
    if form:
        qs = qs.filter(submission__form__code=form)
    if period:
        qs = qs.filter(submission__period_key=period.strip().upper())
    if unit:
        qs = qs.filter(submission__unit_id=unit)
    if agency:
        qs = qs.filter(submission__agency_id=agency)
    if not (submission or form or period or unit or agency):
        raise ApplicationError(_("Cho biết ít nhất một điều kiện: submission, form, period, unit hoặc agency."))
    return qs[:MAX_BULK]


def _dv_dict(dv):
    s = dv.submission
    return {
        "submission": s.pk,
        "form": s.form.code,
        "period": s.period_key,
        "unit": s.unit_id,
        "agency": s.agency_id,
        "indicator": dv.indicator.code,
        "value": None if dv.value is None else format(dv.value.normalize(), "f") if dv.value else "0",
        "qualifier": dv.qualifier,
        "comment": dv.comment,
    }


MAX_ID = 2**63 - 1  # ids beyond a bigint are wrong input (422), on SQLite and PostgreSQL alike


@router.get("/dataValueSets")
def read_values(
    request,
    submission: int | None = Query(None, ge=1, le=MAX_ID),
    form: str = "",
    period: str = "",
    unit: int | None = Query(None, ge=1, le=MAX_ID),
    agency: int | None = Query(None, ge=1, le=MAX_ID),
    format: str = "json",
):
    """Bulk read of values (like DHIS2 dataValueSets). ``format=csv`` gives CSV with the same columns."""
    rows = [_dv_dict(dv) for dv in _value_rows(request, submission, form, period, unit, agency)]
    if format == "csv":
        out = io.StringIO()
        w = safe_dict_writer(out, fieldnames=CSV_COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow({k: "" if v is None else v for k, v in r.items()})
        return HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    return {"dataValues": rows}


CANONICAL_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def api_value(indicator: Indicator | None, raw):
    """A value as the API carries it: a JSON number or a canonical dot-decimal string ("12345.5").

    "12.345" is twelve point three four five here (never twelve thousand: the Vietnamese way of writing
    numbers is for pages and Excel). Text indicators keep their text. ValueError with a clear message.
    """
    if raw is None or indicator is None or indicator.value_type == ValueType.TEXT:
        return raw
    if isinstance(raw, Decimal | int):
        return Decimal(raw)
    text = str(raw).strip()
    if not text:
        return None
    if not CANONICAL_NUMBER.match(text):
        raise ValueError(
            _("“%s”: số trong API viết bằng dấu chấm thập phân, không có dấu phân cách hàng nghìn (ví dụ 12345.5).")
            % text
        )
    return Decimal(text)


def _import(request, items: list[dict]) -> dict:
    """Group rows by submission and save each through the service, all or nothing (a report opened for a
    row is not kept when any row fails)."""
    if len(items) > MAX_BULK:
        raise ApplicationError(_("Tối đa %d giá trị mỗi lần.") % MAX_BULK)
    with transaction.atomic():
        return _import_rows(request, items)


def _import_rows(request, items: list[dict]) -> dict:
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={str(it.get("indicator")) for it in items})}
    groups: dict[int, dict] = {}
    errors: dict[str, list[str]] = {}
    subs = {}
    for i, item in enumerate(items, start=1):
        try:
            if item.get("submission"):
                sub = selectors.submission_get(user=request.user, pk=int(item["submission"]), action=Action.CHANGE)
            else:
                form = ReportForm.objects.filter(code=item.get("form") or "").first()
                if form is None:
                    raise ApplicationError(_("Biểu mẫu không tồn tại: %s") % item.get("form"))
                unit = (
                    get_for_user_or_404(AdministrativeUnit, request.user, Action.CHANGE, pk=item["unit"])
                    if item.get("unit")
                    else None
                )
                agency = (
                    get_for_user_or_404(Agency, request.user, Action.CHANGE, pk=item["agency"])
                    if item.get("agency")
                    else None
                )
                sub = services.submission_get_or_create(
                    user=request.user, form=form, period_key=item.get("period") or "", unit=unit, agency=agency
                )
            value = api_value(indicators.get(item["indicator"]), item.get("value"))
        except (ApplicationError, ValueError, TypeError) as exc:
            errors[f"row {i}"] = [str(getattr(exc, "message", exc))]
            continue
        subs[sub.pk] = sub
        groups.setdefault(sub.pk, {})[item["indicator"]] = {
            "value": value,
            "qualifier": item.get("qualifier") or "",
            "comment": item.get("comment") or "",
        }
    if errors:
        raise ApplicationError(_("Không nhập giá trị nào: %d dòng có lỗi.") % len(errors), field_errors=errors)
    count = 0
    for pk, values in groups.items():
        try:
            services.submission_save(user=request.user, submission=subs[pk], values=values)
        except ApplicationError as exc:
            fields = {f"submission {pk}: {k}": v for k, v in exc.field_errors.items()} or {
                f"submission {pk}": [str(exc.message)]
            }
            raise ApplicationError(_("Không nhập giá trị nào: có lỗi."), field_errors=fields, code=exc.code) from None
        count += len(values)
    return {"imported": count, "submissions": sorted(groups)}


@router.post("/dataValueSets", response=DataValueImportOut)
def write_values(request, payload: DataValueSetIn):
    """Bulk write values (JSON). Every row is checked; one bad row saves nothing."""
    return _import(request, [v.dict() for v in payload.dataValues])


@router.post("/dataValueSets.csv", response=DataValueImportOut)
def write_values_csv(request):
    """Bulk write values from CSV (request body, UTF-8, the columns of the CSV export)."""
    try:
        text = request.body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(_("Tệp CSV phải mã hóa UTF-8.")) from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "indicator" not in reader.fieldnames:
        raise ApplicationError(_("CSV thiếu cột “indicator” (các cột: %s).") % ", ".join(CSV_COLUMNS))
    items = []
    for row in reader:
        items.append(
            {
                k: (row.get(k) or None) if k in ("submission", "unit", "agency") else csv_restore(row.get(k) or "")
                for k in CSV_COLUMNS
            }
        )
        for k in ("submission", "unit", "agency"):
            if items[-1][k] is not None:
                try:
                    items[-1][k] = int(items[-1][k])
                except ValueError:
                    raise ApplicationError(_("Cột %s phải là số.") % k) from None
    return _import(request, items)


@router.get("/consolidation", response=ConsolidationOut)
def consolidation(
    request,
    unit: int,
    period: str,
    form: str = "",
    rule: str = "decree09",
    include_submitted: bool = False,
    indicators: str = "",
):
    """Consolidated values of a unit for a period, with the same period last year and the plan."""
    unit_obj = get_for_user_or_404(AdministrativeUnit, request.user, pk=unit)
    try:
        p = parse_period(period, rule)
    except ValueError as exc:
        raise ApplicationError(str(exc)) from None
    form_obj = ReportForm.objects.filter(code=form).first() if form else None
    if form and form_obj is None:
        raise ApplicationError(_("Biểu mẫu không tồn tại: %s") % form)
    cons = consolidation_get(
        user=request.user,
        unit=unit_obj,
        period=p,
        form=form_obj,
        include_submitted=include_submitted,
        indicator_codes=[c for c in indicators.split(",") if c] or None,
    )
    return {
        "unit": unit_obj.name,
        "period": p.key,
        "period_label": p.label_vi,
        "start": p.start,
        "end": p.end,
        "include_submitted": include_submitted,
        "rows": [
            {
                "indicator": r.indicator.code,
                "name": r.indicator.name_vi,
                "unit": r.indicator.unit,
                "value": r.value,
                "qualifier": r.qualifier,
                "previous_value": r.previous_value,
                "change_abs": r.change_abs,
                "change_pct": None if r.change_pct is None else round(r.change_pct, 2),
                "plan_value": r.plan_value,
                "plan_pct": None if r.plan_pct is None else round(r.plan_pct, 2),
                "plan_method": r.plan_method,
                "plan_basis": r.plan_basis.key if r.plan_basis else None,
                "plan_full": r.plan_full,
                "contributors": r.contributors,
                "missing": r.missing,
                "quotes": r.quotes,
            }
            for r in cons.rows
        ],
        "expected_units": cons.expected_units,
        "reporting_units": cons.reporting_units,
        "missing_units": cons.missing_units,
        "shared_predecessors": cons.shared_predecessors,
        "narratives": {k: [{"unit": p_.unit, "text": p_.text} for p_ in v] for k, v in cons.narratives.items()},
    }


class CompletenessCellOut(Schema):
    period: str
    status: str
    on_time: bool | None
    submission_id: int | None


class CompletenessReporterOut(Schema):
    reporter: str
    unit_id: int | None
    agency_id: int | None
    cells: list[CompletenessCellOut]


class CompletenessRateOut(Schema):
    period: str
    expected: int
    received: int
    on_time: int
    pct: Decimal | None
    timely_pct: Decimal | None


class CompletenessOut(Schema):
    unit: str
    form: str
    year: int
    reporters: list[CompletenessReporterOut]
    rates: list[CompletenessRateOut]


class OverviewFormOut(Schema):
    form: str
    expected: int
    received: int
    on_time: int


class OverviewReporterOut(Schema):
    reporter: str
    unit_id: int | None
    agency_id: int | None
    forms: list[OverviewFormOut]


class CompletenessOverviewOut(Schema):
    unit: str
    year: int
    forms: list[OverviewFormOut]
    reporters: list[OverviewReporterOut]


def _reporter_ids(key) -> dict:
    return {"unit_id": key[1] if key[0] == "u" else None, "agency_id": key[1] if key[0] == "a" else None}


@router.get("/completeness", response=CompletenessOut)
def completeness(request, unit: int, form: str, year: int):
    """Reporters × periods of one form for a year: who was expected, who sent, on time (DHIS2's reporting rates,
    following units that opened or closed in the year)."""
    unit_obj = get_for_user_or_404(AdministrativeUnit, request.user, pk=unit)
    form_obj = ReportForm.objects.filter(code=form).first()
    if form_obj is None:
        raise ApplicationError(_("Biểu mẫu không tồn tại: %s") % form)
    if not 2000 <= year <= 2100:
        raise ApplicationError(_("Năm không hợp lệ: %s") % year)
    periods = window.form_periods(form_obj, year)
    comp = completeness_selectors.completeness_get(user=request.user, unit=unit_obj, form=form_obj, periods=periods)
    return {
        "unit": unit_obj.name,
        "form": form_obj.code,
        "year": year,
        "reporters": [
            {
                "reporter": r["name"],
                **_reporter_ids(r["key"]),
                "cells": [
                    {"period": p.key, "status": c.status, "on_time": c.on_time, "submission_id": c.submission_id}
                    for p, c in zip(periods, r["cells"], strict=True)
                ],
            }
            for r in comp.reporters
        ],
        "rates": [
            {
                "period": r["period"].key,
                "expected": r["expected"],
                "received": r["received"],
                "on_time": r["on_time"],
                "pct": r["pct"],
                "timely_pct": r["timely_pct"],
            }
            for r in comp.rates
        ],
    }


@router.get("/completeness/overview", response=CompletenessOverviewOut)
def completeness_overview(request, unit: int, year: int):
    """Reporters × forms for a year: reports expected, received and on time."""
    unit_obj = get_for_user_or_404(AdministrativeUnit, request.user, pk=unit)
    if not 2000 <= year <= 2100:
        raise ApplicationError(_("Năm không hợp lệ: %s") % year)
    ov = completeness_selectors.completeness_overview(user=request.user, unit=unit_obj, year=year)

    def cell(c):
        return {"form": c.form.code, "expected": c.expected, "received": c.received, "on_time": c.on_time}

    return {
        "unit": unit_obj.name,
        "year": year,
        "forms": [cell(t) for t in ov.totals],
        "reporters": [
            {"reporter": r["name"], **_reporter_ids(r["key"]), "forms": [cell(c) for c in r["cells"]]}
            for r in ov.reporters
        ],
    }


# Plan targets (reporting/target_api.py) ---------------------------------------------------------------
from .target_api import router as _targets_router  # noqa: E402

router.add_router("/targets", _targets_router)

# The catalogue: indicators, forms (versions), validation rules, registry figures (reporting/api_catalogue.py).
from .api_catalogue import router as _catalogue_router  # noqa: E402

router.add_router("", _catalogue_router)
