"""Every read of the organisation for a user, already narrowed to the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from borderdesk.core.collation import sort_key
from borderdesk.core.scoping import Action

from .models import AdministrativeUnit, Agency, Committee, Membership, UnitSuccession


@dataclass
class TreeNode:
    unit: AdministrativeUnit
    children: list[TreeNode] = field(default_factory=list)


def units_for_user(*, user, as_of: dt.date | None = None, action: str = Action.VIEW):
    qs = AdministrativeUnit.objects.for_user(user, action)
    if as_of:
        qs = qs.valid_on(as_of)
    return qs


def unit_tree(*, user, as_of: dt.date, border_only: bool = False) -> list[TreeNode]:
    """The tree as it stood on `as_of`, rooted at the top-most units the user may see. Two queries."""
    units = list(units_for_user(user=user, as_of=as_of).order_by("path"))
    if border_only:
        units = [u for u in units if u.is_border or u.kind in ("country", "province")]
    nodes = {u.pk: TreeNode(u) for u in units}
    roots: list[TreeNode] = []
    for u in units:
        parent = nodes.get(u.parent_id)
        (parent.children if parent else roots).append(nodes[u.pk])
    for n in nodes.values():
        n.children.sort(key=lambda c: (c.unit.kind != "district", sort_key(c.unit.name)))
    return roots


def unit_history(*, unit: AdministrativeUnit, user=None) -> dict:
    """Direct predecessors and successors (with dates), and rows sharing the official code.

    With `user`, only units inside the user's view scope are named (a unit without an official code
    shares it with nobody: blank codes are not compared).
    """
    preds = UnitSuccession.objects.filter(successor=unit).select_related("predecessor__parent")
    succs = UnitSuccession.objects.filter(predecessor=unit).select_related("successor__parent")
    same_code = AdministrativeUnit.objects.none()
    if (unit.code or "").strip():
        same_code = AdministrativeUnit.objects.filter(code=unit.code).exclude(pk=unit.pk).select_related("parent")
    if user is not None:
        visible = AdministrativeUnit.objects.for_user(user, Action.VIEW).values("pk")
        preds = preds.filter(predecessor__in=visible)
        succs = succs.filter(successor__in=visible)
        same_code = same_code.filter(pk__in=visible)
    preds, succs, same_code = list(preds), list(succs), list(same_code)  # type: ignore[assignment]
    return {"predecessors": preds, "successors": succs, "same_code": same_code}


def successors_on(*, unit: AdministrativeUnit, day: dt.date) -> list[AdministrativeUnit]:
    """The unit(s) that carried `unit` on `day`, following successions transitively."""
    if unit.is_valid_on(day):
        return [unit]
    result: list[AdministrativeUnit] = []
    frontier, seen = [unit], {unit.pk}
    forward = day > (unit.valid_to or day)
    while frontier:
        ids = [u.pk for u in frontier]
        if forward:
            links = UnitSuccession.objects.filter(predecessor_id__in=ids).select_related("successor")
            nxt = [lnk.successor for lnk in links]
        else:
            links = UnitSuccession.objects.filter(successor_id__in=ids).select_related("predecessor")
            nxt = [lnk.predecessor for lnk in links]
        frontier = []
        for u in nxt:
            if u.pk in seen:
                continue
            seen.add(u.pk)
            (result if u.is_valid_on(day) else frontier).append(u)
    return sorted(result, key=lambda u: sort_key(u.name))


def agencies_for_user(*, user, as_of: dt.date | None = None):
    qs = Agency.objects.for_user(user).select_related("kind", "unit", "parent")
    if as_of:
        qs = qs.valid_on(as_of)
    return qs


def viewable_unit_ids(*, user, unit_ids) -> set[int]:
    """Which of ``unit_ids`` the user may open (a page links a unit only then: an agency-bound reporter sees its
    agency's place by name, not a link to a page that answers 404)."""
    return set(AdministrativeUnit.objects.for_user(user).filter(pk__in=set(unit_ids)).values_list("pk", flat=True))


def committees_for_user(*, user):
    return Committee.objects.for_user(user).select_related("unit", "standing_office")


def committee_members(*, committee: Committee, as_of: dt.date | None = None):
    qs = Membership.objects.filter(committee=committee).select_related("person", "agency")
    if as_of:
        qs = qs.valid_on(as_of)
    order = Membership.ROLE_ORDER
    return sorted(qs, key=lambda m: (order.get(m.role, 99), m.valid_from or dt.date.min, m.person.full_name))
