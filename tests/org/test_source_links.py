"""A record's sources are links only when they are web addresses: a citation ("Hội nghị sơ kết …, 26/6/2020") is
text. The committee page linked every source, so a member's citation became an address the browser could not open
(found by a walk of the pages: the link had spaces), and a ``javascript:`` source would have been a live href."""

from __future__ import annotations

import re

import pytest

from borderdesk.org.models import AdministrativeUnit, Agency, Counterpart, Membership

pytestmark = pytest.mark.django_db

SOURCES = "Hội nghị sơ kết 6 tháng đầu năm 2020, 26/6/2020 ; https://bienphong.example.vn/tin/1 ; javascript:alert(1)"


def _hrefs(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', html)


def _check(html: str) -> None:
    hrefs = _hrefs(html)
    assert "https://bienphong.example.vn/tin/1" in hrefs
    assert not [h for h in hrefs if " " in h or h.lower().startswith("javascript") or h.startswith("Hội")], hrefs
    assert "Hội nghị sơ kết 6 tháng đầu năm 2020, 26/6/2020" in html  # the citation, as text


def test_sources_are_links_only_when_they_are_web_addresses(client, users):
    client.force_login(users["admin"])
    member = Membership.objects.select_related("committee").first()
    Membership.objects.filter(pk=member.pk).update(source=SOURCES)
    _check(client.get(f"/to-chuc/ban-chi-dao/{member.committee_id}/").content.decode())
    unit = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    AdministrativeUnit.objects.filter(pk=unit.pk).update(source=SOURCES)
    _check(client.get(f"/to-chuc/don-vi/{unit.pk}/").content.decode())
    agency = Agency.objects.first()
    Agency.objects.filter(pk=agency.pk).update(source=SOURCES)
    _check(client.get(f"/to-chuc/co-quan/{agency.pk}/").content.decode())
    Counterpart.objects.filter(pk=Counterpart.objects.first().pk).update(source=SOURCES)
    _check(client.get("/to-chuc/doi-tac/").content.decode())
