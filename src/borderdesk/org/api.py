"""REST endpoints for the organisation. Same selectors and services as the pages."""

import datetime as dt

from django.db.models import Q
from django.forms import ModelChoiceField
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from borderdesk.core.errors import ApplicationError
from borderdesk.core.listing import ListPagination
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.core.services import require_version

from . import selectors, services
from .choices import UnitKind
from .lists import AGENCIES, COMMITTEES, COUNTERPARTS, MEMBERSHIPS, UNITS
from .models import AdministrativeUnit, Agency, AgencyKind, Committee, Counterpart, Membership, Person

router = Router(tags=["org"])


class ErrorOut(Schema):
    error: str
    message: str
    fields: dict[str, list[str]] | None = None
    current_version: int | None = None
    request_id: str = ""


def _writes(out) -> dict:
    """A write's documented answers: the object, or the project's error shape (400 a rule broken, 404 outside
    the caller's scope, 409 someone saved a newer version)."""
    return {200: out, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _pick(qs, field: str, message=None, **lookup):
    """The row of `qs` the payload names (an id the caller may use), else a 400 on that field — the API's
    counterpart of a form's choice list."""
    obj = None if None in lookup.values() else qs.filter(**lookup).first()
    if obj is None:
        message = message or ModelChoiceField.default_error_messages["invalid_choice"]
        raise ApplicationError(message, field_errors={field: [message]})
    return obj


def _version(*candidates):
    """The version an update names (required: without it a write could silently overwrite another's)."""
    version = next((v for v in candidates if v is not None), None)
    require_version(version)
    return version


def _agency_to_manage(request, agency_id: int) -> Agency:
    return get_for_user_or_404(Agency.objects.select_related("kind"), request.user, Action.MANAGE, pk=agency_id)


def _agency_out(request, pk: int) -> Agency:
    return get_for_user_or_404(Agency.objects.select_related("kind"), request.user, pk=pk)


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    is_border: bool | None
    source: str
    is_demo: bool
    version: int


@router.get("/units", response=list[UnitOut], description=UNITS.describe())
@paginate(ListPagination, spec=UNITS)
def list_units(request):
    return AdministrativeUnit.objects.for_user(request.user)


@router.get("/units/{unit_id}", response=UnitOut)
def get_unit(request, unit_id: int):
    return get_for_user_or_404(AdministrativeUnit, request.user, pk=unit_id)


class SuccessionOut(Schema):
    predecessor_id: int
    predecessor_name: str = Field(..., alias="predecessor.name")
    successor_id: int
    successor_name: str = Field(..., alias="successor.name")
    effective_date: dt.date
    kind: str
    note: str


class UnitHistoryOut(Schema):
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]


@router.get("/units/{unit_id}/history", response=UnitHistoryOut)
def unit_history(request, unit_id: int):
    unit = get_for_user_or_404(AdministrativeUnit, request.user, pk=unit_id)
    h = selectors.unit_history(unit=unit, user=request.user)
    return {"predecessors": h["predecessors"], "successors": h["successors"]}


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str = Field(..., alias="kind.code")
    kind_name: str = Field(..., alias="kind.name")
    unit_id: int
    parent_id: int | None
    successor_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str
    is_demo: bool
    version: int


@router.get("/agencies", response=list[AgencyOut], description=AGENCIES.describe())
@paginate(ListPagination, spec=AGENCIES)
def list_agencies(request):
    return selectors.agencies_for_user(user=request.user)


class AgencyIn(Schema):
    name: str
    short_name: str = ""
    kind: str
    unit_id: int
    parent_id: int | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = ""


@router.post("/agencies", response={201: AgencyOut})
def create_agency(request, payload: AgencyIn):
    kind = AgencyKind.objects.filter(code=payload.kind).first()
    if kind is None:
        raise ApplicationError(_("Loại cơ quan không tồn tại: %s") % payload.kind, field_errors={"kind": ["unknown"]})
    data = payload.dict()
    data.pop("kind")
    agency = services.agency_create(user=request.user, kind=kind, **data)
    return Status(201, get_for_user_or_404(Agency.objects.select_related("kind"), request.user, pk=agency.pk))


class RenameIn(Schema):
    name: str | None = Field(None, description="Tên mới (cũng nhận new_name)")
    valid_from: dt.date | None = Field(None, description="Tên mới có hiệu lực từ ngày (cũng nhận effective_date)")
    version: int | None = Field(None, description="Phiên bản đang sửa (cũng nhận expected_version)")
    reason: str = ""
    new_name: str | None = None
    effective_date: dt.date | None = None
    expected_version: int | None = None


