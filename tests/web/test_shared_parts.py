"""Parts kept once for every user who gets them alike (core.fragments.shared): after a saved figure the entry page's
body is computed by the first user with given rights on the report and served to the others, each with their own
header, approval form and CSRF token; the figure shows at once to every user who may see the report, a user with
other rights gets another body, a user outside the report's scope gets nothing. And the workers' file cache
(core.filecache) lists its folder once every CULL_EVERY writes, not at every write."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from borderdesk.core import filecache, fragments, pagecache, tables
from borderdesk.core.changelog import save_with_log
from tests.web.test_page_cache import _save_value, _text, page_cache_on  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

# What only the body reads: a second user with the same rights reads none of it.
BODY_TABLES = {
    "reporting_datavalue",
    "reporting_approvalstep",
    "reporting_narrative",
    "reporting_attachment",
    "reporting_indicator",
    "reporting_validationrule",
}


def _client(users, name, **kwargs) -> Client:
    c = Client(**kwargs)
    c.force_login(users[name])
    return c


def _computed(client, url) -> str:
    """The page as computed with nothing kept (no page, no part)."""
    cache.clear()
    with override_settings(BORDERDESK_PAGE_CACHE=False):
        response = client.get(url)
    assert response.status_code == 200
    return _text(response)


def _body(text: str) -> str:
    """The part of an entry page shared by the users with the same rights: from its heading to the approval form."""
    start = text.index("<h1>")
    end = text.index('<div class="card" id="xu-ly">') if 'id="xu-ly"' in text else text.index("<h2>Nhật ký xử lý")
    return text[start:end].removesuffix('<div class="card">').rstrip()


def test_after_a_saved_figure_a_second_user_with_the_same_rights_gets_the_body_without_computing_it(users):
    draft = _save_value(users, 1111)  # Xã Đồng Đăng's draft: vanphong.ls and admin may change and approve it
    url = f"/bao-cao/nhap/{draft.pk}/"
    office, admin = _client(users, "vanphong.ls"), _client(users, "admin")
    for c in (office, admin):
        c.get(url)
        assert c.get(url)[pagecache.HEADER] == "hit"
    _save_value(users, 2468)
    first = office.get(url)
    assert first[pagecache.HEADER] == "miss" and "2.468" in first.content.decode()
    with CaptureQueriesContext(connection) as q:
        second = admin.get(url)
    assert second[pagecache.HEADER] == "miss" and "2.468" in second.content.decode()  # shown at once to both
    read = set().union(*(tables.read_tables(x["sql"]) for x in q.captured_queries))
    sql = "\n  ".join(x["sql"][:160] for x in q.captured_queries)
    assert not read & BODY_TABLES, sql
    assert len(q) <= 5, sql  # session, account, generations, the report in the user's scope (and its scope)
    assert _body(_text(second)) == _body(_text(first))
    assert str(users["admin"]) in _text(second) and str(users["admin"]) not in _text(first)  # each user's own header
    assert _text(second) == _computed(admin, url)
    assert _text(first) == _computed(office, url)


def test_a_user_with_other_rights_gets_another_body_and_one_outside_the_scope_nothing(users):
    draft = _save_value(users, 1357)
    url = f"/bao-cao/nhap/{draft.pk}/"
    office = _client(users, "vanphong.ls")
    editing = _text(office.get(url))
    assert 'name="v_PATROLS_BILATERAL"' in editing and 'id="xu-ly"' in editing
    auditor = _client(users, "kiemtra.ls")  # may see the report, not change or approve it
    reading = _text(auditor.get(url))
    assert 'name="v_PATROLS_BILATERAL"' not in reading and 'id="xu-ly"' not in reading
    assert "1.357" in reading and _body(reading) != _body(editing)
    approver = _client(users, "duyet.ls")  # may approve, not change: the approval form is the user's own
    approving = _text(approver.get(url))
    assert 'name="v_PATROLS_BILATERAL"' not in approving and 'id="xu-ly"' in approving
    assert _body(approving) == _body(reading)
    assert reading == _computed(auditor, url) and approving == _computed(approver, url)
    office.get(url)  # the body kept again
    assert _client(users, "vanphong.sl").get(url).status_code == 404  # another province: not found, as before


def test_the_shared_body_carries_the_csrf_token_of_the_browser_asking(users):
    url = f"/bao-cao/nhap/{_save_value(users, 5).pk}/"
    seen = []
    for name in ("vanphong.ls", "admin"):
        c = _client(users, name, enforce_csrf_checks=True)
        page = c.get(url).content.decode()
        assert fragments.CSRF_PLACEHOLDER not in page
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page))
        assert len(re.findall(r'name="csrfmiddlewaretoken"', page)) > 3  # the body's forms and the header's
        assert {_unmask_cipher_token(t) for t in tokens} == {c.cookies["csrftoken"].value}
        seen.append(c.cookies["csrftoken"].value)
    assert seen[0] != seen[1]


def test_the_body_follows_the_rows_read_with_the_report(users):
    """The body is keyed by the report's row and the rows read with it (form, version, place) as well as by the
    tables its own statements read: a renamed form or unit shows in the body of the next user at once."""
    from borderdesk.reporting.models import ReportForm

    draft = _save_value(users, 8)
    url = f"/bao-cao/nhap/{draft.pk}/"
    _client(users, "vanphong.ls").get(url)
    form = ReportForm.objects.get(pk=draft.form_id)
    form.name = "Báo cáo tháng của xã (đã đổi tên)"
    save_with_log(user=users["admin"], instance=form)
    assert "<h1>Báo cáo tháng của xã (đã đổi tên)</h1>" in _text(_client(users, "admin").get(url))
    unit = draft.unit
    unit.name = "Xã Đồng Đăng (đã đổi tên)"
    save_with_log(user=users["admin"], instance=unit)
    page = _text(_client(users, "vanphong.ls").get(url))
    assert "<dd>Xã Đồng Đăng (đã đổi tên)</dd>" in _body(page)


def test_a_shared_part_being_computed_by_another_request_is_waited_for(users, monkeypatch):
    """Right after a write several users ask for a shared part at once: one computes it, the others take its value."""
    from borderdesk.reporting.models import ReportForm

    user, calls = users["kiemtra.ls"], []

    def compute():
        calls.append(1)
        return ReportForm.objects.count()

    assert fragments.shared("t", (), compute, reader=user) == ReportForm.objects.count()
    _save_value(users, 9)  # not a table the part read: kept
    assert fragments.shared("t", (), compute, reader=users["admin"]) and len(calls) == 1
    form = ReportForm.objects.order_by("pk").first()
    save_with_log(user=users["admin"], instance=form)  # a table it read: computed again, once
    user.__dict__.pop("_generation_tokens", None)
    monkeypatch.setattr(fragments.cache, "add", lambda *a, **k: False)  # another request is computing it
    waited = []
    monkeypatch.setattr(fragments, "_wait_for", lambda base, found: waited.append(base) or (-1, frozenset()))
    assert fragments.shared("t", (), compute, reader=user) == -1 and waited and len(calls) == 1
    # Parameters never computed before (the entry body's after a saved figure: the report's row changed) are waited
    # for too: the first request computes them, the others take its value.
    assert fragments.shared("t", ("new",), compute, reader=user) == -1 and len(waited) == 2 and len(calls) == 1
    monkeypatch.setattr(fragments, "_wait_for", lambda base, found: None)  # the other kept nothing: computed here
    assert fragments.shared("t", (), compute, reader=user) == ReportForm.objects.count() and len(calls) == 2


def test_the_file_cache_lists_its_folder_once_every_cull_every_writes_and_still_culls(tmp_path, monkeypatch):
    kept = filecache.FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 50}})
    listed = []
    list_files = kept._list_cache_files
    monkeypatch.setattr(kept, "_list_cache_files", lambda: listed.append(1) or list_files())
    writes = 2 * filecache.CULL_EVERY
    for i in range(writes):
        kept.set(f"k{i}", i, 60)
    assert len(listed) == 2  # Django's FileBasedCache lists the folder at every write
    files = list(tmp_path.glob("*.djcache"))
    assert len(files) < writes - 50  # culled: a third of the files removed each time it was over MAX_ENTRIES
    assert kept.get(f"k{writes - 1}") == writes - 1
