"""Demonstration gates: the two commune placements the gazetteer does not state are sourced or marked."""

import pytest

from borderdesk.gates.demo_data import PLACEMENT_NOTES, PLACEMENT_SOURCES
from borderdesk.gates.models import BorderGate

pytestmark = pytest.mark.django_db


def test_guessed_placements_are_sourced_or_marked(client, users):
    rail = BorderGate.objects.get(code="dong-dang-rail")
    assert rail.unit.name == "Xã Đồng Đăng" and PLACEMENT_SOURCES["dong-dang-rail"] in rail.source_urls
    chi_ma = BorderGate.objects.get(code="chi-ma")
    assert chi_ma.unit.name == "Xã Mẫu Sơn" and chi_ma.status_note.endswith(PLACEMENT_NOTES["chi-ma"])
    client.force_login(users["vanphong.ls"])
    page = client.get(f"/cua-khau/danh-sach/{chi_ma.pk}/").content.decode()
    assert "giả định minh họa" in page
