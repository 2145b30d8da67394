"""Every link a role is shown opens for that role: a page never offers a link that answers 404 (out of scope), 403
or 500. Each demo role follows its pages' links three steps from home, one page of each kind (its path, ids and
query aside), downloads and the API left out. Seen: the agencies list linked an agency-bound reporter to its
commune's page, which answered 404 for it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.django_db

ROLES = ["admin", "vanphong.ls", "baocao.dongdang", "baocao.huunghi", "duyet.ls", "lanhdao.ls", "kiemtra.ls"]
#: downloads, exports and the API are other tests' business; logging out ends the walk
SKIP = re.compile(
    r"/api/|dang-xuat|/static/|/media/|xuat=|/xuat|/excel|/docx|/pdf|/csv|/xlsx|/tai-xuong|/mau/\?|\.(csv|xlsx|docx|pdf|zip|json)$"
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href and not href.startswith(("#", "mailto:", "tel:", "javascript:")):
                self.hrefs.append(href)


def _shape(url: str) -> str:
    """A page's kind: its path with numbers and codes (PATROLS_TOTAL) as N; its sorts, filters and pages are the
    list's own tests' business."""
    return re.sub(r"[^/]*[0-9A-Z][^/]*", "N", urlsplit(url).path)


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_role_is_shown_opens(client, users, role):
    client.force_login(users[role])
    queue, shapes, broken = [("/", 0, "")], set(), []
    while queue:
        url, depth, came_from = queue.pop(0)
        if _shape(url) in shapes:
            continue
        shapes.add(_shape(url))
        r = client.get(url)
        if r.status_code not in (200, 301, 302):
            broken.append((url, r.status_code, came_from))
            continue
        if r.status_code in (301, 302):  # the leader's home is its dashboard
            queue.append((r["Location"], depth, url))
            continue
        if depth >= 3 or r.status_code != 200 or not r["Content-Type"].startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(r.content.decode())
        for href in parser.hrefs:
            target = urljoin(url, href).split("#")[0]
            parts = urlsplit(target)
            if parts.netloc not in ("", "testserver") or SKIP.search(target):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if _shape(target) not in shapes:
                queue.append((target, depth + 1, url))
    assert len(shapes) > 30, shapes  # the walk reached the role's pages
    assert broken == [], broken
