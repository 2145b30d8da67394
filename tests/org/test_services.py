"""Writes: change log with before/after, optimistic locking, and bad input that saves nothing."""

import datetime as dt

import pytest

from borderdesk.core.errors import ApplicationError, ConflictError
from borderdesk.core.models import ChangeLogEntry
from borderdesk.org import services
from borderdesk.org.importers import import_agencies
from borderdesk.org.models import AdministrativeUnit, Agency, Committee, Membership, Person

pytestmark = pytest.mark.django_db


def test_update_records_before_and_after_with_reason(users):
    c = Committee.objects.get(code="ls-bcdbg")
    services.committee_update(
        user=users["vanphong.ls"],
        committee=c,
        place_name="TP. Lạng Sơn",
        expected_version=c.version,
        reason="Sửa địa danh",
    )
    entry = ChangeLogEntry.objects.filter(object_id=str(c.pk), content_type__model="committee").get()
    assert entry.user_repr == "vanphong.ls"
    assert entry.action == "update"
    assert entry.reason == "Sửa địa danh"
    assert entry.before["place_name"] == "Lạng Sơn" and entry.after["place_name"] == "TP. Lạng Sơn"
    assert ("place_name", "Lạng Sơn", "TP. Lạng Sơn") in entry.changes()
    assert entry.request_id


def test_concurrent_edit_is_refused(users):
    c = Committee.objects.get(code="ls-bcdbg")
    stale = c.version
    services.committee_update(user=users["vanphong.ls"], committee=c, place_name="A", expected_version=stale)
    other = Committee.objects.get(pk=c.pk)
    with pytest.raises(ConflictError, match="người khác"):
        services.committee_update(user=users["vanphong.ls"], committee=other, place_name="B", expected_version=stale)
    assert Committee.objects.get(pk=c.pk).place_name == "A"


def test_valid_to_before_valid_from_is_refused(users):
    ls = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    n = AdministrativeUnit.objects.count()
    with pytest.raises(ApplicationError, match="không được trước"):
        services.unit_create(
            user=users["admin"],
            code="99999",
            name="Xã Thử",
            kind="commune",
            parent=ls,
            valid_from=dt.date(2025, 7, 1),
            valid_to=dt.date(2025, 1, 1),
        )
    assert AdministrativeUnit.objects.count() == n
    assert not ChangeLogEntry.objects.filter(object_repr="Xã Thử").exists()


def test_cycle_in_tree_is_refused(users):
    ls = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    district = AdministrativeUnit.objects.get(name="Huyện Cao Lộc")
    vn = AdministrativeUnit.objects.get(code="VN")
    with pytest.raises(ApplicationError, match="vòng lặp|cấp cao hơn"):
        services.unit_update(user=users["admin"], unit=ls, parent=district)
    with pytest.raises(ApplicationError, match="vòng lặp|cấp cao hơn"):
        services.unit_update(user=users["admin"], unit=vn, parent=ls)
    assert AdministrativeUnit.objects.get(pk=ls.pk).parent_id == vn.pk


def test_overlapping_memberships_in_one_role_are_refused(users):
    c = Committee.objects.get(code="ls-bcdbg")
    hoc = Person.objects.get(full_name="Đinh Hữu Học")
    n = Membership.objects.count()
    with pytest.raises(ApplicationError, match="trùng lặp"):
        services.membership_create(
            user=users["vanphong.ls"], committee=c, person=hoc, role="head", valid_from=dt.date(2026, 3, 1)
        )
    other = services.person_create(user=users["vanphong.ls"], full_name="Nguyễn Văn A")
    with pytest.raises(ApplicationError, match="chỉ có một người"):
        services.membership_create(
            user=users["vanphong.ls"], committee=c, person=other, role="head", valid_from=dt.date(2026, 3, 1)
        )
    assert Membership.objects.count() == n
    # A member seat does not clash.
    services.membership_create(
        user=users["vanphong.ls"],
        committee=c,
        person=other,
        role="member",
        valid_from=dt.date(2026, 3, 1),
        decision_number="123/QĐ-UBND",
        decision_date=dt.date(2026, 2, 20),
    )
    assert Membership.objects.count() == n + 1


def test_agency_rename_keeps_history(users):
    a = Agency.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")
    services.agency_rename(
        user=users["vanphong.ls"],
        agency=a,
        new_name="Sở Ngoại vụ Lạng Sơn (tên mới)",
        effective_date=dt.date(2026, 3, 1),
    )
    names = list(a.names.values_list("name", "valid_to"))  # model ordering: unknown start first
    assert names[0] == ("Sở Ngoại vụ tỉnh Lạng Sơn", dt.date(2026, 2, 28))
    assert names[-1][0] == "Sở Ngoại vụ Lạng Sơn (tên mới)"


def test_import_with_unknown_unit_saves_nothing(users):
    n = Agency.objects.count()
    csv_text = (
        "name,kind,unit_code,valid_from\n"
        "Đồn Biên phòng Thử Một,border_guard_station,06184,01/07/2025\n"
        "Đồn Biên phòng Thử Hai,border_guard_station,00000,01/07/2025\n"
    )
    with pytest.raises(ApplicationError) as err:
        import_agencies(user=users["admin"], data=csv_text.encode())
    assert "Dòng 3, cột unit_code" in err.value.message
    assert Agency.objects.count() == n


def test_import_creates_when_valid(users):
    csv_text = (
        "name,kind,unit_code,unit_name,valid_from\n"
        "Đồn Biên phòng Thử Một,border_guard_station,06184,Xã Đồng Đăng,01/07/2025\n"
    )
    assert import_agencies(user=users["vanphong.ls"], data=csv_text.encode()) == {"created": 1, "updated": 0}
