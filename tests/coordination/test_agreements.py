"""Coordination agreements (quy chế phối hợp) as a registry: list with filters and search, detail,
create/edit form with validation, CSV/XLSX import (update by id, all-or-nothing, per-row errors), an
export that re-imports unchanged, API (bounded queries, 4xx never 500), delete, change log, scope."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from borderdesk.coordination.models import Agreement
from borderdesk.coordination.registries import AgreementForm, agreement_save, agreements
from borderdesk.core.changelog import snapshot
from borderdesk.core.models import ChangeLogEntry
from borderdesk.core.registry import tabular
from borderdesk.org.models import AdministrativeUnit, Agency

pytestmark = pytest.mark.django_db


def _ls():
    return AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn", kind="province")


def _agencies(n=2):
    return list(Agency.objects.filter(unit__path__startswith=_ls().path, valid_to__isnull=True).order_by("pk")[:n])


def _data(**over):
    a, b = _agencies()
    return {
        "unit": _ls().pk,
        "title": "Quy chế phối hợp giữa BĐBP tỉnh và Công an tỉnh",
        "year": 2026,
        "parties": [a.pk, b.pk],
        "signed_on": "2026-01-15",
        "summary": "Trao đổi thông tin",
        **over,
    }


def _create(user, **over):
    form = AgreementForm(data=_data(**over), user=user)
    assert form.is_valid(), form.errors
    return agreement_save(user=user, form=form)[0]


def test_pages_list_filters_search_detail(client, users):
    client.force_login(users["vanphong.ls"])
    r = client.get("/hoi-nghi/quy-che/")
    body = r.content.decode()
    assert r.status_code == 200 and "năm 2023" in body and "Thêm mới" in body
    a2024 = Agreement.objects.get(year=2024)
    assert reverse("coordination:agreements") == "/hoi-nghi/quy-che/"
    r = client.get("/hoi-nghi/quy-che/", {"nam": "2024"})
    assert a2024.title in r.content.decode() and "năm 2023" not in r.content.decode()
    r = client.get("/hoi-nghi/quy-che/", {"q": "lãnh đạo, chỉ đạo"})
    assert r.context["page"].paginator.count == 1
    party = a2024.parties.first()
    assert client.get("/hoi-nghi/quy-che/", {"ben": party.pk}).context["page"].paginator.count == 2
    for bad in ({"nam": "abc"}, {"ben": "x"}, {"tu_ngay": "31/02/2024"}, {"nam": "99999999999"}):
        r = client.get("/hoi-nghi/quy-che/", bad)  # refused with a message saying what to fix, never a 500
        assert r.status_code == 400 and r.context["list_error"] and r.context["page"].paginator.count == 0, bad
    detail = client.get(f"/hoi-nghi/quy-che/{a2024.pk}/").content.decode()
    assert "Huyện ủy Cao Lộc" in detail and "22/01/2024" in detail


def test_list_page_and_api_queries_are_bounded(client, users):
    u = users["vanphong.ls"]
    for i in range(6):
        _create(u, title=f"Quy chế {i}", year=2020 + i)
    client.force_login(u)
    counts = []
    for size in (2, 500):
        with CaptureQueriesContext(connection) as page:
            assert client.get(f"/hoi-nghi/quy-che/?page_size={size}").status_code == 200
        with CaptureQueriesContext(connection) as api:
            r = client.get(f"/api/coordination/agreements?page_size={size}")
            assert r.status_code == 200
        counts.append((len(page), len(api)))
    assert counts[0] == counts[1], counts
    item = next(i for i in r.json()["items"] if i["title"] == "Quy chế 0")
    assert len(item["parties"]) == 2 and item["party_ids"] == item["parties"] and item["version"] == 1


def test_create_from_the_page_is_logged_and_edit_checks_the_version(client, users):
    client.force_login(users["vanphong.ls"])
    r = client.post("/hoi-nghi/quy-che/them/", _data())
    assert r.status_code == 302, r.content.decode()[:2000]
    a = Agreement.objects.get(title=_data()["title"])
    assert a.parties.count() == 2
    assert ChangeLogEntry.objects.filter(content_type__model="agreement", object_id=str(a.pk), action="create").exists()
    r = client.post(f"/hoi-nghi/quy-che/{a.pk}/sua/", _data(summary="Sửa nội dung", _version=a.version))
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.summary == "Sửa nội dung" and a.version == 2
    r = client.post(f"/hoi-nghi/quy-che/{a.pk}/sua/", _data(summary="Bản cũ", _version=1))
    assert r.status_code == 409 or (r.status_code == 400 and "phiên bản" in r.content.decode().lower())
    a.refresh_from_db()
    assert a.summary == "Sửa nội dung"


@pytest.mark.parametrize(
    "over,field",
    [
        ({"parties": []}, "parties"),
        ({"review_date": "2025-12-31"}, "review_date"),  # reviewed before it was signed
        ({"year": "-1"}, "year"),
        ({"year": "1800"}, "year"),
        ({"signed_on": "2026-02-30"}, "signed_on"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(client, users, over, field):
    client.force_login(users["vanphong.ls"])
    n = Agreement.objects.count()
    data = _data(**over)
    if over.get("parties") == []:
        data["parties"] = [_agencies()[0].pk]  # one party only
    r = client.post("/hoi-nghi/quy-che/them/", data)
    assert r.status_code == 400 and field in r.context["form"].errors, (r.status_code, r.context["form"].errors)
    assert Agreement.objects.count() == n


def test_previous_and_conferences_must_fit(users):
    u = users["vanphong.ls"]
    a2024 = Agreement.objects.get(year=2024)
    form = AgreementForm(data=_data(year=2023, previous=a2024.pk), user=u)
    assert not form.is_valid() and "previous" in form.errors
    form = AgreementForm(data=_data(previous=a2024.pk, review_conference=a2024.signing_conference.pk), user=u)
    assert form.is_valid(), form.errors


def test_other_province_cannot_see_or_write(client, users):
    a2024 = Agreement.objects.get(year=2024)
    client.force_login(users["vanphong.sl"])
    assert client.get(f"/hoi-nghi/quy-che/{a2024.pk}/").status_code == 404
    assert client.get(f"/api/coordination/agreements/{a2024.pk}").status_code == 404
    assert a2024.title not in client.get("/hoi-nghi/quy-che/").content.decode()
    # Lạng Sơn is not a choice for Sơn La's standing office.
    r = client.post("/api/coordination/agreements", _data(), content_type="application/json")
    assert r.status_code == 400 and "unit" in r.json()["fields"]
    client.force_login(users["lanhdao.ls"])  # read-only
    assert client.get("/hoi-nghi/quy-che/them/").status_code == 404
    assert client.delete(f"/api/coordination/agreements/{a2024.pk}").status_code == 404


def test_csv_export_reimports_unchanged(client, users):
    u = users["vanphong.ls"]
    _create(u)
    client.force_login(u)
    qs = agreements.queryset(u).order_by("pk")
    before = [(snapshot(o), sorted(o.parties.values_list("pk", flat=True))) for o in qs]
    body = client.get("/hoi-nghi/quy-che/xuat/").content
    result = agreements.run_import(user=u, uploaded=SimpleUploadedFile("quy-che.csv", body))
    assert result.ok and result.unchanged == len(before) == 3 and result.created == result.updated == 0
    after = [(snapshot(o), sorted(o.parties.values_list("pk", flat=True))) for o in qs.all()]
    assert after == before
    # The same through the XLSX export and the import page.
    xlsx = client.get("/hoi-nghi/quy-che/xuat/?dinh_dang=xlsx").content
    r = client.post("/hoi-nghi/quy-che/nhap/", {"file": SimpleUploadedFile("q.xlsx", xlsx)})
    assert r.status_code == 200 and r.context["result"].unchanged == 3
    assert [(snapshot(o), sorted(o.parties.values_list("pk", flat=True))) for o in qs.all()] == before


def test_import_updates_by_id_all_or_nothing_with_row_errors(users):
    u = users["vanphong.ls"]
    a = _create(u)
    rows = list(tabular.export_rows(Agreement.objects.filter(pk=a.pk), AgreementForm))
    # The export's headers are Vietnamese labels; the import also reads the technical names used here.
    header, row = tabular.technical_header(rows[0], AgreementForm), [str(v) for v in rows[1]]
    col = {name: i for i, name in enumerate(header)}
    good = list(row)
    good[col["summary"]] = "Cập nhật qua tệp"
    new = list(row)
    new[col["id"]] = ""
    new[col["title"]] = "Quy chế mới"
    bad_review = list(new)
    bad_review[col["review_date"]] = "2020-01-01"
    one_party = list(new)
    one_party[col["parties"]] = row[col["parties"]].split(";")[0].split(",")[0]
    body = tabular.write_csv([header, good, new, bad_review, one_party])
    n = Agreement.objects.count()
    result = agreements.run_import(user=u, uploaded=SimpleUploadedFile("q.csv", body))
    assert not result.ok and {e.row for e in result.errors} == {4, 5}
    assert Agreement.objects.count() == n and Agreement.objects.get(pk=a.pk).summary == "Trao đổi thông tin"
    body = tabular.write_csv([header, good, new])
    result = agreements.run_import(user=u, uploaded=SimpleUploadedFile("q.csv", body))
    assert result.ok and result.updated == 1 and result.created == 1
    assert Agreement.objects.get(pk=a.pk).summary == "Cập nhật qua tệp"


def test_api_create_update_errors(client, users):
    client.force_login(users["vanphong.ls"])
    r = client.post("/api/coordination/agreements", _data(), content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = client.put(
        f"/api/coordination/agreements/{pk}", {"summary": "Qua API", "version": 1}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["summary"] == "Qua API" and r.json()["version"] == 2
    for payload in (
        {"parties": [_agencies()[0].pk]},
        {"year": "năm ngoái"},
        {"nope": 1},
        {"review_date": "2020-01-01"},
        {"summary": "x", "version": 1},
    ):
        r = client.put(f"/api/coordination/agreements/{pk}", payload, content_type="application/json")
        assert r.status_code in (400, 409), (payload, r.status_code, r.content)
    assert client.get("/api/coordination/agreements/999999").status_code == 404


def test_delete_page_and_api_log_the_parties(client, users):
    u = users["vanphong.ls"]
    a = _create(u)
    parties = sorted(a.parties.values_list("pk", flat=True))
    client.force_login(u)
    page = client.get(f"/hoi-nghi/quy-che/{a.pk}/xoa/")
    assert page.status_code == 200 and "Xóa vĩnh viễn" in page.content.decode()
    r = client.post(f"/hoi-nghi/quy-che/{a.pk}/xoa/", {"reason": "Nhập trùng"})
    assert r.status_code == 302 and not Agreement.objects.filter(pk=a.pk).exists()
    entries = ChangeLogEntry.objects.filter(content_type__model="agreement", object_id=str(a.pk))
    assert entries.get(action="delete").reason == "Nhập trùng"
    assert entries.get(action="unlink").before["parties"] == parties
    b = _create(u, title="Quy chế khác")
    assert client.delete(f"/api/coordination/agreements/{b.pk}?version=7").status_code == 409
    assert client.delete(f"/api/coordination/agreements/{b.pk}").status_code == 204
    assert client.delete(f"/api/coordination/agreements/{b.pk}").status_code == 404


def test_deleting_last_years_agreement_unlinks_the_next_one(client, users):
    a2023, a2024 = Agreement.objects.get(year=2023), Agreement.objects.get(year=2024)
    client.force_login(users["vanphong.ls"])
    assert client.delete(f"/api/coordination/agreements/{a2023.pk}").status_code == 204
    a2024.refresh_from_db()
    assert a2024.previous is None and a2024.signed_on == dt.date(2024, 1, 22)
