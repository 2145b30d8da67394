"""API authentication: bearer tokens (scripts, gate systems) and the browser session."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from borderdesk.core.errors import ApplicationError

from .models import ApiToken

TOKEN_RE = re.compile(r"^bd_[A-Za-z0-9_-]{20,80}$")


class AuthenticationFailed(ApplicationError):
    status_code = 401
    code = "unauthenticated"


class CsrfFailed(ApplicationError):
    status_code = 403
    code = "csrf"


class TooManyAttempts(ApplicationError):
    status_code = 429
    code = "too_many_attempts"


#: window of the bearer-token failure count (seconds)
TOKEN_FAILURE_WINDOW = 15 * 60


def _failure_key(request) -> str:
    return "bd-token-failures:" + (request.META.get("REMOTE_ADDR") or "-")


def _count_failure(request) -> None:
    key = _failure_key(request)
    if not cache.add(key, 1, TOKEN_FAILURE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, TOKEN_FAILURE_WINDOW)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer bd_…``. Wrong, revoked or expired tokens are counted per client address; past
    ``BORDERDESK_TOKEN_FAILURES`` in 15 minutes that address gets 429 until the window ends."""

    def authenticate(self, request, token: str):
        limit = getattr(settings, "BORDERDESK_TOKEN_FAILURES", 20)
        if (cache.get(_failure_key(request)) or 0) >= limit:
            raise TooManyAttempts(_("Quá nhiều lần dùng mã truy cập sai. Hãy đợi 15 phút rồi thử lại với mã đúng."))
        token = (token or "").strip()
        if not TOKEN_RE.match(token):
            _count_failure(request)
            raise AuthenticationFailed(
                _("Mã truy cập (token) không đúng định dạng. Dạng đúng: “Authorization: Bearer bd_…”.")
            )
        row = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(token)).first()
        if row is None or not row.user.is_active:
            _count_failure(request)
            raise AuthenticationFailed(_("Mã truy cập không tồn tại hoặc đã bị thu hồi."))
        if row.expires_at and row.expires_at < timezone.now():
            _count_failure(request)
            raise AuthenticationFailed(_("Mã truy cập đã hết hạn."))
        if row.user.must_change_password:  # a reset password: the account is on hold until changed
            raise AuthenticationFailed(_("Tài khoản phải đổi mật khẩu tạm trước khi dùng mã truy cập."))
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session. Writes (POST, PUT, PATCH, DELETE) need the CSRF token (the
    ``X-CSRFToken`` header or the ``csrfmiddlewaretoken`` field) and a same-site ``Origin``/``Referer``,
    exactly as pages do; bearer tokens (``TokenAuth``, tried first) are CSRF-free."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not getattr(request, "_ninja_csrf_exempt", False):
            if check_csrf(request) is not None:
                raise CsrfFailed(
                    _(
                        "Thiếu hoặc sai mã bảo vệ CSRF. Trình duyệt gửi dữ liệu phải kèm tiêu đề "
                        "X-CSRFToken (lấy từ cookie csrftoken); chương trình hãy dùng "
                        "“Authorization: Bearer <token>”."
                    )
                )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None
