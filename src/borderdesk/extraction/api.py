"""REST endpoints of the extraction review queue. Same services and selectors as the pages."""

import datetime as dt
from decimal import Decimal
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import paginate

from borderdesk.core.errors import ApplicationError, NotFoundError, error_response
from borderdesk.core.listing import ListPagination
from borderdesk.core.scoping import Action

from . import limits, selectors, services
from .lists import DOCUMENTS, PROPOSALS

router = Router(tags=["extraction"])


class ProposalOut(Schema):
    id: int
    position: int
    quote: str
    start: int
    end: int
    value: Decimal | None
    range: list[Decimal] | None
    unit: str
    qualifier: str
    noun: str
    vague: bool
    indicator: str | None
    confidence: Decimal
    comparison: dict | None
    change_direction: str
    change_of: int | None
    part_of: int | None
    context: dict
    status: str
    edited_value: Decimal | None
    edited_indicator: str | None
    final_value: Decimal | None
    final_indicator: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    imported_value_id: int | None
    imported_submission_id: int | None
    version: int

    @staticmethod
    def resolve_range(obj):
        return None if obj.range_low is None else [obj.range_low, obj.range_high]

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator_code or None

    @staticmethod
    def resolve_edited_indicator(obj):
        return obj.edited_indicator_code or None

    @staticmethod
    def resolve_final_indicator(obj):
        return obj.final_indicator_code or None

    @staticmethod
    def resolve_decided_by(obj):
        return obj.decided_by.get_username() if obj.decided_by_id else None


class DocumentOut(Schema):
    id: int
    title: str
    filename: str
    kind: str
    unit_id: int | None
    agency_id: int | None
    sha256: str
    size_bytes: int
    period_guess: str
    period_key: str
    province_guess: str
    uploaded_by: str | None
    created_at: dt.datetime

    @staticmethod
    def resolve_uploaded_by(obj):
        return obj.uploaded_by.get_username() if obj.uploaded_by_id else None


class DocumentCreatedOut(DocumentOut):
    text: str
    proposals: list[ProposalOut]

    @staticmethod
    def resolve_proposals(obj):
        return obj.proposals_list


class DecisionIn(Schema):
    decision: str
    value: str | Decimal | None = None
    indicator: str | None = None
    version: int | None = None


class ImportIn(Schema):
    form: str
    period: str


class ProposalImportOut(Schema):
    submission_id: int
    imported: list[int]
    data_value_ids: list[int]


def _owner(unit_id, agency_id):
    from borderdesk.org.models import AdministrativeUnit, Agency

    unit = AdministrativeUnit.objects.filter(pk=unit_id).first() if unit_id else None
    agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    if (unit_id and unit is None) or (agency_id and agency is None):
        raise NotFoundError(_("Đơn vị hoặc cơ quan này nằm ngoài phạm vi của bạn (hoặc không tồn tại)."))
    return unit, agency


def _size_checked(run):
    """Answer an oversized body with the app's JSON error (413) before ninja parses it (see ``limits``)."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        try:
            limits.check_request_size(request)
            return run(request, *args, **kwargs)
        except RequestDataTooBig:
            limits.discard_body(request)
            return error_response(request, limits.too_large_paste())
        except limits.RequestTooLargeError as exc:
            return error_response(request, exc)

    return wrapper


@router.post("/documents", response={201: DocumentCreatedOut})
@decorate_view(_size_checked)
def create_document(
    request,
    title: Form[str] = "",
    text: Form[str] = "",
    unit_id: Form[int | None] = None,
    agency_id: Form[int | None] = None,
    file: File[UploadedFile] = None,
):
    """Read pasted text (``text``) or a file (``file``: .txt, .docx, .html) and propose its figures."""
    unit, agency = _owner(unit_id, agency_id)
    if file is not None:
        data = services.read_upload(upload=file)
        document = services.document_create(
            user=request.user, title=title, data=data, filename=file.name, unit=unit, agency=agency
        )
    else:
        document = services.document_create(user=request.user, title=title, text=text, unit=unit, agency=agency)
    document.proposals_list = list(selectors.proposals_for_document(document=document))
    return Status(201, document)


@router.get("/documents", response=list[DocumentOut], description=DOCUMENTS.describe())
@paginate(ListPagination, spec=DOCUMENTS)
def list_documents(request):
    return selectors.documents_for_user(user=request.user)


@router.get("/documents/{document_id}", response=DocumentOut)
def get_document(request, document_id: int):
    return selectors.document_get(user=request.user, pk=document_id)


@router.get("/documents/{document_id}/proposals", response=list[ProposalOut], description=PROPOSALS.describe())
@paginate(ListPagination, spec=PROPOSALS)
def list_proposals(request, document_id: int):
    return selectors.proposals_for_user(user=request.user, document_id=document_id)


@router.post("/documents/{document_id}/proposals/{proposal_id}/decision", response=ProposalOut)
def decide(request, document_id: int, proposal_id: int, payload: DecisionIn):
    proposal = selectors.proposal_get(user=request.user, pk=proposal_id, document_id=document_id)
    # JSON numbers arrive as Decimal; strings are read in Vietnamese notation ("1.700", "6,73")
    return services.proposal_decide(
        user=request.user,
        proposal=proposal,
        decision=payload.decision,
        value=payload.value,
        indicator_code=payload.indicator,
        expected_version=payload.version,
    )


@router.post("/documents/{document_id}/import", response=ProposalImportOut)
def import_accepted(request, document_id: int, payload: ImportIn):
    """Import the accepted figures into the draft submission of the document's unit for a form and period."""
    from borderdesk.reporting.models import ReportForm

    document = selectors.document_get(user=request.user, pk=document_id, action=Action.CHANGE)
    form = ReportForm.objects.filter(code=payload.form).first()
    if form is None:
        raise ApplicationError(_("Không có biểu mẫu “%s”.") % payload.form, field_errors={"form": [_("Không có.")]})
    result = services.document_import_accepted(
        user=request.user, document=document, form=form, period_key=payload.period
    )
    return {
        "submission_id": result.submission.pk,
        "imported": [p.pk for p in result.imported],
        "data_value_ids": [p.imported_value_id for p in result.imported if p.imported_value_id],
    }
