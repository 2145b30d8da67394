"""Border line, markers, inspections, patrol roads, patrols, incidents and self-management.

Every event record stores the province and the most specific unit it happened in (a commune valid
on the event date, else the province) and, optionally, the agency (Border Guard station) in charge.
Scope follows `unit` and `agency`; derived figures match province, unit or agency.
"""

from borderdesk.core.places import validate_latitude, validate_longitude  # named by migrations 0001

from .incidents import Incident, IncidentCategory, IncidentUpdate, ReferenceQuerySet
from .line import (
    BorderSection,
    InspectionPhoto,
    Marker,
    MarkerInspection,
    Patrol,
    PatrolRoad,
    SelfManagementRegistration,
    lat_field,
    lon_field,
    marker_sort_key,
)

__all__ = [
    "BorderSection",
    "Incident",
    "IncidentCategory",
    "IncidentUpdate",
    "InspectionPhoto",
    "Marker",
    "MarkerInspection",
    "Patrol",
    "PatrolRoad",
    "ReferenceQuerySet",
    "SelfManagementRegistration",
    "lat_field",
    "lon_field",
    "marker_sort_key",
    "validate_latitude",
    "validate_longitude",
]
