"""REST endpoints for drafting and issuing reports."""

import base64
import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from borderdesk.core.errors import ApplicationError, NotFoundError
from borderdesk.core.listing import ListPagination
from borderdesk.core.periods import parse_period
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.core.texts import Text
from borderdesk.org.models import Agency, Committee

from . import services
from .lists import DRAFTS
from .models import ReportDraft, ReportTemplate
from .pdf import libreoffice_available

router = Router(tags=["documents"])


class DraftOut(Schema):
    id: int
    committee_id: int
    period_key: str
    version: int
    status: str
    summary_text: str
    report_date: dt.date
    warnings: list[str]


class DraftIn(Schema):
    committee_id: int
    period: str
    report_date: dt.date
    template: str = ""
    agency_id: int | None = None  # a member agency's own report for the committee


class DraftBatchIn(Schema):
    committee_ids: list[int] = []  # empty: every committee in the caller's scope
    period: str
    report_date: dt.date
    template_id: int | None = None


class JobRef(Schema):
    job_id: str
    status: str
    url: str


@router.post("/drafts/batch", response={202: JobRef})
def create_drafts_batch(request, payload: DraftBatchIn):
    """Draft the report of many committees for one period in a background job (all or nothing): 202 with the
    job to poll (`GET /api/jobs/{id}`); its result lists the drafts' ids."""
    from borderdesk.jobs import services as job_services
    from borderdesk.org.selectors import committees_for_user

    from .jobs import DRAFT_MANY, batch_params

    if not request.user.can(Action.CHANGE):
        raise NotFoundError(_("Bạn không có quyền soạn báo cáo."))
    try:
        period = parse_period(payload.period)
    except ValueError as exc:
        raise ApplicationError(
            _("Kỳ báo cáo không hợp lệ: ghi như 2025, 2025H1, 2025Q3 hoặc 2025M09."),
            field_errors={"period": [str(exc)]},
        ) from None
    in_scope = committees_for_user(user=request.user)
    wanted = sorted(set(payload.committee_ids)) or list(in_scope.values_list("pk", flat=True))
    if not wanted or in_scope.filter(pk__in=wanted).count() != len(wanted):
        raise NotFoundError(_("Không tìm thấy ban chỉ đạo này (hoặc bạn không có quyền truy cập)."))
    if payload.template_id is not None and not ReportTemplate.objects.filter(pk=payload.template_id).exists():
        raise NotFoundError(_("Không tìm thấy mẫu đề cương này."))
    job = job_services.submit(
        user=request.user,
        kind_code=DRAFT_MANY,
        title=Text(gettext_noop("Soạn báo cáo %(period)s cho %(n)s ban chỉ đạo"), {"period": period, "n": len(wanted)}),
        params=batch_params(
            period=period.key, committee_ids=wanted, report_date=payload.report_date, template_id=payload.template_id
        ),
    )
    return Status(202, {"job_id": str(job.pk), "status": job.status, "url": f"/api/jobs/{job.pk}"})


@router.get("/drafts", response=list[DraftOut], description=DRAFTS.describe())
@paginate(ListPagination, spec=DRAFTS)
def list_drafts(request):
    return ReportDraft.objects.for_user(request.user).defer("docx", "document")


@router.post("/drafts", response={201: DraftOut})
def create_draft(request, payload: DraftIn):
    committee = get_for_user_or_404(Committee, request.user, pk=payload.committee_id)
    try:
        period = parse_period(payload.period)
    except ValueError as exc:
        raise ApplicationError(f"Kỳ báo cáo không hợp lệ: {exc}", field_errors={"period": [str(exc)]}) from None
    template = services.template_for(period=period, code=payload.template)
    agency = None
    if payload.agency_id is not None:
        agency = Agency.objects.filter(pk=payload.agency_id, unit_id=committee.unit_id).first()
        if agency is None:
            raise NotFoundError(_("Không tìm thấy cơ quan này trong tỉnh của ban chỉ đạo."))
    draft = services.draft_create(
        user=request.user,
        committee=committee,
        period=period,
        report_date=payload.report_date,
        template=template,
        agency=agency,
    )
    return Status(201, draft)


class SectionOut(Schema):
    index: int
    heading: str
    text: str


class DraftTextOut(Schema):
    id: int
    version: int
    status: str
    sections: list[SectionOut]
    source_notes: dict


@router.get("/drafts/{draft_id}/text", response=DraftTextOut)
def draft_text(request, draft_id: int):
    """The draft's own text by section (live figures as ⟪CODE~field|…⟫) and its source notes."""
    d = get_for_user_or_404(ReportDraft, request.user, pk=draft_id)
    return {
        "id": d.pk,
        "version": d.version,
        "status": d.status,
        "source_notes": d.source_notes or {},
        "sections": services.draft_sections(d.body_text),
    }


class SectionIn(Schema):
    text: str


@router.post("/drafts/{draft_id}/sections/{index}", response={201: DraftOut})
def revise_section(request, draft_id: int, index: int, payload: SectionIn):
    d = get_for_user_or_404(ReportDraft, request.user, Action.CHANGE, pk=draft_id)
    return Status(201, services.draft_revise(user=request.user, draft=d, index=index, text=payload.text))


