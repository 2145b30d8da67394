"""Issue 13, point 4: edit the draft's own text section by section, with live figures that refresh,
a comparison between versions and members' comments; then issue (numbered, locked)."""

import datetime as dt

import pytest
from django.urls import reverse

from borderdesk.core.errors import ApplicationError
from borderdesk.documents import services
from borderdesk.documents.drafting import LIVE, strip_live
from borderdesk.documents.models import DraftComment, ReportDraft
from borderdesk.reporting.models import DataValue

from .conftest import all_text, read_docx

pytestmark = pytest.mark.django_db


def _index(draft, heading_start: str) -> int:
    return next(s["index"] for s in services.draft_sections(draft.body_text) if s["heading"].startswith(heading_start))


def test_sections_are_the_draft_text_not_template_code(draft_2025):
    """Seen: the "editor" was the Django-template code of the outline."""
    sections = services.draft_sections(draft_2025.body_text)
    assert [s["heading"] for s in sections][:3] == ["Mở đầu", "I. TÌNH HÌNH CHUNG", "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"]
    text = "\n".join(s["text"] for s in sections)
    assert "{%" not in text and "{{" not in text
    assert LIVE.search(text)  # figures are live values
    assert "Trong năm 2025, tình hình tuyến biên giới" in text


def test_revise_one_section_makes_a_new_version_and_docx(draft_2025, users):
    i = _index(draft_2025, "III.")
    new = services.draft_revise(
        user=users["vanphong.ls"],
        draft=draft_2025,
        index=i,
        text="Năm 2025, công tác biên giới đạt nhiều kết quả quan trọng.\nMột số hạn chế cần khắc phục.",
    )
    assert new.version == draft_2025.version + 1 and new.pk != draft_2025.pk
    text = all_text(read_docx(new.docx))
    assert "Năm 2025, công tác biên giới đạt nhiều kết quả quan trọng." in text
    assert "Các lực lượng chức năng tổ chức tuần tra" in text  # other sections unchanged
    changes = services.draft_compare(older=draft_2025, newer=new)
    assert [c["heading"] for c in changes] == ["III. ĐÁNH GIÁ CHUNG"]
    assert {"op": "+", "text": "Một số hạn chế cần khắc phục."} in changes[0]["lines"]


def test_refresh_rereads_live_figures_and_keeps_edited_words(draft_2025, users):
    i = _index(draft_2025, "1. Công tác quản lý")
    section = services.draft_sections(draft_2025.body_text)[i]["text"]
    edited = section.replace("Các lực lượng chức năng tổ chức tuần tra", "Bộ đội Biên phòng chủ trì tuần tra")
    v2 = services.draft_revise(user=users["vanphong.ls"], draft=draft_2025, index=i, text=edited)
    # a late approved correction of the province's trade figure
    dv = DataValue.objects.get(
        submission__unit__name="Tỉnh Lạng Sơn", submission__period_key="2025", indicator__code="TRADE_VALUE_TOTAL_USD"
    )
    DataValue.objects.filter(pk=dv.pk).update(value=90_000_000_000)
    from borderdesk.reporting import rollup

    rollup.refresh_for_submission(dv.submission)
    v3 = services.draft_refresh(user=users["vanphong.ls"], draft=v2)
    text = strip_live(v3.body_text)
    assert "Bộ đội Biên phòng chủ trì tuần tra, kiểm soát biên giới 227 lượt" in text
    assert "đạt trên 90 tỷ USD" in text and "86 tỷ USD" not in text
    assert "trên 90 tỷ USD" in all_text(read_docx(v3.docx))


def test_bad_section_input_is_refused_and_nothing_saved(draft_2025, users):
    before = ReportDraft.objects.count()
    with pytest.raises(ApplicationError, match="tiêu đề"):
        services.draft_revise(user=users["vanphong.ls"], draft=draft_2025, index=1, text="# Một tiêu đề lạ")
    with pytest.raises(ApplicationError, match="Không có mục"):
        services.draft_revise(user=users["vanphong.ls"], draft=draft_2025, index=99, text="x")
    assert ReportDraft.objects.count() == before


