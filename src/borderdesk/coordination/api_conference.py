"""REST endpoints for a conference's full record (participants, counterparts, reports presented,
decisions adopted with their membership changes, attachments), directives, task statistics per agency
and period, and reminders. Its own router, mounted on `coordination.api.router` (no import back)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from borderdesk.core.errors import ApplicationError, NotFoundError
from borderdesk.core.listing import ListPagination
from borderdesk.core.periods import parse_period
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.org.models import AdministrativeUnit, Agency, Committee, Counterpart, Membership

from . import files as file_store
from . import reminders, selectors, services
from .choices import TaskStatus
from .lists import CONFERENCES
from .models import Conference, ConferenceAttachment

router = Router()  # tags and auth from coordination.api.router


class NamedOut(Schema):
    id: int
    name: str


class MembershipChangeOut(Schema):
    id: int
    person: str
    role: str
    role_label: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    decision_number: str


class DecisionOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    decided_on: dt.date | None
    summary: str
    memberships: list[MembershipChangeOut]


class AttachmentOut(Schema):
    id: int
    title: str
    filename: str
    download_url: str


class DirectiveOut(Schema):
    id: int
    number: int
    text: str
    task_ids: list[int]


class ConferenceDetailOut(Schema):
    id: int
    unit_id: int
    committee_id: int | None
    convener: str
    kind: str
    kind_label: str
    title: str
    session_number: int | None
    session_label: str
    display_title: str
    date: dt.date
    place: str
    chair: str
    chair_post: str
    participants: str
    participant_agencies: list[NamedOut]
    counterparts: list[NamedOut]
    counterpart_delegations: str
    reports_presented: str
    conclusions: str
    decisions: list[DecisionOut]
    attachments: list[AttachmentOut]
    directives: list[DirectiveOut]
    source: str
    is_demo: bool
    version: int


def _detail(conf: Conference) -> dict:
    decisions = []
    for d in conf.decisions.prefetch_related("memberships__person"):
        decisions.append(
            {
                "id": d.pk,
                "kind": d.kind,
                "kind_label": str(d.get_kind_display()),
                "number": d.number,
                "decided_on": d.decided_on,
                "summary": d.summary,
                "memberships": [
                    {
                        "id": m.pk,
                        "person": m.person.full_name,
                        "role": m.role,
                        "role_label": str(m.get_role_display()),
                        "valid_from": m.valid_from,
                        "valid_to": m.valid_to,
                        "decision_number": m.decision_number,
                    }
                    for m in d.memberships.all()
                ],
            }
        )
    return {
        **{
            f: getattr(conf, f)
            for f in (
                "id",
                "unit_id",
                "committee_id",
                "convener",
                "kind",
                "title",
                "session_number",
                "session_label",
                "display_title",
                "date",
                "place",
                "chair",
                "chair_post",
                "participants",
                "counterpart_delegations",
                "reports_presented",
                "conclusions",
                "source",
                "is_demo",
                "version",
            )
        },
        "kind_label": str(conf.get_kind_display()),
        "participant_agencies": [{"id": a.pk, "name": a.name} for a in conf.participant_agencies.all()],
        "counterparts": [{"id": c.pk, "name": str(c)} for c in conf.counterparts.all()],
        "decisions": decisions,
        "attachments": [
            {
                "id": a.pk,
                "title": str(a),
                "filename": a.file.name.rsplit("/", 1)[-1],
                "download_url": reverse("coordination:attachment", args=[a.pk]),
            }
            for a in conf.attachments.all()
        ],
        "directives": [
            {"id": d.pk, "number": d.number, "text": d.text, "task_ids": [t.pk for t in d.tasks.all()]}
            for d in conf.directives.prefetch_related("tasks")
        ],
    }


@router.get("/conferences/{int:conference_id}", response=ConferenceDetailOut)
def get_conference(request, conference_id: int):
    """One conference with everything recorded about it."""
    return _detail(get_for_user_or_404(Conference, request.user, pk=conference_id))


class ConferenceIn(Schema):
    committee_id: int | None = None
    unit_id: int | None = None
    convener: str = ""
    kind: str
    title: str
    session_number: int | None = None
    date: dt.date
    place: str = ""
    chair: str = ""
    chair_post: str = ""
    participants: str = ""
    participant_agency_ids: list[int] = []
    counterpart_ids: list[int] = []
    counterpart_delegations: str = ""
    reports_presented: str = ""
    conclusions: str = ""
    directives: list[str] = []
    source: str = ""


@router.post("/conferences", response={201: ConferenceDetailOut})
def create_conference(request, payload: ConferenceIn):
    """Record a conference (attachments: `POST /conferences/{id}/attachments`)."""
    from .choices import ConferenceKind  # noqa: PLC0415

    data = payload.dict()
    if data["kind"] not in ConferenceKind.values:
        raise ApplicationError(
            _("Loại hội nghị không hợp lệ: “%(v)s” (dùng: %(ok)s).")
            % {"v": data["kind"], "ok": ", ".join(ConferenceKind.values)},
            field_errors={"kind": ["invalid"]},
        )
    fields = {
        k: data[k]
        for k in (
            "convener",
            "kind",
            "title",
            "session_number",
            "date",
            "place",
            "chair",
            "chair_post",
            "participants",
            "counterpart_delegations",
            "reports_presented",
            "conclusions",
            "source",
        )
    }
    if data["committee_id"]:
        fields["committee"] = get_for_user_or_404(Committee, request.user, pk=data["committee_id"])
    if data["unit_id"]:
        fields["unit"] = get_for_user_or_404(AdministrativeUnit, request.user, pk=data["unit_id"])
    if "committee" not in fields and "unit" not in fields:
        raise ApplicationError(
            _("Chọn ban chỉ đạo, hoặc tỉnh nơi tổ chức hội nghị."), field_errors={"unit": ["required"]}
        )
    agencies = [get_for_user_or_404(Agency, request.user, pk=pk) for pk in data["participant_agency_ids"]]
    counterparts = [get_for_user_or_404(Counterpart, request.user, pk=pk) for pk in data["counterpart_ids"]]
    conf = services.conference_create(
        user=request.user,
        participant_agencies=agencies,
        counterparts=counterparts,
        directives=data["directives"],
        **fields,
    )
    return Status(201, _detail(conf))


@router.post("/conferences/{int:conference_id}/attachments", response={201: list[AttachmentOut]})
def add_attachments(request, conference_id: int, files: list[UploadedFile] = File(...)):  # noqa: B008
    """Attach files (multipart field `files`, repeatable); PDF, Word, Excel, OpenDocument, JPEG or PNG."""
    conf = get_for_user_or_404(Conference, request.user, Action.CHANGE, pk=conference_id)
    out = []
    for f in files:
        a = file_store.attachment_add(user=request.user, conference=conf, file=f)
        out.append(
            {
                "id": a.pk,
                "title": str(a),
                "filename": a.file.name.rsplit("/", 1)[-1],
                "download_url": reverse("coordination:attachment", args=[a.pk]),
            }
        )
    return Status(201, out)


@router.delete("/attachments/{int:attachment_id}", response={204: None})
def delete_attachment(request, attachment_id: int):
    att = get_for_user_or_404(
        ConferenceAttachment.objects.select_related("conference"), request.user, Action.CHANGE, pk=attachment_id
    )
    file_store.attachment_delete(user=request.user, attachment=att)
    return Status(204, None)


class DecisionIn(Schema):
    kind: str = "other"
    number: str = ""
    decided_on: dt.date | None = None
    summary: str
    membership_ids: list[int] = []


@router.post("/conferences/{int:conference_id}/decisions", response={201: DecisionOut})
def add_decision(request, conference_id: int, payload: DecisionIn):
    """A decision adopted at the conference; a reconstitution (`kind=reconstitute`) is linked to the
    membership changes it made (`membership_ids`, or the committee's memberships under its `number`)."""
    conf = get_for_user_or_404(Conference, request.user, Action.CHANGE, pk=conference_id)
    # Only seats of this conference's committee that the caller may see: any other id answers 404, the same
    # as a missing one, before anything is written (a guessed id names nobody and creates nothing).
    memberships = list(
        Membership.objects.for_user(request.user, Action.VIEW)
        .filter(pk__in=payload.membership_ids, committee_id=conf.committee_id)
        .select_related("person")
    )
    if len(memberships) != len(set(payload.membership_ids)):
        raise NotFoundError(_("Không tìm thấy thành viên ban chỉ đạo này."))
    d = services.decision_add(
        user=request.user,
        conference=conf,
        kind=payload.kind,
        number=payload.number,
        decided_on=payload.decided_on,
        summary=payload.summary,
        memberships=memberships,
    )
    return Status(201, next(x for x in _detail(conf)["decisions"] if x["id"] == d.pk))


class DirectiveIn(Schema):
    text: str


@router.post("/conferences/{int:conference_id}/directives", response={201: DirectiveOut})
def add_directive(request, conference_id: int, payload: DirectiveIn):
    conf = get_for_user_or_404(Conference, request.user, Action.CHANGE, pk=conference_id)
    if not payload.text.strip():
        raise ApplicationError(_("Hãy nhập nội dung chỉ đạo."), field_errors={"text": ["required"]})
    d = services.directive_create(user=request.user, conference=conf, text=payload.text)
    return Status(201, {"id": d.pk, "number": d.number, "text": d.text, "task_ids": []})


class AgencyStatsOut(Schema):
    agency_id: int
    agency: str
    total: int
    done_on_time: int
    done_late: int
    open_in_term: int
    overdue: int


class StatsByAgencyOut(Schema):
    as_of: dt.date
    start: dt.date | None
    end: dt.date | None
    total: int
    by_status: dict[str, int]
    by_agency: list[AgencyStatsOut]


def _period_bounds(period: str, rule: str, date_from, date_to):
    if not period:
        return date_from, date_to
    try:
        p = parse_period(period, rule)
    except ValueError as exc:
        raise ApplicationError(_("Kỳ không hợp lệ: %s") % exc, field_errors={"period": [str(exc)]}) from None
    return p.start, p.end


@router.get("/tasks/statistics/by-agency", response=StatsByAgencyOut)
def task_statistics_by_agency(
    request,
    period: str = "",
    rule: str = "calendar",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    as_of: dt.date | None = None,
    committee: str = "",
):
    """QĐ 42 statuses per owner agency of the tasks given at conferences held in the period (a key such
    as 2025 or 2025H1, or `date_from`/`date_to`), as of `as_of` (default today)."""
    if rule not in ("calendar", "decree09"):
        raise ApplicationError(
            _("Quy tắc kỳ không hợp lệ (dùng calendar hoặc decree09)."), field_errors={"rule": ["invalid"]}
        )
    start, end = _period_bounds(period, rule, date_from, date_to)
    kwargs = {}
    if committee:
        lookup = {"pk": int(committee)} if committee.isdigit() else {"code": committee}
        kwargs["committee"] = get_for_user_or_404(Committee, request.user, **lookup)
    today = as_of or timezone.localdate()
    s = selectors.task_statistics(user=request.user, start=start, end=end, today=today, **kwargs)
    statuses = [st.value for st in TaskStatus]
    rows = [
        {"agency_id": aid, "agency": name, "total": sum(c.values()), **{st: c.get(st, 0) for st in statuses}}
        for (aid, name), c in sorted(s.by_agency_id.items(), key=lambda kv: kv[0][1])
    ]
    return {
        "as_of": today,
        "start": start,
        "end": end,
        "total": s.total,
        "by_status": {st: s.count(st) for st in statuses},
        "by_agency": rows,
    }


class ReminderTaskOut(Schema):
    id: int
    title: str
    owner: str
    deadline: dt.date


class RemindersOut(Schema):
    as_of: dt.date
    within_days: int
    due: list[ReminderTaskOut]
    overdue: list[ReminderTaskOut]
    email_configured: bool


def _rt(t) -> dict:
    return {"id": t.pk, "title": t.title, "owner": t.owner.name, "deadline": t.deadline}


@router.get("/reminders", response=RemindersOut)
def list_reminders(request, within_days: int = 14, as_of: dt.date | None = None):
    """The caller's reminders: open tasks due within `within_days`, and overdue ones."""
    if not 0 <= within_days <= 366:
        raise ApplicationError(_("within_days phải từ 0 đến 366."), field_errors={"within_days": ["range"]})
    today = as_of or timezone.localdate()
    due, overdue = selectors.reminders(user=request.user, today=today, within_days=within_days)
    return {
        "as_of": today,
        "within_days": within_days,
        "due": [_rt(t) for t in due],
        "overdue": [_rt(t) for t in overdue],
        "email_configured": reminders.mail_configured(),
    }


class SendRemindersIn(Schema):
    within_days: int = 7
    as_of: dt.date | None = None


class SendRemindersOut(Schema):
    email_configured: bool
    sent: int
    tasks: int
    message: str


@router.post("/reminders/send", response=SendRemindersOut)
def send_reminders(request, payload: SendRemindersIn):
    """Send the reminder e-mails now (the same job as `borderdesk send_reminders`); manage right."""
    if not request.user.can(Action.MANAGE):
        raise NotFoundError(_("Bạn không có quyền gửi thư nhắc việc."))
    if not 0 <= payload.within_days <= 366:
        raise ApplicationError(_("within_days phải từ 0 đến 366."), field_errors={"within_days": ["range"]})
    run = reminders.send_reminder_emails(today=payload.as_of or timezone.localdate(), within_days=payload.within_days)
    message = (
        (_("Đã gửi %(n)s thư nhắc việc.") % {"n": run.sent})
        if run.configured
        else _("Chưa cấu hình thư điện tử: không gửi thư; nhắc việc vẫn hiện trong ứng dụng.")
    )
    return {"email_configured": run.configured, "sent": run.sent, "tasks": run.tasks, "message": message}


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


@router.get(
    "/conferences",
    response=list[ConferenceOut],
    operation_id="borderdesk_coordination_api_list_conferences",  # its id before it moved here
    description=CONFERENCES.describe(),
)
@paginate(ListPagination, spec=CONFERENCES)
def list_conferences(request):
    return selectors.conferences_for_user(user=request.user)
