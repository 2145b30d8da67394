"""Issue 10, "What was seen": each item reproduced as it was reported (these failed before the fix)."""

import datetime as dt

import pytest
from django.urls import reverse

from borderdesk.core.errors import NotFoundError
from borderdesk.core.models import ChangeLogEntry
from borderdesk.gates.models import BorderGate, CrossingLogImport, GateDailyStat
from borderdesk.org.models import Agency, AgencyName, Committee, Membership, Person
from borderdesk.reporting.models import Submission

pytestmark = pytest.mark.django_db


def _json(client, method, url, payload):
    return getattr(client, method)(url, payload, content_type="application/json")


# ---------------------------------------------------------------- scope


def test_commune_reporter_is_not_offered_the_border_guard_station(client, users):
    client.force_login(users["baocao.quockhanh"])
    page = client.get("/bao-cao/").content.decode()
    assert "Quốc Khánh" in page
    assert "Đồn Biên phòng Pò Mã" not in page
    po_ma = Agency.objects.get(name="Đồn Biên phòng Pò Mã")
    r = client.post(
        reverse("reporting:open"), {"form": "bc-xa-thang", "period": "2025M12", "reporter": f"a:{po_ma.pk}"}
    )
    assert r.status_code == 404
    assert not Submission.objects.filter(agency=po_ma).exists()


def test_commune_reporter_does_not_read_the_station_reports(client, users):
    station = Agency.objects.get(name="Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị")
    sub = Submission.objects.filter(agency=station).first()
    client.force_login(users["baocao.dongdang"])
    assert client.get(reverse("reporting:entry", args=[sub.pk])).status_code == 404
    assert client.get(f"/api/reporting/submissions/{sub.pk}").status_code == 404
    # The station's own reporter and the province still do.
    client.force_login(users["baocao.huunghi"])
    assert client.get(reverse("reporting:entry", args=[sub.pk])).status_code == 200
    client.force_login(users["vanphong.ls"])
    assert client.get(reverse("reporting:entry", args=[sub.pk])).status_code == 200


# ---------------------------------------------------------------- one write path, one rule


def test_commune_reporter_cannot_create_or_rename_a_gate(client, users):
    hn = BorderGate.objects.get(code="huu-nghi")
    client.force_login(users["baocao.dongdang"])
    r = _json(
        client,
        "post",
        "/api/gates/gates",
        {"code": "moi", "name": "Lối mở mới", "unit": hn.unit_id, "kind": "opening", "mode": "road"},
    )
    assert r.status_code == 404
    r = _json(client, "put", f"/api/gates/gates/{hn.pk}", {"name": "Đổi tên", "version": hn.version})
    assert r.status_code == 404
    assert client.get(reverse("gates:danh-sach_create")).status_code == 404
    assert client.get(reverse("gates:danh-sach_edit", args=[hn.pk])).status_code == 404
    assert BorderGate.objects.get(pk=hn.pk).name == hn.name
    assert not BorderGate.objects.filter(code="moi").exists()
    # The standing office does.
    client.force_login(users["vanphong.ls"])
    r = _json(client, "put", f"/api/gates/gates/{hn.pk}", {"status_note": "Thông quan", "version": hn.version})
    assert r.status_code == 200, r.content


def test_provincial_standing_office_cannot_change_the_national_outline(client, users):
    from borderdesk.documents import services
    from borderdesk.documents.models import ReportTemplate

    t = ReportTemplate.objects.order_by("pk").first()
    n = t.versions.count()
    for name in ("vanphong.sl", "vanphong.ls"):
        with pytest.raises(NotFoundError):
            services.template_version_save(user=users[name], template=t, summary="Báo cáo", body="x")
        client.force_login(users[name])
        page = client.get(reverse("documents:template", args=[t.pk])).content.decode()
        assert "Kiểm tra và lưu phiên bản mới" not in page
    assert t.versions.count() == n
    services.template_version_save(user=users["admin"], template=t, summary=t.current.summary, body=t.current.body)
    assert t.versions.count() == n + 1


