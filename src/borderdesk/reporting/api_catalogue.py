"""REST endpoints of the indicator catalogue, forms (versions) and validation rules.

The same services as the pages (:mod:`borderdesk.reporting.catalogue`): 403 for a user who may not
edit, 400 with per-field errors that quote the bad value, 409 on a stale version, 404 for an unknown code.
Its own router, mounted on `reporting.api.router` (no import back).
"""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from borderdesk.core.collation import vi_order
from borderdesk.core.errors import NotFoundError
from borderdesk.core.listing import ListPagination

from . import catalogue, rules
from .lists import INDICATORS
from .models import Indicator, ValidationRule

router = Router()  # tags and auth from reporting.api.router


class IndicatorOut(Schema):
    code: str
    name_vi: str
    name_en: str
    unit: str
    value_type: str
    aggregation: str
    higher_is_better: bool | None
    group: str
    description: str = ""
    registry_figure: str = ""
    active_from: dt.date | None = None
    active_to: dt.date | None = None
    version: int = 1
    province: int | None = None  # the province that owns it (None: national)

    @staticmethod
    def resolve_province(obj):
        return getattr(obj, "province_id", None)


@router.get(
    "/indicators",
    response=list[IndicatorOut],
    operation_id="borderdesk_reporting_api_list_indicators",  # its id before it moved here
    description=INDICATORS.describe(),
)
@paginate(ListPagination, spec=INDICATORS)
def list_indicators(request):
    return Indicator.objects.select_related("province").order_by("group", "code")


class IndicatorIn(Schema):
    code: str | None = None
    name_vi: str | None = None
    name_en: str | None = None
    unit: str | None = None
    value_type: str | None = None
    aggregation: str | None = None
    higher_is_better: bool | None = None
    group: str | None = None
    description: str | None = None
    extraction_keywords: str | None = None
    registry_figure: str | None = None
    active_from: dt.date | None = None
    active_to: dt.date | None = None
    province: int | None = None  # a new indicator's province (default: the office's own; admin: national)
    version: int | None = None


class FigureOut(Schema):
    code: str
    source: str
    description: str


class SectionIO(Schema):
    code: str = ""
    title: str
    indicators: list[str] = []


class NarrativeIO(Schema):
    code: str = ""
    title: str


class VersionOut(Schema):
    number: int
    sections: list[SectionIO]
    narrative_sections: list[NarrativeIO]
    period_spec: dict
    reporter_spec: dict
    deadline_working_days: int
    lock_days: int | None
    approval_top_kind: str
    created_at: dt.datetime
    reports: int = 0


class FormOut(Schema):
    code: str
    name: str
    description: str
    province: int | None = None  # the province that keeps the form (None: national, administrators only)
    current_version: int | None
    versions: list[VersionOut]


class PublishIn(Schema):
    name: str = ""
    description: str | None = None
    sections: list[SectionIO] | None = None
    narrative_sections: list[NarrativeIO] | None = None
    period_spec: dict | None = None
    reporter_spec: dict | None = None
    deadline_working_days: int | None = None
    lock_days: int | None = -1  # -1: keep the current version's
    approval_top_kind: str | None = None
    based_on: int | None = None  # the version the editor started from (409 when stale)
    province: int | None = None  # a new form's province (default: the office's own; admin: national)


class RuleOut(Schema):
    id: int
    form: str | None
    name: str
    left: str
    operator: str
    right: str
    severity: str
    skip_when_missing: bool
    message: str
    is_active: bool
    version: int

    @staticmethod
    def resolve_form(obj):
        return obj.form.code if obj.form_id else None


class RuleIn(Schema):
    form: str | None = None
    name: str | None = None
    left: str | None = None
    operator: str | None = None
    right: str | None = None
    severity: str | None = None
    skip_when_missing: bool | None = None
    message: str | None = None
    is_active: bool | None = None
    version: int | None = None


class PreviewIn(Schema):
    form: str
    left: str
    operator: str
    right: str
    skip_when_missing: bool = True
    period: str = ""


class PreviewRowOut(Schema):
    submission: int
    reporter: str
    status: str
    outcome: str
    left: Decimal | None
    right: Decimal | None


class PreviewOut(Schema):
    period: str
    failing: int
    rows: list[PreviewRowOut]


def _data(payload: Schema, *, exclude=("version",)) -> dict:
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if k not in exclude}


@router.get("/registry-figures", response=list[FigureOut], tags=["reporting catalogue"])
def list_registry_figures(request):
    """Figures the registries (patrols, incidents, markers, gates, outreach) compute to pre-fill indicators."""
    return [{"code": c, "source": s, "description": d} for c, s, d in catalogue.registry_figures()]


@router.get("/indicators/{code}", response=IndicatorOut, tags=["reporting catalogue"])
def get_indicator(request, code: str):
    return catalogue.indicator_get(code)


@router.post("/indicators", response={201: IndicatorOut}, tags=["reporting catalogue"])
def create_indicator(request, payload: IndicatorIn):
    """Add an indicator: national (administrators) or the province's own (its standing office)."""
    return Status(201, catalogue.indicator_save(user=request.user, data=_data(payload)))


