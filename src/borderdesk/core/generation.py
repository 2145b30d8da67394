"""Cache generations: a cheap, cross-process way to know a cached value is still current.

A cache entry's key includes the generation token of the data it was computed from
(``current("scope")``); changing that data calls ``bump("scope")`` in the same transaction, so every
process (gunicorn workers on several machines share the database, not their memory) stops using the old
entries as soon as the change commits, and a rolled-back change leaves the old entries valid.

The data the pages show has one generation per application (``data:reporting``, ``data:frontier``...):
every logged change (core.changelog, the one write path of the services) bumps its application's, once
per transaction (:func:`bump_data`). One name per application keeps writers of different applications
from waiting for each other on the generation's row; a cached page fragment is keyed by all of them
(:func:`data_tokens`), so a change anywhere makes the next read recompute it.
"""

from __future__ import annotations

import uuid

from django.db import transaction

DATA_PREFIX = "data:"
_bumps = 0  # bumps made by this process: a token read earlier in a request is re-read after one


def bump_count() -> int:
    return _bumps


def current(name: str) -> str:
    from .models import CacheGeneration

    token = CacheGeneration.objects.filter(name=name).values_list("token", flat=True).first()
    return token or bump(name)


def bump(name: str) -> str:
    from .models import CacheGeneration

    global _bumps
    _bumps += 1
    token = uuid.uuid4().hex
    with transaction.atomic():
        if not CacheGeneration.objects.filter(name=name).update(token=token):
            CacheGeneration.objects.update_or_create(name=name, defaults={"token": token})
    return token


class _Bumped:
    """An on-commit hook that does nothing: its presence in the transaction's hooks says the generation was
    already bumped in this transaction (Django drops the hooks on commit and on rollback, and those of a
    savepoint rolled back with it — the bump too is undone then, and the next write bumps again). ``reads``:
    the connection's token reads at the bump; a token read since (a page computed inside the same
    transaction, as in a test) makes the next write bump again."""

    def __init__(self, name: str, reads: int):
        self.name, self.reads = name, reads

    def __call__(self) -> None:
        return None


def _reads(conn) -> int:
    return conn.__dict__.get("_borderdesk_token_reads", 0)


def bump_data(app_label: str) -> None:
    """Bump the data generation of one application, once per transaction (every write calls this)."""
    name = DATA_PREFIX + app_label
    conn = transaction.get_connection()
    if conn.in_atomic_block:
        marks = [hook[1] for hook in conn.run_on_commit if isinstance(hook[1], _Bumped) and hook[1].name == name]
        if marks and marks[-1].reads == _reads(conn):
            return
        bump(name)
        transaction.on_commit(_Bumped(name, _reads(conn)))
        return
    bump(name)


def tokens() -> dict[str, str]:
    """Every generation's token in one statement: ``scope`` and the ``data:`` ones."""
    from .models import CacheGeneration

    conn = transaction.get_connection()
    conn.__dict__["_borderdesk_token_reads"] = _reads(conn) + 1
    return dict(CacheGeneration.objects.values_list("name", "token"))


def data_tokens(found: dict[str, str]) -> str:
    """The data generations of :func:`tokens` as one key part."""
    return ".".join(f"{k[len(DATA_PREFIX) :]}={v}" for k, v in sorted(found.items()) if k.startswith(DATA_PREFIX))


def tokens_for(holder) -> dict[str, str]:
    """:func:`tokens`, read once per request: kept on ``holder`` (the request's user object) and read again
    after this process bumps a generation (a write earlier in the same request)."""
    memo = holder.__dict__.get("_generation_tokens")
    count = bump_count()
    if memo is None or memo[0] != count:
        memo = (count, tokens())
        holder.__dict__["_generation_tokens"] = memo
    return memo[1]
