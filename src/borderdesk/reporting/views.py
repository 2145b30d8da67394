"""Pages: thin wrappers that parse input, call one service or selector, and render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderdesk.core import archives, fragments, tables, uploads, vn
from borderdesk.core.edge import safe_next
from borderdesk.core.errors import ApplicationError, NotFoundError
from borderdesk.core.period_picker import PeriodChoice, read_period
from borderdesk.core.periods import CALENDAR, DECREE09, YEAR, period_for
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.core.views import parse_date_param
from borderdesk.org.models import AdministrativeUnit, Agency

from . import below, entry_parts, selectors, services, window, workflow
from .choices import Status
from .completeness import completeness_get, completeness_overview
from .consolidation import consolidation_get
from .lists import SUBMISSIONS
from .models import Attachment, ReportForm

# The entry page's log shows the latest steps: every changed save adds one, so a draft saved often has hundreds
# (reading and rendering 110 cost ~30 ms of CPU a view); the whole history is in the change log.
STEPS_SHOWN = 20


def _units_for(user, action=Action.VIEW, kinds=("country", "province", "district", "commune", "town", "ward")):
    return AdministrativeUnit.objects.for_user(user, action).filter(kind__in=kinds).order_by("path")


@login_required
@tables.ignoring_open_edits()  # shows the reports' form, place, period, status and time sent: no open edit changes them
def home(request):
    user = request.user
    result = SUBMISSIONS.page(
        request,
        selectors.submissions_for_user(user=user),
        columns=[(s.label, s.key) for s in SUBMISSIONS.sorts],
    )
    can_change = user.can(Action.CHANGE)
    today = dt.date.today()

    def opening():
        reporters = []
        if can_change:
            reporters = [
                ("u", u.pk, u.name) for u in _units_for(user, Action.CHANGE).valid_on(today) if u.kind != "country"
            ]
            reporters += (
                [
                    ("a", a.pk, a.name)
                    for a in Agency.objects.for_user(user, Action.CHANGE)
                    .valid_on(today)
                    .filter(pk__in=user.get_scope(Action.CHANGE).agency_ids or [])[:200]
                ]
                if not user.get_scope(Action.CHANGE).everything
                else []
            )
        forms = [
            (f, window.default_period_for(f, today))
            for f in ReportForm.objects.order_by("code").prefetch_related("versions")
            if f.versions.all()
        ]
        return reporters, forms

    # The "open a report" choices: two statements per form otherwise; kept until a write or a role change.
    reporters, forms = fragments.cached(user, "report-opening", (), opening)
    return render(
        request,
        "reporting/home.html",
        {
            "open_pc": PeriodChoice(period=forms[0][1], rule=forms[0][1].window_rule) if forms else None,
            "page": result.page,
            "headers": result.headers,
            "querystring": result.querystring,
            "list_error": result.error,
            "statuses": Status.choices,
            "status": result.values["trang_thai"],
            "pc": result.period_choice,
            "forms": forms,
            "reporters": reporters,
            "can_change": can_change,
            "can_approve": user.can(Action.APPROVE),
        },
        status=400 if result.error else 200,
    )


@login_required
@require_POST
def open_submission(request):
    form = get_for_user_or_404_form(request.POST.get("form"))
    kind, _sep, pk = (request.POST.get("reporter") or "").partition(":")
    unit = agency = None
    if kind == "u":
        unit = get_for_user_or_404(AdministrativeUnit, request.user, Action.CHANGE, pk=pk)
    elif kind == "a":
        agency = get_for_user_or_404(Agency, request.user, Action.CHANGE, pk=pk)
    else:
        raise ApplicationError(_("Chọn đơn vị hoặc cơ quan báo cáo."))
    period_key = request.POST.get("period", "")
    if request.POST.get("loai_ky"):  # the picker: the form's own rule fixes the window
        spec = form.current_version().spec if form.current_version() else None
        rule = (spec.rule if spec.rule in (DECREE09, CALENDAR) else spec.base_rule or CALENDAR) if spec else DECREE09
        picker = read_period(request.POST, default_rule=rule)
        if picker.error:
            raise ApplicationError(picker.error)
        period_key = picker.period.key
    sub = services.submission_get_or_create(
        user=request.user, form=form, period_key=period_key, unit=unit, agency=agency
    )
    return redirect("reporting:entry", pk=sub.pk)


def get_for_user_or_404_form(code):
    form = ReportForm.objects.filter(code=code or "").first()
    if form is None:
        raise NotFoundError(_("Không tìm thấy biểu mẫu."))
    return form


def _entries_from_post(post, codes) -> dict:
    values = {}
    for code in codes:
        if f"v_{code}" not in post:
            continue
        values[code] = {
            "value": post.get(f"v_{code}", ""),
            "qualifier": post.get(f"q_{code}", ""),
            "comment": post.get(f"c_{code}", ""),
        }
        if f"r_{code}" in post:
            values[code]["override_reason"] = post.get(f"r_{code}", "")
    return values


@login_required
def entry(request, pk: int):
    """Data entry: one field per indicator with last period and the same period last year beside it."""
    if request.method == "POST":
        return _entry(request, pk)
    # The page reads this report's own rows and submitted/approved ones (checked statement by statement in
    # tests/web/test_page_cache_tables.py): a figure saved in another open report leaves it kept.
    with tables.reading_open_report(pk):
        return _entry(request, pk)


def _entry(request, pk: int):
    sub = selectors.submission_get(user=request.user, pk=pk)
    field_errors, findings, posted = {}, None, None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        version = request.POST.get("version")
        findings = []
        try:
            if action == "prefill":
                n = services.submission_prefill_derived(user=request.user, submission=sub, expected_version=version)
                messages.success(request, _("Đã điền %d chỉ tiêu từ sổ theo dõi.") % n)
                return redirect("reporting:entry", pk=sub.pk)
            if action == "prefill_below":
                n = below.submission_prefill_from_below(user=request.user, submission=sub, expected_version=version)
                messages.success(request, _("Đã điền %d chỉ tiêu từ báo cáo cấp dưới.") % n)
                return redirect("reporting:entry", pk=sub.pk)
            posted = request.POST
            codes = sub.form_version.indicator_codes()
            narratives = {
                s["code"]: request.POST.get(f"n_{s['code']}", "")
                for s in sub.form_version.narrative_sections
                if f"n_{s['code']}" in request.POST
            }
            result = services.submission_save(
                user=request.user,
                submission=sub,
                values=_entries_from_post(request.POST, codes),
                narratives=narratives,
                expected_version=version,
            )
            findings = result.findings
            if action == "submit":
                workflow.submission_submit(user=request.user, submission=sub)
                messages.success(request, _("Đã gửi báo cáo."))
                return redirect("reporting:entry", pk=sub.pk)
            messages.success(request, _("Đã lưu."))
            if not findings:
                return redirect("reporting:entry", pk=sub.pk)
            posted = None
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            messages.error(request, exc.message)
            field_errors = exc.field_errors
        sub.refresh_from_db()
    can_edit = services.can_edit(user=request.user, submission=sub)
    approve = request.user.get_scope(Action.APPROVE)

    def body() -> tuple[str, str]:
        return _entry_body(request.user, sub, can_edit, findings=findings, field_errors=field_errors, posted=posted)

    if request.method == "POST":
        head, steps = body()
    else:
        # The page's body is the same for everyone who may edit the report (or may not) — it shows the report, never
        # the user —, so it is kept once for all of them (core.fragments.shared): after a saved figure the first
        # reader computes it, the others get it. Keyed by the report's row and the rows read with it (their every
        # column) and can_edit; the user's scope has let them see it (submission_get, above).
        rows = fragments.rows(sub, sub.form, sub.form_version, sub.unit, sub.agency)
        head, steps = fragments.shared("entry-body", (rows, can_edit), body, reader=request.user)
    return render(
        request,
        "reporting/entry.html",
        {
            "sub": sub,
            "body": fragments.with_csrf(request, head),
            "steps": steps,
            "can_approve": approve.contains_unit(sub.unit_id) or approve.contains_agency(sub.agency_id),
        },
    )


def _entry_body(user, sub, can_edit: bool, *, findings, field_errors: dict, posted) -> tuple[str, str]:
    """The entry page's body without the approval form, and its log of steps, as HTML (the CSRF token a placeholder:
    ``fragments.with_csrf``). ``findings`` None: the checks run on the stored values. Nothing here may depend on
    ``user`` but its generations (the reporter's history is a part shared like this one)."""
    memo: dict = {}  # this page's reads (no write since): the report's values, the reporter's history
    memo.update(selectors.reporter_history(user=user, submission=sub))
    memo["indicators"] = selectors.form_indicators(sub.form_version)  # for the checks' groups and the rows
    if findings is None:
        memo["values"] = list(sub.values.select_related("indicator"))
        findings = services.validate_submission(submission=sub, memo=memo) if memo["values"] else []
    below_values = below.values_below(submission=sub) if below.has_below(sub) else {}
    sections = selectors.entry_sections(submission=sub, below=below_values, memo=memo)
    if posted:
        for section in sections:
            for row in section["rows"]:
                row.posted = posted.get(f"v_{row.indicator.code}", "")
    narratives = {n.section: n.text for n in sub.narratives.all()}
    period = sub.period
    entry_parts.decorate(sections, can_edit)
    steps = list(sub.steps.select_related("user", "level_unit").order_by("-at", "-pk")[: STEPS_SHOWN + 1])
    context = {
        "sub": sub,
        "sections": sections,
        "period": period,
        "previous": period.previous(),
        "same": period.same_period_last_year(),
        "narrative_sections": [
            {**s, "text": (posted.get(f"n_{s['code']}") if posted else narratives.get(s["code"], ""))}
            for s in sub.form_version.narrative_sections
        ],
        "field_errors": field_errors,
        "findings": findings,
        "posted": posted,
        "can_edit": can_edit,
        "steps": steps[:STEPS_SHOWN][::-1],
        "older_steps": len(steps) > STEPS_SHOWN,
        "diff": selectors.diff_since_approval(submission=sub),
        "has_below": bool(below_values),
        "attachments": sub.attachments.order_by("created_at", "pk"),
        "deadline": window.deadline_for(sub.form_version, period),
        "lock_date": window.lock_date_for(sub.form_version, period),
        "csrf_token": fragments.CSRF_PLACEHOLDER,
    }
    return (
        render_to_string("reporting/_entry_body.html", context),
        render_to_string("reporting/_entry_steps.html", context),
    )


@login_required
@require_POST
def transition(request, pk: int, action: str):
    sub = selectors.submission_get(user=request.user, pk=pk)
    reason = request.POST.get("reason", "")
    version = request.POST.get("version")
    try:
        if action == "approve":
            workflow.submission_approve(user=request.user, submission=sub, comment=reason, expected_version=version)
            messages.success(request, _("Đã duyệt."))
        elif action == "return":
            workflow.submission_return(user=request.user, submission=sub, reason=reason, expected_version=version)
            messages.success(request, _("Đã trả lại báo cáo."))
        elif action == "reopen":
            workflow.submission_reopen(user=request.user, submission=sub, reason=reason, expected_version=version)
            messages.success(request, _("Đã mở lại báo cáo."))
        elif action == "exception":
            until = parse_date_param(request.POST.get("until"))
            if until is None:
                raise ApplicationError(_("Nhập ngày hết hạn cho phép (dd/mm/yyyy)."))
            workflow.submission_grant_lock_exception(user=request.user, submission=sub, until=until, reason=reason)
            messages.success(request, _("Đã cho phép nhập sau hạn."))
        else:
            raise NotFoundError(_("Thao tác không tồn tại."))
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise
        messages.error(request, exc.message)
    return redirect(safe_next(request, request.POST.get("next"), reverse("reporting:entry", args=[pk])))


@login_required
def review(request):
    return render(request, "reporting/review.html", {"queue": selectors.review_queue(user=request.user)})


def _consolidation_params(request):
    user = request.user
    units = list(_units_for(user, kinds=("country", "province", "district", "commune", "town")))
    unit_id = request.GET.get("don_vi")
    unit = None
    if unit_id:
        unit = get_for_user_or_404(AdministrativeUnit, user, pk=unit_id)
    elif units:
        unit = next((u for u in units if u.kind == "province"), units[0])
    form = ReportForm.objects.filter(code=request.GET.get("bieu", "")).first()
    picker = read_period(request.GET)
    request.period_choice = picker
    return units, unit, form, picker.period


@login_required
def consolidated(request):
    include = request.GET.get("gom_da_gui") == "1"
    if request.GET.get("xuat") == "xlsx":
        units, unit, form, period = _consolidation_params(request)
        cons = (
            consolidation_get(user=request.user, unit=unit, period=period, form=form, include_submitted=include)
            if unit
            else None
        )
        if cons:
            from .excel import consolidation_xlsx

            data = consolidation_xlsx(cons)
            resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            resp["Content-Disposition"] = f'attachment; filename="tong-hop-{period.key}.xlsx"'
            return resp

    def compute():
        units, unit, form, period = _consolidation_params(request)
        cons = (
            consolidation_get(user=request.user, unit=unit, period=period, form=form, include_submitted=include)
            if unit
            else None
        )
        titles = {}
        for f in ReportForm.objects.prefetch_related("versions"):
            for v in f.versions.all():
                titles.update({s["code"]: s["title"] for s in v.narrative_sections})
        return {
            "units": units,
            "unit": unit,
            "form": form,
            "forms": list(ReportForm.objects.order_by("code")),
            "period": period,
            "pc": request.period_choice,
            "cons": cons,
            "include": include,
            "section_titles": titles,
        }

    # Dozens of statements: kept per user and query until a write or a role change (core.fragments).
    ctx = fragments.cached(request.user, "consolidation", tuple(sorted(request.GET.lists())), compute)
    ctx["qualifier_words"] = {k: f"{w} " for k, w in vn.QUALIFIERS.items()}
    return render(request, "reporting/consolidated.html", ctx)


@login_required
def completeness(request):
    units, unit, form, _period = _consolidation_params(request)
    show_all = request.GET.get("bieu") == "all"
    if not show_all:
        form = form or ReportForm.objects.filter(code="bc-xa-thang").first() or ReportForm.objects.first()
    try:
        year = int(request.GET.get("nam") or dt.date.today().year - 1)
    except ValueError:
        year = dt.date.today().year - 1
    # The window: the picker's (a quarter shows its months), else the year ``nam`` under the form's rule.
    version = form.current_version() if form and not show_all else None
    spec = version.spec if version else None
    form_rule = (spec.rule if spec.rule in (DECREE09, CALENDAR) else spec.base_rule or CALENDAR) if spec else DECREE09
    picker = read_period(
        request.GET, default=period_for(YEAR, min(max(year, 2000), 2100), rule=form_rule), default_rule=form_rule
    )
    if request.GET.get("loai_ky") or request.GET.get("ky"):
        year = picker.period.end.year if picker.period.kind == "cutoff" else picker.period.year
    comp = overview = None
    if unit and show_all:
        overview = completeness_overview(user=request.user, unit=unit, year=year)
    elif unit and form:
        comp = completeness_get(
            user=request.user, unit=unit, form=form, periods=window.form_periods_in(form, picker.period)
        )
    return render(
        request,
        "reporting/completeness.html",
        {
            "pc": picker,
            "units": units,
            "unit": unit,
            "form": None if show_all else form,
            "show_all": show_all,
            "forms": ReportForm.objects.order_by("code"),
            "year": year,
            "comp": comp,
            "overview": overview,
        },
    )


@login_required
def excel_download(request, pk: int):
    from .excel import submission_xlsx

    sub = selectors.submission_get(user=request.user, pk=pk)
    resp = HttpResponse(
        submission_xlsx(sub), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="bao-cao-{sub.pk}-{sub.period_key}.xlsx"'
    return resp


@login_required
@require_POST
def excel_upload(request, pk: int):
    from .excel import submission_import_xlsx

    sub = selectors.submission_get(user=request.user, pk=pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ApplicationError(_("Chọn tệp Excel để nhập."))
        if request.POST.get("background"):
            from .jobs import submit_submission_excel

            job = submit_submission_excel(user=request.user, submission=sub, uploaded=upload)
            return redirect("jobs:detail", pk=job.pk)
        data = upload.read(archives.upload_limit() + 1)
        submission_import_xlsx(user=request.user, submission=sub, data=data)
        messages.success(request, _("Đã nhập số liệu từ tệp Excel."))
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.field_errors.items())
        messages.error(request, f"{exc.message} {detail}".strip())
    return redirect("reporting:entry", pk=pk)


@login_required
@require_POST
def attachment_add(request, pk: int):
    sub = selectors.submission_get(user=request.user, pk=pk)
    try:
        upload = request.FILES.get("file")
        if upload is None:
            raise ApplicationError(_("Chọn một tệp để đính kèm."))
        att = services.attachment_add(
            user=request.user, submission=sub, file=upload, title=request.POST.get("title", "")
        )
        messages.success(request, _("Đã đính kèm “%s”.") % att.title)
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise
        messages.error(request, exc.message)
    return redirect(reverse("reporting:entry", args=[pk]) + "#dinh-kem")


@login_required
def attachment_download(request, pk: int):
    att = get_for_user_or_404(Attachment.objects.select_related("submission"), request.user, Action.VIEW, pk=pk)
    return uploads.serve_file(att.file)


@login_required
@require_POST
def attachment_delete(request, pk: int):
    att = get_for_user_or_404(Attachment, request.user, Action.CHANGE, pk=pk)
    sub_id = att.submission_id
    try:
        services.attachment_delete(user=request.user, attachment=att)
        messages.success(request, _("Đã xóa tệp đính kèm."))
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise
        messages.error(request, exc.message)
    return redirect(reverse("reporting:entry", args=[sub_id]) + "#dinh-kem")
