"""The bulk form of `registry_services.save_form`: many validated registry forms written at once (imports).

The same rules as `save_form`, applied to the whole batch: the objects to update are locked and checked
in the user's scope, every new or changed object's unit/agency must be in scope, nothing is written for
an object whose fields (and many-to-many links) did not change, a changed object gets version + 1, and
every write is logged with before/after. The difference is the cost: scope is checked once per distinct
unit/agency, rows are written with `bulk_create`/`bulk_update`, links and change-log entries in bulk.

Uniqueness and database constraints are enforced by the database during the write; when it refuses,
the batch is rolled back and each object is checked with Django's own `validate_unique` /
`validate_constraints`, so the messages are the ones the form and `save_form` give.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial, partialmethod
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext as _

from ..bulk import copy_new
from ..changelog import BulkChange, record_changes_bulk, snapshot
from ..permissions import Op, required_action
from ..scoping import scope_for, scope_ids

IGNORE = {"version", "updated_at", "created_at"}  # as in save_form: bookkeeping is not a change


@dataclass
class BulkItem:
    """One validated row: the form's instance (already holding the new values) and what it was before."""

    line: int
    obj: Any  # a registry model's instance (versioned, scoped)
    before: dict | None = None  # snapshot of the stored object (None: a new object)
    before_values: dict | None = None  # attname -> stored value, for the change test
    before_m2m: dict = field(default_factory=dict)
    new_m2m: dict = field(default_factory=dict)  # field name -> sorted pks (only the fields in the form)


@dataclass
class BulkOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, field, message)


