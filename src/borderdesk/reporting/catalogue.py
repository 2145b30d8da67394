"""Services (and the reads they need) for the indicator catalogue and forms.

- Indicators and forms are national (no province: only an administrator writes them) or a province's
  own (its standing office adds and edits them, inside its province only) — decided by the permission
  table (``core.permissions``: ``PROVINCIAL`` rows, ``NATIONAL`` rows) through ``require_owner``. A code,
  once created, never changes (forms, rules, values and extraction refer to it). A province's form uses
  national indicators and the province's own; a national form only national ones.
- A form is changed by publishing a new version (``form_publish``); reports already opened or sent on
  an older version keep it, consolidation reads values by indicator across versions.
- Validation rules are in ``rules.py``.

Every write checks permission, runs in one transaction and logs a change with before/after.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from borderdesk.core.changelog import record_change, snapshot
from borderdesk.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from borderdesk.core.periods import PeriodSpec
from borderdesk.core.permissions import Op, can, can_own, require_owner
from borderdesk.core.scoping import Action, scope_for
from borderdesk.core.services import bump_version, check_version

from . import registry
from .choices import Aggregation, ValueType
from .models import FormVersion, Indicator, ReportForm, Submission

CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,63}$")
SECTION_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
INDICATOR_FIELDS = (
    "name_vi",
    "name_en",
    "unit",
    "value_type",
    "aggregation",
    "higher_is_better",
    "group",
    "description",
    "extraction_keywords",
    "registry_figure",
    "active_from",
    "active_to",
)


# ---------------------------------------------------------------- permissions


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_edit_catalogue(user) -> bool:
    """The national catalogue (and rules for every form): administrators only."""
    return _authenticated(user) and can_own(user, Indicator, Op.CHANGE, None)


def user_provinces(user) -> list:
    """The provinces whose catalogue rows the user may add (a standing office: its own province)."""
    from borderdesk.org.models import AdministrativeUnit

    scope = scope_for(user, Action.MANAGE)
    if scope.everything or scope.empty:
        return []
    return list(AdministrativeUnit.objects.filter(pk__in=scope.unit_ids, kind="province").order_by("name"))


def can_add_indicators(user) -> bool:
    """National indicators (administrators) or the province's own (its standing office)."""
    return _authenticated(user) and (
        can_edit_catalogue(user) or (can(user, Indicator, Op.CREATE) and bool(user_provinces(user)))
    )


def can_edit_indicator(user, ind: Indicator) -> bool:
    return _authenticated(user) and can_own(user, Indicator, Op.CHANGE, ind.province_id)


def can_edit_form(user, form: ReportForm) -> bool:
    """Publish versions of this form and edit its rules: its province's office (national: administrators)."""
    return _authenticated(user) and can_own(user, ReportForm, Op.CHANGE, form.province_id)


def can_edit_forms(user) -> bool:
    """May the user publish some form (a national one or one of a province in their scope)?"""
    return _authenticated(user) and (
        can_edit_catalogue(user) or (can(user, ReportForm, Op.CHANGE) and bool(user_provinces(user)))
    )


def require_catalogue(user) -> None:
    if not can_edit_catalogue(user):
        raise PermissionDeniedError(_("Chỉ quản trị hệ thống được sửa danh mục chỉ tiêu dùng chung toàn quốc."))


def require_form(user, form: ReportForm | None, op: str = Op.CHANGE) -> None:
    if not _authenticated(user):
        raise PermissionDeniedError(_("Chỉ cơ quan thường trực của tỉnh hoặc quản trị được sửa biểu mẫu."))
    try:
        require_owner(user, ReportForm, op, form.province_id if form is not None else None)
    except NotFoundError:
        raise PermissionDeniedError(
            _(
                "Biểu mẫu dùng chung toàn quốc chỉ quản trị hệ thống sửa; biểu mẫu của tỉnh do cơ quan thường trực "
                "của tỉnh đó sửa."
            )
        ) from None


# ---------------------------------------------------------------- reads


def registry_figures() -> list[tuple[str, str, str]]:
    """(code, source, description) of every figure a registry app computes, for the "linked figure" choice."""
    return sorted((d.code, d.source, d.description) for d in registry.derived_indicators().values())


def indicators_list():
    """Every indicator, national and provincial (the list's filters, search and sort: ``lists.INDICATORS``)."""
    return Indicator.objects.select_related("province").order_by("group", "code")


def indicator_get(code: str) -> Indicator:
    ind = Indicator.objects.filter(code=code).first()
    if ind is None:
        raise NotFoundError(_("Không tìm thấy chỉ tiêu %s.") % code)
    return ind


