"""Reporting periods: Decree 09/2019 windows, calendar windows, cut-offs, keys and labels."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from borderdesk.core.periods import (
    CUTOFF,
    H1,
    H2,
    MONTH,
    N9,
    QUARTER,
    YEAR,
    Period,
    PeriodSpec,
    cutoff_period,
    parse_period,
    period_containing,
    period_for,
    periods_in_year,
    roman,
)

years = st.integers(min_value=1990, max_value=2100)
base_rules = st.sampled_from(["decree09", "calendar"])
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


def d(s: str) -> date:
    day, month, year = (int(x) for x in s.split("/"))
    return date(year, month, day)


# Decree 09/2019/NĐ-CP windows: the domain.md table and the other kinds ------------------------------
@pytest.mark.parametrize(
    ("key", "start", "end", "label_vi"),
    [
        ("2025M03", "15/02/2025", "14/03/2025", "tháng 3/2025"),
        ("2025M01", "15/12/2024", "14/01/2025", "tháng 1/2025"),
        ("2025M12", "15/11/2025", "14/12/2025", "tháng 12/2025"),
        ("2025Q1", "15/12/2024", "14/03/2025", "quý I/2025"),
        ("2025Q2", "15/03/2025", "14/06/2025", "quý II/2025"),
        ("2025Q3", "15/06/2025", "14/09/2025", "quý III/2025"),
        ("2025Q4", "15/09/2025", "14/12/2025", "quý IV/2025"),
        ("2025H1", "15/12/2024", "14/06/2025", "6 tháng đầu năm 2025"),
        ("2025H2", "15/06/2025", "14/12/2025", "6 tháng cuối năm 2025"),
        ("2025N9", "15/12/2024", "14/09/2025", "9 tháng năm 2025"),
        ("2025", "15/12/2024", "14/12/2025", "năm 2025"),
    ],
)
def test_decree09_windows_and_labels(key, start, end, label_vi):
    p = parse_period(key, "decree09")
    assert (p.start, p.end) == (d(start), d(end))
    assert p.label_vi == p.label("vi") == str(p) == label_vi
    assert p.rule == "decree09"
    assert p.key == key


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2025M02", "01/02/2025", "28/02/2025"),
        ("2024M02", "01/02/2024", "29/02/2024"),
        ("2025M03", "01/03/2025", "31/03/2025"),
        ("2025Q1", "01/01/2025", "31/03/2025"),
        ("2025Q4", "01/10/2025", "31/12/2025"),
        ("2025H1", "01/01/2025", "30/06/2025"),
        ("2025H2", "01/07/2025", "31/12/2025"),
        ("2025N9", "01/01/2025", "30/09/2025"),
        ("2025", "01/01/2025", "31/12/2025"),
    ],
)
def test_calendar_windows(key, start, end):
    p = parse_period(key, "calendar")
    assert (p.start, p.end) == (d(start), d(end))
    assert p.rule == "calendar"


def test_default_rule_is_decree09():
    assert parse_period("2025M03") == parse_period("2025M03", "decree09")
    assert period_for("month", 2025, 3) == parse_period("2025M03", "decree09")


def test_english_labels():
    assert parse_period("2025M03").label("en") == "March 2025"
    assert parse_period("2025Q3").label_en == "Q3 2025"
    assert parse_period("2025H1").label_en == "first half of 2025"
    assert parse_period("2025H2").label_en == "second half of 2025"
    assert parse_period("2025N9").label_en == "first nine months of 2025"
    assert parse_period("2025").label_en == "year 2025"
    assert parse_period("C20251130").label_en == "up to 30 November 2025"
    with pytest.raises(ValueError):
        parse_period("2025").label("fr")


def test_window_label():
    p = parse_period("2025H1")
    assert p.window_label() == "từ ngày 15/12/2024 đến ngày 14/06/2025"
    assert p.window_label("en") == "15/12/2024 – 14/06/2025"


def test_roman_numerals():
    assert [roman(i) for i in range(1, 5)] == ["I", "II", "III", "IV"]
    assert [p.label_vi for p in periods_in_year(2025, QUARTER)] == [
        "quý I/2025",
        "quý II/2025",
        "quý III/2025",
        "quý IV/2025",
    ]
    with pytest.raises(ValueError):
        roman(5)


def test_days():
    assert parse_period("2025M03").days == 28  # 15/02–14/03/2025
    assert parse_period("2024M03").days == 29  # leap February
    assert parse_period("2025").days == 365
    assert parse_period("2024", "calendar").days == 366
    assert parse_period("2025", "decree09").days == 365  # 15/12/2024–14/12/2025
    assert parse_period("2024", "decree09").days == 366  # contains 29/02/2024


# Parsing -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad",
    ["2025Q5", "2025Q0", "2025M13", "2025M00", "2025M3", "abc", "", "20251", "2025H3", "2025N8", "C20250230",
     "C2025113", "25Q1", "2025-Q1", "0001"],
)  # fmt: skip
def test_parse_period_rejects_bad_keys(bad):
    with pytest.raises(ValueError, match="2025|Mã kỳ|Năm|khoảng"):
        parse_period(bad)


def test_parse_period_messages_are_clear():
    # for people: Vietnamese first (translated into English when chosen), never internal English
    with pytest.raises(ValueError, match="quý phải từ 1 đến 4"):
        parse_period("2025Q5")
    with pytest.raises(ValueError, match="tháng phải từ 01 đến 12"):
        parse_period("2025M13")
    with pytest.raises(ValueError, match="Mã kỳ “abc” không hợp lệ"):
        parse_period("abc")
    with pytest.raises(ValueError, match="không phải là ngày"):
        parse_period("C20250230")


def test_parse_period_rejects_bad_rule_and_type():
    with pytest.raises(ValueError, match="Unknown period rule"):
        parse_period("2025", "gregorian")
    with pytest.raises(ValueError, match="not 'custom'"):
        parse_period("2025Q1", "custom")
    with pytest.raises(ValueError, match="must be a string"):
        parse_period(2025)  # type: ignore[arg-type]


def test_parse_period_is_lenient_on_case_and_spaces():
    assert parse_period(" 2025q1 ") == parse_period("2025Q1")
    assert parse_period("c20251130d") == parse_period("C20251130D")


def test_period_for_validation():
    with pytest.raises(ValueError, match="Quarter must be 1..4"):
        period_for(QUARTER, 2025, 5)
    with pytest.raises(ValueError, match="Month must be 1..12"):
        period_for(MONTH, 2025)
    with pytest.raises(ValueError, match="takes no index"):
        period_for(YEAR, 2025, 1)
    with pytest.raises(ValueError, match="Unknown period kind"):
        period_for("week", 2025)
    with pytest.raises(ValueError, match="cutoff_period"):
        period_for(CUTOFF, 2025)
    with pytest.raises(ValueError, match="Unknown period rule"):
        period_for(YEAR, 2025, rule="custom")
    with pytest.raises(ValueError, match="integer"):
        period_for(YEAR, "2025")  # type: ignore[arg-type]


def test_kind_aliases():
    assert period_for("Q", 2025, 1) == period_for(QUARTER, 2025, 1)
    assert period_for("m", 2025, 3) == period_for(MONTH, 2025, 3)
    assert period_for("Y", 2025) == period_for(YEAR, 2025)
    assert period_for("h1", 2025).kind == H1


# Navigation ----------------------------------------------------------------------------------------
def test_previous_and_next():
    assert parse_period("2025M01").previous() == parse_period("2024M12")
    assert parse_period("2025M03").previous() == parse_period("2025M02")
    assert parse_period("2025Q1").previous() == parse_period("2024Q4")
    assert parse_period("2025").previous() == parse_period("2024")
    assert parse_period("2025H1").previous() == parse_period("2024H1")
    assert parse_period("2025H2").previous() == parse_period("2024H2")
    assert parse_period("2024M12").next() == parse_period("2025M01")
    assert parse_period("2024Q4").next() == parse_period("2025Q1")
    assert parse_period("2024").next() == parse_period("2025")
    assert parse_period("2025M03", "calendar").previous().rule == "calendar"


def test_same_period_last_year():
    p = parse_period("2025Q3")
    assert p.same_period_last_year() == parse_period("2024Q3")
    assert parse_period("2025H1", "calendar").same_period_last_year() == parse_period("2024H1", "calendar")


def test_contains_and_overlaps():
    march = parse_period("2025M03")
    assert march.contains(date(2025, 2, 15))
    assert march.contains(date(2025, 3, 14))
    assert not march.contains(date(2025, 3, 15))
    assert not march.contains(date(2025, 2, 14))
    assert march.overlaps(parse_period("2025Q1"))
    assert not march.overlaps(parse_period("2025M04"))
    assert march.overlaps(parse_period("2025M03", "calendar"))  # 01/03–31/03 shares 01/03–14/03
    assert not parse_period("2025H1").overlaps(parse_period("2025H2"))


def test_months_of_a_period():
    months = parse_period("2025Q2").months()
    assert [m.key for m in months] == ["2025M04", "2025M05", "2025M06"]
    with pytest.raises(ValueError):
        cutoff_period(date(2025, 11, 30)).months()


def test_period_containing_decree09_boundaries():
    assert period_containing(date(2025, 3, 14), MONTH) == parse_period("2025M03")
    assert period_containing(date(2025, 3, 15), MONTH) == parse_period("2025M04")
    assert period_containing(date(2024, 12, 15), MONTH) == parse_period("2025M01")
    assert period_containing(date(2024, 12, 15), YEAR) == parse_period("2025")
    assert period_containing(date(2024, 12, 14), YEAR) == parse_period("2024")
    assert period_containing(date(2025, 6, 14), H1) == parse_period("2025H1")
    assert period_containing(date(2025, 6, 15), H2) == parse_period("2025H2")
    with pytest.raises(ValueError, match="not inside any H1"):
        period_containing(date(2025, 6, 15), H1)
    with pytest.raises(ValueError, match="not inside any N9"):
        period_containing(date(2025, 9, 15), N9)


def test_period_containing_calendar():
    assert period_containing(date(2025, 3, 31), MONTH, "calendar") == parse_period("2025M03", "calendar")
    assert period_containing(date(2025, 12, 31), YEAR, "calendar") == parse_period("2025", "calendar")
    assert period_containing(date(2025, 4, 1), QUARTER, "calendar").key == "2025Q2"


def test_periods_in_year_counts():
    assert len(periods_in_year(2025, MONTH)) == 12
    assert len(periods_in_year(2025, QUARTER)) == 4
    assert periods_in_year(2025, H1) == [parse_period("2025H1")]
    with pytest.raises(ValueError):
        periods_in_year(2025, CUTOFF)


def test_periods_sort_chronologically():
    ps = [parse_period(k) for k in ["2025M03", "2024M12", "2025M01"]]
    assert [p.key for p in sorted(ps)] == ["2024M12", "2025M01", "2025M03"]


def test_period_is_hashable_and_frozen():
    p = parse_period("2025Q1")
    assert {p, parse_period("2025Q1")} == {p}
    with pytest.raises(AttributeError):
        p.key = "2025Q2"  # type: ignore[misc]
    with pytest.raises(ValueError, match="after end"):
        Period(key="x", kind=YEAR, rule="calendar", year=2025, index=None,
               start=date(2025, 2, 1), end=date(2025, 1, 1))  # fmt: skip


# Custom cut-offs -----------------------------------------------------------------------------------
def test_cutoff_calendar_base():
    p = parse_period("C20251130")
    assert p.kind == CUTOFF and p.rule == "custom" and p.base_rule == "calendar"
    assert (p.start, p.end) == (date(2025, 1, 1), date(2025, 11, 30))
    assert p.label_vi == "tính đến ngày 30/11/2025"
    assert p.year == 2025


def test_cutoff_decree09_base():
    p = cutoff_period(date(2025, 11, 30), base_rule="decree09")
    assert p.key == "C20251130D"
    assert (p.start, p.end) == (date(2024, 12, 15), date(2025, 11, 30))
    late = cutoff_period(date(2025, 12, 20), base_rule="decree09")  # in the Decree 09 year 2026
    assert (late.start, late.year) == (date(2025, 12, 15), 2026)


def test_cutoff_key_carries_its_base_whatever_the_rule_argument():
    for rule in ("decree09", "calendar", "custom"):
        assert parse_period("C20251130", rule).base_rule == "calendar"
        assert parse_period("C20251130D", rule).base_rule == "decree09"


def test_cutoff_on_29_february():
    p = parse_period("C20240229")
    assert (p.start, p.end) == (date(2024, 1, 1), date(2024, 2, 29))
    last = p.same_period_last_year()
    assert last.key == "C20230228"
    assert last.end == date(2023, 2, 28)
    assert p.previous() == last
    assert cutoff_period(date(2024, 2, 29), "decree09").same_period_last_year().key == "C20230228D"


def test_cutoff_on_first_day_is_one_day():
    assert cutoff_period(date(2025, 1, 1)).days == 1
    assert cutoff_period(date(2024, 12, 15), "decree09").days == 1


def test_cutoff_rejects_bad_input():
    with pytest.raises(ValueError):
        cutoff_period("2025-11-30")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        cutoff_period(date(2025, 11, 30), base_rule="custom")


# PeriodSpec ----------------------------------------------------------------------------------------
def test_period_spec_round_trip_and_use():
    spec = PeriodSpec(kind="H1", rule="decree09")
    assert spec.to_dict() == {"kind": "H1", "rule": "decree09"}
    assert PeriodSpec.from_dict(spec.to_dict()) == spec
    assert spec.period(2025) == parse_period("2025H1")
    assert spec.parse("2025H1") == parse_period("2025H1")
    assert spec.periods_in_year(2025) == [parse_period("2025H1")]
    assert spec.period_containing(date(2025, 1, 10)) == parse_period("2025H1")
    with pytest.raises(ValueError, match="không đúng loại kỳ"):
        spec.parse("2025H2")


def test_period_spec_monthly():
    spec = PeriodSpec(kind="month", rule="calendar")
    assert spec.period(2025, 3) == parse_period("2025M03", "calendar")
    assert len(spec.periods_in_year(2025)) == 12


def test_period_spec_cutoff():
    spec = PeriodSpec(kind="cutoff", rule="custom", base_rule="calendar", cutoff_month=11, cutoff_day=30)
    assert spec.to_dict() == {
        "kind": "cutoff",
        "rule": "custom",
        "base_rule": "calendar",
        "cutoff_month": 11,
        "cutoff_day": 30,
    }
    assert PeriodSpec.from_dict(spec.to_dict()) == spec
    assert spec.period(2025).key == "C20251130"
    assert spec.parse("C20251130") == spec.period(2025)
    with pytest.raises(ValueError, match="không đúng loại kỳ"):
        spec.parse("C20251130D")
    leap = PeriodSpec(kind="cutoff", rule="custom", cutoff_month=2, cutoff_day=29)
    assert leap.base_rule == "calendar"
    assert leap.period(2025).end == date(2025, 2, 28)
    assert leap.period(2024).end == date(2024, 2, 29)
    free = PeriodSpec(kind="cutoff", rule="custom", base_rule="decree09")
    assert free.period_containing(date(2025, 11, 30)).key == "C20251130D"
    with pytest.raises(ValueError, match="no fixed cut-off"):
        free.period(2025)


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "H1", "rule": "custom"},
        {"kind": "cutoff", "rule": "decree09"},
        {"kind": "H1", "rule": "decree09", "base_rule": "calendar"},
        {"kind": "cutoff", "rule": "custom", "cutoff_month": 11},
        {"kind": "cutoff", "rule": "custom", "cutoff_month": 2, "cutoff_day": 30},
        {"kind": "fortnight", "rule": "calendar"},
        {"kind": "H1", "rule": "decree09", "colour": "red"},
        {"rule": "decree09"},
        "H1",
    ],
)
def test_period_spec_rejects_invalid(data):
    with pytest.raises(ValueError):
        PeriodSpec.from_dict(data)


# Properties ----------------------------------------------------------------------------------------
def assert_tiles(parts: list[Period], whole: Period) -> None:
    assert parts[0].start == whole.start
    assert parts[-1].end == whole.end
    for before, after in zip(parts, parts[1:], strict=False):
        assert before.end + timedelta(days=1) == after.start
    assert sum(p.days for p in parts) == whole.days


@given(years, base_rules)
def test_months_tile_the_year(year, rule):
    assert_tiles(periods_in_year(year, MONTH, rule), period_for(YEAR, year, rule=rule))


@given(years, base_rules)
def test_quarters_tile_the_year(year, rule):
    assert_tiles(periods_in_year(year, QUARTER, rule), period_for(YEAR, year, rule=rule))


@given(years, base_rules)
def test_halves_tile_the_year(year, rule):
    assert_tiles([period_for(H1, year, rule=rule), period_for(H2, year, rule=rule)], period_for(YEAR, year, rule=rule))


@given(years, base_rules)
def test_months_tile_quarters_halves_and_nine_months(year, rule):
    for kind, index in [
        (QUARTER, 1),
        (QUARTER, 2),
        (QUARTER, 3),
        (QUARTER, 4),
        (H1, None),
        (H2, None),
        (N9, None),
    ]:
        whole = period_for(kind, year, index, rule)
        assert_tiles(whole.months(), whole)
    n9 = period_for(N9, year, rule=rule)
    assert n9.end == period_for(QUARTER, year, 3, rule).end


@given(years, base_rules)
def test_consecutive_years_are_contiguous(year, rule):
    p = period_for(YEAR, year, rule=rule)
    assert p.previous().end + timedelta(days=1) == p.start
    assert p.next().start == p.end + timedelta(days=1)


@given(years, base_rules, st.sampled_from([MONTH, QUARTER]), st.integers(min_value=1, max_value=12))
def test_previous_is_contiguous_and_next_inverts_it(year, rule, kind, index):
    if kind == QUARTER:
        index = (index - 1) // 3 + 1
    p = period_for(kind, year, index, rule)
    prev = p.previous()
    assert prev.kind == p.kind and prev.rule == p.rule
    assert prev.end + timedelta(days=1) == p.start
    assert prev.next() == p
    if index == 1:
        last = 12 if kind == MONTH else 4
        assert (prev.year, prev.index) == (year - 1, last)


@given(years, base_rules, st.sampled_from([YEAR, H1, H2, N9, QUARTER, MONTH]), st.integers(1, 12))
def test_same_period_last_year_shifts_one_year(year, rule, kind, index):
    index = None if kind not in (QUARTER, MONTH) else (index if kind == MONTH else (index - 1) // 3 + 1)
    p = period_for(kind, year, index, rule)
    last = p.same_period_last_year()
    assert (last.kind, last.rule, last.index, last.year) == (p.kind, p.rule, p.index, year - 1)
    assert last.start == p.start.replace(year=p.start.year - 1)
    if rule == "calendar" and p.end.month == 2:  # February ends on its last day, 28 or 29
        assert last.end == date(p.end.year - 1, 3, 1) - timedelta(days=1)
    else:
        assert last.end == p.end.replace(year=p.end.year - 1)
    assert not last.overlaps(p)


@given(years, base_rules, st.sampled_from([YEAR, H1, H2, N9, QUARTER, MONTH]))
def test_parse_round_trip(year, rule, kind):
    for p in periods_in_year(year, kind, rule):
        assert parse_period(p.key, rule) == p
        assert parse_period(p.key, p.rule) == p


@given(dates, base_rules)
def test_cutoff_round_trip_and_window(cut, base):
    p = cutoff_period(cut, base)
    assert parse_period(p.key) == p
    assert parse_period(p.key, p.rule) == p
    assert p.end == cut and p.contains(cut)
    assert p.start == period_containing(cut, YEAR, base).start
    last = p.same_period_last_year()
    assert last.end.year == cut.year - 1
    assert last.end.month == cut.month
    assert last.end.day == (28 if (cut.month, cut.day) == (2, 29) else cut.day)


@given(dates, base_rules, st.sampled_from([YEAR, QUARTER, MONTH]))
def test_every_date_lies_in_exactly_one_period(day, rule, kind):
    p = period_containing(day, kind, rule)
    assert p.contains(day)
    assert not p.previous().contains(day)
    assert not p.next().contains(day)


@given(dates, base_rules)
def test_containing_month_lies_in_containing_quarter_and_year(day, rule):
    month = period_containing(day, MONTH, rule)
    quarter = period_containing(day, QUARTER, rule)
    year = period_containing(day, YEAR, rule)
    assert quarter.start <= month.start and month.end <= quarter.end
    assert year.start <= quarter.start and quarter.end <= year.end
    assert month.year == quarter.year == year.year
