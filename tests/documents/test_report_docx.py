"""The drafted Decree 30 report, read back from the .docx: sentences and format."""

import datetime as dt

import pytest
from docx.shared import Pt

from borderdesk.core.errors import ApplicationError
from borderdesk.core.periods import parse_period
from borderdesk.documents import services
from borderdesk.documents.drafting import growth_phrase
from borderdesk.documents.models import IssuedReport
from borderdesk.org.models import Committee, DocumentNumberSeries

from .conftest import all_text, read_docx

pytestmark = pytest.mark.django_db


def test_seed_004_facts_in_annual_report(draft_2025):
    text = all_text(read_docx(draft_2025.docx))
    for sentence in [
        "trung bình đạt khoảng 1.700 lượt xe/ngày",
        "cao điểm đạt tới trên 2.000 lượt xe/ngày",
        "đạt trên 86 tỷ USD, tăng 44% so với cùng kỳ",
        "6,73 tỷ USD, tăng gần 30% so với cùng kỳ",
        "183 triệu USD, đạt 100% kế hoạch, tăng 8% so với cùng kỳ",
        "04 tập thể và 06 cá nhân được Chủ tịch UBND tỉnh Lạng Sơn tặng Bằng khen",
        "07 tập thể và 07 cá nhân được Giám đốc Sở Ngoại vụ tỉnh Lạng Sơn tặng Giấy khen",
    ]:
        assert sentence in text, sentence
    assert "tăng -" not in text and "tăng 0%" not in text and "⟦" not in text


def test_header_and_signature(draft_2025):
    d = read_docx(draft_2025.docx)
    header = d.tables[0]
    left = [p for p in header.cell(0, 0).paragraphs if p.text]
    right = [p for p in header.cell(0, 1).paragraphs if p.text]
    assert left[0].text == "UBND TỈNH LẠNG SƠN" and not left[0].runs[0].bold
    assert left[1].text == "BAN CHỈ ĐẠO CÔNG TÁC BIÊN GIỚI TỈNH LẠNG SƠN" and left[1].runs[0].bold
    assert right[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and right[0].runs[0].bold
    assert right[0].runs[0].font.size == Pt(12)
    assert right[1].text == "Độc lập - Tự do - Hạnh phúc" and right[1].runs[0].bold
    number = header.cell(1, 0).paragraphs[0]
    assert number.text == "Số:      /BC-BCĐ" and number.runs[0].font.size == Pt(13)
    date = header.cell(1, 1).paragraphs[0]
    assert date.text == "Lạng Sơn, ngày 05 tháng 01 năm 2026"
    assert date.runs[0].italic and date.runs[0].font.size == Pt(14)
    title = next(p for p in d.paragraphs if p.text == "BÁO CÁO")
    assert title.runs[0].bold and title.runs[0].font.size == Pt(14)
    sig = all_text(d)
    assert "TM. BAN CHỈ ĐẠO\nTRƯỞNG BAN\nPHÓ CHỦ TỊCH THƯỜNG TRỰC UBND TỈNH" in sig
    assert "Đinh Hữu Học" in sig
    recv = d.tables[1].cell(0, 0).paragraphs
    assert recv[0].text == "Nơi nhận:" and recv[0].runs[0].bold and recv[0].runs[0].italic
    assert recv[0].runs[0].font.size == Pt(12)
    assert recv[-1].text.startswith("- Lưu: VT") and recv[-1].runs[0].font.size == Pt(11)


def test_page_layout_fonts_and_page_numbers(draft_2025):
    d = read_docx(draft_2025.docx)
    s = d.sections[0]
    mm = [
        round(x.mm, 1)
        for x in (s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
    ]
    assert mm == [210, 297, 20, 20, 30, 15]
    assert s.different_first_page_header_footer
    assert "PAGE" in s.header._element.xml and "PAGE" not in s.first_page_header._element.xml
    assert s.header.paragraphs[0].alignment == 1  # centred
    runs = [r for p in d.paragraphs for r in p.runs] + [
        r for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
    ]
    assert runs and all(r.font.name == "Times New Roman" for r in runs)
    body = next(p for p in d.paragraphs if p.text.startswith("Lưu lượng phương tiện chở hàng hóa"))
    assert body.alignment == 3 and round(body.paragraph_format.first_line_indent.cm, 2) == 1.27
    assert body.paragraph_format.space_after == Pt(6) and body.runs[0].font.size == Pt(14)
    h1 = next(p for p in d.paragraphs if p.text.startswith("I. "))
    assert h1.text == h1.text.upper() and h1.runs[0].bold
    h2 = next(p for p in d.paragraphs if p.text.startswith("1. "))
    assert h2.runs[0].bold and not h2.runs[0].italic


def test_issue_freezes_number_and_date(draft_2025, users):
    series = DocumentNumberSeries.objects.get(committee=draft_2025.committee, symbol="BC-BCĐ", year=2026)
    issued = services.report_issue(user=users["vanphong.ls"], draft=draft_2025, issued_on=dt.date(2026, 1, 5))
    assert issued.number == series.last_number + 1
    d = read_docx(issued.docx)
    assert d.tables[0].cell(1, 0).paragraphs[0].text == f"Số: {issued.number:02d}/BC-BCĐ"
    with pytest.raises(ApplicationError, match="đã được ban hành"):
        services.report_issue(user=users["vanphong.ls"], draft=draft_2025)
    with pytest.raises(Exception, match="không được sửa"):
        issued.save()
    assert IssuedReport.objects.count() == 1


def test_no_number_series_is_a_clear_error(draft_2025, users):
    DocumentNumberSeries.objects.filter(committee=draft_2025.committee, year=2026).delete()
    with pytest.raises(ApplicationError, match="chưa có sổ số văn bản") as exc:
        services.report_issue(user=users["vanphong.ls"], draft=draft_2025, issued_on=dt.date(2026, 1, 5))
    assert exc.value.code == "no_number_series"
    assert IssuedReport.objects.count() == 0


def test_period_with_no_data_is_refused(users):
    c = Committee.objects.get(code="ls-kiemtra")
    with pytest.raises(ApplicationError, match="chưa có số liệu") as exc:
        services.draft_create(
            user=users["admin"], committee=c, period=parse_period("2012"), report_date=dt.date(2013, 1, 5)
        )
    assert exc.value.code == "no_data"


def test_drafts_are_versioned(draft_2025, users):
    again = services.draft_create(
        user=users["vanphong.ls"],
        committee=draft_2025.committee,
        period=parse_period("2025"),
        report_date=dt.date(2026, 1, 6),
    )
    assert (draft_2025.version, again.version) == (1, 2)


def test_growth_phrase_missing_base():
    assert growth_phrase(183, None) == ""


@pytest.mark.parametrize(
    "cur,base,expected",
    [
        ("6.73", "5.18", "tăng gần 30% so với cùng kỳ"),
        ("144", "100", "tăng 44% so với cùng kỳ"),
        ("108", "100", "tăng 8% so với cùng kỳ"),
        ("95", "100", "giảm 5% so với cùng kỳ"),
        ("100", "100", "bằng cùng kỳ"),
        ("100.01", "100", "tương đương cùng kỳ"),
        ("250", "100", "gấp 2,5 lần cùng kỳ"),
        ("10", "0", ""),
    ],
)
def test_growth_phrase(cur, base, expected):
    assert growth_phrase(cur, base) == expected
