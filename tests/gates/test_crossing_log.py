"""Crossing-log import: aggregation, all-or-nothing, per-row errors, bad files."""

import datetime as dt
import io
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderdesk.core.errors import ApplicationError
from borderdesk.gates import services
from borderdesk.gates.crossing_log import aggregate_log
from borderdesk.gates.models import CrossingLogImport, GateDailyStat

HEADER = "time,gate,direction,kind,nationality,cargo_usd,tonnes\n"
LOOKUP = {"huu-nghi": 1, "Cửa khẩu Chi Ma": 2, "chi-ma": 2}


def agg(text, **kw):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return aggregate_log(io.BytesIO(data), LOOKUP, **kw)


def test_aggregates_per_gate_and_day():
    r = agg(
        HEADER + "2025-03-01T08:00:00,huu-nghi,exit,person,VN,,\n"
        "2025-03-01T09:00:00,huu-nghi,entry,person,CN,,\n"
        "2025-03-01T10:00:00,huu-nghi,exit,cargo_vehicle,VN,12500.50,20.5\n"
        "2025-03-01T11:00:00,huu-nghi,entry,cargo_vehicle,CN,1000,3\n"
        "2025-03-01T12:00:00,huu-nghi,exit,vehicle,VN,,\n"
        "2025-03-02T07:00:00,chi-ma,exit,rail_car,VN,99.99,40\n"
    )
    assert r.ok and r.rows == 6
    hn = r.stats[(1, dt.date(2025, 3, 1))]
    assert (hn["persons_exit"], hn["persons_entry"], hn["vehicles_exit"], hn["vehicles_entry"]) == (1, 1, 2, 1)
    assert (hn["cargo_vehicles_export"], hn["cargo_vehicles_import"]) == (1, 1)
    assert hn["export_usd"] == Decimal("12500.50") and hn["import_usd"] == Decimal("1000")
    assert hn["tonnes"] == Decimal("23.5")
    cm = r.stats[(2, dt.date(2025, 3, 2))]
    assert cm["rail_cars"] == 1 and cm["export_usd"] == Decimal("99.99")


def test_slow_path_accepts_vietnamese_aliases_names_and_offsets():
    r = agg(
        "thoi_gian,cua_khau,huong,loai\n"
        "01/03/2025 08:00,Cửa khẩu Chi Ma,xuất,người\n"
        "2025-03-01T23:30:00+00:00,HUU-NGHI,N,xe_hang\n"
    )  # 23:30 UTC = 06:30 on 2/3 in Hà Nội
    assert r.ok, r.errors
    assert r.stats[(2, dt.date(2025, 3, 1))]["persons_exit"] == 1
    assert r.stats[(1, dt.date(2025, 3, 2))]["cargo_vehicles_import"] == 1


def test_fast_and_slow_paths_agree_across_chunks():
    lines = [
        f"2025-01-{1 + i % 28:02d}T10:00:00,{'huu-nghi' if i % 3 else 'chi-ma'},{'exit' if i % 2 else 'entry'},"
        f"{['person', 'vehicle', 'cargo_vehicle', 'rail_car'][i % 4]},VN,{i}.25,{i % 7}\n"
        for i in range(3000)
    ]
    text = HEADER + "".join(lines)
    fast = agg(text, chunk_bytes=4096)
    # The same rows with quotes force the line-by-line path in every chunk.
    slow = agg(HEADER + "".join(ln.replace(",VN,", ',"VN",') for ln in lines), chunk_bytes=4096)
    assert fast.ok and slow.ok and fast.rows == slow.rows == 3000
    assert fast.stats == slow.stats


def test_per_row_errors_with_line_numbers():
    r = agg(
        HEADER + "2025-03-01T08:00:00,huu-nghi,exit,person,VN,,\n"
        "2025-03-01T08:00:00,unknown-gate,exit,person,VN,,\n"
        "2025-02-30T08:00:00,huu-nghi,exit,person,VN,,\n"
        "2025-03-01T08:00:00,huu-nghi,sideways,person,VN,,\n"
        "2025-03-01T08:00:00,huu-nghi,exit,cargo_vehicle,VN,-5,\n"
    )
    assert not r.ok and r.error_count == 4 and not r.stats
    by_line = {e.line: e for e in r.errors}
    assert by_line[3].field == "gate" and "unknown-gate" in by_line[3].message
    assert by_line[4].field == "time"
    assert by_line[5].field == "direction"
    assert by_line[6].field == "cargo_usd"


def test_mixed_encodings_report_lines():
    good = HEADER + "2025-03-01T08:00:00,Cửa khẩu Chi Ma,exit,person,VN,,\n"
    bad = unicodedata.normalize("NFD", "2025-03-01T08:00:00,Cửa khẩu Chi Ma,entry,person,VN,,\n").encode(
        "cp1258", "replace"
    )
    r = agg(good.encode() + bad + good.split("\n", 1)[1].encode())
    assert not r.ok
    assert [e.line for e in r.errors] == [3] and "UTF-8" in r.errors[0].message


