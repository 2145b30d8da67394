"""Where a user lands: apps above core offer a home page for some users (the dashboards app sends a
leader to the dashboard) without core importing them. Each hook takes the user and returns an address
or None; the first address wins, else the work list at "/"."""

from __future__ import annotations

from collections.abc import Callable

HOOKS: list[Callable] = []


def register(hook: Callable) -> None:
    if hook not in HOOKS:
        HOOKS.append(hook)


def home_for(user) -> str | None:
    for hook in HOOKS:
        target = hook(user)
        if target:
            return target
    return None
