"""The standing office's everyday edits through the API (/api/org/…), on the same services as the pages.

Each endpoint: success (a change-log entry with before/after), each bad input (400 in the API's error shape
with field errors, nothing saved), a stale version (409), scope (another province's standing office and a
commune reporter get 404), and a bounded number of queries.
"""

import datetime as dt

import pytest
from django.db.models import F

from borderdesk.core.models import ChangeLogEntry
from borderdesk.org.models import Agency, AgencyKind, AgencyName, Committee, Counterpart, Membership

pytestmark = pytest.mark.django_db

OUTSIDERS = ["vanphong.sl", "baocao.quockhanh", "baocao.dongdang"]


def _current_version(path: str):
    import re

    m = re.match(r"^/(agencies|memberships|committees)/(\d+)", path)
    if m is None:
        return None
    model = {"agencies": Agency, "memberships": Membership, "counterparts": Counterpart, "committees": Committee}
    return model[m.group(1)].objects.filter(pk=int(m.group(2))).values_list("version", flat=True).first()


@pytest.fixture
def api(client, users):
    """api(username): call(method, path, payload) -> response, as that user (session auth)."""

    def login(username):
        client.force_login(users[username])

        def call(method, path, payload=None):
            # Updates must name the version they read (issue 10); these tests are about the other fields,
            # so a payload without one gets the current version, as a client that just read the object.
            payload = dict(payload or {})
            if method in ("patch", "put", "post") and not {"version", "expected_version"} & set(payload):
                current = _current_version(path)
                if current is not None:
                    payload["version"] = current
            return getattr(client, method)(f"/api/org{path}", payload, content_type="application/json")

        return call

    return login


@pytest.fixture
def mai_seat():
    return Membership.objects.get(committee=Committee.objects.get(code="ls-bcdbg"), person__full_name="Trịnh Tuyết Mai")


@pytest.fixture
def ls_office():
    return Agency.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")


def _log(model: str, pk) -> list[ChangeLogEntry]:
    return list(ChangeLogEntry.objects.filter(content_type__model=model, object_id=str(pk)).order_by("pk"))


def _bad(r, field: str | None, message: str):
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["error"] == "invalid" and message in body["message"], body
    if field:
        assert field in body["fields"], body
    return body


# ---------------------------------------------------------------- memberships: end a seat


def test_end_membership(api, mai_seat):
    r = api("vanphong.ls")(
        "post",
        f"/memberships/{mai_seat.pk}/end",
        {"valid_to": "2026-06-30", "reason": " Nghỉ hưu theo QĐ 45 ", "version": mai_seat.version},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["valid_to"] == "2026-06-30" and body["version"] == mai_seat.version + 1
    assert body["person_name"] == "Trịnh Tuyết Mai"
    entry = _log("membership", mai_seat.pk)[-1]
    assert entry.action == "update" and entry.user_repr == "vanphong.ls" and entry.reason == "Nghỉ hưu theo QĐ 45"
    assert entry.before["valid_to"] is None and entry.after["valid_to"] == "2026-06-30"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"valid_to": "2025-12-30", "reason": "Sai ngày"}, "valid_to", "không được trước ngày bắt đầu (31/12/2025)"),
        ({"valid_to": "2026-06-30", "reason": "  "}, "reason", "Cần ghi lý do kết thúc nhiệm vụ"),
        ({"valid_to": "2026-06-30"}, "reason", "Cần ghi lý do kết thúc nhiệm vụ"),
        ({"reason": "Nghỉ hưu"}, "valid_to", "Cần nhập ngày kết thúc nhiệm vụ"),
    ],
)
def test_end_membership_bad_input_is_400_and_saves_nothing(api, mai_seat, payload, field, message):
    logs = ChangeLogEntry.objects.count()
    _bad(api("vanphong.ls")("post", f"/memberships/{mai_seat.pk}/end", payload), field, message)
    fresh = Membership.objects.get(pk=mai_seat.pk)
    assert (fresh.valid_to, fresh.version) == (None, mai_seat.version) and ChangeLogEntry.objects.count() == logs


def test_end_membership_stale_version_is_409(api, mai_seat):
    logs = ChangeLogEntry.objects.count()
    r = api("vanphong.ls")(
        "post",
        f"/memberships/{mai_seat.pk}/end",
        {"valid_to": "2026-06-30", "reason": "Nghỉ hưu", "version": mai_seat.version - 1},
    )
    assert r.status_code == 409
    assert r.json()["error"] == "conflict" and r.json()["current_version"] == mai_seat.version
    assert Membership.objects.get(pk=mai_seat.pk).valid_to is None and ChangeLogEntry.objects.count() == logs


