"""Whether a report may be changed now: its status, and its period's entry lock (with the approver's exception)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from borderdesk.core import vn
from borderdesk.core.errors import ApplicationError

from .models import Submission
from .window import lock_date_for


def _check_editable(submission: Submission, *, enforce_lock: bool = True) -> None:
    if not submission.is_editable:
        raise ApplicationError(
            _("Báo cáo đang ở trạng thái “%s”; không sửa được. Cần người duyệt mở lại.")
            % submission.get_status_display(),
            code="locked",
        )
    if enforce_lock:
        lock = lock_date_for(submission.form_version, submission.period)
        today = timezone.localdate()
        if (
            lock is not None
            and today > lock
            and not (submission.lock_exception_until and submission.lock_exception_until >= today)
        ):
            raise ApplicationError(
                _("Kỳ báo cáo đã khóa nhập từ ngày %s. Đề nghị người duyệt cho phép nhập sau hạn.")
                % vn.format_date(lock),
                code="locked",
            )
