from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderdesk.core.errors import ApplicationError, NotFoundError
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.core.views import parse_date_param

from . import reminders, selectors, services
from .choices import TaskStatus
from .forms import ConferenceForm, DecisionForm, DirectiveForm, TaskForm
from .lists import COMMENDATIONS, CONFERENCES, TASKS, commendation_window, task_today, task_window
from .models import Conference, Directive, Task


@login_required
def home(request):
    today = parse_date_param(request.GET.get("ngay"), timezone.localdate())
    due, overdue = selectors.reminders(user=request.user, today=today, within_days=14)
    result = CONFERENCES.page(
        request,
        selectors.conferences_for_user(user=request.user),
        columns=[(s.label, s.key) for s in CONFERENCES.sorts],
    )
    return render(
        request,
        "coordination/home.html",
        {
            "headers": result.headers,
            "querystring": result.querystring,
            "list_error": result.error,
            "today": today,
            "due": due,
            "overdue": overdue,
            "email_configured": reminders.mail_configured(),
            "page": result.page,
            "can_create": request.user.can(Action.CHANGE),
        },
        status=400 if result.error else 200,
    )


def _can_change(user, conference: Conference | None = None) -> bool:
    if conference is None:
        return user.can(Action.CHANGE)
    return Conference.objects.for_user(user, Action.CHANGE).filter(pk=conference.pk).exists()


@login_required
def conference_detail(request, pk: int, directive_form=None, task_form=None, decision_form=None):
    conf = get_for_user_or_404(Conference.objects.select_related("unit", "committee"), request.user, pk=pk)
    ctx = selectors.conference_detail(conference=conf)
    can_change = _can_change(request.user, conf)
    ctx.update({"conf": conf, "today": timezone.localdate(), "can_change": can_change})
    if can_change:
        ctx["directive_form"] = directive_form or DirectiveForm()
        ctx["task_form"] = task_form or TaskForm(user=request.user)
        ctx["task_form_directive"] = task_form["directive"].value() if task_form is not None else None
        ctx["decision_form"] = decision_form or DecisionForm(conference=conf)
    return render(request, "coordination/conference_detail.html", ctx)


def _conference_fields(form: ConferenceForm, request) -> dict:
    data = dict(form.cleaned_data)
    data.pop("reason", None)
    data.pop("directives", None)
    if data.get("unit") is None:
        data.pop("unit", None)
    data["attachments"] = request.FILES.getlist("attachments")
    data["counterparts"] = list(data.pop("counterparts", None) or [])
    return data


@login_required
def conference_create(request):
    if not request.user.can(Action.CHANGE):
        raise NotFoundError(_("Bạn không có quyền ghi nhận hội nghị."))
    form = ConferenceForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = _conference_fields(form, request)
        agencies = list(fields.pop("participant_agencies", []) or [])
        directives = form.cleaned_data.get("directives", "").splitlines()
        try:
            conf = services.conference_create(
                user=request.user,
                participant_agencies=agencies,
                directives=directives,
                reason=form.cleaned_data.get("reason", ""),
                **fields,
            )
            messages.success(request, _("Đã ghi nhận hội nghị."))
            return redirect("coordination:conference", pk=conf.pk)
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            _form_errors(form, exc)
    return render(request, "coordination/conference_form.html", {"form": form, "conf": None})


@login_required
def conference_edit(request, pk: int):
    conf = get_for_user_or_404(
        Conference.objects.select_related("unit", "committee"), request.user, Action.CHANGE, pk=pk
    )
    form = ConferenceForm(request.POST or None, request.FILES or None, user=request.user, instance=conf, editing=True)
    version = request.POST.get("version") if request.method == "POST" else conf.version
    if request.method == "POST" and form.is_valid():
        fields = _conference_fields(form, request)
        fields.pop("unit", None)
        agencies = list(fields.pop("participant_agencies", []) or [])
        try:
            services.conference_update(
                user=request.user,
                conference=conf,
                expected_version=int(version) if str(version).isdigit() else None,
                reason=form.cleaned_data.get("reason", ""),
                participant_agencies=agencies,
                **fields,
            )
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("coordination:conference", pk=conf.pk)
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            _form_errors(form, exc)
            conf.refresh_from_db()
    return render(request, "coordination/conference_form.html", {"form": form, "conf": conf, "version": version})


