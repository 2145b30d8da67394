"""Computed page parts cached across requests, never stale and never shared between users.

``cached(user, name, parts, compute)`` returns ``compute()``'s value, kept in the process cache under a key
made of: the part's name and parameters, the user (id, active, superuser), the user's scope generation, the
interface language, the day, and the data generations of the tables the part read when it was last computed
(core.generation: every write bumps its table's in the same transaction; the tables read are seen in the
SQL, core.tables, and kept under the key without the data generations). A write to a table the part read
therefore makes the next read compute afresh, in every process; a role change too; a write elsewhere leaves
it kept; and one user's value is never served to another.

For what costs many statements and little to keep (a dashboard's figures, a consolidation): the value is
pickled into the cache, so it holds plain data, model instances and lazy translations — no request.

``shared(name, parts, compute, reader=user)`` keeps a part *every* user gets alike once ``parts`` are equal: keyed
like ``cached`` but without the user and the scope, so ``parts`` must name everything the value depends on besides
the data it reads (a report's page body: the report's row, what the user may do with it). The caller checks that
the user may see it first; nothing of the user, the request or the scope may enter ``compute``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.middleware import csrf
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from . import generation, tables

T = TypeVar("T")
TIMEOUT = 600
WAIT_SECONDS = 5  # at most this long for another request computing the same shared part, then compute it too
#: the CSRF token in kept HTML — a part kept by :func:`shared` (rendered with ``csrf_token`` set to it;
#: :func:`with_csrf` puts the asking browser's own token in its place), a whole page kept by core.pagecache
CSRF_PLACEHOLDER = "@@borderdesk-csrf-token@@"


def with_csrf(request, html: str) -> SafeString:
    """``html`` (a kept part's markup) with the request's CSRF token where it was rendered as ``CSRF_PLACEHOLDER``."""
    if CSRF_PLACEHOLDER not in html:
        return mark_safe(html)  # markup a template rendered
    return mark_safe(html.replace(CSRF_PLACEHOLDER, csrf.get_token(request)))


def key_for(user, name: str, parts: tuple) -> tuple[str, dict[str, str]] | None:
    """The part's base key (every generation but the data ones) and the generations read, or None."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "pk", None):
        return None
    found = generation.tokens_for(user)
    scope = user.__dict__.get("_scope_generation") or found.get("scope", "")
    raw = repr(
        (
            user.pk,
            int(user.is_active),
            int(user.is_superuser),
            scope,
            translation.get_language(),
            timezone.localdate().isoformat(),
            parts,
        )
    )
    return f"bd-frag3:{name}:{hashlib.sha1(raw.encode()).hexdigest()}", found


def cached(user, name: str, parts: tuple, compute: Callable[[], T], timeout: int = TIMEOUT) -> T:
    """``compute()``, or its value kept for this user and the current generations (see the module)."""
    keyed = key_for(user, name, parts)
    if keyed is None:
        return compute()
    base, found = keyed
    return _kept(base, found, compute, timeout)


def shared(name: str, parts: tuple, compute: Callable[[], T], *, reader, timeout: int = TIMEOUT) -> T:
    """``compute()``, or its value kept for whoever asks with the same ``parts`` (language, day and the generations
    of the tables it read alike) — not per user: see the module. ``reader``: the request's user, whose generations
    are read once per request (not part of the key)."""
    if not getattr(reader, "is_authenticated", False):
        return compute()
    found = generation.tokens_for(reader)
    raw = repr((translation.get_language(), timezone.localdate().isoformat(), parts))
    return _kept(f"bd-shared1:{name}:{hashlib.sha1(raw.encode()).hexdigest()}", found, compute, timeout, wait=True)


def _lookup(base: str, found: dict[str, str]):
    deps = cache.get(base)  # the generations the last computation depended on (the tables it read)
    return None if deps is None else cache.get(generation.data_key(base, deps, found))


def wait_for_computing(marker: str, look: Callable[[], T | None], seconds: float = WAIT_SECONDS) -> T | None:
    """What another request is computing, having added the cache key ``marker``: ``look()`` polled until it finds
    the value, or None once the marker is gone (that request kept nothing, or failed) or after ``seconds`` — the
    caller then computes it too. Whole pages (core.pagecache) and shared parts wait this way."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.01)
        value = look()
        if value is not None or cache.get(marker) is None:
            return value
    return None


def _wait_for(base: str, found: dict[str, str]):
    """The value another request is computing under ``base``, or None when it kept none for these generations (or
    took too long)."""
    return wait_for_computing(base + ":computing", lambda: _lookup(base, found))


def rows(*instances) -> tuple:
    """The stored state of model instances already read (their class, key and every column), for a part's ``parts``:
    a part built from these rows is kept only while they are unchanged (None for an absent relation)."""
    return tuple(
        None if obj is None else (obj._meta.label, tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields))
        for obj in instances
    )


def _kept(base: str, found: dict[str, str], compute: Callable[[], T], timeout: int, wait: bool = False) -> T:
    """``wait``: a request finding the part being computed by another (on the same generations) waits for its value
    (several users asking for a shared part right after a write compute it once)."""
    kept = _lookup(base, found)
    computing = None
    if kept is None and wait:  # marked per part, not per generation: its parameters may be new since a write
        if cache.add(base + ":computing", 1, WAIT_SECONDS):
            computing = base + ":computing"
        else:
            kept = _wait_for(base, found)
    if kept is not None:
        value, read = kept
        tables.note(read)  # a page kept whole (core.pagecache) depends on what this part read
        return value
    try:
        with tables.capture() as reads:
            value = compute()
        deps = tables.dependencies(reads.tables)
        if deps is None:  # it read something that is not a model's table: kept under every table's generation
            deps = frozenset({tables.EVERY})
        cache.set(generation.data_key(base, deps, found), (value, frozenset(reads.tables)), timeout)
        cache.set(base, deps, timeout)
    finally:
        if computing:  # after the value is kept: a request waiting for it takes it
            cache.delete(computing)
    return value
