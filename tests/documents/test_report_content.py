"""Issue 13: a report the standing office would sign — content by the period, one source rule, the
province narrative, directions for the right next period. Each "what was seen" of the issue is a test."""

import datetime as dt
import re

import pytest

from borderdesk.coordination import services as coord_services
from borderdesk.coordination.models import CommendationKind
from borderdesk.core.periods import parse_period
from borderdesk.documents import services
from borderdesk.documents.drafting import directions_label
from borderdesk.documents.sources import PRECEDENCE_RULE
from borderdesk.org.models import Agency, Committee
from borderdesk.reporting import rollup
from borderdesk.reporting.models import Submission

from .conftest import all_text, read_docx

pytestmark = pytest.mark.django_db


def _draft(users, key, date, code="ls-bcdbg", **kw):
    return services.draft_create(
        user=users["vanphong.ls"],
        committee=Committee.objects.get(code=code),
        period=parse_period(key),
        report_date=date,
        **kw,
    )


def _body(text: str) -> str:
    """The report's body: from the opening sentence to "Trên đây là báo cáo"."""
    start = text.index("Thực hiện chức năng")
    return text[start : text.index("Trên đây là báo cáo", start)]


def _section(text: str, head: str, nxt: str) -> str:
    start = text.index(head)
    return text[start : text.index(nxt, start)]


# -------------------------------------------------------------------------- next period
@pytest.mark.parametrize(
    "key,expected",
    [("2026H1", "6 tháng cuối năm 2026"), ("2025", "năm 2026"), ("2025N9", "quý IV năm 2025"), ("2025H2", "năm 2026")],
)
def test_directions_are_for_the_right_next_period(key, expected):
    assert directions_label(parse_period(key)) == expected


def test_six_month_report_promises_directions_for_the_second_half(users):
    """Seen: a 2026H1 report promised "phương hướng, nhiệm vụ 6 tháng đầu năm 2027"."""
    d = _draft(users, "2026H1", dt.date(2026, 6, 20))
    text = all_text(read_docx(d.docx))
    assert "phương hướng, nhiệm vụ 6 tháng cuối năm 2026" in d.summary_text
    assert "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2026" in text
    assert "2027" not in text


def test_six_month_report_keeps_its_results_sections(users):
    """Seen: 2026H1 dropped all three results sections (no approved provincial submission): the
    registries hold the half-year's patrols, incidents, markers and gate figures."""
    text = all_text(read_docx(_draft(users, "2026H1", dt.date(2026, 6, 20)).docx))
    for heading in (
        "1. Công tác quản lý, bảo vệ đường biên, mốc giới",
        "2. Công tác tuyên truyền, vận động quần chúng",
        "3. Hợp tác kinh tế thương mại biên giới và quản lý cửa khẩu",
    ):
        assert heading in text, heading
    assert "Các lực lượng chức năng tổ chức tuần tra, kiểm soát biên giới 68 lượt, giảm" in text
    assert "Trên tuyến biên giới xảy ra 03 vụ việc" in text
    assert "đã làm thủ tục xuất cảnh cho 135.839 lượt người" in text


def test_directions_drawn_from_open_tasks(draft_2025):
    part4 = _section(all_text(read_docx(draft_2025.docx)), "IV. PHƯƠNG HƯỚNG", "Trên đây")
    assert "Công an tỉnh Lạng Sơn khẩn trương hoàn thành nhiệm vụ quá hạn" in part4
    assert "Sở Ngoại vụ tỉnh Lạng Sơn tiếp tục xây dựng kế hoạch giao lưu, hợp tác với Quảng Tây năm 2026" in part4


# -------------------------------------------------------------------------- content by period
def test_events_after_the_period_stay_out_whatever_the_report_date(users):
    """Seen: without --date, the 2025 annual listed 2026 conferences, agreements and commendations."""
    ls = Committee.objects.get(code="ls-bcdbg")
    conf = coord_services.conference_create(
        user=users["vanphong.ls"],
        unit=ls.unit,
        committee=ls,
        kind="regular",
        date=dt.date(2026, 3, 10),
        title="Hội nghị Ban Chỉ đạo quý I năm 2026",
        chair="Đinh Hữu Học",
    )
    kind = CommendationKind.objects.order_by("pk").first()
    coord_services.commendation_create(
        user=users["vanphong.ls"],
        unit=ls.unit,
        kind=kind,
        recipient_type="collective",
        recipient_name="Đồn Biên phòng Chi Ma",
        issuer="Chủ tịch UBND tỉnh Lạng Sơn",
        decision_date=dt.date(2026, 3, 10),
        conference=conf,
    )
    parties = list(Agency.objects.filter(unit=ls.unit).order_by("pk")[:2])
    coord_services.agreement_create(
        user=users["vanphong.ls"],
        unit=ls.unit,
        title="Quy chế phối hợp năm 2026",
        year=2026,
        signed_on=dt.date(2026, 3, 10),
        parties=parties,
    )
    text = all_text(read_docx(_draft(users, "2025", dt.date(2026, 6, 30)).docx))
    assert "Hội nghị tổng kết công tác quản lý, bảo vệ biên giới năm 2025" in text  # 31/12/2025: inside the year
    assert "Hội nghị Ban Chỉ đạo quý I năm 2026" not in text
    assert "Quy chế phối hợp năm 2026" not in text
    assert "Đồn Biên phòng Chi Ma" not in text and "10/03/2026" not in text
    assert "04 tập thể và 06 cá nhân được Chủ tịch UBND tỉnh Lạng Sơn tặng Bằng khen" in text  # not 05 tập thể


