"""Every write to accounts' API tokens, each one in the change log (account management: accounts.services).

A token's secret is never logged (only its name, prefix and expiry).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from borderdesk.core.changelog import record_change
from borderdesk.core.errors import NotFoundError

from .models import ApiToken


def _token_snapshot(token: ApiToken) -> dict:
    return {
        "name": token.name,
        "prefix": token.prefix,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
    }


@transaction.atomic
def token_issue(*, user, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """Create an API token for `user` (shown once); logged without its secret."""
    if not getattr(user, "pk", None):
        raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))
    name = (name or "").strip()[:100] or _("Mã truy cập")
    token, key = ApiToken.issue(user=user, name=name, expires_at=expires_at)
    record_change(
        user=user,
        instance=token,
        action="create",
        before=None,
        after=_token_snapshot(token),
        reason=_("Tạo mã truy cập API"),
    )
    return token, key


@transaction.atomic
def token_revoke(*, user, pk) -> bool:
    """Revoke one of the user's own tokens; False when there is no such token (nothing logged)."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=pk).first()
    if token is None:
        return False
    before = _token_snapshot(token)
    record_change(
        user=user, instance=token, action="delete", before=before, after=None, reason=_("Thu hồi mã truy cập API")
    )
    token.delete()
    return True
