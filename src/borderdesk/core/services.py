"""Shared service helpers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import ConflictError


def check_version(instance, expected_version: int | None) -> None:
    """Refuse to save over someone else's newer edit (optimistic locking)."""
    if expected_version is None:
        return
    current = type(instance)._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
    if current is not None and int(expected_version) != current:
        raise ConflictError(
            _("Dữ liệu này vừa được người khác cập nhật (phiên bản %(current)s, bạn đang sửa phiên bản "
              "%(expected)s). Hãy tải lại trang, xem thay đổi của họ rồi nhập lại.")
            % {"current": current, "expected": expected_version},
            extra={"current_version": current},
        )


def bump_version(instance) -> None:
    instance.version = (instance.version or 0) + 1
