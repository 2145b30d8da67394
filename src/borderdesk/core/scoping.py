"""The one scope mechanism: every page, API endpoint and export narrows its queries here.

A user's role assignments give, per action, a `Scope`: either everything, or a set of
administrative-unit ids and agency ids. A scoped model says which of its fields lead to a unit and
to an agency (`scope_unit_field`, `scope_agency_field`; "" means the object itself). An object is
in scope when its unit is in the scope's units or its agency in the scope's agencies.

Missing and forbidden look the same: `get_for_user_or_404` raises `NotFoundError` for both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from .errors import NotFoundError

_Row = TypeVar("_Row", bound=models.Model)


class Action:
    VIEW = "view"
    CHANGE = "change"
    APPROVE = "approve"
    MANAGE = "manage"
    AUDIT = "audit"
    #: national reference data (outlines, incident categories, catalogue, forms): administrators only
    ADMINISTER = "administer"
    ALL = (VIEW, CHANGE, APPROVE, MANAGE, AUDIT, ADMINISTER)


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    agency_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not self.everything and not self.unit_ids and not self.agency_ids

    def q_for(self, model) -> Q:
        """A filter selecting the rows of `model` inside this scope."""
        if self.everything:
            return Q()
        unit_field = getattr(model, "scope_unit_field", None)
        agency_field = getattr(model, "scope_agency_field", None)
        if unit_field is None and agency_field is None:
            raise TypeError(f"{model.__name__} declares no scope fields")
        q = Q(pk__in=[])
        if unit_field is not None and self.unit_ids:
            q |= Q(**{(f"{unit_field}__in" if unit_field else "pk__in"): self.unit_ids})
        if agency_field is not None and self.agency_ids:
            q |= Q(**{(f"{agency_field}__in" if agency_field else "pk__in"): self.agency_ids})
        return q

    def admits(self, obj) -> bool:
        """Is this loaded row inside the scope? The rule of :meth:`q_for`, decided in Python on the row's own unit
        and agency ids (:func:`scope_ids`; a path through other tables reads the related rows unless they were
        loaded with it, ``select_related``)."""
        return self.everything or (not self.empty and self.admits_ids(*scope_ids(obj)))

    def admits_ids(self, unit_id: int | None, agency_id: int | None) -> bool:
        """Is an object with this unit and agency (either ``None``: it has none) inside the scope?"""
        return self.contains_unit(unit_id) or self.contains_agency(agency_id)

    def contains_unit(self, unit_id: int | None) -> bool:
        return self.everything or (unit_id is not None and unit_id in self.unit_ids)

    def contains_agency(self, agency_id: int | None) -> bool:
        return self.everything or (agency_id is not None and agency_id in self.agency_ids)


def _follow(obj, path: str | None) -> int | None:
    """Follow a scope path ("unit", "agency__unit", "unit_id" for a plain column, "" for the object itself) to an
    id, as ``q_for``'s lookup ``<path>__in`` reads it."""
    if path is None:
        return None
    if path == "":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    field = obj._meta.get_field(last)
    return getattr(obj, field.attname)


def scope_ids(obj) -> tuple[int | None, int | None]:
    """The unit and agency ids an object's scope is decided on (its model's ``scope_unit_field`` and
    ``scope_agency_field``; ``None`` where it has none)."""
    model = type(obj)
    return _follow(obj, getattr(model, "scope_unit_field", None)), _follow(
        obj, getattr(model, "scope_agency_field", None)
    )


NO_SCOPE = Scope()
EVERYTHING = Scope(everything=True)


def scope_for(user, action: str = Action.VIEW) -> Scope:
    """The user's scope for an action. Anonymous and inactive users have none."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NO_SCOPE
    return user.get_scope(action)


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user, action: str = Action.VIEW):
        scope = scope_for(user, action)
        if scope.everything:
            return self
        if scope.empty:
            return self.none()
        return self.filter(scope.q_for(self.model))


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def get_for_user_or_404(queryset_or_model, user, action: str = Action.VIEW, **lookup):
    """Fetch one object the user may act on; missing and forbidden both raise NotFoundError."""
    qs = queryset_or_model
    if isinstance(qs, type) and issubclass(qs, models.Model):
        qs = qs._default_manager.all()
    try:
        return qs.for_user(user, action).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập).")) from None


def object_in_scope(obj, user, action: str = Action.VIEW) -> bool:
    scope = scope_for(user, action)
    if scope.everything:
        return True
    if scope.empty:
        return False
    return type(obj)._default_manager.filter(pk=obj.pk).filter(scope.q_for(type(obj))).exists()


def require_in_scope(obj, user, action: str = Action.CHANGE) -> None:
    """Raise NotFoundError unless the user may perform `action` on `obj` (used by services)."""
    if not object_in_scope(obj, user, action):
        raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))


def require_loaded_in_scope(obj: _Row | None, user, action: str = Action.CHANGE) -> _Row:
    """:func:`require_in_scope` for a row just read from the database (``None``: not found), decided on the row
    by :meth:`Scope.admits` (no statement when its scope fields are its own columns or were loaded with it)."""
    if obj is None or not scope_for(user, action).admits(obj):
        raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))
    return obj


def require_unit_in_scope(unit_id, agency_id, user, action: str = Action.CHANGE) -> None:
    """For creates: the new object's unit or agency must be inside the user's scope."""
    if scope_for(user, action).admits_ids(unit_id, agency_id):
        return
    raise NotFoundError(_("Đơn vị hoặc cơ quan này nằm ngoài phạm vi của bạn (hoặc không tồn tại)."))


class ReferenceQuerySet(models.QuerySet):
    """National reference data: read by everyone who may view anything, written by administrators only."""

    def for_user(self, user, action: str = Action.VIEW):
        if action == Action.VIEW:
            return self if not scope_for(user, Action.VIEW).empty else self.none()
        # writes need a national scope for the action (core.permissions gives ADMINISTER for reference data)
        return self if scope_for(user, action).everything else self.none()
