"""Every write of the reporting engine: catalogue, forms, submissions and their figures, targets and
attachments. The approval workflow (submit, approve, return, reopen) is in workflow.py."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderdesk.core import tables, vn
from borderdesk.core.changelog import record_change, save_with_log, snapshot
from borderdesk.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from borderdesk.core.periods import PeriodSpec
from borderdesk.core.scoping import Action, require_in_scope, require_loaded_in_scope, require_unit_in_scope, scope_for
from borderdesk.core.services import bump_version, check_locked_version, check_version

from . import registry
from .choices import Aggregation, Severity, Status, Transition, ValueType
from .editable import _check_editable
from .models import (
    ApprovalStep,
    DataValue,
    FormVersion,
    Indicator,
    Narrative,
    ReportForm,
    Submission,
    ValidationRule,
)
from .validation import Finding, outlier_findings, run_rules
from .window import lock_date_for

CATALOGUE_CSV = Path(__file__).resolve().parent / "data" / "indicators.csv"
MAX_ABS_VALUE = Decimal(10) ** 16
_QUALIFIER_BY_WORD = {v: k for k, v in vn.QUALIFIERS.items()}


# Catalogue -----------------------------------------------------------------------------------------
def catalogue_load(*, path: Path | None = None, user=None, reason: str = "") -> dict[str, int]:
    """Create or update indicators from the catalogue CSV (idempotent). Invalid rows raise with the line.

    Each indicator created or changed is in the change log (by `user`, or "system" for the command line);
    a user must be allowed to change the national catalogue (core.permissions: administrators).
    """
    if user is not None:
        from borderdesk.core.permissions import Op, can_own

        if not can_own(user, Indicator, Op.CHANGE, None):  # the national catalogue
            raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))
    reason = reason or _("Nạp danh mục chỉ tiêu từ %(f)s") % {"f": Path(path or CATALOGUE_CSV).name}
    path = path or CATALOGUE_CSV
    created = updated = 0
    with open(path, encoding="utf-8", newline="") as fh, transaction.atomic():
        for line, row in enumerate(csv.DictReader(fh), start=2):
            code = (row.get("code") or "").strip()
            if not code:
                continue
            hib = (row.get("higher_is_better") or "").strip().lower()
            fields = {
                "name_vi": row["name_vi"].strip(),
                "name_en": (row.get("name_en") or "").strip(),
                "unit": (row.get("unit") or "").strip(),
                "value_type": (row.get("value_type") or "integer").strip(),
                "aggregation": (row.get("aggregation") or "sum").strip(),
                "higher_is_better": {"true": True, "false": False}.get(hib),
                "group": (row.get("group") or "").strip(),
                "description": (row.get("description") or "").strip(),
                "extraction_keywords": (row.get("keywords") or "").strip(),
                "source": "reporting/data/indicators.csv",
            }
            if fields["value_type"] not in ValueType.values or fields["aggregation"] not in Aggregation.values:
                raise ApplicationError(
                    _("Danh mục chỉ tiêu, dòng %(line)s: kiểu giá trị hoặc cách tổng hợp không hợp lệ.")
                    % {"line": line}
                )
            obj = Indicator.objects.filter(code=code).first()
            if obj is None:
                obj = Indicator(code=code, **fields)
                obj.full_clean()
                obj.save()
                record_change(user=user, instance=obj, action="create", before=None, after=snapshot(obj), reason=reason)
                created += 1
            else:
                changed = [k for k, v in fields.items() if getattr(obj, k) != v]
                if changed:
                    before = snapshot(obj)
                    for k in changed:
                        setattr(obj, k, fields[k])
                    obj.full_clean()
                    obj.save()
                    record_change(
                        user=user, instance=obj, action="update", before=before, after=snapshot(obj), reason=reason
                    )
                    updated += 1
    return {"created": created, "updated": updated, "total": Indicator.objects.count()}


# Forms ---------------------------------------------------------------------------------------------
def form_version_create(
    *,
    user,
    code: str,
    name: str,
    sections: list[dict],
    narrative_sections: list[dict],
    period_spec: PeriodSpec | dict,
    reporter_spec: dict | None = None,
    deadline_working_days: int = 2,
    lock_days: int | None = 60,
    approval_top_kind: str = "province",
    description: str = "",
) -> FormVersion:
    """Create a form, or add a new version to it (past submissions keep their version)."""
    if user is not None and not user.has_role("standing_office", "admin"):
        # Forms are regimes defined by the standing office or administrators (user None = system loader).
        raise PermissionDeniedError(_("Chỉ cơ quan thường trực hoặc quản trị được sửa biểu mẫu."))
    spec = period_spec.to_dict() if isinstance(period_spec, PeriodSpec) else dict(period_spec)
    codes = [c for s in sections for c in s.get("indicators", [])]
    known = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ApplicationError(_("Biểu mẫu dùng chỉ tiêu chưa có trong danh mục: %s") % ", ".join(unknown))
    if len(codes) != len(set(codes)):
        raise ApplicationError(_("Một chỉ tiêu xuất hiện hai lần trong biểu mẫu."))
    with transaction.atomic():
        form, _c = ReportForm.objects.get_or_create(code=code, defaults={"name": name, "description": description})
        last = form.versions.order_by("-number").first()
        version = FormVersion(
            form=form,
            number=(last.number + 1) if last else 1,
            sections=sections,
            narrative_sections=narrative_sections,
            period_spec=spec,
            reporter_spec=reporter_spec or {},
            deadline_working_days=deadline_working_days,
            lock_days=lock_days,
            approval_top_kind=approval_top_kind,
        )
        save_with_log(user=user, instance=version)
    return version


# Submissions ---------------------------------------------------------------------------------------
def _reporter_allowed(version: FormVersion, unit, agency, day=None) -> bool:
    """Whether the unit or agency reports on this version; with ``day`` (a period's end), not when it reports
    on its province's own form from that day (reporting/replacements.py)."""
    if day is not None:
        from .replacements import replaced_on, replacements

        key = ("u", unit.pk) if unit is not None else ("a", agency.pk)
        if replaced_on(replacements(version.form_id), key, day):
            return False
    spec = version.reporter_spec or {}
    if not spec:
        return True
    if unit is not None:
        if unit.pk in spec.get("units", []):
            return True
        if unit.kind in spec.get("unit_kinds", []):
            return not spec.get("border_only") or unit.is_border is not False  # blank = unconfirmed
        return False
    if agency.pk in spec.get("agencies", []):
        return True
    return agency.kind.code in spec.get("agency_kinds", [])


def submission_create(
    *,
    user,
    form: ReportForm,
    period_key: str,
    unit=None,
    agency=None,
    version: FormVersion | None = None,
    is_demo: bool = False,
    source: str = "",
) -> Submission:
    """Open a draft for (form, unit or agency, period). The reporter must be in scope and exist in the period."""
    if (unit is None) == (agency is None):
        raise ApplicationError(_("Báo cáo phải thuộc đúng một đơn vị hoặc một cơ quan."))
    require_unit_in_scope(getattr(unit, "pk", None), getattr(agency, "pk", None), user, Action.CHANGE)
    version = version or form.current_version()
    if version is None:
        raise ApplicationError(_("Biểu mẫu chưa có phiên bản nào."))
    try:
        period = version.spec.parse(period_key)
    except ValueError as exc:
        raise ApplicationError(_("Kỳ báo cáo không hợp lệ: %s") % exc, field_errors={"period": [str(exc)]}) from None
    if period.start > timezone.localdate():
        raise ApplicationError(
            _("%(p)s chưa bắt đầu (từ %(d)s); chưa mở được báo cáo cho kỳ này.")
            % {"p": period.label_vi, "d": vn.format_date(period.start)},
            field_errors={"period": [_("Kỳ chưa bắt đầu.")]},
        )
    reporter = unit or agency
    if (reporter.valid_from and reporter.valid_from > period.end) or (
        reporter.valid_to and reporter.valid_to < period.start
    ):
        raise ApplicationError(
            _("%(r)s không tồn tại trong %(p)s (hiệu lực %(f)s – %(t)s).")
            % {
                "r": reporter,
                "p": period.label_vi,
                "f": vn.format_date(reporter.valid_from) or "…",
                "t": vn.format_date(reporter.valid_to) or "…",
            }
        )
    if not _reporter_allowed(version, unit, agency, day=period.end):
        raise ApplicationError(
            _("%(r)s không thuộc đối tượng báo cáo của biểu mẫu “%(f)s”.") % {"r": reporter, "f": form.name}
        )
    path = unit.path if unit is not None else agency.unit.path
    sub = Submission(
        form=form,
        form_version=version,
        unit=unit,
        agency=agency,
        period_key=period.key,
        period_start=period.start,
        period_end=period.end,
        unit_path=path,
        is_demo=is_demo,
        source=source,
    )
    try:
        with transaction.atomic():
            save_with_log(user=user, instance=sub)
            ApprovalStep.objects.create(
                submission=sub, action=Transition.CREATE, to_status=Status.DRAFT, user=_user_or_none(user)
            )
    except IntegrityError:
        raise ConflictError(
            _("Đã có báo cáo “%(f)s” của %(r)s cho %(p)s.") % {"f": form.name, "r": reporter, "p": period.label_vi}
        ) from None
    return sub


def submission_get_or_create(*, user, form: ReportForm, period_key: str, unit=None, agency=None) -> Submission:
    qs = Submission.objects.for_user(user, Action.VIEW).filter(form=form, unit=unit, agency=agency)
    try:
        period = form.current_version().spec.parse(period_key)
    except (ValueError, AttributeError) as exc:
        raise ApplicationError(_("Kỳ báo cáo không hợp lệ: %s") % exc) from None
    existing = qs.filter(period_key=period.key).first()
    return existing or submission_create(user=user, form=form, period_key=period.key, unit=unit, agency=agency)


def _user_or_none(user):
    return user if getattr(user, "pk", None) else None


def _parse_value(indicator: Indicator, raw) -> tuple[Decimal | None, str]:
    """(numeric value, text value) from user input; ValueError with a Vietnamese message."""
    if indicator.value_type == ValueType.TEXT:
        return None, "" if raw is None else str(raw).strip()
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ""
    if isinstance(raw, bool):
        raise ValueError(_("Giá trị phải là số."))
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("="):
            raise ValueError(_("Không chấp nhận công thức; hãy nhập số."))
        try:
            value = vn.parse_number(text)
        except ValueError:
            raise ValueError(_("“%s” không phải là số (dùng 1.700 hoặc 6,73).") % text) from None
    else:
        try:
            value = vn.to_decimal(raw)
        except ValueError:
            raise ValueError(_("Giá trị phải là số.")) from None
    if value < 0:
        raise ValueError(_("Số liệu không được âm."))
    value = abs(value)  # "-0" is 0, as the database stores it (a save's "after" is built from what it wrote)
    if abs(value) >= MAX_ABS_VALUE:
        raise ValueError(_("Số quá lớn."))
    if indicator.value_type == ValueType.INTEGER and value != value.to_integral_value():
        raise ValueError(_("Chỉ tiêu này là số nguyên (%s).") % indicator.unit)
    if value != value.quantize(Decimal("0.0001")):
        raise ValueError(_("Tối đa 4 chữ số thập phân."))
    return value, ""


def _parse_qualifier(raw) -> str:
    q = (raw or "").strip()
    if not q:
        return ""
    if q in vn.QUALIFIERS:
        return q
    if q.lower() in _QUALIFIER_BY_WORD:
        return _QUALIFIER_BY_WORD[q.lower()]
    raise ValueError(_("Từ định lượng “%s” không hợp lệ (dùng trên, hơn, gần, khoảng…).") % q)


def is_past_lock(submission: Submission, today: dt.date | None = None) -> bool:
    """True when the period's lock date has passed and no exception covers today."""
    lock = lock_date_for(submission.form_version, submission.period)
    today = today or timezone.localdate()
    return (
        lock is not None
        and today > lock
        and not (submission.lock_exception_until and submission.lock_exception_until >= today)
    )


def can_edit(*, user, submission: Submission) -> bool:
    """What the entry page shows as inputs: the same rules `submission_save` enforces."""
    scope = scope_for(user, Action.CHANGE)
    in_scope = scope.contains_unit(submission.unit_id) or scope.contains_agency(submission.agency_id)
    return in_scope and submission.is_editable and not is_past_lock(submission)


def check_editable(submission: Submission, *, enforce_lock: bool = True) -> None:
    """Raise ``ApplicationError`` (code ``locked``) when the report cannot be edited now (status or lock date)."""
    _check_editable(submission, enforce_lock=enforce_lock)


@dataclass
class SaveResult:
    submission: Submission
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self):
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def warnings(self):
        return [f for f in self.findings if f.severity == Severity.WARNING]


