"""The generic registry services: save a validated form, delete an object — the one write path of every
registry (pages, API, CSV/XLSX import), with the permission table, scope, version check and change log.

Registry apps wrap `save_form` / `delete_object` with their own rules (`gates.services.gate_save` ...).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from ..changelog import delete_with_log, record_change, snapshot
from ..errors import ConflictError, NotFoundError, validation_error_to_application_error
from ..permissions import Op, required_action
from ..scoping import require_in_scope, require_unit_in_scope, scope_ids
from ..services import check_version
from ..vn import format_number


def _m2m_snapshot(instance) -> dict:
    if instance is None or instance.pk is None:
        return {}
    return {f.name: sorted(getattr(instance, f.name).values_list("pk", flat=True)) for f in instance._meta.many_to_many}


def save_form(
    *, user, form, instance=None, expected_version=None, after_save: Callable | None = None
) -> tuple[models.Model, bool]:
    """Save a validated registry form: scope checks, version check, change log; (object, changed).

    Nothing is written when nothing changed (an export re-imported leaves the data untouched).
    """
    obj = form.instance
    model = type(obj)
    with transaction.atomic():
        before: dict | None = None
        before_m2m: dict = {}
        current = None
        op = Op.CREATE if instance is None or not instance.pk else Op.CHANGE
        if instance is not None and instance.pk:
            current = model._default_manager.filter(pk=instance.pk).first()
            if current is None:
                raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))
            require_in_scope(current, user, required_action(model, op))
            check_version(current, expected_version)  # locks the row until this transaction ends
            current = model._default_manager.filter(pk=instance.pk).first()
            before, before_m2m = snapshot(current), _m2m_snapshot(current)
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise validation_error_to_application_error(exc) from None
        unit_id, agency_id = scope_ids(obj)
        require_unit_in_scope(unit_id, agency_id, user, required_action(model, op))
        new_m2m = {
            f.name: sorted(o.pk for o in form.cleaned_data.get(f.name, []))
            for f in model._meta.many_to_many
            if f.name in form.cleaned_data
        }
        ignore = {"version", "updated_at", "created_at"}
        changed = (
            before is None
            or any(
                getattr(current, f.attname) != getattr(obj, f.attname)
                for f in model._meta.concrete_fields
                if f.attname not in ignore
            )
            or any(before_m2m.get(k) != v for k, v in new_m2m.items())
        )
        if not changed:
            return obj, False
        if before is not None:
            obj.version = (before.get("version") or 0) + 1
        try:
            obj.save()
        except IntegrityError:  # another request saved the same unique values between our check and now
            raise ConflictError(
                _("Dữ liệu này vừa được ghi bởi một yêu cầu khác (trùng với dữ liệu đã có). Hãy tải lại rồi thử lại.")
            ) from None
        if new_m2m:
            form._save_m2m()  # ModelForm's own many-to-many writer (save() would re-validate)
        after = (snapshot(obj) or {}) | {k: v for k, v in new_m2m.items()}
        record_change(
            user=user,
            instance=obj,
            action="create" if before is None else "update",
            before=None if before is None else before | (before_m2m or {}),
            after=after,
        )
        if after_save is not None:
            after_save(obj)
    return obj, True


def _collect(instance):
    """Django's deletion collector for `instance`; ConflictError (409) when something protects it."""
    from django.db import router
    from django.db.models.deletion import Collector, ProtectedError, RestrictedError

    collector = Collector(using=router.db_for_write(type(instance)), origin=instance)
    try:
        collector.collect([instance])
    except (ProtectedError, RestrictedError) as exc:
        counts: dict[str, int] = {}
        for obj in getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ()):
            label = str(obj._meta.verbose_name)
            counts[label] = counts.get(label, 0) + 1
        what = "; ".join(f"{format_number(n)} {label}" for label, n in sorted(counts.items()))
        raise ConflictError(
            _(
                "Không thể xóa “%(obj)s” vì còn dữ liệu khác tham chiếu đến: %(what)s. Hãy xóa hoặc chuyển các "
                "dữ liệu đó trước."
            )
            % {"obj": instance, "what": what},
            code="protected",
            extra={"protected": counts},
        ) from None
    return collector


def delete_preview(instance) -> dict:
    """What deleting `instance` would do: {"protected": message or "", "cascade": [(label, count)]}."""
    try:
        collector = _collect(instance)
    except ConflictError as exc:
        return {"protected": exc.message, "cascade": []}
    counts: dict[str, int] = {}
    for model, objs in collector.data.items():
        if model is not type(instance):
            counts[str(model._meta.verbose_name)] = counts.get(str(model._meta.verbose_name), 0) + len(objs)
    for qs in collector.fast_deletes:
        n = qs.count()
        if n:
            counts[str(qs.model._meta.verbose_name)] = counts.get(str(qs.model._meta.verbose_name), 0) + n
    return {"protected": "", "cascade": sorted(counts.items())}


def delete_object(
    *,
    user,
    instance,
    expected_version=None,
    reason: str = "",
    action: str | None = None,
    after_delete: Callable | None = None,
) -> None:
    """Delete a registry object: scope check, version check, 409 when protected, every row logged.

    The object is logged with `delete_with_log`; rows deleted with it (cascades such as a timeline or
    photos) get their own "delete" entries first. Many-to-many links are part of the logged snapshot.
    """
    model = type(instance)
    action = action or required_action(model, Op.DELETE)
    with transaction.atomic():
        current = model._default_manager.select_for_update().filter(pk=instance.pk).first()
        if current is None:
            raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))
        require_in_scope(current, user, action)
        check_version(current, expected_version)
        collector = _collect(current)
        dependents = [
            obj
            for m, objs in collector.data.items()
            for obj in objs
            if not isinstance(obj, model) or obj.pk != current.pk
        ]
        # Many-to-many link rows are logged once, as the "unlink" entry below, not one "delete" per row.
        dependents += [obj for qs in collector.fast_deletes if not qs.model._meta.auto_created for obj in qs]
        for obj in dependents:
            record_change(user=user, instance=obj, action="delete", before=snapshot(obj), after=None, reason=reason)
        m2m = _m2m_snapshot(current)
        if m2m:
            record_change(user=user, instance=current, action="unlink", before=m2m, after=None, reason=reason)
        delete_with_log(user=user, instance=current, reason=reason)
        if after_delete is not None:
            after_delete(current)
