"""The one change-log mechanism, written by services (never by views or signals)."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

from . import tables
from .bulk import insert_many
from .middleware import current_request_id
from .scoping import scope_ids

#: who an entry names when no account made the change (a command, a scheduled job)
SYSTEM = "system"


def _json_value(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, FieldFile):
        return value.name or None
    return str(value)


_AS_IS = frozenset({type(None), bool, int, str})  # exact types _json_value returns unchanged
_STORED = (DeferredAttribute, ForeignKeyDeferredAttribute)  # descriptors that read the instance's __dict__


@functools.lru_cache(maxsize=1024)
def _snapshot_fields(model: type[models.Model], exclude) -> tuple[tuple[str, bool], ...]:
    """(attname, read from __dict__ when there) of the fields a snapshot holds (imports take one per row)."""
    return tuple(
        (f.attname, type(model.__dict__.get(f.attname)) in _STORED)
        for f in model._meta.concrete_fields
        if f.name not in exclude
    )


def snapshot(instance: models.Model | None) -> dict | None:
    """Field values of an instance as JSON-able data (foreign keys by id)."""
    if instance is None:
        return None
    exclude = getattr(instance, "changelog_exclude", ())
    try:
        fields = _snapshot_fields(type(instance), exclude)
    except TypeError:  # exclusions that cannot be a cache key (a list, a set)
        fields = _snapshot_fields.__wrapped__(type(instance), exclude)
    attrs = instance.__dict__
    data = {}
    for attname, stored in fields:
        value = attrs[attname] if stored and attname in attrs else getattr(instance, attname)
        data[attname] = value if type(value) in _AS_IS else _json_value(value)
    return data


_BOOKKEEPING_FIELDS = {"version", "updated_at"}


def _has_changes(before: dict | None, after: dict | None) -> bool:
    """False when an update changed nothing but bookkeeping fields (no row is written then)."""
    if before is None or after is None:
        return True
    return any(before.get(k) != after.get(k) for k in (set(before) | set(after)) - _BOOKKEEPING_FIELDS)


def record_change(*, user, instance, action: str, before: dict | None, after: dict | None, reason: str = ""):
    """Write one change-log row. `action` is create, update, delete or a workflow verb."""
    from .models import ChangeLogEntry

    if action == "update" and not _has_changes(before, after):
        return None
    unit_id, agency_id = scope_ids(instance)
    tables.bump_written_table(type(instance)._meta.db_table)  # cached pages built on the old data are left
    return ChangeLogEntry.objects.create(
        user=user if getattr(user, "pk", None) else None,
        user_repr=(user.get_username() if getattr(user, "pk", None) else SYSTEM),
        request_id=current_request_id(),
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        unit_id=unit_id,
        agency_id=agency_id,
        before=before,
        after=after,
        reason=reason or "",
    )


def save_with_log(*, user, instance, reason: str = "", action: str | None = None):
    """full_clean, save and log an instance (create or update), in the caller's transaction."""
    is_new = instance._state.adding
    before = None
    if not is_new:
        old = type(instance)._default_manager.filter(pk=instance.pk).first()
        before = snapshot(old)
    instance.full_clean()
    instance.save()
    record_change(
        user=user,
        instance=instance,
        action=action or ("create" if is_new else "update"),
        before=before,
        after=snapshot(instance),
        reason=reason,
    )
    return instance


def delete_with_log(*, user, instance, reason: str = ""):
    before = snapshot(instance)
    record_change(user=user, instance=instance, action="delete", before=before, after=None, reason=reason)
    instance.delete()


@dataclass(frozen=True)
class BulkChange:
    """One row of a bulk write, described without loading a model instance."""

    object_id: str
    object_repr: str
    unit_id: int | None
    agency_id: int | None
    before: dict | None
    after: dict | None


def record_changes_bulk(*, user, model: type[models.Model], changes: list[BulkChange], reason: str = "") -> int:
    """Change-log rows for many objects at once (large imports); same rules as `record_change`."""
    from .models import ChangeLogEntry

    content_type = ContentType.objects.get_for_model(model)
    request_id = current_request_id()
    actor = user if getattr(user, "pk", None) else None
    actor_repr = user.get_username() if actor else SYSTEM
    entries = [
        {
            "user_id": actor.pk if actor else None,
            "user_repr": actor_repr,
            "request_id": request_id,
            "action": "create" if c.before is None else "update",
            "content_type_id": content_type.pk,
            "object_id": c.object_id,
            "object_repr": c.object_repr[:300],
            "unit_id": c.unit_id,
            "agency_id": c.agency_id,
            "before": c.before,
            "after": c.after,
            "reason": reason or "",
        }
        for c in changes
        if _has_changes(c.before, c.after)
    ]
    if entries:
        tables.bump_written_table(model._meta.db_table)
    return insert_many(ChangeLogEntry, entries)  # bulk_create without its per-value compiler cost
