"""Validation rules of the forms: save, delete and preview them on reports already sent.

Rules of one form may be edited by whoever may publish that form (standing office, administrator); rules
for every form (no form) only by an administrator (``catalogue``'s permission helpers). Expressions are
parsed with :mod:`borderdesk.reporting.validation` (an allow-list of AST nodes; never ``eval``). Every write
checks permission, runs in one transaction and logs a change with before/after.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from borderdesk.core.changelog import delete_with_log, record_change, snapshot
from borderdesk.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from borderdesk.core.scoping import Action
from borderdesk.core.services import bump_version, check_version

from .catalogue import can_edit_forms, require_catalogue, require_form
from .choices import Operator, Severity, Status
from .models import DataValue, Indicator, ReportForm, Submission, ValidationRule
from .validation import _OPS, _Missing, evaluate, expression_codes

RULE_FIELDS = ("name", "left", "operator", "right", "severity", "skip_when_missing", "message", "is_active")


def _clean_rule(data: dict, form: ReportForm | None) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    out: dict = {}
    for key in RULE_FIELDS:
        if key not in data:
            continue
        v = data[key]
        if key in ("skip_when_missing", "is_active"):
            out[key] = v in (True, "true", "1", "on", "yes")
        else:
            out[key] = "" if v is None else str(v).strip()
    if "operator" in out and out["operator"] not in Operator.values:
        errors["operator"] = [
            _("Phép so sánh “%(v)s” không hợp lệ; dùng một trong: %(allowed)s.")
            % {"v": out["operator"], "allowed": " ".join(Operator.values)}
        ]
    if "severity" in out and out["severity"] not in Severity.values:
        errors["severity"] = [
            _("Mức độ “%(v)s” không hợp lệ; dùng một trong: %(allowed)s.")
            % {"v": out["severity"], "allowed": ", ".join(Severity.values)}
        ]
    known = set(Indicator.objects.values_list("code", flat=True))
    in_form = set()
    if form is not None:
        for v in form.versions.all():
            in_form |= set(v.indicator_codes())
    for side in ("left", "right"):
        if side not in out:
            continue
        try:
            codes = expression_codes(out[side])
        except ValueError as exc:
            errors[side] = [str(exc)]
            continue
        unknown = sorted(codes - known)
        if unknown:
            errors[side] = [_("Mã chỉ tiêu không có trong danh mục: %s") % ", ".join(unknown)]
        elif form is not None and codes - in_form:
            errors[side] = [
                _("Chỉ tiêu không có trong biểu mẫu “%(f)s”: %(c)s")
                % {"f": form.name, "c": ", ".join(sorted(codes - in_form))}
            ]
    return out, errors


def rule_save(
    *,
    user,
    data: dict,
    instance: ValidationRule | None = None,
    form: ReportForm | None = None,
    expected_version: int | None = None,
) -> ValidationRule:
    """Create or update a validation rule (``form`` None: applies to every form — administrators only)."""
    target_form = instance.form if instance is not None else form
    require_catalogue(user) if target_form is None else require_form(user, target_form)
    fields, errors = _clean_rule(data, target_form)
    if instance is None:
        for key in ("name", "left", "operator", "right"):
            if not fields.get(key):
                errors.setdefault(key, [_("Bắt buộc.")])
    elif "name" in fields and not fields["name"]:
        errors["name"] = [_("Bắt buộc.")]
    if errors:
        raise ApplicationError(
            _("Chưa lưu quy tắc: %s") % "; ".join(m for v in errors.values() for m in v), field_errors=errors
        )
    with transaction.atomic():
        if instance is None:
            rule, before = ValidationRule(form=target_form, **fields), None
        else:
            rule = ValidationRule.objects.select_for_update(of=("self",)).get(pk=instance.pk)
            check_version(rule, expected_version)
            before = snapshot(rule)
            for k, v in fields.items():
                setattr(rule, k, v)
            if snapshot(rule) == before:
                return rule
            bump_version(rule)
        rule.full_clean()
        rule.save()
        record_change(
            user=user,
            instance=rule,
            action="create" if before is None else "update",
            before=before,
            after=snapshot(rule),
        )
    return rule


def rule_delete(*, user, rule: ValidationRule, expected_version: int | None = None) -> None:
    require_catalogue(user) if rule.form_id is None else require_form(user, rule.form)
    with transaction.atomic():
        current = ValidationRule.objects.select_for_update(of=("self",)).filter(pk=rule.pk).first()
        if current is None:
            raise NotFoundError(_("Không tìm thấy quy tắc."))
        check_version(current, expected_version)
        delete_with_log(user=user, instance=current)


@dataclass
class PreviewRow:
    submission_id: int
    reporter: str
    status: str
    outcome: str  # "pass" | "fail" | "missing" | "skipped"
    left: Decimal | None
    right: Decimal | None


@dataclass
class Preview:
    period_key: str
    rows: list[PreviewRow]

    @property
    def failing(self) -> int:
        return sum(1 for r in self.rows if r.outcome == "fail")


def rule_preview(*, user, form: ReportForm, data: dict, period_key: str = "") -> Preview:
    """What a rule (saved or not) would say about the reports of the last period, without saving anything.

    Reads the reports of ``form`` for ``period_key`` (default: the last finished period) in the user's
    scope, sent or approved; a rule that cannot be parsed raises the same errors as saving it.
    """
    from .window import default_period_for

    if not can_edit_forms(user):  # reads only (nothing saved), inside the user's view scope
        raise PermissionDeniedError(_("Chỉ cơ quan thường trực của tỉnh hoặc quản trị được sửa biểu mẫu."))
    fields, errors = _clean_rule({**data, "name": data.get("name") or "preview"}, form)
    for key in ("left", "operator", "right"):
        if not fields.get(key):
            errors.setdefault(key, [_("Bắt buộc.")])
    if errors:
        raise ApplicationError(
            _("Quy tắc chưa hợp lệ: %s") % "; ".join(m for v in errors.values() for m in v), field_errors=errors
        )
    if not period_key:
        period_key = default_period_for(form).key
    subs = list(
        Submission.objects.for_user(user, Action.VIEW)
        .filter(form=form, period_key=period_key, status__in=[Status.SUBMITTED, Status.APPROVED])
        .select_related("unit", "agency")
        .order_by("unit_path", "pk")[:500]
    )
    values: dict[int, dict[str, Decimal | None]] = {s.pk: {} for s in subs}
    for sid, code, value in DataValue.objects.filter(submission__in=subs).values_list(
        "submission_id", "indicator__code", "value"
    ):
        values[sid][code] = value
    groups: dict[str, list[str]] = {}
    for code, group in Indicator.objects.values_list("code", "group"):
        groups.setdefault(group, []).append(code)
    rows = []
    skip = fields.get("skip_when_missing", True) if "skip_when_missing" in data else True
    for s in subs:
        try:
            left = evaluate(fields["left"], values[s.pk], groups)
            right = evaluate(fields["right"], values[s.pk], groups)
        except _Missing:
            rows.append(PreviewRow(s.pk, s.reporter_name, s.status, "skipped" if skip else "missing", None, None))
            continue
        ok = _OPS[fields["operator"]](left, right)
        rows.append(PreviewRow(s.pk, s.reporter_name, s.status, "pass" if ok else "fail", left, right))
    return Preview(period_key=period_key, rows=rows)