@router.post("/drafts/{draft_id}/refresh", response={201: DraftOut})
def refresh(request, draft_id: int):
    d = get_for_user_or_404(ReportDraft, request.user, Action.CHANGE, pk=draft_id)
    return Status(201, services.draft_refresh(user=request.user, draft=d))


class CommentIn(Schema):
    text: str
    section: str = ""


class CommentOut(Schema):
    id: int
    draft_id: int
    section: str
    text: str
    created_at: dt.datetime


@router.post("/drafts/{draft_id}/comments", response={201: CommentOut})
def add_comment(request, draft_id: int, payload: CommentIn):
    d = get_for_user_or_404(ReportDraft, request.user, pk=draft_id)
    return Status(201, services.comment_add(user=request.user, draft=d, text=payload.text, section=payload.section))


@router.get("/drafts/{draft_id}/compare/{other_id}", response=list[dict])
def compare(request, draft_id: int, other_id: int):
    """Section by section, the lines removed (-) and added (+) from the older to the newer version."""
    d = get_for_user_or_404(ReportDraft, request.user, pk=draft_id)
    o = get_for_user_or_404(ReportDraft, request.user, pk=other_id)
    if (o.committee_id, o.period_key) != (d.committee_id, d.period_key):
        raise ApplicationError(_("Hai dự thảo không cùng một báo cáo."), code="not_comparable")
    older, newer = (o, d) if o.version < d.version else (d, o)
    return services.draft_compare(older=older, newer=newer)


class DocxOut(Schema):
    filename: str
    docx_base64: str
    pdf_available: bool


@router.get("/drafts/{draft_id}/docx", response=DocxOut)
def draft_docx(request, draft_id: int):
    d = get_for_user_or_404(ReportDraft, request.user, pk=draft_id)
    return {
        "filename": f"bao-cao-{d.period_key}-v{d.version}.docx",
        "docx_base64": base64.b64encode(bytes(d.docx)).decode(),
        "pdf_available": libreoffice_available(),
    }


class IssueIn(Schema):
    issued_on: dt.date | None = None


class IssuedOut(Schema):
    id: int
    number: int
    symbol: str
    issued_on: dt.date
    number_line: str
    sha256: str


@router.post("/drafts/{draft_id}/issue", response={201: IssuedOut})
def issue(request, draft_id: int, payload: IssueIn):
    d = get_for_user_or_404(ReportDraft, request.user, Action.MANAGE, pk=draft_id)
    return Status(201, services.report_issue(user=request.user, draft=d, issued_on=payload.issued_on))


class TemplateOut(Schema):
    id: int
    code: str
    name: str
    kind: str


@router.get("/templates", response=list[TemplateOut])
def list_templates(request):
    return ReportTemplate.objects.all()


class TemplateIn(Schema):
    summary: str
    body: str
    recipients: str = ""
    note: str = ""


@router.post("/templates/{template_id}/versions", response={201: dict})
def save_template(request, template_id: int, payload: TemplateIn):
    t = ReportTemplate.objects.filter(pk=template_id).first()
    if t is None:
        raise NotFoundError(_("Không có mẫu đề cương này."))
    v = services.template_version_save(user=request.user, template=t, **payload.dict())
    return Status(201, {"template_id": t.pk, "version": v.number})


class PreviewIn(Schema):
    committee_id: int
    period: str
    report_date: dt.date
    summary: str | None = None
    body: str | None = None
    recipients: str | None = None


class PreviewOut(Schema):
    summary: str
    number_line: str
    date_line: str
    blocks: list[dict]
    signature: dict
    recipients: list[str]
    warnings: list[str]


@router.post("/templates/{template_id}/preview", response=PreviewOut)
def preview_template(request, template_id: int, payload: PreviewIn):
    """Render an outline without saving it: the text being edited (`summary`, `body`, `recipients`;
    the current version's for any left out) for a committee and period. Bad placeholders or syntax: 400
    `invalid_template`; a period with no data: 400 `no_data`."""
    from dataclasses import asdict  # noqa: PLC0415

    t = ReportTemplate.objects.filter(pk=template_id).first()
    if t is None or t.current is None:
        raise NotFoundError(_("Không có mẫu đề cương này."))
    committee = get_for_user_or_404(Committee, request.user, pk=payload.committee_id)
    try:
        period = parse_period(payload.period)
    except ValueError as exc:
        raise ApplicationError(_("Kỳ báo cáo không hợp lệ: %s") % exc, field_errors={"period": [str(exc)]}) from None
    cur = t.current
    doc, warnings = services.template_preview(
        user=request.user,
        committee=committee,
        period=period,
        report_date=payload.report_date,
        summary=cur.summary if payload.summary is None else payload.summary,
        body=cur.body if payload.body is None else payload.body,
        recipients=cur.recipients if payload.recipients is None else payload.recipients,
    )
    return {
        "summary": doc.summary,
        "number_line": doc.number_line,
        "date_line": doc.date_line,
        "blocks": [asdict(b) for b in doc.blocks],
        "signature": asdict(doc.signature),
        "recipients": doc.recipients,
        "warnings": warnings,
    }
