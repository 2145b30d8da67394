"""The one change-log mechanism, written by services (never by views or signals)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .middleware import current_request_id


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
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or None
    return str(value)


def snapshot(instance: models.Model | None) -> dict | None:
    """Field values of an instance as JSON-able data (foreign keys by id)."""
    if instance is None:
        return None
    data = {}
    for f in instance._meta.concrete_fields:
        if f.name in getattr(instance, "changelog_exclude", ()):
            continue
        data[f.attname] = _json_value(getattr(instance, f.attname))
    return data


def _follow(instance, path: str | None) -> int | None:
    """Follow a scope path ("unit", "agency__unit", "" for the object itself) to an id."""
    if path is None:
        return None
    if path == "":
        return instance.pk
    *hops, last = path.split("__")
    obj = instance
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    if hasattr(obj, last + "_id"):
        return getattr(obj, last + "_id")
    target = getattr(obj, last, None)
    return getattr(target, "pk", None)


def _scope_ids(instance) -> tuple[int | None, int | None]:
    return (_follow(instance, getattr(instance, "scope_unit_field", None)),
            _follow(instance, getattr(instance, "scope_agency_field", None)))


def record_change(*, user, instance, action: str, before: dict | None, after: dict | None, reason: str = ""):
    """Write one change-log row. `action` is create, update, delete or a workflow verb."""
    from .models import ChangeLogEntry

    if action == "update" and before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        changed.discard("version")
        changed.discard("updated_at")
        if not changed:
            return None
    unit_id, agency_id = _scope_ids(instance)
    return ChangeLogEntry.objects.create(
        user=user if getattr(user, "pk", None) else None,
        user_repr=(user.get_username() if getattr(user, "pk", None) else "system"),
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
    record_change(user=user, instance=instance, action=action or ("create" if is_new else "update"),
                  before=before, after=snapshot(instance), reason=reason)
    return instance


def delete_with_log(*, user, instance, reason: str = ""):
    before = snapshot(instance)
    record_change(user=user, instance=instance, action="delete", before=before, after=None, reason=reason)
    instance.delete()