@pytest.mark.parametrize("username", OUTSIDERS + ["lanhdao.ls"])
def test_end_membership_outside_scope_is_404(api, mai_seat, username):
    r = api(username)("post", f"/memberships/{mai_seat.pk}/end", {"valid_to": "2026-06-30", "reason": "x"})
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    assert Membership.objects.get(pk=mai_seat.pk).valid_to is None


# ---------------------------------------------------------------- agencies: rename


@pytest.mark.parametrize("method", ["post", "patch"])
def test_rename_agency_keeps_name_history(api, ls_office, method):
    old = ls_office.name
    r = api("vanphong.ls")(
        method,
        f"/agencies/{ls_office.pk}/rename",
        {
            "name": "Sở Ngoại vụ tỉnh Lạng Sơn (sau sắp xếp)",
            "valid_from": "2026-03-01",
            "reason": "Quyết định 99/QĐ-UBND",
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["name"] == "Sở Ngoại vụ tỉnh Lạng Sơn (sau sắp xếp)"
    names = list(AgencyName.objects.filter(agency=ls_office).order_by(F("valid_from").asc(nulls_first=True)))
    assert names[-1].name == "Sở Ngoại vụ tỉnh Lạng Sơn (sau sắp xếp)" and names[-1].valid_from == dt.date(2026, 3, 1)
    assert any(n.name == old and n.valid_to == dt.date(2026, 2, 28) for n in names)
    entry = _log("agency", ls_office.pk)[-1]
    assert entry.reason == "Quyết định 99/QĐ-UBND" and entry.user_repr == "vanphong.ls"
    assert entry.before["name"] == old and entry.after["name"] == "Sở Ngoại vụ tỉnh Lạng Sơn (sau sắp xếp)"


def test_rename_agency_keeps_the_older_field_names(api, ls_office):
    r = api("vanphong.ls")(
        "post",
        f"/agencies/{ls_office.pk}/rename",
        {"new_name": "Tên cũ vẫn nhận", "effective_date": "2026-03-01", "expected_version": ls_office.version},
    )
    assert r.status_code == 200 and r.json()["name"] == "Tên cũ vẫn nhận"


def test_rename_bad_input_is_400_and_saves_nothing(api, ls_office):
    call = api("vanphong.ls")
    assert (
        call("post", f"/agencies/{ls_office.pk}/rename", {"name": "Tên A", "valid_from": "2026-03-01"}).status_code
        == 200
    )
    ls_office.refresh_from_db()
    logs, names = ChangeLogEntry.objects.count(), AgencyName.objects.count()
    cases = [
        ({"name": "Tên B", "valid_from": "2026-01-01"}, None, "Ngày đổi tên phải sau ngày bắt đầu"),
        ({"name": "  ", "valid_from": "2026-04-01"}, "name", "Tên mới không được để trống"),
        ({"name": "Tên B"}, "valid_from", "Cần nhập ngày tên mới có hiệu lực"),
        ({"name": "T" * 301, "valid_from": "2026-04-01"}, "name", "301"),
    ]
    for payload, field, message in cases:
        _bad(call("post", f"/agencies/{ls_office.pk}/rename", payload), field, message)
    r = call(
        "patch",
        f"/agencies/{ls_office.pk}/rename",
        {"name": "Tên B", "valid_from": "2026-04-01", "version": ls_office.version - 1},
    )
    assert r.status_code == 409 and r.json()["error"] == "conflict"
    fresh = Agency.objects.get(pk=ls_office.pk)
    assert (fresh.name, fresh.version) == ("Tên A", ls_office.version)
    assert (ChangeLogEntry.objects.count(), AgencyName.objects.count()) == (logs, names)


# ---------------------------------------------------------------- agencies: update


def test_update_agency_kind_unit_and_parent(api, unit, ls_office):
    agency = Agency.objects.get(name="Đồn Biên phòng Pò Mã")
    district = unit("Huyện Cao Lộc")
    police = AgencyKind.objects.get(code="police")
    r = api("vanphong.ls")(
        "patch",
        f"/agencies/{agency.pk}",
        {
            "short_name": " ĐBP Pò Mã ",
            "kind": "police",
            "unit_id": district.pk,
            "parent_id": ls_office.pk,
            "version": agency.version,
            "reason": "Sửa địa bàn",
        },
    )
    assert r.status_code == 200, r.content
    assert (r.json()["kind"], r.json()["unit_id"], r.json()["short_name"]) == ("police", district.pk, "ĐBP Pò Mã")
    fresh = Agency.objects.get(pk=agency.pk)
    assert (fresh.kind_id, fresh.unit_id, fresh.parent_id, fresh.name) == (
        police.pk,
        district.pk,
        ls_office.pk,
        agency.name,
    )
    entry = _log("agency", agency.pk)[-1]
    assert entry.before["unit_id"] == agency.unit_id and entry.after["unit_id"] == district.pk
    assert entry.after["kind_id"] == police.pk and entry.after["parent_id"] == ls_office.pk
    assert entry.reason == "Sửa địa bàn"
    # Only the fields sent change; parent_id null clears the parent.
    r = api("vanphong.ls")("patch", f"/agencies/{agency.pk}", {"parent_id": None})
    assert r.status_code == 200 and r.json()["parent_id"] is None and r.json()["kind"] == "police"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"unit_id": "SON_LA"}, "unit_id", "Hãy chọn một lựa chọn hợp lệ"),
        ({"unit_id": None}, "unit_id", "Hãy chọn một lựa chọn hợp lệ"),
        ({"parent_id": "SON_LA_OFFICE"}, "parent_id", "Hãy chọn một lựa chọn hợp lệ"),
        ({"parent_id": "SELF"}, "parent_id", "Hãy chọn một lựa chọn hợp lệ"),
        ({"kind": "boss"}, "kind", "Loại cơ quan không tồn tại: boss"),
        ({"name": "Tên khác"}, None, "Đổi tên cơ quan phải dùng chức năng “Đổi tên”"),
    ],
)
def test_update_agency_bad_input_is_400_and_saves_nothing(api, unit, payload, field, message):
    agency = Agency.objects.get(name="Đồn Biên phòng Pò Mã")
    replace = {
        "SON_LA": unit("Tỉnh Sơn La").pk,
        "SELF": agency.pk,
        "SON_LA_OFFICE": Agency.objects.get(name="Sở Ngoại vụ tỉnh Sơn La").pk,
    }
    payload = {k: replace.get(v, v) for k, v in payload.items()}
    logs = ChangeLogEntry.objects.count()
    _bad(api("vanphong.ls")("patch", f"/agencies/{agency.pk}", payload | {"short_name": "X"}), field, message)
    fresh = Agency.objects.get(pk=agency.pk)
    assert (fresh.unit_id, fresh.parent_id, fresh.kind_id, fresh.short_name, fresh.version) == (
        agency.unit_id,
        agency.parent_id,
        agency.kind_id,
        agency.short_name,
        agency.version,
    )
    assert ChangeLogEntry.objects.count() == logs


