"""Shared set-up for browser tests: Debian's Chromium driven by Playwright, never a downloaded browser."""

import os
import re
from pathlib import Path

import pytest

from tests import demo_snapshot

CHROMIUM = "/usr/bin/chromium"
_SHOTS_SETTING = os.environ.get("BORDERDESK_SCREENSHOTS", "")
SHOTS = Path(_SHOTS_SETTING if _SHOTS_SETTING.lower() not in ("", "off", "0", "no") else "var/screenshots")
# The journeys write screenshots at 1366 and 390 px for a person to look at only when asked:
# BORDERDESK_SCREENSHOTS=var/screenshots ./bd test -m browser. Otherwise they run and check everything (the layout
# checks at both widths included) without writing them: a full-page PNG costs Chromium 0,2–1 s, about a fifth of
# the browser tests' time.
TAKE_SHOTS = _SHOTS_SETTING.lower() not in ("", "off", "0", "no")
# A live-server test starts from a flushed database (pytest-django flushes after each); live_demo fills it again. On
# SQLite it copies the whole demo snapshot in (tests/demo_snapshot.py: the data-migration rows included), so Django
# need not first restore those rows (serialized_rollback, ~0,5 s a test) only for the copy to replace them. Elsewhere
# (PostgreSQL, BORDERDESK_TEST_FRESH_DB=1) the demo is loaded on top of the restored data-migration rows.
_SNAPSHOT_COPIED_IN = demo_snapshot.enabled() and not os.environ.get("DATABASE_URL", "").startswith("postgres")
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=not _SNAPSHOT_COPIED_IN),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]
_LOCAL = re.compile(r"https?://(localhost|127\.0\.0\.1)")


@pytest.fixture(scope="session")
def _chromium():
    """One headless Chromium per test process (a launch costs ~1–2 s of a 2-core machine; each test gets its own
    browser context below: no cookie, storage or cache is shared between tests)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_chromium):
    """A Vietnamese-locale page in a fresh browser context; the test fails if any request leaves the machine."""
    context = _chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    if not TAKE_SHOTS:
        page.screenshot = lambda *args, **kwargs: b""  # type: ignore[method-assign]
    external = []
    page.on("request", lambda r: external.append(r.url) if not _LOCAL.match(r.url) else None)
    yield page
    context.close()
    assert not external, f"requests left the machine: {external}"


def _restore_demo_snapshot() -> bool:
    """Copy the suite's demo snapshot into the test database (SQLite's backup API, ~0,1 s instead of a ~4 s
    demo load); False where there is none (PostgreSQL, BORDERDESK_TEST_FRESH_DB=1)."""
    import sqlite3

    from django.db import connection

    snapshot = demo_snapshot.CACHE / f"demo-{demo_snapshot.fingerprint()}.sqlite3"
    if not demo_snapshot.enabled() or connection.vendor != "sqlite" or not snapshot.exists():
        return False
    connection.ensure_connection()
    source = sqlite3.connect(snapshot)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    return True


def sequences_past_rows() -> None:
    """On PostgreSQL, move every table's id sequence past its highest id. Rows restored with their ids (the data
    migrations' rows a serialized_rollback test gets back, Django's deserialize_db_from_string) leave the sequences
    where they were; after a flush that restarted them (``flush`` resets them unless told not to), the next row
    created would take an id already used (IntegrityError on coordination_commendationkind_pkey in the demo load)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@pytest.fixture
def live_demo(live_server, django_db_blocker, settings):
    """The live server with the demonstration data loaded (a transactional test starts empty), serving with the
    whole-page cache on as in production (core.pagecache): every browser journey also checks that a page kept
    across requests shows each write at once. The cache starts empty: the database is restored to the same
    data generations every test, so a page kept by an earlier test must not be found."""
    from django.core.cache import cache

    from borderdesk.demo.loader import database_is_empty, load_demo

    with django_db_blocker.unblock():
        if database_is_empty() and not _restore_demo_snapshot():
            sequences_past_rows()
            load_demo()
    cache.clear()
    settings.BORDERDESK_PAGE_CACHE = True
    SHOTS.mkdir(parents=True, exist_ok=True)
    return live_server
