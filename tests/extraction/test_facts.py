"""The period and province a text reports on, read from the text itself (issue 15)."""

from datetime import date
from pathlib import Path

import pytest

from borderdesk.extraction.facts import text_facts

CORPUS = Path(__file__).parent / "corpus"
DEC_2026 = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("seed", "key", "province"),
    [
        ("seed_000", "2021H1", "Lạng Sơn"),  # "6 tháng đầu năm" + "ngày 24/6" of a text about 2021
        ("seed_001", "2023", "Lạng Sơn"),  # "sơ kết ... năm 2023 và ký kết quy chế phối hợp năm 2024"
        ("seed_002", "2020H1", "Sơn La"),
        ("seed_003", "C20230804", "Sơn La"),  # "Từ đầu năm đến nay" in a text dated 04/8/2023
        ("seed_004", "2025", "Lạng Sơn"),
    ],
)
def test_seed_periods_and_provinces(seed, key, province):
    facts = text_facts((CORPUS / f"{seed}.txt").read_text(encoding="utf-8"), uploaded=DEC_2026)
    assert (facts.period_key, facts.province) == (key, province)


def test_half_year_without_a_year_takes_the_year_of_the_upload_not_a_fixed_one():
    facts = text_facts(
        "Trong 6 tháng đầu năm, các đồn tổ chức 12 đợt tuần tra.",
        title="Báo cáo công tác biên giới tỉnh Lào Cai",
        uploaded=DEC_2026,
    )
    assert (facts.period_key, facts.period_label, facts.province) == ("2026H1", "6 tháng đầu năm", "Lào Cai")


def test_title_outweighs_the_body():
    facts = text_facts(
        "Năm 2025 tỉnh tổ chức 12 đợt tuần tra; năm 2025 có 5 vụ.", title="Báo cáo quý III/2026", uploaded=DEC_2026
    )
    assert facts.period_key == "2026Q3"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Quý III/2025, kim ngạch tăng 5% so với quý II/2025.", "2025Q3"),
        ("Tính đến ngày 30/11/2025, kim ngạch đạt 2 tỷ USD, tăng 8% so với năm 2024.", "C20251130"),
        ("Năm 2025, tỉnh Hà Giang tổ chức 1.120 lượt tuần tra. Phương hướng, nhiệm vụ năm 2026: ...", "2025"),
        ("Sơ kết 6 tháng đầu năm 2021, triển khai nhiệm vụ 6 tháng cuối năm 2021.", "2021H1"),
        ("Trong tháng 11/2026, các đồn tổ chức 40 lượt tuần tra.", "2026M11"),
        ("Kết quả 9 tháng năm 2025: phát hiện 12 vụ, giảm 3 vụ so với 9 tháng năm 2024.", "2025N9"),
    ],
)
def test_period_kinds_and_references_left_out(text, key):
    assert text_facts(text, uploaded=DEC_2026).period_key == key


def test_nothing_named_nothing_proposed():
    facts = text_facts("Các đồn tổ chức 12 đợt tuần tra.", uploaded=None)
    assert (facts.period_key, facts.province) == ("", "")


def test_a_period_after_the_upload_is_not_proposed():
    assert text_facts("Kế hoạch năm 2027 của tỉnh.", uploaded=DEC_2026).period_key == ""