def test_update_agency_stale_version_is_409(api):
    agency = Agency.objects.get(name="Đồn Biên phòng Pò Mã")
    r = api("vanphong.ls")("patch", f"/agencies/{agency.pk}", {"short_name": "X", "version": agency.version - 1})
    assert r.status_code == 409 and r.json()["error"] == "conflict"
    assert Agency.objects.get(pk=agency.pk).short_name == agency.short_name


# ---------------------------------------------------------------- agencies: close


def test_close_agency_with_successor(api):
    customs = Agency.objects.get(name="Chi cục Hải quan cửa khẩu Tân Thanh")
    successor = Agency.objects.get(name="Chi cục Hải quan khu vực VI")
    r = api("vanphong.ls")(
        "post",
        f"/agencies/{customs.pk}/close",
        {
            "valid_to": "2026-06-30",
            "successor_id": successor.pk,
            "reason": "Sáp nhập theo QĐ 7",
            "version": customs.version,
        },
    )
    assert r.status_code == 200, r.content
    assert (r.json()["valid_to"], r.json()["successor_id"]) == ("2026-06-30", successor.pk)
    entry = _log("agency", customs.pk)[-1]
    assert entry.before["valid_to"] is None and entry.after["valid_to"] == "2026-06-30"
    assert entry.after["successor_id"] == successor.pk and entry.reason == "Sáp nhập theo QĐ 7"
    assert not customs.names.filter(valid_to__isnull=True).exists()


