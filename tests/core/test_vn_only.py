"""Numbers and dates reach people only through core.vn (and the template filters built on it).

Django's |date, hand-written strftime("%d/%m/%Y"), f"{d:%d/%m/%Y}" and f"{n:,}".replace(",", ".") each
gave a slightly different format (UTC instead of local time, "1,700" in a Vietnamese sentence); this test
keeps them from coming back. Parsing formats (DATE_INPUTS, strptime) are not display and are allowed.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "borderdesk"
ALLOWED = {SRC / "core" / "vn.py"}

PY_PATTERNS = {
    "strftime with a display format (use core.vn.format_date / format_datetime)": re.compile(
        r"""strftime\([^)]*(%d[/.\-]%m|%H:%M)"""
    ),
    "date format in an f-string (use core.vn.format_date / format_datetime)": re.compile(
        r"\{[^{}\n]*:[^{}\n]*(%d[/.\-]%m|%H:%M)"
    ),
    "hand-made dd/mm/yyyy (use core.vn.format_date)": re.compile(r"\.day:02d\}/"),
    "thousands separator by hand (use core.vn.format_number)": re.compile(r""":,[^{}\n]*\}["']\.replace\("""),
}
TEMPLATE_PATTERNS = {
    "Django's date/time filters (use |vndate / |vndateonly)": re.compile(r"\|\s*(date|time)\b"),
    "Django's number filters (use |num / |pct)": re.compile(r"\|\s*(floatformat|intcomma|filesizeformat)\b"),
}


def _offences(paths, patterns):
    found = []
    for path in paths:
        if path in ALLOWED or "migrations" in path.parts:
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for why, pattern in patterns.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(SRC)}:{lineno}: {why}: {line.strip()[:100]}")
    return found


def test_python_formats_numbers_and_dates_only_through_core_vn():
    assert _offences(sorted(SRC.rglob("*.py")), PY_PATTERNS) == []


def test_templates_use_the_vn_filters():
    paths = sorted(p for ext in ("*.html", "*.txt", "*.xml") for p in SRC.rglob(ext))
    assert _offences(paths, TEMPLATE_PATTERNS) == []


def test_the_guard_catches_each_kind():
    samples = {
        'x = d.strftime("%d/%m/%Y")': True,
        'x = f"{d:%d/%m/%Y}"': True,
        'x = f"{n:,}".replace(",", ".")': True,
        'return f"{d.day:02d}/{d.month:02d}/{d.year}"': True,
        'stamp = d.strftime("%Y%m%d")': False,
        'DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]': False,
        'key = f"C{cutoff:%Y%m%d}"': False,
    }
    for line, bad in samples.items():
        assert any(p.search(line) for p in PY_PATTERNS.values()) is bad, line
    assert TEMPLATE_PATTERNS["Django's date/time filters (use |vndate / |vndateonly)"].search('{{ d|date:"d/m/Y" }}')
    assert not any(p.search("{{ d|vndate }}") for p in TEMPLATE_PATTERNS.values())
