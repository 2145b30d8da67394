"""Drafting for many committees at once, as a background job (the national level or an office with several
committees: every province's report for a period in one go).

All or nothing: the drafts are written in one transaction, so a refusal (a committee without data for its
template, a committee no longer in the user's scope) or a worker killed midway leaves no draft behind, and
running the job again is safe.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from borderdesk.core import vn
from borderdesk.core.background import JobError, register
from borderdesk.core.errors import ApplicationError
from borderdesk.core.periods import parse_period
from borderdesk.org.selectors import committees_for_user

from . import services
from .models import ReportTemplate

DRAFT_MANY = "documents.draft_many"


def batch_params(*, period: str, committee_ids: list[int], report_date: dt.date, template_id: int | None) -> dict:
    return {
        "period": period,
        "committees": [int(c) for c in committee_ids],
        "date": report_date.isoformat(),
        "template": template_id,
    }


def draft_many(job, progress) -> dict:
    user = job.created_by
    if user is None or not user.is_active:
        raise JobError(_("Tài khoản yêu cầu soạn không còn hoạt động."))
    try:
        period = parse_period(job.params["period"])
    except (KeyError, ValueError):
        raise JobError(_("Kỳ báo cáo không hợp lệ.")) from None
    committees = list(committees_for_user(user=user).filter(pk__in=job.params.get("committees") or []))
    missing = set(job.params.get("committees") or []) - {c.pk for c in committees}
    if missing or not committees:
        raise JobError(_("Có ban chỉ đạo không còn trong phạm vi của bạn; chưa soạn dự thảo nào."))
    template = (
        ReportTemplate.objects.filter(pk=job.params.get("template")).first() if job.params.get("template") else None
    )
    report_date = dt.date.fromisoformat(job.params["date"])
    errors, drafts = [], []
    with transaction.atomic():
        for i, committee in enumerate(committees):
            progress(i, len(committees), _("Đang soạn: %s") % committee.name, force=True)
            try:
                with transaction.atomic():
                    drafts.append(
                        services.draft_create(
                            user=user, committee=committee, period=period, report_date=report_date, template=template
                        )
                    )
            except ApplicationError as exc:
                errors.append({"line": i + 1, "field": committee.name, "message": str(exc.message)})
        if errors:
            transaction.set_rollback(True)
            raise JobError(
                _("Không soạn được %(n)s báo cáo; chưa có dự thảo nào được ghi.")
                % {"n": vn.format_number(len(errors))},
                errors=errors,
            )
    return {
        "message": _("Đã soạn %(n)s dự thảo báo cáo %(period)s.")
        % {"n": vn.format_number(len(drafts)), "period": period.label_vi},
        "url": reverse("documents:home") + f"?ky={period.key}",
        "drafts": [d.pk for d in drafts],
    }


def register_jobs() -> None:
    register(DRAFT_MANY, draft_many)
