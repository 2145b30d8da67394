"""REST endpoints for tasks, commendations and agreements (same selectors/services as pages); the
conference endpoints are on api_conference's router, mounted here."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from borderdesk.core.errors import ApplicationError
from borderdesk.core.listing import ListPagination
from borderdesk.core.registry.api import add_registry_routes, registry_schema
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.org.models import AdministrativeUnit, Committee

from . import selectors, services
from .api_conference import router as conference_router
from .choices import RecipientType
from .lists import COMMENDATIONS, TASKS
from .models import Commendation, CommendationKind, Conference, Task
from .registries import agreements

router = Router(tags=["coordination"])


class TaskOut(Schema):
    id: int
    title: str
    owner_id: int
    owner: str
    deadline: dt.date | None
    is_regular: bool
    done_on: dt.date | None
    status: str
    directive_id: int
    is_demo: bool

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.name

    @staticmethod
    def resolve_status(obj, context):
        return obj.status_on(timezone.localdate())


@router.get("/tasks", response=list[TaskOut], description=TASKS.describe())
@paginate(ListPagination, spec=TASKS)
def list_tasks(request):
    return selectors.tasks_for_user(user=request.user)


class TaskIn(Schema):
    directive_id: int
    title: str
    owner_id: int
    deadline: dt.date | None = None
    is_regular: bool = False


@router.post("/tasks", response={201: TaskOut})
def create_task(request, payload: TaskIn):
    from borderdesk.org.models import Agency

    from .models import Directive

    directive = get_for_user_or_404(Directive, request.user, Action.CHANGE, pk=payload.directive_id)
    owner = get_for_user_or_404(Agency, request.user, pk=payload.owner_id)
    task = services.task_create(
        user=request.user,
        directive=directive,
        title=payload.title,
        owner=owner,
        deadline=payload.deadline,
        is_regular=payload.is_regular,
    )
    return Status(201, get_for_user_or_404(Task.objects.select_related("owner"), request.user, pk=task.pk))


class ProgressIn(Schema):
    text: str
    date: dt.date | None = None
    evidence_note: str = ""
    marks_done: bool = False


@router.post("/tasks/{task_id}/progress", response={201: TaskOut})
def add_progress(request, task_id: int, payload: ProgressIn):
    task = get_for_user_or_404(Task.objects.select_related("owner"), request.user, Action.CHANGE, pk=task_id)
    services.task_update_add(user=request.user, task=task, **payload.dict())
    return Status(201, get_for_user_or_404(Task.objects.select_related("owner"), request.user, pk=task.pk))


class StatsOut(Schema):
    total: int
    by_status: dict[str, int]


@router.get("/tasks/statistics", response=StatsOut)
def task_statistics(request, date_from: dt.date | None = None, date_to: dt.date | None = None):
    s = selectors.task_statistics(user=request.user, start=date_from, end=date_to)
    return {"total": s.total, "by_status": dict(s.by_status)}


class CommendationOut(Schema):
    id: int
    unit_id: int
    unit: str
    conference_id: int | None
    conference: str | None
    kind_code: str
    kind_name: str
    recipient_type: str
    recipient_type_label: str
    recipient_name: str
    issuer: str
    decision_number: str
    decision_date: dt.date
    reason: str
    source: str
    is_demo: bool
    version: int

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name

    @staticmethod
    def resolve_conference(obj):
        return obj.conference.display_title if obj.conference_id else None

    @staticmethod
    def resolve_kind_code(obj):
        return obj.kind.code

    @staticmethod
    def resolve_kind_name(obj):
        return obj.kind.name

    @staticmethod
    def resolve_recipient_type_label(obj):
        return str(obj.get_recipient_type_display())


@router.get("/commendations", response=list[CommendationOut], description=COMMENDATIONS.describe())
@paginate(ListPagination, spec=COMMENDATIONS)
def list_commendations(request):
    """Commendations in the caller's scope, newest decision first.

    `committee` (id or code: its province's commendations), `period` (a period key such as 2025 or
    2025H1, by default on the calendar: decisions are dated on the calendar, often at the review
    after the reporting window), `recipient_type` (collective / individual), `kind` (the kind's code),
    `conference_id`, `date_from`/`date_to` (decision date)."""
    return selectors.commendations_for_user(user=request.user)


@router.get("/commendations/{int:commendation_id}", response=CommendationOut)
def get_commendation(request, commendation_id: int):
    return get_for_user_or_404(
        Commendation.objects.select_related("kind", "conference", "unit"), request.user, pk=commendation_id
    )


class CountOut(Schema):
    kind_name: str
    issuer: str
    collectives: int
    individuals: int


@router.get("/commendations/counts", response=list[CountOut])
def commendation_counts(request, conference_id: int | None = None):
    conf = get_for_user_or_404(Conference, request.user, pk=conference_id) if conference_id else None
    return selectors.commendation_counts(user=request.user, conference=conf)


_AgreementBase = registry_schema(agreements, name="AgreementBase")


class AgreementOut(_AgreementBase):
    """The registry fields (parties as ids) plus `party_ids`, kept for earlier clients."""

    party_ids: list[int]

    @staticmethod
    def resolve_party_ids(obj):
        return [p.pk for p in obj.parties.all()]


# List (filters nam, tinh, ben, tu_ngay, den_ngay and q, as on the page), detail, create, update, delete.
add_registry_routes(router, agreements, path="agreements", out_schema=AgreementOut)


class CommendationIn(Schema):
    unit_id: int | None = None
    committee: str = ""
    kind: str
    recipient_type: str
    recipient_name: str
    issuer: str = ""
    decision_number: str = ""
    decision_date: dt.date
    conference_id: int | None = None
    reason: str = ""
    source: str = ""


@router.post(
    "/commendations", response={201: dict}, operation_id="borderdesk_coordination_api_conference_create_commendation"
)  # its id before it moved here
def create_commendation(request, payload: CommendationIn):
    """Record a commendation (`kind` is the kind's code; the province from `unit_id`, `committee` or the
    linked conference)."""

    kind = CommendationKind.objects.filter(code=payload.kind).first()
    if kind is None:
        raise ApplicationError(
            _("Không có hình thức khen thưởng “%s”.") % payload.kind, field_errors={"kind": ["unknown"]}
        )
    if payload.recipient_type not in RecipientType.values:
        raise ApplicationError(
            _("Đối tượng khen thưởng không hợp lệ: “%(v)s” (dùng: %(ok)s).")
            % {"v": payload.recipient_type, "ok": ", ".join(RecipientType.values)},
            field_errors={"recipient_type": ["invalid"]},
        )
    if not payload.recipient_name.strip():
        raise ApplicationError(
            _("Hãy nhập tên tập thể hoặc cá nhân được khen thưởng."), field_errors={"recipient_name": ["required"]}
        )
    conf = get_for_user_or_404(Conference, request.user, pk=payload.conference_id) if payload.conference_id else None
    if payload.unit_id:
        unit = get_for_user_or_404(AdministrativeUnit, request.user, pk=payload.unit_id)
    elif payload.committee:
        lookup = {"pk": int(payload.committee)} if payload.committee.isdigit() else {"code": payload.committee}
        unit = get_for_user_or_404(Committee.objects.select_related("unit"), request.user, **lookup).unit
    elif conf is not None:
        unit = conf.unit
    else:
        raise ApplicationError(
            _("Cho biết tỉnh (unit_id), ban chỉ đạo hoặc hội nghị của khen thưởng."),
            field_errors={"unit_id": ["required"]},
        )
    c = services.commendation_create(
        user=request.user,
        unit=unit,
        kind=kind,
        recipient_type=payload.recipient_type,
        recipient_name=payload.recipient_name,
        issuer=payload.issuer,
        decision_date=payload.decision_date,
        decision_number=payload.decision_number,
        conference=conf,
        reason=payload.reason,
        source=payload.source,
    )
    return Status(
        201,
        {
            "id": c.pk,
            "unit_id": c.unit_id,
            "kind_code": kind.code,
            "issuer": c.issuer,
            "conference_id": c.conference_id,
        },
    )


# Conferences (list, full record, decisions, attachments, directives), statistics per agency, reminders.
router.add_router("", conference_router)
