"""The change log pages by keyset: every entry once, in order, at the same cost however deep the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from borderdesk.accounts.models import User
from borderdesk.core.keyset import decode, keyset_page
from borderdesk.core.models import ChangeLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_entries(users):
    """260 entries, several sharing a timestamp (ties are ordered by id)."""
    ct = ContentType.objects.get_for_model(User)
    base = timezone.now() - dt.timedelta(days=3)
    rows = [
        ChangeLogEntry(
            user=users["admin"],
            user_repr="admin",
            request_id=f"bulk-{i}",
            action="update",
            content_type=ct,
            object_id=str(users["admin"].pk),
            object_repr=f"mục {i}",
            before={"n": i},
            after={"n": i + 1},
        )
        for i in range(260)
    ]
    ChangeLogEntry.objects.bulk_create(rows)
    ids = list(
        ChangeLogEntry.objects.filter(request_id__startswith="bulk-").order_by("pk").values_list("pk", flat=True)
    )
    for n, pk in enumerate(ids):
        ChangeLogEntry.objects.filter(pk=pk).update(time=base + dt.timedelta(seconds=n // 3))
    return ids


def test_walking_older_then_newer_visits_every_entry_once_in_order(many_entries):
    qs = ChangeLogEntry.objects.filter(request_id__startswith="bulk-")
    seen, page = [], keyset_page(qs, size=40)
    assert page.first and page.newer_cursor is None
    while True:
        seen += [e.pk for e in page]
        if not page.older_cursor:
            break
        page = keyset_page(qs, older=page.older_cursor, size=40)
    assert seen == sorted(many_entries, reverse=True)  # same time → larger id first; nothing twice
    assert keyset_page(qs, older=encode_last(qs), size=40).items == []  # nothing older than the oldest
    back = []
    # from the last page, walk back to the newest
    tail = seen[-40:]
    page = keyset_page(qs, newer=f"{ChangeLogEntry.objects.get(pk=tail[0]).time.isoformat()}~{tail[0]}", size=40)
    while True:
        back = [e.pk for e in page] + back
        if not page.newer_cursor:
            break
        page = keyset_page(qs, newer=page.newer_cursor, size=40)
    assert back + tail == seen


def encode_last(qs):
    e = qs.order_by("time", "id").first()
    return f"{e.time.isoformat()}~{e.pk}"


def test_a_deep_page_costs_what_the_first_costs_and_never_counts(many_entries, client, users):
    client.force_login(users["admin"])
    client.get("/nhat-ky/")
    with CaptureQueriesContext(connection) as first:
        r = client.get("/nhat-ky/")
    assert r.status_code == 200
    cursor = re.search(r'cu_hon=([^"&]+)', r.content.decode()).group(1)
    for _ in range(3):  # three pages deeper
        r = client.get(f"/nhat-ky/?cu_hon={cursor}")
        cursor = re.search(r'cu_hon=([^"&]+)', r.content.decode()).group(1)
    with CaptureQueriesContext(connection) as deep:
        r = client.get(f"/nhat-ky/?cu_hon={cursor}")
    assert r.status_code == 200 and "Mới hơn" in r.content.decode()
    assert len(deep) == len(first)
    assert not any("COUNT(" in q["sql"].upper() for q in deep.captured_queries)
    assert not any("DISTINCT" in q["sql"].upper() for q in deep.captured_queries)


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "abc",
        "2026-01-01~x",
        "2026-01-01T00:00:00~5",
        "~" * 100,
        "2026-01-01T00:00:00+00:00~99999999999999999999999",
    ],
)
def test_a_bad_cursor_is_the_first_page(cursor, client, users):
    assert decode(cursor) is None
    client.force_login(users["admin"])
    assert client.get("/nhat-ky/", {"cu_hon": cursor}).status_code == 200
    assert client.get("/nhat-ky/", {"moi_hon": cursor}).status_code == 200
