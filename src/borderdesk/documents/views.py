from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from borderdesk.core.errors import ApplicationError
from borderdesk.core.period_picker import read_period
from borderdesk.core.permissions import Op, can
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.core.texts import Text
from borderdesk.core.views import parse_date_param
from borderdesk.org.selectors import committees_for_user

from . import selectors, services
from .layout import document_from_dict
from .lists import DRAFTS
from .models import DraftComment, IssuedReport, ReportDraft, ReportTemplate
from .outline import check_outline, outline_problems
from .pdf import docx_to_pdf, libreoffice_available

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _key_as_ky(params, *keys: str):
    """The picker's parameters, a period key given as ``period`` (or ``preview_period``: links, scripts, older
    forms) read as its ``ky``."""
    for key in keys or ("period", "preview_period"):
        if params.get(key) and not params.get("ky"):
            params = params.copy()
            params["ky"] = params[key]
    return params


def _chosen_period(params, key: str = "period"):
    """The period of a draft: the period picker's fields (core.period_picker), or a period key; ApplicationError
    when it is not a period."""
    choice = read_period(_key_as_ky(params, key))
    if choice.error:
        raise ApplicationError(choice.error)
    return choice.period


@login_required
def home(request):
    committees = committees_for_user(user=request.user)
    if request.method == "POST":
        try:
            committee = get_for_user_or_404(committees, request.user, pk=request.POST.get("committee"))
            period = _chosen_period(request.POST)
            template = (
                get_object_or_404(ReportTemplate, pk=request.POST.get("template"))
                if request.POST.get("template")
                else None
            )
            agency = (
                get_object_or_404(selectors.report_agencies(committees=committees), pk=request.POST.get("agency"))
                if (request.POST.get("agency") or "").isdigit()
                else None
            )
            draft = services.draft_create(
                user=request.user,
                committee=committee,
                period=period,
                template=template,
                report_date=parse_date_param(request.POST.get("date"), timezone.localdate()),
                agency=agency,
            )
            return redirect("documents:draft", pk=draft.pk)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
    # ?ky=2026Q3 after drafting many committees' reports for one period; sorted and paged as the API
    result = DRAFTS.page(
        request,
        ReportDraft.objects.for_user(request.user).select_related("committee").defer("docx", "document"),
        columns=[(s.label, s.key, "num" if s.key == "version" else "") for s in DRAFTS.sorts],
    )
    return render(
        request,
        "documents/home.html",
        {
            "committees": committees,
            "templates": ReportTemplate.objects.all(),
            "drafts": result.rows,
            "page": result.page,
            "headers": result.headers,
            "querystring": result.querystring,
            "list_error": result.error,
            "agencies": selectors.report_agencies(committees=committees),
            "period_choice": read_period(request.GET),
            "issued": IssuedReport.objects.for_user(request.user).select_related("committee").defer("docx")[:50],
            "can_change": request.user.can(Action.CHANGE),
            "can_manage": request.user.can(Action.MANAGE),
            "today": timezone.localdate(),
        },
        status=400 if result.error else 200,
    )


@login_required
@require_POST
def draft_many(request):
    """Draft the report of every chosen committee for one period, in a background job (all or nothing)."""
    from borderdesk.jobs import services as job_services

    from .jobs import DRAFT_MANY, batch_params

    committees = committees_for_user(user=request.user)
    chosen = [int(c) for c in request.POST.getlist("committee") if c.isdigit()]
    try:
        if not request.user.can(Action.CHANGE):
            raise ApplicationError(_("Bạn không có quyền soạn báo cáo."))
        if not chosen or committees.filter(pk__in=chosen).count() != len(set(chosen)):
            raise ApplicationError(_("Chọn ít nhất một ban chỉ đạo trong phạm vi của bạn."))
        period = _chosen_period(request.POST)
        template = request.POST.get("template") or ""
        job = job_services.submit(
            user=request.user,
            kind_code=DRAFT_MANY,
            title=Text(
                gettext_noop("Soạn báo cáo %(period)s cho %(n)s ban chỉ đạo"), {"period": period, "n": len(set(chosen))}
            ),
            params=batch_params(
                period=period.key,
                committee_ids=sorted(set(chosen)),
                report_date=parse_date_param(request.POST.get("date"), timezone.localdate()),
                template_id=int(template) if template.isdigit() else None,
            ),
        )
        return redirect("jobs:detail", pk=job.pk)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("documents:home")


@login_required
def draft_detail(request, pk: int):
    draft = get_for_user_or_404(
        ReportDraft.objects.select_related("committee", "template_version__template"), request.user, pk=pk
    )
    versions = (
        ReportDraft.objects.filter(
            committee=draft.committee,
            period_key=draft.period_key,
            template_version__template=draft.template_version.template,
        )
        .defer("docx", "document")
        .order_by("-version")
    )
    issued = IssuedReport.objects.filter(draft=draft).defer("docx").first()
    sections = services.draft_sections(draft.body_text)
    comments = list(
        DraftComment.objects.filter(draft__committee=draft.committee, draft__period_key=draft.period_key)
        .select_related("author", "draft")
        .order_by("created_at", "id")
    )
    return render(
        request,
        "documents/draft.html",
        {
            "draft": draft,
            "doc": document_from_dict(draft.document),
            "versions": versions,
            "issued": issued,
            "pdf_available": libreoffice_available(),
            "can_manage": request.user.can(Action.MANAGE),
            "can_edit": request.user.can(Action.CHANGE) and issued is None,
            "sections": sections,
            "comments": comments,
            "notes": draft.source_notes or {},
        },
    )


