"""A link a page shows its reader opens for that reader: no page links to an object the reader may not see.

For every demo account, the pages that list or describe objects of other reporters and places (the completeness
table, the tree's units and agencies around the reader's own, the report list) are opened, and the first links in
their main part to object pages (and those of the unit and agency pages they link) are followed as the same
account: each must answer 200, not 404. (A walk over every
role's pages on `./bd run` found a commune's reporter offered the border station's reports in the completeness
table, and each unit's and agency's page linking to a parent the reader cannot open.)
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

# links checked on a start page, and on a unit's or agency's page it links (whose parent link comes first)
PER_PAGE = {0: 8, 1: 3}
OBJECT_LINK = re.compile(r'href="(/(?:to-chuc/(?:don-vi|co-quan)|bao-cao/nhap)/\d+/)"')


def _main(html: str) -> str:
    found = re.search(r"<main.*?</main>", html, re.S)
    return found.group(0) if found else html


def _start_pages(user) -> list[str]:
    from borderdesk.accounts.models import RoleAssignment

    pages = ["/", "/bao-cao/", "/bao-cao/day-du/", "/to-chuc/", "/to-chuc/co-quan/"]
    for a in RoleAssignment.objects.filter(user=user):
        if a.unit_id:
            pages.append(f"/to-chuc/don-vi/{a.unit_id}/")
        if a.agency_id:
            pages.append(f"/to-chuc/co-quan/{a.agency_id}/")
    return pages


def _check(client, page: str, html: str, depth: int, opened: dict[str, int], refused: list) -> None:
    """Open the object links of ``page`` not opened yet (the first few), and those of the unit and agency pages a
    start page links."""
    links = [link for link in dict.fromkeys(OBJECT_LINK.findall(_main(html))) if link not in opened]
    for link in links[: PER_PAGE[depth]]:
        answer = client.get(link)
        opened[link] = answer.status_code
        if answer.status_code != 200:
            refused.append((page, link, answer.status_code))
        elif depth == 0 and link.startswith("/to-chuc/"):
            _check(client, link, answer.content.decode(), 1, opened, refused)


def test_every_object_link_a_page_shows_opens_for_its_reader(users, login):
    refused, count = [], 0
    for username, user in sorted(users.items()):
        client = login(user)
        opened: dict[str, int] = {}
        for url in _start_pages(user):
            answer = client.get(url)
            if answer.status_code == 200:  # (a start page the role does not have: the permission matrix's)
                found: list = []
                _check(client, url, answer.content.decode(), 0, opened, found)
                refused += [(username, *f) for f in found]
        count += len(opened)
        client.logout()
    assert refused == [], refused
    assert count > 100, count
