from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.core.selectors import history_for_object
from borderdesk.core.views import parse_date_param

from . import selectors
from .models import AdministrativeUnit, Committee


def _as_of(request) -> dt.date:
    return parse_date_param(request.GET.get("ngay"), timezone.localdate())


@login_required
def tree(request):
    as_of = _as_of(request)
    border_only = request.GET.get("bien_gioi") == "1"
    roots = selectors.unit_tree(user=request.user, as_of=as_of, border_only=border_only)
    return render(request, "org/tree.html", {"roots": roots, "as_of": as_of, "border_only": border_only,
                                             "presets": [dt.date(2021, 6, 24), dt.date(2025, 6, 30),
                                                         dt.date(2026, 1, 1)]})


@login_required
def unit_detail(request, pk: int):
    unit = get_for_user_or_404(AdministrativeUnit.objects.select_related("parent"), request.user, pk=pk)
    as_of = _as_of(request)
    history = selectors.unit_history(unit=unit)
    children = AdministrativeUnit.objects.for_user(request.user).filter(parent=unit).order_by("name")
    agencies = selectors.agencies_for_user(user=request.user).filter(unit=unit)
    committees = selectors.committees_for_user(user=request.user).filter(unit=unit)
    changes = history_for_object(user=request.user, instance=unit)[:20] if request.user.can(Action.AUDIT) else []
    return render(request, "org/unit_detail.html", {
        "unit": unit, "history": history, "children": children, "agencies": agencies, "as_of": as_of,
        "committees": committees, "changes": changes,
    })


@login_required
def agencies(request):
    as_of = parse_date_param(request.GET.get("ngay"))
    qs = selectors.agencies_for_user(user=request.user, as_of=as_of)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    return render(request, "org/agencies.html", {"agencies": qs, "as_of": as_of, "q": q})


@login_required
def committees(request):
    return render(request, "org/committees.html", {"committees": selectors.committees_for_user(user=request.user)})


@login_required
def committee_detail(request, pk: int):
    committee = get_for_user_or_404(Committee.objects.select_related("unit", "standing_office"), request.user, pk=pk)
    as_of = _as_of(request)
    members = selectors.committee_members(committee=committee, as_of=as_of)
    all_members = selectors.committee_members(committee=committee)
    return render(request, "org/committee_detail.html", {
        "committee": committee, "as_of": as_of, "members": members, "all_members": all_members,
        "name_on_date": committee.name_on(as_of), "names": committee.names.all(),
        "can_manage": request.user.can(Action.MANAGE),
    })
