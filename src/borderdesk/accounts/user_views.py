"""Account pages of the standing office and the administrator; the own-password page for everyone.

Thin: parse input, call one service or selector, render. Scope and escalation rules live in services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderdesk.core.collation import vi_order
from borderdesk.core.errors import ApplicationError
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.core.selectors import history_for_object
from borderdesk.org.models import AdministrativeUnit

from . import bulk, jobs, selectors, services
from .choices import Role
from .forms import BulkUploadForm, PasswordChangeForm, RoleForm, UserCreateForm, UserEditForm
from .lists import USERS

SHOWN_PASSWORDS = "accounts_shown_passwords"


def _show_once(request, rows: list[tuple[str, str]]) -> None:
    """Temporary passwords go to the next page only (never stored, never logged)."""
    request.session[SHOWN_PASSWORDS] = rows


@login_required
def users(request):
    services.require_manager(request.user)
    result = USERS.page(
        request,
        selectors.users_list(user=request.user),
        columns=[
            (_("Tên đăng nhập"), "username"),
            (_("Tên hiển thị"), "display_name"),
            (_("Vai trò và phạm vi"), ""),
            (_("Trạng thái"), "is_active"),
        ],
    )
    return render(
        request,
        "accounts/users.html",
        {
            "page": result.page,
            "headers": result.headers,
            "querystring": result.querystring,
            "list_error": result.error,
            "params": request.GET,
            "roles": Role.choices,
            "today": timezone.localdate(),
            "passwords": request.session.pop(SHOWN_PASSWORDS, None),
        },
        status=400 if result.error else 200,
    )


@login_required
def user_create(request):
    services.require_manager(request.user)
    form = UserCreateForm(
        request.POST or None, user=request.user, initial={"language": "vi", "valid_from": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            account, password = services.user_create(
                user=request.user,
                username=d["username"],
                display_name=d["display_name"],
                email=d["email"],
                language=d["language"],
                reason=d["reason"],
                **form.role_kwargs(),
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            _show_once(request, [(account.username, password)])
            messages.success(request, _("Đã tạo tài khoản %(u)s.") % {"u": account.username})
            return redirect("accounts:user", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request, pk: int):
    account = selectors.user_get(user=request.user, pk=pk)
    edit = UserEditForm(
        request.POST or None,
        initial={"display_name": account.display_name, "email": account.email, "language": account.language},
    )
    if request.method == "POST" and edit.is_valid():
        d = edit.cleaned_data
        try:
            services.user_update(
                user=request.user,
                account=account,
                display_name=d["display_name"],
                email=d["email"],
                language=d["language"],
                reason=d["reason"],
            )
        except ApplicationError as exc:
            edit.add_service_error(exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("accounts:user", pk=account.pk)
    return _detail(request, account, edit=edit)


def _detail(request, account, *, edit=None, role_form=None, status=200):
    today = timezone.localdate()
    assignments = list(account.role_assignments.select_related("unit", "agency").order_by("-valid_from", "pk"))
    for a in assignments:
        a.current = a.is_active_on(today)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "assignments": assignments,
            "today": today,
            "edit_form": edit
            or UserEditForm(
                initial={"display_name": account.display_name, "email": account.email, "language": account.language}
            ),
            "role_form": role_form or RoleForm(user=request.user, initial={"valid_from": today}),
            "passwords": request.session.pop(SHOWN_PASSWORDS, None),
            "changes": history_for_object(user=request.user, instance=account)[:20],
        },
        status=status,
    )


@login_required
@require_POST
def role_add(request, pk: int):
    account = selectors.user_get(user=request.user, pk=pk)
    form = RoleForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.role_assign(user=request.user, account=account, **form.role_kwargs())
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã thêm vai trò."))
            return redirect("accounts:user", pk=account.pk)
    return _detail(request, account, role_form=form, status=400)


@login_required
@require_POST
def role_end(request, pk: int):
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    try:
        services.role_end(user=request.user, assignment=assignment, reason=request.POST.get("reason", ""))
        messages.success(request, _("Đã kết thúc vai trò."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:user", pk=assignment.user_id)


@login_required
@require_POST
def user_active(request, pk: int):
    account = selectors.user_get(user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(
            user=request.user, account=account, active=active, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Đã mở khóa tài khoản.") if active else _("Đã khóa tài khoản."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:user", pk=account.pk)


@login_required
@require_POST
def password_reset(request, pk: int):
    account = selectors.user_get(user=request.user, pk=pk)
    try:
        password = services.password_reset(user=request.user, account=account, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        _show_once(request, [(account.username, password)])
        messages.success(request, _("Đã đặt lại mật khẩu. Người dùng phải đổi mật khẩu ở lần đăng nhập sau."))
    return redirect("accounts:user", pk=account.pk)


def _provinces(user):
    return (
        AdministrativeUnit.objects.for_user(user, Action.MANAGE)
        .valid_on(timezone.localdate())
        .filter(kind="province")
        .order_by(*vi_order("name"))
    )


@login_required
def bulk_page(request):
    services.require_manager(request.user)
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    errors, error = [], ""
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("background"):
                job = jobs.submit_bulk_create(user=request.user, uploaded=form.cleaned_data["file"])
                return redirect("jobs:detail", pk=job.pk)
            result = bulk.bulk_create(user=request.user, uploaded=form.cleaned_data["file"])
        except ApplicationError as exc:
            error, errors = exc.message, exc.extra.get("errors", [])
        else:
            _show_once(request, [(a.username, p) for a, p in result.created])
            messages.success(request, _("Đã tạo %(n)s tài khoản.") % {"n": len(result.created)})
            return redirect("accounts:users")
    return render(
        request,
        "accounts/bulk.html",
        {
            "form": form,
            "provinces": _provinces(request.user),
            "error": error,
            "errors": errors,
            "columns": [h for _k, h in bulk.COLUMNS],
        },
        status=400 if error else 200,
    )


@login_required
def bulk_template(request):
    province = get_for_user_or_404(
        _provinces(request.user), request.user, Action.MANAGE, pk=request.GET.get("don_vi") or 0
    )
    rows = bulk.template_rows(user=request.user, province=province)
    slug = bulk.ascii_slug(province.name.replace("Tỉnh ", ""))
    if request.GET.get("dinh_dang") == "csv":
        from borderdesk.core.registry.tabular import write_csv

        resp = HttpResponse(write_csv(rows), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="tai-khoan-{slug}.csv"'
        return resp
    resp = HttpResponse(
        bulk.template_xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="tai-khoan-{slug}.xlsx"'
    return resp


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            account = services.password_change(
                user=request.user,
                old_password=d["old_password"],
                new_password=d["new_password"],
                new_password2=d["new_password2"],
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            update_session_auth_hash(request, account)
            messages.success(request, _("Đã đổi mật khẩu."))
            return redirect(nxt or "core:home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "next": nxt, "forced": request.user.must_change_password},
    )
