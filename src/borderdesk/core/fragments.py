"""Computed page parts cached across requests, never stale and never shared between users.

``cached(user, name, parts, compute)`` returns ``compute()``'s value, kept in the process cache under a key
made of: the part's name and parameters, the user (id, active, superuser), the user's scope generation, the
data generations of every application (core.generation: every logged write bumps its application's in
the same transaction), the interface language and the day. A write therefore makes the next read compute
afresh, in every process; a role change too; and one user's value is never served to another.

For what costs many statements and little to keep (a dashboard's figures, a consolidation): the value is
pickled into the cache, so it holds plain data, model instances and lazy translations — no request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone, translation

from . import generation, tables

T = TypeVar("T")
TIMEOUT = 600


def key_for(user, name: str, parts: tuple) -> str | None:
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
            generation.data_tokens(found),
            translation.get_language(),
            timezone.localdate().isoformat(),
            parts,
        )
    )
    return f"bd-frag2:{name}:{hashlib.sha1(raw.encode()).hexdigest()}"


def cached(user, name: str, parts: tuple, compute: Callable[[], T], timeout: int = TIMEOUT) -> T:
    """``compute()``, or its value kept for this user and the current generations (see the module)."""
    key = key_for(user, name, parts)
    if key is None:
        return compute()
    kept = cache.get(key)
    if kept is not None:
        value, read = kept
        tables.note(read)  # a page kept whole (core.pagecache) depends on what this part read
        return value
    with tables.capture() as reads:
        value = compute()
    cache.set(key, (value, frozenset(reads.tables)), timeout)
    return value
