"""The standing office's everyday edits through the pages: committee members, agencies, counterparts.

Each form: success (a change-log entry with before/after), each bad input (nothing saved, a clear
Vietnamese message on the form), scope (another province's standing office and a commune reporter get
404), and a bounded number of queries on the pages.
"""

import datetime as dt

import pytest
from django.db.models import F
from django.urls import reverse

from borderdesk.core.models import ChangeLogEntry
from borderdesk.org.models import Agency, AgencyKind, AgencyName, Committee, Counterpart, Membership, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ls_committee():
    return Committee.objects.get(code="ls-bcdbg")


@pytest.fixture
def ls_office():
    return Agency.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")


def _log(model: str, pk) -> list[ChangeLogEntry]:
    return list(ChangeLogEntry.objects.filter(content_type__model=model, object_id=str(pk)).order_by("pk"))


def _counts():
    return Membership.objects.count(), Person.objects.count(), ChangeLogEntry.objects.count()


def _member_data(**over):
    data = {
        "person": "",
        "new_person_name": "Nguyễn Văn Thử",
        "role": "deputy",
        "post": "Phó Giám đốc Sở Ngoại vụ",
        "agency": "",
        "decision_number": "123/QĐ-UBND",
        "decision_date": "2026-02-01",
        "valid_from": "01/02/2026",
        "valid_to": "",
        "reason": "Kiện toàn theo QĐ 123",
    }
    data.update(over)
    return data


# ---------------------------------------------------------------- committee: add a member


def test_committee_page_shows_add_form_to_its_standing_office(client, users, ls_committee):
    client.force_login(users["vanphong.ls"])
    html = client.get(reverse("org:committee", args=[ls_committee.pk])).content.decode()
    assert 'id="them-thanh-vien"' in html and "Kết thúc nhiệm vụ" in html
    assert "Trịnh Tuyết Mai" in html  # an existing person to pick
    client.force_login(users["lanhdao.ls"])  # a leader reads the page, without the forms
    html = client.get(reverse("org:committee", args=[ls_committee.pk])).content.decode()
    assert "Đinh Hữu Học" in html
    assert 'id="them-thanh-vien"' not in html and "Kết thúc nhiệm vụ" not in html


def test_add_member_as_a_new_person_logs_the_change(client, users, ls_committee, ls_office):
    client.force_login(users["vanphong.ls"])
    r = client.post(reverse("org:membership_add", args=[ls_committee.pk]), _member_data(agency=ls_office.pk))
    assert r.status_code == 302
    m = Membership.objects.select_related("person").get(committee=ls_committee, person__full_name="Nguyễn Văn Thử")
    assert (m.role, m.post, m.agency_id, m.decision_number) == (
        "deputy",
        "Phó Giám đốc Sở Ngoại vụ",
        ls_office.pk,
        "123/QĐ-UBND",
    )
    assert (m.decision_date, m.valid_from, m.valid_to) == (dt.date(2026, 2, 1), dt.date(2026, 2, 1), None)
    entry = _log("membership", m.pk)[-1]
    assert entry.action == "create" and entry.user_repr == "vanphong.ls" and entry.reason == "Kiện toàn theo QĐ 123"
    assert entry.before is None and entry.after["role"] == "deputy" and entry.after["valid_from"] == "2026-02-01"
    assert _log("person", m.person_id)[-1].after["full_name"] == "Nguyễn Văn Thử"
    page = client.get(reverse("org:committee", args=[ls_committee.pk]) + "?ngay=15/02/2026").content.decode()
    assert "Nguyễn Văn Thử" in page and "Đã thêm" in page


