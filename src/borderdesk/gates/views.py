"""Pages of the gates app. Registries (list/detail/edit/import/export) are declared in registries.py."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from borderdesk.core.errors import ApplicationError, NotFoundError
from borderdesk.core.periods import DECREE09, Period
from borderdesk.core.scoping import Action
from borderdesk.core.vn import format_number
from borderdesk.jobs import services as job_services

from . import selectors, services
from .forms import CrossingLogForm
from .jobs import CROSSING_LOG
from .models import BorderGate


@login_required
def home(request):
    """Gate statistics for a period: totals per gate, average and peak per day, a daily chart."""
    picker = selectors.period_from_key(None, user=request.user, params=request.GET)
    period, period_error = picker.period, picker.error
    gates = list(BorderGate.objects.for_user(request.user).only("id", "name"))
    try:
        gate_id = int(request.GET.get("cua_khau") or 0) or None
    except ValueError:
        gate_id = None
    if gate_id and gate_id not in {g.pk for g in gates}:
        gate_id = None
    rows = selectors.summary_by_gate(user=request.user, period=period, gate_id=gate_id)
    series = selectors.daily_series(user=request.user, period=period, gate_id=gate_id)
    figures = selectors.series_figures(series)
    totals = {k: sum(getattr(r, k) for r in rows) for k in
              ("persons_exit", "persons_entry", "cargo_export", "cargo_import", "cargo", "rail_cars", "tonnes",
               "export_usd", "import_usd", "trade_usd")}
    last = series[-1] if series else None
    previous = series[-2] if len(series) > 1 else None
    day_change = ""
    if last and previous and previous["date"] == last["date"] - dt.timedelta(days=1):
        diff = (last["cargo"] or 0) - (previous["cargo"] or 0)
        word = _("tăng") if diff > 0 else _("giảm") if diff < 0 else _("bằng")
        day_change = _("%(word)s %(n)s xe so với ngày %(d)s") % {
            "word": word, "n": format_number(abs(diff)), "d": previous["date"].strftime("%d/%m/%Y")}
    return render(request, "gates/home.html", {
        "period": period, "period_key": request.GET.get("ky") or period.key, "period_error": period_error,
        "pc": picker,
        "gates": gates, "gate_id": gate_id, "rows": rows, "totals": totals, "figures": figures,
        "chart": selectors.bar_chart(series), "last": last, "day_change": day_change,
        "presets": [(p.key, p) for p in _presets(period, picker.rule)],
        "can_change": request.user.can(Action.CHANGE),
        "has_demo": selectors.stats_for_user(user=request.user).filter(
            date__gte=period.start, date__lte=period.end, is_demo=True).exists(),
    })


def _presets(period: Period, rule: str = DECREE09) -> list[Period]:
    from borderdesk.core.periods import parse_period

    year = period.year
    return [parse_period(str(year - 1), rule), parse_period(str(year), rule),
            parse_period(f"{year}Q4", rule), parse_period(f"{year}M12", rule)]


def gate_context(gate, user) -> dict:
    """Extra context of the gate detail page: status history, recent statistics and their chart."""
    latest = selectors.stats_for_user(user=user).filter(gate=gate).order_by("-date").values_list(
        "date", flat=True).first()
    end = latest or dt.date.today()
    window = Period(key="", kind="custom", rule="custom", year=end.year, index=None,
                    start=end - dt.timedelta(days=89), end=end)
    series = selectors.daily_series(user=user, period=window, gate_id=gate.pk)
    recent = list(selectors.stats_for_user(user=user).filter(gate=gate).order_by("-date")[:31])
    return {"status_periods": list(gate.status_periods.all()), "status_today": gate.status_on(dt.date.today()),
            "recent": recent, "chart": selectors.bar_chart(series), "figures": selectors.series_figures(series),
            "window": window, "lanes": list(gate.lanes.all())}


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
                    user=request.user, kind_code=CROSSING_LOG, params={"file_name": upload.name[:255]},
                    title=_("Nhập nhật ký qua lại: %s") % upload.name[:200], input_path=job_services.store_input(upload))
                return redirect("jobs:detail", pk=job.pk)
        except ApplicationError as exc:
            error = exc.message
    elif request.GET.get("ket_qua"):
        record = selectors.log_import_for_user(user=request.user, pk=request.GET["ket_qua"])
    return render(request, "gates/log_import.html", {
        "form": form, "error": error, "record": record, "limit_mb": limit // 1048576,
        "imports": selectors.recent_log_imports(user=request.user)}, status=status)
