"""Every write of the frontier app: scope-checked, atomic, logged."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderdesk.core import archives
from borderdesk.core.changelog import record_change, snapshot
from borderdesk.core.errors import ApplicationError, PermissionDeniedError
from borderdesk.core.registry.services import delete_object, save_form
from borderdesk.core.scoping import Action, require_in_scope
from borderdesk.core.services import check_version

from .choices import INCIDENT_TRANSITIONS, IncidentStatus, MarkerState
from .models import Incident, IncidentUpdate, InspectionPhoto, Marker, MarkerInspection

PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")


# ---------------------------------------------------------------- registries


def section_save(*, user, form, instance=None, expected_version=None):
    return save_form(user=user, form=form, instance=instance, expected_version=expected_version)


def marker_save(*, user, form, instance=None, expected_version=None):
    return save_form(user=user, form=form, instance=instance, expected_version=expected_version)


def marker_refresh_state(*, marker: Marker) -> None:
    """A marker's state is its latest inspection's (derived, not edited by hand)."""
    last = marker.inspections.order_by("-inspected_on", "-id").values("state", "inspected_on").first()
    state = last["state"] if last else MarkerState.UNKNOWN
    day = last["inspected_on"] if last else None
    Marker.objects.filter(pk=marker.pk).update(state=state, state_on=day)


def inspection_save(*, user, form, instance=None, expected_version=None):
    # The stored marker: the bound form has already put the new one on `instance` (construct_instance).
    stored = MarkerInspection.objects.filter(pk=instance.pk).first() if instance is not None and instance.pk else None
    old_marker_id = stored.marker_id if stored is not None else None

    def after(obj):
        marker_refresh_state(marker=obj.marker)
        if old_marker_id is not None and old_marker_id != obj.marker_id:
            marker_refresh_state(marker=Marker(pk=old_marker_id))

    return save_form(user=user, form=form, instance=instance, expected_version=expected_version, after_save=after)


DERIVED_STATE = ("state", "state_on")  # a marker's fields that follow its latest inspection


def markers_refresh_state(*, marker_ids) -> None:
    """`marker_refresh_state` for many markers at once (a bulk import): their latest inspections in one query."""
    ids = {i for i in marker_ids if i is not None}
    if not ids:
        return
    latest: dict[int, tuple[str, dt.date | None]] = {mid: (MarkerState.UNKNOWN, None) for mid in ids}
    seen: set[int] = set()
    columns = ("marker_id", "state", "inspected_on")
    of_markers = {"marker__in": ids}
    rows = (
        MarkerInspection.objects.filter(**of_markers).order_by(columns[0], "-inspected_on", "-id").values_list(*columns)
    )
    for mid, state, day in rows:
        if mid not in seen:
            seen.add(mid)
            latest[mid] = (state, day)
    markers = list(Marker.objects.filter(pk__in=ids).only("id", "state", "state_on"))
    for m in markers:
        m.state, m.state_on = latest[m.pk]
    Marker.objects.bulk_update(markers, list(DERIVED_STATE), batch_size=500)


def inspection_after_bulk(*, user, created, updated, previous=None) -> None:
    """`inspection_save`'s follow-up for a bulk import: the state of every marker inspected (or no longer)."""
    moved_from = [values.get("marker_id") for values in (previous or {}).values()]
    markers_refresh_state(marker_ids=[o.marker_id for o in (*created, *updated)] + moved_from)


def inspection_delete(*, user, instance, expected_version=None, reason: str = "") -> None:
    """Delete an inspection (and its photos); the marker's state falls back to its previous inspection."""
    files = [p.file.name for p in instance.photos.all() if p.file]

    def after(obj):
        marker_refresh_state(marker=obj.marker)
        storage = InspectionPhoto._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in files])

    delete_object(user=user, instance=instance, expected_version=expected_version, reason=reason, after_delete=after)


