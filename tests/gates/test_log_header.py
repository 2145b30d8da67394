"""Bad input to the gates app: a crossing log whose header names a column the importer does not know is
refused as a whole by both engines (the streaming parser and DuckDB) instead of silently dropping that
column's values; a gate placed outside Vietnam is a field error."""

import io

import pytest

from borderdesk.gates import services
from borderdesk.gates.crossing_log import aggregate_log
from borderdesk.gates.models import CrossingLogImport, GateDailyStat

ROWS = "".join(f"2025-07-{d:02d}T08:00:00,huu-nghi,exit,cargo_vehicle,VN,1000,3\n" for d in range(1, 11))


@pytest.mark.parametrize(
    "header",
    [
        "time,gate,direction,kind,nationality,cargo_value_usd,tonnes",
        "time,gate,direction,kind,nationality,cargo_usd,tonnes,passport",
    ],
)
def test_streaming_parser_refuses_unknown_columns(header):
    text = header + "\n" + ROWS if "passport" not in header else header + "\n" + ROWS.replace("\n", ",X1\n")
    r = aggregate_log(io.BytesIO(text.encode()), {"huu-nghi": 1})
    assert not r.ok and "không nhận ra" in r.file_error
    assert ("cargo_value_usd" in r.file_error) or ("passport" in r.file_error)


def test_vietnamese_and_aliased_headers_still_accepted():
    text = "thời gian,cửa khẩu,hướng,loại,quốc tịch,giá trị (usd),tấn\n" + ROWS
    r = aggregate_log(io.BytesIO(text.encode()), {"huu-nghi": 1})
    assert r.ok and r.rows == 10


@pytest.mark.django_db
def test_import_refuses_unknown_columns_and_saves_nothing(users, tmp_path):
    text = "time,gate,direction,kind,nationality,cargo_value_usd,tonnes\n" + ROWS
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    n = GateDailyStat.objects.count()
    with open(path, "rb") as fh:
        record = services.crossing_log_import(user=users["vanphong.ls"], stream=fh, file_name="log.csv", size=len(text))
    assert record.status == "rejected" and "cargo_value_usd" in str(record.errors), (record.status, record.errors)
    assert GateDailyStat.objects.count() == n
    assert CrossingLogImport.objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
def test_gate_outside_vietnam_through_the_api_is_400(client, users):
    from borderdesk.gates.models import BorderGate

    client.force_login(users["admin"])
    hn = BorderGate.objects.get(code="huu-nghi")
    r = client.put(
        f"/api/gates/gates/{hn.pk}",
        {"latitude": "35.0", "longitude": "106.7", "version": hn.version},
        content_type="application/json",
    )
    assert r.status_code == 400 and "latitude" in r.json()["fields"], r.content
    hn.refresh_from_db()
    assert hn.latitude < 23
