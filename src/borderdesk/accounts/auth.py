"""API authentication: bearer tokens (scripts, gate systems) and the browser session."""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer

from borderdesk.core.errors import ApplicationError

from .models import ApiToken

TOKEN_RE = re.compile(r"^bd_[A-Za-z0-9_-]{20,80}$")


class AuthenticationFailed(ApplicationError):
    status_code = 401
    code = "unauthenticated"


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        token = (token or "").strip()
        if not TOKEN_RE.match(token):
            raise AuthenticationFailed(_("Mã truy cập (token) không đúng định dạng. Dạng đúng: "
                                         "“Authorization: Bearer bd_…”."))
        row = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(token)).first()
        if row is None or not row.user.is_active:
            raise AuthenticationFailed(_("Mã truy cập không tồn tại hoặc đã bị thu hồi."))
        if row.expires_at and row.expires_at < timezone.now():
            raise AuthenticationFailed(_("Mã truy cập đã hết hạn."))
        if row.user.must_change_password:  # a reset password: the account is on hold until changed
            raise AuthenticationFailed(_("Tài khoản phải đổi mật khẩu tạm trước khi dùng mã truy cập."))
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session (CSRF-protected for writes)."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None