def _looks_like_image(file) -> bool:
    """The first bytes of a JPEG, PNG or WEBP file (a renamed document is not a photo)."""
    file.seek(0)
    head = file.read(12)
    file.seek(0)
    return head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def inspection_add_photo(*, inspection: MarkerInspection, user, file, caption: str = "") -> InspectionPhoto:
    require_in_scope(inspection, user, Action.CHANGE)
    name = (file.name or "").lower()
    if file.size > archives.upload_limit():
        raise ApplicationError(
            _("Ảnh quá lớn (tối đa %(m)s MB).") % {"m": archives.megabytes(archives.upload_limit())},
            field_errors={"file": [_("Ảnh quá lớn.")]},
        )
    if not name.endswith(PHOTO_EXTENSIONS) or not _looks_like_image(file):
        raise ApplicationError(_("Chỉ nhận ảnh JPG, PNG hoặc WEBP."), field_errors={"file": [_("Sai định dạng ảnh.")]})
    with transaction.atomic():
        photo = InspectionPhoto(inspection=inspection, file=file, caption=caption)
        photo.save()
        record_change(
            user=user,
            instance=inspection,
            action="add_photo",
            before=None,
            after={"photo": photo.file.name, "caption": caption},
        )
    return photo


def road_save(*, user, form, instance=None, expected_version=None):
    return save_form(user=user, form=form, instance=instance, expected_version=expected_version)


def patrol_save(*, user, form, instance=None, expected_version=None):
    return save_form(user=user, form=form, instance=instance, expected_version=expected_version)


def self_management_save(*, user, form, instance=None, expected_version=None):
    return save_form(user=user, form=form, instance=instance, expected_version=expected_version)


# ---------------------------------------------------------------- reference data (incident categories)


def can_edit_reference(user) -> bool:
    """Incident categories are national reference data: administrators only (not a provincial standing office)."""
    from borderdesk.core.permissions import Op, can

    return can(user, "frontier.incidentcategory", Op.CHANGE)


def _require_reference_admin(user) -> None:
    if not can_edit_reference(user):
        raise PermissionDeniedError(_("Chỉ quản trị hệ thống được sửa danh mục loại vụ việc."))


def category_save(*, user, form, instance=None, expected_version=None):
    """Create or edit an incident category (version-checked, logged); its indicator must be in the catalogue."""
    _require_reference_admin(user)
    return save_form(user=user, form=form, instance=instance, expected_version=expected_version)


def category_bulk_rules(*, user, items) -> list[tuple[int, str, str]]:
    """`category_save`'s rule for a whole imported file: administrators only (every row refused otherwise)."""
    if can_edit_reference(user):
        return []
    message = _("Chỉ quản trị hệ thống được sửa danh mục loại vụ việc.")
    return [(item.line, "", message) for item in items]


def category_delete(*, user, instance, expected_version=None, reason: str = "") -> None:
    """Delete an unused incident category; 409 while incidents still use it."""
    _require_reference_admin(user)
    delete_object(user=user, instance=instance, expected_version=expected_version, reason=reason)


# ---------------------------------------------------------------- incidents


def incident_save(*, user, form, instance=None, expected_version=None):
    """Report a new incident or correct its facts; a new one starts its timeline as "reported"."""
    is_new = instance is None or not instance.pk

    def after(obj):
        if is_new:
            IncidentUpdate.objects.create(
                incident=obj,
                at=timezone.now(),
                user=_u(user),
                status=IncidentStatus.REPORTED,
                note=_("Tiếp nhận báo cáo vụ việc."),
            )

    return save_form(user=user, form=form, instance=instance, expected_version=expected_version, after_save=after)


def incident_after_bulk(*, user, created, updated, previous=None) -> None:
    """`incident_save`'s follow-up for a bulk import: each new incident starts its timeline as "reported"."""
    now = timezone.now()
    IncidentUpdate.objects.bulk_create(
        [
            IncidentUpdate(
                incident=obj,
                at=now,
                user=_u(user),
                status=IncidentStatus.REPORTED,
                note=_("Tiếp nhận báo cáo vụ việc."),
            )
            for obj in created
        ]
    )


def _u(user):
    return user if getattr(user, "pk", None) else None


