"""A user holding a temporary password (new account, reset) must change it before doing anything else."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

API_PASSWORD_PATH = "/api/accounts/me/password"


class PasswordChangeRequiredMiddleware:
    """After AuthenticationMiddleware: pages redirect to “Đổi mật khẩu”, the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            change = reverse("accounts:password_change")
            allowed = (change, reverse("accounts:logout"), reverse("accounts:login"), API_PASSWORD_PATH)
            path = request.path
            if not (path in allowed or path.startswith(("/static/", "/i18n/", "/jsi18n/"))):
                if path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "error": "password_change_required",
                            "message": _("Bạn phải đổi mật khẩu tạm trước khi tiếp tục (POST %(p)s).")
                            % {"p": API_PASSWORD_PATH},
                        },
                        status=403,
                    )
                return redirect(f"{change}?next={request.get_full_path()}")
        return self.get_response(request)
