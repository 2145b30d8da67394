"""The approval workflow of a report: submit, approve up the chain of units, return, reopen and the lock
exceptions; each step logs before/after and an ApprovalStep, and refreshes the roll-up (approved and submitted)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderdesk.core.changelog import record_change, snapshot
from borderdesk.core.errors import ApplicationError, PermissionDeniedError
from borderdesk.core.scoping import Action, require_in_scope, scope_for
from borderdesk.core.services import bump_version, check_version

from . import rollup
from .choices import Severity, Status, Transition
from .models import (
    ApprovalStep,
    Submission,
)
from .services import _check_editable, _user_or_none, validate_submission

#: workflow steps that enter or change a report's figures (their authors may not approve it)
FIGURE_ACTIONS = (Transition.SAVE, Transition.IMPORT, Transition.PREFILL)


def _since_last_approval(sub: Submission):
    """Figures entered before the report was last approved were reviewed then; count those since."""
    last = sub.steps.filter(to_status=Status.APPROVED).order_by("-at").values_list("at", flat=True).first()
    return last or dt.datetime.min.replace(tzinfo=dt.UTC)


def _approval_chain(sub: Submission) -> list:
    """Units whose approval completes the workflow, lowest first, as the tree stood in the period."""
    top = sub.form_version.approval_top_kind
    unit = sub.unit  # None without a query when the reporter is an agency
    if unit is not None:
        if unit.kind in (top, "country"):
            return [unit]
        chain = []
        node = unit.parent
        while node is not None:
            chain.append(node)
            if node.kind in (top, "country"):
                break
            node = node.parent
        return chain
    agency = sub.agency
    if agency is None:  # cannot happen: the reporting_submission_unit_xor_agency constraint; as `None.unit` did
        raise AttributeError("a submission without a unit has an agency")
    place = agency.unit
    while place.kind not in (top, "country") and (parent := place.parent) is not None:
        place = parent
    return [place]


def _transition(sub: Submission, *, user, action: str, to_status: str, reason: str = "", level_unit=None):
    """Change the status, log it, refresh the roll-up. The transitions lock the report FOR NO KEY UPDATE: the
    refresh of another report of the same reporter inserts roll-up members referencing this one (submitted
    reports are in the roll-up), whose foreign-key check takes FOR KEY SHARE; with FOR UPDATE it would wait for
    this transaction while this one waits for its reporter lock (rollup.refresh_for_submission), a deadlock."""
    before = snapshot(sub)
    from_status = sub.status
    sub.status = to_status
    bump_version(sub)
    sub.full_clean()
    sub.save()
    record_change(user=user, instance=sub, action=action, before=before, after=snapshot(sub), reason=reason)
    ApprovalStep.objects.create(
        submission=sub,
        action=action,
        from_status=from_status,
        to_status=to_status,
        user=_user_or_none(user),
        reason=reason,
        level_unit=level_unit,
    )
    if {from_status, to_status} & {Status.APPROVED, Status.SUBMITTED}:  # the roll-up holds both (rollup.SCOPES)
        rollup.refresh_for_submission(sub)


def submission_submit(
    *, user, submission: Submission, expected_version: int | None = None, enforce_lock: bool = True
) -> Submission:
    """draft/returned → submitted. Errors block; every warning needs a comment on one of its indicators."""
    require_in_scope(submission, user, Action.CHANGE)
    with transaction.atomic():
        sub = (
            Submission.objects.select_for_update(of=("self",), no_key=True)  # see _transition
            .select_related("form_version", "unit", "agency")
            .get(pk=submission.pk)
        )
        check_version(sub, expected_version)
        _check_editable(sub, enforce_lock=enforce_lock)
        if not sub.values.exists() and not sub.narratives.exclude(text="").exists():
            raise ApplicationError(_("Báo cáo chưa có số liệu hay nội dung nào."))
        findings = validate_submission(submission=sub)
        commented = set(sub.values.exclude(comment="").values_list("indicator__code", flat=True))
        problems: dict[str, list[str]] = {}
        for f in findings:
            if f.severity == Severity.ERROR:
                for c in f.codes or ["__all__"]:
                    problems.setdefault(c, []).append(f.message)
            elif not set(f.codes) & commented:
                for c in f.codes or ["__all__"]:
                    problems.setdefault(c, []).append(_("Cảnh báo cần ghi chú: %s") % f.message)
        overridden = sub.values.exclude(derived_value=None).filter(override_reason="")
        for dv in overridden.select_related("indicator"):
            if dv.value != dv.derived_value:
                problems.setdefault(dv.indicator.code, []).append(_("Cần lý do điều chỉnh so với số tính tự động."))
        if problems:
            raise ApplicationError(
                _("Chưa gửi được: còn lỗi hoặc cảnh báo chưa có ghi chú."),
                field_errors=problems,
                code="validation_failed",
            )
        sub.submitted_at = timezone.now()
        sub.submitted_by = _user_or_none(user)
        sub.return_reason = ""
        sub.approval_levels = [
            {"unit_id": u.pk, "unit": u.name, "approved_by": None, "at": None} for u in _approval_chain(sub)
        ]
        _transition(sub, user=user, action=Transition.SUBMIT, to_status=Status.SUBMITTED)
    submission.refresh_from_db()
    return submission


def submission_approve(
    *, user, submission: Submission, comment: str = "", expected_version: int | None = None
) -> Submission:
    """Approve the lowest pending level (one level per decision); the top level locks the submission.

    The approver must hold the approve action over the level's unit (the level above the reporter, as
    the tree stood in the period) and may not approve a report they submitted.
    """
    require_in_scope(submission, user, Action.APPROVE)
    scope = scope_for(user, Action.APPROVE)
    with transaction.atomic():
        sub = Submission.objects.select_for_update(no_key=True).get(pk=submission.pk)  # see _transition
        check_version(sub, expected_version)
        if sub.status != Status.SUBMITTED:
            raise ApplicationError(_("Chỉ duyệt được báo cáo đã gửi (hiện: %s).") % sub.get_status_display())
        if sub.submitted_by_id and getattr(user, "pk", None) == sub.submitted_by_id and not user.is_superuser:
            raise PermissionDeniedError(_("Người gửi báo cáo không tự duyệt báo cáo của mình."))
        if (
            getattr(user, "pk", None)
            and not user.is_superuser
            and sub.steps.filter(user=user, action__in=FIGURE_ACTIONS, at__gte=_since_last_approval(sub)).exists()
        ):
            raise PermissionDeniedError(
                _(
                    "Bạn đã nhập hoặc sửa số liệu của báo cáo này; người khác phải duyệt "
                    "(tách bạch người nhập và người duyệt)."
                )
            )
        levels = list(sub.approval_levels or [])
        done_any = False
        now = timezone.now()
        from borderdesk.org.models import AdministrativeUnit

        for level in levels:
            if level.get("approved_by"):
                continue
            if not scope.contains_unit(level["unit_id"]):
                break
            level["approved_by"] = user.get_username() if getattr(user, "pk", None) else "system"
            level["at"] = now.isoformat()
            done_any = True
            ApprovalStep.objects.create(
                submission=sub,
                action=Transition.APPROVE,
                from_status=sub.status,
                to_status=sub.status,
                user=_user_or_none(user),
                reason=comment,
                level_unit=AdministrativeUnit.objects.filter(pk=level["unit_id"]).first(),
            )
            break  # one level per decision: the next level sees the report (and its warnings) itself
        if not done_any:
            raise PermissionDeniedError(
                _("Báo cáo đang chờ cấp %s duyệt; bạn không có quyền duyệt ở cấp đó.")
                % next(lv["unit"] for lv in levels if not lv.get("approved_by"))
            )
        sub.approval_levels = levels
        if all(lv.get("approved_by") for lv in levels):
            sub.approved_at = now
            sub.approved_by = _user_or_none(user)
            sub.approved_snapshot = sub.values_snapshot()
            _transition(sub, user=user, action=Transition.APPROVE, to_status=Status.APPROVED, reason=comment)
        else:
            bump_version(sub)
            sub.save(update_fields=["approval_levels", "version", "updated_at"])
    submission.refresh_from_db()
    return submission


def submission_return(*, user, submission: Submission, reason: str, expected_version: int | None = None) -> Submission:
    """submitted → returned, with the reason the reporter will see."""
    require_in_scope(submission, user, Action.APPROVE)
    if not (reason or "").strip():
        raise ApplicationError(_("Cần ghi lý do trả lại."), field_errors={"reason": [_("Bắt buộc.")]})
    with transaction.atomic():
        sub = Submission.objects.select_for_update(no_key=True).get(pk=submission.pk)  # see _transition
        check_version(sub, expected_version)
        if sub.status != Status.SUBMITTED:
            raise ApplicationError(_("Chỉ trả lại được báo cáo đã gửi (hiện: %s).") % sub.get_status_display())
        sub.return_reason = reason.strip()
        sub.approval_levels = []
        _transition(sub, user=user, action=Transition.RETURN, to_status=Status.RETURNED, reason=reason.strip())
    submission.refresh_from_db()
    return submission


def submission_reopen(*, user, submission: Submission, reason: str, expected_version: int | None = None) -> Submission:
    """approved → returned (editable again). Needs an approver and a reason; the approved figures are kept
    as the baseline of "what changed since last approval"."""
    require_in_scope(submission, user, Action.APPROVE)
    if not (reason or "").strip():
        raise ApplicationError(_("Cần ghi lý do mở lại."), field_errors={"reason": [_("Bắt buộc.")]})
    with transaction.atomic():
        sub = Submission.objects.select_for_update(no_key=True).get(pk=submission.pk)  # see _transition
        check_version(sub, expected_version)
        if sub.status != Status.APPROVED:
            raise ApplicationError(_("Chỉ mở lại được báo cáo đã duyệt."))
        sub.return_reason = reason.strip()
        sub.approval_levels = []
        _transition(sub, user=user, action=Transition.REOPEN, to_status=Status.RETURNED, reason=reason.strip())
    submission.refresh_from_db()
    return submission


def submission_grant_lock_exception(*, user, submission: Submission, until: dt.date, reason: str) -> Submission:
    """An approver lets a unit enter data after the lock date, until ``until``."""
    require_in_scope(submission, user, Action.APPROVE)
    if not (reason or "").strip():
        raise ApplicationError(_("Cần ghi lý do cho phép nhập sau hạn."))
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=submission.pk)
        before = snapshot(sub)
        sub.lock_exception_until = until
        bump_version(sub)
        sub.save(update_fields=["lock_exception_until", "version", "updated_at"])
        record_change(
            user=user, instance=sub, action=Transition.LOCK_EXCEPTION, before=before, after=snapshot(sub), reason=reason
        )
        ApprovalStep.objects.create(
            submission=sub,
            action=Transition.LOCK_EXCEPTION,
            from_status=sub.status,
            to_status=sub.status,
            user=_user_or_none(user),
            reason=reason,
        )
    submission.refresh_from_db()
    return submission
