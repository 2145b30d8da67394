"""Reminders before deadlines (in the app; by e-mail only when mail is configured; on request through the
API or daily by the command) and task statistics per agency and period (QĐ 42 statuses)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from borderdesk.coordination.reminders import mail_configured

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def vp_email(users):
    u = users["vanphong.ls"]
    u.email = "vp@example.org"
    u.save()
    return u


def test_mail_configured(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert not mail_configured()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    assert not mail_configured()
    settings.EMAIL_HOST = "smtp.langson.gov.vn"
    assert mail_configured()
    settings.EMAIL_BACKEND = LOCMEM
    assert mail_configured()


def test_command_sends_nothing_while_mail_is_not_configured(settings, vp_email, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    call_command("send_reminders", "--date", "2026-01-25", "--days", "10")
    assert mail.outbox == [] and "Chưa cấu hình thư điện tử" in capsys.readouterr().out


def test_command_sends_each_user_their_tasks(settings, vp_email, users, capsys):
    settings.EMAIL_BACKEND = LOCMEM
    sl = users["vanphong.sl"]
    sl.email = "sl@example.org"
    sl.save()
    call_command("send_reminders", "--date", "2026-01-25", "--days", "10")
    by_to = {m.to[0]: m for m in mail.outbox}
    ls_mail = by_to["vp@example.org"]
    assert "Sắp đến hạn 31/01/2026: Xây dựng kế hoạch giao lưu, hợp tác với Quảng Tây năm 2026" in ls_mail.body
    assert "QUÁ HẠN" in ls_mail.body and ls_mail.subject.startswith("[BorderDesk] 01 nhiệm vụ sắp đến hạn")
    assert "Quảng Tây" not in getattr(by_to.get("sl@example.org"), "body", "")  # other province's tasks not sent
    assert "Đã gửi" in capsys.readouterr().out


def test_reminders_in_the_app_and_through_the_api(client, settings, vp_email):
    settings.EMAIL_BACKEND = LOCMEM
    client.force_login(vp_email)
    html = client.get("/hoi-nghi/?ngay=25/01/2026").content.decode()
    assert "Nhắc việc ngày 25/01/2026" in html and "Xây dựng kế hoạch giao lưu" in html
    r = client.get("/api/coordination/reminders?as_of=2026-01-25&within_days=10").json()
    assert [t["title"] for t in r["due"]] == ["Xây dựng kế hoạch giao lưu, hợp tác với Quảng Tây năm 2026"]
    assert r["overdue"] and r["email_configured"] is True
    assert client.get("/api/coordination/reminders?within_days=-1").status_code == 400


def test_send_on_request_needs_the_manage_right(client, settings, vp_email, users):
    settings.EMAIL_BACKEND = LOCMEM
    client.force_login(users["lanhdao.ls"])
    assert (
        client.post(
            "/api/coordination/reminders/send", {"as_of": "2026-01-25"}, content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(vp_email)
    r = client.post(
        "/api/coordination/reminders/send", {"as_of": "2026-01-25", "within_days": 10}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["sent"] >= 1 and len(mail.outbox) == r.json()["sent"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    r = client.post("/api/coordination/reminders/send", {"as_of": "2026-01-25"}, content_type="application/json")
    assert r.json()["email_configured"] is False and r.json()["sent"] == 0


def test_statistics_per_agency_and_period(client, users):
    client.force_login(users["vanphong.ls"])
    r = client.get("/api/coordination/tasks/statistics/by-agency?period=2024&as_of=2025-01-05")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["start"], body["end"]) == ("2024-01-01", "2024-12-31")
    assert body["total"] == 3
    assert body["by_status"] == {"done_on_time": 1, "done_late": 1, "open_in_term": 0, "overdue": 1}
    assert sum(a["total"] for a in body["by_agency"]) == 3
    for row in body["by_agency"]:
        assert row["total"] == row["done_on_time"] + row["done_late"] + row["open_in_term"] + row["overdue"]
    # The same as of an earlier day: nothing was overdue yet in mid-2024.
    early = client.get("/api/coordination/tasks/statistics/by-agency?period=2024&as_of=2024-02-01").json()
    assert early["by_status"]["overdue"] == 0
    assert client.get("/api/coordination/tasks/statistics/by-agency?period=20x4").status_code == 400
    assert client.get("/api/coordination/tasks/statistics/by-agency?committee=sl-bcdbg").status_code == 404
    html = client.get("/hoi-nghi/nhiem-vu/?ky=2024&ngay=05/01/2025").content.decode()
    assert "Thống kê theo QĐ 42/2014/QĐ-TTg" in html and "Hoàn thành quá hạn" in html


def test_commendation_entry_through_the_api(client, users):
    client.force_login(users["vanphong.ls"])
    from borderdesk.coordination.models import Commendation, Conference

    conf = Conference.objects.get(date=dt.date(2025, 12, 31))
    r = client.post(
        "/api/coordination/commendations",
        {
            "kind": "bang-khen-chu-tich-ubnd-tinh",
            "recipient_type": "collective",
            "recipient_name": "Đồn Biên phòng X",
            "decision_date": "2026-01-10",
            "decision_number": "20/QĐ-UBND",
            "conference_id": conf.pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    c = Commendation.objects.get(pk=r.json()["id"])
    assert c.unit == conf.unit and c.issuer  # the kind's issuer by default
    for bad, needle in [
        ({"kind": "khong-co"}, "Không có hình thức"),
        ({"recipient_type": "x"}, "không hợp lệ"),
        ({"recipient_name": " "}, "Hãy nhập tên"),
    ]:
        payload = {
            "kind": "bang-khen-chu-tich-ubnd-tinh",
            "recipient_type": "collective",
            "recipient_name": "A",
            "decision_date": "2026-01-10",
            "conference_id": conf.pk,
            **bad,
        }
        r = client.post("/api/coordination/commendations", payload, content_type="application/json")
        assert r.status_code == 400 and needle in r.json()["message"], payload
    client.force_login(users["vanphong.sl"])
    r = client.post(
        "/api/coordination/commendations",
        {
            "kind": "bang-khen-chu-tich-ubnd-tinh",
            "recipient_type": "collective",
            "recipient_name": "A",
            "decision_date": "2026-01-10",
            "conference_id": conf.pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 404
