"""Derived figures (pre-fill for submissions) against the demo data scaled to the seeds."""

import datetime as dt
from decimal import Decimal

import pytest

from borderdesk.core.periods import CALENDAR, DECREE09, Period, parse_period
from borderdesk.gates.models import BorderGate, GateDailyStat
from borderdesk.reporting.registry import compute_derived, derived_indicators

pytestmark = pytest.mark.django_db

CODES = [
    "PERSONS_EXIT",
    "PERSONS_ENTRY",
    "VEHICLES_PER_DAY_AVG",
    "VEHICLES_PER_DAY_PEAK",
    "EXPORT_VALUE_USD",
    "IMPORT_VALUE_USD",
    "TRADE_VALUE_TOTAL_USD",
]


def subtree(unit):
    from borderdesk.org.models import AdministrativeUnit

    return frozenset(AdministrativeUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))


def day(d):
    return Period(key="", kind="custom", rule="custom", year=d.year, index=None, start=d, end=d)


def test_registered_from_gates():
    reg = derived_indicators()
    for code in CODES:
        assert reg[code].source == "gates"


def test_lang_son_2025_average_and_peak(unit):
    ls = subtree(unit("Tỉnh Lạng Sơn"))
    y2025 = parse_period("2025", CALENDAR)
    assert compute_derived("VEHICLES_PER_DAY_AVG", unit_ids=ls, agency_ids=frozenset(), period=y2025) == Decimal(
        "1700.0"
    )
    assert compute_derived("VEHICLES_PER_DAY_PEAK", unit_ids=ls, agency_ids=frozenset(), period=y2025) == 2046
    # Decree 09 year window (15/12/2024–14/12/2025) still about 1.700
    d09 = compute_derived(
        "VEHICLES_PER_DAY_AVG", unit_ids=ls, agency_ids=frozenset(), period=parse_period("2025", DECREE09)
    )
    assert abs(d09 - 1700) < 30


def test_bulletin_of_1_january_2026(unit):
    ls = subtree(unit("Tỉnh Lạng Sơn"))
    jan1 = day(dt.date(2026, 1, 1))
    assert compute_derived("VEHICLES_PER_DAY_PEAK", unit_ids=ls, agency_ids=frozenset(), period=jan1) == 1199
    assert compute_derived("VEHICLES_WAITING", unit_ids=ls, agency_ids=frozenset(), period=jan1) == 312
    dec31 = day(dt.date(2025, 12, 31))
    assert compute_derived("VEHICLES_PER_DAY_PEAK", unit_ids=ls, agency_ids=frozenset(), period=dec31) - 1199 == 376


def test_son_la_persons_and_exports_from_seed_003(unit):
    sl = subtree(unit("Tỉnh Sơn La"))
    ytd = Period(
        key="", kind="custom", rule="custom", year=2023, index=None, start=dt.date(2023, 1, 1), end=dt.date(2023, 8, 3)
    )
    assert compute_derived("PERSONS_EXIT", unit_ids=sl, agency_ids=frozenset(), period=ytd) == 23100
    assert compute_derived("PERSONS_ENTRY", unit_ids=sl, agency_ids=frozenset(), period=ytd) == 27900
    assert compute_derived("EXPORT_VALUE_USD", unit_ids=sl, agency_ids=frozenset(), period=ytd) == 750400


def test_trade_total_is_export_plus_import_and_blank_stays_blank(unit):
    ls = subtree(unit("Tỉnh Lạng Sơn"))
    m = parse_period("2025M03", CALENDAR)
    e = compute_derived("EXPORT_VALUE_USD", unit_ids=ls, agency_ids=frozenset(), period=m)
    i = compute_derived("IMPORT_VALUE_USD", unit_ids=ls, agency_ids=frozenset(), period=m)
    assert compute_derived("TRADE_VALUE_TOTAL_USD", unit_ids=ls, agency_ids=frozenset(), period=m) == e + i > 0
    for code in CODES:
        assert compute_derived(code, unit_ids=ls, agency_ids=frozenset(), period=parse_period("2019", CALENDAR)) is None


def test_agency_scope_counts_managed_gates_only(unit):
    hn = BorderGate.objects.get(code="huu-nghi")
    jan1 = day(dt.date(2026, 1, 1))
    value = compute_derived(
        "PERSONS_EXIT", unit_ids=frozenset(), agency_ids=frozenset({hn.managing_station_id}), period=jan1
    )
    assert value == GateDailyStat.objects.get(gate=hn, date=dt.date(2026, 1, 1)).persons_exit


def test_each_figure_is_one_query(unit, django_assert_max_num_queries):
    ls = subtree(unit("Tỉnh Lạng Sơn"))
    for code in CODES:
        with django_assert_max_num_queries(1):
            compute_derived(code, unit_ids=ls, agency_ids=frozenset(), period=parse_period("2025", CALENDAR))


def test_average_counts_days_with_data_not_calendar_days(users, unit):
    from borderdesk.gates.services import daily_stat_upsert

    nn = BorderGate.objects.get(code="na-nua")
    user = users["vanphong.ls"]
    daily_stat_upsert(user=user, gate=nn, date=dt.date(2019, 5, 1), values={"cargo_vehicles_export": 10})
    daily_stat_upsert(user=user, gate=nn, date=dt.date(2019, 5, 20), values={"cargo_vehicles_import": 31})
    ls = subtree(unit("Tỉnh Lạng Sơn"))
    may = parse_period("2019M05", CALENDAR)
    assert compute_derived("VEHICLES_PER_DAY_AVG", unit_ids=ls, agency_ids=frozenset(), period=may) == Decimal("20.5")
    assert compute_derived("VEHICLES_PER_DAY_PEAK", unit_ids=ls, agency_ids=frozenset(), period=may) == 31
