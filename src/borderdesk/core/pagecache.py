"""Whole pages kept across requests for a signed-in user until the data they show changes.

:class:`PageCacheMiddleware` (after the session, CSRF, authentication and messages middleware) answers a
GET from the process cache when the same user (same account fields, same scope generation) asked for the
same address, in the same language, on the same day, and no table the page read has been written since.
What a page read is seen in its SQL (``core.tables.capture``): the page is kept under the data generations
of exactly those tables (``core.generation``), which every write bumps in the same transaction
(``core.tables.install_write_hook`` watches every INSERT/UPDATE/DELETE), so a write shows on the next
request in every process, and a write elsewhere (a patrol saved; a draft's figure, for a consolidation that
counts only submitted and approved reports: ``core.tables.open_edit``) leaves the page kept.

Never kept: another method than GET, an API call with a token (``Authorization``), anything but a 200
HTML or JSON answer, an answer that sets a cookie or is an attachment, a page that wrote, touched the
session, showed or added a message, or read a table that is not a model's. A request with messages
waiting is always rendered afresh. The CSRF tokens in a kept page are replaced by a placeholder and, when
it is served, by a token of the requesting browser's own secret — one user's page, token or messages are
never served to another (the key starts with the user's id and a hash of the account's fields).

``BORDERDESK_PAGE_CACHE`` (on by default; off under the tests, which turn it on where they test it).
Answers carry ``X-BorderDesk-Page-Cache: hit`` or ``miss`` (``skip`` when it could not be kept).
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware import csrf
from django.utils import timezone, translation

from . import fragments, generation, tables

HEADER = "X-BorderDesk-Page-Cache"
TIMEOUT = 600
WAIT_SECONDS = 5  # at most this long for another request computing the same page, then compute it too
PLACEHOLDER = fragments.CSRF_PLACEHOLDER.encode()  # one placeholder for kept pages and kept parts
_KEPT_TYPES = ("text/html", "application/json")
_TOKEN_RE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_USER_FIELDS_LEFT_OUT = frozenset({"password", "last_login"})


def enabled() -> bool:
    return getattr(settings, "BORDERDESK_PAGE_CACHE", True)


def _account(user) -> str:
    """The account's fields (name, language, flags...): a page showing them is computed again when one changes."""
    values = [
        (f.attname, getattr(user, f.attname))
        for f in user._meta.concrete_fields
        if f.attname not in _USER_FIELDS_LEFT_OUT
    ]
    return repr(values)


def base_key(request, user, found: dict[str, str]) -> str:
    raw = repr(
        (
            _account(user),
            found.get("scope", ""),
            translation.get_language(),
            timezone.localdate().isoformat(),
            request.get_host(),
            request.is_secure(),
            request.get_full_path(),
            request.headers.get("Accept", ""),
            request.headers.get("HX-Request", ""),
            request.headers.get("X-Requested-With", ""),
        )
    )
    return f"bd-page:{user.pk}:{hashlib.sha1(raw.encode()).hexdigest()}"


def _pending_messages(request) -> int:
    storage = getattr(request, "_messages", None)
    return len(storage) if storage is not None else 0


def _keepable(request, response, reads, session_touched: bool) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith(_KEPT_TYPES) or response.has_header("Content-Disposition"):
        return False
    if "no-store" in response.get("Cache-Control", "") or session_touched or reads.wrote:
        return False
    return not _pending_messages(request)


def _with_placeholder(request, content: bytes) -> tuple[bytes, bool]:
    """The page with every CSRF token of the request's secret replaced by the placeholder."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return content, False

    def swap(match: re.Match) -> bytes:
        token = match.group(0)
        unmasked = csrf._unmask_cipher_token(token.decode())  # type: ignore[attr-defined]
        return PLACEHOLDER if unmasked == secret else token

    replaced = _TOKEN_RE.sub(swap, content)
    return replaced, replaced != content


def _wait_for(key: str):
    """The page another request is computing under ``key``, or None when it kept none (or took too long)."""
    return fragments.wait_for_computing(key + ":computing", lambda: cache.get(key), WAIT_SECONDS)


def never_kept(view):
    """A view the page cache leaves alone without even looking (no generations read)."""
    view.page_cache_exempt = True
    return view


class PageCacheMiddleware:
    """See the module. A request finding its page being computed by another waits for it (no stampede)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.method != "GET"
            or not enabled()
            or user is None
            or not user.is_authenticated
            or "HTTP_AUTHORIZATION" in request.META
            or _pending_messages(request)
        ):
            return self.get_response(request)
        state: dict = {}
        request._borderdesk_page_cache = state  # filled by process_view once the view is known
        session = request.session
        accessed, session.accessed = session.accessed, False
        try:
            with tables.capture() as reads:
                response = self.get_response(request)
        finally:
            if state.get("computing"):
                cache.delete(state["computing"])
        session_touched = session.accessed or session.modified
        session.accessed = accessed or session.accessed
        if state.get("hit") or "base" not in state:
            return response
        deps = tables.dependencies(reads.tables)
        if deps is None or not _keepable(request, response, reads, session_touched):
            response[HEADER] = "skip"
            return response
        content, uses_csrf = _with_placeholder(request, response.content)
        headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
        cache.set(generation.data_key(state["base"], deps, state["found"]), (content, headers, uses_csrf), TIMEOUT)
        cache.set(state["base"], deps, TIMEOUT)
        response[HEADER] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = getattr(request, "_borderdesk_page_cache", None)
        if state is None or getattr(view_func, "page_cache_exempt", False):
            return None
        found = dict(generation.tokens_for(request.user))  # read before the page: it shows data at least this new
        base = base_key(request, request.user, found)
        state.update(base=base, found=found)
        deps = cache.get(base)
        if deps is None:
            return None
        key = generation.data_key(base, deps, found)
        entry = cache.get(key)
        if entry is None:
            if cache.add(key + ":computing", 1, WAIT_SECONDS):
                state["computing"] = key + ":computing"
                return None
            entry = _wait_for(key)  # the same page on the same data is being computed: take its result
            if entry is None:
                return None
        state["hit"] = True
        return self._serve(request, entry)

    def _serve(self, request, entry) -> HttpResponse:
        content, headers, uses_csrf = entry
        if uses_csrf:
            content = content.replace(PLACEHOLDER, csrf.get_token(request).encode())
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response[HEADER] = "hit"
        return response
