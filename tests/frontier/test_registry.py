"""The shared registry machinery on frontier registries: pages, bounded queries, import/export."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.core.changelog import snapshot
from borderdesk.core.models import ChangeLogEntry
from borderdesk.core.registry import tabular
from borderdesk.frontier.models import Incident, Marker, Patrol
from borderdesk.frontier.registries import ALL, markers, patrols

from .conftest import aware

pytestmark = pytest.mark.django_db

SLUGS = [r.slug for r in ALL]


@pytest.mark.parametrize("slug", SLUGS)
def test_list_detail_form_pages(client, users, world, slug):
    client.force_login(users["vanphong.ls"])
    for url in (
        f"/bien-gioi/{slug}/",
        f"/bien-gioi/{slug}/them/",
        f"/bien-gioi/{slug}/nhap/",
        f"/bien-gioi/{slug}/xuat/",
        f"/bien-gioi/{slug}/xuat/?dinh_dang=xlsx",
        f"/bien-gioi/{slug}/?q=x&ky=2025&page=2",
    ):
        assert client.get(url).status_code == 200, url
    reg = next(r for r in ALL if r.slug == slug)
    obj = reg.queryset(users["vanphong.ls"]).first()
    if obj is not None:
        assert client.get(f"/bien-gioi/{slug}/{obj.pk}/").status_code == 200
        assert client.get(f"/bien-gioi/{slug}/{obj.pk}/sua/").status_code == 200


def test_viewer_cannot_open_forms(client, users, world):
    client.force_login(users["lanhdao.ls"])
    assert client.get("/bien-gioi/moc/").status_code == 200
    assert client.get("/bien-gioi/moc/them/").status_code == 404
    assert client.get("/bien-gioi/moc/nhap/").status_code == 404


def test_other_province_detail_is_404(client, users, world):
    client.force_login(users["vanphong.ls"])
    assert client.get(f"/bien-gioi/moc/{world['markers']['SL1'].pk}/").status_code == 404


@pytest.mark.parametrize("slug", SLUGS)
def test_list_queries_are_bounded(client, users, world, slug):
    client.force_login(users["vanphong.ls"])
    client.get(f"/bien-gioi/{slug}/")  # warm caches (content types, sessions)
    counts = []
    for size in (5, 500):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/bien-gioi/{slug}/?page_size={size}").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def _export(reg, user):
    return tabular.write_csv(tabular.export_rows(reg.filter(reg.queryset(user), {}), reg.form_class))


@pytest.mark.parametrize("reg", ALL, ids=SLUGS)
def test_csv_export_reimports_unchanged(users, world, reg, save, station):
    user = users["vanphong.ls"]
    from borderdesk.frontier import forms

    save(
        forms.PatrolForm,
        {
            "kind": "bilateral",
            "started_at": "2025-02-01 08:00",
            "ended_at": "2025-02-01 17:00",
            "agency": station.pk,
            "counterpart_unit": "Trạm Hữu Nghị Quan",
            "participants": 8,
            "km": "12,345",
            "from_marker": world["markers"]["T900"].pk,
            "minutes_signed": "on",
        },
    )
    before = [snapshot(o) for o in reg.queryset(user).order_by("pk")]
    log_before = ChangeLogEntry.objects.count()
    data = _export(reg, user)
    result = reg.run_import(user=user, uploaded=SimpleUploadedFile("x.csv", data))
    assert result.ok, result.errors
    assert result.created == 0 and result.updated == 0 and result.unchanged == len(before)
    assert [snapshot(o) for o in reg.queryset(user).order_by("pk")] == before
    assert ChangeLogEntry.objects.count() == log_before
    assert _export(reg, user) == data


def test_xlsx_round_trip_and_update_by_id(users, world):
    user = users["vanphong.ls"]
    rows = list(tabular.export_rows(markers.queryset(user).filter(number="T901"), markers.form_class))
    idx = rows[0].index("Ghi chú")
    rows[1][idx] = "Ghi chú mới"
    body = tabular.write_xlsx(rows)
    result = markers.run_import(user=user, uploaded=SimpleUploadedFile("m.xlsx", body))
    assert result.ok and result.updated == 1, result.errors
    assert Marker.objects.get(number="T901").notes == "Ghi chú mới"


def _csv(text):
    return SimpleUploadedFile("p.csv", text.encode("utf-8"))


def test_import_is_all_or_nothing_with_row_errors(users, world, station):
    user = users["vanphong.ls"]
    sl_marker = world["markers"]["SL1"].pk
    text = (
        "kind,started_at,ended_at,agency,participants,km,from_marker,counterpart_unit\n"
        f'unilateral,2025-03-01 08:00,2025-03-01 12:00,{station.pk},6,"4,5",,\n'  # good
        f"unilateral,2025-03-02 08:00,2025-03-01 12:00,{station.pk},6,1,,\n"  # end before start
        f"unilateral,2025-03-03 08:00,,{station.pk},-4,1,,\n"  # negative count
        f"unilateral,2025-03-04 08:00,,{station.pk},3,1,{sl_marker},\n"  # marker of Sơn La
        f"bilateral,2025-03-05 08:00,,{station.pk},3,1,,\n"  # bilateral w/o counterpart
    )
    n = Patrol.objects.count()
    result = patrols.run_import(user=user, uploaded=_csv(text))
    assert not result.ok
    by_row = {(e.row, e.field) for e in result.errors}
    assert {(3, "ended_at"), (4, "participants"), (5, "from_marker"), (6, "counterpart_unit")} <= by_row
    assert 2 not in {e.row for e in result.errors}
    assert Patrol.objects.count() == n


def test_import_bad_coordinates_and_duplicates(users, world):
    user = users["vanphong.ls"]
    sec = world["section"].pk
    text = (
        "number,kind,arrangement,section,latitude,longitude\n"
        f"N1,main,single,{sec},35.0,106.0\n"
        f"N2,main,single,{sec},21.0,95.0\n"
        f"T900,main,single,{sec},,\n"
        f"N3,main,single,{sec},,\n"
        f"N3,main,single,{sec},,\n"
    )
    n = Marker.objects.count()
    result = markers.run_import(user=user, uploaded=_csv(text))
    fields = {(e.row, e.field) for e in result.errors}
    assert {(2, "latitude"), (3, "longitude"), (4, "number"), (6, "number")} <= fields, result.errors
    assert "Việt Nam" in next(e.message for e in result.errors if e.field == "latitude")
    assert Marker.objects.count() == n


def test_import_unknown_id_and_columns(users, world):
    user = users["vanphong.ls"]
    r = markers.run_import(user=user, uploaded=_csv(f"id,number\n{world['markers']['SL1'].pk},X\n"))
    assert r.errors and r.errors[0].field == "id"  # another province's marker: not found
    with pytest.raises(tabular.ImportRejected):
        markers.run_import(user=user, uploaded=_csv("so_hieu\n1\n"))


class _Huge:
    name = "big.csv"
    size = 2 * 1024**3

    def read(self, *a):
        raise AssertionError("must not be read")


def test_two_gigabyte_file_rejected_before_reading(users, world):
    with pytest.raises(tabular.ImportRejected) as e:
        markers.run_import(user=users["vanphong.ls"], uploaded=_Huge())
    assert "quá lớn" in str(e.value.message)


def test_import_page_rejects_by_content_length(client, users, world):
    client.force_login(users["vanphong.ls"])
    r = client.post("/bien-gioi/moc/nhap/", data={}, CONTENT_LENGTH=str(2 * 1024**3))
    assert r.status_code == 400 and "quá lớn" in r.content.decode()


def test_import_page_shows_row_errors(client, users, world):
    client.force_login(users["vanphong.ls"])
    f = io.BytesIO(
        f"number,kind,arrangement,section,latitude,longitude\nZ1,main,single,{world['section'].pk},40,106\n".encode()
    )
    f.name = "m.csv"
    r = client.post("/bien-gioi/moc/nhap/", {"file": f})
    body = r.content.decode()
    assert r.status_code == 400 and "latitude" in body and "không dòng nào được lưu" in body


def test_garbage_xlsx_is_a_clean_error(client, users, world):
    client.force_login(users["vanphong.ls"])
    f = io.BytesIO(b"not a zip")
    f.name = "m.xlsx"
    r = client.post("/bien-gioi/moc/nhap/", {"file": f})
    assert r.status_code == 400 and "Không đọc được tệp" in r.content.decode()


def test_create_via_page_and_edit_conflict(client, users, world):
    client.force_login(users["vanphong.ls"])
    r = client.post(
        "/bien-gioi/vu-viec/them/",
        {
            "title": "Phát hiện 2 người vượt biên",
            "category": 1,
            "occurred_at": "2025-04-02T06:30",
            "marker": world["markers"]["T900"].pk,
            "persons_involved": 2,
            "vehicles_involved": 0,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    inc = Incident.objects.get(title="Phát hiện 2 người vượt biên")
    assert inc.occurred_at == aware(2025, 4, 2, 6).replace(minute=30)
    r = client.post(
        f"/bien-gioi/vu-viec/{inc.pk}/sua/",
        {
            "title": "Sửa",
            "category": 1,
            "_version": 99,
            "occurred_at": "2025-04-02T06:30",
            "section": world["section"].pk,
            "persons_involved": 2,
            "vehicles_involved": 0,
        },
    )
    assert r.status_code == 400 and "người khác cập nhật" in r.content.decode()
