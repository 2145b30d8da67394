"""Cache generations: a cheap, cross-process way to know a cached value is still current.

A cache entry's key includes the generation token of the data it was computed from
(``current("scope")``); changing that data calls ``bump("scope")`` in the same transaction, so every
process (gunicorn workers on several machines share the database, not their memory) stops using the old
entries as soon as the change commits, and a rolled-back change leaves the old entries valid.
"""

from __future__ import annotations

import uuid

from django.db import transaction


def current(name: str) -> str:
    from .models import CacheGeneration

    token = CacheGeneration.objects.filter(name=name).values_list("token", flat=True).first()
    return token or bump(name)


def bump(name: str) -> str:
    from .models import CacheGeneration

    token = uuid.uuid4().hex
    with transaction.atomic():
        if not CacheGeneration.objects.filter(name=name).update(token=token):
            CacheGeneration.objects.update_or_create(name=name, defaults={"token": token})
    return token
