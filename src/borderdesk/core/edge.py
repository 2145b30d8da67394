"""The edge of the application: what every request passes before a view runs, and the error pages.

- ``ControlCharacterMiddleware`` refuses NUL and other control characters in the query string, in form
  fields and in JSON bodies with a 400 and a clear message (they break databases, exports and drafting).
- ``safe_next`` is the one way to follow a ``next=`` parameter (no open redirects).
- ``csrf_failure`` renders BorderDesk's own 403 page (Django's handlers render the templates 400/403/404/500.html)
  in the interface language instead of Django's debug page.
"""

from __future__ import annotations

import re

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

#: C0 controls except TAB, LF, CR; DEL; the C1 controls
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: the same characters written as JSON escapes (``\u0000``) — not preceded by another backslash
_JSON_ESCAPE_RE = re.compile(r"(?<!\\)\\u00(?:0[0-8bcefBCEF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])")


#: an API token (accounts.auth.TOKEN_RE) anywhere in an address: refused, so it ends up in no log or history
TOKEN_IN_URL_RE = re.compile(r"bd_[A-Za-z0-9_-]{20,}")


#: bodies up to this size (declared Content-Length) are checked for control characters
INSPECT_BODY_BYTES = 2 * 1024 * 1024


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_RE.search(text))


def strip_control_characters(text: str) -> str:
    """The text without control characters (TAB, LF and CR stay): for data stored before the edge refused them."""
    return CONTROL_RE.sub("", text)


def _refuse(request, where: str):
    message = _(
        "Dữ liệu gửi lên có ký tự điều khiển không hợp lệ (ví dụ ký tự NUL) ở %(where)s. Hãy xóa ký tự đó rồi gửi lại."
    ) % {"where": where}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": "invalid_characters", "message": message, "request_id": getattr(request, "request_id", "")},
            status=400,
        )
    return render(request, "400.html", {"message": message}, status=400)


def _token_in_url(request):
    message = _(
        "Không gửi mã truy cập (token) trong địa chỉ: địa chỉ được ghi vào nhật ký máy chủ và lịch sử "
        "trình duyệt. Hãy gửi trong tiêu đề “Authorization: Bearer …” và thu hồi mã này."
    )
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": "token_in_url", "message": message, "request_id": getattr(request, "request_id", "")}, status=400
        )
    return render(request, "400.html", {"message": message}, status=400)


class ControlCharacterMiddleware:
    """Refuse control characters in the query string, in form fields (not file contents) and in JSON; refuse an
    API token in the query string."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from urllib.parse import unquote_to_bytes

        raw_query = request.META.get("QUERY_STRING", "")
        if raw_query:
            decoded = unquote_to_bytes(raw_query.replace("+", " ")).decode("utf-8", "replace")
            if has_control_characters(decoded):
                return _refuse(request, _("địa chỉ (tham số truy vấn)"))
            if TOKEN_IN_URL_RE.search(decoded):
                return _token_in_url(request)
        if has_control_characters(request.path):
            return _refuse(request, _("địa chỉ"))
        declared = request.META.get("CONTENT_LENGTH") or ""
        declared = int(declared) if declared.isdigit() else 0
        # Bodies are looked at only when small (forms and JSON): a large upload is left to the view's own size
        # check, which must run before anything reads the body; Django's form fields refuse NUL there anyway.
        from django.conf import settings

        limit = min(INSPECT_BODY_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or INSPECT_BODY_BYTES)
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and 0 < declared <= limit:
            ctype = (request.content_type or "").lower()
            if ctype == "application/json" or ctype.endswith("+json"):
                try:
                    body = request.body.decode("utf-8", "replace")
                except Exception:  # noqa: BLE001 - RequestDataTooBig is answered later by Django itself
                    body = ""
                if has_control_characters(body) or _JSON_ESCAPE_RE.search(body):
                    return _refuse(request, _("nội dung JSON"))
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                try:
                    fields = request.POST
                except Exception:  # noqa: BLE001 - a malformed body is answered by the view as before
                    fields = {}
                for key in fields:
                    if has_control_characters(key) or any(has_control_characters(v) for v in fields.getlist(key)):
                        return _refuse(request, _("trường “%s”") % strip_control_characters(key)[:40])
        return self.get_response(request)


def safe_next(request, candidate: str | None, fallback: str) -> str:
    """``candidate`` when it is a local URL of this site, else ``fallback`` (no open redirect)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


# ---------------------------------------------------------------- error pages
def csrf_failure(request, reason: str = "", template_name: str = ""):
    """CSRF_FAILURE_VIEW: a styled page (JSON under /api/) instead of Django's debug page."""
    message = _(
        "Phiên làm việc đã hết hạn hoặc biểu mẫu đã cũ (thiếu mã bảo vệ CSRF). Hãy tải lại trang rồi "
        "gửi lại; nếu vẫn lỗi, hãy đăng nhập lại."
    )
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": "csrf", "message": message, "request_id": getattr(request, "request_id", "")}, status=403
        )
    return render(request, "403.html", {"message": message, "title": _("Không gửi được biểu mẫu")}, status=403)


def int_param(value, default: int, *, low: int = 1, high: int = 500) -> int:
    """A whole number from a query parameter, kept within ``low``…``high``; ``default`` when it is not one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))
