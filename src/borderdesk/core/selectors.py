"""Reads of the change log, narrowed to what the user may audit."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from .models import ChangeLogEntry
from .scoping import Action


def changelog_for_user(*, user):
    """The change log the user may audit (its filters: ``core.changelog_list.CHANGELOG``)."""
    return ChangeLogEntry.objects.for_user(user, Action.AUDIT).select_related("content_type")


def changelog_models():
    # One probe per content type through the (content_type, object_id) index, not a DISTINCT over every entry
    # (Meta.ordering would put `time` into the DISTINCT and return every row).
    used = ChangeLogEntry.objects.filter(content_type=OuterRef("pk"))
    return sorted(ContentType.objects.filter(Exists(used)), key=lambda ct: (ct.app_label, ct.model))


def history_for_object(*, user, instance):
    ct = ContentType.objects.get_for_model(type(instance))
    return ChangeLogEntry.objects.for_user(user, Action.AUDIT).filter(content_type=ct, object_id=str(instance.pk))
