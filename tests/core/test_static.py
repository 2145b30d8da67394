"""Static files: only the front-end package files the pages use are collected, and `borderdesk serve` collects
again only when a source changed (compressing everything took minutes at every start on 2 cores)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from borderdesk import cli

TEMPLATES = Path(settings.BASE_DIR)


def _vendor_paths_in_templates() -> set[str]:
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        found |= set(re.findall(r"static ['\"](vendor/[^'\"]+)['\"]", path.read_text(encoding="utf-8")))
    return found


@pytest.mark.skipif(not all(settings.VENDOR_AVAILABLE.values()), reason="node_modules not installed")
def test_every_vendor_file_a_page_loads_is_found_and_nothing_else_of_the_packages():
    used = _vendor_paths_in_templates()
    assert used, "the templates load vendor files"
    assert all(finders.find(p) for p in used), [p for p in used if not finders.find(p)]
    vendor = finders.get_finder("borderdesk.core.staticfinders.VendorFinder")
    listed = {f"{s.prefix}/{p}" for p, s in vendor.list([])}
    assert used <= listed
    assert "vendor/leaflet/images/layers.png" in listed  # leaflet.css refers to it
    assert not {"vendor/leaflet/leaflet-src.js", "vendor/worldatlas/land-50m.json"} & listed
    assert finders.find("vendor/worldatlas/countries-110m.json") is None


def test_every_own_static_file_a_page_names_exists():
    """A template naming a file that is gone answers 500 in production (the manifest has no entry) while tests and
    DEBUG serve it as a 404: the incident page named frontier/map.css two years after the map moved to dashboards."""
    named = set()
    for path in TEMPLATES.rglob("*.html"):
        named |= set(re.findall(r"static ['\"]([^'\"]+)['\"]", path.read_text(encoding="utf-8")))
    own = {p for p in named if not p.startswith("vendor/")}
    assert len(own) >= 8, own
    assert [p for p in sorted(own) if not finders.find(p)] == []


def test_serve_collects_only_when_a_source_changed(tmp_path, settings, monkeypatch):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    calls = []
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: calls.append(a))
    assert cli.collect_static() is True and calls == [("collectstatic",)]
    assert cli.collect_static() is False and len(calls) == 1  # nothing changed: not again
    monkeypatch.setattr(cli, "_static_sources_digest", lambda: "another")
    assert cli.collect_static() is True and len(calls) == 2