@router.post("/agencies/{agency_id}/rename", response=_writes(AgencyOut), operation_id="org_rename_agency")
@router.patch("/agencies/{agency_id}/rename", response=_writes(AgencyOut), operation_id="org_rename_agency_patch")
def rename_agency(request, agency_id: int, payload: RenameIn):
    """Rename with history: the current name ends the day before `valid_from`."""
    agency = _agency_to_manage(request, agency_id)
    name = payload.name if payload.name is not None else payload.new_name
    effective = payload.valid_from or payload.effective_date
    services.agency_rename(
        user=request.user,
        agency=agency,
        new_name=name or "",
        effective_date=effective,
        expected_version=_version(payload.version, payload.expected_version),
        reason=payload.reason.strip(),
    )
    return _agency_out(request, agency.pk)


class AgencyPatch(Schema):
    """The fields `agency_update` accepts from the standing office (a new name goes through /rename, the end of
    an agency through /close, so that the name history stays consistent)."""

    name: str | None = Field(None, description="Chỉ được gửi tên hiện tại; đổi tên dùng /rename")
    short_name: str | None = None
    kind: str | None = Field(None, description="Mã loại cơ quan")
    unit_id: int | None = None
    parent_id: int | None = None
    valid_from: dt.date | None = None
    source: str | None = None
    version: int | None = None
    reason: str = ""


@router.patch("/agencies/{agency_id}", response=_writes(AgencyOut))
def update_agency(request, agency_id: int, payload: AgencyPatch):
    agency = _agency_to_manage(request, agency_id)
    data = payload.dict(exclude_unset=True)
    version, reason = data.pop("version", None), (data.pop("reason", "") or "").strip()
    fields = {}
    for key in ("name", "short_name", "source"):
        if key in data:
            fields[key] = (data[key] or "").strip()
    if "valid_from" in data:
        fields["valid_from"] = data["valid_from"]
    if "kind" in data:
        fields["kind"] = _pick(
            AgencyKind.objects.all(), "kind", _("Loại cơ quan không tồn tại: %s") % data["kind"], code=data["kind"]
        )
    if "unit_id" in data:
        fields["unit"] = _pick(
            AdministrativeUnit.objects.for_user(request.user, Action.MANAGE), "unit_id", pk=data["unit_id"]
        )
    if "parent_id" in data:
        parent_id = data["parent_id"]
        fields["parent"] = (
            None
            if parent_id is None
            else _pick(
                Agency.objects.for_user(request.user, Action.MANAGE).exclude(pk=agency.pk), "parent_id", pk=parent_id
            )
        )
    services.agency_update(
        user=request.user, agency=agency, expected_version=_version(version), reason=reason, **fields
    )
    return _agency_out(request, agency.pk)


class AgencyCloseIn(Schema):
    valid_to: dt.date | None = Field(None, description="Ngày cuối cùng hoạt động (bắt buộc)")
    successor_id: int | None = Field(None, description="Cơ quan kế thừa")
    reason: str = ""
    version: int | None = None


@router.post("/agencies/{agency_id}/close", response=_writes(AgencyOut))
def close_agency(request, agency_id: int, payload: AgencyCloseIn):
    agency = _agency_to_manage(request, agency_id)
    successor = None
    if payload.successor_id is not None:
        successor = _pick(
            Agency.objects.for_user(request.user, Action.MANAGE).exclude(pk=agency.pk),
            "successor_id",
            pk=payload.successor_id,
        )
    services.agency_close(
        user=request.user,
        agency=agency,
        closed_on=payload.valid_to,
        successor=successor,
        expected_version=_version(payload.version),
        reason=payload.reason.strip(),
    )
    return _agency_out(request, agency.pk)


class CommitteeOut(Schema):
    id: int
    code: str
    name: str
    unit_id: int
    standing_office_id: int | None
    parent_body: str
    abbreviation: str
    place_name: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    version: int


@router.get("/committees", response=list[CommitteeOut], description=COMMITTEES.describe())
@paginate(ListPagination, spec=COMMITTEES)
def list_committees(request):
    return selectors.committees_for_user(user=request.user)


@router.get("/committees/{committee_id}", response=CommitteeOut)
def get_committee(request, committee_id: int):
    return get_for_user_or_404(Committee, request.user, pk=committee_id)


class CommitteePatch(Schema):
    name: str | None = None
    parent_body: str | None = None
    abbreviation: str | None = None
    place_name: str | None = None
    standing_office_id: int | None = None
    expected_version: int
    reason: str = ""


@router.patch("/committees/{committee_id}", response=CommitteeOut)
def update_committee(request, committee_id: int, payload: CommitteePatch):
    committee = get_for_user_or_404(Committee, request.user, Action.MANAGE, pk=committee_id)
    data = payload.dict(exclude_unset=True)
    return services.committee_update(
        user=request.user,
        committee=committee,
        expected_version=data.pop("expected_version"),
        reason=data.pop("reason", ""),
        **data,
    )