@login_required
@require_POST
def draft_section(request, pk: int, index: int):
    """Save the text of one section of the draft (a new version); live figures ⟪…⟫ may stay or go."""
    draft = get_for_user_or_404(ReportDraft, request.user, Action.CHANGE, pk=pk)
    try:
        new = services.draft_revise(user=request.user, draft=draft, index=index, text=request.POST.get("text", ""))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("documents:draft", pk=pk)
    messages.success(request, _("Đã lưu mục đã sửa thành dự thảo lần %(v)s.") % {"v": new.version})
    return redirect("documents:draft", pk=new.pk)


@login_required
@require_POST
def draft_refresh(request, pk: int):
    draft = get_for_user_or_404(ReportDraft, request.user, Action.CHANGE, pk=pk)
    try:
        new = services.draft_refresh(user=request.user, draft=draft)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("documents:draft", pk=pk)
    messages.success(request, _("Đã cập nhật số liệu thành dự thảo lần %(v)s.") % {"v": new.version})
    return redirect("documents:draft", pk=new.pk)


@login_required
@require_POST
def draft_comment(request, pk: int):
    draft = get_for_user_or_404(ReportDraft, request.user, pk=pk)
    try:
        services.comment_add(
            user=request.user, draft=draft, text=request.POST.get("text", ""), section=request.POST.get("section", "")
        )
        messages.success(request, _("Đã ghi ý kiến góp ý."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("documents:draft", pk=pk)


@login_required
def draft_compare(request, pk: int):
    """The changes from another version (``?with=<id>``, default: the previous version) to this one."""
    draft = get_for_user_or_404(ReportDraft, request.user, pk=pk)
    versions = (
        ReportDraft.objects.for_user(request.user)
        .filter(
            committee=draft.committee,
            period_key=draft.period_key,
            template_version__template=draft.template_version.template,
        )
        .defer("docx", "document")
    )
    other_pk = request.GET.get("with", "")
    if other_pk.isdigit():
        other = versions.filter(pk=int(other_pk)).first()
    else:
        other = versions.filter(version__lt=draft.version).order_by("-version").first()
    if other is None:
        messages.error(request, _("Không có lần dự thảo nào khác để so sánh."))
        return redirect("documents:draft", pk=pk)
    older, newer = (other, draft) if other.version < draft.version else (draft, other)
    return render(
        request,
        "documents/compare.html",
        {
            "draft": draft,
            "older": older,
            "newer": newer,
            "changes": services.draft_compare(older=older, newer=newer),
            "versions": versions.order_by("-version"),
        },
    )


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def draft_docx(request, pk: int):
    draft = get_for_user_or_404(ReportDraft, request.user, pk=pk)
    issued = IssuedReport.objects.filter(draft=draft).first()
    data = bytes(issued.docx if issued else draft.docx)
    return _download(data, f"bao-cao-{draft.committee.code}-{draft.period_key}-v{draft.version}.docx", DOCX)


@login_required
def draft_pdf(request, pk: int):
    draft = get_for_user_or_404(ReportDraft, request.user, pk=pk)
    issued = IssuedReport.objects.filter(draft=draft).first()
    try:
        data = docx_to_pdf(bytes(issued.docx if issued else draft.docx))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("documents:draft", pk=pk)
    return _download(data, f"bao-cao-{draft.committee.code}-{draft.period_key}-v{draft.version}.pdf", "application/pdf")


@login_required
@require_POST
def draft_issue(request, pk: int):
    draft = get_for_user_or_404(ReportDraft, request.user, Action.MANAGE, pk=pk)
    try:
        issued = services.report_issue(
            user=request.user, draft=draft, issued_on=parse_date_param(request.POST.get("date"), draft.report_date)
        )
        messages.success(request, f"Đã ban hành: {issued.number_line}")
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("documents:draft", pk=pk)


@login_required
def template_edit(request, pk: int):
    """Edit an outline: "Xem trước" renders the text being edited for a committee and period without
    saving; "Kiểm tra và lưu" validates and saves a new version. Problems are listed with their line."""
    template = get_object_or_404(ReportTemplate, pk=pk)
    current = template.current
    data = {"summary": current.summary, "body": current.body, "recipients": current.recipients}
    committees = committees_for_user(user=request.user)
    preview = {
        "committee": request.POST.get("preview_committee") or request.GET.get("committee", ""),
        "date": request.POST.get("preview_date") or "",
    }
    problems, doc, warnings = [], None, []
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ("summary", "body", "recipients")}
        if request.POST.get("action") == "preview":
            try:
                committee = get_for_user_or_404(committees, request.user, pk=preview["committee"] or 0)
                period = _chosen_period(request.POST, "preview_period")
                doc, warnings = services.template_preview(
                    user=request.user,
                    committee=committee,
                    period=period,
                    report_date=parse_date_param(preview["date"], timezone.localdate()),
                    **data,
                )
            except ApplicationError as exc:
                problems = outline_problems(exc)
        else:
            try:
                services.template_version_save(
                    user=request.user, template=template, note=request.POST.get("note", ""), **data
                )
                messages.success(request, _("Đã lưu phiên bản mới của mẫu đề cương."))
                return redirect("documents:template", pk=pk)
            except ApplicationError as exc:
                problems = outline_problems(exc)
    else:
        problems = [str(p) for p in check_outline(current.body)]
    return render(
        request,
        "documents/template_edit.html",
        {
            "template": template,
            "data": data,
            "problems": problems,
            "versions": template.versions.all()[:20],
            "can_manage": can(request.user, ReportTemplate, Op.CHANGE),
            "committees": committees,
            "preview": preview,
            "period_choice": read_period(_key_as_ky(request.POST if request.method == "POST" else request.GET)),
            "doc": doc,
            "warnings": warnings,
            "today": timezone.localdate(),
            "indicators_url": reverse("reporting:indicators"),
        },
    )
