"""Conference pages: create and edit (scope, optimistic locking, change log), directives and tasks entry."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.coordination.models import Conference, Directive, Task
from borderdesk.core.models import ChangeLogEntry
from borderdesk.org.models import Agency, Committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def ls_conf(db):
    return Conference.objects.get(date=dt.date(2025, 12, 31))


def test_create_page_for_the_committee_with_directives(client, users):
    client.force_login(users["vanphong.ls"])
    page = client.get("/hoi-nghi/hoi-nghi/moi/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ghi nhận hội nghị" in html and "Ý kiến chỉ đạo, kết luận" in html
    assert "Ban Chỉ đạo công tác biên giới tỉnh Sơn La" not in html  # other province's committee not offered
    c = Committee.objects.get(code="ls-bcdbg")
    sngv = Agency.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")
    r = client.post(
        "/hoi-nghi/hoi-nghi/moi/",
        {
            "committee": c.pk,
            "kind": "briefing",
            "session_number": "15",
            "title": "Hội nghị giao ban công tác biên giới",
            "date": "10/03/2026",
            "place": "Lạng Sơn",
            "chair": "Đinh Hữu Học",
            "participant_agencies": [sngv.pk],
            "directives": "Duy trì trao đổi thông tin\n\nTăng cường tuần tra song phương",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    conf = Conference.objects.get(title="Hội nghị giao ban công tác biên giới")
    assert r["Location"] == f"/hoi-nghi/hoi-nghi/{conf.pk}/"
    assert conf.unit == c.unit and conf.date == dt.date(2026, 3, 10) and conf.display_title.endswith("lần thứ XV")
    assert list(conf.directives.values_list("number", "text")) == [
        (1, "Duy trì trao đổi thông tin"),
        (2, "Tăng cường tuần tra song phương"),
    ]
    assert list(conf.participant_agencies.all()) == [sngv]
    logged = ChangeLogEntry.objects.filter(object_id=str(conf.pk), content_type__model="conference")
    assert {e.action for e in logged} == {"create", "update"}  # the row, then its participating agencies


def test_create_a_party_committee_conference_needs_province(client, users):
    client.force_login(users["vanphong.ls"])
    r = client.post(
        "/hoi-nghi/hoi-nghi/moi/",
        {
            "kind": "regular",
            "title": "Hội nghị Ban Thường vụ Tỉnh ủy",
            "date": "2026-02-02",
            "convener": "Ban Thường vụ Tỉnh ủy Lạng Sơn",
        },
    )
    assert r.status_code == 200 and "Chọn ban chỉ đạo, hoặc tỉnh nơi tổ chức hội nghị." in r.content.decode()
    ls = Committee.objects.get(code="ls-bcdbg").unit
    r = client.post(
        "/hoi-nghi/hoi-nghi/moi/",
        {
            "kind": "regular",
            "title": "Hội nghị Ban Thường vụ Tỉnh ủy",
            "date": "2026-02-02",
            "convener": "Ban Thường vụ Tỉnh ủy Lạng Sơn",
            "unit": ls.pk,
        },
    )
    assert r.status_code == 302
    conf = Conference.objects.get(title="Hội nghị Ban Thường vụ Tỉnh ủy")
    assert conf.committee is None and conf.convener == "Ban Thường vụ Tỉnh ủy Lạng Sơn"
    assert "Ban Thường vụ Tỉnh ủy Lạng Sơn" in client.get(f"/hoi-nghi/hoi-nghi/{conf.pk}/").content.decode()


def test_create_outside_scope_is_refused(client, users):
    sl_committee = Committee.objects.get(code="sl-bcdbg")
    client.force_login(users["vanphong.ls"])
    r = client.post(
        "/hoi-nghi/hoi-nghi/moi/", {"committee": sl_committee.pk, "kind": "regular", "title": "X", "date": "2026-02-02"}
    )
    assert r.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in r.content.decode()  # not offered
    assert not Conference.objects.filter(title="X").exists()
    client.force_login(users["lanhdao.ls"])  # a leader reads only
    assert client.get("/hoi-nghi/hoi-nghi/moi/").status_code == 404
    assert "Ghi nhận hội nghị" not in client.get("/hoi-nghi/").content.decode()


def test_edit_with_version_and_reason_is_logged(client, users, ls_conf):
    client.force_login(users["vanphong.ls"])
    page = client.get(f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/sua/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="version" value="{ls_conf.version}"' in html and ls_conf.title in html
    data = _form_data(ls_conf, place="Thành phố Lạng Sơn", reason="Bổ sung địa điểm")
    r = client.post(f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/sua/", data)
    assert r.status_code == 302
    ls_conf.refresh_from_db()
    assert ls_conf.place == "Thành phố Lạng Sơn" and ls_conf.version == data["version"] + 1
    entry = ChangeLogEntry.objects.filter(
        object_id=str(ls_conf.pk), content_type__model="conference", action="update"
    ).latest("pk")
    assert entry.reason == "Bổ sung địa điểm" and entry.after["place"] == "Thành phố Lạng Sơn"
    assert ls_conf.directives.count() == 4 and ls_conf.participant_agencies.count() == 5  # untouched


def test_edit_with_a_stale_version_is_refused(client, users, ls_conf):
    client.force_login(users["vanphong.ls"])
    stale = _form_data(ls_conf, place="Phiên bản cũ")
    assert client.post(f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/sua/", _form_data(ls_conf, place="Mới")).status_code == 302
    r = client.post(f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/sua/", stale)
    assert r.status_code == 200 and "vừa được người khác cập nhật" in r.content.decode()
    ls_conf.refresh_from_db()
    assert ls_conf.place == "Mới"


def test_edit_outside_scope_is_404(client, users, ls_conf):
    client.force_login(users["vanphong.sl"])
    assert client.get(f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/sua/").status_code == 404
    assert client.post(f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/sua/", _form_data(ls_conf)).status_code == 404
    assert client.post(f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/chi-dao/", {"text": "X"}).status_code == 404
    client.force_login(users["lanhdao.ls"])
    assert client.get(f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/sua/").status_code == 404
    html = client.get(f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/").content.decode()
    assert "Giao nhiệm vụ" not in html and "Sửa thông tin hội nghị" not in html


def test_directive_and_task_entry_from_the_conference_page(client, users, ls_conf):
    client.force_login(users["vanphong.ls"])
    html = client.get(f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/").content.decode()
    assert "Thêm ý kiến chỉ đạo" in html and "Giao nhiệm vụ" in html
    r = client.post(f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/chi-dao/", {"text": "Rà soát mốc quốc giới sau mưa lũ"})
    assert r.status_code == 302
    d = Directive.objects.get(conference=ls_conf, text="Rà soát mốc quốc giới sau mưa lũ")
    assert d.number == 5
    owner = Agency.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")
    bad = client.post(
        f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/nhiem-vu/",
        {"directive": d.pk, "title": "Báo cáo rà soát", "owner": owner.pk, "deadline": "2025-12-01"},
    )
    assert bad.status_code == 200 and "trước ngày hội nghị giao nhiệm vụ" in bad.content.decode()
    assert not Task.objects.filter(title="Báo cáo rà soát").exists()
    ok = client.post(
        f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/nhiem-vu/",
        {"directive": d.pk, "title": "Báo cáo rà soát", "owner": owner.pk, "deadline": "2026-03-31"},
    )
    assert ok.status_code == 302
    task = Task.objects.get(title="Báo cáo rà soát")
    assert task.directive == d and task.deadline == dt.date(2026, 3, 31)
    assert ChangeLogEntry.objects.filter(object_id=str(task.pk), content_type__model="task", action="create").exists()


def test_task_for_a_directive_of_another_conference_is_404(client, users, ls_conf):
    client.force_login(users["vanphong.ls"])
    other = Directive.objects.exclude(conference=ls_conf).filter(conference__unit=ls_conf.unit).first()
    owner = Agency.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")
    r = client.post(
        f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/nhiem-vu/",
        {"directive": other.pk, "title": "X", "owner": owner.pk, "is_regular": "1"},
    )
    assert r.status_code == 404


def test_conference_detail_queries_do_not_grow_with_tasks(client, users, ls_conf):
    client.force_login(users["vanphong.ls"])
    with CaptureQueriesContext(connection) as before:
        assert client.get(f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/").status_code == 200
    owner = Agency.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")
    for i in range(5):
        Task.objects.create(directive=ls_conf.directives.first(), title=f"T{i}", owner=owner, is_regular=True)
    with CaptureQueriesContext(connection) as after:
        assert client.get(f"/hoi-nghi/hoi-nghi/{ls_conf.pk}/").status_code == 200
    assert len(after) <= len(before)


def _form_data(conf: Conference, **changes) -> dict:
    data = {
        "committee": conf.committee_id or "",
        "convener": conf.convener,
        "kind": conf.kind,
        "session_number": conf.session_number or "",
        "title": conf.title,
        "date": conf.date.isoformat(),
        "place": conf.place,
        "chair": conf.chair,
        "chair_post": conf.chair_post,
        "participants": conf.participants,
        "participant_agencies": list(conf.participant_agencies.values_list("pk", flat=True)),
        "counterpart_delegations": conf.counterpart_delegations,
        "reports_presented": conf.reports_presented,
        "conclusions": conf.conclusions,
        "source": conf.source,
        "version": conf.version,
    }
    data.update(changes)
    return data
