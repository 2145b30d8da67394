"""Shared service helpers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from .errors import ApplicationError, ConflictError


def _conflict(current, expected) -> ConflictError:
    return ConflictError(
        _(
            "Dữ liệu này vừa được người khác cập nhật (phiên bản %(current)s, bạn đang sửa phiên bản "
            "%(expected)s). Hãy tải lại trang, xem thay đổi của họ rồi nhập lại."
        )
        % {"current": current, "expected": expected},
        extra={"current_version": current},
    )


def check_locked_version(instance, expected_version: int | None) -> None:
    """:func:`check_version` for a row the caller has just read with ``select_for_update()`` in its transaction:
    where the database locked the row on reading (PostgreSQL) the version read is current and compared here,
    without another statement; where ``select_for_update`` does nothing (SQLite) :func:`check_version`'s UPDATE
    takes the lock."""
    from django.db import connections, router

    if not connections[router.db_for_write(type(instance))].features.has_select_for_update:
        check_version(instance, expected_version)
        return
    if expected_version is None or expected_version == "":
        return
    expected = _expected(expected_version)
    if instance.version != expected:
        raise _conflict(instance.version, expected)


def _expected(expected_version) -> int:
    try:
        return int(expected_version)
    except (TypeError, ValueError):
        raise ApplicationError(
            _("Phiên bản (version) phải là một số nguyên."), field_errors={"version": [_("Phải là một số nguyên.")]}
        ) from None


def check_version(instance, expected_version: int | None) -> None:
    """Refuse to save over someone else's newer edit (optimistic locking), atomically.

    Runs `UPDATE … SET version = version WHERE pk = … AND version = n` inside the caller's transaction:
    the row stays locked until the caller commits (PostgreSQL row lock, SQLite write lock), so of two
    saves that read the same version only the first succeeds; the second waits, then gets 409.
    Without an expected version the row is still locked, so the caller's read-modify-write is safe.
    """
    model = type(instance)
    qs = model._default_manager.filter(pk=instance.pk)
    if expected_version is None or expected_version == "":
        qs.update(version=models.F("version"))
        return
    expected = _expected(expected_version)
    if qs.filter(version=expected).update(version=models.F("version")) == 1:
        return
    current = qs.values_list("version", flat=True).first()
    if current is None:
        return  # deleted meanwhile: the caller's own lookup answers 404
    raise _conflict(current, expected)


def require_version(expected_version) -> None:
    """API updates must say which version they change (a missing version would silently overwrite)."""
    if expected_version is None or expected_version == "":
        raise ApplicationError(
            _("Thiếu “version”: gửi phiên bản bạn đã đọc (GET) để không ghi đè thay đổi của người khác."),
            field_errors={"version": [_("Bắt buộc khi sửa.")]},
        )


def bump_version(instance) -> None:
    instance.version = (instance.version or 0) + 1


def language_set(*, user, language: str, choices) -> bool:
    """Save a signed-in user's interface language, logged. False when nothing changed."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from .changelog import record_change

    if language not in dict(choices):
        raise ApplicationError(_("Ngôn ngữ không hợp lệ."), field_errors={"language": [_("Không hợp lệ.")]})
    with transaction.atomic():
        account = get_user_model().objects.select_for_update().filter(pk=getattr(user, "pk", 0)).first()
        if account is None or getattr(account, "language", language) == language:
            return False
        before = {"language": account.language}
        account.language = language
        account.save(update_fields=["language"])
        record_change(
            user=account,
            instance=account,
            action="update",
            before=before,
            after={"language": language},
            reason=_("Chọn ngôn ngữ giao diện"),
        )
    if hasattr(user, "language"):
        user.language = language
    return True