def submission_save(
    *,
    user,
    submission: Submission,
    values: dict[str, dict] | None = None,
    narratives: dict[str, str] | None = None,
    expected_version: int | None = None,
    enforce_lock: bool = True,
    action: str = Transition.SAVE,
    refuse_errors: bool = False,
) -> SaveResult:
    """Save values and narratives of a draft, all or nothing.

    ``values``: ``{code: {"value": "1.700", "qualifier": "trên", "comment": "...", "override_reason": "...",
    "source_quote": "...", "source_document": "...", "is_demo": bool}}``; keys absent from an entry keep
    their stored value. Bad input raises ``ApplicationError`` whose ``field_errors`` are per indicator code;
    rule violations are returned as findings (they block submission, not saving a draft). With
    ``refuse_errors`` (a whole-file upload) an error-level finding refuses the save: nothing is kept.
    """
    from .selectors import form_indicators, reporter_history

    values = values or {}
    narratives = narratives or {}
    # An open edit (core.tables): the writes below change only this open report's rows, its status unchanged
    # (a report that is not open is refused and its lock rolled back with the savepoint).
    with transaction.atomic(), tables.open_edit(submission.pk):
        # The row locked as it is read, with what the change log names (place, period); the user's scope checked
        # on it, and the version (core.services.check_locked_version): one statement for the three.
        sub = require_loaded_in_scope(
            Submission.objects.select_for_update(of=("self",))
            .select_related("form_version", "form", "unit", "agency")
            .filter(pk=submission.pk)
            .first(),
            user,
            Action.CHANGE,
        )
        # The reporter's history for the checks: the entry page's kept part (it reads submitted and approved reports
        # only, which no open edit changes), looked up before any write (SQLite's lock is one) with the request's
        # generation tokens: the save then reads no token and bumps its generations at its end (tables.open_edit).
        history = reporter_history(user=user, submission=sub)
        check_locked_version(sub, expected_version)
        _check_editable(sub, enforce_lock=enforce_lock)
        version = sub.form_version
        # the form's indicators, once: the entries' checks and the rules' groups (validate_submission)
        indicators = form_indicators(version)
        errors: dict[str, list[str]] = {}
        for code in values:
            if code not in indicators:
                errors.setdefault(code, []).append(_("Chỉ tiêu %s không có trong biểu mẫu này.") % code)
        sections = {s["code"] for s in version.narrative_sections}
        for code in narratives:
            if code not in sections:
                errors.setdefault(f"narrative:{code}", []).append(_("Mục đề cương không có trong biểu mẫu."))
        # The report's figures and narratives read once: the "before", and with what is written below the "after"
        # (as stored: a figure has at most 4 decimals, the column's; a text is kept as given, stripped).
        existing = {dv.indicator.code: dv for dv in sub.values.select_related("indicator")}
        texts = {n.section: n.text for n in sub.narratives.all()}
        before = Submission.snapshot_of(existing.values(), texts)
        to_save = []
        for code, entry in values.items():
            if code in errors:
                continue
            ind = indicators[code]
            entry = entry if isinstance(entry, dict) else {"value": entry}
            dv = existing.get(code) or DataValue(submission=sub, indicator=ind)
            try:
                if "value" in entry or "text_value" in entry:
                    dv.value, dv.text_value = _parse_value(ind, entry.get("value", entry.get("text_value")))
                if "qualifier" in entry:
                    dv.qualifier = _parse_qualifier(entry["qualifier"])
            except ValueError as exc:
                errors.setdefault(code, []).append(str(exc))
                continue
            for key in ("comment", "override_reason", "source_quote", "source_document"):
                if key in entry:
                    setattr(dv, key, (entry[key] or "").strip())
            if "is_demo" in entry:
                dv.is_demo = bool(entry["is_demo"])
            if "provenance" in entry:
                dv.provenance = entry["provenance"] or {}
            if dv.derived_value is not None and dv.value != dv.derived_value and not dv.override_reason:
                errors.setdefault(code, []).append(
                    _("Giá trị khác số tính từ sổ theo dõi (%s); hãy ghi lý do điều chỉnh.")
                    % vn.format_number(dv.derived_value)
                )
                continue
            to_save.append(dv)
        if errors:
            raise ApplicationError(
                _("Chưa lưu: %d ô có lỗi. Sửa các ô được đánh dấu rồi lưu lại.") % len(errors),
                field_errors=errors,
                code="invalid_values",
            )
        unwritten = False  # a stored figure changed in memory but neither saved nor deleted (a comment alone)
        for dv in to_save:
            code = dv.indicator.code
            if dv.value is None and not dv.text_value and not dv.qualifier and not dv.comment and dv.pk:
                dv.delete()
                existing.pop(code, None)
            elif dv.value is not None or dv.text_value or dv.qualifier:
                dv.save()
                existing[code] = dv
            else:
                unwritten = unwritten or dv.pk is not None
        if unwritten:  # what is stored, not the copy in memory
            existing = {dv.indicator.code: dv for dv in sub.values.select_related("indicator")}
        for code, text in narratives.items():
            text = (text or "").strip()
            Narrative.objects.update_or_create(submission=sub, section=code, defaults={"text": text})
            texts[code] = text
        bump_version(sub)
        sub.save(update_fields=["version", "updated_at"])
        after = Submission.snapshot_of(existing.values(), texts)
        if before != after:
            record_change(user=user, instance=sub, action=action, before=before, after=after)
            ApprovalStep.objects.create(
                submission=sub, action=action, from_status=sub.status, to_status=sub.status, user=_user_or_none(user)
            )
        # The checks on what was written.
        memo = {
            **history,
            "values": list(existing.values()),
            "indicators": indicators,
        }
        findings = validate_submission(submission=sub, memo=memo)
        blocking = [f for f in findings if f.severity == Severity.ERROR]
        if refuse_errors and blocking:
            raise ApplicationError(
                _("Chưa lưu: số liệu vi phạm %(n)d quy tắc kiểm tra: %(m)s. Sửa tệp rồi nộp lại.")
                % {"n": len(blocking), "m": "; ".join(str(f.message) for f in blocking)},
                field_errors={code: [str(f.message)] for f in blocking for code in (f.codes or ["__all__"])},
                code="rule_errors",
            )
    # the caller's copy is the row as saved (what a refresh from the database would read)
    for f in Submission._meta.concrete_fields:
        setattr(submission, f.attname, getattr(sub, f.attname))
    return SaveResult(submission=submission, findings=findings)


