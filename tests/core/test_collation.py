"""Vietnamese order of names and accent-insensitive search, in the database (core.collation).

Runs on SQLite and PostgreSQL alike (DATABASE_URL=postgres://… for the latter): PostgreSQL orders with its
ICU collation "vi-x-icu" and searches with unaccent; SQLite with the collation and function that
core.collation registers on each connection. EXPECTED is the order PostgreSQL's ICU gives, so the SQLite
collation is checked against it too.
"""

from __future__ import annotations

import random

import pytest

from borderdesk.core.collation import fold, sort_key, vi_order

EXPECTED = [
    "(Bản) A",
    "A 1",
    "A1",
    "An",
    "Ăn",
    "Ân",
    "Ẩn",
    "ba",
    "Ba",
    "Ba Sơn",
    "Bac",
    "Bac Lieu",
    "Bắc Giang",
    "Bắc Kạn",
    "Da",
    "Dă",
    "Đa",
    "Đô Lương",
    "Đô-Lương",
    "Đôi",
    "Ea",
    "Fansipan",
    "Gia",
    "Hung",
    "Hùng",
    "Hủng",
    "Hũng",
    "Húng",
    "Hụng",
    "Huu Nghi",
    "Hưu",
    "Hữu Nghị",
    "Jrai",
    "Mương",
    "Mường Lát",
    "O",
    "Ô",
    "Ờ",
    "Ớ",
    "Ơn",
    "Phường 1",
    "Phường 10",
    "Phường 2",
    "Việt",
    "Wăng",
    "Xã Dục Tú",
    "Xã Đồng Đăng",
    "Xã Xuất Lễ",
    "Yên",
    "Zô",
]


def test_python_sort_key_is_the_icu_order():
    shuffled = EXPECTED[:]
    random.Random(16).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == EXPECTED


@pytest.mark.django_db
def test_the_database_orders_names_the_vietnamese_way():
    from borderdesk.org.models import Person

    shuffled = EXPECTED[:]
    random.Random(30).shuffle(shuffled)
    ids = [Person.objects.create(full_name=name).pk for name in shuffled]
    # Meta.ordering (vi("full_name")) and an explicit vi_order() give the same Vietnamese order.
    assert list(Person.objects.filter(pk__in=ids).values_list("full_name", flat=True)) == EXPECTED
    explicit = Person.objects.filter(pk__in=ids).order_by(*vi_order("-full_name"))
    assert list(explicit.values_list("full_name", flat=True)) == EXPECTED[::-1]


def test_fold():
    assert fold("Hữu Nghị") == "huu nghi" and fold("ĐỒNG ĐĂNG") == "dong dang" and fold(None) is None
    assert fold("Cửa khẩu Tà Lùng") == "cua khau ta lung"


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["huu nghi", "HỮU NGHỊ", "Huu Nghị", "hữu"])
def test_search_ignores_case_and_accents(term):
    from borderdesk.gates.models import BorderGate

    names = set(BorderGate.objects.filter(name__vsearch=term).values_list("name", flat=True))
    assert any("Hữu Nghị" in n for n in names)
    assert all("huu" in fold(n) for n in names)


@pytest.mark.django_db
def test_search_treats_like_wildcards_literally():
    from borderdesk.org.models import Person

    Person.objects.create(full_name="Nguyễn 100% Văn_A")
    Person.objects.create(full_name="Nguyễn 1000 VănXA")
    assert list(Person.objects.filter(full_name__vsearch="100%").values_list("full_name", flat=True)) == [
        "Nguyễn 100% Văn_A"
    ]
    assert Person.objects.filter(full_name__vsearch="van_a").count() == 1


@pytest.mark.django_db
def test_every_search_box_finds_huu_nghi_without_accents(client, users):
    client.force_login(users["vanphong.ls"])
    # The registry page and its API (gates), the agencies page and API (org).
    page = client.get("/cua-khau/danh-sach/", {"q": "huu nghi"}).content.decode()
    assert "Hữu Nghị" in page
    assert "Hữu Nghị" not in client.get("/cua-khau/danh-sach/", {"q": "khong co cua khau nay"}).content.decode()
    api = client.get("/api/gates/gates", {"q": "huu nghi"}).json()["items"]
    assert "huu-nghi" in {i["code"] for i in api}  # other gates may mention it in their notes
    assert client.get("/api/gates/gates", {"q": "khong co cua khau nay"}).json()["items"] == []
    agencies = client.get("/api/org/agencies", {"q": "huu nghi"}).json()["items"]
    assert agencies and all("huu nghi" in fold(a["name"]) for a in agencies)
    page = client.get("/to-chuc/co-quan/", {"q": "HUU NGHI"}).content.decode()
    assert agencies[0]["name"] in page


@pytest.mark.django_db
def test_the_users_list_and_indicator_catalogue_search_without_accents(client, users):
    client.force_login(users["vanphong.ls"])
    page = client.get("/tai-khoan/nguoi-dung/", {"q": "dong dang"}).content.decode()
    assert "baocao.dongdang" in page and "baocao.huunghi" not in page
    from borderdesk.accounts.lists import USERS
    from borderdesk.accounts.selectors import users_list
    from borderdesk.reporting.catalogue import indicators_list
    from borderdesk.reporting.lists import INDICATORS

    found = USERS.apply(users_list(user=users["vanphong.ls"]), {"q": "XA DONG DANG"})
    assert found.exists() and all("xa dong dang" in fold(f"{u.username} {u.display_name}") for u in found)
    indicators = INDICATORS.apply(indicators_list(), {"q": "xuat canh"})
    assert indicators.exists() and all("xuat canh" in fold(f"{i.code} {i.name_vi} {i.name_en}") for i in indicators)