# ---------------------------------------------------------------- data lost or corrupted


def test_bulk_statistics_update_only_the_fields_sent(client, users):
    client.force_login(users["vanphong.ls"])
    day = "2023-06-01"
    r = _json(
        client,
        "post",
        "/api/gates/stats/bulk",
        [{"gate": "huu-nghi", "date": day, "persons_exit": 10, "persons_entry": 20}],
    )
    assert r.status_code == 200
    r = _json(client, "post", "/api/gates/stats/bulk", [{"gate": "huu-nghi", "date": day, "persons_entry": 25}])
    assert r.status_code == 200 and r.json() == {"created": 0, "updated": 1}
    stat = GateDailyStat.objects.get(gate__code="huu-nghi", date=dt.date(2023, 6, 1))
    assert (stat.persons_exit, stat.persons_entry) == (10, 25)


def test_refused_membership_creates_no_person(client, users):
    committee = Committee.objects.get(code="ls-bcdbg")
    head = Membership.objects.filter(committee=committee, role="head", valid_to__isnull=True).first()
    assert head is not None
    client.force_login(users["vanphong.ls"])
    r = _json(
        client,
        "post",
        "/api/org/memberships",
        {"committee_id": committee.pk, "person_name": "Người Thử Từ Chối", "role": "head", "valid_from": "2025-12-01"},
    )
    assert r.status_code == 400, r.content
    assert not Person.objects.filter(full_name="Người Thử Từ Chối").exists()


def test_crossing_log_import_success_page_and_recent_imports_links(client, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["vanphong.ls"])
    body = (
        b"time,gate,direction,kind,nationality,cargo_usd,tonnes\n"
        b"2023-09-19T10:00:00,chi-ma,entry,cargo_vehicle,CN,500,2\n"
    )
    r = client.post(reverse("gates:log_import"), {"file": SimpleUploadedFile("cm.csv", body, "text/csv")})
    assert r.status_code == 302
    page = client.get(r["Location"])
    assert page.status_code == 200
    assert "cm.csv" in page.content.decode()
    for record in CrossingLogImport.objects.all():
        assert client.get(reverse("gates:log_import") + f"?ket_qua={record.pk}").status_code == 200
    assert client.get(reverse("gates:log_import") + "?ket_qua=abc").status_code == 200


# ---------------------------------------------------------------- lost updates, conflicts


def test_api_updates_require_the_version_and_refuse_a_stale_one(client, users):
    hn = BorderGate.objects.get(code="huu-nghi")
    client.force_login(users["vanphong.ls"])
    r = _json(client, "put", f"/api/gates/gates/{hn.pk}", {"status_note": "Không phiên bản"})
    assert r.status_code == 400 and "version" in r.json()["fields"]
    r = _json(client, "put", f"/api/gates/gates/{hn.pk}", {"status_note": "Lần 1", "version": hn.version})
    assert r.status_code == 200
    r = _json(client, "put", f"/api/gates/gates/{hn.pk}", {"status_note": "Lần 2", "version": hn.version})
    assert r.status_code == 409
    assert BorderGate.objects.get(pk=hn.pk).status_note == "Lần 1"
    # The gate system's single-day push: a new day needs no version, a change of it does.
    url = "/api/gates/gates/huu-nghi/stats/2023-04-14"
    assert _json(client, "put", url, {"persons_exit": 1}).status_code == 201
    assert _json(client, "put", url, {"persons_exit": 2}).status_code == 400
    assert _json(client, "put", url, {"persons_exit": 2, "expected_version": 1}).status_code == 200