def validate_submission(*, submission: Submission, memo: dict | None = None) -> list[Finding]:
    """Run the form's validation rules and the outlier check against the same period last year (``memo``: one
    page's reads, see ``selectors.reporter_history_values``; its "values": the report's values, read)."""
    from .selectors import reporter_history_values

    sub = submission
    dvs = (memo or {}).get("values") or list(sub.values.select_related("indicator"))
    values = {dv.indicator.code: dv.value for dv in dvs if dv.indicator.is_numeric}
    codes = sub.form_version.indicator_codes()
    groups: dict[str, list[str]] = {}
    kept = (memo or {}).get("indicators")
    for ind in (
        (kept[c] for c in codes if c in kept)
        if kept
        else Indicator.objects.filter(code__in=codes).only("code", "group")
    ):
        groups.setdefault(ind.group, []).append(ind.code)
    active = ValidationRule.objects.filter(is_active=True).filter(form__isnull=True) | ValidationRule.objects.filter(
        is_active=True, form=sub.form
    )
    rules = [r for r in active.order_by("pk") if _codes(r) <= set(codes)]
    findings = run_rules(rules, values, groups)
    history = reporter_history_values(submission=sub, period=sub.period.same_period_last_year(), memo=memo)
    names = {dv.indicator.code: dv.indicator.name_vi for dv in dvs}
    findings += outlier_findings(values, history, names)
    return findings


