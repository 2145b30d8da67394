"""REST endpoints for conferences, tasks, commendations and agreements (same selectors/services as pages)."""

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from borderdesk.core.scoping import Action, get_for_user_or_404

from . import selectors, services
from .models import Conference, Task

router = Router(tags=["coordination"])


class ConferenceOut(Schema):
    id: int
    unit_id: int
    committee_id: int | None
    kind: str
    title: str
    display_title: str
    date: dt.date
    place: str
    chair: str
    source: str
    is_demo: bool


@router.get("/conferences", response=list[ConferenceOut])
@paginate(PageNumberPagination)
def list_conferences(request, kind: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None):
    return selectors.conferences_for_user(user=request.user, kind=kind, start=date_from, end=date_to)


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


@router.get("/tasks", response=list[TaskOut])
@paginate(PageNumberPagination)
def list_tasks(request, status: str = ""):
    return selectors.tasks_for_user(user=request.user, status=status)


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
    task = services.task_create(user=request.user, directive=directive, title=payload.title, owner=owner,
                                deadline=payload.deadline, is_regular=payload.is_regular)
    return 201, Task.objects.select_related("owner").get(pk=task.pk)


class ProgressIn(Schema):
    text: str
    date: dt.date | None = None
    evidence_note: str = ""
    marks_done: bool = False


@router.post("/tasks/{task_id}/progress", response={201: TaskOut})
def add_progress(request, task_id: int, payload: ProgressIn):
    task = get_for_user_or_404(Task.objects.select_related("owner"), request.user, Action.CHANGE, pk=task_id)
    services.task_update_add(user=request.user, task=task, **payload.dict())
    return 201, Task.objects.select_related("owner").get(pk=task.pk)


class StatsOut(Schema):
    total: int
    by_status: dict[str, int]


@router.get("/tasks/statistics", response=StatsOut)
def task_statistics(request, date_from: dt.date | None = None, date_to: dt.date | None = None):
    s = selectors.task_statistics(user=request.user, start=date_from, end=date_to)
    return {"total": s.total, "by_status": dict(s.by_status)}


class CountOut(Schema):
    kind_name: str
    issuer: str
    collectives: int
    individuals: int


@router.get("/commendations/counts", response=list[CountOut])
def commendation_counts(request, conference_id: int | None = None):
    conf = get_for_user_or_404(Conference, request.user, pk=conference_id) if conference_id else None
    return selectors.commendation_counts(user=request.user, conference=conf)


class AgreementOut(Schema):
    id: int
    title: str
    year: int
    signed_on: dt.date | None
    review_date: dt.date | None
    party_ids: list[int]

    @staticmethod
    def resolve_party_ids(obj):
        return [p.pk for p in obj.parties.all()]


@router.get("/agreements", response=list[AgreementOut])
@paginate(PageNumberPagination)
def list_agreements(request):
    return selectors.agreements_for_user(user=request.user)
