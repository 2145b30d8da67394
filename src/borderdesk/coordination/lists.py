"""The coordination app's lists, declared once (core.listing) for their page and their API endpoint."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderdesk.core.listing import Filter, ListParamError, ListQuery, ListSpec, Sort
from borderdesk.core.periods import parse_period

from .choices import ConferenceKind, RecipientType, TaskStatus
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

#: conferences (/hoi-nghi/, /api/coordination/conferences)
CONFERENCES = ListSpec(
    filters=[
        Filter("kind", gettext_lazy("Loại hội nghị"), "kind", choices=ConferenceKind.choices),
        Filter("date_from", gettext_lazy("Từ ngày"), "date", kind="date_from"),
        Filter("date_to", gettext_lazy("Đến ngày"), "date", kind="date_to"),
    ],
    search_fields=["title", "place"],
    sorts=[
        Sort("date", gettext_lazy("Ngày")),
        Sort("kind", gettext_lazy("Loại")),
        Sort("title", gettext_lazy("Tên hội nghị")),
        Sort("chair", gettext_lazy("Chủ trì")),
        Sort("unit", gettext_lazy("Tỉnh"), ("unit__name",)),
    ],
    default_sort="-date",
    page_size=20,
)


def commendation_window(values: dict) -> tuple[dt.date | None, dt.date | None]:
    """The decision dates asked for: ``period`` (on ``rule``, calendar by default) within ``date_from``…``date_to``."""
    start, end = values.get("date_from"), values.get("date_to")
    key = values.get("period")
    if key:
        try:
            p = parse_period(key, values.get("rule") or "calendar")
        except ValueError as exc:
            message = _("Kỳ không hợp lệ: %s") % exc
            raise ListParamError(message, field_errors={"period": [message]}) from None
        start = max(p.start, start) if start else p.start
        end = min(p.end, end) if end else p.end
    return start, end


def _decided_in(qs, value, query: ListQuery):
    start, end = commendation_window(query.values)
    return qs.filter(decision_date__range=(start or dt.date.min, end or dt.date.max))


def _of_committee(qs, committee: str, query: ListQuery):
    """A committee's commendations (its province's), by id or code; a committee outside the scope is a 404."""
    from borderdesk.core.scoping import get_for_user_or_404
    from borderdesk.org.models import Committee

    lookup = {"pk": int(committee)} if committee.isdigit() else {"code": committee}
    found = get_for_user_or_404(Committee.objects.select_related("unit"), query.user, **lookup)
    return qs.filter(unit=found.unit)


def _of_kind(qs, code: str, query: ListQuery):
    from .models import CommendationKind

    if not CommendationKind.objects.filter(code=code).exists():
        message = _("Không có hình thức khen thưởng “%s”.") % code
        raise ListParamError(message, field_errors={"kind": [message]})
    return qs.filter(kind__code=code)


#: commendations (/hoi-nghi/khen-thuong/, /api/coordination/commendations)
COMMENDATIONS = ListSpec(
    filters=[
        Filter("committee", gettext_lazy("Ban chỉ đạo (mã số hoặc mã)"), "", kind="exact", apply=_of_committee),
        Filter("period", gettext_lazy("Kỳ (2025, 2025H1…)"), "", kind="exact", apply=_decided_in),
        Filter(
            "rule",
            gettext_lazy("Quy tắc kỳ"),
            "",
            choices=[("calendar", "calendar"), ("decree09", "decree09")],
            apply=_reference_day,
        ),
        Filter("recipient_type", gettext_lazy("Đối tượng"), "recipient_type", choices=RecipientType.choices),
        Filter("kind", gettext_lazy("Hình thức (mã)"), "", kind="exact", apply=_of_kind),
        Filter("conference_id", gettext_lazy("Hội nghị (mã số)"), "conference_id", kind="model"),
        Filter("date_from", gettext_lazy("Quyết định từ ngày"), "decision_date", kind="date_from", aliases=("tu",)),
        Filter("date_to", gettext_lazy("Quyết định đến ngày"), "decision_date", kind="date_to", aliases=("den",)),
    ],
    search_fields=["recipient_name"],
    sorts=[
        Sort("decision_date", gettext_lazy("Ngày")),
        Sort("kind", gettext_lazy("Hình thức"), ("kind__name",)),
        Sort("recipient_type", gettext_lazy("Đối tượng")),
        Sort("recipient_name", gettext_lazy("Tên")),
        Sort("conference", gettext_lazy("Hội nghị"), ("conference__date",)),
    ],
)
