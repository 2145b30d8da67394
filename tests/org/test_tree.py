"""The effective-dated tree: Lạng Sơn on 24/6/2021 and 1/1/2026, and successions across 1/7/2025."""

import datetime as dt

import pytest

from borderdesk.org import selectors
from borderdesk.org.models import AdministrativeUnit

pytestmark = pytest.mark.django_db

LS_DISTRICTS = {"Huyện Tràng Định", "Huyện Văn Lãng", "Huyện Cao Lộc", "Huyện Lộc Bình", "Huyện Đình Lập"}


def _children(tree, name):
    stack = list(tree)
    while stack:
        node = stack.pop()
        if node.unit.name == name:
            return node.children
        stack.extend(node.children)
    raise AssertionError(f"{name} not in tree")


def test_lang_son_border_districts_on_24_6_2021(users):
    tree = selectors.unit_tree(user=users["admin"], as_of=dt.date(2021, 6, 24), border_only=True)
    ls = _children(tree, "Tỉnh Lạng Sơn")
    assert {n.unit.name for n in ls} == LS_DISTRICTS
    assert all(n.unit.kind == "district" for n in ls)
    cao_loc = _children(tree, "Huyện Cao Lộc")
    assert {"Thị trấn Đồng Đăng", "Xã Xuất Lễ", "Xã Cao Lâu", "Xã Mẫu Sơn"} <= {n.unit.name for n in cao_loc}


def test_lang_son_border_communes_on_1_1_2026(users):
    tree = selectors.unit_tree(user=users["admin"], as_of=dt.date(2026, 1, 1), border_only=True)
    ls = _children(tree, "Tỉnh Lạng Sơn")
    names = {n.unit.name for n in ls}
    assert names == {
        "Xã Quốc Khánh",
        "Xã Khuất Xá",
        "Xã Kiên Mộc",
        "Xã Mẫu Sơn",
        "Xã Đồng Đăng",
        "Xã Ba Sơn",
        "Xã Hoàng Văn Thụ",
    }
    assert not any(n.unit.kind == "district" for n in ls), "districts ceased on 1/7/2025"


def test_full_tree_on_1_1_2026_has_no_districts(users):
    units = AdministrativeUnit.objects.valid_on(dt.date(2026, 1, 1))
    assert not units.filter(kind="district").exists()
    assert units.filter(name="Xã Kháng Chiến").exists()  # successor known from NQ 1672, border status unconfirmed


def test_successors_and_predecessors_across_reform(unit):
    tan_thanh = unit("Xã Tân Thanh")
    hvt = unit("Xã Hoàng Văn Thụ", on=dt.date(2026, 1, 1))
    assert selectors.successors_on(unit=tan_thanh, day=dt.date(2026, 1, 1)) == [hvt]
    preds = {s.predecessor.name for s in selectors.unit_history(unit=hvt)["predecessors"]}
    assert preds == {"Xã Hồng Thái", "Xã Hoàng Văn Thụ", "Xã Tân Mỹ", "Xã Nhạc Kỳ", "Xã Tân Thanh"}
    # Backwards: which 2021 units does the new commune cover?
    back = {u.name for u in selectors.successors_on(unit=hvt, day=dt.date(2021, 6, 24))}
    assert "Xã Tân Thanh" in back and len(back) == 5


def test_split_commune_goes_to_two_successors(unit):
    binh_xa = unit("Xã Bính Xá")
    succ = {u.name for u in selectors.successors_on(unit=binh_xa, day=dt.date(2026, 1, 1))}
    assert succ == {"Xã Đình Lập", "Xã Kiên Mộc"}


def test_two_step_succession_2024_then_2025(unit):
    tinh_bac = unit("Xã Tĩnh Bắc")
    assert tinh_bac.valid_to == dt.date(2024, 11, 30)
    assert [u.name for u in selectors.successors_on(unit=tinh_bac, day=dt.date(2025, 3, 1))] == ["Xã Tam Gia"]
    assert [u.name for u in selectors.successors_on(unit=tinh_bac, day=dt.date(2026, 1, 1))] == ["Xã Khuất Xá"]


def test_committee_members_as_of_dates(db):
    from borderdesk.org.models import Committee

    ls = Committee.objects.get(code="ls-bcdbg")
    on_2021 = selectors.committee_members(committee=ls, as_of=dt.date(2021, 6, 24))
    assert [(m.person.full_name, m.role) for m in on_2021] == [("Đoàn Thu Hà", "head")]
    on_2026 = selectors.committee_members(committee=ls, as_of=dt.date(2026, 1, 5))
    assert [(m.person.full_name, m.role) for m in on_2026] == [
        ("Đinh Hữu Học", "head"),
        ("Trịnh Tuyết Mai", "standing_deputy"),
    ]
    sl = Committee.objects.get(code="sl-bcdbg")
    assert [m.person.full_name for m in selectors.committee_members(committee=sl, as_of=dt.date(2020, 6, 26))] == [
        "Tráng Thị Xuân"
    ]
    assert ls.name_on(dt.date(2021, 6, 24)).startswith("Ban Chỉ đạo thực hiện các văn kiện pháp lý")


def test_every_gazetteer_row_keeps_its_source(db):
    assert not AdministrativeUnit.objects.exclude(code="VN").filter(source="").exists()