def _codes(rule) -> set[str]:
    from .validation import expression_codes

    return expression_codes(rule.left) | expression_codes(rule.right)


def submission_prefill_derived(*, user, submission: Submission, expected_version: int | None = None) -> int:
    """Fill registered derived indicators (frontier, gates, outreach ...) into a draft.

    A blank value takes the derived figure; a value the unit already entered is kept and the derived
    figure stored beside it, so an override shows with its reason. Returns how many values changed.
    """
    from .window import subtree_ids_for

    require_in_scope(submission, user, Action.CHANGE)
    derived = registry.derived_indicators()
    linked = {i.code: i for i in Indicator.objects.filter(code__in=submission.form_version.indicator_codes())}
    codes = [c for c in submission.form_version.indicator_codes() if c in linked and linked[c].figure_code in derived]
    if not codes:
        return 0
    period = submission.period
    unit_ids, agency_ids = subtree_ids_for(submission=submission)
    changed = 0
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=submission.pk)
        check_version(sub, expected_version)
        _check_editable(sub)
        before = sub.values_snapshot() | {"version": sub.version}
        for code in codes:
            ind = linked[code]
            figure = ind.figure_code
            value = registry.compute_derived(figure, unit_ids=unit_ids, agency_ids=agency_ids, period=period)
            if value is None:
                continue
            dv, created = DataValue.objects.get_or_create(
                submission=sub, indicator=ind, defaults={"value": value, "derived_value": value}
            )
            if not created:
                dv.derived_value = value
                if dv.value is None:
                    dv.value = value
                dv.provenance = {**(dv.provenance or {}), "derived_from": derived[figure].source}
                dv.save()
            else:
                dv.provenance = {"derived_from": derived[figure].source}
                dv.save(update_fields=["provenance"])
            changed += 1
        if changed:
            bump_version(sub)
            sub.save(update_fields=["version", "updated_at"])
            record_change(
                user=user,
                instance=sub,
                action=Transition.PREFILL,
                before=before,
                after=sub.values_snapshot() | {"version": sub.version},
                reason=_("Điền từ sổ theo dõi"),
            )
            ApprovalStep.objects.create(
                submission=sub,
                action=Transition.PREFILL,
                from_status=sub.status,
                to_status=sub.status,
                user=_user_or_none(user),
            )
    submission.refresh_from_db()
    return changed


# Attachments: reporting/attachments.py, the same services under their old names.
from .attachments import attachment_add, attachment_delete  # noqa: E402, F401
