"""Accounts run by the standing office: create, edit, roles, deactivate, reset; scope (404) and escalation."""

import datetime as dt
import json

import pytest
from django.http import HttpRequest

from borderdesk.accounts import services
from borderdesk.accounts.choices import Role
from borderdesk.accounts.models import RoleAssignment, User
from borderdesk.core.models import ChangeLogEntry
from borderdesk.org.models import AdministrativeUnit, Agency

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _unit(name):
    return AdministrativeUnit.objects.valid_on(TODAY).get(name=name)


def _new_user_post(**over):
    data = {
        "username": "baocao.baso",
        "display_name": "Cán bộ xã Ba Sơn",
        "email": "",
        "language": "vi",
        "role": "reporter",
        "unit": _unit("Xã Ba Sơn").pk,
        "agency": "",
        "valid_from": "01/01/2026",
        "valid_to": "",
        "reason": "Quyết định 1/QĐ",
    }
    data.update(over)
    return data


def test_office_creates_an_account_on_the_page_with_a_temporary_password(login, users):
    c = login(users["vanphong.ls"])
    r = c.post("/tai-khoan/nguoi-dung/tao/", _new_user_post())
    assert r.status_code == 302, r.content.decode()[:2000]
    account = User.objects.get(username="baocao.baso")
    assert account.must_change_password and account.home_unit == _unit("Xã Ba Sơn")
    a = account.role_assignments.get()
    assert (a.role, a.unit.name, a.valid_from) == ("reporter", "Xã Ba Sơn", dt.date(2026, 1, 1))
    page = c.get(r["Location"]).content.decode()
    assert "Mật khẩu tạm" in page and "baocao.baso" in page
    assert "Mật khẩu tạm" not in c.get(r["Location"]).content.decode()  # shown once
    logged = ChangeLogEntry.objects.filter(object_id=str(account.pk), content_type__model="user").get()
    assert logged.action == "create" and "password" not in logged.after and logged.user_repr == "vanphong.ls"
    assert ChangeLogEntry.objects.filter(content_type__model="roleassignment", object_id=str(a.pk)).exists()


def test_bad_input_names_the_field_and_saves_nothing(login, users):
    c = login(users["vanphong.ls"])
    r = c.post("/tai-khoan/nguoi-dung/tao/", _new_user_post(username="bao cao", valid_from="31/02/2026"))
    assert r.status_code == 200
    assert not User.objects.filter(username__in=["bao cao", "baocao.baso"]).exists()
    r = c.post("/tai-khoan/nguoi-dung/tao/", _new_user_post(username="baocao.dongdang"))
    assert "đã có người dùng" in r.content.decode()
    assert User.objects.filter(username="baocao.dongdang").count() == 1


def test_office_never_sees_accounts_outside_its_province(login, users):
    c = login(users["vanphong.ls"])
    listed = c.get("/tai-khoan/nguoi-dung/").content.decode()
    assert "baocao.dongdang" in listed and "vanphong.sl" not in listed and ">admin<" not in listed
    sl, admin = users["vanphong.sl"], users["admin"]
    for pk in (sl.pk, admin.pk):
        assert c.get(f"/tai-khoan/nguoi-dung/{pk}/").status_code == 404
        assert c.post(f"/tai-khoan/nguoi-dung/{pk}/dat-lai-mat-khau/").status_code == 404
        assert c.post(f"/tai-khoan/nguoi-dung/{pk}/khoa/", {"active": "0"}).status_code == 404
        assert c.get(f"/api/accounts/users/{pk}").status_code == 404
        assert (
            c.patch(
                f"/api/accounts/users/{pk}", json.dumps({"is_active": False}), content_type="application/json"
            ).status_code
            == 404
        )
        assert c.post(f"/api/accounts/users/{pk}/reset-password").status_code == 404
    sl.refresh_from_db()
    assert sl.is_active and not sl.must_change_password
    ids = {row["username"] for row in c.get("/api/accounts/users?page_size=500").json()["items"]}
    assert "baocao.dongdang" in ids and "vanphong.sl" not in ids and "admin" not in ids
    role_sl = sl.role_assignments.first()
    assert c.post(f"/tai-khoan/vai-tro/{role_sl.pk}/ket-thuc/").status_code == 404
    assert c.post(f"/api/accounts/roles/{role_sl.pk}/end", "{}", content_type="application/json").status_code == 404


def test_reporter_manages_no_accounts(login, users):
    c = login(users["baocao.dongdang"])
    assert c.get("/tai-khoan/nguoi-dung/").status_code == 403
    r = c.post(
        "/api/accounts/users",
        json.dumps({"username": "x.y.z", "role": "reporter", "unit": _unit("Xã Đồng Đăng").pk}),
        content_type="application/json",
    )
    assert r.status_code == 403 and not User.objects.filter(username="x.y.z").exists()