def form_get(code: str) -> ReportForm:
    form = ReportForm.objects.filter(code=code).prefetch_related("versions").first()
    if form is None:
        raise NotFoundError(_("Không tìm thấy biểu mẫu."))
    return form


def form_usage(form: ReportForm) -> dict[int, int]:
    """Number of reports opened on each version of ``form`` (version id -> count)."""
    from django.db.models import Count

    rows = Submission.objects.filter(form=form).values("form_version").annotate(n=Count("id"))
    return {r["form_version"]: r["n"] for r in rows}


# ---------------------------------------------------------------- indicators


def _clean_indicator(data: dict, *, creating: bool) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    out: dict = {}
    for key in INDICATOR_FIELDS:
        if key not in data:
            continue
        v = data[key]
        if key in ("active_from", "active_to"):
            out[key] = v or None
            continue
        if key == "higher_is_better":
            out[key] = None if v in (None, "") else v in (True, "true", "1", "on", "yes")
            continue
        out[key] = "" if v is None else str(v).strip()
    if creating or "name_vi" in out:
        if not out.get("name_vi"):
            errors["name_vi"] = [_("Cần tên chỉ tiêu tiếng Việt.")]
    if "value_type" in out and out["value_type"] not in ValueType.values:
        errors["value_type"] = [
            _("Kiểu giá trị “%(v)s” không hợp lệ; dùng một trong: %(allowed)s.")
            % {"v": out["value_type"], "allowed": ", ".join(ValueType.values)}
        ]
    if "aggregation" in out and out["aggregation"] not in Aggregation.values:
        errors["aggregation"] = [
            _("Cách tổng hợp “%(v)s” không hợp lệ; dùng một trong: %(allowed)s.")
            % {"v": out["aggregation"], "allowed": ", ".join(Aggregation.values)}
        ]
    figure = out.get("registry_figure")
    if figure and figure not in registry.derived_indicators():
        errors["registry_figure"] = [
            _("Không có số liệu “%(v)s” trong các sổ theo dõi; dùng một trong: %(allowed)s.")
            % {"v": figure, "allowed": ", ".join(c for c, _s, _d in registry_figures())}
        ]
    return out, errors


def indicator_save(
    *, user, data: dict, instance: Indicator | None = None, expected_version: int | None = None
) -> Indicator:
    """Create (``instance`` None, ``data["code"]`` required) or update an indicator of the catalogue.

    A new indicator belongs to ``data["province"]`` (a unit id; None: national; not given: the standing
    office's own province, national for an administrator); the province of an existing one never changes."""
    if instance is not None:
        province_id = instance.province_id
    elif data.get("province", "") in (None, ""):  # named as empty: national; not named: the office's own
        province_id = None if "province" in data else _province_for_new(user, None)
    else:
        province_id = _province_for_new(user, data["province"])
    try:
        require_owner(user, Indicator, Op.CREATE if instance is None else Op.CHANGE, province_id)
    except NotFoundError:
        raise PermissionDeniedError(
            _(
                "Chỉ tiêu dùng chung toàn quốc chỉ quản trị hệ thống sửa; chỉ tiêu riêng của tỉnh do cơ quan thường "
                "trực của tỉnh đó thêm và sửa."
            )
        ) from None
    fields, errors = _clean_indicator(data, creating=instance is None)
    if instance is None:
        raw_code = str(data.get("code") or "").strip()
        code = raw_code.upper()
        if not CODE_RE.match(code):
            errors["code"] = [
                _(
                    "Mã “%s” không hợp lệ: chữ in hoa không dấu, số và dấu gạch dưới, bắt đầu bằng chữ "
                    "(ví dụ PATROLS_NIGHT)."
                )
                % raw_code
            ]
        elif Indicator.objects.filter(code=code).exists():
            errors["code"] = [_("Đã có chỉ tiêu mã %s.") % code]
    elif "code" in data and str(data["code"]).strip().upper() != instance.code:
        errors["code"] = [_("Không đổi được mã chỉ tiêu (biểu mẫu, quy tắc và số liệu đã dùng mã này).")]
    if errors:
        raise ApplicationError(
            _("Chưa lưu chỉ tiêu: %s") % "; ".join(m for v in errors.values() for m in v), field_errors=errors
        )
    from django.core.exceptions import ValidationError

    from borderdesk.core.errors import validation_error_to_application_error

    with transaction.atomic():
        if instance is None:
            ind = Indicator(code=code, source=_("nhập trên trang danh mục"), province_id=province_id, **fields)
            before = None
        else:
            ind = Indicator.objects.select_for_update(of=("self",)).get(pk=instance.pk)
            check_version(ind, expected_version)
            before = snapshot(ind)
            for k, v in fields.items():
                setattr(ind, k, v)
            if snapshot(ind) == before:
                return ind
            bump_version(ind)
        try:
            ind.full_clean()
        except ValidationError as exc:
            raise validation_error_to_application_error(exc) from None
        ind.save()
        record_change(
            user=user, instance=ind, action="create" if before is None else "update", before=before, after=snapshot(ind)
        )
    return ind


