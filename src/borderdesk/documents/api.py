"""REST endpoints for drafting and issuing reports."""

import base64
import datetime as dt

from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from borderdesk.core.errors import ApplicationError
from borderdesk.core.periods import parse_period
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.org.models import Committee

from . import services
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


@router.get("/drafts", response=list[DraftOut])
@paginate(PageNumberPagination)
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
    draft = services.draft_create(user=request.user, committee=committee, period=period,
                                  report_date=payload.report_date, template=template)
    return Status(201, draft)


class DocxOut(Schema):
    filename: str
    docx_base64: str
    pdf_available: bool


@router.get("/drafts/{draft_id}/docx", response=DocxOut)
def draft_docx(request, draft_id: int):
    d = get_for_user_or_404(ReportDraft, request.user, pk=draft_id)
    return {"filename": f"bao-cao-{d.period_key}-v{d.version}.docx",
            "docx_base64": base64.b64encode(bytes(d.docx)).decode(), "pdf_available": libreoffice_available()}


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
        raise ApplicationError("Không có mẫu này.", code="not_found")
    v = services.template_version_save(user=request.user, template=t, **payload.dict())
    return Status(201, {"template_id": t.pk, "version": v.number})
