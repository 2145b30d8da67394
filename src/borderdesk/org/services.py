"""Every write to the organisation: scope-checked, validated, transactional, logged."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from borderdesk.core.changelog import record_change, save_with_log, snapshot
from borderdesk.core.errors import ApplicationError, validation_error_to_application_error
from borderdesk.core.scoping import Action, require_in_scope, require_unit_in_scope, scope_for
from borderdesk.core.services import bump_version, check_version
from borderdesk.core.vn import format_date

from .choices import SINGLE_HOLDER_ROLES
from .models import (
    AdministrativeUnit,
    Agency,
    AgencyName,
    Committee,
    Counterpart,
    DocumentNumberSeries,
    Membership,
    Person,
    overlaps_q,
)


def _save(user, instance, reason=""):
    try:
        return save_with_log(user=user, instance=instance, reason=reason)
    except ValidationError as exc:
        raise validation_error_to_application_error(exc) from None


def _set_fields(instance, fields: dict, allowed: set[str]):
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(_("Trường không được phép sửa: %s") % ", ".join(sorted(unknown)))
    for key, value in fields.items():
        setattr(instance, key, value)


# ---------------------------------------------------------------- administrative units


def _compute_path(unit: AdministrativeUnit) -> None:
    parent = unit.parent if unit.parent_id else None
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0


def _refresh_subtree_paths(unit: AdministrativeUnit) -> None:
    for child in AdministrativeUnit.objects.filter(parent=unit):
        _compute_path(child)
        child.save(update_fields=["path", "depth"])
        _refresh_subtree_paths(child)


UNIT_FIELDS = {
    "code",
    "name",
    "kind",
    "parent",
    "parent_id",
    "valid_from",
    "valid_to",
    "is_border",
    "source",
    "is_demo",
}


@transaction.atomic
def unit_create(*, user, reason: str = "", **fields) -> AdministrativeUnit:
    unit = AdministrativeUnit()
    _set_fields(unit, fields, UNIT_FIELDS)
    if unit.parent_id:
        require_unit_in_scope(unit.parent_id, None, user, Action.MANAGE)
    elif not scope_for(user, Action.MANAGE).everything:
        raise ApplicationError(_("Chỉ quản trị hệ thống được tạo đơn vị cấp cao nhất."))
    try:
        unit.full_clean(exclude=["path"])
    except ValidationError as exc:
        raise validation_error_to_application_error(exc) from None
    unit.save()
    _compute_path(unit)
    unit.save(update_fields=["path", "depth"])
    record_change(user=user, instance=unit, action="create", before=None, after=snapshot(unit), reason=reason)
    return unit


@transaction.atomic
def unit_update(
    *, user, unit: AdministrativeUnit, expected_version: int | None = None, reason: str = "", **fields
) -> AdministrativeUnit:
    require_in_scope(unit, user, Action.MANAGE)
    check_version(unit, expected_version)
    before = snapshot(AdministrativeUnit.objects.get(pk=unit.pk))
    old_parent = unit.parent_id
    _set_fields(unit, fields, UNIT_FIELDS)
    if unit.parent_id != old_parent and unit.parent_id:
        require_unit_in_scope(unit.parent_id, None, user, Action.MANAGE)
    try:
        unit.full_clean(exclude=["path"])
    except ValidationError as exc:
        raise validation_error_to_application_error(exc) from None
    bump_version(unit)
    if unit.parent_id != old_parent:
        _compute_path(unit)
    unit.save()
    if unit.parent_id != old_parent:
        _refresh_subtree_paths(unit)
    record_change(user=user, instance=unit, action="update", before=before, after=snapshot(unit), reason=reason)
    return unit


# ---------------------------------------------------------------- agencies

AGENCY_FIELDS = {
    "name",
    "short_name",
    "kind",
    "kind_id",
    "unit",
    "unit_id",
    "parent",
    "parent_id",
    "successor",
    "successor_id",
    "valid_from",
    "valid_to",
    "source",
    "is_demo",
}


@transaction.atomic
def agency_create(*, user, reason: str = "", **fields) -> Agency:
    agency = Agency()
    _set_fields(agency, fields, AGENCY_FIELDS)
    require_unit_in_scope(agency.unit_id, agency.parent_id, user, Action.MANAGE)
    agency = _save(user, agency, reason)
    AgencyName.objects.create(agency=agency, name=agency.name, valid_from=agency.valid_from)
    return agency


@transaction.atomic
def agency_update(*, user, agency: Agency, expected_version: int | None = None, reason: str = "", **fields) -> Agency:
    require_in_scope(agency, user, Action.MANAGE)
    check_version(agency, expected_version)
    if "name" in fields and fields["name"] != agency.name:
        raise ApplicationError(_("Đổi tên cơ quan phải dùng chức năng “Đổi tên” để giữ lịch sử tên."))
    _set_fields(agency, fields, AGENCY_FIELDS)
    if "unit" in fields or "unit_id" in fields:
        require_unit_in_scope(agency.unit_id, None, user, Action.MANAGE)
    bump_version(agency)
    return _save(user, agency, reason)


@transaction.atomic
def agency_rename(
    *,
    user,
    agency: Agency,
    new_name: str,
    effective_date: dt.date,
    expected_version: int | None = None,
    reason: str = "",
) -> Agency:
    """Rename with history: the current name row ends the day before `effective_date`."""
    require_in_scope(agency, user, Action.MANAGE)
    check_version(agency, expected_version)
    new_name = (new_name or "").strip()
    if not new_name:
        raise ApplicationError(_("Tên mới không được để trống."), field_errors={"name": [_("Bắt buộc.")]})
    if effective_date is None:
        raise ApplicationError(_("Cần nhập ngày tên mới có hiệu lực."), field_errors={"valid_from": [_("Bắt buộc.")]})
    current = agency.names.filter(valid_to__isnull=True).order_by("-valid_from").first()
    if current and current.valid_from and current.valid_from >= effective_date:
        raise ApplicationError(
            _("Ngày đổi tên phải sau ngày bắt đầu của tên hiện tại (%s).") % format_date(current.valid_from)
        )
    agency.name = new_name
    try:  # before the name rows are written (a too long name is refused, not a database error)
        agency.full_clean()
    except ValidationError as exc:
        raise validation_error_to_application_error(exc) from None
    if current:
        current.valid_to = effective_date - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    AgencyName.objects.create(agency=agency, name=new_name, valid_from=effective_date)
    bump_version(agency)
    return _save(user, agency, reason or _("Đổi tên từ %(d)s") % {"d": format_date(effective_date)})


@transaction.atomic
def agency_close(
    *,
    user,
    agency: Agency,
    closed_on: dt.date,
    successor: Agency | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Agency:
    """Record an agency closed (last day `closed_on`), optionally carried on by `successor`.

    The name in use at the time ends on the same day, so the name history stays consistent.
    """
    require_in_scope(agency, user, Action.MANAGE)
    check_version(agency, expected_version)
    if closed_on is None:
        raise ApplicationError(
            _("Cần nhập ngày giải thể / kết thúc hoạt động."), field_errors={"valid_to": [_("Bắt buộc.")]}
        )
    if successor is not None:
        if successor.pk == agency.pk:
            raise ApplicationError(
                _("Một cơ quan không thể kế thừa chính nó."), field_errors={"successor": [_("Chọn một cơ quan khác.")]}
            )
        require_in_scope(successor, user, Action.MANAGE)
        if successor.valid_to and successor.valid_to <= closed_on:
            raise ApplicationError(
                _("Cơ quan kế thừa %(s)s đã hết hiệu lực ngày %(d)s, không thể tiếp nhận từ sau ngày %(c)s.")
                % {"s": successor, "d": format_date(successor.valid_to), "c": format_date(closed_on)},
                field_errors={"successor": [_("Cơ quan kế thừa đã hết hiệu lực.")]},
            )
    agency.valid_to = closed_on
    agency.successor = successor
    try:
        agency.full_clean()
    except ValidationError as exc:
        raise validation_error_to_application_error(exc) from None
    agency.names.filter(valid_to__isnull=True).filter(
        models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=closed_on)
    ).update(valid_to=closed_on)
    bump_version(agency)
    return _save(user, agency, reason)


# ---------------------------------------------------------------- committees and members

COMMITTEE_FIELDS = {
    "code",
    "name",
    "unit",
    "unit_id",
    "standing_office",
    "standing_office_id",
    "parent_body",
    "abbreviation",
    "place_name",
    "valid_from",
    "valid_to",
    "source",
    "is_demo",
}


@transaction.atomic
def committee_update(
    *, user, committee: Committee, expected_version: int | None = None, reason: str = "", **fields
) -> Committee:
    require_in_scope(committee, user, Action.MANAGE)
    check_version(committee, expected_version)
    _set_fields(committee, fields, COMMITTEE_FIELDS)
    bump_version(committee)
    return _save(user, committee, reason)


def _check_membership_overlap(m: Membership) -> None:
    clash = (
        Membership.objects.filter(committee_id=m.committee_id, role=m.role)
        .filter(overlaps_q(m.valid_from, m.valid_to))
        .exclude(pk=m.pk)
    )
    same_person = clash.filter(person_id=m.person_id).first()
    if same_person:
        raise ApplicationError(
            _("%(p)s đã giữ vai trò %(r)s trong khoảng thời gian trùng lặp (%(f)s – %(t)s).")
            % {
                "p": m.person,
                "r": m.get_role_display(),
                "f": format_date(same_person.valid_from) if same_person.valid_from else "?",
                "t": format_date(same_person.valid_to) if same_person.valid_to else _("nay"),
            },
            field_errors={"valid_from": [_("Trùng thời gian với một quyết định khác cùng vai trò.")]},
        )
    if m.role in SINGLE_HOLDER_ROLES:
        other = clash.exclude(person_id=m.person_id).select_related("person").first()
        if other:
            raise ApplicationError(
                _(
                    "Vai trò %(r)s chỉ có một người tại một thời điểm; %(o)s đang giữ vai trò này trong khoảng "
                    "thời gian trùng lặp. Hãy kết thúc nhiệm kỳ của người đó trước."
                )
                % {"r": m.get_role_display(), "o": other.person},
                field_errors={"role": [_("Vai trò đã có người giữ trong khoảng thời gian này.")]},
            )


MEMBERSHIP_FIELDS = {
    "committee",
    "committee_id",
    "person",
    "person_id",
    "role",
    "post",
    "agency",
    "agency_id",
    "decision_number",
    "decision_date",
    "valid_from",
    "valid_to",
    "source",
    "is_demo",
}


@transaction.atomic
def membership_create(*, user, reason: str = "", **fields) -> Membership:
    m = Membership()
    _set_fields(m, fields, MEMBERSHIP_FIELDS)
    require_in_scope(m.committee, user, Action.MANAGE)
    try:
        m.full_clean()
    except ValidationError as exc:
        raise validation_error_to_application_error(exc) from None
    _check_membership_overlap(m)
    return _save(user, m, reason)


@transaction.atomic
def membership_update(
    *, user, membership: Membership, expected_version: int | None = None, reason: str = "", **fields
) -> Membership:
    require_in_scope(membership, user, Action.MANAGE)
    check_version(membership, expected_version)
    _set_fields(membership, fields, MEMBERSHIP_FIELDS - {"committee", "committee_id"})
    try:
        membership.full_clean()
    except ValidationError as exc:
        raise validation_error_to_application_error(exc) from None
    _check_membership_overlap(membership)
    bump_version(membership)
    return _save(user, membership, reason)


@transaction.atomic
def membership_add(
    *,
    user,
    committee: Committee,
    person: Person | None = None,
    new_person_name: str = "",
    new_person_notes: str = "",
    reason: str = "",
    **fields,
) -> Membership:
    """Seat a person on a committee: an existing person, or a new one created in the same transaction
    (nothing is saved when the membership is refused)."""
    require_in_scope(committee, user, Action.MANAGE)
    new_person_name = (new_person_name or "").strip()
    if person is not None and new_person_name:
        raise ApplicationError(
            _("Chọn một người đã có hoặc nhập tên người mới, không chọn cả hai."),
            field_errors={"person": [_("Chỉ chọn một trong hai.")]},
        )
    if person is None:
        if not new_person_name:
            raise ApplicationError(
                _("Cần chọn một người đã có hoặc nhập họ tên người mới."), field_errors={"person": [_("Bắt buộc.")]}
            )
        person = person_create(user=user, full_name=new_person_name, notes=new_person_notes)
    return membership_create(user=user, committee=committee, person=person, reason=reason, **fields)


@transaction.atomic
def membership_end(
    *, user, membership: Membership, end_date: dt.date, reason: str, expected_version: int | None = None
) -> Membership:
    """End a seat on `end_date` (its last day), with the reason (decision, retirement, transfer...)."""
    if not (reason or "").strip():
        raise ApplicationError(
            _("Cần ghi lý do kết thúc nhiệm vụ (ví dụ: số quyết định, nghỉ hưu, chuyển công tác)."),
            field_errors={"reason": [_("Bắt buộc.")]},
        )
    if end_date is None:
        raise ApplicationError(_("Cần nhập ngày kết thúc nhiệm vụ."), field_errors={"valid_to": [_("Bắt buộc.")]})
    return membership_update(
        user=user, membership=membership, expected_version=expected_version, reason=reason.strip(), valid_to=end_date
    )


@transaction.atomic
def person_create(*, user, full_name: str, notes: str = "", source: str = "", is_demo: bool = False) -> Person:
    if not scope_for(user, Action.MANAGE).everything and scope_for(user, Action.MANAGE).empty:
        raise ApplicationError(_("Bạn không có quyền thêm cá nhân."))
    return _save(user, Person(full_name=full_name.strip(), notes=notes, source=source, is_demo=is_demo))


@transaction.atomic
def counterpart_create(*, user, reason: str = "", **fields) -> Counterpart:
    c = Counterpart(**fields)
    require_unit_in_scope(c.unit_id, None, user, Action.MANAGE)
    return _save(user, c, reason)


COUNTERPART_FIELDS = {"unit", "unit_id", "country", "name", "notes", "source", "is_demo"}


@transaction.atomic
def counterpart_update(
    *, user, counterpart: Counterpart, expected_version: int | None = None, reason: str = "", **fields
) -> Counterpart:
    require_in_scope(counterpart, user, Action.MANAGE)
    check_version(counterpart, expected_version)
    _set_fields(counterpart, fields, COUNTERPART_FIELDS)
    require_unit_in_scope(counterpart.unit_id, None, user, Action.MANAGE)
    bump_version(counterpart)
    return _save(user, counterpart, reason)


@transaction.atomic
def document_number_next(*, user, committee: Committee, symbol: str, year: int) -> int:
    """Take the next number of the committee's own series (locked against concurrent issue)."""
    require_in_scope(committee, user, Action.MANAGE)
    series = (
        DocumentNumberSeries.objects.select_for_update().filter(committee=committee, symbol=symbol, year=year).first()
    )
    if series is None:
        raise ApplicationError(
            _("Ban chỉ đạo %(c)s chưa có sổ số văn bản %(s)s cho năm %(y)s. Hãy tạo sổ số trước khi ban hành.")
            % {"c": committee.code, "s": symbol, "y": year},
            code="no_number_series",
        )
    before = snapshot(series)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    record_change(user=user, instance=series, action="update", before=before, after=snapshot(series))
    return series.last_number