def test_truncated_last_line_is_reported_complete_last_line_is_accepted():
    r = agg(HEADER + "2025-03-01T08:00:00,huu-nghi,exit,person,VN,,\n2025-03-01T09:00:00,huu-ng")
    assert not r.ok and r.errors[0].line == 3 and "cắt cụt" in r.errors[0].message
    r = agg(HEADER + "2025-03-01T08:00:00,huu-nghi,exit,person,VN,,")
    assert r.ok and r.stats[(1, dt.date(2025, 3, 1))]["persons_exit"] == 1


@pytest.mark.parametrize("text,needle", [("", "rỗng"), ("a,b,c\n1,2,3\n", "thiếu cột"), (HEADER, "không có dòng")])
def test_bad_files(text, needle):
    r = agg(text)
    assert not r.ok and needle in r.file_error.lower()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 28),
            st.sampled_from(["huu-nghi", "chi-ma"]),
            st.sampled_from(["exit", "entry"]),
            st.sampled_from(["person", "vehicle", "cargo_vehicle", "rail_car"]),
            st.integers(0, 10**6),
            st.integers(1, 4096),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_counts_are_conserved(rows):
    chunk = rows[0][5]
    text = HEADER + "".join(f"2025-05-{d:02d} 10:00,{g},{di},{k},VN,{v / 100:.2f},\n" for d, g, di, k, v, _c in rows)
    r = agg(text, chunk_bytes=chunk)
    assert r.ok
    counted = sum(
        s[f]
        for s in r.stats.values()
        for f in ("persons_exit", "persons_entry", "vehicles_exit", "vehicles_entry", "rail_cars")
    )
    assert counted == len(rows)
    assert sum(s["export_usd"] + s["import_usd"] for s in r.stats.values()) == sum(
        Decimal(f"{v / 100:.2f}") for *_x, v, _c in rows
    )


# ---------------------------------------------------------------- service (database)


@pytest.mark.django_db
def test_import_upserts_daily_stats_all_or_nothing(users, gate, log_file):
    user = users["vanphong.ls"]
    hn = gate("huu-nghi")
    before = GateDailyStat.objects.get(gate=hn, date=dt.date(2025, 6, 1))
    text = (
        HEADER
        + "".join("2025-06-01T08:00:00,huu-nghi,exit,person,VN,,\n" for _ in range(7))
        + "2025-06-01T08:00:00,huu-nghi,entry,cargo_vehicle,CN,500,10\n2030-01-01 00:00,huu-nghi,exit,person,VN,,\n"
    )
    record = services.crossing_log_import(user=user, stream=log_file(text), file_name="hn.csv", size=len(text))
    assert record.status == "done" and record.rows == 9 and record.gate_days == 2
    after = GateDailyStat.objects.get(gate=hn, date=dt.date(2025, 6, 1))
    assert after.persons_exit == 7 and after.cargo_vehicles_import == 1 and after.import_usd == Decimal("500")
    assert after.vehicles_waiting == before.vehicles_waiting  # not in a log: kept
    assert after.channel == "log" and after.version == before.version + 1
    # Re-importing the same log leaves the figures unchanged (a log replaces, never adds).
    services.crossing_log_import(user=user, stream=log_file(text), file_name="hn.csv", size=len(text))
    assert GateDailyStat.objects.get(gate=hn, date=dt.date(2025, 6, 1)).persons_exit == 7
    # One bad row rejects the whole log: nothing changes.
    bad = text + "2025-06-01T09:00:00,huu-nghi,exit,person,VN,-1,\n"
    count = GateDailyStat.objects.count()
    rec = services.crossing_log_import(
        user=user,
        stream=log_file(bad + "2025-06-02T09:00:00,nowhere,exit,person,,,\n"),
        file_name="bad.csv",
        size=len(bad),
    )
    assert rec.status == "rejected" and {e["line"] for e in rec.errors} == {11, 12}
    assert GateDailyStat.objects.count() == count
    assert GateDailyStat.objects.get(gate=hn, date=dt.date(2025, 6, 1)).persons_exit == 7


@pytest.mark.django_db
def test_gate_outside_scope_is_unknown(users, log_file):
    text = HEADER + "2025-06-01T08:00:00,long-sap,exit,person,LA,,\n"
    rec = services.crossing_log_import(
        user=users["vanphong.ls"], stream=log_file(text), file_name="x.csv", size=len(text)
    )
    assert rec.status == "rejected" and rec.errors[0]["field"] == "gate"


class _Huge:
    """A 2 GB upload that must never be read."""

    size = 2 * 1024**3

    def read(self, n=-1):
        raise AssertionError("a file over the limit was read")


@pytest.mark.django_db
def test_two_gigabyte_file_is_rejected_before_reading(users):
    with pytest.raises(ApplicationError) as exc:
        services.crossing_log_import(user=users["vanphong.ls"], stream=_Huge(), file_name="big.csv", size=_Huge.size)
    assert exc.value.code == "too_large" and "2.048 MB" in exc.value.message
    assert not CrossingLogImport.objects.filter(file_name="big.csv").exists()


@pytest.mark.django_db
def test_undeclared_size_is_still_capped(users, settings, log_file):
    settings.BORDERDESK_MAX_CROSSING_LOG_BYTES = 1000
    text = HEADER + "2025-06-01T08:00:00,huu-nghi,exit,person,VN,,\n" * 100
    with pytest.raises(ApplicationError):
        services.crossing_log_import(user=users["vanphong.ls"], stream=log_file(text), file_name="x.csv", size=None)
