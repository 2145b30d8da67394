"""The Decree 30/2020/NĐ-CP (Appendix I) layout of a report, written with python-docx.

`build_docx(doc)` turns a `ReportDocument` (plain data: header texts, body blocks, signature,
recipients) into .docx bytes: A4 portrait; margins 20/20/30/15 mm; Times New Roman everywhere;
a borderless header table (parent and issuing body | national title and motto; number | place-date
line); "BÁO CÁO" and the summary line; the body (14 pt, justified, first-line indent 1,27 cm, 6 pt
after, line spacing 1,15); the signature block and "Nơi nhận"; page numbers centred in the header,
not on the first page. The same `ReportDocument` renders the HTML preview.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from borderdesk.core.edge import strip_control_characters

FONT = "Times New Roman"
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
BODY_PT = 14
LINE_SPACING = 1.15
FIRST_LINE_INDENT_CM = 1.27
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

H1, H2, H3, PARA, BULLET = "h1", "h2", "h3", "p", "bullet"


@dataclass
class Block:
    kind: str  # h1, h2, h3, p, bullet
    text: str


@dataclass
class Signature:
    authority: str  # "TM. BAN CHỈ ĐẠO" or "KT. TRƯỞNG BAN"
    title: str  # "TRƯỞNG BAN" / "PHÓ TRƯỞNG BAN THƯỜNG TRỰC"
    post: str = ""  # the signer's post in the agency, e.g. "PHÓ CHỦ TỊCH THƯỜNG TRỰC UBND TỈNH"
    name: str = ""


@dataclass
class ReportDocument:
    parent_body: str
    issuing_body: str
    number_line: str
    date_line: str
    summary: str
    blocks: list[Block]
    signature: Signature
    recipients: list[str] = field(default_factory=list)
    title: str = "BÁO CÁO"


# Low-level helpers -----------------------------------------------------------------------------
def _set_run_font(run, size: float | None = None, bold: bool | None = None, italic: bool | None = None) -> None:
    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        run.font.size = Pt(size)
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            szcs = OxmlElement("w:szCs")
            rpr.append(szcs)
        szcs.set(qn("w:val"), str(int(size * 2)))
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic


def _para(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold=False,
    italic=False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
    before: float = 0,
    indent_cm: float | None = None,
    line_spacing: float = 1.0,
):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = line_spacing
    if indent_cm is not None:
        fmt.first_line_indent = Cm(indent_cm)
    if text:
        _set_run_font(p.add_run(strip_control_characters(text)), size, bold, italic)
    return p


def _bottom_rule(paragraph, *, left_mm: float = 0, right_mm: float = 0) -> None:
    """A horizontal rule under the paragraph, shortened by indents (the "short rule" of Decree 30)."""
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)
    paragraph.paragraph_format.left_indent = Mm(left_mm)
    paragraph.paragraph_format.right_indent = Mm(right_mm)


def _rule_paragraph(cell_or_doc, width_mm: float, container_mm: float):
    """An empty paragraph carrying the short rule. Its height is fixed (5 pt): an empty paragraph takes
    the height of its paragraph mark (14 pt), which left a visible gap between the text and its rule."""
    p = _para(cell_or_doc, "", size=4)
    p.paragraph_format.line_spacing = Pt(5)
    side = max(0.0, (container_mm - width_mm) / 2)
    _bottom_rule(p, left_mm=side, right_mm=side)
    return p


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _fix_widths(table, widths_mm: list[float]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(w).twips)))


def _first_paragraph(cell, text: str, **kw):
    p = cell.paragraphs[0]
    fmt = p.paragraph_format
    fmt.alignment = kw.pop("align", WD_ALIGN_PARAGRAPH.CENTER)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    _set_run_font(
        p.add_run(strip_control_characters(text)), kw.get("size", 13), kw.get("bold", False), kw.get("italic", False)
    )
    return p


def _page_number_header(section) -> None:
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("text", "2"), ("end", None)):
        run = p.add_run()
        _set_run_font(run, BODY_PT)
        if kind in ("begin", "separate", "end"):
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif kind == "text":
            run.text = strip_control_characters(text)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    # The first page keeps an empty header.
    section.first_page_header.paragraphs[0].text = ""


def _set_defaults(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.append(lang)


# The document ----------------------------------------------------------------------------------
LEFT_COL_MM, RIGHT_COL_MM = 64, 101


def build_docx(doc: ReportDocument) -> bytes:
    document = Document()
    _set_defaults(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    _page_number_header(section)

    # Header: parent + issuing body | national title + motto; number | place-date line.
    table = document.add_table(rows=2, cols=2)
    _no_borders(table)
    left, right = table.cell(0, 0), table.cell(0, 1)
    _first_paragraph(left, doc.parent_body.upper(), size=12)
    issuing = _para(left, doc.issuing_body.upper(), size=12, bold=True)
    del issuing
    _rule_paragraph(left, 22, LEFT_COL_MM)
    _first_paragraph(right, NATIONAL_TITLE, size=12, bold=True)
    motto = _para(right, MOTTO, size=14, bold=True)
    _bottom_rule(motto, left_mm=(RIGHT_COL_MM - 66) / 2, right_mm=(RIGHT_COL_MM - 66) / 2)
    number, date = table.cell(1, 0), table.cell(1, 1)
    _first_paragraph(number, doc.number_line, size=13).paragraph_format.space_before = Pt(6)
    _first_paragraph(date, doc.date_line, size=14, italic=True).paragraph_format.space_before = Pt(6)
    _fix_widths(table, [LEFT_COL_MM, RIGHT_COL_MM])

    # Title and summary line.
    _para(document, doc.title, size=14, bold=True, before=18)
    summary = _para(document, doc.summary, size=14, bold=True)
    del summary
    _rule_paragraph(document, 40, PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"])
    _para(document, "", size=6, after=6)

    for block in doc.blocks:
        text = block.text.strip()
        if not text:
            continue
        if block.kind == H1:
            text = text.upper()
        p = _para(
            document,
            "",
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            after=6,
            indent_cm=FIRST_LINE_INDENT_CM,
            line_spacing=LINE_SPACING,
        )
        _set_run_font(
            p.add_run(strip_control_characters(text)), BODY_PT, bold=block.kind in (H1, H2), italic=block.kind == H3
        )
        if block.kind in (H1, H2, H3):
            p.paragraph_format.keep_with_next = True

    # Signature block (right) and "Nơi nhận" (left).
    sig = document.add_table(rows=1, cols=2)
    _no_borders(sig)
    recv, sign = sig.cell(0, 0), sig.cell(0, 1)
    first = _first_paragraph(recv, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    first.paragraph_format.space_before = Pt(12)
    for line in doc.recipients:
        _para(recv, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    s = doc.signature
    head = _first_paragraph(sign, s.authority.upper(), size=14, bold=True)
    head.paragraph_format.space_before = Pt(12)
    _para(sign, s.title.upper(), size=14, bold=True)
    if s.post:
        _para(sign, s.post.upper(), size=14, bold=True)
    for _i in range(4):
        _para(sign, "", size=14)
    _para(sign, s.name, size=14, bold=True)
    _fix_widths(sig, [LEFT_COL_MM + 10, RIGHT_COL_MM - 10])

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def document_to_dict(doc: ReportDocument) -> dict:
    from dataclasses import asdict

    return asdict(doc)


def document_from_dict(data: dict) -> ReportDocument:
    data = dict(data)
    data["blocks"] = [Block(**b) for b in data.get("blocks", [])]
    data["signature"] = Signature(**data["signature"])
    return ReportDocument(**data)


def outline_to_blocks(text: str) -> list[Block]:
    """The rendered outline as blocks: "# I. …" / "## 1. …" / "### a) …" headings, "- …" items, paragraphs."""
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("### "):
            blocks.append(Block(H3, line[4:].strip()))
        elif line.startswith("## "):
            blocks.append(Block(H2, line[3:].strip()))
        elif line.startswith("# "):
            blocks.append(Block(H1, line[2:].strip()))
        elif line.startswith("- "):
            blocks.append(Block(BULLET, line))
        else:
            blocks.append(Block(PARA, line))
    return blocks


_NUMBERED = re.compile(r"^\d+\.\s+")
_LETTERED = re.compile(r"^[a-zđ]\)\s+")
_POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"  # Vietnamese order of points: a) b) c) d) đ) e) g) ...
_LEVEL = {H1: 1, H2: 2, H3: 3}


def prune_empty_sections(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Drop "1." / "a)" headings with nothing under them and renumber the rest in order.

    A section whose figures and narratives are all missing would otherwise print a bare heading (seen
    in the LibreOffice render of a Border Guard year without trade figures). Part headings ("I.")
    stay. Returns the blocks and the dropped headings."""
    kept, dropped = [], []
    for i, block in enumerate(blocks):
        if block.kind in (H2, H3):
            has_content = False
            for nxt in blocks[i + 1 :]:
                level = _LEVEL.get(nxt.kind)
                if level is None:
                    has_content = True
                    break
                if level <= _LEVEL[block.kind]:
                    break
            if not has_content:
                dropped.append(block.text)
                continue
        kept.append(Block(block.kind, block.text))
    n2 = n3 = 0
    for block in kept:
        if block.kind == H1:
            n2 = n3 = 0
        elif block.kind == H2 and (m := _NUMBERED.match(block.text)):
            n2, n3 = n2 + 1, 0
            block.text = f"{n2}. {block.text[m.end() :]}"
        elif block.kind == H3 and (m := _LETTERED.match(block.text)) and n3 < len(_POINT_LETTERS):
            block.text = f"{_POINT_LETTERS[n3]}) {block.text[m.end() :]}"
            n3 += 1
    return kept, dropped
