"""Computing a user's scope from role assignments (the input to core.scoping)."""

from __future__ import annotations

from django.db.models import Q

from borderdesk.core.scoping import EVERYTHING, NO_SCOPE, Scope
from borderdesk.org.models import AdministrativeUnit, Agency, UnitSuccession

from .choices import ROLE_ACTIONS, Role

#: unit levels whose roles also cover the agencies located in their territory
AGENCY_LEVELS = ("country", "province")


def _with_predecessors_units(unit_ids: set[int]) -> set[int]:
    """A unit inherits the records of the units merged into it (transitively)."""
    result, frontier = set(unit_ids), set(unit_ids)
    while frontier:
        preds = set(UnitSuccession.objects.filter(successor_id__in=frontier).values_list("predecessor_id", flat=True))
        frontier = preds - result
        result |= frontier
    return result


def _agency_closure(agency_ids: set[int]) -> set[int]:
    """Agencies, their sub-agencies and their predecessors."""
    result, frontier = set(agency_ids), set(agency_ids)
    while frontier:
        nxt = set(
            Agency.objects.filter(Q(parent_id__in=frontier) | Q(successor_id__in=frontier)).values_list("pk", flat=True)
        )
        frontier = nxt - result
        result |= frontier
    return result


def compute_scope(user, action: str) -> Scope:
    if not user.is_active:
        return NO_SCOPE
    if user.is_superuser:
        return EVERYTHING
    assignments = [a for a in user.active_assignments() if action in ROLE_ACTIONS[a.role]]
    if not assignments:
        return NO_SCOPE
    if any(a.role == Role.ADMIN for a in assignments):
        return EVERYTHING
    roots = [a.unit for a in assignments if a.unit_id]
    unit_ids: set[int] = set()
    if roots:
        q = Q()
        for root in roots:
            q |= Q(path__startswith=root.path)
        unit_ids = set(AdministrativeUnit.objects.filter(q).values_list("pk", flat=True))
        subtree = unit_ids
        unit_ids = _with_predecessors_units(subtree)
        added = unit_ids - subtree
        if added:
            # Predecessors bring their own subtrees (a former district's communes).
            q2 = Q()
            for p in AdministrativeUnit.objects.filter(pk__in=added).values_list("path", flat=True):
                q2 |= Q(path__startswith=p)
            unit_ids |= set(AdministrativeUnit.objects.filter(q2).values_list("pk", flat=True))
    agency_ids = {a.agency_id for a in assignments if a.agency_id}
    # Agencies located in a unit come with a provincial (or national) role only: a Border Guard station
    # or customs branch sitting in a commune is not the commune's; it is reached by an agency assignment
    # (its own reporter) or by the province above it.
    wide = [root for root in roots if root.kind in AGENCY_LEVELS]
    if wide:
        q = Q()
        for root in wide:
            q |= Q(unit__path__startswith=root.path)
        agency_ids |= set(Agency.objects.filter(q).values_list("pk", flat=True))
    agency_ids = _agency_closure(agency_ids)
    return Scope(unit_ids=frozenset(unit_ids), agency_ids=frozenset(agency_ids))
