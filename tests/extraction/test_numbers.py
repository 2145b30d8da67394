from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from borderdesk.extraction.numbers import (
    format_vn_number,
    parse_number_token,
    parse_number_words,
    parse_vn_amount,
)


@pytest.mark.parametrize(
    ("token", "countable", "expected"),
    [
        ("1.700", None, "1700"),
        ("6,73", None, "6.73"),
        ("51.990,563", None, "51990.563"),
        ("03", True, "3"),
        ("1,700", True, "1.700"),  # "," is always the decimal mark, even for people (issue 15)
        ("274,065", False, "274.065"),  # Vietnamese decimal for km
        ("1.234.567", None, "1234567"),
        ("1,234,567", None, "1234567"),
        ("81,84", False, "81.84"),
    ],
)
def test_parse_number_token(token, countable, expected):
    assert parse_number_token(token, countable=countable) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6,73 tỷ", "6730000000"),
        ("275 nghìn", "275000"),
        ("3 tỷ 450 triệu", "3450000000"),
        ("183 triệu", "183000000"),
        ("2 nghìn tỷ", "2000000000000"),
        ("1,2 ngàn", "1200"),
        ("5 tỉ", "5000000000"),
    ],
)
def test_parse_vn_amount(text, expected):
    assert parse_vn_amount(text) == Decimal(expected)


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3.4x", "3 triệu 450 tỷ", "12 xe"])
def test_parse_rejects(bad):
    with pytest.raises(ValueError):
        parse_vn_amount(bad)


def test_format():
    assert format_vn_number(Decimal("51990.563")) == "51.990,563"
    assert format_vn_number(1700) == "1.700"
    assert format_vn_number(Decimal("6.73")) == "6,73"


@given(st.decimals(min_value=0, max_value=10**15, places=3, allow_nan=False, allow_infinity=False))
def test_format_then_parse_round_trip(value):
    text = format_vn_number(value)
    assert parse_number_token(text) == value


@given(st.integers(min_value=0, max_value=999), st.integers(min_value=1, max_value=999))
def test_additive_scales(billions, millions):
    assert parse_vn_amount(f"{billions} tỷ {millions} triệu") == Decimal(billions) * 10**9 + Decimal(millions) * 10**6


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("hai mươi", "20"),
        ("hai mươi lăm", "25"),
        ("hai mươi mốt", "21"),
        ("hai mươi tư", "24"),
        ("mười", "10"),
        ("mười lăm", "15"),
        ("mười hai", "12"),
        ("ba trăm", "300"),
        ("một trăm linh năm", "105"),
        ("ba trăm năm mươi", "350"),
        ("trăm rưỡi", "150"),
        ("hai nghìn rưỡi", "2500"),
        ("một triệu rưỡi", "1500000"),
        ("ba nghìn hai", "3200"),
        ("một trăm hai", "120"),
        ("hai chục", "20"),
        ("chín mươi chín", "99"),
        ("bảy trăm năm mươi nghìn", "750000"),
        ("hai triệu ba trăm nghìn", "2300000"),
        ("hai nghìn tỷ", "2000000000000"),
        ("năm trăm", "500"),
        ("ba ngàn", "3000"),
    ],
)
def test_parse_number_words(words, expected):
    assert parse_number_words(words.split()) == Decimal(expected)


@pytest.mark.parametrize(
    "words",
    ["năm", "mười năm", "hai mươi năm", "hai ba", "tư", "mốt", "lẻ", "mươi", "rưỡi", "ba rưỡi trăm", "triệu nghìn", ""],
)
def test_parse_number_words_rejects(words):
    with pytest.raises(ValueError):
        parse_number_words(words.split())


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=0, max_value=9))
def test_tens_in_words(tens, units):
    names = ["", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
    unit_word = {0: [], 1: ["mốt"] if tens > 1 else ["một"], 4: ["tư"] if tens > 1 else ["bốn"], 5: ["lăm"]}.get(
        units, [names[units]]
    )
    words = (["mười"] if tens == 1 else [names[tens], "mươi"]) + unit_word
    assert parse_number_words(words) == tens * 10 + units
