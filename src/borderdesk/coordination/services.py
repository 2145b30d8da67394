"""Every write of coordination data: scope check, validation, one transaction, the change log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from borderdesk.core.changelog import record_change, save_with_log, snapshot
from borderdesk.core.errors import ApplicationError, validation_error_to_application_error
from borderdesk.core.scoping import Action, require_in_scope, require_unit_in_scope
from borderdesk.core.services import bump_version, check_version

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


CONFERENCE_FIELDS = {"unit", "committee", "kind", "convener", "title", "session_number", "date", "place", "chair",
                     "chair_post", "participants", "counterpart_delegations", "reports_presented",
                     "conclusions", "attachment", "source", "is_demo"}


@transaction.atomic
def conference_create(*, user, participant_agencies=(), directives: list[str] | None = None,
                      reason: str = "", **fields) -> Conference:
    """Record a conference; `directives` (texts) become its numbered directives."""
    _set(conf := Conference(), fields, CONFERENCE_FIELDS)
    if conf.committee_id and not conf.unit_id:
        conf.unit_id = conf.committee.unit_id
    require_unit_in_scope(conf.unit_id, getattr(conf.committee, "standing_office_id", None), user, Action.CHANGE)
    if conf.committee_id and conf.committee.unit_id != conf.unit_id:
        raise ApplicationError(_("Ban chỉ đạo không thuộc tỉnh của hội nghị."), field_errors={"committee": ["unit"]})
    _save(user, conf, reason)
    if participant_agencies:
        _set_participants(user, conf, participant_agencies, reason)
    texts = [t.strip() for t in directives or [] if t.strip()]
    for i, text in enumerate(texts, start=1):
        if text:
            _save(user, Directive(conference=conf, number=i, text=text, is_demo=conf.is_demo,
                                  source=conf.source))
    return conf


def _set_participants(user, conference: Conference, agencies, reason: str = "") -> None:
    """Set the participating agencies, logging the change (many-to-many links are not in snapshots)."""
    before = sorted(conference.participant_agencies.values_list("pk", flat=True)) if conference.pk else []
    after = sorted({a.pk for a in agencies})
    if before == after:
        return
    conference.participant_agencies.set(after)
    record_change(user=user, instance=conference, action="update", before={"participant_agencies": before},
                  after={"participant_agencies": after}, reason=reason)


@transaction.atomic
def conference_update(*, user, conference: Conference, expected_version: int | None = None, reason: str = "",
                      participant_agencies=None, **fields) -> Conference:
    """Edit a conference (not its province). A stale `expected_version` is refused (ConflictError)."""
    require_in_scope(conference, user, Action.CHANGE)
    check_version(conference, expected_version)
    _set(conference, fields, CONFERENCE_FIELDS - {"unit"})
    if conference.committee_id and conference.committee.unit_id != conference.unit_id:
        raise ApplicationError(_("Ban chỉ đạo không thuộc tỉnh của hội nghị."), field_errors={"committee": ["unit"]})
    bump_version(conference)
    _save(user, conference, reason)
    if participant_agencies is not None:
        _set_participants(user, conference, participant_agencies, reason)
    return conference


@transaction.atomic
def decision_add(*, user, conference: Conference, summary: str, kind: str = "other", number: str = "",
                 decided_on: dt.date | None = None, memberships=(), source: str = "") -> ConferenceDecision:
    """A decision adopted at the conference; a reconstitution links the memberships it created/ended."""
    require_in_scope(conference, user, Action.CHANGE)
    decision = _save(user, ConferenceDecision(conference=conference, summary=summary, kind=kind, number=number,
                                              decided_on=decided_on, source=source or conference.source,
                                              is_demo=conference.is_demo))
    if memberships:
        for m in memberships:
            if conference.committee_id and m.committee_id != conference.committee_id:
                raise ApplicationError(_("Thành viên %(p)s không thuộc ban chỉ đạo của hội nghị.") % {"p": m.person})
        decision.memberships.set(memberships)
    return decision


@transaction.atomic
def directive_create(*, user, conference: Conference, text: str, number: int | None = None,
                     source: str = "", is_demo: bool = False) -> Directive:
    require_in_scope(conference, user, Action.CHANGE)
    if number is None:
        number = (conference.directives.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return _save(user, Directive(conference=conference, number=number, text=text.strip(), source=source,
                                 is_demo=is_demo))


@transaction.atomic
def task_create(*, user, directive: Directive, title: str, owner, deadline: dt.date | None = None,
                is_regular: bool = False, co_owners=(), source: str = "", is_demo: bool = False) -> Task:
    """Assign a task. A deadline before the conference that gave it is refused."""
    require_in_scope(directive.conference, user, Action.CHANGE)
    task = _save(user, Task(directive=directive, title=title.strip(), owner=owner, deadline=deadline,
                            is_regular=is_regular, source=source, is_demo=is_demo))
    if co_owners:
        task.co_owners.set([a for a in co_owners if a.pk != owner.pk])
    return task


@transaction.atomic
def task_update_add(*, user, task: Task, text: str, date: dt.date | None = None, evidence=None,
                    evidence_note: str = "", marks_done: bool = False) -> TaskUpdate:
    """A progress update (owners and the standing office). `marks_done` completes the task on `date`."""
    require_in_scope(task, user, Action.CHANGE)
    date = date or dt.date.today()
    if not text.strip():
        raise ApplicationError(_("Hãy nhập nội dung tiến độ."), field_errors={"text": ["required"]})
    if marks_done and not (evidence or evidence_note.strip()):
        raise ApplicationError(_("Báo cáo hoàn thành cần có minh chứng (tệp hoặc số, ngày văn bản)."),
                               field_errors={"evidence": ["required"]})
    upd = TaskUpdate(task=task, date=date, text=text.strip(), evidence_note=evidence_note.strip(),
                     marks_done=marks_done, created_by=user if getattr(user, "pk", None) else None)
    if evidence:
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
def task_reopen(*, user, task: Task, reason: str) -> Task:
    require_in_scope(task, user, Action.CHANGE)
    task.done_on = None
    bump_version(task)
    return _save(user, task, reason=reason, action="reopen")


@transaction.atomic
def commendation_create(*, user, unit, kind: CommendationKind, recipient_type: str, recipient_name: str,
                        issuer: str = "", decision_date: dt.date, decision_number: str = "", conference=None,
                        reason: str = "", source: str = "", is_demo: bool = False) -> Commendation:
    require_unit_in_scope(unit.pk, None, user, Action.CHANGE)
    if conference is not None and conference.unit_id != unit.pk:
        raise ApplicationError(_("Hội nghị không thuộc tỉnh này."), field_errors={"conference": ["unit"]})
    return _save(user, Commendation(unit=unit, kind=kind, recipient_type=recipient_type,
                                    recipient_name=recipient_name.strip(), issuer=issuer or kind.issuer_title,
                                    decision_date=decision_date, decision_number=decision_number,
                                    conference=conference, reason=reason, source=source, is_demo=is_demo))


@transaction.atomic
def agreement_create(*, user, unit, title: str, year: int, signed_on: dt.date | None, parties=(), summary: str = "",
                     review_date: dt.date | None = None, signing_conference=None, review_conference=None,
                     previous=None, source: str = "", is_demo: bool = False) -> Agreement:
    require_unit_in_scope(unit.pk, None, user, Action.CHANGE)
    if len(list(parties)) < 2:
        raise ApplicationError(_("Quy chế phối hợp cần ít nhất hai bên."), field_errors={"parties": ["min 2"]})
    agreement = _save(user, Agreement(unit=unit, title=title, year=year, signed_on=signed_on, summary=summary,
                                      review_date=review_date, signing_conference=signing_conference,
                                      review_conference=review_conference, previous=previous, source=source,
                                      is_demo=is_demo))
    agreement.parties.set(parties)
    return agreement


@transaction.atomic
def agreement_review(*, user, agreement: Agreement, review_date: dt.date, review_conference=None) -> Agreement:
    require_in_scope(agreement, user, Action.CHANGE)
    agreement.review_date = review_date
    agreement.review_conference = review_conference
    bump_version(agreement)
    return _save(user, agreement, action="review")
