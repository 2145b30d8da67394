from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from borderdesk.core.errors import ApplicationError
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.core.views import parse_date_param

from . import selectors, services
from .choices import TaskStatus
from .models import Conference, Task


@login_required
def home(request):
    today = parse_date_param(request.GET.get("ngay"), timezone.localdate())
    due, overdue = selectors.reminders(user=request.user, today=today, within_days=14)
    page = Paginator(selectors.conferences_for_user(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "coordination/home.html", {"today": today, "due": due, "overdue": overdue,
                                                      "page": page})


@login_required
def conference_detail(request, pk: int):
    conf = get_for_user_or_404(Conference.objects.select_related("unit", "committee"), request.user, pk=pk)
    ctx = selectors.conference_detail(conference=conf)
    ctx.update({"conf": conf, "today": timezone.localdate()})
    return render(request, "coordination/conference_detail.html", ctx)


@login_required
def tasks(request):
    today = parse_date_param(request.GET.get("ngay"), timezone.localdate())
    status = request.GET.get("trang_thai", "")
    start = parse_date_param(request.GET.get("tu"))
    end = parse_date_param(request.GET.get("den"))
    qs = selectors.tasks_for_user(user=request.user, status=status, today=today, conference_start=start,
                                  conference_end=end)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    stats = selectors.task_statistics(user=request.user, start=start, end=end, today=today)
    rows = [(t, t.status_on(today), t.status_label_on(today)) for t in page]
    return render(request, "coordination/tasks.html", {"page": page, "rows": rows, "stats": stats, "today": today,
                                                       "statuses": TaskStatus.choices, "status": status,
                                                       "start": start, "end": end})


@login_required
def task_detail(request, pk: int):
    task = get_for_user_or_404(Task.objects.select_related("owner", "directive__conference"), request.user, pk=pk)
    if request.method == "POST":
        try:
            services.task_update_add(user=request.user, task=task, text=request.POST.get("text", ""),
                                     date=parse_date_param(request.POST.get("date"), timezone.localdate()),
                                     evidence=request.FILES.get("evidence"),
                                     evidence_note=request.POST.get("evidence_note", ""),
                                     marks_done=request.POST.get("marks_done") == "1")
            messages.success(request, "Đã ghi nhận tiến độ.")
            return redirect("coordination:task", pk=task.pk)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
    today = timezone.localdate()
    return render(request, "coordination/task_detail.html", {
        "task": task, "updates": task.updates.all(), "status": task.status_label_on(today),
        "can_change": request.user.can(Action.CHANGE)})


@login_required
def commendations(request):
    start = parse_date_param(request.GET.get("tu"))
    end = parse_date_param(request.GET.get("den"))
    qs = selectors.commendations_for_user(user=request.user, start=start, end=end)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    counts = selectors.commendation_counts(user=request.user, start=start, end=end)
    return render(request, "coordination/commendations.html", {"page": page, "counts": counts, "start": start,
                                                               "end": end})


@login_required
def agreements(request):
    return render(request, "coordination/agreements.html",
                  {"agreements": selectors.agreements_for_user(user=request.user)[:200], "year": dt.date.today().year})
