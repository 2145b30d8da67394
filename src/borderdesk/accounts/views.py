from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import token_services


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from django.conf import settings

        ctx = super().get_context_data(**kwargs)
        ctx["demo_logins"] = getattr(settings, "BORDERDESK_SHOW_DEMO_LOGINS", False)
        return ctx


@login_required
def tokens(request):
    new_key = request.session.pop("new_token", None)
    return render(request, "accounts/tokens.html", {"tokens": request.user.api_tokens.all(), "new_key": new_key})


@login_required
@require_POST
def token_create(request):
    _token, key = token_services.token_issue(user=request.user, name=request.POST.get("name") or "")
    request.session["new_token"] = key
    messages.success(request, _("Đã tạo mã truy cập. Hãy sao chép ngay: mã chỉ hiển thị một lần."))
    return redirect("accounts:tokens")


@login_required
@require_POST
def token_revoke(request, pk: int):
    if token_services.token_revoke(user=request.user, pk=pk):
        messages.success(request, _("Đã thu hồi mã truy cập."))
    return redirect("accounts:tokens")