# -------------------------------------------------------------------------- sources
def test_one_source_rule_for_persons_exiting(draft_2025):
    """Seen: persons exiting 127.500 in the report, 1.029.366 in the gate registry, nothing said which."""
    text = all_text(read_docx(draft_2025.docx))
    assert "xuất cảnh cho 1,03 triệu lượt người" in text and "127.500" not in text
    notes = draft_2025.source_notes
    assert notes["rule"] == PRECEDENCE_RULE
    note = next(n for n in notes["notes"] if n["code"] == "PERSONS_EXIT")
    assert note["source"].startswith("sổ theo dõi") and "127.500 lượt người" in note["others"]
    trade = next(n for n in notes["notes"] if n["code"] == "TRADE_VALUE_TOTAL_USD")
    assert trade["value"] == "trên 86 tỷ USD" and trade["source"].startswith("tổng hợp báo cáo đã duyệt")


def test_registry_figures_with_comparisons(draft_2025):
    """Seen: no figures for patrols, incidents, illegal crossings or markers."""
    text = all_text(read_docx(draft_2025.docx))
    assert "tuần tra, kiểm soát biên giới 227 lượt, giảm 3,4% so với cùng kỳ" in text
    assert (
        "tuần tra song phương với lực lượng bảo vệ biên giới nước láng giềng 47 lượt, giảm 7,8% so với cùng kỳ" in text
    )
    assert "xảy ra 07 vụ việc (giảm trên 36% so với cùng kỳ), trong đó 01 vụ xuất cảnh, nhập cảnh trái phép" in text
    assert "Quản lý 20 mốc quốc giới, tổ chức kiểm tra mốc 40 lượt, bằng cùng kỳ; 19 mốc giữ nguyên trạng" in text
    assert "đạt 100% kế hoạch" in text


def test_submitted_figures_fill_in_and_are_named(users):
    """A report reads submitted figures where approved ones are missing, and says so."""
    sub = Submission.objects.get(unit__name="Tỉnh Lạng Sơn", period_key="2025")
    Submission.objects.filter(pk=sub.pk).update(status="submitted")
    rollup.refresh_for_submission(Submission.objects.get(pk=sub.pk))
    d = _draft(users, "2025", dt.date(2026, 1, 5))
    text = all_text(read_docx(d.docx))
    assert "đạt trên 86 tỷ USD" in text
    assert any("chưa được duyệt" in w and "kim ngạch" in w.lower() for w in d.warnings)
    assert any(
        n["code"] == "TRADE_VALUE_TOTAL_USD" and "chưa được duyệt" in n["source"] for n in d.source_notes["notes"]
    )


# -------------------------------------------------------------------------- narrative
def test_province_narrative_not_pasted_commune_narratives(draft_2025):
    text = _body(all_text(read_docx(draft_2025.docx)))
    assert "minh họa" not in text
    assert ", xã " not in text and "\nXã " not in text  # the subject is "các xã biên giới", never one "xã"
    assert "Các xã biên giới bàn giao hồ sơ tự quản đường biên, cột mốc" in text
    assert "Dịp Quốc khánh 2/9" not in text and "tuần tra song phương 3 lượt" not in text
    assert text.index("Trong năm 2025, tình hình tuyến biên giới") < text.index("Ở cơ sở, các xã biên giới")


def test_no_repeated_phrase_no_colon_chains_and_full_parts(draft_2025):
    text = _body(all_text(read_docx(draft_2025.docx)))
    assert text.lower().count("hoạt động xuất, nhập khẩu qua địa bàn ổn định") == 1
    for line in text.splitlines():
        assert line.count(":") <= 1, line
    part3 = _section(text, "III. ĐÁNH GIÁ CHUNG", "IV. PHƯƠNG HƯỚNG")
    assert len(re.findall(r"[.!?](?:\s|$)", part3)) >= 3
    assert "Không có." not in text


def test_every_paragraph_once(draft_2025):
    paras = [p for p in _body(all_text(read_docx(draft_2025.docx))).splitlines() if len(p.split()) > 4]
    assert len(paras) == len(set(paras))


# -------------------------------------------------------------------------- agency report
def test_border_guard_report_for_the_committee(users):
    """Seed 001 is the Border Guard's own report: it drafts it in the same way."""
    bg = Agency.objects.get(name="Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn")
    d = _draft(users, "2023", dt.date(2024, 1, 22), agency=bg)
    doc = read_docx(d.docx)
    left = [p.text for p in doc.tables[0].cell(0, 0).paragraphs if p.text]
    assert "BỘ CHỈ HUY BỘ ĐỘI BIÊN PHÒNG TỈNH LẠNG SƠN" in left
    assert "UBND TỈNH LẠNG SƠN" not in left  # the agency is not the province's committee
    text = all_text(doc)
    assert "Duy trì 24 tập thể và 885 hộ gia đình đăng ký tham gia tự quản đường biên, cột mốc" in text
    assert "của Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn./." in text
    recv = [p.text for p in doc.tables[1].cell(0, 0).paragraphs if p.text]
    assert recv[1] == "- Ban Chỉ đạo công tác biên giới tỉnh (báo cáo);" and recv[-1].startswith("- Lưu: VT")
    sign = [p.text for p in doc.tables[1].cell(0, 1).paragraphs if p.text]
    assert sign == ["CHỈ HUY TRƯỞNG"] and "TM. BAN CHỈ ĐẠO" not in text
    assert d.agency == bg
