"""Outline editing as the standing office does it: preview without saving, clear messages for unknown
placeholders and broken syntax (page and API), and the bad inputs of issue #5 through the pages."""

import datetime as dt

import pytest

from borderdesk.coordination.models import Conference, Task
from borderdesk.documents.models import IssuedReport, ReportDraft, ReportTemplate
from borderdesk.org.models import Committee, DocumentNumberSeries

pytestmark = pytest.mark.django_db


@pytest.fixture
def annual():
    return ReportTemplate.objects.get(code="annual")


def _form(t, **over):
    cur = t.current
    c = Committee.objects.get(code="ls-bcdbg")
    data = {
        "summary": cur.summary,
        "body": cur.body,
        "recipients": cur.recipients,
        "action": "preview",
        "preview_committee": c.pk,
        "preview_period": "2025",
        "preview_date": "05/01/2026",
    }
    data.update(over)
    return data


def test_preview_renders_the_edited_text_without_saving(client, users, annual):
    client.force_login(users["vanphong.ls"])
    before = annual.versions.count()
    body = (
        "# I. KẾT QUẢ\n## 1. Thương mại\nTổng kim ngạch {{ f.TRADE_VALUE_TOTAL_USD.full }}.\n{{ commendations.text }}"
    )
    html = client.post(f"/van-ban/mau/{annual.pk}/", _form(annual, body=body)).content.decode()
    assert 'id="xem-truoc"' in html
    assert "Lạng Sơn, ngày 05 tháng 01 năm 2026" in html
    assert "Tổng kim ngạch trên 86 tỷ USD, tăng 44% so với cùng kỳ." in html
    assert "04 tập thể và 06 cá nhân" in html
    assert annual.versions.count() == before  # a preview saves nothing
    assert not ReportDraft.objects.exists()


@pytest.mark.parametrize(
    "body,needle",
    [
        ("Tổng {{ f.KHONG_CO.full }}", "chỉ tiêu “KHONG_CO” không có trong danh mục"),
        ("Dòng 1\n{{ uy_ban.ten }}", "Dòng 2: trường “uy_ban.ten” không tồn tại"),
        ("{% if commendations.has %}\nchưa đóng", "lỗi cú pháp"),
        ("{% include 'x.html' %}", "Chỉ dùng được các thẻ"),
    ],
)
@pytest.mark.parametrize("action", ["preview", "save"])
def test_unknown_placeholder_or_broken_syntax_is_a_clear_message_on_the_page(
    client, users, annual, body, needle, action
):
    # Saving an outline (national reference data) is the administrator's; previewing is anyone's who drafts.
    client.force_login(users["admin"] if action == "save" else users["vanphong.ls"])
    before = annual.versions.count()
    r = client.post(f"/van-ban/mau/{annual.pk}/", _form(annual, body=body, action=action))
    html = r.content.decode()
    assert r.status_code == 200 and needle in html
    assert 'id="xem-truoc"' not in html
    assert annual.versions.count() == before


def test_preview_of_a_period_with_no_data_says_so(client, users, annual):
    client.force_login(users["vanphong.ls"])
    html = client.post(
        f"/van-ban/mau/{annual.pk}/", _form(annual, preview_period="2012", preview_date="05/01/2013")
    ).content.decode()
    assert "chưa có số liệu nào" in html and 'id="xem-truoc"' not in html


def test_preview_api(client, users, annual):
    client.force_login(users["vanphong.ls"])
    c = Committee.objects.get(code="ls-bcdbg")
    url = f"/api/documents/templates/{annual.pk}/preview"
    r = client.post(
        url, {"committee_id": c.pk, "period": "2025", "report_date": "2026-01-05"}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    text = "\n".join(b["text"] for b in r.json()["blocks"])
    assert "183 triệu USD, đạt 100% kế hoạch, tăng 8% so với cùng kỳ" in text
    r = client.post(
        url,
        {"committee_id": c.pk, "period": "2025", "report_date": "2026-01-05", "body": "{{ f.NOPE.full }}"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_template" and "NOPE" in r.json()["message"]
    r = client.post(
        url, {"committee_id": c.pk, "period": "2012", "report_date": "2013-01-05"}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["error"] == "no_data"
    assert (
        client.post(
            "/api/documents/templates/99999/preview",
            {"committee_id": c.pk, "period": "2025", "report_date": "2026-01-05"},
            content_type="application/json",
        ).status_code
        == 404
    )
    client.force_login(users["vanphong.sl"])
    r = client.post(
        url, {"committee_id": c.pk, "period": "2025", "report_date": "2026-01-05"}, content_type="application/json"
    )
    assert r.status_code == 404


def test_bad_inputs_through_the_pages(client, users):
    """Period with no data, committee with no number series, task deadline before its conference:
    each a clear message on the page, and no .docx (draft or issued) is produced."""
    client.force_login(users["vanphong.ls"])
    ls = Committee.objects.get(code="ls-bcdbg")
    r = client.post("/van-ban/", {"committee": ls.pk, "period": "2012", "date": "05/01/2013"}, follow=True)
    assert "chưa có số liệu nào" in r.content.decode() and not ReportDraft.objects.exists()
    r = client.post("/van-ban/", {"committee": ls.pk, "period": "2025", "date": "05/01/2026"})
    assert r.status_code == 302
    draft = ReportDraft.objects.get()
    DocumentNumberSeries.objects.filter(committee=ls, year=2026).delete()
    r = client.post(f"/van-ban/du-thao/{draft.pk}/ban-hanh/", {"date": "05/01/2026"}, follow=True)
    assert "chưa có sổ số văn bản" in r.content.decode()
    assert not IssuedReport.objects.exists()
    draft.refresh_from_db()
    assert draft.status == "draft"
    conf = Conference.objects.get(date=dt.date(2025, 12, 31))
    d = conf.directives.first()
    owner = Task.objects.filter(directive__conference=conf).first().owner
    before = Task.objects.count()
    r = client.post(
        f"/hoi-nghi/hoi-nghi/{conf.pk}/nhiem-vu/",
        {"directive": d.pk, "title": "Nhiệm vụ X", "owner": owner.pk, "deadline": "2025-12-01"},
    )
    assert "trước ngày hội nghị giao nhiệm vụ (31/12/2025)" in r.content.decode()
    assert Task.objects.count() == before
