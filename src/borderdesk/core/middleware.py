"""Request id (every change made during one request shares it in the change log) and the interface language."""

from __future__ import annotations

import contextvars
import re
import uuid

from django.conf import settings
from django.utils import translation

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("borderdesk_request_id", default="")


def current_request_id() -> str:
    rid = _request_id.get()
    if not rid:
        rid = "cli-" + uuid.uuid4().hex[:12]
        _request_id.set(rid)
    return rid


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


#: what a client's X-Request-ID may contain to be kept (as a prefix) for correlation
CLIENT_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,39}$")


def request_id_for(incoming: str | None) -> str:
    """The request id: always one this server made (unique, so a client cannot join its changes to another
    request's entries in the change log), prefixed by the client's X-Request-ID when that is short and plain."""
    own = uuid.uuid4().hex
    incoming = (incoming or "").strip()
    if CLIENT_REQUEST_ID_RE.match(incoming):
        return f"{incoming}-{own[:16]}"
    return own


class RequestIdMiddleware:
    """Gives every request an id (``request.request_id``, the X-Request-ID response header, the change log)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id_for(request.headers.get("X-Request-ID", ""))
        request.request_id = rid
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class ApplicationErrorMiddleware:
    """Pages: NotFoundError renders the 404 page (missing and forbidden look the same);
    other ApplicationErrors render a 400 page with the message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .errors import ApplicationError, NotFoundError

        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFoundError):
            return render(request, "404.html", {"message": exception.message}, status=404)
        if isinstance(exception, ApplicationError):
            return render(request, "400.html", {"message": exception.message}, status=exception.status_code)
        from django.db import DataError
        from django.utils.translation import gettext as _

        if isinstance(exception, OverflowError | DataError):
            return render(
                request,
                "400.html",
                {"message": _("Có giá trị nằm ngoài phạm vi cho phép (số quá lớn hoặc quá dài).")},
                status=400,
            )
        return None


class VietnameseFirstMiddleware:
    """The interface is Vietnamese unless the user chose English (the language switch sets a cookie).

    A browser's Accept-Language is ignored: offices often run English-language browsers, and their staff
    expect the official Vietnamese interface. Placed before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user's saved language follows them to any browser.

    After AuthenticationMiddleware: without a language cookie, the user's ``language`` (set when they use
    the header's switch) is activated and written to the cookie. The switch itself (``set_language``) is
    wrapped by :func:`borderdesk.core.views.set_language` to save the choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        saved = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        apply = (
            bool(saved) and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and saved in dict(settings.LANGUAGES)
        )
        if apply:
            translation.activate(saved)
            request.LANGUAGE_CODE = saved
        response = self.get_response(request)
        if apply and settings.LANGUAGE_COOKIE_NAME not in response.cookies:  # the switch sets its own
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                saved,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
