"""What a Vietnamese office sees: no internal codes, field names or English words on a Vietnamese page (codes may
stay in the API and the exports), and the same page in English after the switch."""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from borderdesk.org.models import AdministrativeUnit
from borderdesk.reporting.models import Indicator
from tests.spreadsheets import xlsx_upload

pytestmark = pytest.mark.django_db

#: an internal code: upper-case words joined by underscores (MARKERS_TOTAL, PATROLS_BILATERAL)
CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")


def visible_text(html: str) -> str:
    """The page's text as a person reads it: text nodes and the options of lists, without scripts, styles and the
    attributes (a code may stay in a value or a data attribute)."""
    tree = HTMLParser(html)
    for node in tree.css("script, style, template"):
        node.decompose()
    return " ".join((tree.body or tree.root).text(separator=" ").split())


def codes_in(html: str) -> list[str]:
    return sorted(set(CODE.findall(visible_text(html))))


def _xlsx(rows):
    return xlsx_upload(rows, "ke-hoach.xlsx")


def test_targets_page_names_indicators_without_their_codes(client, users):
    client.force_login(users["vanphong.ls"])
    ls = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    ind = Indicator.objects.get(code="PATROLS_BILATERAL")
    url = f"/bao-cao/ke-hoach/?don_vi={ls.pk}&nam=2026"
    form = {"unit": ls.pk, "indicator": ind.pk, "period": "2026", "value": "1.700", "note": "", "don_vi": ls.pk}
    r = client.post(url, {**form, "nam": 2026}, follow=True)
    html = r.content.decode()
    text = visible_text(html)
    assert ind.name_vi in text and f"Đã lưu kế hoạch {ind.name_vi}" in text  # the table and the message
    assert codes_in(html) == [], codes_in(html)  # neither in the table, the message nor the list of indicators
    # The import's errors name the file's column, not the program's field
    rows = [["Mã đơn vị hành chính", "Đơn vị", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Kỳ kế hoạch", "Kế hoạch"]]
    rows.append([ls.code, ls.name, "KHONG_CO", "", "", "năm 2026", 5])
    r = client.post("/bao-cao/ke-hoach/nhap/", {"file": _xlsx(rows), "don_vi": ls.pk, "nam": 2026}, follow=True)
    cells = [td.text().strip() for td in HTMLParser(r.content.decode()).css("section[role=alert] td")]
    assert cells[:2] == ["2", "Mã chỉ tiêu"], cells
    # The API and the spreadsheet keep the codes
    listed = client.get(f"/api/reporting/targets?unit={ls.pk}&year=2026").json()
    assert "PATROLS_BILATERAL" in str(listed)
    # In English: the indicator's English name
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(url).content.decode()
    assert ind.name_en and ind.name_en in visible_text(html) and codes_in(html) == []


#: the outline's syntax words: they may be shown as code to type (<code>), never as the page's own words
OUTLINE_WORDS = re.compile(
    r"\b(committee|period|narratives|commendations|directives|conferences|firstof|full|value|compare|plan|has|"
    r"body|summary|recipients|with|for|if)\b"
)


def _outside_code(html: str) -> str:
    tree = HTMLParser(html)
    for node in tree.css("script, style, code, textarea, #xem-truoc"):
        node.decompose()
    return " ".join(tree.css_first("main").text(separator=" ").split())


def test_outline_editor_speaks_vietnamese(client, users):
    from borderdesk.documents.models import ReportTemplate

    client.force_login(users["admin"])
    url = f"/van-ban/mau/{ReportTemplate.objects.get(code='annual').pk}/"
    html = client.get(url).content.decode()
    assert OUTLINE_WORDS.findall(_outside_code(html)) == []
    tree = HTMLParser(html)
    assert tree.css("main code"), "the syntax is shown as code to type"
    from borderdesk.org.models import Committee

    codes = set(Committee.objects.values_list("code", flat=True))
    assert not any(c in o.text() for o in tree.css("#pc option") for c in codes), "committees by name, no code"
    # a problem names the field by its label
    r = client.post(url, {"summary": "{{ uy_ban }}", "body": "Dòng 1\n{{ f.KHONG_CO.full }}", "action": "save"})
    problems = [li.text() for li in HTMLParser(r.content.decode()).css("ul.errorlist li")]
    assert problems and all(p.startswith(("Trích yếu: ", "Đề cương: ")) for p in problems), problems
    # the fields one may type are named in quotes (“committee”), as syntax, never as the message's own words
    assert OUTLINE_WORDS.findall(re.sub(r"“[^”]*”", "", " ".join(problems))) == [], problems
    # in English: the same help from the catalogue
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = _outside_code(client.get(url).content.decode())
    assert "Summary" in text and "Trích yếu" not in text


#: a period written as the program keys it (2025H1, 2025Q3, 2025M09), not in words
PERIOD_KEY = re.compile(r"\b20\d\d(?:H[12]|Q[1-4]|M\d\d|N9)\b")


def test_drafting_page_offers_committees_and_periods_in_words(client, users):
    from borderdesk.documents.models import ReportDraft
    from borderdesk.org.models import Committee

    client.force_login(users["vanphong.ls"])
    html = client.get("/van-ban/").content.decode()
    text = visible_text(html)
    codes = set(Committee.objects.values_list("code", flat=True))
    assert [c for c in codes if c in text] == [] and PERIOD_KEY.findall(text) == [], PERIOD_KEY.findall(text)
    assert "Ban Chỉ đạo công tác biên giới tỉnh (Lạng Sơn)" in text
    # the period chosen with the picker (the first half of 2025), as every page that takes a period does
    ls = Committee.objects.get(code="ls-bcdbg")
    before = ReportDraft.objects.count()
    form = {"committee": ls.pk, "loai_ky": "H1", "nam_ky": 2025, "date": "05/07/2025"}
    r = client.post("/van-ban/", form)
    assert r.status_code == 302, r.content.decode()[:500]
    assert ReportDraft.objects.count() == before + 1
    assert ReportDraft.objects.order_by("-pk").first().period_key == "2025H1"


def test_coordination_page_names_no_command(client, users):
    client.force_login(users["vanphong.ls"])
    text = visible_text(client.get("/hoi-nghi/").content.decode())
    assert "send_reminders" not in text and "lệnh borderdesk" not in text  # an operator's command, not the office's


def _error_columns(html: str) -> list[str]:
    """The "Cột" cell of each row of an import's error table."""
    return [row.css("td")[1].text().strip() for row in HTMLParser(html).css("main table tbody tr") if row.css("td")]


def test_import_errors_name_the_files_columns_on_the_page_and_on_the_job_page(client, users, tmp_path, settings):
    from borderdesk.accounts import bulk as accounts_bulk

    settings.MEDIA_ROOT = tmp_path
    client.force_login(users["vanphong.ls"])
    header = [h for _k, h in accounts_bulk.COLUMNS]
    rows = [header, ["baocao.moi", "Người mới", "", "Thủ trưởng", "", "Xã Quốc Khánh", "", "", "", ""]]
    html = client.post("/tai-khoan/nguoi-dung/tao-hang-loat/", {"file": _xlsx(rows)}).content.decode()
    assert _error_columns(html) == ["Vai trò"], _error_columns(html)
    # the same import in the background: the job's page
    r = client.post("/tai-khoan/nguoi-dung/tao-hang-loat/", {"file": _xlsx(rows), "background": "on"})
    assert _error_columns(client.get(r["Location"]).content.decode()) == ["Vai trò"]
    # a plan import in the background
    ls = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    rows = [["Mã đơn vị hành chính", "Đơn vị", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Kỳ kế hoạch", "Kế hoạch"]]
    rows.append([ls.code, ls.name, "PATROLS_BILATERAL", "", "", "năm 2027", "một trăm"])
    r = client.post("/bao-cao/ke-hoach/nhap/", {"file": _xlsx(rows), "don_vi": ls.pk, "nam": 2027, "background": "1"})
    assert _error_columns(client.get(r["Location"]).content.decode()) == ["Kế hoạch"]


#: words of Django's own (English) template syntax errors
DJANGO_ENGLISH = re.compile(
    r"\b(statements?|should|expected|expression|Unexpected|requires|argument|assignment|words|Invalid|Unclosed|"
    r"Unused|Looking|remainder|forget|register|line|tag)\b"
)


@pytest.mark.parametrize(
    "source",
    [
        "{% for x %}{% endfor %}",
        "{% if %}{% endif %}",
        "{% if a b %}{% endif %}",
        "{% with %}{% endwith %}",
        "{% firstof %}",
        "{% for p in narratives.general %}",
        "{% endif %}",
        "{% if commendations.has %}{% else %}{% else %}{% endif %}",
        "{% load i18n %}",
        "{{ a|khong }}",
        "{{ period.label|date:'Y' x }}",
    ],
)
def test_outline_syntax_problems_are_vietnamese(source):
    from borderdesk.documents.outline import check_outline

    problems = [str(p) for p in check_outline(source)]
    assert problems, source
    assert not any(DJANGO_ENGLISH.search(re.sub(r"“[^”]*”", "", p)) for p in problems), problems
