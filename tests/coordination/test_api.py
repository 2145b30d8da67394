"""Commendations API (list with filters, detail) and the 201 responses of the write endpoints."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.coordination import services
from borderdesk.coordination.models import Commendation, CommendationKind, Conference
from borderdesk.org.models import Committee

pytestmark = pytest.mark.django_db

URL = "/api/coordination/commendations"


def _all(client, query: str = "") -> list[dict]:
    r = client.get(f"{URL}?page_size=500{'&' + query if query else ''}")
    assert r.status_code == 200, r.content
    return r.json()["items"]


def test_list_filters_by_committee_period_and_recipient_kind(client, users):
    client.force_login(users["vanphong.ls"])
    rows = _all(client, "committee=ls-bcdbg&period=2025")
    assert len(rows) == 24  # seed 004: 4 + 6 Bằng khen, 7 + 7 Giấy khen
    collectives = _all(client, "committee=ls-bcdbg&period=2025&recipient_type=collective")
    individuals = _all(client, "committee=ls-bcdbg&period=2025&recipient_type=individual")
    assert (len(collectives), len(individuals)) == (11, 13)
    bk = _all(client, "committee=ls-bcdbg&period=2025&recipient_type=collective&kind=bang-khen-chu-tich-ubnd-tinh")
    assert len(bk) == 4
    assert {r["kind_name"] for r in bk} == {"Bằng khen của Chủ tịch UBND tỉnh"}
    assert {r["recipient_type_label"] for r in bk} == {"Tập thể"}
    assert bk[0]["decision_date"] == "2025-12-31" and bk[0]["unit"] == "Tỉnh Lạng Sơn"
    assert bk[0]["conference"].startswith("Hội nghị tổng kết công tác quản lý, bảo vệ biên giới năm 2025")
    # Decree 09's 2025 window ends on 14/12/2025: the awards of the 31/12 review fall outside it.
    assert _all(client, "committee=ls-bcdbg&period=2025&rule=decree09") == []
    assert _all(client, "committee=ls-bcdbg&period=2024") == []
    committee = Committee.objects.get(code="ls-bcdbg")
    assert len(_all(client, f"committee={committee.pk}&date_from=2025-12-31&date_to=2025-12-31")) == 24


def test_list_is_scoped(client, users):
    client.force_login(users["vanphong.sl"])
    assert _all(client) == []
    assert client.get(f"{URL}?committee=ls-bcdbg").status_code == 404  # another province's committee
    client.force_login(users["baocao.huunghi"])  # a station's reporter: no province scope
    assert _all(client) == []
    client.force_login(users["lanhdao.ls"])  # a leader reads
    assert len(_all(client)) == 24


def test_detail_and_404_outside_scope(client, users):
    c = Commendation.objects.filter(recipient_type="individual").order_by("pk").first()
    client.force_login(users["lanhdao.ls"])
    r = client.get(f"{URL}/{c.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == c.pk and body["recipient_type"] == "individual" and body["is_demo"] is True
    assert body["issuer"] in ("Chủ tịch UBND tỉnh Lạng Sơn", "Giám đốc Sở Ngoại vụ tỉnh Lạng Sơn")
    client.force_login(users["vanphong.sl"])
    assert client.get(f"{URL}/{c.pk}").status_code == 404
    assert client.get(f"{URL}/999999").status_code == 404
    # "counts" is still its own route
    client.force_login(users["vanphong.ls"])
    assert client.get(f"{URL}/counts").status_code == 200


@pytest.mark.parametrize(
    "query,field",
    [
        ("period=20x5", "period"),
        ("recipient_type=group", "recipient_type"),
        ("kind=khong-co", "kind"),
        ("rule=lunar&period=2025", "rule"),
    ],
)
def test_bad_filters_are_400(client, users, query, field):
    client.force_login(users["vanphong.ls"])
    r = client.get(f"{URL}?{query}")
    assert r.status_code == 400, r.content
    assert field in r.json()["fields"] and r.json()["message"]


def test_list_queries_do_not_grow_with_rows(client, users):
    client.force_login(users["admin"])
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"{URL}?page_size=2").status_code == 200
    with CaptureQueriesContext(connection) as big:
        assert client.get(f"{URL}?page_size=500").status_code == 200
    assert len(big) <= len(small)


def test_new_commendation_appears_with_its_conference(client, users):
    conf = Conference.objects.get(date=dt.date(2025, 12, 31))
    kind = CommendationKind.objects.get(code="bang-khen-chu-tich-ubnd-tinh")
    new = services.commendation_create(
        user=users["vanphong.ls"],
        unit=conf.unit,
        kind=kind,
        recipient_type="individual",
        recipient_name="Nguyễn Văn A",
        decision_date=dt.date(2026, 1, 20),
        decision_number="15/QĐ-UBND",
        conference=conf,
    )
    client.force_login(users["vanphong.ls"])
    rows = _all(client, "period=2026&recipient_type=individual")
    assert [(r["id"], r["decision_number"], r["conference_id"]) for r in rows] == [(new.pk, "15/QĐ-UBND", conf.pk)]
    assert [r["id"] for r in _all(client, f"conference_id={conf.pk}&period=2026")] == [new.pk]


def test_write_endpoints_answer_201(client, users):
    """The 201s are returned as ninja Status objects (tuples are deprecated)."""
    client.force_login(users["vanphong.ls"])
    conf = Conference.objects.get(date=dt.date(2025, 12, 31))
    owner = conf.participant_agencies.order_by("pk").first()
    r = client.post(
        "/api/coordination/tasks",
        {
            "directive_id": conf.directives.first().pk,
            "title": "Báo cáo nhanh",
            "owner_id": owner.pk,
            "is_regular": True,
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["title"] == "Báo cáo nhanh"
    r = client.post(
        f"/api/coordination/tasks/{r.json()['id']}/progress", {"text": "Đang làm"}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["status"] == "open_in_term"
