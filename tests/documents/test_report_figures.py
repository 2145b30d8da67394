"""Issue 13, the remaining gaps: missing is not zero, counts zero-padded through one function, the agency
report counts its stations' registers, and `sources.figures_for` gives the dashboards the report's figures."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.core import vn
from borderdesk.core.periods import parse_period
from borderdesk.documents import services, sources
from borderdesk.frontier.models import Incident, Marker, Patrol, PatrolRoad
from borderdesk.org.models import Agency, Committee, DocumentNumberSeries
from borderdesk.reporting.models import DataValue, Submission
from borderdesk.reporting.registry import compute_derived, compute_many, derived_indicators

from .conftest import all_text, read_docx

pytestmark = pytest.mark.django_db

BG_OLD = "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn"
#: a count of a counted unit written with one digit: "1 mốc", "7 vụ" (never in a drafted report); a body's
#: name quoted from the units' text ("Huyện ủy 5 huyện biên giới") is a name, not a count
UNPADDED = re.compile(
    r"(?<![\d.,/])(?<!ủy )[1-9] "
    r"(vụ|mốc|lượt|buổi|người|hộ|tập thể|đồn|xã|huyện|đường|nhiệm vụ|cá nhân)\b"
)


def _draft(users, key, date, **kw):
    return services.draft_create(
        user=users["vanphong.ls"],
        committee=Committee.objects.get(code="ls-bcdbg"),
        period=parse_period(key),
        report_date=date,
        **kw,
    )


def _body(text: str) -> str:
    start = text.index("Thực hiện chức năng")
    return text[start : text.index("Trên đây là báo cáo", start)]


# -------------------------------------------------------------------------- missing is not zero
def test_patrol_road_length_without_a_road_built_is_missing_not_zero(users):
    """Seen: "chiều dài đường tuần tra giảm 100% so với cùng kỳ" — 2025 has inspection roads, no patrol road."""
    c = Committee.objects.get(code="ls-bcdbg")
    unit_ids, agency_ids = sources._area(c.unit, parse_period("2025"))
    assert PatrolRoad.objects.filter(built_on__year=2025, province=c.unit).exists()  # the register is kept
    assert (
        compute_derived("PATROL_ROAD_KM", unit_ids=unit_ids, agency_ids=agency_ids, period=parse_period("2025")) is None
    )
    assert compute_derived(
        "PATROL_ROAD_KM", unit_ids=unit_ids, agency_ids=agency_ids, period=parse_period("2024")
    ) == Decimal("12.4")
    d = _draft(users, "2025", dt.date(2026, 1, 5))
    text = all_text(read_docx(d.docx))
    assert "giảm 100%" not in text and "0 km" not in text
    assert "PATROL_ROAD_KM" not in {n["code"] for n in d.source_notes["notes"]}


def test_no_report_compares_against_a_missing_figure(users):
    for key, date in (("2025", dt.date(2026, 1, 5)), ("2026H1", dt.date(2026, 6, 20))):
        d = _draft(users, key, date)
        text = all_text(read_docx(d.docx))
        assert "giảm 100%" not in text, key
        for n in d.source_notes["notes"]:
            assert not n["value"].startswith("0 ") or n["code"] in sources.REGISTRY_FIRST, n


def test_zero_count_is_a_figure_when_the_register_is_kept(users):
    """Patrols recorded and no incident: "0 vụ" is real. Nothing recorded at all: no figure."""
    station = Agency.objects.get(name="Đồn Biên phòng Pò Mã")
    period = parse_period("2025Q2")
    ids = frozenset({station.pk})
    Incident.objects.filter(agency=station).delete()
    assert Patrol.objects.filter(agency=station, started_at__year=2025, started_at__month__in=[4, 5, 6]).exists()
    got = compute_many(
        ["INCIDENTS_TOTAL", "ILLEGAL_CROSSING_CASES", "ILLEGAL_CROSSING_PERSONS", "PATROLS_TOTAL"],
        unit_ids=frozenset(),
        agency_ids=ids,
        period=period,
    )
    assert got["INCIDENTS_TOTAL"] == 0 and got["ILLEGAL_CROSSING_CASES"] == 0
    assert "ILLEGAL_CROSSING_PERSONS" not in got  # a measure over no case is missing, not "0 người"
    assert got["PATROLS_TOTAL"] > 0
    Patrol.objects.filter(agency=station).delete()
    got = compute_many(
        ["INCIDENTS_TOTAL", "PATROLS_TOTAL", "PATROL_PARTICIPANTS"], unit_ids=frozenset(), agency_ids=ids, period=period
    )
    assert got == {}  # nothing recorded: every figure missing


def test_batches_give_the_same_values_as_the_single_functions(users):
    c = Committee.objects.get(code="ls-bcdbg")
    for key in ("2024", "2025", "2026H1"):
        period = parse_period(key)
        unit_ids, agency_ids = sources._area(c.unit, period)
        codes = sorted(derived_indicators())
        single = {
            code: v
            for code in codes
            if (v := compute_derived(code, unit_ids=unit_ids, agency_ids=agency_ids, period=period)) is not None
        }
        assert compute_many(codes, unit_ids=unit_ids, agency_ids=agency_ids, period=period) == single, key


# -------------------------------------------------------------------------- zero padding
@pytest.mark.parametrize(
    "value,unit,qualifier,expected",
    [
        (1, "mốc", None, "01 mốc"),
        (5, "vụ", None, "05 vụ"),
        (9, "lượt người", None, "09 lượt người"),
        (10, "vụ", None, "10 vụ"),
        (0, "vụ", None, "0 vụ"),
        (1700, "lượt", None, "1.700 lượt"),
        (3, "buổi", "more_than", "hơn 03 buổi"),
        (5, "km", None, "5 km"),
        (6, "lượt xe/ngày", None, "6 lượt xe/ngày"),
        (3, "tấn", None, "3 tấn"),
        (Decimal("2.5"), "lượt", None, "2,5 lượt"),
        (7, "", None, "7"),
        (None, "vụ", None, ""),
    ],
)
def test_format_figure_pads_counts_under_ten(value, unit, qualifier, expected):
    assert vn.format_figure(value, unit, qualifier) == expected


def test_drafted_reports_write_small_counts_with_two_digits(users):
    """Decree 30 style (the seeds write "05 huyện", "03 văn kiện"): no "1 mốc" next to "01 mốc"."""
    bg = Agency.objects.get(name=BG_OLD)
    for key, date, kw in (
        ("2025", dt.date(2026, 1, 5), {}),
        ("2026H1", dt.date(2026, 6, 20), {}),
        ("2023", dt.date(2024, 1, 22), {"agency": bg}),
    ):
        d = _draft(users, key, date, **kw)
        # the lines quoting directives, tasks and conferences as entered ("Huyện ủy 5 huyện biên giới": a
        # body's name) are the users' text; every figure the drafting writes is checked
        body = "\n".join(ln for ln in _body(all_text(read_docx(d.docx))).splitlines() if not ln.startswith("- "))
        assert not UNPADDED.findall(body), (key, UNPADDED.findall(body)[:5])
        assert re.search(r"\b0[1-9] (vụ|mốc|lượt)", body), key  # small counts are there, padded


# -------------------------------------------------------------------------- the agency report
def test_border_guard_report_counts_its_stations_registers(users):
    """Seen: the agency report had no registry figures. The command's report counts the records of its
    stations (and of the command that succeeded it on 28/06/2025: the same body)."""
    bg = Agency.objects.get(name=BG_OLD)
    area = sources.agency_area(bg)
    stations = set(
        Agency.objects.filter(kind__code="border_guard_station", unit__path__startswith=bg.unit.path).values_list(
            "pk", flat=True
        )
    )
    assert stations and stations <= area
    # every marker is in a station's charge
    assert not Marker.objects.filter(province=bg.unit, agency__isnull=True).exists()
    d = _draft(users, "2023", dt.date(2024, 1, 22), agency=bg)
    text = all_text(read_docx(d.docx))
    period = parse_period("2023")
    reg = compute_many(
        ["PATROLS_TOTAL", "INCIDENTS_TOTAL", "MARKERS_TOTAL", "MARKER_INSPECTIONS"],
        unit_ids=frozenset(),
        agency_ids=area,
        period=period,
    )
    assert (
        reg["PATROLS_TOTAL"]
        == Patrol.objects.filter(  # every patrol of the province is a station's
            province=bg.unit, started_at__date__gte=period.start, started_at__date__lte=period.end
        ).count()
    )
    assert f"tuần tra, kiểm soát biên giới {vn.format_figure(reg['PATROLS_TOTAL'], 'lượt')}" in text
    assert f"xảy ra {vn.zero_pad_count(reg['INCIDENTS_TOTAL'])} vụ việc" in text
    assert f"Quản lý {vn.format_figure(reg['MARKERS_TOTAL'], 'mốc')} quốc giới" in text
    assert f"kiểm tra mốc {vn.format_figure(reg['MARKER_INSPECTIONS'], 'lượt')}" in text
    notes = {n["code"]: n for n in d.source_notes["notes"]}
    assert notes["PATROLS_TOTAL"]["source"] == "sổ theo dõi"
    # the agency's own report carries its symbol, not the committee's
    assert "/BC-BCHBĐBP" in text and "BC-BCĐ" not in text
    DocumentNumberSeries.objects.create(committee=d.committee, symbol="BC-BCHBĐBP", year=2024)  # its own series
    issued = services.report_issue(user=users["vanphong.ls"], draft=d)
    assert issued.symbol == "BC-BCHBĐBP" and issued.number == 1


def test_seed_001_round_trips_in_the_border_guards_report(users):
    """Seed 001 is the Border Guard's report: every figure it states is in the agency's drafted report."""
    bg = Agency.objects.get(name=BG_OLD)
    subs = Submission.objects.filter(source__startswith="seed 001")
    assert subs.filter(agency=bg).exists()
    d = _draft(users, "2023", dt.date(2024, 1, 22), agency=bg)
    text = all_text(read_docx(d.docx))
    missing = []
    for dv in DataValue.objects.filter(submission__in=subs, value__isnull=False).select_related("indicator"):
        written = vn.format_figure(dv.value, dv.indicator.unit or "", dv.qualifier or None)
        if written not in text:
            missing.append(f"{dv.indicator.code} = {written}")
    assert not missing, missing


# -------------------------------------------------------------------------- figures_for (dashboards)
def test_figures_for_gives_the_reports_figures_without_a_draft(users):
    c = Committee.objects.get(code="ls-bcdbg")
    codes = [
        "PATROLS_TOTAL",
        "INCIDENTS_TOTAL",
        "PERSONS_EXIT",
        "TRADE_VALUE_TOTAL_USD",
        "MARKERS_DAMAGED",
        "PATROL_ROAD_KM",
        "PROPAGANDA_SESSIONS",
    ]
    with CaptureQueriesContext(connection) as q:
        got = sources.figures_for(user=users["vanphong.ls"], unit=c.unit, period=parse_period("2025"), codes=codes)
    registry_queries = [x for x in q.captured_queries if re.search(r'FROM "(frontier|gates|outreach)_', x["sql"])]
    assert len(registry_queries) <= 2 * 6  # one per register, for the period and the same period last year
    assert set(got) == set(codes)
    assert got["PATROL_ROAD_KM"].value is None and got["PATROL_ROAD_KM"].note
    assert got["PERSONS_EXIT"].source == sources.REGISTRY and "127.500" in got["PERSONS_EXIT"].note
    trade = got["TRADE_VALUE_TOTAL_USD"]
    assert trade.source == sources.APPROVED and trade.text == "trên 86 tỷ USD"
    assert got["INCIDENTS_TOTAL"].text == "07 vụ" and got["INCIDENTS_TOTAL"].compare.startswith("giảm")
    d = _draft(users, "2025", dt.date(2026, 1, 5))
    notes = {n["code"]: n for n in d.source_notes["notes"]}
    for code, fig in got.items():
        if fig.value is not None and code in notes:
            assert notes[code]["value"] == fig.text and notes[code]["source"] == fig.source_label, code


@pytest.mark.parametrize(
    "value,previous,unit,expected",
    [
        (0, 3, "vụ", "giảm 03 vụ so với cùng kỳ"),  # a real zero: never "giảm 100%"
        (2, 0, "vụ", "tăng 02 vụ so với cùng kỳ"),  # up from a real zero: no percentage exists
        (2, None, "vụ", ""),  # last year missing: no comparison
        (Decimal("5.5"), 0, "km", ""),  # a measure from zero: nothing to say in percent
        (7, 11, "vụ", "giảm trên 36% so với cùng kỳ"),
    ],
)
def test_comparison_phrases_around_zero(value, previous, unit, expected):
    from types import SimpleNamespace

    from borderdesk.documents.drafting import Figure, strip_live

    ind = SimpleNamespace(code="X", unit=unit, name_vi="x")
    row = sources.SourcedRow(
        indicator=ind,
        value=Decimal(value),
        previous_value=None if previous is None else Decimal(previous),
        source=sources.REGISTRY,
    )
    assert strip_live(Figure.from_row(row)["compare"]) == expected
