"""Every write of coordination data: scope check, validation, one transaction, the change log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from borderdesk.core import uploads
from borderdesk.core.changelog import record_change, save_with_log, snapshot
from borderdesk.core.errors import ApplicationError, validation_error_to_application_error
from borderdesk.core.scoping import Action, require_in_scope, require_unit_in_scope
from borderdesk.core.services import bump_version, check_version

from . import files
from .choices import DecisionKind
from .models import (
    Agreement,
    Commendation,
    CommendationKind,
    Conference,
    ConferenceDecision,
    Directive,
    Task,
    TaskUpdate,
)


def _save(user, instance, reason: str = "", action: str | None = None):
    try:
        return save_with_log(user=user, instance=instance, reason=reason, action=action)
    except ValidationError as exc:
        raise validation_error_to_application_error(exc) from None


def _set(instance, fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(_("Không sửa được trường: %s") % ", ".join(sorted(unknown)))
    for k, v in fields.items():
        setattr(instance, k, v)


CONFERENCE_FIELDS = {
    "unit",
    "committee",
    "kind",
    "convener",
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
    "is_demo",
}


@transaction.atomic
def conference_create(
    *,
    user,
    participant_agencies=(),
    directives: list[str] | None = None,
    reason: str = "",
    counterparts=(),
    attachments=(),
    **fields,
) -> Conference:
    """Record a conference; `directives` (texts) become its numbered directives; `counterparts` are the
    delegations from across the border; `attachments` (uploaded files) are checked and attached."""
    _set(conf := Conference(), fields, CONFERENCE_FIELDS)
    if conf.committee is not None and not conf.unit_id:
        conf.unit_id = conf.committee.unit_id
    require_unit_in_scope(conf.unit_id, getattr(conf.committee, "standing_office_id", None), user, Action.CHANGE)
    if conf.committee is not None and conf.committee.unit_id != conf.unit_id:
        raise ApplicationError(_("Ban chỉ đạo không thuộc tỉnh của hội nghị."), field_errors={"committee": ["unit"]})
    _save(user, conf, reason)
    if participant_agencies:
        _set_participants(user, conf, participant_agencies, reason)
    if counterparts:
        _set_participants(user, conf, counterparts, reason, field="counterparts")
    for f in attachments or ():
        files.attachment_add(user=user, conference=conf, file=f)
    texts = [t.strip() for t in directives or [] if t.strip()]
    for i, text in enumerate(texts, start=1):
        if text:
            _save(user, Directive(conference=conf, number=i, text=text, is_demo=conf.is_demo, source=conf.source))
    return conf


def _set_participants(
    user, conference: Conference, agencies, reason: str = "", field: str = "participant_agencies"
) -> None:
    """Set the participating agencies (or counterparts), logging the change (many-to-many links are not in
    snapshots). Counterparts must be the conference province's."""
    manager = getattr(conference, field)
    before = sorted(manager.values_list("pk", flat=True)) if conference.pk else []
    after = sorted({a.pk for a in agencies})
    if before == after:
        return
    if field == "counterparts" and any(c.unit_id != conference.unit_id for c in agencies):
        raise ApplicationError(
            _("Đối tác nước bạn không thuộc tỉnh của hội nghị."), field_errors={"counterparts": ["unit"]}
        )
    manager.set(after)
    record_change(
        user=user, instance=conference, action="update", before={field: before}, after={field: after}, reason=reason
    )


@transaction.atomic
def conference_update(
    *,
    user,
    conference: Conference,
    expected_version: int | None = None,
    reason: str = "",
    participant_agencies=None,
    counterparts=None,
    attachments=(),
    **fields,
) -> Conference:
    """Edit a conference (not its province). A stale `expected_version` is refused (ConflictError)."""
    require_in_scope(conference, user, Action.CHANGE)
    check_version(conference, expected_version)
    _set(conference, fields, CONFERENCE_FIELDS - {"unit"})
    if conference.committee is not None and conference.committee.unit_id != conference.unit_id:
        raise ApplicationError(_("Ban chỉ đạo không thuộc tỉnh của hội nghị."), field_errors={"committee": ["unit"]})
    bump_version(conference)
    _save(user, conference, reason)
    if participant_agencies is not None:
        _set_participants(user, conference, participant_agencies, reason)
    if counterparts is not None:
        _set_participants(user, conference, counterparts, reason, field="counterparts")
    for f in attachments or ():
        files.attachment_add(user=user, conference=conference, file=f)
    return conference


@transaction.atomic
def decision_add(
    *,
    user,
    conference: Conference,
    summary: str,
    kind: str = "other",
    number: str = "",
    decided_on: dt.date | None = None,
    memberships=None,
    source: str = "",
) -> ConferenceDecision:
    """A decision adopted at the conference.

    A reconstitution (kiện toàn) is linked to the membership changes it made: the given memberships, or
    else the committee's memberships recorded under the same decision number. A reconstitution with no
    membership to link is refused, as is a membership of another committee."""
    from borderdesk.org.models import Membership  # noqa: PLC0415

    require_in_scope(conference, user, Action.CHANGE)
    summary, number = (summary or "").strip(), (number or "").strip()
    if not summary:
        raise ApplicationError(_("Hãy nhập trích yếu của quyết định."), field_errors={"summary": ["required"]})
    if kind not in DecisionKind.values:
        raise ApplicationError(_("Loại quyết định không hợp lệ: “%s”.") % kind, field_errors={"kind": ["invalid"]})
    memberships = list(memberships or [])
    if kind == DecisionKind.RECONSTITUTE:
        if not conference.committee_id:
            raise ApplicationError(
                _("Quyết định kiện toàn cần một hội nghị của ban chỉ đạo."), field_errors={"kind": ["no committee"]}
            )
        if not memberships and number:
            memberships = list(
                Membership.objects.filter(committee_id=conference.committee_id, decision_number=number).select_related(
                    "person"
                )
            )
        if not memberships:
            raise ApplicationError(
                _(
                    "Quyết định kiện toàn cần gắn với các thay đổi thành viên: chọn thành viên được bổ sung, thay "
                    "thế hoặc thôi giữ chức (hoặc ghi đúng số quyết định đã nhập ở danh sách thành viên)."
                ),
                field_errors={"memberships": ["required"]},
            )
    for m in memberships:
        if m.committee_id != conference.committee_id:
            raise ApplicationError(
                _("Thành viên %(p)s không thuộc ban chỉ đạo của hội nghị.") % {"p": m.person},
                field_errors={"memberships": ["committee"]},
            )
    decision = _save(
        user,
        ConferenceDecision(
            conference=conference,
            summary=summary,
            kind=kind,
            number=number,
            decided_on=decided_on,
            source=source or conference.source,
            is_demo=conference.is_demo,
        ),
    )
    if memberships:
        decision.memberships.set(memberships)
        record_change(
            user=user,
            instance=decision,
            action="update",
            before={"memberships": []},
            after={"memberships": sorted(m.pk for m in memberships)},
        )
    return decision


