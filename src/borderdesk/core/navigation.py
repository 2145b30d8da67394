"""The menu: each app contributes its own entries in its AppConfig.ready (core imports no app).

    from borderdesk.core import navigation
    navigation.register("reporting:home", _("Báo cáo định kỳ"), order=40)

Entries are shown in ascending `order` (ties by url name), so the menu does not depend on the order of
INSTALLED_APPS. `visible(user)` decides who sees an entry; by default every signed-in user does.
Orders in use: 0 home, 10–20 organisation, 30–110 the domain apps, 900+ administration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: object  # a lazy translation
    order: int
    visible: Callable[..., bool] | None = None


_ENTRIES: dict[str, Entry] = {}


def register(url_name: str, label, *, order: int, visible: Callable[..., bool] | None = None) -> None:
    """Add (or replace, when ready() runs twice) the entry for `url_name`."""
    _ENTRIES[url_name] = Entry(url_name, label, order, visible)


def entries() -> list[Entry]:
    return sorted(_ENTRIES.values(), key=lambda e: (e.order, e.url_name))


def items_for(user) -> list[tuple[str, object]]:
    """(url name, label) of the entries this user may see, in menu order."""
    if user is None or not user.is_authenticated:
        return []
    return [(e.url_name, e.label) for e in entries() if e.visible is None or e.visible(user)]


def current_item(path: str, items: list[tuple[str, object]]) -> str | None:
    """The item whose address is the longest prefix of the page's address."""
    best, current = -1, None
    for name, _label in items:
        href = reverse(name)
        if (path == href or (href != "/" and path.startswith(href))) and len(href) > best:
            best, current = len(href), name
    return current