ESCALATIONS = [
    # (what, payload changes, status)
    ("administrator role", {"role": "admin"}, 403),
    ("a unit of another province", {"unit": "Tỉnh Sơn La"}, 404),
    ("a commune of another province", {"unit": "Xã Mường Lèo"}, 404),
    ("an agency of another province", {"unit": None, "agency": "Sở Ngoại vụ tỉnh Sơn La"}, 404),
    ("an unknown role", {"role": "superuser"}, 400),
]


@pytest.mark.parametrize(("what", "change", "status"), ESCALATIONS, ids=[e[0] for e in ESCALATIONS])
def test_escalation_through_the_api_is_refused(login, users, what, change, status):
    c = login(users["vanphong.ls"])
    payload = {"username": "leo.thang", "role": "standing_office", "unit": _unit("Tỉnh Lạng Sơn").pk}
    for k, v in change.items():
        if k == "unit":
            payload[k] = _unit(v).pk if v else None
        elif k == "agency":
            payload[k] = Agency.objects.get(name=v).pk
        else:
            payload[k] = v
    r = c.post("/api/accounts/users", json.dumps(payload), content_type="application/json")
    assert r.status_code == status, r.content
    assert not User.objects.filter(username="leo.thang").exists()
    # The same grant as an extra role of an account the office manages.
    target = users["baocao.dongdang"]
    payload.pop("username")
    r = c.post(f"/api/accounts/users/{target.pk}/roles", json.dumps(payload), content_type="application/json")
    assert r.status_code == status
    assert target.role_assignments.count() == 1


def test_escalation_through_the_page_is_refused(login, users):
    c = login(users["vanphong.ls"])
    target = users["baocao.dongdang"]
    before = RoleAssignment.objects.count()
    r = c.post(f"/tai-khoan/nguoi-dung/{target.pk}/vai-tro/", {"role": "admin", "unit": _unit("Tỉnh Lạng Sơn").pk})
    assert r.status_code == 400  # the role is not even offered
    r = c.post(f"/tai-khoan/nguoi-dung/{target.pk}/vai-tro/", {"role": "approver", "unit": _unit("Tỉnh Sơn La").pk})
    assert r.status_code == 400 and "Tỉnh Sơn La" not in r.content.decode().split("id_unit")[1].split("</select>")[0]
    r = c.post("/tai-khoan/nguoi-dung/tao/", _new_user_post(role="admin"))
    assert r.status_code == 200 and not User.objects.filter(username="baocao.baso").exists()
    assert RoleAssignment.objects.count() == before
    form = c.get("/tai-khoan/nguoi-dung/tao/").content.decode()
    assert 'value="admin"' not in form and "Tỉnh Sơn La" not in form


def test_a_grant_never_outlasts_the_grantors_own_role(users):
    office = users["vanphong.ls"]
    a = office.role_assignments.get()
    a.valid_to = TODAY + dt.timedelta(days=30)
    a.save()
    office.clear_scope_cache()
    from borderdesk.core.errors import PermissionDeniedError

    for valid_to in (None, TODAY + dt.timedelta(days=31)):
        with pytest.raises(PermissionDeniedError):
            services.user_create(
                user=office, username="tam.thoi", role=Role.REPORTER, unit=_unit("Xã Ba Sơn"), valid_to=valid_to
            )
    account, _pw = services.user_create(
        user=office,
        username="tam.thoi",
        role=Role.REPORTER,
        unit=_unit("Xã Ba Sơn"),
        valid_to=TODAY + dt.timedelta(days=30),
    )
    assert account.role_assignments.get().valid_to == TODAY + dt.timedelta(days=30)


