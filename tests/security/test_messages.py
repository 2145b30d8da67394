"""Issue 10 (messages and plausibility): no internal English in the Vietnamese interface; impossible years refused."""

import io

import pytest

from borderdesk.gates.crossing_log import aggregate_log
from borderdesk.gates.crossing_log_file import aggregate_file

HEADER = "time,gate,direction,kind,nationality,cargo_usd,tonnes\n"
LOOKUP = {"huu-nghi": 1}


@pytest.mark.parametrize("year", ["0001", "1999", "2999", "2101"])
def test_crossing_log_refuses_impossible_years_on_every_engine(tmp_path, year):
    text = (
        HEADER
        + "2025-03-01T08:00:00,huu-nghi,exit,person,VN,,\n" * 3
        + f"{year}-03-01T08:00:00,huu-nghi,exit,person,VN,,\n"
    )
    streamed = aggregate_log(io.BytesIO(text.encode()), LOOKUP)
    path = tmp_path / "log.csv"
    path.write_text(text)
    for result in (streamed, aggregate_file(str(path), LOOKUP)):
        assert not result.ok
        assert any(str(int(year)) in e.message and "Năm" in e.message for e in result.errors), result.errors


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["2025Q9", "2025M13", "abc", "C20250230", "0001"])
def test_period_errors_reach_the_page_in_vietnamese(login, users, key):
    c = login(users["duyet.ls"])
    body = c.get(f"/bao-cao/tong-hop/?ky={key}").content.decode()
    for english in ("Invalid period key", "does not match", "out of range", "must be"):
        assert english not in body, english
    assert "Mã kỳ" in body or "Năm" in body


@pytest.mark.django_db
def test_period_errors_in_english_when_chosen(login, users):
    c = login(users["duyet.ls"])
    c.cookies["django_language"] = "en"
    body = c.get("/bao-cao/tong-hop/?ky=2025Q9").content.decode()
    assert "Mã kỳ" not in body and "quarter" in body.lower()
