"""The review page proposes the period the text reports on, highlights figures in place (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest

from borderdesk.extraction import selectors, services
from borderdesk.extraction.models import FigureProposal

from .test_review import SEED, dong_dang, report_form  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def _page(client, document):
    return client.get(f"/trich-xuat/van-ban/{document.pk}/").content.decode()


def test_period_and_province_read_at_upload(users, dong_dang):  # noqa: F811
    document = services.document_create(user=users["baocao.dongdang"], title="", text=SEED, unit=dong_dang)
    assert (document.period_key, document.period_guess) == ("2025M03", "tháng 3 năm 2025")


def test_import_period_defaults_to_the_text_not_to_the_last_period(login, users, dong_dang, report_form):  # noqa: F811
    text = "Trong 6 tháng đầu năm, tỉnh Lạng Sơn tổ chức 20 lượt tuần tra song phương."
    document = services.document_create(user=users["baocao.dongdang"], title="Báo cáo", text=text, unit=dong_dang)
    year = dt.date.today().year
    assert document.period_key == f"{year}H1"
    html = _page(login(users["baocao.dongdang"]), document)
    # the demo catalogue has a half-year form: it is proposed with the text's half-year
    assert f'name="period" value="{year}H1"' in html
    assert "theo kỳ nêu trong văn bản" in html
    # with a monthly form only: the month holding the end of the half-year (14/6 under Decree 09)
    form, period = selectors.import_defaults(document=document, forms=[report_form])
    assert (form, period) == (report_form, f"{year}M06")
    document.period_key = ""
    assert selectors.import_defaults(document=document, forms=[report_form])[1] != f"{year}M06"


def test_province_other_than_the_unit_is_pointed_out(login, users, dong_dang):  # noqa: F811
    text = "Năm 2025, tỉnh Cao Bằng tổ chức 20 lượt tuần tra song phương; tỉnh Cao Bằng có 5 cửa khẩu."
    document = services.document_create(user=users["baocao.dongdang"], title="", text=text, unit=dong_dang)
    assert document.province_guess == "Cao Bằng"
    html = _page(login(users["baocao.dongdang"]), document)
    assert "văn bản nói về tỉnh Cao Bằng" in html
    same = services.document_create(
        user=users["baocao.dongdang"], title="", text=SEED + " Tỉnh Lạng Sơn.", unit=dong_dang
    )
    assert "văn bản nói về tỉnh" not in _page(login(users["baocao.dongdang"]), same)


def test_highlights_in_place_changes_comparisons_and_numbers_left(login, users, dong_dang):  # noqa: F811
    text = (
        "Năm 2025, lực lượng phát hiện 17 vụ buôn lậu với 23 đối tượng, giảm 5 vụ so với cùng kỳ. "
        "Theo Kế hoạch số 12/KH-UBND, đã tổ chức 20 lượt tuần tra song phương."
    )
    document = services.document_create(user=users["baocao.dongdang"], title="", text=text, unit=dong_dang)
    change = FigureProposal.objects.get(document=document, quote="giảm 5 vụ")
    cases = FigureProposal.objects.get(document=document, quote="17 vụ")
    assert (change.change_direction, change.change_of, change.indicator_code) == ("down", cases.position, "")
    html = _page(login(users["baocao.dongdang"]), document)
    assert f'<mark id="q{cases.pk}" class="fig fig-proposed fig-mapped"' in html
    assert f'<mark id="q{change.pk}" class="fig fig-proposed fig-unmapped fig-change"' in html
    assert '<span class="num-left">12</span>' in html  # a document number: shown as a number not taken
    assert "mức giảm" in html  # the change is labelled in the table
    # indicator codes never break across lines (the page's stylesheet; no inline style under the CSP)
    from pathlib import Path

    import borderdesk

    css = (Path(borderdesk.__file__).parent / "extraction" / "static" / "extraction" / "document.css").read_text()
    assert "extraction/document.css" in html and "td code, .code { white-space:nowrap; }" in css


def test_part_of_a_whole_is_labelled(login, users, dong_dang):  # noqa: F811
    document = services.document_create(
        user=users["baocao.dongdang"], title="", text="Đã kiểm tra 130/131 mốc trên địa bàn.", unit=dong_dang
    )
    part, whole = FigureProposal.objects.filter(document=document).order_by("position")
    assert (part.part_of, whole.part_of) == (whole.position, None)
    assert "phần của số liệu #2" in _page(login(users["baocao.dongdang"]), document)


def test_api_gives_the_period_province_changes_and_parts(login, users, dong_dang):  # noqa: F811
    client = login(users["baocao.dongdang"])
    text = "Năm 2025, tỉnh Lạng Sơn kiểm tra 130/131 mốc; phát hiện 17 vụ, giảm 5 vụ so với cùng kỳ."
    body = client.post("/api/extraction/documents", {"title": "API", "text": text, "unit_id": dong_dang.pk}).json()
    assert (body["period_key"], body["province_guess"]) == ("2025", "Lạng Sơn")
    by_quote = {p["quote"]: p for p in body["proposals"]}
    assert by_quote["130"]["part_of"] == by_quote["131 mốc"]["position"]
    assert (by_quote["giảm 5 vụ"]["change_direction"], by_quote["giảm 5 vụ"]["change_of"]) == (
        "down",
        by_quote["17 vụ"]["position"],
    )


@pytest.mark.parametrize(
    ("kind", "key"), [("H1", "2026H1"), ("month", "2026M11"), ("quarter", "2026Q3"), ("year", "2025"), ("H2", "2025H2")]
)
def test_without_a_period_in_the_text_the_last_period_that_ended(kind, key):
    from borderdesk.core.periods import PeriodSpec

    # uploaded on 6 December 2026: the last half-year is 2026H1, not 2025H1
    assert selectors.latest_ended_period(PeriodSpec(kind, "decree09"), dt.date(2026, 12, 6)).key == key
