"""Accounts API (/api/accounts/): the same services as the pages, so the same scope and escalation rules."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from borderdesk.core.errors import ApplicationError
from borderdesk.core.listing import ListPagination
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.org.models import AdministrativeUnit, Agency

from . import bulk, jobs, selectors, services
from .lists import USERS

router = Router(tags=["accounts"])


class RoleOut(Schema):
    id: int
    role: str
    role_label: str
    unit_id: int | None
    unit: str | None
    agency_id: int | None
    agency: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None

    @staticmethod
    def resolve_role_label(obj):
        return str(obj.get_role_display())

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.name if obj.agency_id else None


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    language: str
    is_active: bool
    must_change_password: bool
    roles: list[RoleOut]

    @staticmethod
    def resolve_roles(obj):
        return list(obj.role_assignments.all())


class RoleIn(Schema):
    role: str
    unit: int | None = None
    agency: int | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    reason: str = ""


class UserCreateIn(RoleIn):
    username: str
    display_name: str = ""
    email: str = ""
    language: str = "vi"
    password: str = ""


class UserCreatedOut(Schema):
    user: UserOut
    temporary_password: str


class UserPatchIn(Schema):
    display_name: str | None = None
    email: str | None = None
    language: str | None = None
    is_active: bool | None = None
    reason: str = ""


class PasswordOut(Schema):
    username: str
    temporary_password: str


class PasswordChangeIn(Schema):
    old_password: str
    new_password: str


class BulkOut(Schema):
    created: list[PasswordOut]


class EndIn(Schema):
    end: dt.date | None = None
    reason: str = ""


def _scope_objects(request, payload: RoleIn) -> dict:
    """The unit and agency of a role, looked up in the caller's manage scope (outside: 404)."""
    unit = agency = None
    if payload.unit is not None:
        unit = get_for_user_or_404(AdministrativeUnit, request.user, Action.MANAGE, pk=payload.unit)
    if payload.agency is not None:
        agency = get_for_user_or_404(
            Agency.objects.select_related("unit"), request.user, Action.MANAGE, pk=payload.agency
        )
    return {
        "role": payload.role,
        "unit": unit,
        "agency": agency,
        "valid_from": payload.valid_from,
        "valid_to": payload.valid_to,
    }


def _fresh(request, pk: int):
    return selectors.users_list(user=request.user).get(pk=pk)


@router.get("/users", response=list[UserOut], description=USERS.describe())
@paginate(ListPagination, spec=USERS)
def list_users(request):
    """Accounts the caller manages (administrator: all; standing office: its province's)."""
    services.require_manager(request.user)
    return selectors.users_list(user=request.user)


@router.post("/users", response={201: UserCreatedOut})
def create_user(request, payload: UserCreateIn):
    """Create an account with its first role; the temporary password is returned once."""
    services.require_manager(request.user)
    account, password = services.user_create(
        user=request.user,
        username=payload.username,
        display_name=payload.display_name,
        email=payload.email,
        language=payload.language,
        password=payload.password,
        reason=payload.reason,
        **_scope_objects(request, payload),
    )
    return Status(201, {"user": _fresh(request, account.pk), "temporary_password": password})


@router.get("/users/{int:user_id}", response=UserOut)
def get_user(request, user_id: int):
    selectors.user_get(user=request.user, pk=user_id)
    return _fresh(request, user_id)


@router.patch("/users/{int:user_id}", response=UserOut)
def update_user(request, user_id: int, payload: UserPatchIn):
    """Change name, e-mail, language; `is_active: false` deactivates the account."""
    account = selectors.user_get(user=request.user, pk=user_id)
    fields = {k: v for k, v in payload.dict().items() if k in ("display_name", "email", "language") and v is not None}
    if fields:
        services.user_update(user=request.user, account=account, reason=payload.reason, **fields)
    if payload.is_active is not None:
        services.user_set_active(user=request.user, account=account, active=payload.is_active, reason=payload.reason)
    return _fresh(request, user_id)


@router.post("/users/{int:user_id}/roles", response={201: RoleOut})
def add_role(request, user_id: int, payload: RoleIn):
    account = selectors.user_get(user=request.user, pk=user_id)
    a = services.role_assign(
        user=request.user, account=account, reason=payload.reason, **_scope_objects(request, payload)
    )
    return Status(201, a)


@router.post("/roles/{int:role_id}/end", response=RoleOut)
def end_role(request, role_id: int, payload: EndIn):
    """End a role on a day (default: yesterday). A role that has not started yet is withdrawn."""
    a = selectors.assignment_get(user=request.user, pk=role_id)
    return services.role_end(user=request.user, assignment=a, end=payload.end, reason=payload.reason)


@router.post("/users/{int:user_id}/reset-password", response=PasswordOut)
def reset_password(request, user_id: int):
    """A new temporary password (returned once); the user must change it at the next login."""
    account = selectors.user_get(user=request.user, pk=user_id)
    return {
        "username": account.username,
        "temporary_password": services.password_reset(user=request.user, account=account),
    }


class JobRef(Schema):
    job_id: str
    url: str


@router.post("/users/bulk", response={201: BulkOut, 202: JobRef})
def bulk_create(request, file: File[UploadedFile], reason: Form[str] = "", background: bool = False):
    """Accounts from a spreadsheet (.xlsx or .csv, the template's columns); all or nothing, errors per row.
    With `background=true`: 202 with the job; follow `GET /api/jobs/{id}` (progress in rows, errors per row),
    then download the temporary passwords once from `GET /api/jobs/{id}/file`."""
    if background:
        job = jobs.submit_bulk_create(user=request.user, uploaded=file, reason=reason)
        return Status(202, {"job_id": str(job.pk), "url": f"/api/jobs/{job.pk}"})
    result = bulk.bulk_create(user=request.user, uploaded=file, reason=reason)
    return Status(201, {"created": [{"username": a.username, "temporary_password": p} for a, p in result.created]})


@router.get("/users/bulk/template")
def bulk_template(request, province: int, format: str = "xlsx"):
    """The template for a province: one row per border commune and Border Guard station."""
    from django.http import HttpResponse

    from borderdesk.core.registry.tabular import write_csv

    unit = get_for_user_or_404(
        AdministrativeUnit.objects.filter(kind="province"), request.user, Action.MANAGE, pk=province
    )
    rows = bulk.template_rows(user=request.user, province=unit)
    if format == "csv":
        return HttpResponse(write_csv(rows), content_type="text/csv; charset=utf-8")
    if format != "xlsx":
        raise ApplicationError(_("Định dạng “%(v)s” không hỗ trợ (xlsx hoặc csv).") % {"v": format})
    return HttpResponse(
        bulk.template_xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@router.post("/me/password", response={204: None})
def change_own_password(request, payload: PasswordChangeIn):
    """Change one's own password (required after an account is created or its password reset)."""
    services.password_change(user=request.user, old_password=payload.old_password, new_password=payload.new_password)
    if hasattr(request, "session"):
        from django.contrib.auth import update_session_auth_hash

        update_session_auth_hash(request, request.user)
    return Status(204, None)
