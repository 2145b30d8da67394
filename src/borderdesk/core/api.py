"""Core's REST endpoints: health, the change log the caller may audit, and who the caller is. Mounted at the
API's root by borderdesk.api (the NinjaAPI and its authentication live there, not in core)."""

import datetime as _dt

from ninja import Router, Schema
from ninja.pagination import paginate

from .changelog_list import CHANGELOG
from .keyset import KeysetPagination
from .scoping import Action, get_for_user_or_404
from .selectors import changelog_for_user

router = Router(tags=["core"])


@router.get("/health", auth=None)
def health(request):
    return {"status": "ok"}


# ---------------------------------------------------------------- change log
class ChangeLogOut(Schema):
    id: int
    time: _dt.datetime
    user: str
    request_id: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None
    reason: str

    @staticmethod
    def resolve_user(obj):
        return obj.user_repr

    @staticmethod
    def resolve_object_type(obj):
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


@router.get("/changelog", response=list[ChangeLogOut], description=CHANGELOG.describe())
@paginate(KeysetPagination, spec=CHANGELOG)
def list_changelog(request):
    """The change log the caller may audit, newest first, a page at a time: follow ``older`` for the next page."""
    return changelog_for_user(user=request.user)


@router.get("/changelog/{entry_id}", response=ChangeLogOut)
def get_changelog_entry(request, entry_id: int):
    from .models import ChangeLogEntry

    return get_for_user_or_404(
        ChangeLogEntry.objects.select_related("content_type"), request.user, Action.AUDIT, pk=entry_id
    )


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]


@router.get("/me", response=MeOut)
def me(request):
    u = request.user
    return {"username": u.username, "display_name": str(u), "roles": sorted(u.roles())}