def test_add_member_picking_an_existing_person(client, users, ls_committee):
    client.force_login(users["vanphong.ls"])
    mai = Person.objects.get(full_name="Trịnh Tuyết Mai")
    persons = Person.objects.count()
    r = client.post(
        reverse("org:membership_add", args=[ls_committee.pk]),
        _member_data(person=mai.pk, new_person_name="", role="working_group", valid_from="2026-03-01"),
    )
    assert r.status_code == 302
    assert Person.objects.count() == persons
    m = Membership.objects.get(committee=ls_committee, person=mai, role="working_group")
    assert _log("membership", m.pk)[-1].after["person_id"] == mai.pk


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # A second head while Đinh Hữu Học holds the seat (single-holder role), from the service.
        ({"role": "head", "valid_from": "2026-03-01"}, "chỉ có một người tại một thời điểm"),
        # The same person twice in one role over overlapping dates, from the service.
        (
            {"new_person_name": "", "person": "MAI", "role": "standing_deputy", "valid_from": "2026-02-01"},
            "đã giữ vai trò Phó Trưởng ban Thường trực",
        ),
        ({"valid_from": "2026-03-01", "valid_to": "2026-01-01"}, "không được trước ngày bắt đầu (01/03/2026)"),
        ({"new_person_name": ""}, "Cần chọn một người đã có hoặc nhập họ tên người mới"),
        ({"person": "MAI"}, "không chọn cả hai"),
        ({"valid_from": "31/02/2026"}, "Nhập một ngày hợp lệ"),
        ({"valid_from": ""}, "Trường này là bắt buộc"),
        ({"role": "chairman"}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_add_member_bad_input_saves_nothing(client, users, ls_committee, data, message):
    mai = Person.objects.get(full_name="Trịnh Tuyết Mai")
    data = {k: (mai.pk if v == "MAI" else v) for k, v in data.items()}
    client.force_login(users["vanphong.ls"])
    before = _counts()
    r = client.post(reverse("org:membership_add", args=[ls_committee.pk]), _member_data(**data))
    assert r.status_code == 400
    html = r.content.decode()
    assert message in html
    assert 'role="alert"' in html and 'id="them-thanh-vien"' in html
    assert _counts() == before  # not even the new person


@pytest.mark.parametrize("username", ["vanphong.sl", "baocao.dongdang", "lanhdao.ls", "duyet.ls"])
def test_add_member_outside_scope_is_404(client, users, ls_committee, username):
    client.force_login(users[username])
    before = _counts()
    r = client.post(reverse("org:membership_add", args=[ls_committee.pk]), _member_data())
    assert r.status_code == 404
    assert _counts() == before


def test_other_provinces_people_are_not_offered(client, users):
    sl = Committee.objects.get(code="sl-bcdbg")
    client.force_login(users["vanphong.sl"])
    html = client.get(reverse("org:committee", args=[sl.pk])).content.decode()
    assert "Tráng Thị Xuân" in html and "Trịnh Tuyết Mai" not in html
    assert client.get(reverse("org:committee", args=[Committee.objects.get(code="ls-bcdbg").pk])).status_code == 404


# ---------------------------------------------------------------- committee: end a membership


@pytest.fixture
def mai_seat(ls_committee):
    return Membership.objects.get(committee=ls_committee, person__full_name="Trịnh Tuyết Mai")


def test_end_membership_with_reason(client, users, mai_seat):
    client.force_login(users["vanphong.ls"])
    url = reverse("org:membership_end", args=[mai_seat.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Trịnh Tuyết Mai" in page.content.decode()
    r = client.post(url, {"version": mai_seat.version, "valid_to": "30/06/2026", "reason": "Nghỉ hưu theo QĐ 45"})
    assert r.status_code == 302
    mai_seat.refresh_from_db()
    assert mai_seat.valid_to == dt.date(2026, 6, 30)
    entry = _log("membership", mai_seat.pk)[-1]
    assert entry.action == "update" and entry.reason == "Nghỉ hưu theo QĐ 45"
    assert entry.before["valid_to"] is None and entry.after["valid_to"] == "2026-06-30"
    assert ("valid_to", None, "2026-06-30") in entry.changes()


@pytest.mark.parametrize(
    ("data", "message", "status"),
    [
        ({"valid_to": "30/12/2025", "reason": "Sai ngày"}, "không được trước ngày bắt đầu (31/12/2025)", 400),
        ({"valid_to": "30/06/2026", "reason": ""}, "Trường này là bắt buộc", 400),
        ({"valid_to": "", "reason": "Nghỉ hưu"}, "Trường này là bắt buộc", 400),
        ({"valid_to": "30/06/2026", "reason": "Nghỉ hưu", "version": "STALE"}, "vừa được người khác cập nhật", 400),
    ],
)
def test_end_membership_bad_input_saves_nothing(client, users, mai_seat, data, message, status):
    client.force_login(users["vanphong.ls"])
    data = {"version": mai_seat.version} | data
    if data["version"] == "STALE":
        data["version"] = mai_seat.version - 1
    logs = ChangeLogEntry.objects.count()
    r = client.post(reverse("org:membership_end", args=[mai_seat.pk]), data)
    assert r.status_code == status
    assert message in r.content.decode()
    mai_seat.refresh_from_db()
    assert mai_seat.valid_to is None and ChangeLogEntry.objects.count() == logs


@pytest.mark.parametrize("username", ["vanphong.sl", "baocao.dongdang", "lanhdao.ls"])
def test_end_membership_outside_scope_is_404(client, users, mai_seat, username):
    client.force_login(users[username])
    url = reverse("org:membership_end", args=[mai_seat.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": mai_seat.version, "valid_to": "30/06/2026", "reason": "x"}).status_code == 404
    mai_seat.refresh_from_db()
    assert mai_seat.valid_to is None


# ---------------------------------------------------------------- agencies


def test_agency_page_lists_names_and_forms(client, users, ls_office):
    client.force_login(users["vanphong.ls"])
    html = client.get(reverse("org:agency", args=[ls_office.pk])).content.decode()
    assert ls_office.name in html
    for form_id in ('id="doi-ten"', 'id="sua"', 'id="ket-thuc"'):
        assert form_id in html
    client.force_login(users["lanhdao.ls"])
    html = client.get(reverse("org:agency", args=[ls_office.pk])).content.decode()
    assert ls_office.name in html and 'id="doi-ten"' not in html


def test_rename_agency_keeps_name_history(client, users, ls_office):
    client.force_login(users["vanphong.ls"])
    old = ls_office.name
    r = client.post(
        reverse("org:agency_rename", args=[ls_office.pk]),
        {
            "rename-version": ls_office.version,
            "rename-new_name": "Sở Ngoại vụ tỉnh Lạng Sơn (sau sắp xếp)",
            "rename-effective_date": "01/03/2026",
            "rename-reason": "Quyết định 99/QĐ-UBND",
        },
    )
    assert r.status_code == 302
    ls_office.refresh_from_db()
    assert ls_office.name == "Sở Ngoại vụ tỉnh Lạng Sơn (sau sắp xếp)"
    names = list(AgencyName.objects.filter(agency=ls_office).order_by(F("valid_from").asc(nulls_first=True)))
    assert names[-1].name == ls_office.name and names[-1].valid_from == dt.date(2026, 3, 1)
    assert any(n.name == old and n.valid_to == dt.date(2026, 2, 28) for n in names)
    entry = _log("agency", ls_office.pk)[-1]
    assert entry.reason == "Quyết định 99/QĐ-UBND"
    assert entry.before["name"] == old and entry.after["name"] == ls_office.name
    html = client.get(reverse("org:agency", args=[ls_office.pk])).content.decode()
    assert old in html and "28/02/2026" in html  # the old name, ended the day before


def test_rename_bad_input_saves_nothing(client, users, ls_office):
    client.force_login(users["vanphong.ls"])
    url = reverse("org:agency_rename", args=[ls_office.pk])
    client.post(
        url, {"rename-version": ls_office.version, "rename-new_name": "Tên A", "rename-effective_date": "2026-03-01"}
    )
    ls_office.refresh_from_db()
    logs, names = ChangeLogEntry.objects.count(), AgencyName.objects.count()
    cases = [
        ({"rename-new_name": "Tên B", "rename-effective_date": "2026-01-01"}, "Ngày đổi tên phải sau ngày bắt đầu"),
        ({"rename-new_name": "", "rename-effective_date": "2026-04-01"}, "Trường này là bắt buộc"),
        ({"rename-new_name": "Tên B", "rename-effective_date": "hôm qua"}, "Nhập một ngày hợp lệ"),
        (
            {
                "rename-new_name": "Tên B",
                "rename-effective_date": "2026-04-01",
                "rename-version": ls_office.version - 1,
            },
            "vừa được người khác cập nhật",
        ),
    ]
    for data, message in cases:
        r = client.post(url, {"rename-version": ls_office.version} | data)
        assert r.status_code == 400, data
        assert message in r.content.decode(), data
    ls_office.refresh_from_db()
    assert ls_office.name == "Tên A"
    assert (ChangeLogEntry.objects.count(), AgencyName.objects.count()) == (logs, names)


def test_edit_agency_kind_and_unit(client, users, unit):
    agency = Agency.objects.get(name="Đồn Biên phòng Pò Mã")
    district = unit("Huyện Cao Lộc")
    police = AgencyKind.objects.get(code="police")
    client.force_login(users["vanphong.ls"])
    r = client.post(
        reverse("org:agency_edit", args=[agency.pk]),
        {
            "edit-version": agency.version,
            "edit-short_name": "ĐBP Pò Mã",
            "edit-kind": police.pk,
            "edit-unit": district.pk,
            "edit-parent": "",
            "edit-reason": "Sửa địa bàn",
        },
    )
    assert r.status_code == 302
    agency.refresh_from_db()
    assert (agency.kind_id, agency.unit_id, agency.short_name) == (police.pk, district.pk, "ĐBP Pò Mã")
    entry = _log("agency", agency.pk)[-1]
    assert entry.before["unit_id"] != district.pk and entry.after["unit_id"] == district.pk
    assert entry.after["kind_id"] == police.pk and entry.reason == "Sửa địa bàn"


def test_edit_agency_refuses_a_unit_of_another_province(client, users, unit):
    agency = Agency.objects.get(name="Đồn Biên phòng Pò Mã")
    son_la = unit("Tỉnh Sơn La")
    client.force_login(users["vanphong.ls"])
    logs = ChangeLogEntry.objects.count()
    r = client.post(
        reverse("org:agency_edit", args=[agency.pk]),
        {"edit-version": agency.version, "edit-kind": agency.kind_id, "edit-unit": son_la.pk},
    )
    assert r.status_code == 400 and "Hãy chọn một lựa chọn hợp lệ" in r.content.decode()
    assert Agency.objects.get(pk=agency.pk).unit_id == agency.unit_id and ChangeLogEntry.objects.count() == logs


def test_close_agency_with_successor(client, users):
    customs = Agency.objects.get(name="Chi cục Hải quan cửa khẩu Tân Thanh")
    successor = Agency.objects.get(name="Chi cục Hải quan khu vực VI")
    client.force_login(users["vanphong.ls"])
    r = client.post(
        reverse("org:agency_close", args=[customs.pk]),
        {
            "close-version": customs.version,
            "close-valid_to": "30/06/2026",
            "close-successor": successor.pk,
            "close-reason": "Sáp nhập theo QĐ 7",
        },
    )
    assert r.status_code == 302
    customs.refresh_from_db()
    assert (customs.valid_to, customs.successor_id) == (dt.date(2026, 6, 30), successor.pk)
    entry = _log("agency", customs.pk)[-1]
    assert entry.before["valid_to"] is None and entry.after["valid_to"] == "2026-06-30"
    assert entry.after["successor_id"] == successor.pk and entry.reason == "Sáp nhập theo QĐ 7"
    assert not customs.names.filter(valid_to__isnull=True).exists()
    html = client.get(reverse("org:agency", args=[successor.pk])).content.decode()
    assert customs.name in html  # shown as a predecessor


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "Ban Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn (trực thuộc Bộ Chỉ huy Quân sự tỉnh)",
            {"close-valid_to": "2025-01-01"},
            "không được trước ngày bắt đầu (28/06/2025)",
        ),
        (
            "Sở Công Thương tỉnh Lạng Sơn",
            {"close-valid_to": "2026-01-01", "close-successor": "Cục Hải quan tỉnh Lạng Sơn"},
            "đã hết hiệu lực",
        ),
        ("Sở Công Thương tỉnh Lạng Sơn", {"close-valid_to": ""}, "Trường này là bắt buộc"),
        (
            "Sở Công Thương tỉnh Lạng Sơn",
            {"close-valid_to": "2026-01-01", "close-successor": "Sở Công Thương tỉnh Sơn La"},
            "Hãy chọn một lựa chọn hợp lệ",
        ),
    ],
)
def test_close_agency_bad_input_saves_nothing(client, users, name, data, message):
    agency = Agency.objects.get(name=name)
    if "close-successor" in data:
        data["close-successor"] = Agency.objects.get(name=data["close-successor"]).pk
    client.force_login(users["vanphong.ls"])
    logs = ChangeLogEntry.objects.count()
    r = client.post(reverse("org:agency_close", args=[agency.pk]), {"close-version": agency.version} | data)
    assert r.status_code == 400
    assert message in r.content.decode()
    fresh = Agency.objects.get(pk=agency.pk)
    assert (fresh.valid_to, fresh.successor_id, fresh.version) == (agency.valid_to, agency.successor_id, agency.version)
    assert ChangeLogEntry.objects.count() == logs


@pytest.mark.parametrize(
    ("username", "agency_name"),
    [
        ("vanphong.sl", "Sở Ngoại vụ tỉnh Lạng Sơn"),
        ("baocao.dongdang", "Sở Ngoại vụ tỉnh Lạng Sơn"),
        ("baocao.quockhanh", "Đồn Biên phòng Pò Mã"),  # in its commune: readable, not manageable
    ],
)
def test_agency_writes_outside_scope_are_404(client, users, username, agency_name):
    agency = Agency.objects.get(name=agency_name)
    client.force_login(users[username])
    for view, data in [
        ("org:agency_rename", {"rename-new_name": "X", "rename-effective_date": "2026-03-01"}),
        ("org:agency_edit", {"edit-kind": agency.kind_id, "edit-unit": agency.unit_id}),
        ("org:agency_close", {"close-valid_to": "2026-03-01"}),
    ]:
        assert client.post(reverse(view, args=[agency.pk]), data).status_code == 404, view
    fresh = Agency.objects.get(pk=agency.pk)
    assert (fresh.name, fresh.valid_to, fresh.version) == (agency.name, agency.valid_to, agency.version)


def test_reporter_reads_agency_in_its_commune_without_forms(client, users):
    agency = Agency.objects.get(name="Đồn Biên phòng Pò Mã")
    client.force_login(users["baocao.quockhanh"])
    html = client.get(reverse("org:agency", args=[agency.pk])).content.decode()
    assert agency.name in html and 'id="doi-ten"' not in html
    other = Agency.objects.get(name="Sở Ngoại vụ tỉnh Sơn La")
    assert client.get(reverse("org:agency", args=[other.pk])).status_code == 404


# ---------------------------------------------------------------- counterparts


def test_counterparts_list_is_scoped(client, users):
    client.force_login(users["vanphong.ls"])
    html = client.get(reverse("org:counterparts")).content.decode()
    assert "Bằng Tường" in html and "Hủa Phăn" not in html and "Thêm đối tác" in html
    client.force_login(users["lanhdao.ls"])
    html = client.get(reverse("org:counterparts")).content.decode()
    assert "Bằng Tường" in html and "Thêm đối tác" not in html


def test_add_and_edit_counterpart(client, users, unit):
    ls = unit("Tỉnh Lạng Sơn")
    client.force_login(users["vanphong.ls"])
    r = client.post(
        reverse("org:counterpart_add"),
        {"unit": ls.pk, "country": "Trung Quốc", "name": "Huyện Ninh Minh", "notes": "", "reason": "Ký kết 2026"},
    )
    assert r.status_code == 302
    c = Counterpart.objects.get(name="Huyện Ninh Minh")
    entry = _log("counterpart", c.pk)[-1]
    assert entry.action == "create" and entry.after["country"] == "Trung Quốc" and entry.reason == "Ký kết 2026"
    url = reverse("org:counterpart_edit", args=[c.pk])
    assert "Huyện Ninh Minh" in client.get(url).content.decode()
    r = client.post(
        url,
        {
            "version": c.version,
            "unit": ls.pk,
            "country": "Trung Quốc",
            "name": "Huyện Ninh Minh (Quảng Tây)",
            "notes": "Cặp cửa khẩu Chi Ma – Ái Điểm",
        },
    )
    assert r.status_code == 302
    entry = _log("counterpart", c.pk)[-1]
    assert entry.action == "update"
    assert (entry.before["name"], entry.after["name"]) == ("Huyện Ninh Minh", "Huyện Ninh Minh (Quảng Tây)")
    # The same stale version again: someone else's edit is not overwritten.
    r = client.post(url, {"version": c.version, "unit": ls.pk, "country": "Trung Quốc", "name": "Ghi đè"})
    assert r.status_code == 400 and "vừa được người khác cập nhật" in r.content.decode()
    assert Counterpart.objects.get(pk=c.pk).name == "Huyện Ninh Minh (Quảng Tây)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Trường này là bắt buộc"),
        ({"country": "   "}, "Trường này là bắt buộc"),
        ({"unit": "SON_LA"}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_counterpart_bad_input_saves_nothing(client, users, unit, data, message):
    data = {"unit": unit("Tỉnh Lạng Sơn").pk, "country": "Trung Quốc", "name": "Đối tác thử"} | data
    if data["unit"] == "SON_LA":
        data["unit"] = unit("Tỉnh Sơn La").pk
    client.force_login(users["vanphong.ls"])
    n, logs = Counterpart.objects.count(), ChangeLogEntry.objects.count()
    r = client.post(reverse("org:counterpart_add"), data)
    assert r.status_code == 400 and message in r.content.decode()
    assert (Counterpart.objects.count(), ChangeLogEntry.objects.count()) == (n, logs)


@pytest.mark.parametrize("username", ["vanphong.sl", "baocao.dongdang", "lanhdao.ls"])
def test_counterpart_writes_outside_scope_are_404(client, users, username):
    c = Counterpart.objects.get(name__startswith="Bằng Tường")
    client.force_login(users[username])
    url = reverse("org:counterpart_edit", args=[c.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": c.version, "unit": c.unit_id, "country": "X", "name": "Y"}).status_code == 404
    assert Counterpart.objects.get(pk=c.pk).name == c.name
    if username != "vanphong.sl":  # the Sơn La office may add counterparts for Sơn La
        assert client.get(reverse("org:counterpart_add")).status_code == 404


# ---------------------------------------------------------------- query counts


def test_edit_pages_have_bounded_queries(client, users, ls_committee, ls_office, django_assert_max_num_queries):
    client.force_login(users["vanphong.ls"])
    client.get("/")  # session, scope cache warm-up does not count for the pages below
    # Most of these are the user's scope (units, successions, agencies) computed per action and request.
    urls = [
        (reverse("org:committee", args=[ls_committee.pk]), 24),
        (reverse("org:agency", args=[ls_office.pk]), 30),
        (reverse("org:counterparts"), 20),
        (reverse("org:counterpart_add"), 20),
        (reverse("org:membership_end", args=[Membership.objects.filter(committee=ls_committee).first().pk]), 20),
    ]
    for url, limit in urls:
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


def test_committee_page_queries_do_not_grow_with_members(client, users, ls_committee, ls_office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["vanphong.ls"])
    url = reverse("org:committee", args=[ls_committee.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for i in range(5):
        client.post(
            reverse("org:membership_add", args=[ls_committee.pk]),
            _member_data(
                new_person_name=f"Thành viên {i}", role="member", agency=ls_office.pk, valid_from=f"2026-0{i + 1}-01"
            ),
        )
    assert Membership.objects.filter(committee=ls_committee, role="member").count() == 5
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


# ---------------------------------------------------------------- English interface


def test_edit_forms_and_service_errors_in_english(client, users, ls_committee, ls_office):
    client.force_login(users["vanphong.ls"])
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    html = client.get(reverse("org:committee", args=[ls_committee.pk])).content.decode()
    assert "Add a member" in html and "End term" in html and "— New person —" in html
    html = client.get(reverse("org:agency", args=[ls_office.pk])).content.decode()
    assert ">Rename</button>" in html and "Successor agency" in html
    r = client.post(
        reverse("org:membership_add", args=[ls_committee.pk]), _member_data(role="head", valid_from="01/03/2026")
    )
    assert r.status_code == 400 and "is held by one person at a time" in r.content.decode()