@pytest.mark.parametrize(
    ("name", "payload", "field", "message"),
    [
        (
            "Ban Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn (trực thuộc Bộ Chỉ huy Quân sự tỉnh)",
            {"valid_to": "2025-01-01"},
            "valid_to",
            "không được trước ngày bắt đầu (28/06/2025)",
        ),
        (
            "Sở Công Thương tỉnh Lạng Sơn",
            {"valid_to": "2026-01-01", "successor_id": "Cục Hải quan tỉnh Lạng Sơn"},
            "successor",
            "đã hết hiệu lực",
        ),
        ("Sở Công Thương tỉnh Lạng Sơn", {"reason": "Giải thể"}, "valid_to", "Cần nhập ngày giải thể"),
        (
            "Sở Công Thương tỉnh Lạng Sơn",
            {"valid_to": "2026-01-01", "successor_id": "Sở Công Thương tỉnh Sơn La"},
            "successor_id",
            "Hãy chọn một lựa chọn hợp lệ",
        ),
        (
            "Sở Công Thương tỉnh Lạng Sơn",
            {"valid_to": "2026-01-01", "successor_id": "Sở Công Thương tỉnh Lạng Sơn"},
            "successor_id",
            "Hãy chọn một lựa chọn hợp lệ",
        ),
    ],
)
def test_close_agency_bad_input_is_400_and_saves_nothing(api, name, payload, field, message):
    agency = Agency.objects.get(name=name)
    if "successor_id" in payload:
        payload["successor_id"] = Agency.objects.get(name=payload["successor_id"]).pk
    logs, open_names = ChangeLogEntry.objects.count(), agency.names.filter(valid_to__isnull=True).count()
    _bad(api("vanphong.ls")("post", f"/agencies/{agency.pk}/close", payload), field, message)
    fresh = Agency.objects.get(pk=agency.pk)
    assert (fresh.valid_to, fresh.successor_id, fresh.version) == (agency.valid_to, agency.successor_id, agency.version)
    assert ChangeLogEntry.objects.count() == logs
    assert agency.names.filter(valid_to__isnull=True).count() == open_names


def test_close_agency_stale_version_is_409(api):
    agency = Agency.objects.get(name="Sở Công Thương tỉnh Lạng Sơn")
    r = api("vanphong.ls")(
        "post", f"/agencies/{agency.pk}/close", {"valid_to": "2026-06-30", "version": agency.version - 1}
    )
    assert r.status_code == 409 and r.json()["error"] == "conflict"
    assert Agency.objects.get(pk=agency.pk).valid_to is None


@pytest.mark.parametrize(
    ("username", "agency_name"),
    [
        ("vanphong.sl", "Sở Ngoại vụ tỉnh Lạng Sơn"),
        ("baocao.dongdang", "Sở Ngoại vụ tỉnh Lạng Sơn"),
        ("baocao.quockhanh", "Đồn Biên phòng Pò Mã"),  # in its commune: readable, not manageable
        ("lanhdao.ls", "Sở Ngoại vụ tỉnh Lạng Sơn"),
    ],
)
def test_agency_writes_outside_scope_are_404(api, username, agency_name):
    agency = Agency.objects.get(name=agency_name)
    call = api(username)
    for method, path, payload in [
        ("post", "/rename", {"name": "X", "valid_from": "2026-03-01"}),
        ("patch", "/rename", {"name": "X", "valid_from": "2026-03-01"}),
        ("patch", "", {"short_name": "X"}),
        ("post", "/close", {"valid_to": "2026-03-01"}),
    ]:
        r = call(method, f"/agencies/{agency.pk}{path}", payload)
        assert r.status_code == 404 and r.json()["error"] == "not_found", (method, path)
    fresh = Agency.objects.get(pk=agency.pk)
    assert (fresh.name, fresh.short_name, fresh.valid_to, fresh.version) == (
        agency.name,
        agency.short_name,
        agency.valid_to,
        agency.version,
    )


# ---------------------------------------------------------------- counterparts


@pytest.fixture
def bang_tuong():
    return Counterpart.objects.get(name__startswith="Bằng Tường")


