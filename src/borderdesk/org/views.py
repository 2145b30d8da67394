from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from borderdesk.core.collation import vi_order
from borderdesk.core.errors import ApplicationError, NotFoundError
from borderdesk.core.scoping import Action, get_for_user_or_404, object_in_scope
from borderdesk.core.selectors import history_for_object
from borderdesk.core.views import parse_date_param

from . import selectors, services
from .forms import (
    AgencyCloseForm,
    AgencyEditForm,
    AgencyRenameForm,
    CounterpartForm,
    MembershipAddForm,
    MembershipEndForm,
)
from .models import AdministrativeUnit, Agency, Committee, Counterpart, Membership


def _as_of(request) -> dt.date:
    return parse_date_param(request.GET.get("ngay"), timezone.localdate())


@login_required
def tree(request):
    as_of = _as_of(request)
    border_only = request.GET.get("bien_gioi") == "1"
    roots = selectors.unit_tree(user=request.user, as_of=as_of, border_only=border_only)
    return render(
        request,
        "org/tree.html",
        {
            "roots": roots,
            "as_of": as_of,
            "border_only": border_only,
            "presets": [dt.date(2021, 6, 24), dt.date(2025, 6, 30), dt.date(2026, 1, 1)],
        },
    )


@login_required
def unit_detail(request, pk: int):
    unit = get_for_user_or_404(AdministrativeUnit.objects.select_related("parent"), request.user, pk=pk)
    as_of = _as_of(request)
    history = selectors.unit_history(unit=unit, user=request.user)
    children = AdministrativeUnit.objects.for_user(request.user).filter(parent=unit).order_by(*vi_order("name"))
    agencies = selectors.agencies_for_user(user=request.user).filter(unit=unit)
    committees = selectors.committees_for_user(user=request.user).filter(unit=unit)
    changes = history_for_object(user=request.user, instance=unit)[:20] if request.user.can(Action.AUDIT) else []
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "parent_linked": bool(
                unit.parent_id and selectors.viewable_unit_ids(user=request.user, unit_ids=[unit.parent_id])
            ),
            "history": history,
            "children": children,
            "agencies": agencies,
            "as_of": as_of,
            "committees": committees,
            "changes": changes,
        },
    )


@login_required
def agencies(request):
    as_of = parse_date_param(request.GET.get("ngay"))
    qs = selectors.agencies_for_user(user=request.user, as_of=as_of)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(name__vsearch=q)
    agencies = list(qs)
    linked = selectors.viewable_unit_ids(user=request.user, unit_ids=[a.unit_id for a in agencies])
    return render(request, "org/agencies.html", {"agencies": agencies, "as_of": as_of, "q": q, "linked_units": linked})


@login_required
def committees(request):
    return render(request, "org/committees.html", {"committees": selectors.committees_for_user(user=request.user)})


def _committee_context(request, committee: Committee, *, add_form=None) -> dict:
    as_of = _as_of(request)
    all_members = selectors.committee_members(committee=committee)
    members = [m for m in all_members if m.is_valid_on(as_of)]
    can_manage = object_in_scope(committee, request.user, Action.MANAGE)
    if can_manage and add_form is None:
        add_form = MembershipAddForm(user=request.user, committee=committee)
    return {
        "committee": committee,
        "as_of": as_of,
        "members": members,
        "all_members": all_members,
        "name_on_date": committee.name_on(as_of),
        "names": committee.names.all(),
        "can_manage": can_manage,
        "add_form": add_form if can_manage else None,
        "today": timezone.localdate(),
    }


def _committee(request, pk: int, action: str = Action.VIEW) -> Committee:
    qs = Committee.objects.select_related("unit", "standing_office").prefetch_related("names")
    return get_for_user_or_404(qs, request.user, action, pk=pk)


@login_required
def committee_detail(request, pk: int):
    committee = _committee(request, pk)
    return render(request, "org/committee_detail.html", _committee_context(request, committee))


