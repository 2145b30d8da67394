"""Pages of the gates app. Registries (list/detail/edit/import/export) are declared in registries.py."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from borderdesk.core import archives
from borderdesk.core.errors import ApplicationError, NotFoundError
from borderdesk.core.periods import Period
from borderdesk.core.scoping import Action
from borderdesk.core.texts import Text
from borderdesk.jobs import services as job_services

from . import selectors, services
from .forms import CrossingLogForm
from .jobs import CROSSING_LOG


@login_required
def home(request):
    """The gate statistics page moved to the dashboards (/tong-quan/cua-khau/); the old address redirects."""
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("dashboards:gates") + (f"?{query}" if query else ""))


def gate_context(gate, user) -> dict:
    """Extra context of the gate detail page: status history, recent statistics and their chart."""
    latest = (
        selectors.stats_for_user(user=user).filter(gate=gate).order_by("-date").values_list("date", flat=True).first()
    )
    end = latest or dt.date.today()
    window = Period(
        key="", kind="custom", rule="custom", year=end.year, index=None, start=end - dt.timedelta(days=89), end=end
    )
    series = selectors.daily_series(user=user, period=window, gate_id=gate.pk)
    recent = list(selectors.stats_for_user(user=user).filter(gate=gate).order_by("-date")[:31])
    return {
        "status_periods": list(gate.status_periods.all()),
        "status_today": gate.status_on(dt.date.today()),
        "recent": recent,
        "chart": selectors.bar_chart(series),
        "figures": selectors.series_figures(series),
        "window": window,
        "lanes": list(gate.lanes.all()),
    }


@login_required
def log_import(request):
    """Upload a crossing log: aggregated into daily statistics, all or nothing, errors per row."""
    if not request.user.can(Action.CHANGE):
        raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))
    limit = services.max_log_bytes()
    form = CrossingLogForm()
    status = 200
    error = None
    record = None
    if request.method == "POST":
        status = 400
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        try:
            if declared - 64 * 1024 > limit:  # refuse before Django reads (and spools) the body
                services.crossing_log_import(user=request.user, stream=None, file_name="", size=declared)
            form = CrossingLogForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                if upload.size > limit:
                    services.crossing_log_import(user=request.user, stream=None, file_name="", size=upload.size)
                job = job_services.submit(
                    user=request.user,
                    kind_code=CROSSING_LOG,
                    params={"file_name": upload.name[:255]},
                    title=Text(gettext_noop("Nhập nhật ký qua lại: %(file)s"), {"file": upload.name[:200]}),
                    input_path=job_services.store_input(upload),
                )
                return redirect("jobs:detail", pk=job.pk)
        except ApplicationError as exc:
            error = exc.message
    elif request.GET.get("ket_qua"):
        record = selectors.log_import_for_user(user=request.user, pk=request.GET["ket_qua"])
    return render(
        request,
        "gates/log_import.html",
        {
            "form": form,
            "error": error,
            "record": record,
            "limit_mb": archives.megabytes(limit),
            "imports": selectors.recent_log_imports(user=request.user),
        },
        status=status,
    )
