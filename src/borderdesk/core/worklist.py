"""The home page's work list: what each user has to do, gathered from the apps that know.

An app contributes by a module ``<app>/worklist.py`` with ``items(user, today) -> list[WorkItem]`` (found
like the API routers, so `core` never imports the apps above it). Each item says what it is, its date and
where to act: a link, or a small form posted to the page that opens the work (``post``).
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.utils.translation import gettext_lazy as _

#: Sections of the list, in the order shown: (kind, heading).
SECTIONS: list[tuple[str, object]] = [
    ("late", _("Quá hạn báo cáo")),
    ("returned", _("Báo cáo bị trả lại")),
    ("approve", _("Chờ tôi duyệt")),
    ("due", _("Đến hạn báo cáo")),
    ("task_overdue", _("Nhiệm vụ quá hạn")),
    ("missing", _("Đơn vị chưa nộp báo cáo")),
    ("reminder", _("Sắp đến hạn")),
    ("draft", _("Đang soạn")),
]


@dataclass
class WorkItem:
    kind: str  # one of SECTIONS
    title: str
    detail: str = ""
    url: str = ""
    day: dt.date | None = None  # deadline (or the date the item refers to)
    action: str = ""  # the button/link text
    post: dict = field(default_factory=dict)  # hidden fields when acting means posting to `url`


def collect(user, today: dt.date) -> list:
    """(kind, heading, items) for every non-empty section, items soonest first."""
    items: list[WorkItem] = []
    for cfg in django_apps.get_app_configs():
        if not cfg.name.startswith("borderdesk."):
            continue
        try:
            module = importlib.import_module(f"{cfg.name}.worklist")
        except ModuleNotFoundError as exc:
            if exc.name == f"{cfg.name}.worklist":
                continue
            raise
        if module.__name__ != __name__:
            items.extend(module.items(user, today))
    out = []
    for kind, heading in SECTIONS:
        group = sorted((i for i in items if i.kind == kind), key=lambda i: (i.day or dt.date.max, i.title))
        if group:
            out.append((kind, heading, group))
    return out