def test_issued_draft_is_locked(draft_2025, users):
    services.report_issue(user=users["vanphong.ls"], draft=draft_2025, issued_on=dt.date(2026, 1, 5))
    with pytest.raises(ApplicationError, match="đã được ban hành"):
        services.draft_revise(user=users["vanphong.ls"], draft=draft_2025, index=1, text="Sửa sau ban hành.")


def test_pages_edit_comment_compare(client, draft_2025, users):
    client.force_login(users["vanphong.ls"])
    url = reverse("documents:draft", args=[draft_2025.pk])
    page = client.get(url).content.decode()
    assert "Sửa nội dung dự thảo theo từng mục" in page and "Nguồn số liệu" in page and "sổ theo dõi" in page
    i = _index(draft_2025, "III.")
    r = client.post(
        reverse("documents:draft_section", args=[draft_2025.pk, i]), {"text": "Đánh giá chung đã sửa trên trình duyệt."}
    )
    new = ReportDraft.objects.get(version=draft_2025.version + 1)
    assert r.status_code == 302 and r["Location"] == reverse("documents:draft", args=[new.pk])
    r = client.post(
        reverse("documents:draft_comment", args=[new.pk]),
        {"section": "III. ĐÁNH GIÁ CHUNG", "text": "Đề nghị bổ sung nguyên nhân hạn chế."},
    )
    assert r.status_code == 302
    c = DraftComment.objects.get()
    assert c.author == users["vanphong.ls"] and c.section == "III. ĐÁNH GIÁ CHUNG"
    assert (
        "Đề nghị bổ sung nguyên nhân hạn chế." in client.get(reverse("documents:draft", args=[new.pk])).content.decode()
    )
    cmp = client.get(reverse("documents:draft_compare", args=[new.pk]) + f"?with={draft_2025.pk}").content.decode()
    assert "Đánh giá chung đã sửa trên trình duyệt." in cmp
    # empty comment: a clear message, nothing saved
    client.post(reverse("documents:draft_comment", args=[new.pk]), {"text": "  "})
    assert DraftComment.objects.count() == 1


def test_pages_are_scoped(client, draft_2025, users):
    client.force_login(users["vanphong.sl"])
    assert client.get(reverse("documents:draft_compare", args=[draft_2025.pk])).status_code == 404
    assert client.post(reverse("documents:draft_section", args=[draft_2025.pk, 1]), {"text": "x"}).status_code == 404
    assert client.post(reverse("documents:draft_comment", args=[draft_2025.pk]), {"text": "x"}).status_code == 404


def test_api_edit_refresh_comment_compare(client, users, draft_2025):
    """The API calls the same services as the pages; bad input answers 4xx."""
    client.force_login(users["vanphong.ls"])
    base = f"/api/documents/drafts/{draft_2025.pk}"
    body = client.get(base + "/text").json()
    assert body["sections"][0]["heading"] == "Mở đầu" and body["source_notes"]["rule"]
    i = next(s["index"] for s in body["sections"] if s["heading"].startswith("III."))
    r = client.post(f"{base}/sections/{i}", {"text": "Đánh giá qua API."}, content_type="application/json")
    assert r.status_code == 201 and r.json()["version"] == draft_2025.version + 1
    new_id = r.json()["id"]
    assert client.post(f"{base}/sections/99", {"text": "x"}, content_type="application/json").status_code == 400
    assert client.post(f"/api/documents/drafts/{new_id}/refresh").status_code == 201
    r = client.post(
        f"/api/documents/drafts/{new_id}/comments", {"text": "Góp ý qua API."}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["text"] == "Góp ý qua API."
    assert (
        client.post(
            f"/api/documents/drafts/{new_id}/comments", {"text": ""}, content_type="application/json"
        ).status_code
        == 400
    )
    changes = client.get(f"/api/documents/drafts/{new_id}/compare/{draft_2025.pk}").json()
    assert changes[0]["heading"] == "III. ĐÁNH GIÁ CHUNG"
    client.force_login(users["vanphong.sl"])
    assert client.get(base + "/text").status_code == 404
    assert client.post(f"{base}/sections/{i}", {"text": "x"}, content_type="application/json").status_code == 404
