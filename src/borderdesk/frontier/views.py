"""Frontier pages: registry declarations (registries.py) plus the incident workflow and the map."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderdesk.core.errors import ApplicationError
from borderdesk.core.scoping import Action, get_for_user_or_404

from . import selectors, services
from .choices import IncidentStatus
from .forms import IncidentMergeForm, IncidentStepForm, InspectionPhotoForm
from .models import Incident, InspectionPhoto, MarkerInspection
from .registries import ALL, REFERENCE, incidents, inspections


@login_required
def home(request):
    counts = selectors.overview(user=request.user)
    links = [(r.title, reverse(r.url_name("list")), counts.get(r.slug)) for r in [*ALL, *REFERENCE]]
    return render(request, "frontier/home.html", {"links": links, "map_url": reverse("dashboards:map")})


@login_required
@require_POST
def incident_step(request, pk: int, to: str):
    incident = get_for_user_or_404(Incident, request.user, Action.CHANGE, pk=pk)
    form = IncidentStepForm(request.POST)
    form.is_valid()
    data = form.cleaned_data if form.is_valid() else {}
    try:
        services.incident_transition(
            incident=incident,
            user=request.user,
            to=to,
            note=data.get("note", ""),
            handling_mode=data.get("handling_mode", ""),
            resolution_level=data.get("resolution_level", ""),
            expected_version=request.POST.get("_version") or None,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, IncidentStatus(to).label)
    return redirect(reverse(incidents.url_name("detail"), args=[pk]))


@login_required
@require_POST
def incident_merge(request, pk: int):
    keep = get_for_user_or_404(Incident, request.user, Action.CHANGE, pk=pk)
    form = IncidentMergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(m for errs in form.errors.values() for m in errs))
        return redirect(reverse(incidents.url_name("detail"), args=[pk]))
    try:
        duplicate = get_for_user_or_404(Incident, request.user, Action.CHANGE, pk=form.cleaned_data["duplicate"])
        services.incident_merge(keep=keep, duplicate=duplicate, user=request.user, note=form.cleaned_data["note"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gộp vụ #%(d)s vào vụ #%(k)s.") % {"d": duplicate.pk, "k": keep.pk})
    return redirect(reverse(incidents.url_name("detail"), args=[pk]))


@login_required
@require_POST
def inspection_photo(request, pk: int):
    inspection = get_for_user_or_404(MarkerInspection, request.user, Action.CHANGE, pk=pk)
    form = InspectionPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.inspection_add_photo(
                inspection=inspection,
                user=request.user,
                file=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã tải ảnh lên."))
    else:
        messages.error(request, "; ".join(m for errs in form.errors.values() for m in errs))
    return redirect(reverse(inspections.url_name("detail"), args=[pk]))


@login_required
def inspection_photo_file(request, pk: int):
    """An inspection photo, served through the application to users whose scope covers the inspection."""
    from borderdesk.core.uploads import serve_file

    photo = get_for_user_or_404(InspectionPhoto.objects.select_related("inspection"), request.user, Action.VIEW, pk=pk)
    return serve_file(photo.file, as_attachment=False)


@login_required
def map_page(request):
    """The map moved to the dashboards (/tong-quan/ban-do/); the old address redirects with its filters."""
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("dashboards:map") + (f"?{query}" if query else ""))
