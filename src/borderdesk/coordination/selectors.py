"""Every read of coordination data for a user, already narrowed to the user's scope."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from borderdesk.core.scoping import Action

from .choices import RecipientType, TaskStatus
from .models import Agreement, Commendation, Conference, Directive, Task


def conferences_for_user(
    *, user, unit=None, committee=None, start: dt.date | None = None, end: dt.date | None = None, kind: str = ""
):
    qs = Conference.objects.for_user(user, Action.VIEW).select_related("unit", "committee")
    if unit is not None:
        qs = qs.filter(unit=unit)
    if committee is not None:
        qs = qs.filter(committee=committee)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def conference_detail(*, conference: Conference):
    directives = list(
        conference.directives.prefetch_related(
            Prefetch("tasks", queryset=Task.objects.select_related("owner").prefetch_related("co_owners"))  # type: ignore[arg-type]
        )
    )
    return {
        "directives": directives,
        "decisions": list(conference.decisions.prefetch_related("memberships__person")),
        "commendations": list(conference.commendations.select_related("kind")),
        "agencies": list(conference.participant_agencies.all()),
        "counterparts": list(conference.counterparts.all()),
        "attachments": list(conference.attachments.all()),
        "agreements_signed": list(conference.agreements_signed.all()),
        "agreements_reviewed": list(conference.agreements_reviewed.all()),
    }


def tasks_for_user(
    *,
    user,
    unit=None,
    committee=None,
    owner=None,
    status: str = "",
    today: dt.date | None = None,
    conference_start: dt.date | None = None,
    conference_end: dt.date | None = None,
):
    """Tasks in scope, with `status` (QĐ 42) computed in the database for filtering."""
    today = today or dt.date.today()
    qs = (
        Task.objects.for_user(user, Action.VIEW)
        .select_related("owner", "directive__conference")
        .prefetch_related("co_owners")
    )
    if unit is not None:
        qs = qs.filter(directive__conference__unit=unit)
    if committee is not None:
        qs = qs.filter(directive__conference__committee=committee)
    if owner is not None:
        qs = qs.filter(Q(owner=owner) | Q(co_owners=owner)).distinct()
    if conference_start:
        qs = qs.filter(directive__conference__date__gte=conference_start)
    if conference_end:
        qs = qs.filter(directive__conference__date__lte=conference_end)
    if status:
        qs = qs.filter(status_q(status, today))
    return qs


def status_q(status: str, today: dt.date) -> Q:
    done = Q(done_on__isnull=False, done_on__lte=today)
    open_ = ~done
    in_term = Q(is_regular=True) | Q(deadline__isnull=True) | Q(deadline__gte=today)
    if status == TaskStatus.DONE_ON_TIME:
        return done & (Q(is_regular=True) | Q(deadline__isnull=True) | Q(done_on__lte=models_f("deadline")))
    if status == TaskStatus.DONE_LATE:
        return done & Q(is_regular=False, deadline__isnull=False, done_on__gt=models_f("deadline"))
    if status == TaskStatus.OPEN_IN_TERM:
        return open_ & in_term
    if status == TaskStatus.OVERDUE:
        return open_ & ~in_term
    return Q()


def models_f(name):
    from django.db.models import F

    return F(name)


@dataclass
class TaskStats:
    """Counts by QĐ 42 status, overall and per owner agency."""

    today: dt.date
    total: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_agency: dict = field(default_factory=dict)  # agency name -> Counter
    by_agency_id: dict = field(default_factory=dict)  # (agency id, agency name) -> Counter

    def count(self, status: str) -> int:
        return self.by_status.get(status, 0)

    @property
    def done(self) -> int:
        return self.count(TaskStatus.DONE_ON_TIME) + self.count(TaskStatus.DONE_LATE)

    def rows(self):
        statuses = [s.value for s in TaskStatus]
        return [(name, [c.get(s, 0) for s in statuses], sum(c.values())) for name, c in sorted(self.by_agency.items())]


def task_statistics(
    *,
    user,
    unit=None,
    committee=None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> TaskStats:
    """Statistics of the tasks given at conferences held between `start` and `end`, as of `today`."""
    today = today or dt.date.today()
    qs = tasks_for_user(user=user, unit=unit, committee=committee, conference_start=start, conference_end=end)
    stats = TaskStats(today=today)
    by_agency: dict[str, Counter] = defaultdict(Counter)
    by_agency_id: dict[tuple, Counter] = defaultdict(Counter)
    for t in qs.select_related(None).select_related("owner").prefetch_related(None):
        s = t.status_on(today)
        stats.total += 1
        stats.by_status[s] += 1
        by_agency[t.owner.name][s] += 1
        by_agency_id[(t.owner_id, t.owner.name)][s] += 1
    stats.by_agency = dict(by_agency)
    stats.by_agency_id = dict(by_agency_id)
    return stats


def reminders(*, user, today: dt.date | None = None, within_days: int = 7, unit=None):
    """(due soon, overdue) open tasks the user may see."""
    today = today or dt.date.today()
    base = tasks_for_user(user=user, unit=unit).filter(Q(done_on__isnull=True) | Q(done_on__gt=today), is_regular=False)
    due_soon = base.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=within_days))
    overdue = base.filter(deadline__lt=today)
    return list(due_soon.order_by("deadline", "id")), list(overdue.order_by("deadline", "id"))


def report_conferences_q(committee, prefix: str = "") -> Q:
    """Conferences a committee's report accounts for: its own, and those held in its province by another
    body (a party committee, its standing board, the coordination of the Border Guard with district party
    committees), whose conclusions on border work the committee follows up."""
    return Q(**{f"{prefix}committee": committee}) | Q(
        **{f"{prefix}committee__isnull": True, f"{prefix}unit": committee.unit_id}
    )


def directives_for_report(*, user, committee=None, unit=None, start: dt.date, end: dt.date):
    """Directives (with tasks) of conferences held in [start, end], for the next report.

    With a committee: the directives of its conferences and of the other bodies' conferences in its
    province (see `report_conferences_q`)."""
    qs = Directive.objects.for_user(user, Action.VIEW).filter(conference__date__gte=start, conference__date__lte=end)
    if committee is not None:
        qs = qs.filter(report_conferences_q(committee, "conference__"))
    if unit is not None:
        qs = qs.filter(conference__unit=unit)
    return list(
        qs.select_related("conference")
        .prefetch_related(Prefetch("tasks", queryset=Task.objects.select_related("owner")))
        .order_by("conference__date", "number")
    )


def conferences_for_report(*, user, committee, start: dt.date, end: dt.date):
    """The conferences a committee's report lists: its own and other bodies' in its province."""
    return (
        Conference.objects.for_user(user, Action.VIEW)
        .filter(report_conferences_q(committee))
        .filter(date__gte=start, date__lte=end)
        .select_related("committee")
        .order_by("date", "id")
    )


def agreements_for_report(*, user, unit, year: int, start: dt.date, end: dt.date):
    """Coordination regulations of the report's year, or signed or reviewed between `start` and `end`."""
    qs = (
        Agreement.objects.for_user(user, Action.VIEW)
        .filter(unit=unit)
        .filter(
            Q(year=year) | Q(signed_on__gte=start, signed_on__lte=end) | Q(review_date__gte=start, review_date__lte=end)
        )
    )
    return list(qs.prefetch_related("parties").order_by("year", "signed_on", "id"))


