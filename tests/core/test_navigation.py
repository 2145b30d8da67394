"""The menu: each app registers its own entry (core.navigation) in a stable order; no "later apps" scaffolding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from borderdesk.core import navigation

SRC = Path(__file__).resolve().parents[2] / "src" / "borderdesk"

EXPECTED = [
    "core:home",
    "org:tree",
    "org:committees",
    "dashboards:home",
    "reporting:home",
    "frontier:home",
    "dashboards:gates",
    "outreach:home",
    "coordination:home",
    "documents:home",
    "extraction:home",
    "core:changelog",
    "accounts:users",
]


def test_every_app_registered_its_entry_in_a_stable_order():
    names = [e.url_name for e in navigation.entries()]
    assert names == EXPECTED
    for name in names:
        reverse(name)  # every entry points at a page that exists


def test_ordering_does_not_depend_on_registration_order():
    saved = dict(navigation._ENTRIES)
    try:
        navigation._ENTRIES.clear()
        for name, entry in reversed(saved.items()):
            navigation.register(name, entry.label, order=entry.order, visible=entry.visible)
        assert [e.url_name for e in navigation.entries()] == EXPECTED
    finally:
        navigation._ENTRIES.clear()
        navigation._ENTRIES.update(saved)


@pytest.mark.django_db
def test_menu_shows_what_the_user_may_use(client, users):
    client.force_login(users["lanhdao.ls"])
    r = client.get(reverse("reporting:home"))
    names = [n for n, _label in r.context["nav_items"]]
    assert names[0] == "core:home" and "reporting:home" in names and "extraction:home" in names
    assert "accounts:users" not in names  # a leader does not manage accounts
    assert r.context["nav_current"] == "reporting:home"
    client.force_login(users["vanphong.ls"])
    names = [n for n, _label in client.get("/").context["nav_items"]]
    assert "accounts:users" in names and names.index("org:tree") < names.index("reporting:home")


def test_no_conditional_app_scaffolding_left():
    pattern = re.compile(
        r"BORDERDESK_EXTRA_APPS|EXTRA_NAV|apps that land later|as they land|"
        r"when present in this checkout|apps that exist in this checkout|is_installed\("
    )
    offenders = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