def test_update_counterpart(api, bang_tuong):
    call = api("vanphong.ls")
    r = call(
        "patch",
        f"/counterparts/{bang_tuong.pk}",
        {
            "name": " Thành phố Bằng Tường ",
            "notes": "Cặp cửa khẩu Hữu Nghị – Hữu Nghị Quan",
            "version": bang_tuong.version,
            "reason": "Cập nhật 2026",
        },
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["name"], body["country"], body["version"]) == (
        "Thành phố Bằng Tường",
        bang_tuong.country,
        bang_tuong.version + 1,
    )
    entry = _log("counterpart", bang_tuong.pk)[-1]
    assert entry.action == "update" and entry.reason == "Cập nhật 2026"
    assert (entry.before["name"], entry.after["name"]) == (bang_tuong.name, "Thành phố Bằng Tường")
    # The same (now stale) version again: someone else's edit is not overwritten.
    r = call("patch", f"/counterparts/{bang_tuong.pk}", {"name": "Ghi đè", "version": bang_tuong.version})
    assert r.status_code == 409 and r.json()["current_version"] == bang_tuong.version + 1
    assert Counterpart.objects.get(pk=bang_tuong.pk).name == "Thành phố Bằng Tường"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"name": ""}, "name", "Trường này không được để trắng"),
        ({"country": "   "}, "country", "Trường này không được để trắng"),
        ({"unit_id": "SON_LA"}, "unit_id", "Hãy chọn một lựa chọn hợp lệ"),
        ({"unit_id": "DISTRICT"}, "unit_id", "Hãy chọn một lựa chọn hợp lệ"),
        ({"name": "N" * 301}, "name", "301"),
    ],
)
def test_update_counterpart_bad_input_is_400_and_saves_nothing(api, unit, bang_tuong, payload, field, message):
    replace = {"SON_LA": unit("Tỉnh Sơn La").pk, "DISTRICT": unit("Huyện Cao Lộc").pk}
    payload = {k: replace.get(v, v) for k, v in payload.items()}
    logs = ChangeLogEntry.objects.count()
    _bad(
        api("vanphong.ls")("patch", f"/counterparts/{bang_tuong.pk}", payload | {"version": bang_tuong.version}),
        field,
        message,
    )
    fresh = Counterpart.objects.get(pk=bang_tuong.pk)
    assert (fresh.name, fresh.country, fresh.unit_id, fresh.version) == (
        bang_tuong.name,
        bang_tuong.country,
        bang_tuong.unit_id,
        bang_tuong.version,
    )
    assert ChangeLogEntry.objects.count() == logs


def test_update_counterpart_needs_a_version(api, bang_tuong):
    r = api("vanphong.ls")("patch", f"/counterparts/{bang_tuong.pk}", {"name": "X"})
    assert r.status_code == 422 and "version" in r.json()["fields"]
    assert Counterpart.objects.get(pk=bang_tuong.pk).name == bang_tuong.name


@pytest.mark.parametrize("username", OUTSIDERS + ["lanhdao.ls"])
def test_update_counterpart_outside_scope_is_404(api, bang_tuong, username):
    r = api(username)("patch", f"/counterparts/{bang_tuong.pk}", {"name": "Y", "version": bang_tuong.version})
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    assert Counterpart.objects.get(pk=bang_tuong.pk).name == bang_tuong.name


# ---------------------------------------------------------------- errors in English, query counts


def test_api_errors_follow_the_language(client, users, api, ls_office, unit):
    call = api("vanphong.ls")
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    body = _bad(
        call("post", f"/agencies/{ls_office.pk}/rename", {"name": "X"}),
        "valid_from",
        "Enter the date the new name takes effect",
    )
    assert body["fields"]["valid_from"] == ["Required."]
    _bad(
        call("patch", f"/agencies/{ls_office.pk}", {"unit_id": unit("Tỉnh Sơn La").pk}),
        "unit_id",
        "Select a valid choice",
    )


def test_api_edits_have_bounded_queries(api, mai_seat, ls_office, bang_tuong, django_assert_max_num_queries):
    call = api("vanphong.ls")
    call("get", "/committees")  # session and scope cache warm-up
    customs = Agency.objects.get(name="Chi cục Hải quan cửa khẩu Tân Thanh")
    successor = Agency.objects.get(name="Chi cục Hải quan khu vực VI")
    requests = [
        ("post", f"/memberships/{mai_seat.pk}/end", {"valid_to": "2026-06-30", "reason": "Nghỉ hưu"}),
        ("post", f"/agencies/{ls_office.pk}/rename", {"name": "Tên mới", "valid_from": "2026-03-01"}),
        (
            "patch",
            f"/agencies/{ls_office.pk}",
            {"short_name": "SNgV", "kind": ls_office.kind.code, "unit_id": ls_office.unit_id},
        ),
        ("post", f"/agencies/{customs.pk}/close", {"valid_to": "2026-06-30", "successor_id": successor.pk}),
        ("patch", f"/counterparts/{bang_tuong.pk}", {"notes": "Ghi chú", "version": bang_tuong.version}),
    ]
    for method, path, payload in requests:
        # 17–30 measured: mostly the user's scope (units, successions, agencies) and the change log's savepoints;
        # +1: the `api` helper reads the current version for a payload that does not name one; +5: an agency
        # change bumps the scope generation (accounts.signals), so the next request computes the scope afresh;
        # +1: a logged write bumps its application's data generation once per transaction (core.generation).
        with django_assert_max_num_queries(43):
            r = call(method, path, payload)
        assert r.status_code == 200, (path, r.content)
