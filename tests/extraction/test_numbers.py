from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from borderdesk.extraction.numbers import format_vn_number, parse_number_token, parse_vn_amount


@pytest.mark.parametrize(
    ("token", "countable", "expected"),
    [
        ("1.700", None, "1700"),
        ("6,73", None, "6.73"),
        ("51.990,563", None, "51990.563"),
        ("03", True, "3"),
        ("1,700", True, "1700"),  # English thousands for people or vehicles
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
    [("6,73 tỷ", "6730000000"), ("275 nghìn", "275000"), ("3 tỷ 450 triệu", "3450000000"),
     ("183 triệu", "183000000"), ("2 nghìn tỷ", "2000000000000"), ("1,2 ngàn", "1200"), ("5 tỉ", "5000000000")],
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