def values_of(obj: models.Model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _changed(item: BulkItem) -> bool:
    if item.before is None:
        return True
    if any(
        (item.before_values or {}).get(f.attname) != getattr(item.obj, f.attname)
        for f in item.obj._meta.concrete_fields
        if f.attname not in IGNORE
    ):
        return True
    return any(item.before_m2m.get(k) != v for k, v in item.new_m2m.items())


def check_scope(items: list[BulkItem], user, model) -> list[tuple[int, str, str]]:
    """`require_unit_in_scope` for each row, computed once per distinct (unit, agency)."""
    errors, verdict = [], {}
    for item in items:
        op = Op.CREATE if item.before is None else Op.CHANGE
        key = (*scope_ids(item.obj), op)
        if key not in verdict:
            scope = scope_for(user, required_action(model, op))
            verdict[key] = scope.contains_unit(key[0]) or scope.contains_agency(key[1])
        if not verdict[key]:
            errors.append((item.line, "", _("Đơn vị hoặc cơ quan này nằm ngoài phạm vi của bạn (hoặc không tồn tại).")))
    return errors


def check_versions(updates: list[BulkItem], model) -> list[tuple[int, str, str]]:
    """Lock the rows about to be updated (as save_form's check_version does) and refuse those another user
    saved since the file was read: one query for the whole batch."""
    if not updates:
        return []
    locked = dict(
        model._default_manager.select_for_update()
        .filter(pk__in=[i.obj.pk for i in updates])
        .values_list("pk", "version")
    )
    return [
        (
            i.line,
            "id",
            _(
                "Đối tượng mã %(id)s vừa được người khác sửa hoặc xóa trong lúc nhập. Không có dữ liệu "
                "nào được lưu; hãy thử lại."
            )
            % {"id": i.obj.pk},
        )
        for i in updates
        if locked.get(i.obj.pk) != (i.before or {}).get("version")
    ]


def save_forms_bulk(
    *, user, model, items: list[BulkItem], after_bulk: Callable | None = None, batch_size: int = 1000
) -> BulkOutcome:
    """Write validated rows in the caller's transaction (call inside `transaction.atomic`).

    `after_bulk(user=, created=, updated=, previous=)` runs after the write (the registry's follow-up work, in
    bulk); `previous` maps each updated object's pk to its stored values before the import (attnames).
    On errors nothing is written and `outcome.errors` names each row.
    """
    outcome = BulkOutcome()
    outcome.errors = check_scope(items, user, model)
    to_write = [i for i in items if _changed(i)]
    outcome.errors += check_versions([i for i in to_write if i.before is not None], model)
    if outcome.errors:
        return outcome
    outcome.unchanged = len(items) - len(to_write)
    creates = [i for i in to_write if i.before is None]
    updates = [i for i in to_write if i.before is not None]
    now = timezone.now()
    meta = model._meta
    update_fields = [
        f.name for f in meta.concrete_fields if not f.primary_key and not getattr(f, "auto_now_add", False)
    ]
    for item in updates:
        item.obj.version = ((item.before or {}).get("version") or 0) + 1
        for f in meta.concrete_fields:
            if getattr(f, "auto_now", False):
                setattr(item.obj, f.attname, now)
    try:
        with transaction.atomic():
            if creates and not copy_new(model, [i.obj for i in creates]):  # PostgreSQL: COPY, else bulk_create
                model._default_manager.bulk_create([i.obj for i in creates], batch_size=batch_size)
                if any(i.obj.pk is None for i in creates):  # a backend that cannot return keys
                    raise IntegrityError("primary keys not returned")
            if updates:
                model._default_manager.bulk_update([i.obj for i in updates], update_fields, batch_size=batch_size)
            _write_m2m(model, to_write, batch_size)
    except IntegrityError as exc:
        outcome.errors = diagnose(items, exc)
        return outcome
    scopes = [scope_ids(i.obj) for i in to_write]
    record_changes_bulk(
        user=user,
        model=model,
        changes=[
            BulkChange(
                object_id=str(i.obj.pk),
                object_repr=text,
                unit_id=scope[0],
                agency_id=scope[1],
                before=None if i.before is None else {**i.before, **i.before_m2m},
                after={**(snapshot(i.obj) or {}), **i.new_m2m},
            )
            for i, text, scope in zip(to_write, reprs(model, [i.obj for i in to_write]), scopes, strict=True)
        ],
    )
    if after_bulk is not None:
        after_bulk(
            user=user,
            created=[i.obj for i in creates],
            updated=[i.obj for i in updates],
            previous={i.obj.pk: i.before_values or {} for i in updates},
        )
    outcome.created, outcome.updated = len(creates), len(updates)
    return outcome


def reprs(model, objs: list) -> list[str]:
    """`str()` of each object (the change log's name of it), each choice field's labels read once for the batch:
    Django's `get_<field>_display` rebuilds (and translates) the whole label table on every call."""
    tables = {}
    for f in model._meta.fields:
        name = f"get_{f.name}_display"
        method = inspect.getattr_static(model, name, None)
        if f.choices and isinstance(method, partialmethod) and method.keywords.get("field") is f:
            tables[name] = (f.attname, {k: force_str(v, strings_only=True) for k, v in make_hashable(f.flatchoices)})
    if not tables:
        return [str(o) for o in objs]
    out = []
    for obj in objs:
        attrs = obj.__dict__
        for name, (attname, labels) in tables.items():  # shadows the class's method for this call only
            attrs[name] = partial(_display, obj, attname, labels)
        try:
            out.append(str(obj))
        finally:
            for name in tables:
                attrs.pop(name, None)
    return out


def _display(obj, attname: str, labels: dict):
    """Model._get_FIELD_display with the labels already read."""
    value = getattr(obj, attname)
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


def _write_m2m(model, items: list[BulkItem], batch_size: int) -> None:
    for f in model._meta.many_to_many:
        changed = [i for i in items if f.name in i.new_m2m and i.before_m2m.get(f.name) != i.new_m2m[f.name]]
        if not changed:
            continue
        through = f.remote_field.through
        src, dst = f.m2m_field_name(), f.m2m_reverse_field_name()
        stale = [i.obj.pk for i in changed if i.before is not None]
        if stale:
            through._default_manager.filter(**{f"{src}__in": stale}).delete()
        through._default_manager.bulk_create(
            [through(**{f"{src}_id": i.obj.pk, f"{dst}_id": pk}) for i in changed for pk in i.new_m2m[f.name]],
            batch_size=batch_size,
        )


def file_duplicates(items: list[BulkItem]) -> list[tuple[int, str, str]]:
    """Rows of the file that repeat another row's unique values (the database would refuse the second)."""
    errors: list[tuple[int, str, str]] = []
    seen: dict[tuple, int] = {}
    checks: dict[type, list] = {}  # the unique checks depend on the model only: computed once per model
    for item in items:
        obj: Any = item.obj
        if type(obj) not in checks:
            checks[type(obj)] = [
                (model_class, check, [obj._meta.get_field(n).attname for n in check])
                for model_class, check in obj._get_unique_checks(include_meta_constraints=True)[0]
                if check != (obj._meta.pk.name,)
            ]
        for model_class, check, attnames in checks[type(obj)]:
            values = tuple(getattr(obj, a) for a in attnames)
            if any(v is None for v in values):
                continue
            key = (model_class, check, values)
            if key in seen:
                names = ", ".join(str(obj._meta.get_field(n).verbose_name) for n in check)
                errors.append(
                    (item.line, check[-1], _("Trùng với dòng %(n)s của tệp (%(f)s).") % {"n": seen[key], "f": names})
                )
            else:
                seen[key] = item.line
    return errors


def diagnose(items: list[BulkItem], exc: Exception) -> list[tuple[int, str, str]]:
    """The rows behind a refused bulk write, with Django's own uniqueness and constraint messages."""
    for item in items:
        if item.before is None:
            item.obj.pk = None
            item.obj._state.adding = True
    errors = file_duplicates(items)
    for item in items:
        try:
            item.obj.validate_unique()
            item.obj.validate_constraints()
        except ValidationError as ve:
            for fname, msgs in ve.message_dict.items() if hasattr(ve, "error_dict") else [("", ve.messages)]:
                for msg in msgs:
                    errors.append((item.line, "" if fname == "__all__" else fname, msg))
    if not errors:
        errors.append((0, "", _("Cơ sở dữ liệu từ chối ghi: %(e)s. Không có dữ liệu nào được lưu.") % {"e": exc}))
    return errors
