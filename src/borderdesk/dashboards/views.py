"""Leaders' pages: province and national dashboards, the map and the gate statistics. Thin: selectors only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from borderdesk.accounts.choices import Role
from borderdesk.core import fragments
from borderdesk.core.collation import vi_order
from borderdesk.core.scoping import Action, get_for_user_or_404, scope_for
from borderdesk.org.models import AdministrativeUnit

from . import selectors


def home_url_for(user) -> str | None:
    """Where a leader lands: a provincial leader on the province dashboard, a central-level one (no unit, or
    the country) on the national dashboard. None for other roles (they keep the home page)."""
    if not getattr(user, "is_authenticated", False):
        return None
    assignments = user.active_assignments()
    leaders = [a for a in assignments if a.role == Role.VIEWER]
    if not leaders:
        return None
    if any(a.unit_id is None or a.unit.kind == "country" for a in leaders):
        return reverse("dashboards:national")
    unit = next((a.unit for a in leaders if a.unit_id), None)
    if unit is None:
        return None
    return reverse("dashboards:province") + f"?don_vi={unit.pk}"


def _vendor() -> dict:
    return dict(getattr(settings, "VENDOR_AVAILABLE", {}))


@login_required
def home(request):
    target = home_url_for(request.user)
    if target:
        return redirect(target)
    unit = selectors.national_unit(request.user)
    if unit is not None and unit.kind == "country":
        return redirect("dashboards:national")
    return redirect("dashboards:province")


def _province_for(user, unit_id):
    if unit_id and str(unit_id).isdigit():
        return get_for_user_or_404(AdministrativeUnit, user, Action.VIEW, pk=int(unit_id))
    scope = scope_for(user, Action.VIEW)
    for a in user.active_assignments():
        # The assignment's province when the user sees it, else the widest unit of the assignment it sees
        # (a commune reporter gets the commune's dashboard).
        best, u = None, a.unit
        while u is not None and u.kind != "country":
            if scope.contains_unit(u.pk):
                best = u
            u = u.parent
        if best is not None:
            return best
    return (
        AdministrativeUnit.objects.for_user(user, Action.VIEW)
        .filter(kind="province")
        .order_by(*vi_order("-is_border", "name"))
        .first()
    )


def _picker(request):
    """The shared period picker (month, quarter, 6/9 months, year, as of a date; Decree 09 or calendar)."""
    from borderdesk.core.period_picker import read_period

    pc = read_period(request.GET, default=selectors.default_period())
    return pc, pc.period, pc.error


def _common(request, unit, period, period_error, pc=None):
    today = timezone.localdate()
    n_tasks, tasks = selectors.overdue_tasks(user=request.user, unit=unit, today=today)
    n_incidents, incidents = selectors.incidents_awaiting(user=request.user, unit=unit)
    n_agreements, agreements = selectors.agreements_past_review(user=request.user, unit=unit, today=today)
    by_category = selectors.incidents_by_category(user=request.user, unit=unit, period=period)
    return {
        "unit": unit,
        "period": period,
        "period_key": period.key,
        "pc": pc,
        "period_error": period_error,
        "previous_period": period.same_period_last_year(),
        "today": today,
        "trends": selectors.monthly_trends(
            user=request.user, unit=unit, end=selectors.last_full_month_end(min(period.end, today))
        ),
        "category_chart": selectors.chart(
            [r["name"] for r in by_category],
            [(_("Vụ việc"), [r["n"] for r in by_category]), (_("Chưa xử lý xong"), [r["open"] for r in by_category])],
        ),
        "tasks": tasks,
        "n_tasks": n_tasks,
        "incidents": incidents,
        "n_incidents": n_incidents,
        "agreements": agreements,
        "n_agreements": n_agreements,
        "vendor": _vendor(),
    }


CHART_UNITS = 20


def _completeness_chart(rows):
    """The units that sent most first (at most 20); the others are summed in the last line."""
    rows = sorted(rows, key=lambda r: (-(r.pct or 0), -(r.timely_pct or 0), r.name))
    shown, rest = rows[:CHART_UNITS], rows[CHART_UNITS:]
    if rest:
        other = selectors.UnitCompleteness(_("%(n)s đơn vị khác") % {"n": len(rest)})
        for r in rest:
            other.expected += r.expected
            other.received += r.received
            other.on_time += r.on_time
        shown.append(other)
    return selectors.chart(
        [r.name for r in shown],
        [(_("Đã nhận (%)"), [r.pct for r in shown]), (_("Đúng hạn (%)"), [r.timely_pct for r in shown])],
    )


@login_required
def province(request):
    unit = _province_for(request.user, request.GET.get("don_vi"))
    pc, period, period_error = _picker(request)
    if unit is None:
        return render(
            request, "dashboards/province.html", {"unit": None, "period": period, "pc": pc, "vendor": _vendor()}
        )

    def compute():
        figures = selectors.key_figures(user=request.user, unit=unit, period=period)
        form, completeness = selectors.completeness_by_unit(user=request.user, unit=unit, period=period, kind="month")
        provinces = list(
            AdministrativeUnit.objects.for_user(request.user, Action.VIEW)
            .filter(kind="province")
            .order_by(*vi_order("-is_border", "name"))[:80]
        )
        ctx = _common(request, unit, period, period_error, pc)
        ctx.update(
            {
                "figures": list(figures.values()),
                "completeness_chart": _completeness_chart(completeness),
                "completeness_form": form,
                "provinces": provinces,
                "completeness_url": selectors.completeness_url(unit, period),
            }
        )
        return ctx

    # Dozens of statements: kept per user and query until a write or a role change (core.fragments).
    ctx = fragments.cached(request.user, "dashboard-province", (unit.pk, tuple(sorted(request.GET.lists()))), compute)
    ctx = {**ctx, "vendor": _vendor()}  # settings, not data: read on every request
    return render(request, "dashboards/province.html", ctx)


#: The national table's figure columns and the source each prefers (documents.sources' rule).
NATIONAL_CELLS = [
    ("crossings", "registry"),
    ("trade", "approved"),
    ("patrols", "registry"),
    ("incidents", "registry"),
    ("markers", "registry"),
]


@login_required
def national(request):
    unit = selectors.national_unit(request.user)
    pc, period, period_error = _picker(request)
    if unit is None:
        return render(
            request, "dashboards/national.html", {"unit": None, "period": period, "pc": pc, "vendor": _vendor()}
        )

    def compute():
        figures, groups = selectors.national_overview(user=request.user, unit=unit, period=period)
        form, completeness = selectors.completeness_by_unit(user=request.user, unit=unit, period=period, kind="year")
        ctx = _common(request, unit, period, period_error, pc)
        ctx.update(
            {
                "figures": list(figures.values()),
                "groups": groups,
                "cells": NATIONAL_CELLS,
                "completeness_chart": _completeness_chart(completeness),
                "completeness_form": form,
                "completeness_url": selectors.completeness_url(unit, period),
            }
        )
        return ctx

    ctx = fragments.cached(request.user, "dashboard-national", (unit.pk, tuple(sorted(request.GET.lists()))), compute)
    ctx = {**ctx, "vendor": _vendor()}  # settings, not data: read on every request
    return render(request, "dashboards/national.html", ctx)


@login_required
def map_page(request):
    from .map import map_context

    ctx = map_context(user=request.user, params=request.GET)
    ctx["vendor"] = _vendor()
    return render(request, "dashboards/map.html", ctx)


@login_required
def gates(request):
    from .gates import gates_context

    ctx = gates_context(request)
    ctx["vendor"] = _vendor()
    return render(request, "dashboards/gates.html", ctx)