class MembershipOut(Schema):
    id: int
    committee_id: int
    person_id: int
    person_name: str = Field(..., alias="person.full_name")
    role: str
    post: str
    agency_id: int | None
    decision_number: str
    decision_date: dt.date | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str
    version: int


@router.get("/memberships", response=list[MembershipOut], description=MEMBERSHIPS.describe())
@paginate(ListPagination, spec=MEMBERSHIPS)
def list_memberships(request):
    return Membership.objects.for_user(request.user).select_related("person")


class MembershipIn(Schema):
    committee_id: int
    person_id: int | None = None
    person_name: str | None = None
    role: str
    post: str = ""
    agency_id: int | None = None
    decision_number: str = ""
    decision_date: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = ""
    reason: str = ""


@router.post("/memberships", response={201: MembershipOut})
def create_membership(request, payload: MembershipIn):
    committee = get_for_user_or_404(Committee, request.user, Action.MANAGE, pk=payload.committee_id)
    data = payload.dict()
    data.pop("committee_id")
    person_id, person_name = data.pop("person_id"), data.pop("person_name")
    if person_id:
        # A person is reachable through a committee the user can see (or not yet on any committee): an id
        # from another province's committees answers 404 like any object outside the scope.
        in_scope = Committee.objects.for_user(request.user, Action.VIEW).values("pk")
        person = get_object_or_404(
            Person.objects.filter(Q(memberships__committee__in=in_scope) | Q(memberships__isnull=True)).distinct(),
            pk=person_id,
        )
    elif person_name:
        # The new person and the seat are saved together or not at all (membership_add).
        m = services.membership_add(user=request.user, committee=committee, new_person_name=person_name, **data)
        return Status(201, get_for_user_or_404(Membership.objects.select_related("person"), request.user, pk=m.pk))
    else:
        raise ApplicationError(_("Cần person_id hoặc person_name."), field_errors={"person_id": ["required"]})
    m = services.membership_create(user=request.user, committee=committee, person=person, **data)
    return Status(201, get_for_user_or_404(Membership.objects.select_related("person"), request.user, pk=m.pk))


class MembershipEndIn(Schema):
    valid_to: dt.date | None = Field(None, description="Ngày cuối cùng giữ vai trò (bắt buộc)")
    reason: str = Field("", description="Lý do (số quyết định, nghỉ hưu, chuyển công tác…; bắt buộc)")
    version: int | None = None


@router.post("/memberships/{membership_id}/end", response=_writes(MembershipOut))
def end_membership(request, membership_id: int, payload: MembershipEndIn):
    membership = get_for_user_or_404(
        Membership.objects.select_related("person", "committee"), request.user, Action.MANAGE, pk=membership_id
    )
    services.membership_end(
        user=request.user,
        membership=membership,
        end_date=payload.valid_to,
        reason=payload.reason,
        expected_version=_version(payload.version),
    )
    return get_for_user_or_404(Membership.objects.select_related("person"), request.user, pk=membership.pk)


class CounterpartOut(Schema):
    id: int
    unit_id: int
    country: str
    name: str
    notes: str
    source: str
    version: int


@router.get("/counterparts", response=list[CounterpartOut], description=COUNTERPARTS.describe())
@paginate(ListPagination, spec=COUNTERPARTS)
def list_counterparts(request):
    return Counterpart.objects.for_user(request.user)


class CounterpartPatch(Schema):
    unit_id: int | None = None
    country: str | None = None
    name: str | None = None
    notes: str | None = None
    version: int = Field(..., description="Phiên bản đang sửa (khoá lạc quan)")
    reason: str = ""


@router.patch("/counterparts/{counterpart_id}", response=_writes(CounterpartOut))
def update_counterpart(request, counterpart_id: int, payload: CounterpartPatch):
    counterpart = get_for_user_or_404(Counterpart, request.user, Action.MANAGE, pk=counterpart_id)
    data = payload.dict(exclude_unset=True)
    version, reason = data.pop("version"), (data.pop("reason", "") or "").strip()
    fields = {key: (data[key] or "").strip() for key in ("country", "name", "notes") if key in data}
    if "unit_id" in data:
        provinces = AdministrativeUnit.objects.for_user(request.user, Action.MANAGE).filter(kind=UnitKind.PROVINCE)
        fields["unit"] = _pick(provinces, "unit_id", pk=data["unit_id"])
    return services.counterpart_update(
        user=request.user, counterpart=counterpart, expected_version=_version(version), reason=reason, **fields
    )
