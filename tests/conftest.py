"""Shared fixtures: the demonstration dataset is loaded once per test database."""

from __future__ import annotations

import pytest

# Browser fixtures (browser_page, live_demo) for tests marked with tests.browser_support.BROWSER_MARKS.
pytest_plugins = ["tests.browser_support"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Start each worker's test database from the demo snapshot (tests/demo_snapshot.py)."""
    import os

    from django.conf import settings

    from tests import demo_snapshot

    if not demo_snapshot.enabled():
        return
    db = settings.DATABASES["default"]
    test = db.setdefault("TEST", {})
    if db["ENGINE"].endswith("sqlite3"):
        test["NAME"] = demo_snapshot.sqlite_copy(os.environ.get("PYTEST_XDIST_WORKER", "main"))
    elif db["ENGINE"].endswith("postgresql"):
        test["TEMPLATE"] = demo_snapshot.postgres_template(db)
    else:
        return
    serialized = demo_snapshot.serialized_contents()
    if serialized is not None:
        # The worker's database is a copy of the demo snapshot: for serialized_rollback Django would serialize the
        # whole demo (5 MB of JSON, 2–4 s a worker) only to be replaced. What such a test restores after its
        # flush is the data-migration rows, serialized when the snapshot was built: Django is handed those.
        from django.db import connection

        connection.creation.serialize_db_to_string = lambda: serialized


@pytest.fixture(scope="session")
def django_db_keepdb(request):
    """A SQLite copy of the snapshot is the test database itself: Django must not recreate it."""
    from django.conf import settings

    from tests import demo_snapshot

    if demo_snapshot.enabled() and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return True
    return request.config.getvalue("reuse_db")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from borderdesk.demo.loader import database_is_empty, load_demo

        if database_is_empty():
            load_demo()
        # Scopes are cached across requests (User.get_scope); compute the demo accounts' once, as a running
        # server would have, so that the first request of a test costs what every later one does.
        from borderdesk.accounts.models import User
        from borderdesk.core.scoping import Action

        for user in User.objects.all():
            for action in Action.ALL:
                user.get_scope(action)
    _gc_freeze()


def _gc_freeze() -> None:
    """Leave what each process loads once (Django, the collected tests, the demo accounts' scopes) out of Python's
    garbage collections, which otherwise walk it again and again, and collect less often: a worker running tests/core
    spent 2,8 s of its ~36 s of CPU collecting, 1,6 s so (tests create few reference cycles; memory stays bounded)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def pytest_collection_finish(session):
    _gc_freeze()


@pytest.fixture
def users(db):
    from borderdesk.accounts.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def unit(db):
    """unit(name, on=None): the unit with that name (valid on the date, when given)."""
    from borderdesk.org.models import AdministrativeUnit

    def get(name, on=None):
        qs = AdministrativeUnit.objects.filter(name=name)
        if on:
            qs = qs.valid_on(on)
        return qs.get()

    return get


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture(autouse=True)
def _vietnamese():
    """Each test starts in Vietnamese: a page request in English (a test of the English interface) leaves
    English active in the worker's thread, which would leak into the next test's direct service calls."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")


# ---------------------------------------------------------------- the scope matrix's size and result


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controlling process starts from zero
        import shutil

        from tests.trust.conftest import matrix_dir

        shutil.rmtree(matrix_dir(session.config), ignore_errors=True)
        if getattr(session.config.option, "numprocesses", None):  # workers will run the tests: build meanwhile
            from tests import demo_snapshot

            session.config._demo_snapshot_build = demo_snapshot.build_in_background()


def pytest_sessionfinish(session):
    thread = getattr(session.config, "_demo_snapshot_build", None)
    if thread is not None:
        thread.join()


def _database_use(item) -> int:
    """0: no database, 1: a database test rolled back at its end, 2: a transactional one (it flushes the database
    at its end: Django and pytest-django run them after all the others, so that none finds the demo gone)."""
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker is not None:
        transactional = transactional or bool(
            marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
            or marker.kwargs.get("reset_sequences")
        )
    if transactional:
        return 2
    return 1 if marker is not None or "db" in fixtures else 0


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """pytest-django's order (no database, then rolled back, then transactional last), with the tests that need
    no database first: they run while the demo snapshot is built (tests/demo_snapshot.py). Within the database
    groups the long tests (browser journeys, tests marked slow) come first, so they don't leave one worker alone
    at the end; within the first group they come last (the slow worker-process test needs the snapshot)."""

    def order(item) -> tuple[int, int]:
        use = _database_use(item)
        long = bool(item.get_closest_marker("browser") or item.get_closest_marker("slow"))
        return (use, long if use == 0 else not long)

    items.sort(key=order)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Sum of the counters each process wrote (tests/trust/test_scope_matrix.py), when the matrix ran."""
    import json

    from tests.trust.conftest import matrix_dir

    files = sorted(matrix_dir(config).glob("*.json"))
    if not files:
        return
    totals: dict[str, int] = {}
    for f in files:
        for k, v in json.loads(f.read_text()).items():
            totals[k] = totals.get(k, 0) + v
    from tests.trust.test_scope_matrix import summary

    terminalreporter.write_line(summary(totals))