def incident_transition(
    *,
    incident: Incident,
    user,
    to: str,
    note: str = "",
    handling_mode: str = "",
    resolution_level: str = "",
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Incident:
    """Move an incident along reported → verified → handling → resolved → closed."""
    with transaction.atomic():
        current = Incident.objects.select_for_update().get(pk=incident.pk)
        require_in_scope(current, user, Action.CHANGE)
        check_version(current, expected_version)
        if current.merged_into_id:
            raise ApplicationError(
                _("Vụ việc này đã được gộp vào vụ #%(k)s; hãy cập nhật vụ đó.") % {"k": current.merged_into_id},
                code="merged",
            )
        allowed = INCIDENT_TRANSITIONS.get(current.status, ())
        if to not in allowed:
            raise ApplicationError(
                _("Không thể chuyển vụ việc từ “%(a)s” sang “%(b)s”.")
                % {
                    "a": IncidentStatus(current.status).label,
                    "b": IncidentStatus(to).label if to in IncidentStatus.values else to,
                },
                code="invalid_transition",
            )
        at = at or timezone.now()
        before = snapshot(current)
        if to == IncidentStatus.HANDLING:
            if not handling_mode:
                raise ApplicationError(
                    _("Cần chọn hình thức xử lý."), field_errors={"handling_mode": [_("Cần chọn hình thức xử lý.")]}
                )
            current.handling_mode = handling_mode
        if to == IncidentStatus.RESOLVED:
            if not resolution_level:
                raise ApplicationError(
                    _("Cần chọn kết quả giải quyết (dứt điểm ở cơ sở hoặc báo cáo cấp trên)."),
                    field_errors={"resolution_level": [_("Cần chọn kết quả giải quyết.")]},
                )
            current.resolution_level = resolution_level
            current.resolved_at = at
        if to == IncidentStatus.CLOSED:
            current.closed_at = at
        if to == IncidentStatus.HANDLING and current.status == IncidentStatus.RESOLVED:
            current.resolved_at = None  # reopened
            current.resolution_level = ""
        current.status = to
        current.version += 1
        current.full_clean()
        current.save()
        IncidentUpdate.objects.create(incident=current, at=at, user=_u(user), status=to, note=note)
        record_change(
            user=user, instance=current, action=f"status:{to}", before=before, after=snapshot(current), reason=note
        )
    return current


def incident_merge(*, keep: Incident, duplicate: Incident, user, note: str = "") -> Incident:
    """Merge a duplicate report into the kept incident; the duplicate is never counted again."""
    with transaction.atomic():
        keep = Incident.objects.select_for_update().get(pk=keep.pk)
        duplicate = Incident.objects.select_for_update().get(pk=duplicate.pk)
        require_in_scope(keep, user, Action.CHANGE)
        require_in_scope(duplicate, user, Action.CHANGE)
        if keep.pk == duplicate.pk:
            raise ApplicationError(_("Không thể gộp một vụ việc vào chính nó."), code="merge_self")
        if keep.merged_into_id:
            raise ApplicationError(
                _("Vụ #%(k)s đã được gộp vào vụ khác; hãy gộp vào vụ #%(t)s.")
                % {"k": keep.pk, "t": keep.merged_into_id},
                code="merge_target_merged",
            )
        if duplicate.merged_into_id:
            raise ApplicationError(_("Vụ #%(d)s đã được gộp trước đó.") % {"d": duplicate.pk}, code="already_merged")
        # Reports already merged into the duplicate follow it to the kept incident.
        for child in Incident.objects.filter(merged_into=duplicate):
            b = snapshot(child)
            child.merged_into = keep
            child.save(update_fields=["merged_into"])
            record_change(user=user, instance=child, action="merge", before=b, after=snapshot(child), reason=note)
        before = snapshot(duplicate)
        duplicate.merged_into = keep
        duplicate.version += 1
        duplicate.save(update_fields=["merged_into", "version", "updated_at"])
        now = timezone.now()
        msg = note or ""
        IncidentUpdate.objects.create(
            incident=duplicate,
            at=now,
            user=_u(user),
            status=duplicate.status,
            note=_("Gộp vào vụ #%(k)s. %(n)s") % {"k": keep.pk, "n": msg},
        )
        IncidentUpdate.objects.create(
            incident=keep,
            at=now,
            user=_u(user),
            status=keep.status,
            note=_("Gộp báo cáo trùng #%(d)s vào vụ này. %(n)s") % {"d": duplicate.pk, "n": msg},
        )
        record_change(
            user=user, instance=duplicate, action="merge", before=before, after=snapshot(duplicate), reason=note
        )
    return keep
