"""Reads of the change log, narrowed to what the user may audit."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from .models import ChangeLogEntry
from .scoping import Action


def changelog_for_user(
    *,
    user,
    username: str = "",
    model: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    object_id: str = "",
    request_id: str = "",
    action: str = "",
):
    qs = ChangeLogEntry.objects.for_user(user, Action.AUDIT).select_related("content_type")
    if username:
        qs = qs.filter(user_repr__icontains=username)
    if model:
        app_label, _, model_name = model.partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model_name)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if request_id:
        qs = qs.filter(request_id=request_id)
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(time__date__gte=date_from)
    if date_to:
        qs = qs.filter(time__date__lte=date_to)
    return qs


def changelog_models():
    # One probe per content type through the (content_type, object_id) index, not a DISTINCT over every entry
    # (Meta.ordering would put `time` into the DISTINCT and return every row).
    used = ChangeLogEntry.objects.filter(content_type=OuterRef("pk"))
    return sorted(ContentType.objects.filter(Exists(used)), key=lambda ct: (ct.app_label, ct.model))


def history_for_object(*, user, instance):
    ct = ContentType.objects.get_for_model(type(instance))
    return ChangeLogEntry.objects.for_user(user, Action.AUDIT).filter(content_type=ct, object_id=str(instance.pk))
