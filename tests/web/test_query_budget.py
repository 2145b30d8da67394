"""The main pages and API lists cost a bounded number of SQL statements for every demo role.

Budgets are pinned from measurement (warm scope cache, as on a running server): a page that starts
repeating a query per row, or a new feature that adds queries, fails here and must say why.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.reporting.models import Submission

pytestmark = pytest.mark.django_db

ROLES = [
    "admin",
    "vanphong.ls",
    "vanphong.sl",
    "baocao.dongdang",
    "baocao.huunghi",
    "duyet.ls",
    "lanhdao.ls",
    "kiemtra.ls",
]
BUDGET = {
    # home, report list, consolidation and dashboard: their computed parts are kept per user until a write
    # or a role change (core.fragments); before that, 24, 18, 50 and ~72 statements.
    "home": 7,
    "report list": 8,
    # entry: the report's values read once for the checks and the fields, the reporter's units and history
    # once per period (reporting.selectors.reporter_history_values' memo); 22 before, then 15–19; the history kept
    # as a page part (selectors.reporter_history): measured 12–18; the generations read once and the form's
    # indicators once (session 8): 10–16.
    "entry": 16,
    "consolidation": 6,
    "registry list": 8,
    "dashboard": 9,
    # the rows and count kept as a page part, the listed reports' versions read (reporting.api_rows)
    "api submissions": 5,
    "api patrols": 7,
    "api markers": 7,
    "change log": 7,
}


def _pages(user):
    sub = Submission.objects.for_user(user).order_by("-pk").first()
    yield "home", "/"
    yield "report list", "/bao-cao/"
    if sub:
        yield "entry", f"/bao-cao/nhap/{sub.pk}/"
    yield "consolidation", "/bao-cao/tong-hop/?ky=2025"
    yield "registry list", "/bien-gioi/tuan-tra/"
    yield "dashboard", "/tong-quan/tinh/"
    yield "api submissions", "/api/reporting/submissions"
    yield "api patrols", "/api/frontier/patrols"
    yield "api markers", "/api/frontier/markers"
    yield "change log", "/nhat-ky/"


@pytest.mark.parametrize("username", ROLES)
def test_each_page_stays_within_its_query_budget(client, users, username):
    client.force_login(users[username])
    measured, over = {}, []
    for name, url in _pages(users[username]):
        client.get(url)  # the first visit fills the per-process caches, as on a running server
        with CaptureQueriesContext(connection) as q:
            status = client.get(url).status_code
        if status != 200:
            continue  # a page this role may not open (its refusal is tested elsewhere)
        measured[name] = len(q)
        if len(q) > BUDGET[name]:
            sql = "\n  ".join(x["sql"][:160] for x in q.captured_queries)
            over.append(f"{name}: {len(q)} > {BUDGET[name]}\n  " + sql)
    print(username, measured)
    assert not over, "\n".join(over)


@pytest.mark.parametrize("url", ["/bien-gioi/tuan-tra/", "/api/frontier/patrols", "/tong-quan/tinh/", "/"])
def test_a_page_costs_the_same_statements_with_more_rows(client, users, url):
    """Computed afresh (a write came before each measure), the statements do not grow with the patrols shown."""
    from borderdesk.frontier.models import Patrol

    client.force_login(users["vanphong.ls"])
    client.get(url)
    template = Patrol.objects.for_user(users["vanphong.ls"]).order_by("-pk").first()

    def add(n):
        for _ in range(n):
            template.pk = template.id = None
            template.save()

    counts = []
    for n in (1, 25):
        add(n)  # a write: every kept part of the page is computed again
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("username", ["vanphong.ls", "baocao.dongdang"])
def test_a_page_reads_the_generations_once(client, users, username):
    """Every generation's token is one statement, read once per request: the scope (on the account) and the kept
    parts (on ``request.user``, the lazy object around the same account) share it."""
    client.force_login(users[username])
    read_twice = {}
    for name, url in _pages(users[username]):
        client.get(url)
        with CaptureQueriesContext(connection) as q:
            client.get(url)
        reads = sum('FROM "core_cachegeneration"' in x["sql"] for x in q.captured_queries)
        if reads > 1:
            read_twice[name] = reads
    assert not read_twice
