"""The coordination app's lists, declared once (core.listing) for their page and their API endpoint."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderdesk.core.listing import Filter, ListParamError, ListQuery, ListSpec, Sort
from borderdesk.core.periods import parse_period

from .choices import TaskStatus
from .selectors import status_q


def task_today(values: dict) -> dt.date:
    """The day a task's status is computed on: ``ngay`` (dd/mm/yyyy), else today."""
    return values.get("ngay") or timezone.localdate()


def task_window(values: dict) -> tuple[dt.date | None, dt.date | None]:
    """The conference dates the task list is narrowed to: ``ky`` (a calendar period) or ``tu``…``den``."""
    key = values.get("ky")
    if key:
        try:
            p = parse_period(key.replace("-", "").upper(), "calendar")
        except ValueError as exc:
            message = _("Kỳ không hợp lệ: %s") % exc
            raise ListParamError(message, field_errors={"ky": [message]}) from None
        return p.start, p.end
    return values.get("tu"), values.get("den")


def _status(qs, status: str, query: ListQuery):
    return qs.filter(status_q(status, task_today(query.values)))


def _reference_day(qs, day, query: ListQuery):
    return qs  # read by the status filter


def _conference_window(qs, key, query: ListQuery):
    start, end = task_window(query.values)
    return qs.filter(directive__conference__date__range=(start, end))


#: tasks given at conferences (/hoi-nghi/nhiem-vu/, /api/coordination/tasks)
TASKS = ListSpec(
    filters=[
        Filter(
            "trang_thai",
            gettext_lazy("Trạng thái"),
            "",
            choices=TaskStatus.choices,
            apply=_status,
            aliases=("status",),
        ),
        Filter("ngay", gettext_lazy("Tính trạng thái đến ngày"), "", kind="date_to", apply=_reference_day),
        Filter("ky", gettext_lazy("Kỳ của hội nghị (2025, 2025H1…)"), "", kind="exact", apply=_conference_window),
        Filter("tu", gettext_lazy("Hội nghị từ ngày"), "directive__conference__date", kind="date_from"),
        Filter("den", gettext_lazy("Hội nghị đến ngày"), "directive__conference__date", kind="date_to"),
    ],
    search_fields=["title"],
    sorts=[
        Sort("title", gettext_lazy("Nhiệm vụ")),
        Sort("owner", gettext_lazy("Chủ trì"), ("owner__name",)),
        Sort("deadline", gettext_lazy("Hạn")),
        Sort("conference", gettext_lazy("Hội nghị"), ("directive__conference__date",)),
    ],
)