@login_required
@require_http_methods(["GET", "POST"])
def membership_add(request, pk: int):
    """Add a member (an existing person or a new one); errors are shown on the committee page's form."""
    committee = _committee(request, pk, Action.MANAGE)
    url = reverse("org:committee", args=[committee.pk])
    if request.method == "GET":
        return redirect(url + "#them-thanh-vien")
    form = MembershipAddForm(request.POST, user=request.user, committee=committee)
    if form.is_valid():
        try:
            m = services.membership_add(user=request.user, committee=committee, **form.service_kwargs())
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã thêm %(p)s — %(r)s.") % {"p": m.person, "r": m.get_role_display()})
            return redirect(url)
    return render(
        request, "org/committee_detail.html", _committee_context(request, committee, add_form=form), status=400
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request, pk: int):
    """End a member's seat (the last day and the reason go to the change log)."""
    membership = get_for_user_or_404(
        Membership.objects.select_related("person", "committee", "agency"), request.user, Action.MANAGE, pk=pk
    )
    status = 200
    if request.method == "POST":
        form = MembershipEndForm(request.POST)
        if form.is_valid():
            try:
                services.membership_end(
                    user=request.user,
                    membership=membership,
                    end_date=form.cleaned_data["valid_to"],
                    reason=form.cleaned_data["reason"],
                    expected_version=form.expected_version,
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
                membership.refresh_from_db()
            else:
                messages.success(
                    request,
                    _("Đã kết thúc nhiệm vụ của %(p)s (%(r)s).")
                    % {"p": membership.person, "r": membership.get_role_display()},
                )
                return redirect("org:committee", membership.committee_id)
        status = 400
    else:
        form = MembershipEndForm(
            initial={"version": membership.version, "valid_to": membership.valid_to or timezone.localdate()}
        )
    return render(request, "org/membership_end.html", {"membership": membership, "form": form}, status=status)


# ---------------------------------------------------------------- agencies


def _agency_context(request, agency: Agency, **forms) -> dict:
    user = request.user
    can_manage = object_in_scope(agency, user, Action.MANAGE)
    ctx = {
        "agency": agency,
        "names": list(agency.names.all()),
        "can_manage": can_manage,
        "unit_linked": bool(selectors.viewable_unit_ids(user=user, unit_ids=[agency.unit_id])),
        # the agencies around it are linked when the reader may open them, else named
        "linked_agencies": set(
            selectors.agencies_for_user(user=user)
            .filter(pk__in=[pk for pk in (agency.parent_id, agency.successor_id) if pk])
            .values_list("pk", flat=True)
        ),
        "predecessors": list(selectors.agencies_for_user(user=user).filter(successor=agency)),
        "children": list(selectors.agencies_for_user(user=user).filter(parent=agency)),
        "changes": list(history_for_object(user=user, instance=agency)[:20]) if user.can(Action.AUDIT) else [],
    }
    if can_manage:
        version = {"version": agency.version}
        ctx["rename_form"] = forms.get("rename_form") or AgencyRenameForm(initial=version | {"new_name": agency.name})
        ctx["edit_form"] = forms.get("edit_form") or AgencyEditForm(
            user=user,
            agency=agency,
            initial=version
            | {
                "short_name": agency.short_name,
                "kind": agency.kind_id,
                "unit": agency.unit_id,
                "parent": agency.parent_id,
            },
        )
        ctx["close_form"] = forms.get("close_form") or AgencyCloseForm(
            user=user, agency=agency, initial=version | {"valid_to": agency.valid_to, "successor": agency.successor_id}
        )
    return ctx


def _agency(request, pk: int, action: str = Action.VIEW) -> Agency:
    qs = Agency.objects.select_related("kind", "unit", "parent", "successor")
    return get_for_user_or_404(qs, request.user, action, pk=pk)


@login_required
def agency_detail(request, pk: int):
    agency = _agency(request, pk)
    return render(request, "org/agency_detail.html", _agency_context(request, agency))


def _agency_write(request, pk: int, form_name: str, build_form, call, done_message):
    agency = _agency(request, pk, Action.MANAGE)
    url = reverse("org:agency", args=[agency.pk])
    if request.method == "GET":
        return redirect(url)
    form = build_form(agency)
    if form.is_valid():
        try:
            call(agency, form)
        except ApplicationError as exc:
            form.add_service_error(exc)
            agency = _agency(request, pk)
        else:
            messages.success(request, done_message)
            return redirect(url)
    return render(request, "org/agency_detail.html", _agency_context(request, agency, **{form_name: form}), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def agency_rename(request, pk: int):
    def call(agency, form):
        d = form.cleaned_data
        services.agency_rename(
            user=request.user,
            agency=agency,
            new_name=d["new_name"],
            effective_date=d["effective_date"],
            expected_version=form.expected_version,
            reason=d["reason"].strip(),
        )

    return _agency_write(
        request, pk, "rename_form", lambda a: AgencyRenameForm(request.POST), call, _("Đã đổi tên cơ quan.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request, pk: int):
    def call(agency, form):
        services.agency_update(
            user=request.user,
            agency=agency,
            expected_version=form.expected_version,
            reason=form.cleaned_data["reason"].strip(),
            **form.service_kwargs(),
        )

    return _agency_write(
        request,
        pk,
        "edit_form",
        lambda a: AgencyEditForm(request.POST, user=request.user, agency=a),
        call,
        _("Đã lưu thông tin cơ quan."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_close(request, pk: int):
    def call(agency, form):
        d = form.cleaned_data
        services.agency_close(
            user=request.user,
            agency=agency,
            closed_on=d["valid_to"],
            successor=d["successor"],
            expected_version=form.expected_version,
            reason=d["reason"].strip(),
        )

    return _agency_write(
        request,
        pk,
        "close_form",
        lambda a: AgencyCloseForm(request.POST, user=request.user, agency=a),
        call,
        _("Đã ghi nhận cơ quan kết thúc hoạt động."),
    )


# ---------------------------------------------------------------- counterparts


@login_required
def counterparts(request):
    qs = (
        Counterpart.objects.for_user(request.user)
        .select_related("unit")
        .order_by(*vi_order("unit__name", "country", "name"))
    )
    return render(request, "org/counterparts.html", {"counterparts": qs, "can_manage": request.user.can(Action.MANAGE)})


@login_required
@require_http_methods(["GET", "POST"])
def counterpart_form(request, pk: int | None = None):
    user = request.user
    counterpart = None
    if pk is not None:
        counterpart = get_for_user_or_404(Counterpart.objects.select_related("unit"), user, Action.MANAGE, pk=pk)
    elif not user.can(Action.MANAGE):
        raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))
    status = 200
    if request.method == "POST":
        form = CounterpartForm(request.POST, user=user)
        if form.is_valid():
            reason = form.cleaned_data["reason"].strip()
            try:
                if counterpart is None:
                    services.counterpart_create(user=user, reason=reason, **form.service_kwargs())
                else:
                    services.counterpart_update(
                        user=user,
                        counterpart=counterpart,
                        reason=reason,
                        expected_version=form.expected_version,
                        **form.service_kwargs(),
                    )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Đã lưu đối tác."))
                return redirect("org:counterparts")
        status = 400
    elif counterpart is not None:
        form = CounterpartForm(
            user=user,
            initial={
                "version": counterpart.version,
                "unit": counterpart.unit_id,
                "country": counterpart.country,
                "name": counterpart.name,
                "notes": counterpart.notes,
            },
        )
    else:
        form = CounterpartForm(user=user)
    return render(request, "org/counterpart_form.html", {"form": form, "counterpart": counterpart}, status=status)