def commendations_for_user(
    *,
    user,
    unit=None,
    conference=None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    kind=None,
    recipient_type: str = "",
):
    """Commendations in scope; `unit` is the province (a committee's commendations: its `unit`)."""
    qs = Commendation.objects.for_user(user, Action.VIEW).select_related("kind", "conference", "unit")
    if unit is not None:
        qs = qs.filter(unit=unit)
    if conference is not None:
        qs = qs.filter(conference=conference)
    if start:
        qs = qs.filter(decision_date__gte=start)
    if end:
        qs = qs.filter(decision_date__lte=end)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if recipient_type:
        qs = qs.filter(recipient_type=recipient_type)
    return qs


@dataclass
class CommendationCount:
    kind_name: str
    issuer: str
    collectives: int
    individuals: int


def commendation_counts(
    *, user, unit=None, start: dt.date | None = None, end: dt.date | None = None, conference=None
) -> list[CommendationCount]:
    """Collectives and individuals per kind (and issuer), in the kind's order."""
    counts: dict[tuple, Counter] = {}
    order: dict[tuple, tuple] = {}
    qs = commendations_for_user(user=user, unit=unit, start=start, end=end, conference=conference)
    for kind_id, kind_name, sort, issuer, rtype in qs.values_list(
        "kind_id", "kind__name", "kind__sort_order", "issuer", "recipient_type"
    ):
        key = (kind_id, kind_name, issuer)
        counts.setdefault(key, Counter())[rtype] += 1
        order[key] = (sort, kind_name, issuer)
    return [
        CommendationCount(
            kind_name=k[1],
            issuer=k[2],
            collectives=c[RecipientType.COLLECTIVE],
            individuals=c[RecipientType.INDIVIDUAL],
        )
        for k, c in sorted(counts.items(), key=lambda kv: order[kv[0]])
    ]
