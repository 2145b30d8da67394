"""Work list items of coordination: overdue tasks and tasks due soon, in the user's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from borderdesk.core.worklist import WorkItem

from . import selectors

WITHIN_DAYS = 7


def items(user, today) -> list[WorkItem]:
    due, overdue = selectors.reminders(user=user, today=today, within_days=WITHIN_DAYS)
    out = [
        WorkItem(
            "task_overdue",
            t.title,
            detail=str(t.owner),
            url=reverse("coordination:task", args=[t.pk]),
            day=t.deadline,
            action=_("Cập nhật tiến độ"),
        )
        for t in overdue[:50]
    ]
    out += [
        WorkItem(
            "reminder",
            t.title,
            detail=_("Nhiệm vụ — %(o)s") % {"o": t.owner},
            url=reverse("coordination:task", args=[t.pk]),
            day=t.deadline,
            action=_("Xem nhiệm vụ"),
        )
        for t in due[:50]
    ]
    return out
