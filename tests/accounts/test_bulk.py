"""Accounts for every border commune and station of a province from a spreadsheet: all or nothing."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from borderdesk.accounts.bulk import COLUMNS, ascii_slug
from borderdesk.accounts.models import User
from borderdesk.core.models import ChangeLogEntry
from borderdesk.org.models import AdministrativeUnit
from tests.spreadsheets import xlsx_upload

pytestmark = pytest.mark.django_db
HEADERS = [h for _k, h in COLUMNS]


def _province(name="Tỉnh Lạng Sơn"):
    return AdministrativeUnit.objects.get(name=name)


def _xlsx(rows):
    return xlsx_upload(rows, "tai-khoan.xlsx")


def _template(c, province=None, fmt="xlsx"):
    r = c.get(f"/tai-khoan/nguoi-dung/tao-hang-loat/mau/?don_vi={(province or _province()).pk}&dinh_dang={fmt}")
    assert r.status_code == 200
    if fmt == "csv":
        return r.content.decode("utf-8-sig")
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_slug_folds_vietnamese_names():
    assert ascii_slug("Xã Đồng Đăng") == "dongdang"
    assert ascii_slug("Đồn Biên phòng Cửa khẩu Chi Ma") == "cuakhauchima"


def test_template_lists_border_communes_and_stations_with_vietnamese_headers(login, users):
    c = login(users["vanphong.ls"])
    rows = _template(c)
    assert rows[0] == HEADERS
    names = {r[5] for r in rows[1:]} | {r[6] for r in rows[1:]}
    assert {"Xã Đồng Đăng", "Xã Quốc Khánh", "Đồn Biên phòng Cửa khẩu Chi Ma"} <= names
    assert not any("Sơn La" in (n or "") for n in names)
    border = (
        AdministrativeUnit.objects.valid_on(dt.date.today())
        .filter(path__startswith=_province().path, kind__in=("commune", "ward", "town"), is_border=True)
        .count()
    )
    assert sum(1 for r in rows[1:] if r[5]) == border
    usernames = [r[0] for r in rows[1:]]
    assert len(set(usernames)) == len(usernames) and "baocao.dongdang" not in usernames  # taken: suffixed
    assert "Tên đăng nhập" in _template(c, fmt="csv").splitlines()[0]
    # Another province's template: not found.
    assert c.get(f"/tai-khoan/nguoi-dung/tao-hang-loat/mau/?don_vi={_province('Tỉnh Sơn La').pk}").status_code == 404


def test_the_template_uploaded_back_creates_every_account(login, users):
    c = login(users["vanphong.ls"])
    rows = _template(c)
    r = c.post("/tai-khoan/nguoi-dung/tao-hang-loat/", {"file": _xlsx(rows)})
    assert r.status_code == 302, r.content.decode()[-3000:]
    created = User.objects.filter(username__in=[r[0] for r in rows[1:]])
    assert created.count() == len(rows) - 1
    assert all(u.must_change_password for u in created)
    station = created.get(display_name="Đồn Biên phòng Cửa khẩu Chi Ma")
    assert station.role_assignments.get().agency.name == "Đồn Biên phòng Cửa khẩu Chi Ma"
    page = c.get("/tai-khoan/nguoi-dung/").content.decode()
    assert page.count("data-password-for=") == len(rows) - 1
    assert (
        ChangeLogEntry.objects.filter(
            content_type__model="user", object_id__in=[str(u.pk) for u in created], action="create"
        ).count()
        == len(rows) - 1
    )


def test_one_bad_row_creates_nothing_and_names_the_row_and_value(login, users):
    c = login(users["vanphong.ls"])
    rows = [
        HEADERS,
        ["baocao.moi1", "Xã Đồng Đăng", "", "Cán bộ báo cáo", "", "Xã Đồng Đăng", "", "01/01/2026", "", ""],
        ["baocao.moi2", "", "", "Thủ trưởng", "", "Xã Quốc Khánh", "", "32/01/2026", "", ""],
        ["baocao.moi3", "", "", "Cán bộ báo cáo", "", "Xã Không Có", "", "", "", ""],
        ["baocao.moi4", "", "", "Cán bộ báo cáo", "", "Xã Mường Lèo", "", "", "", ""],
        ["baocao.moi1", "", "", "reporter", "", "Xã Đồng Đăng", "", "", "", ""],
    ]
    before = User.objects.count()
    r = c.post("/tai-khoan/nguoi-dung/tao-hang-loat/", {"file": _xlsx(rows)})
    assert r.status_code == 400
    text = r.content.decode()
    assert "Dòng 3: vai trò “Thủ trưởng” không hợp lệ" in text and "Cán bộ báo cáo" in text
    assert "Dòng 3: ngày “32/01/2026”" in text
    assert "Dòng 4: Không tìm thấy đơn vị hành chính “Xã Không Có”" in text
    assert "trùng với dòng 2" in text
    assert User.objects.count() == before
    # Only the out-of-province row left: still nothing, and it says which row and value.
    r = c.post("/api/accounts/users/bulk", {"file": _xlsx([rows[0], rows[1], rows[4]])})
    assert r.status_code == 400, r.content
    errors = r.json()["errors"]
    assert [e["row"] for e in errors] == [3] and "Xã Mường Lèo" in errors[0]["message"]
    assert User.objects.count() == before


def test_csv_upload_through_the_api(login, users):
    c = login(users["vanphong.ls"])
    csv_text = ",".join(HEADERS) + "\n" + "baocao.csv1,,,Cán bộ báo cáo,,Xã Quốc Khánh,,,,\n"
    r = c.post("/api/accounts/users/bulk", {"file": SimpleUploadedFile("tk.csv", csv_text.encode("utf-8-sig"))})
    assert r.status_code == 201, r.content
    assert r.json()["created"][0]["username"] == "baocao.csv1"
    r = c.post("/api/accounts/users/bulk", {"file": SimpleUploadedFile("tk.csv", b"a,b\n1,2\n")})
    assert r.status_code == 400 and "Tên đăng nhập" in r.json()["message"]