def _province_for_new(user, given) -> int | None:
    """The province of a new indicator or form: the one given, else the office's own (None: national)."""
    from borderdesk.org.models import AdministrativeUnit

    if given not in (None, ""):
        try:
            pk = int(getattr(given, "pk", given))
        except (TypeError, ValueError):
            pk = None
        if pk is None or not AdministrativeUnit.objects.filter(pk=pk, kind="province").exists():
            raise ApplicationError(
                _("“%s” không phải là một tỉnh.") % given, field_errors={"province": [_("Không hợp lệ.")]}
            )
        return pk
    if can_edit_catalogue(user):
        return None
    provinces = user_provinces(user)
    return provinces[0].pk if len(provinces) == 1 else None


# ---------------------------------------------------------------- forms


def _clean_sections(
    sections, narrative_sections, province_id: int | None = None
) -> tuple[list[dict], list[dict], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    clean: list[dict] = []
    seen_codes: set[str] = set()
    if not isinstance(sections, list):
        sections = []
        errors["sections"] = [_("Phần chỉ tiêu phải là một danh sách.")]
    for i, s in enumerate(sections, start=1):
        s = s if isinstance(s, dict) else {}
        code = str(s.get("code") or f"s{i}").strip().lower()
        title = str(s.get("title") or "").strip()
        inds = [str(c).strip().upper() for c in (s.get("indicators") or []) if str(c).strip()]
        if not title:
            errors.setdefault("sections", []).append(_("Phần %(n)s chưa có tên.") % {"n": i})
        if not SECTION_CODE_RE.match(code) or code in seen_codes:
            errors.setdefault("sections", []).append(_("Mã phần “%(c)s” không hợp lệ hoặc trùng.") % {"c": code})
        seen_codes.add(code)
        clean.append({"code": code, "title": title, "indicators": inds})
    narr: list[dict] = []
    seen_narr: set[str] = set()
    for i, s in enumerate(narrative_sections if isinstance(narrative_sections, list) else [], start=1):
        s = s if isinstance(s, dict) else {}
        code = str(s.get("code") or f"n{i}").strip().lower()
        title = str(s.get("title") or "").strip()
        if not title:
            errors.setdefault("narrative_sections", []).append(_("Mục đề cương %(n)s chưa có tên.") % {"n": i})
        if not SECTION_CODE_RE.match(code) or code in seen_narr:
            errors.setdefault("narrative_sections", []).append(
                _("Mã mục đề cương “%(c)s” không hợp lệ hoặc trùng.") % {"c": code}
            )
        seen_narr.add(code)
        narr.append({"code": code, "title": title})
    codes = [c for s in clean for c in s["indicators"]]
    if not codes and not narr:
        errors.setdefault("sections", []).append(_("Biểu mẫu cần ít nhất một chỉ tiêu hoặc một mục đề cương."))
    owners = dict(Indicator.objects.filter(code__in=codes).values_list("code", "province_id"))
    unknown = [c for c in codes if c not in owners]
    if unknown:
        errors.setdefault("sections", []).append(_("Chỉ tiêu chưa có trong danh mục: %s") % ", ".join(unknown))
    foreign = [c for c in codes if owners.get(c) not in (None, province_id)]
    if foreign:
        errors.setdefault("sections", []).append(
            _("Chỉ tiêu riêng của tỉnh khác (biểu mẫu chỉ dùng chỉ tiêu chung và chỉ tiêu của tỉnh mình): %s")
            % ", ".join(foreign)
        )
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        errors.setdefault("sections", []).append(_("Chỉ tiêu xuất hiện hai lần: %s") % ", ".join(dupes))
    return clean, narr, errors


def form_publish(
    *,
    user,
    code: str,
    name: str = "",
    sections=None,
    narrative_sections=None,
    period_spec: dict | None = None,
    reporter_spec: dict | None = None,
    deadline_working_days: int | None = None,
    lock_days: int | None | str = "keep",
    approval_top_kind: str | None = None,
    description: str | None = None,
    expected_number: int | None = None,
    province=None,
) -> FormVersion:
    """Publish a new version of form ``code`` (the first one creates the form).

    Settings not given are taken from the current version. Reports already opened or sent on an older
    version keep it (their values and narratives are untouched); new reports use the new version.
    ``expected_number``: the version the editor started from (409 when someone published meanwhile).
    ``province``: for a new form, the province that keeps it (default: the office's own; national for
    an administrator). Who may publish: ``require_owner`` on the form's province.
    """
    from borderdesk.core.errors import ConflictError

    from .services import form_version_create

    code = (code or "").strip()
    form = ReportForm.objects.filter(code=code).first()
    province_id = form.province_id if form is not None else _province_for_new(user, province)
    require_form(user, form, Op.CHANGE) if form is not None else _require_new_form(user, province_id)
    current = form.current_version() if form else None
    if expected_number is not None and current is not None and int(expected_number) != current.number:
        raise ConflictError(
            _("Biểu mẫu vừa có phiên bản %(n)s do người khác công bố; hãy tải lại trang.") % {"n": current.number},
            extra={"current_version": current.number},
        )
    if current is None and not re.match(r"^[a-z0-9][a-z0-9-]{1,63}$", code):
        raise ApplicationError(
            _("Mã biểu mẫu “%s” không hợp lệ (chữ thường không dấu, số, dấu gạch ngang).") % code,
            field_errors={"code": [_("Không hợp lệ.")]},
        )
    clean, narr, errors = _clean_sections(
        sections if sections is not None else (current.sections if current else []),
        narrative_sections if narrative_sections is not None else (current.narrative_sections if current else []),
        province_id,
    )
    spec = period_spec if period_spec is not None else (current.period_spec if current else None)
    if not spec:
        errors.setdefault("period_spec", []).append(_("Cần chọn kỳ báo cáo."))
    else:
        try:
            PeriodSpec.from_dict(spec)
        except (ValueError, TypeError, KeyError) as exc:
            errors.setdefault("period_spec", []).append(_("Kỳ báo cáo không hợp lệ: %s") % exc)
    name = (name or (form.name if form else "")).strip()
    if not name:
        errors.setdefault("name", []).append(_("Cần tên biểu mẫu."))
    if errors:
        raise ApplicationError(
            _("Chưa công bố: %s") % "; ".join(m for v in errors.values() for m in v), field_errors=errors
        )
    settings_ = {
        "reporter_spec": reporter_spec if reporter_spec is not None else (current.reporter_spec if current else {}),
        "deadline_working_days": deadline_working_days
        if deadline_working_days is not None
        else (current.deadline_working_days if current else 2),
        "lock_days": (current.lock_days if current else 60) if lock_days == "keep" else lock_days,
        "approval_top_kind": approval_top_kind or (current.approval_top_kind if current else "province"),
    }
    if (
        current is not None
        and clean == current.sections
        and narr == current.narrative_sections
        and spec == current.period_spec
        and all(getattr(current, k) == v for k, v in settings_.items())
        and name == form.name
        and (description is None or description == form.description)
    ):
        raise ApplicationError(
            _("Không có thay đổi nào so với phiên bản %s; không công bố phiên bản mới.") % current.number,
            code="unchanged",
        )
    with transaction.atomic():
        version = form_version_create(
            user=user,
            code=code,
            name=name,
            sections=clean,
            narrative_sections=narr,
            period_spec=spec,
            description=description or "",
            **settings_,
        )
        form = version.form
        if current is None and province_id is not None and form.province_id != province_id:
            before = snapshot(form)
            form.province_id = province_id
            form.save(update_fields=["province"])
            record_change(user=user, instance=form, action="update", before=before, after=snapshot(form))
        if form.name != name or (description is not None and description != form.description):
            before = snapshot(form)
            form.name = name
            if description is not None:
                form.description = description
            form.full_clean()
            form.save()
            record_change(user=user, instance=form, action="update", before=before, after=snapshot(form))
    return version


def _require_new_form(user, province_id: int | None) -> None:
    if not _authenticated(user):
        raise PermissionDeniedError(_("Chỉ cơ quan thường trực của tỉnh hoặc quản trị được sửa biểu mẫu."))
    try:
        require_owner(user, ReportForm, Op.CREATE, province_id)
    except NotFoundError:
        raise PermissionDeniedError(
            _(
                "Biểu mẫu dùng chung toàn quốc chỉ quản trị hệ thống sửa; biểu mẫu của tỉnh do cơ quan thường trực "
                "của tỉnh đó sửa."
            )
        ) from None
