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
    deps = cache.get(base)  # the generations the last computation depended on (the tables it read)
    if deps is not None:
        kept = cache.get(generation.data_key(base, deps, found))
        if kept is not None:
            value, read = kept
            tables.note(read)  # a page kept whole (core.pagecache) depends on what this part read
            return value
    with tables.capture() as reads:
        value = compute()
    deps = tables.dependencies(reads.tables)
    if deps is None:  # it read something that is not a model's table: kept under every table's generation
        deps = frozenset({tables.EVERY})
    cache.set(generation.data_key(base, deps, found), (value, frozenset(reads.tables)), timeout)
    cache.set(base, deps, timeout)
    return value
