"""What a whole text reports on: its period and its province, read from the text itself.

A clerk reads the title first ("Báo cáo kết quả 6 tháng đầu năm 2026"), then the opening
sentences ("Trong 6 tháng đầu năm, ..."), and takes the year from the dates the text gives
("ngày 24/6/2021") or, when it gives none, from the day it was uploaded. The period named most
prominently wins: the title counts six times, the opening (first 600 characters) twice, the rest
once (the title outweighs any body). A period that is a reference ("so với cùng kỳ năm 2024",
"6 tháng đầu năm 2025") or a plan
("nhiệm vụ 6 tháng cuối năm", "phương hướng năm 2027") is not the text's own.

The result is a period key of :mod:`borderdesk.core.periods` ("2026H1", "2025", "2025Q3",
"2025M11", "2025N9", "C20251130") proposed as the default of an import, never imposed.

Pure Python (no Django).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from borderdesk.core.periods import H1, H2, MONTH, N9, QUARTER, YEAR, Period, cutoff_period, parse_period

from .context import province_mentions
from .text import lower_text, normalise_text

__all__ = ["TextFacts", "text_facts"]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = r"(?:19|20)\d{2}"
_PERIOD_RES: list[tuple[str, re.Pattern]] = [
    (
        "cutoff",
        re.compile(
            rf"tính\s+(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})"
            rf"\s*/\s*(?P<y>{_YEAR})"
        ),
    ),
    ("ytd", re.compile(rf"từ\s+đầu\s+năm(?:\s+(?P<y>{_YEAR}))?(?:\s+(?:đến|tới)\s+nay)?")),
    (H1, re.compile(rf"(?:6|sáu)\s+tháng\s+đầu\s+năm(?:\s+(?P<y>{_YEAR}))?")),
    (H2, re.compile(rf"(?:6|sáu)\s+tháng\s+cuối\s+năm(?:\s+(?P<y>{_YEAR}))?")),
    (
        N9,
        re.compile(rf"(?:9|chín)\s+tháng(?:\s+đầu)?\s+năm(?:\s+(?P<y>{_YEAR}))?|(?:9|chín)\s+tháng\s+(?P<y2>{_YEAR})"),
    ),
    (QUARTER, re.compile(rf"quý\s+(?P<q>iv|iii|ii|i|[1-4])(?![\w])(?:\s*(?:/|năm|-)\s*(?P<y>{_YEAR}))?")),
    (
        MONTH,
        re.compile(
            rf"(?<![\d/])tháng\s+(?P<m>1[0-2]|0?[1-9])(?!\d)(?:\s*(?:/|năm|-)\s*(?P<y>{_YEAR}))?"
            r"(?!\s*(?:tháng|/\s*\d{1,2}(?!\d)))"
        ),
    ),
    (YEAR, re.compile(rf"(?:năm|tổng kết năm|cả năm)\s+(?P<y>{_YEAR})(?![\d\s]*[-–])")),
]
#: the period after these words is a reference or a plan, not the text's own
_NOT_OWN_BEFORE_RE = re.compile(
    r"(?:so\s+(?:với|cùng)(?:\s+cùng\s+kỳ)?|cùng\s+kỳ|nhiệm\s+vụ|phương\s+hướng|kế\s+hoạch|triển\s+khai|"
    r"chương\s+trình\s+công\s+tác|dự\s+kiến|trong\s+thời\s+gian\s+tới|đến|gấp\s+\w+)"
    r"\s*(?:trọng\s+tâm\s+)?(?:\w+\s+){0,2}$"
)
_DATE_YEAR_RE = re.compile(
    rf"(?<![\d/])\d{{1,2}}\s*[/.\-]\s*\d{{1,2}}\s*[/.\-]\s*(?P<y>{_YEAR})(?!\d)"
    rf"|năm\s+(?P<y2>{_YEAR})"
)
_OPENING = 600
_TITLE_WEIGHT = 6


@dataclass(frozen=True, slots=True)
class TextFacts:
    """The period and province a text reports on (each may be unknown)."""

    period_key: str = ""
    period_label: str = ""  # the words of the text that named it ("6 tháng đầu năm")
    province: str = ""

    def as_dict(self) -> dict:
        return {"period_key": self.period_key, "period_label": self.period_label, "province": self.province}


def _period_of(kind: str, match: re.Match, year: int, today: date | None) -> Period | None:
    groups = match.groupdict()
    year = int(groups.get("y") or groups.get("y2") or year)
    try:
        if kind == "ytd":
            # "từ đầu năm đến nay": up to the day the text was written (its date) or read
            return cutoff_period(today) if today is not None and today.year == year else None
        if kind == "cutoff":
            return cutoff_period(date(year, int(groups["m"]), int(groups["d"])))
        if kind == QUARTER:
            q = groups["q"]
            return parse_period(f"{year}Q{_ROMAN.get(q) or int(q)}")
        if kind == MONTH:
            return parse_period(f"{year}M{int(groups['m']):02d}")
        if kind == YEAR:
            return parse_period(str(year))
        return parse_period(f"{year}{kind}")
    except ValueError:
        return None


def _text_year(low: str, uploaded: date | None) -> int | None:
    """The year the text is about when a period names none: the latest year its dates give (not
    after the upload), else the upload year."""
    limit = uploaded.year if uploaded else None
    years = [int(m.group("y") or m.group("y2")) for m in _DATE_YEAR_RE.finditer(low)]
    years = [y for y in years if limit is None or y <= limit]
    if years:
        return Counter(years).most_common(1)[0][0] if len(set(years)) > 1 and not uploaded else max(years)
    return limit


_FULL_DATE_RE = re.compile(rf"(?<![\d/])(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})\s*/\s*(?P<y>{_YEAR})(?!\d)")


def _text_date(low: str, uploaded: date | None) -> date | None:
    """The day the text was written: its first full date (not after the upload), else the upload day."""
    for match in _FULL_DATE_RE.finditer(low):
        try:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        if uploaded is None or day <= uploaded:
            return day
    return uploaded


def text_facts(text: str, *, title: str = "", uploaded: date | None = None) -> TextFacts:
    """The period and province ``text`` (with its ``title``) reports on; ``uploaded`` is the day it was
    read, which gives the year when the text names none (and caps the years it may mean)."""
    body = normalise_text(text)
    head = normalise_text(title)
    low_body, low_head = lower_text(body), lower_text(head)
    year = _text_year(low_head + "\n" + low_body, uploaded)
    written = _text_date(low_head + "\n" + low_body, uploaded)
    scores: Counter[str] = Counter()
    labels: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    for weight_base, low, source in ((_TITLE_WEIGHT, low_head, head), (1, low_body, body)):
        if not low:
            continue
        taken: list[tuple[int, int]] = []
        for kind, regex in _PERIOD_RES:
            for match in regex.finditer(low):
                if any(a <= match.start() < b for a, b in taken):
                    continue  # "tháng" inside "6 tháng đầu năm" is no month
                if _NOT_OWN_BEFORE_RE.search(low, max(0, match.start() - 40), match.start()):
                    continue
                has_year = bool(match.groupdict().get("y") or match.groupdict().get("y2"))
                if year is None and not has_year:
                    continue
                period = _period_of(kind, match, year or 0, written)
                if period is None or (uploaded is not None and period.start > uploaded):
                    continue
                taken.append(match.span())
                weight = weight_base * (2 if weight_base == 1 and match.start() < _OPENING else 1)
                scores[period.key] += weight
                labels.setdefault(period.key, " ".join(source[match.start() : match.end()].split()))
                first_seen.setdefault(period.key, match.start() + (0 if weight_base == _TITLE_WEIGHT else 100000))
    key = ""
    if scores:
        key = max(scores, key=lambda k: (scores[k], -first_seen[k]))
    provinces = Counter()
    for weight, source in ((3, head), (1, body)):
        for _pos, name in province_mentions(source):
            provinces[name] += weight
    province = provinces.most_common(1)[0][0] if provinces else ""
    return TextFacts(period_key=key, period_label=labels.get(key, ""), province=province)