def test_agency_renamed_twice_on_one_version_keeps_one_open_name(client, users):
    office = Agency.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")
    client.force_login(users["vanphong.ls"])
    url = f"/api/org/agencies/{office.pk}/rename"
    r1 = _json(client, "post", url, {"name": "Tên A", "valid_from": "2026-03-01", "version": office.version})
    r2 = _json(client, "post", url, {"name": "Tên B", "valid_from": "2026-04-01", "version": office.version})
    assert (r1.status_code, r2.status_code) == (200, 409)
    r3 = _json(client, "post", url, {"name": "Tên C", "valid_from": "2026-04-01"})
    assert r3.status_code == 400
    assert AgencyName.objects.filter(agency=office, valid_to__isnull=True).count() == 1


def test_concurrent_insert_answers_409_not_500(client, users, monkeypatch):
    """Another request inserts the same gate-day between our check and our insert."""
    from borderdesk.core import bulk
    from borderdesk.gates import services

    real = bulk.insert_many

    def racing(model, rows, *args, **kwargs):
        GateDailyStat.objects.create(gate_id=rows[0]["gate_id"], date=rows[0]["date"], persons_exit=7)
        return real(model, rows, *args, **kwargs)

    monkeypatch.setattr(services, "insert_many", racing)
    client.force_login(users["vanphong.ls"])
    r = _json(client, "post", "/api/gates/stats/bulk", [{"gate": "chi-ma", "date": "2023-07-01", "persons_exit": 1}])
    assert r.status_code == 409 and r.json()["error"] == "conflict"
    assert not ChangeLogEntry.objects.filter(
        reason="API", content_type__model="gatedailystat", after__persons_exit=1
    ).exists()


# ---------------------------------------------------------------- names outside scope


def test_same_code_list_names_no_unit_outside_scope(client, users):
    from borderdesk.org.models import AdministrativeUnit

    uncoded = (
        AdministrativeUnit.objects.filter(code="", path__contains=f"/{_province('Sơn La').pk}/")
        .exclude(kind="province")
        .first()
        or AdministrativeUnit.objects.filter(code="").first()
    )
    client.force_login(users["vanphong.sl"])
    page = client.get(reverse("org:unit", args=[uncoded.pk])).content.decode()
    for other in AdministrativeUnit.objects.filter(path__contains=f"/{_province('Lạng Sơn').pk}/").exclude(
        name__in=AdministrativeUnit.objects.filter(path__contains=f"/{_province('Sơn La').pk}/").values("name")
    )[:200]:
        assert f">{other.name}<" not in page, other.name
    history = client.get(f"/api/org/units/{uncoded.pk}/history")
    assert history.status_code == 200
    assert "Lạng Sơn" not in history.content.decode()


def _province(name):
    from borderdesk.org.models import AdministrativeUnit

    return AdministrativeUnit.objects.get(name=f"Tỉnh {name}")


def test_guessing_member_ids_in_conference_decisions_is_404_and_writes_nothing(client, users):
    from borderdesk.coordination.models import Conference, ConferenceDecision

    conf = Conference.objects.filter(committee__code="sl-bcdbg").first()
    assert conf is not None
    foreign = Membership.objects.filter(committee__code="ls-bcdbg").select_related("person").first()
    n = ConferenceDecision.objects.count()
    client.force_login(users["vanphong.sl"])
    for kind in ("reconstitute", "other"):
        r = _json(
            client,
            "post",
            f"/api/coordination/conferences/{conf.pk}/decisions",
            {"kind": kind, "number": "1/QĐ", "summary": "Thăm dò", "membership_ids": [foreign.pk]},
        )
        assert r.status_code == 404, r.content
        assert foreign.person.full_name not in r.content.decode()
    missing = _json(
        client,
        "post",
        f"/api/coordination/conferences/{conf.pk}/decisions",
        {"kind": "other", "summary": "Thăm dò", "membership_ids": [999999]},
    )
    assert missing.status_code == 404 and missing.json()["message"] == r.json()["message"]
    assert ConferenceDecision.objects.count() == n


def test_programme_create_without_fields_is_400_not_500(client, users):
    client.force_login(users["vanphong.ls"])
    r = _json(client, "post", "/api/outreach/programmes", {})
    assert r.status_code == 400, r.content
