"""Where and when a figure belongs: province, date and period stated around it.

For each figure the nearest expression *before* it is used (sentence, then paragraph, then the
document); when there is none before it, the first one in the document.
"""

from __future__ import annotations

import bisect
import re

from .scanning import WordScanner, anchor_starts, finditer_at

_PROVINCES = [
    "Hà Giang",
    "Cao Bằng",
    "Lạng Sơn",
    "Quảng Ninh",
    "Lào Cai",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Bình",
    "Quảng Trị",
    "Thừa Thiên Huế",
    "Huế",
    "Quảng Nam",
    "Kon Tum",
    "Gia Lai",
    "Đắk Lắk",
    "Đắk Nông",
    "Bình Phước",
    "Tây Ninh",
    "Long An",
    "Đồng Tháp",
    "An Giang",
    "Kiên Giang",
    "Tuyên Quang",
    "Yên Bái",
    "Bắc Kạn",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Giang",
    "Bắc Ninh",
    "Vĩnh Phúc",
    "Hòa Bình",
    "Hà Nội",
    "Hải Phòng",
    "Hải Dương",
    "Hưng Yên",
    "Thái Bình",
    "Nam Định",
    "Hà Nam",
    "Ninh Bình",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Bình Định",
    "Phú Yên",
    "Khánh Hòa",
    "Ninh Thuận",
    "Bình Thuận",
    "Lâm Đồng",
    "Bình Dương",
    "Đồng Nai",
    "Bà Rịa - Vũng Tàu",
    "Thành phố Hồ Chí Minh",
    "TP. Hồ Chí Minh",
    "Tiền Giang",
    "Bến Tre",
    "Trà Vinh",
    "Vĩnh Long",
    "Cần Thơ",
    "Hậu Giang",
    "Sóc Trăng",
    "Bạc Liêu",
    "Cà Mau",
]
_OLD_TONES = {"óa": "oá", "òa": "oà", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "úy": "uý", "ùy": "uỳ", "ủy": "uỷ"}


def _variants(name: str) -> set[str]:
    out = {name}
    for new, old in _OLD_TONES.items():
        out |= {v.replace(new, old) for v in out}
    return out


_CANONICAL = {}
for _name in _PROVINCES:
    for _variant in _variants(_name):
        _CANONICAL[_variant] = {"Huế": "Thừa Thiên Huế", "TP. Hồ Chí Minh": "Thành phố Hồ Chí Minh"}.get(_name, _name)
_PROVINCES_SCANNER = WordScanner(
    r"(" + "|".join(re.escape(v) for v in sorted(_CANONICAL, key=len, reverse=True)) + r")(?![\w])"
)

_DATE_RES = [
    re.compile(r"(?<![\d/])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*((?:19|20)\d{2})(?!\d)"),
    re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+((?:19|20)\d{2}))?"),
    re.compile(r"(?:ngày|hôm|sáng|chiều|tối|trưa|đêm)\s+(?:ngày\s+)?(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?![\d/.])"),
]
_PERIOD_RE = re.compile(
    r"(?:tính\s+(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{4})?"
    r"|tính\s+(?:đến|tới)\s+(?:hết\s+)?(?:năm|tháng|quý)\s+[\w/]+(?:\s+năm\s+\d{4})?"
    r"|từ\s+đầu\s+năm(?:\s+\d{4})?(?:\s+(?:đến|tới)\s+nay)?"
    r"|từ\s+ngày\s+\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?\s+(?:đến|tới)\s+(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?"
    r"|\d{1,2}\s+tháng\s+(?:đầu|cuối)\s+năm(?:\s+(?:19|20)\d{2})?"
    r"|\d{1,2}\s+tháng(?:\s+năm)?\s+(?:19|20)\d{2}"
    r"|quý\s+(?:[ivx]+|\d)(?:\s*(?:năm|/)\s*(?:19|20)\d{2})?"
    r"|tháng\s+\d{1,2}(?:\s*(?:năm|/)\s*(?:19|20)\d{2})?"
    r"|(?:năm|giai\s+đoạn|nhiệm\s+kỳ)\s+(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?"
    r"|(?:năm|tháng|quý)\s+(?:nay|qua))(?!\d)"
)
_YEARS = WordScanner(r"(?:19|20)\d{2}(?!\d)", not_after=r"\d")
#: where a period can start: its first word, or the digits before "tháng" ("6 tháng đầu năm")
_PERIOD_ANCHORS = (
    (re.compile(r"tính|từ|quý|tháng|năm|giai|nhiệm"), 0),
    (re.compile(r"\d\s+tháng"), 1),
)
_DIGIT_RUN_RE = re.compile(r"\d+")
#: "so với (cùng kỳ) năm 2023", "gấp đôi năm 2023", "cùng kỳ năm 2023": the period compared with,
#: not the figure's own
_REFERENCE_BEFORE_RE = re.compile(r"(?:(?:so\s+(?:với|cùng)|gấp\s+\w+(?:\s+lần)?)\s+(?:cùng\s+kỳ\s+)?|cùng\s+kỳ\s+)$")


def province_mentions(text: str) -> list[tuple[int, str]]:
    """(offset, canonical name) of every province named in ``text``."""
    return [(m.start(), _CANONICAL[m.group(1)]) for m in _PROVINCES_SCANNER.finditer(text)]


class DocumentContext:
    """Province, date and period expressions of one document, looked up by offset."""

    def __init__(self, text: str, low: str) -> None:
        self.provinces = province_mentions(text)
        years = [int(m.group()) for m in _YEARS.finditer(low)]
        # every date starts a run of digits or with its first word: the date patterns are tried there
        digit_starts = [m.start() for m in _DIGIT_RUN_RE.finditer(low)]
        default_year = max(years) if years else None
        dates: list[tuple[int, str]] = []
        for regex in _DATE_RES:
            for m in finditer_at(regex, low, digit_starts) if regex is _DATE_RES[0] else regex.finditer(low):
                groups = m.groups()
                day, month = int(groups[0]), int(groups[2] if regex is _DATE_RES[0] else groups[1])
                year_text = groups[3] if regex is _DATE_RES[0] else (groups[2] if len(groups) > 2 else None)
                year = int(year_text) if year_text else default_year
                if 1 <= day <= 31 and 1 <= month <= 12:
                    iso = f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
                    dates.append((m.start(), iso))
        dates.sort()
        self.dates = dates
        found = finditer_at(_PERIOD_RE, low, anchor_starts(low, _PERIOD_ANCHORS))
        self.periods = [
            (m.start(), " ".join(text[m.start() : m.end()].split()))
            for m in found
            if not _REFERENCE_BEFORE_RE.search(low, max(0, m.start() - 30), m.start())
        ]

    @staticmethod
    def _nearest(items: list[tuple[int, str]], pos: int) -> str | None:
        if not items:
            return None
        i = bisect.bisect_right(items, (pos, "\uffff")) - 1
        return items[i][1] if i >= 0 else items[0][1]

    def at(self, pos: int) -> dict:
        """Context for a figure at ``pos``: {"province", "date", "period"}."""
        return {
            "province": self._nearest(self.provinces, pos),
            "date": self._nearest(self.dates, pos),
            "period": self._nearest(self.periods, pos),
        }
