"""Decree 30/2020 Appendix I ranges (not only this layout's chosen values), read back from the .docx."""

import pytest
from docx.shared import Pt

from .conftest import read_docx

pytestmark = pytest.mark.django_db


def test_page_and_margins_within_decree_30_ranges(draft_2025):
    s = read_docx(draft_2025.docx).sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)  # A4 portrait
    assert 20 <= round(s.top_margin.mm) <= 25 and 20 <= round(s.bottom_margin.mm) <= 25
    assert 30 <= round(s.left_margin.mm) <= 35 and 15 <= round(s.right_margin.mm) <= 20


def test_header_elements_sizes_and_styles(draft_2025):
    d = read_docx(draft_2025.docx)
    title = next(i for i, p in enumerate(d.paragraphs) if p.text == "BÁO CÁO")
    summary = d.paragraphs[title + 1]
    assert summary.text.startswith("Tổng kết công tác biên giới năm 2025")
    assert summary.runs[0].bold and summary.runs[0].font.size == Pt(14) and summary.alignment == 1
    # 12-13 pt for the bodies' names, 13 pt for the number line, 13-14 pt italic date line, 13-14 pt body.
    left = [p for p in d.tables[0].cell(0, 0).paragraphs if p.text]
    assert all(Pt(12) <= p.runs[0].font.size <= Pt(13) for p in left)
    motto = [p for p in d.tables[0].cell(0, 1).paragraphs if p.text][1]
    assert Pt(13) <= motto.runs[0].font.size <= Pt(14) and not motto.runs[0].italic
    date = d.tables[0].cell(1, 1).paragraphs[0]
    assert date.runs[0].italic and not date.runs[0].bold
    assert date.text.startswith("Lạng Sơn, ngày 05 tháng 01 năm 2026")
    body = [p for p in d.paragraphs[title + 2 :] if p.text]
    assert body and all(Pt(13) <= r.font.size <= Pt(14) for p in body for r in p.runs)
    # Short rules under the issuing body, the motto and the summary line (Decree 30 "đường kẻ ngang").
    xml = d.element.xml
    assert xml.count("<w:bottom ") >= 3
    # Signature block: authority and titles bold, signer's name bold; page numbers from page 2, centred.
    sig = [p for p in d.tables[1].cell(0, 1).paragraphs if p.text]
    assert [p.text for p in sig[:2]] == ["TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN"] and all(p.runs[0].bold for p in sig)
    s = d.sections[0]
    assert s.different_first_page_header_footer and "PAGE" in s.header._element.xml
