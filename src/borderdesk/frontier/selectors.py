"""Reads for a user: querysets already narrowed to the user's scope."""

from __future__ import annotations

from borderdesk.core.scoping import Action

from .models import (
    BorderSection,
    Incident,
    IncidentCategory,
    Marker,
    MarkerInspection,
    Patrol,
    PatrolRoad,
    SelfManagementRegistration,
)


def overview(*, user) -> dict[str, int]:
    """Row counts per registry slug (one query each, constant)."""
    return {
        "doan": BorderSection.objects.for_user(user, Action.VIEW).count(),
        "moc": Marker.objects.for_user(user, Action.VIEW).count(),
        "kiem-tra-moc": MarkerInspection.objects.for_user(user, Action.VIEW).count(),
        "duong": PatrolRoad.objects.for_user(user, Action.VIEW).count(),
        "tuan-tra": Patrol.objects.for_user(user, Action.VIEW).count(),
        "vu-viec": Incident.objects.for_user(user, Action.VIEW).filter(merged_into__isnull=True).count(),
        "tu-quan": SelfManagementRegistration.objects.for_user(user, Action.VIEW).count(),
        "loai-vu-viec": IncidentCategory.objects.for_user(user, Action.VIEW).count(),
    }
