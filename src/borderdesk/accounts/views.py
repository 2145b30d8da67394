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


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a user name has too many wrong passwords: the login page with a clear message
    (HTTP 429); JSON for the API."""
    from django.conf import settings
    from django.http import JsonResponse

    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    message = _(
        "Đăng nhập sai quá nhiều lần. Tài khoản này tạm bị khóa đăng nhập trong %(m)s phút; hãy thử lại "
        "sau hoặc liên hệ quản trị hệ thống."
    ) % {"m": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "locked_out", "message": message}, status=429)
    from django.contrib.auth.forms import AuthenticationForm

    form = AuthenticationForm(request, data=request.POST or None)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_message": message, "next": request.POST.get("next", "")},
        status=429,
    )


#: the validity a new token may be given, in days (the longest is BORDERDESK_API_TOKEN_DAYS)
TOKEN_DAY_CHOICES = (30, 90, 180, 365)


def _day_choices():
    from django.conf import settings

    return [d for d in TOKEN_DAY_CHOICES if d <= settings.BORDERDESK_API_TOKEN_DAYS] or [
        settings.BORDERDESK_API_TOKEN_DAYS
    ]


def _expiry_from(raw):
    import datetime as dt

    from django.utils import timezone

    choices = _day_choices()
    days = int(raw) if str(raw or "").isdigit() and int(raw) in choices else choices[-1]
    return timezone.now() + dt.timedelta(days=days)


@login_required
def tokens(request):
    new_key = request.session.pop("new_token", None)
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": request.user.api_tokens.all(), "new_key": new_key, "day_choices": _day_choices()},
    )


@login_required
@require_POST
def token_create(request):
    _token, key = token_services.token_issue(
        user=request.user, name=request.POST.get("name") or "", expires_at=_expiry_from(request.POST.get("days"))
    )
    request.session["new_token"] = key
    messages.success(request, _("Đã tạo mã truy cập. Hãy sao chép ngay: mã chỉ hiển thị một lần."))
    return redirect("accounts:tokens")


@login_required
@require_POST
def token_revoke(request, pk: int):
    if token_services.token_revoke(user=request.user, pk=pk):
        messages.success(request, _("Đã thu hồi mã truy cập."))
    return redirect("accounts:tokens")
