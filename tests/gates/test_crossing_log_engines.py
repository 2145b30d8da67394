"""The DuckDB engine for regular crossing logs agrees with the streaming parser, and hands every
irregular file to it (exact per-line errors, aliases, other date formats)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderdesk.core.models import ChangeLogEntry
from borderdesk.gates import crossing_log_file, services
from borderdesk.gates.crossing_log import aggregate_log
from borderdesk.gates.crossing_log_file import aggregate_file, aggregate_file_duckdb
from borderdesk.gates.models import GateDailyStat

HEADER = "time,gate,direction,kind,nationality,cargo_usd,tonnes\n"
ROW = "2025-03-01T08:00:00,huu-nghi,exit,person,VN,,\n"
LOOKUP = {"huu-nghi": 1, "Cửa khẩu Chi Ma": 2, "chi-ma": 2}


def write(tmp_path, content, name="log.csv"):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def streamed(path):
    with open(path, "rb") as fh:
        return aggregate_log(fh, LOOKUP)


REGULAR = {
    "plain": HEADER + ROW + "2025-03-01T10:00:00,huu-nghi,exit,cargo_vehicle,VN,12500.5,20.125\n"
    "2025-03-02 07:00,chi-ma,entry,rail_car,CN,1000,3\n2025-03-02,chi-ma,exit,vehicle,,,\n",
    "gate name": HEADER + "2025-03-01T08:00:00,Cửa khẩu Chi Ma,entry,person,VN,,\n",
    "crlf": (HEADER + ROW * 3).replace("\n", "\r\n"),
    "bom": "\ufeff" + HEADER + ROW,
    "blank lines": HEADER + ROW + "\n" + ROW + "\n",
    "no final newline": HEADER + ROW + ROW.strip(),
    "other column order": "gate,kind,direction,time,tonnes,cargo_usd\nhuu-nghi,cargo_vehicle,entry,2025-03-01,1.5,99\n",
    "required columns only": "time,gate,direction,kind\n2025-03-01T08:00:00,huu-nghi,exit,person\n",
    "vietnamese header": "thoi_gian,cua_khau,huong,loai\n2025-03-01T08:00:00,huu-nghi,exit,person\n",
}

IRREGULAR = {
    "alias values": HEADER + "2025-03-01T08:00:00,huu-nghi,xuất,người,VN,,\n",
    "dd/mm/yyyy": HEADER + "01/03/2025 08:00,huu-nghi,exit,person,VN,,\n",
    "offset": HEADER + "2025-03-01T23:30:00+00:00,huu-nghi,exit,person,VN,,\n",
    "gate in other case": HEADER + "2025-03-01T08:00:00,HUU-NGHI,exit,person,VN,,\n",
    "spaces": HEADER + "2025-03-01T08:00:00, huu-nghi ,exit,person,VN,,\n",
    "quoted cell": HEADER + '2025-03-01T08:00:00,huu-nghi,exit,person,"V,N",,\n',
    "extra cell": HEADER + ROW.strip() + ",x\n",
    "unknown gate": HEADER + ROW + "2025-03-01T08:00:00,nowhere,exit,person,VN,,\n",
    "30 February": HEADER + "2025-02-30T08:00:00,huu-nghi,exit,person,VN,,\n",
    "hour 24": HEADER + "2025-03-01T24:00:00,huu-nghi,exit,person,VN,,\n",
    "negative value": HEADER + "2025-03-01T08:00:00,huu-nghi,exit,cargo_vehicle,VN,-5,\n",
    "three decimals in USD": HEADER + "2025-03-01T08:00:00,huu-nghi,exit,cargo_vehicle,VN,1.005,\n",
    "exponent": HEADER + "2025-03-01T08:00:00,huu-nghi,exit,cargo_vehicle,VN,1e3,\n",
    "bad direction": HEADER + "2025-03-01T08:00:00,huu-nghi,sideways,person,VN,,\n",
    "truncated last line": HEADER + ROW + "2025-03-01T09:00:00,huu-ng",
    "stray carriage return": HEADER + ROW + "2025-03-01T08:00:00,huu-nghi,exit,person,V\rN,,\n",
    "header only": HEADER,
    "missing column": "time,gate\n2025-03-01,huu-nghi\n",
    "empty": "",
}


@pytest.mark.parametrize("name", REGULAR)
def test_duckdb_takes_regular_files_and_agrees(tmp_path, name):
    path = write(tmp_path, REGULAR[name])
    fast, reference = aggregate_file_duckdb(path, LOOKUP), streamed(path)
    assert reference.ok, reference.errors
    assert fast is not None, "a regular file should not need the streaming parser"
    assert (fast.ok, fast.rows, fast.stats) == (True, reference.rows, reference.stats)


@pytest.mark.parametrize("name", IRREGULAR)
def test_irregular_files_go_to_the_streaming_parser(tmp_path, name):
    path = write(tmp_path, IRREGULAR[name])
    assert aggregate_file_duckdb(path, LOOKUP) is None
    got, reference = aggregate_file(path, LOOKUP), streamed(path)
    assert (got.ok, got.rows, got.file_error, got.stats) == (
        reference.ok,
        reference.rows,
        reference.file_error,
        reference.stats,
    )
    assert [e.as_dict() for e in got.errors] == [e.as_dict() for e in reference.errors]


def test_bad_bytes_fall_back_with_line_numbers(tmp_path):
    path = write(tmp_path, (HEADER + ROW).encode() + b"2025-03-01T08:00:00,huu-nghi,exit,person,V\xe9N,,\n")
    assert aggregate_file_duckdb(path, LOOKUP) is None
    result = aggregate_file(path, LOOKUP)
    assert not result.ok and [e.line for e in result.errors] == [3] and "UTF-8" in result.errors[0].message


def test_amounts_have_the_stored_scale(tmp_path):
    """Sums carry 2 (USD) and 3 (tonnes) decimals from both engines, as the database returns them."""
    path = write(tmp_path, HEADER + "2025-03-01T10:00:00,huu-nghi,exit,cargo_vehicle,VN,1000,3\n")
    for result in (aggregate_file_duckdb(path, LOOKUP), streamed(path)):
        day = result.stats[(1, dt.date(2025, 3, 1))]
        assert str(day["export_usd"]) == "1000.00" and str(day["tonnes"]) == "3.000"


amounts = st.one_of(
    st.just(""),
    st.integers(0, 10**9).map(lambda c: f"{c // 100}.{c % 100:02d}"),
    st.integers(0, 5000).map(str),
    st.sampled_from(["-1", "1.005", "abc", " 7"]),
)
rows = st.tuples(
    st.integers(1, 31),
    st.sampled_from(["huu-nghi", "chi-ma", "Cửa khẩu Chi Ma", "HUU-NGHI", "x"]),
    st.sampled_from(["exit", "entry", "xuat", "N"]),
    st.sampled_from(["person", "vehicle", "cargo_vehicle", "rail_car", "toa"]),
    st.sampled_from(["10:00", "10:00:59", "", "25:00", "T23:59"]),
    amounts,
    amounts,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(rows, min_size=1, max_size=40))
def test_engines_agree_on_any_log(tmp_path, data):
    """Whatever the rows, the combined engine gives exactly what the streaming parser gives."""
    lines = []
    for day, gate, direction, kind, clock, usd, tonnes in data:
        sep = "" if clock.startswith("T") or not clock else " "
        lines.append(f"2025-03-{day:02d}{sep}{clock},{gate},{direction},{kind},VN,{usd},{tonnes}\n")
    path = write(tmp_path, HEADER + "".join(lines), "h.csv")
    got, reference = aggregate_file(path, LOOKUP), streamed(path)
    assert (got.ok, got.rows, got.stats) == (reference.ok, reference.rows, reference.stats)
    assert [e.as_dict() for e in got.errors] == [e.as_dict() for e in reference.errors]


# ---------------------------------------------------------------- service (database)


@pytest.mark.django_db
def test_import_of_a_regular_file_uses_duckdb_and_reimport_logs_nothing(users, gate, tmp_path, monkeypatch):
    user = users["vanphong.ls"]
    hn = gate("huu-nghi")
    text = HEADER + "".join(f"2025-07-{d:02d}T08:00:00,huu-nghi,exit,cargo_vehicle,VN,1000,3\n" for d in range(1, 11))
    path = write(tmp_path, text)

    def refuse(*_a, **_k):
        raise AssertionError("the streaming parser was used for a regular file")

    monkeypatch.setattr(crossing_log_file, "aggregate_log", refuse)
    logged = ChangeLogEntry.objects.filter(content_type__model="gatedailystat").count
    before = logged()
    with open(path, "rb") as fh:
        record = services.crossing_log_import(user=user, stream=fh, file_name="hn.csv", size=len(text))
    assert record.status == "done" and record.rows == 10 and record.gate_days == 10
    stat = GateDailyStat.objects.get(gate=hn, date=dt.date(2025, 7, 3))
    assert (stat.cargo_vehicles_export, stat.export_usd, stat.tonnes) == (1, Decimal("1000"), Decimal("3"))
    after_first = logged()
    assert after_first - before == 10  # one change-log row per gate-day
    with open(path, "rb") as fh:  # the same file again: nothing changes, nothing is logged
        services.crossing_log_import(user=user, stream=fh, file_name="hn.csv", size=len(text))
    assert logged() == after_first
    assert GateDailyStat.objects.get(gate=hn, date=dt.date(2025, 7, 3)).cargo_vehicles_export == 1


@pytest.mark.django_db
def test_uploads_that_are_not_files_are_copied_and_still_capped(users, gate, settings):
    gate("huu-nghi")
    text = HEADER + ROW * 3
    record = services.crossing_log_import(
        user=users["vanphong.ls"], stream=io.BytesIO(text.encode()), file_name="x.csv", size=None
    )
    assert record.status == "done" and record.rows == 3
    settings.BORDERDESK_MAX_CROSSING_LOG_BYTES = 100
    from borderdesk.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.crossing_log_import(
            user=users["vanphong.ls"], stream=io.BytesIO(text.encode()), file_name="x.csv", size=None
        )


@pytest.mark.django_db
def test_a_named_stream_is_not_mistaken_for_a_file_of_that_name(users, gate, tmp_path):
    """Only a stream that *is* the file on disk is read by path (not a BytesIO with a .name)."""
    gate("huu-nghi")
    decoy = write(tmp_path, HEADER + ROW * 5, "decoy.csv")
    stream = io.BytesIO((HEADER + ROW).encode())
    stream.name = decoy
    record = services.crossing_log_import(user=users["vanphong.ls"], stream=stream, file_name="x.csv", size=None)
    assert record.rows == 1


def test_utf8_check_across_block_boundaries(tmp_path):
    from borderdesk.gates.crossing_log_file import _is_utf8

    text = (HEADER + "x" * (1024 * 1024 - len(HEADER) - 1) + "ắ\n").encode()  # "ắ" straddles the first MB
    assert _is_utf8(write(tmp_path, text))
    assert not _is_utf8(write(tmp_path, text[:-2]))  # cut inside the character
    assert not _is_utf8(write(tmp_path, HEADER.encode() + b"\xe9\n"))


@pytest.mark.django_db
def test_a_large_upload_is_read_where_django_spooled_it(client, users, gate, monkeypatch, settings):
    """An upload above Django's memory limit is already a temporary file: DuckDB reads it there."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    gate("huu-nghi")
    rows = "".join(f"2024-11-{1 + i % 30:02d}T08:00:00,huu-nghi,exit,person,VN,,\n" for i in range(60_000))
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

    def no_copy(*_a, **_k):
        raise AssertionError("the upload was copied instead of read in place")

    monkeypatch.setattr(services, "_LimitedReader", no_copy)  # used only to copy a stream
    client.force_login(users["vanphong.ls"])
    r = client.post("/cua-khau/nhat-ky-qua-lai/", {"file": SimpleUploadedFile("big.csv", (HEADER + rows).encode())})
    assert r.status_code == 302, r.content.decode()[:500]
    assert GateDailyStat.objects.get(gate__code="huu-nghi", date=dt.date(2024, 11, 5)).persons_exit == 2000
