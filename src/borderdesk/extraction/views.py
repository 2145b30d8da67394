"""Pages: the documents list, the upload form and the review queue of one document. Thin: services decide."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from borderdesk.core.errors import ApplicationError, NotFoundError
from borderdesk.core.scoping import Action, scope_for

from . import limits, selectors, services
from .choices import ProposalStatus
from .forms import UploadForm
from .lists import DOCUMENTS


@login_required
def home(request):
    result = DOCUMENTS.page(
        request,
        selectors.documents_for_user(user=request.user),
        columns=[(s.label, s.key, "num" if s.key in NUMERIC else "") for s in DOCUMENTS.sorts],
    )
    can_upload = not scope_for(request.user, Action.CHANGE).empty
    ctx = {
        "page": result.page,
        "headers": result.headers,
        "querystring": result.querystring,
        "list_error": result.error,
        "can_upload": can_upload,
    }
    return render(request, "extraction/home.html", ctx, status=400 if result.error else 200)


NUMERIC = ("proposals", "open", "accepted", "imported")


def _size_checked(view):
    """Check the body size before anything reads it, then CSRF, then the view.

    Django's CSRF middleware reads ``request.POST`` before the view runs, so an oversized body would
    fail there with a bare 400 page. The wrapped view is therefore exempt from the middleware and
    protected by ``csrf_protect`` here instead, after the size check: CSRF is still enforced.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            limits.check_request_size(request)
            return protected(request, *args, **kwargs)
        except RequestDataTooBig:
            limits.discard_body(request)
            error = limits.too_large_paste()
        except limits.RequestTooLargeError as exc:
            error = exc
        return _upload_page(request, error=error.message, status=error.status_code)

    return csrf_exempt(wrapper)


def _upload_page(request, *, form=None, error=None, status=200, units=None, agencies=None):
    if form is None:
        if units is None:
            units, agencies = selectors.units_for_upload(user=request.user)
        form = UploadForm(units=units, agencies=agencies)
    return render(
        request,
        "extraction/upload.html",
        {
            "form": form,
            "error": error,
            "max_mb": limits.file_limit() / 1048576,
            "paste_mb": limits.paste_limit() / 1048576,
        },
        status=status,
    )


@login_required
@_size_checked
def upload(request):
    units, agencies = selectors.units_for_upload(user=request.user)
    if not units and not agencies:
        raise NotFoundError(_("Bạn không có đơn vị nào để tải văn bản lên."))
    status = 200
    error = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, units=units, agencies=agencies)
        if form.is_valid():
            unit, agency = form.owner_objects()
            upload_file = form.cleaned_data.get("file")
            try:
                if upload_file is not None:
                    data = services.read_upload(upload=upload_file)
                    document = services.document_create(
                        user=request.user,
                        title=form.cleaned_data["title"],
                        data=data,
                        filename=upload_file.name,
                        unit=unit,
                        agency=agency,
                    )
                else:
                    document = services.document_create(
                        user=request.user,
                        title=form.cleaned_data["title"],
                        text=form.cleaned_data["text"],
                        unit=unit,
                        agency=agency,
                    )
            except ApplicationError as exc:
                error = exc.message
                status = 400
            else:
                messages.success(
                    request, _("Đã đọc văn bản: %(n)s số liệu được đề xuất.") % {"n": document.proposals.count()}
                )
                return redirect("extraction:document", pk=document.pk)
        else:
            status = 400
    else:
        initial = {}
        if len(units) + len(agencies) == 1:
            initial["owner"] = f"u{units[0].pk}" if units else f"a{agencies[0].pk}"
        form = UploadForm(units=units, agencies=agencies, initial=initial)
    return _upload_page(request, form=form, error=error, status=status)


@login_required
def document_detail(request, pk: int):
    document = selectors.document_get(user=request.user, pk=pk)
    proposals = list(selectors.proposals_for_document(document=document))
    names = selectors.indicator_names(
        {p.indicator_code for p in proposals} | {p.edited_indicator_code for p in proposals}
    )
    for p in proposals:
        p.indicator_name = names.get(p.final_indicator_code, "")
        p.confidence_pct = p.confidence * 100
        c = p.comparison or {}
        start, end = c.get("start"), c.get("end")
        ctx = p.context or {}
        date = ctx.get("date") or ""
        if len(date) == 10 and date[4] == "-":
            date = f"{date[8:10]}/{date[5:7]}/{date[0:4]}"
        elif date.startswith("--"):
            date = f"{date[5:7]}/{date[2:4]}"
        p.context_text = " · ".join(x for x in (ctx.get("province"), ctx.get("period"), date) if x)
        p.comparison_text = (
            document.text[start:end]
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(document.text)
            else ""
        )
    mapped = [p for p in proposals if p.final_indicator_code]
    unmapped = [p for p in proposals if not p.final_indicator_code]
    can_change = services_can_change(request.user, document)
    forms = selectors.forms_for_import() if can_change else []
    import_form, default_period = selectors.import_defaults(document=document, forms=forms)
    unit_name = document.unit.name if document.unit_id else (document.agency.name if document.agency_id else "")
    province_differs = (
        bool(document.province_guess)
        and document.province_guess.lower() not in unit_name.lower()
        and not selectors.unit_within_province(unit=document.unit, province=document.province_guess)
    )
    counts = {s: sum(1 for p in proposals if p.status == s) for s in ProposalStatus.values}
    return render(
        request,
        "extraction/document.html",
        {
            "document": document,
            "mapped": mapped,
            "unmapped": unmapped,
            "counts": counts,
            "highlighted": selectors.highlighted_text(document=document, proposals=proposals),
            "indicators": selectors.indicator_choices() if can_change else [],
            "can_change": can_change,
            "forms": forms,
            "default_period": default_period,
            "import_form": import_form,
            "statuses": ProposalStatus,
            "province_differs": province_differs,
        },
    )


def services_can_change(user, document) -> bool:
    from borderdesk.core.scoping import object_in_scope

    return object_in_scope(document, user, Action.CHANGE)


@login_required
@require_POST
def proposal_decide(request, pk: int, proposal_pk: int):
    proposal = selectors.proposal_get(user=request.user, pk=proposal_pk, document_id=pk)
    version = request.POST.get("version", "")
    try:
        services.proposal_decide(
            user=request.user,
            proposal=proposal,
            decision=request.POST.get("decision", ""),
            value=request.POST.get("value"),
            indicator_code=request.POST.get("indicator"),
            expected_version=int(version) if version.isdigit() else None,
        )
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise
        messages.error(request, exc.message)
    return redirect(reverse("extraction:document", args=[pk]) + f"#p{proposal_pk}")


@login_required
@require_POST
def document_import(request, pk: int):
    document = selectors.document_get(user=request.user, pk=pk, action=Action.CHANGE)
    from borderdesk.reporting.models import ReportForm

    form_id = request.POST.get("form", "")
    form = ReportForm.objects.filter(pk=int(form_id)).first() if form_id.isdigit() else None
    if form is None:
        messages.error(request, _("Hãy chọn biểu mẫu báo cáo."))
        return redirect("extraction:document", pk=pk)
    try:
        result = services.document_import_accepted(
            user=request.user, document=document, form=form, period_key=request.POST.get("period", "").strip()
        )
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise
        messages.error(request, exc.message)
        return redirect("extraction:document", pk=pk)
    messages.success(
        request,
        _("Đã đưa %(n)s số liệu vào báo cáo nháp “%(s)s”.") % {"n": len(result.imported), "s": result.submission},
    )
    return redirect("extraction:document", pk=pk)