def _form_errors(form, exc: ApplicationError) -> None:
    form.add_error(None, str(exc.message))
    for name, errs in (exc.field_errors or {}).items():
        if name in form.fields and not isinstance(errs, str):
            for e in errs:
                if " " in str(e):  # a message, not a code
                    form.add_error(name, str(e))


@login_required
@require_POST
def directive_add(request, pk: int):
    conf = get_for_user_or_404(Conference, request.user, Action.CHANGE, pk=pk)
    form = DirectiveForm(request.POST)
    if form.is_valid():
        try:
            services.directive_create(user=request.user, conference=conf, text=form.cleaned_data["text"])
            messages.success(request, _("Đã thêm ý kiến chỉ đạo."))
            return redirect("coordination:conference", pk=conf.pk)
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            messages.error(request, str(exc.message))
    return conference_detail(request, pk, directive_form=form)


@login_required
@require_POST
def task_add(request, pk: int):
    conf = get_for_user_or_404(Conference, request.user, Action.CHANGE, pk=pk)
    form = TaskForm(request.POST, user=request.user)
    if form.is_valid():
        directive = get_for_user_or_404(
            Directive.objects.filter(conference=conf), request.user, Action.CHANGE, pk=form.cleaned_data["directive"]
        )
        try:
            task = services.task_create(
                user=request.user,
                directive=directive,
                title=form.cleaned_data["title"],
                owner=form.cleaned_data["owner"],
                deadline=form.cleaned_data["deadline"],
                is_regular=form.cleaned_data["is_regular"],
                co_owners=form.cleaned_data["co_owners"],
            )
            messages.success(request, _("Đã giao nhiệm vụ: %s") % task.title)
            return redirect("coordination:conference", pk=conf.pk)
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            messages.error(request, str(exc.message))
    return conference_detail(request, pk, task_form=form)


@login_required
def tasks(request):
    result = TASKS.page(
        request,
        selectors.tasks_for_user(user=request.user),
        columns=[(label, key) for label, key in [*((s.label, s.key) for s in TASKS.sorts[:3]), (_("Trạng thái"), "")]],
    )
    values = result.query.values if result.query is not None else {}
    today = task_today(values)
    try:
        start, end = task_window(values)
    except ApplicationError:
        start = end = None
    stats = selectors.task_statistics(user=request.user, start=start, end=end, today=today)
    rows = [(t, t.status_on(today), t.status_label_on(today)) for t in result.rows]
    return render(
        request,
        "coordination/tasks.html",
        {
            "page": result.page,
            "rows": rows,
            "headers": result.headers,
            "querystring": result.querystring,
            "list_error": result.error,
            "stats": stats,
            "today": today,
            "statuses": TaskStatus.choices,
            "status": result.values["trang_thai"],
            "start": start,
            "end": end,
            "period_key": result.values["ky"],
        },
        status=400 if result.error else 200,
    )


@login_required
def task_detail(request, pk: int):
    task = get_for_user_or_404(Task.objects.select_related("owner", "directive__conference"), request.user, pk=pk)
    if request.method == "POST":
        try:
            services.task_update_add(
                user=request.user,
                task=task,
                text=request.POST.get("text", ""),
                date=parse_date_param(request.POST.get("date"), timezone.localdate()),
                evidence=request.FILES.get("evidence"),
                evidence_note=request.POST.get("evidence_note", ""),
                marks_done=request.POST.get("marks_done") == "1",
            )
            messages.success(request, "Đã ghi nhận tiến độ.")
            return redirect("coordination:task", pk=task.pk)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
    today = timezone.localdate()
    return render(
        request,
        "coordination/task_detail.html",
        {
            "task": task,
            "updates": task.updates.all(),
            "status": task.status_label_on(today),
            "can_change": request.user.can(Action.CHANGE),
        },
    )


@login_required
def commendations(request):
    result = COMMENDATIONS.page(
        request,
        selectors.commendations_for_user(user=request.user),
        columns=[(s.label, s.key) for s in COMMENDATIONS.sorts],
    )
    try:
        start, end = commendation_window(result.query.values if result.query is not None else {})
    except ApplicationError:
        start = end = None
    counts = selectors.commendation_counts(user=request.user, start=start, end=end)
    return render(
        request,
        "coordination/commendations.html",
        {
            "page": result.page,
            "headers": result.headers,
            "querystring": result.querystring,
            "list_error": result.error,
            "counts": counts,
            "start": start,
            "end": end,
            "perms_change": request.user.can(Action.CHANGE),
        },
        status=400 if result.error else 200,
    )
