"""Roles × objects × actions on frontier pages: missing and forbidden both 404."""

import pytest

pytestmark = pytest.mark.django_db

# user -> (sees Lạng Sơn marker, may open its edit form, sees Sơn La marker)
TABLE = {
    "admin": (200, 200, 200),
    "vanphong.ls": (200, 200, 404),
    "vanphong.sl": (404, 404, 200),
    "duyet.ls": (200, 404, 404),  # approver: view, no change
    "lanhdao.ls": (200, 404, 404),  # viewer
    "kiemtra.ls": (200, 404, 404),  # auditor
    "baocao.quockhanh": (404, 404, 404),  # another commune
    "baocao.huunghi": (200, 200, 404),  # the station responsible for the marker
}


@pytest.mark.parametrize("username", sorted(TABLE))
def test_marker_scope_table(client, users, world, username):
    view_ls, edit_ls, view_sl = TABLE[username]
    client.force_login(users[username])
    m = world["markers"]["T900"].pk
    assert client.get(f"/bien-gioi/moc/{m}/").status_code == view_ls
    assert client.get(f"/bien-gioi/moc/{m}/sua/").status_code == edit_ls
    assert client.get(f"/bien-gioi/moc/{world['markers']['SL1'].pk}/").status_code == view_sl
    assert client.get(f"/api/frontier/markers/{m}").status_code == view_ls
