"""Commendations entered on a page; giao ban sessions written "lần thứ XV"."""

import datetime as dt

import pytest

from borderdesk.coordination.models import Commendation, CommendationKind, Conference, to_roman

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "n,roman", [(1, "I"), (4, "IV"), (9, "IX"), (14, "XIV"), (15, "XV"), (19, "XIX"), (40, "XL"), (99, "XCIX")]
)
def test_roman(n, roman):
    assert to_roman(n) == roman


@pytest.mark.parametrize(
    "title,number,shown",
    [
        ("Hội nghị giao ban công tác biên giới", 15, "Hội nghị giao ban công tác biên giới lần thứ XV"),
        ("Hội nghị giao ban lần thứ 15 giữa hai tỉnh", None, "Hội nghị giao ban lần thứ XV giữa hai tỉnh"),
        ("Hội nghị giao ban lần thứ XIV", 14, "Hội nghị giao ban lần thứ XIV"),
        ("Phiên họp định kỳ", None, "Phiên họp định kỳ"),
    ],
)
def test_session_in_roman_numerals(title, number, shown):
    assert Conference(title=title, session_number=number).display_title == shown


def test_commendation_entered_on_the_page(client, users):
    conf = Conference.objects.get(date=dt.date(2025, 12, 31))
    kind = CommendationKind.objects.get(code="bang-khen-chu-tich-ubnd-tinh")
    client.force_login(users["lanhdao.ls"])
    assert client.get("/hoi-nghi/khen-thuong/moi/").status_code == 404
    assert "Ghi nhận khen thưởng" not in client.get("/hoi-nghi/khen-thuong/").content.decode()
    client.force_login(users["vanphong.ls"])
    html = client.get("/hoi-nghi/khen-thuong/moi/").content.decode()
    assert "Tỉnh Lạng Sơn" in html and "Tỉnh Sơn La" not in html
    r = client.post(
        "/hoi-nghi/khen-thuong/moi/",
        {
            "unit": conf.unit_id,
            "kind": kind.pk,
            "recipient_type": "individual",
            "recipient_name": "Nguyễn Văn B",
            "decision_number": "21/QĐ-UBND",
            "decision_date": "2026-01-12",
            "conference": conf.pk,
        },
    )
    assert r.status_code == 302, [ln for ln in r.content.decode().splitlines() if "errorlist" in ln]
    c = Commendation.objects.get(recipient_name="Nguyễn Văn B")
    assert c.conference == conf and c.issuer == kind.issuer_title
    assert "Nguyễn Văn B" in client.get("/hoi-nghi/khen-thuong/").content.decode()
    r = client.post(
        "/hoi-nghi/khen-thuong/moi/",
        {"unit": conf.unit_id, "kind": kind.pk, "recipient_type": "x", "recipient_name": "", "decision_date": ""},
    )
    assert r.status_code == 200 and "errorlist" in r.content.decode()
