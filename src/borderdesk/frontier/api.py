"""REST API of the frontier app: the registries (same filters, forms and services as the pages) and the
incident workflow."""

import datetime as dt

from ninja import Router, Schema

from borderdesk.core.registry.api import add_registry_routes, registry_schema
from borderdesk.core.scoping import Action, get_for_user_or_404

from . import services
from .models import Incident
from .registries import categories, incidents, inspections, markers, patrols, roads, sections, self_management

router = Router(tags=["frontier"])

SectionOut = registry_schema(sections, name="BorderSectionOut")
MarkerOut = registry_schema(markers, name="MarkerOut", extra=["state", "state_on", "province", "unit", "sort_key"])
InspectionOut = registry_schema(inspections, name="MarkerInspectionOut", extra=["province", "unit"])
RoadOut = registry_schema(roads, name="PatrolRoadOut", extra=["province", "unit"])
PatrolOut = registry_schema(patrols, name="PatrolOut", extra=["province", "unit"])
IncidentOut = registry_schema(
    incidents,
    name="IncidentOut",
    extra=[
        "status",
        "handling_mode",
        "resolution_level",
        "resolved_at",
        "closed_at",
        "merged_into",
        "province",
        "unit",
    ],
)
SelfManagementOut = registry_schema(self_management, name="SelfManagementOut", extra=["province", "unit"])

add_registry_routes(router, sections, path="sections", out_schema=SectionOut)
add_registry_routes(router, markers, path="markers", out_schema=MarkerOut)
add_registry_routes(router, inspections, path="inspections", out_schema=InspectionOut)
add_registry_routes(router, roads, path="roads", out_schema=RoadOut)
add_registry_routes(router, patrols, path="patrols", out_schema=PatrolOut)
add_registry_routes(router, incidents, path="incidents", out_schema=IncidentOut)
add_registry_routes(router, self_management, path="self-management", out_schema=SelfManagementOut)

# National reference data: read by everyone, written by administrators only (403/404 for others; 409 on
# deleting a category incidents still use).
CategoryOut = registry_schema(categories, name="IncidentCategoryOut")
add_registry_routes(router, categories, path="incident-categories", out_schema=CategoryOut)


class TransitionIn(Schema):
    to: str
    note: str = ""
    handling_mode: str = ""
    resolution_level: str = ""
    version: int | None = None


class MergeIn(Schema):
    duplicate: int
    note: str = ""


class UpdateOut(Schema):
    at: dt.datetime
    status: str
    note: str
    user: str | None = None

    @staticmethod
    def resolve_user(obj):
        return obj.user.get_username() if obj.user_id else None


@router.post("/incidents/{int:pk}/transition", response=IncidentOut)
def incident_transition(request, pk: int, payload: TransitionIn):
    """Move an incident along reported → verified → handling → resolved → closed."""
    incident = get_for_user_or_404(Incident, request.user, Action.CHANGE, pk=pk)
    return services.incident_transition(
        incident=incident,
        user=request.user,
        to=payload.to,
        note=payload.note,
        handling_mode=payload.handling_mode,
        resolution_level=payload.resolution_level,
        expected_version=payload.version,
    )


@router.post("/incidents/{int:pk}/merge", response=IncidentOut)
def incident_merge(request, pk: int, payload: MergeIn):
    """Merge the duplicate report `duplicate` into this incident (it is then never counted)."""
    keep = get_for_user_or_404(Incident, request.user, Action.CHANGE, pk=pk)
    duplicate = get_for_user_or_404(Incident, request.user, Action.CHANGE, pk=payload.duplicate)
    return services.incident_merge(keep=keep, duplicate=duplicate, user=request.user, note=payload.note)


@router.get("/incidents/{int:pk}/timeline", response=list[UpdateOut])
def incident_timeline(request, pk: int):
    incident = get_for_user_or_404(Incident, request.user, Action.VIEW, pk=pk)
    return list(incident.updates.select_related("user").order_by("at", "id"))