def test_reset_forces_a_password_change_at_next_login(client, login, users):
    office = login(users["vanphong.ls"])
    target = users["baocao.dongdang"]
    r = office.post(f"/api/accounts/users/{target.pk}/reset-password")
    assert r.status_code == 200
    temp = r.json()["temporary_password"]
    office.logout()
    assert client.login(request=HttpRequest(), username="baocao.dongdang", password=temp)  # axes wants a request
    r = client.get("/bao-cao/")
    assert r.status_code == 302 and r["Location"].startswith("/tai-khoan/doi-mat-khau/")
    assert client.get("/api/reporting/submissions").status_code == 403
    r = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": temp, "new_password": "12345678901", "new_password2": "12345678901"},
    )
    assert r.status_code == 200 and "toàn chữ số" in r.content.decode()  # Django's validators, in Vietnamese
    r = client.post(
        "/tai-khoan/doi-mat-khau/?next=/bao-cao/",
        {
            "old_password": temp,
            "new_password": "Bien-gioi-2026",
            "new_password2": "Bien-gioi-2026",
            "next": "/bao-cao/",
        },
    )
    assert r.status_code == 302 and r["Location"] == "/bao-cao/"
    assert client.get("/bao-cao/").status_code == 200
    target.refresh_from_db()
    assert not target.must_change_password and target.check_password("Bien-gioi-2026")
    actions = set(
        ChangeLogEntry.objects.filter(content_type__model="user", object_id=str(target.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"reset_password", "change_password"} <= actions


def test_change_own_password_through_the_api(client, users):
    user = users["lanhdao.ls"]
    client.force_login(user)
    r = client.post(
        "/api/accounts/me/password",
        json.dumps({"old_password": "sai", "new_password": "Bien-gioi-2026"}),
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["fields"]["old_password"]
    r = client.post(
        "/api/accounts/me/password",
        json.dumps({"old_password": "borderdesk-demo", "new_password": "Bien-gioi-2026"}),
        content_type="application/json",
    )
    assert r.status_code == 204
    user.refresh_from_db()
    assert user.check_password("Bien-gioi-2026")


def test_deactivate_edit_and_end_a_role(login, users, client):
    c = login(users["vanphong.ls"])
    target = users["baocao.quockhanh"]
    r = c.patch(
        f"/api/accounts/users/{target.pk}",
        json.dumps({"display_name": "Xã Quốc Khánh", "language": "en"}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["display_name"] == "Xã Quốc Khánh"
    r = c.patch(f"/api/accounts/users/{target.pk}", json.dumps({"language": "fr"}), content_type="application/json")
    assert r.status_code == 400
    assert c.post(f"/tai-khoan/nguoi-dung/{target.pk}/khoa/", {"active": "0", "reason": "nghỉ việc"}).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    c.logout()
    assert not client.login(request=HttpRequest(), username="baocao.quockhanh", password="borderdesk-demo")
    c = login(users["vanphong.ls"])
    role = target.role_assignments.get()
    assert c.post(f"/tai-khoan/vai-tro/{role.pk}/ket-thuc/").status_code == 302
    role.refresh_from_db()
    assert role.valid_to == TODAY - dt.timedelta(days=1)
    # Still listed for the office (its ended role lies in the province), with the end shown.
    assert "baocao.quockhanh" in c.get("/tai-khoan/nguoi-dung/?hoat_dong=0").content.decode()
    assert c.post(f"/tai-khoan/nguoi-dung/{users['vanphong.ls'].pk}/khoa/", {"active": "0"}).status_code == 302
    assert User.objects.get(username="vanphong.ls").is_active  # never locks oneself out


def test_admin_grants_the_standing_office_of_a_province(login, users):
    c = login(users["admin"])
    r = c.post(
        "/api/accounts/users",
        json.dumps(
            {
                "username": "vanphong2.ls",
                "role": "standing_office",
                "unit": _unit("Tỉnh Lạng Sơn").pk,
                "agency": Agency.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn").pk,
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["user"]["must_change_password"] and len(body["temporary_password"]) >= 10
    assert body["user"]["roles"][0]["role"] == "standing_office"


def test_user_list_queries_are_bounded(login, users, django_assert_max_num_queries):
    c = login(users["admin"])
    with django_assert_max_num_queries(14):
        assert c.get("/tai-khoan/nguoi-dung/").status_code == 200
    with django_assert_max_num_queries(10):
        assert c.get("/api/accounts/users").status_code == 200


def test_a_reset_account_cannot_use_its_api_token_until_the_password_is_changed(client, login, users):
    from borderdesk.accounts.models import ApiToken

    target = users["baocao.dongdang"]
    _token, key = ApiToken.issue(user=target, name="script")
    assert client.get("/api/reporting/submissions", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    services.password_reset(user=users["vanphong.ls"], account=target)
    r = client.get("/api/reporting/submissions", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 401 and "đổi mật khẩu" in r.json()["message"]


def test_bulk_unit_falls_back_to_the_name_when_the_code_lost_its_zeros(users):
    from borderdesk.accounts.bulk import parse_rows

    dd = _unit("Xã Đồng Đăng")
    parsed, errors = parse_rows(
        [
            {
                "Tên đăng nhập": "x.dd",
                "Vai trò": "Cán bộ báo cáo",
                "Mã đơn vị hành chính": dd.code.lstrip("0") + "999",
                "Đơn vị hành chính": dd.name,
            }
        ]
    )
    assert not errors and parsed[0][1]["unit"] == dd