@transaction.atomic
def directive_create(
    *, user, conference: Conference, text: str, number: int | None = None, source: str = "", is_demo: bool = False
) -> Directive:
    require_in_scope(conference, user, Action.CHANGE)
    if number is None:
        number = (conference.directives.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return _save(
        user, Directive(conference=conference, number=number, text=text.strip(), source=source, is_demo=is_demo)
    )


@transaction.atomic
def task_create(
    *,
    user,
    directive: Directive,
    title: str,
    owner,
    deadline: dt.date | None = None,
    is_regular: bool = False,
    co_owners=(),
    source: str = "",
    is_demo: bool = False,
) -> Task:
    """Assign a task. A deadline before the conference that gave it is refused."""
    require_in_scope(directive.conference, user, Action.CHANGE)
    task = _save(
        user,
        Task(
            directive=directive,
            title=title.strip(),
            owner=owner,
            deadline=deadline,
            is_regular=is_regular,
            source=source,
            is_demo=is_demo,
        ),
    )
    if co_owners:
        task.co_owners.set([a for a in co_owners if a.pk != owner.pk])
    return task


@transaction.atomic
def task_update_add(
    *,
    user,
    task: Task,
    text: str,
    date: dt.date | None = None,
    evidence=None,
    evidence_note: str = "",
    marks_done: bool = False,
) -> TaskUpdate:
    """A progress update (owners and the standing office). `marks_done` completes the task on `date`."""
    require_in_scope(task, user, Action.CHANGE)
    date = date or dt.date.today()
    if not text.strip():
        raise ApplicationError(_("Hãy nhập nội dung tiến độ."), field_errors={"text": ["required"]})
    if marks_done and not (evidence or evidence_note.strip()):
        raise ApplicationError(
            _("Báo cáo hoàn thành cần có minh chứng (tệp hoặc số, ngày văn bản)."),
            field_errors={"evidence": ["required"]},
        )
    upd = TaskUpdate(
        task=task,
        date=date,
        text=text.strip(),
        evidence_note=evidence_note.strip(),
        marks_done=marks_done,
        created_by=user if getattr(user, "pk", None) else None,
    )
    if evidence:
        uploads.check_document(evidence, field="evidence")
        upd.evidence = evidence
    try:
        upd.full_clean()
    except ValidationError as exc:
        raise validation_error_to_application_error(exc) from None
    upd.save()
    record_change(user=user, instance=upd, action="create", before=None, after=snapshot(upd))
    if marks_done:
        task.done_on = date
        bump_version(task)
        _save(user, task, action="complete")
    return upd


@transaction.atomic
def commendation_create(
    *,
    user,
    unit,
    kind: CommendationKind,
    recipient_type: str,
    recipient_name: str,
    issuer: str = "",
    decision_date: dt.date,
    decision_number: str = "",
    conference=None,
    reason: str = "",
    source: str = "",
    is_demo: bool = False,
) -> Commendation:
    require_unit_in_scope(unit.pk, None, user, Action.CHANGE)
    if conference is not None and conference.unit_id != unit.pk:
        raise ApplicationError(_("Hội nghị không thuộc tỉnh này."), field_errors={"conference": ["unit"]})
    return _save(
        user,
        Commendation(
            unit=unit,
            kind=kind,
            recipient_type=recipient_type,
            recipient_name=recipient_name.strip(),
            issuer=issuer or kind.issuer_title,
            decision_date=decision_date,
            decision_number=decision_number,
            conference=conference,
            reason=reason,
            source=source,
            is_demo=is_demo,
        ),
    )


@transaction.atomic
def agreement_create(
    *,
    user,
    unit,
    title: str,
    year: int,
    signed_on: dt.date | None,
    parties=(),
    summary: str = "",
    review_date: dt.date | None = None,
    signing_conference=None,
    review_conference=None,
    previous=None,
    source: str = "",
    is_demo: bool = False,
) -> Agreement:
    require_unit_in_scope(unit.pk, None, user, Action.CHANGE)
    if len(list(parties)) < 2:
        raise ApplicationError(_("Quy chế phối hợp cần ít nhất hai bên."), field_errors={"parties": ["min 2"]})
    agreement = _save(
        user,
        Agreement(
            unit=unit,
            title=title,
            year=year,
            signed_on=signed_on,
            summary=summary,
            review_date=review_date,
            signing_conference=signing_conference,
            review_conference=review_conference,
            previous=previous,
            source=source,
            is_demo=is_demo,
        ),
    )
    agreement.parties.set(parties)
    return agreement