@router.patch("/indicators/{code}", response=IndicatorOut, tags=["reporting catalogue"])
def update_indicator(request, code: str, payload: IndicatorIn):
    """Change an indicator (national: administrators; a province's: its office); send ``version`` to be told
    (409) of someone else's edit."""
    return catalogue.indicator_save(
        user=request.user, instance=catalogue.indicator_get(code), data=_data(payload), expected_version=payload.version
    )


def _form_out(form) -> dict:
    usage = catalogue.form_usage(form)
    versions = sorted(form.versions.all(), key=lambda v: -v.number)
    return {
        "code": form.code,
        "name": form.name,
        "description": form.description,
        "province": form.province_id,
        "current_version": versions[0].number if versions else None,
        "versions": [
            {
                "number": v.number,
                "sections": v.sections,
                "narrative_sections": v.narrative_sections,
                "period_spec": v.period_spec,
                "reporter_spec": v.reporter_spec,
                "deadline_working_days": v.deadline_working_days,
                "lock_days": v.lock_days,
                "approval_top_kind": v.approval_top_kind,
                "created_at": v.created_at,
                "reports": usage.get(v.pk, 0),
            }
            for v in versions
        ],
    }


@router.get("/forms", response=list[FormOut], tags=["reporting catalogue"])
def list_forms(request):
    from .models import ReportForm

    return [_form_out(f) for f in ReportForm.objects.prefetch_related("versions").order_by("code")]


@router.get("/forms/{code}", response=FormOut, tags=["reporting catalogue"])
def get_form(request, code: str):
    return _form_out(catalogue.form_get(code))


@router.post("/forms/{code}/versions", response={201: FormOut}, tags=["reporting catalogue"])
def publish_form_version(request, code: str, payload: PublishIn):
    """Publish a new version (or the first one). Reports on older versions keep theirs."""
    data = payload.dict(exclude_unset=True)
    catalogue.form_publish(
        user=request.user,
        code=code,
        name=payload.name,
        description=payload.description,
        sections=data.get("sections"),
        narrative_sections=data.get("narrative_sections"),
        period_spec=payload.period_spec,
        reporter_spec=payload.reporter_spec,
        deadline_working_days=payload.deadline_working_days,
        lock_days="keep" if payload.lock_days == -1 else payload.lock_days,
        approval_top_kind=payload.approval_top_kind,
        expected_number=payload.based_on,
        province=payload.province,
    )
    return Status(201, _form_out(catalogue.form_get(code)))


class ProvinceCopyIn(Schema):
    province: int | None = None  # default: the standing office's own province


@router.post("/forms/{code}/province-copy", response={201: FormOut}, tags=["reporting catalogue"])
def copy_form_for_province(request, code: str, payload: ProvinceCopyIn):
    """The province's own form from national form ``code`` (version 1); then publish its versions."""
    from .province_forms import form_copy_for_province

    version = form_copy_for_province(user=request.user, code=code, province=payload.province)
    return Status(201, _form_out(version.form))


@router.get("/rules", response=list[RuleOut], tags=["reporting catalogue"])
def list_rules(request, form: str = ""):
    qs = ValidationRule.objects.select_related("form").order_by(*vi_order("form__code", "name", "pk"))
    if form:
        qs = qs.filter(form=catalogue.form_get(form))
    return list(qs)


@router.post("/rules/preview", response=PreviewOut, tags=["reporting catalogue"])
def preview_rule(request, payload: PreviewIn):
    """What a rule would say about last period's reports (or ``period``), without saving it."""
    preview = rules.rule_preview(
        user=request.user, form=catalogue.form_get(payload.form), period_key=payload.period, data=payload.dict()
    )
    return {
        "period": preview.period_key,
        "failing": preview.failing,
        "rows": [
            {
                "submission": r.submission_id,
                "reporter": r.reporter,
                "status": r.status,
                "outcome": r.outcome,
                "left": r.left,
                "right": r.right,
            }
            for r in preview.rows
        ],
    }


def _rule(rule_id: int) -> ValidationRule:
    rule = ValidationRule.objects.select_related("form").filter(pk=rule_id).first()
    if rule is None:
        raise NotFoundError(_("Không tìm thấy quy tắc."))
    return rule


@router.post("/rules", response={201: RuleOut}, tags=["reporting catalogue"])
def create_rule(request, payload: RuleIn):
    form = catalogue.form_get(payload.form) if payload.form else None
    return Status(201, rules.rule_save(user=request.user, form=form, data=_data(payload, exclude=("version", "form"))))


@router.patch("/rules/{rule_id}", response=RuleOut, tags=["reporting catalogue"])
def update_rule(request, rule_id: int, payload: RuleIn):
    return rules.rule_save(
        user=request.user,
        instance=_rule(rule_id),
        data=_data(payload, exclude=("version", "form")),
        expected_version=payload.version,
    )


@router.delete("/rules/{rule_id}", response={204: None}, tags=["reporting catalogue"])
def delete_rule(request, rule_id: int, version: int | None = None):
    rules.rule_delete(user=request.user, rule=_rule(rule_id), expected_version=version)
    return Status(204, None)
