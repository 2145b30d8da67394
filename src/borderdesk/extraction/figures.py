"""Finding the figures a Vietnamese narrative states.

Rules, in order:

1. Spans that can never hold a figure are masked: web addresses, dates ("ngày 24/6",
   "31/12/2025", "ngày 5 tháng 9 năm 2019"), months and years ("tháng 6", "năm 2023"),
   "Covid-19" and similar names.
2. Every remaining number token is read with its scale words ("6,73 tỷ", "3 tỷ 450 triệu"),
   an optional range ("1.100–1.350", "20-30") and must be followed by a unit word
   (see :mod:`.units`) or "%". A number with no unit is not a figure: that drops document
   numbers, unit names ("Đồn Biên phòng 465"), anniversaries ("75 năm"), durations, years...
3. A number is also dropped when the word before it makes it a name or an ordinal ("Quân khu 1",
   "lần thứ 18", "Nghị quyết 33", "mốc 1088/2", "Lượt xem: 1234", "điện thoại 0205..."), when
   it is glued to letters ("IMG_2623", "H5N1"; "giảm7,2%" is allowed), when it is part of a
   slashed code ("09/2019/NĐ-CP", "01/CT-TTg"), or when it looks like a phone number.
4. "36/540 lượt" gives two figures; "15 vụ/21 đối tượng" gives two figures by rule 2.
5. "hàng chục nghìn phương tiện", "hàng trăm", "vài nghìn" give a vague figure: value None.
6. A percent (or "n lần", or an amount followed by "so với ...") introduced by tăng/giảm/vượt,
   or a percent introduced by đạt/bằng and followed by a plan word or preceded by a figure in
   the same sentence, is a comparison: it is attached to the nearest figure before it in the
   sentence (``comparison``) and not reported on its own. Without such a base figure it stays
   a figure and carries the comparison itself.

Ranges: ``value`` is None and ``range`` is ``[low, high]``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .catalogue import CatalogueEntry, default_catalogue, prepare_catalogue
from .context import DocumentContext
from .mapping import MappingContext, map_figure
from .numbers import NUMBER_TOKEN, NUMBER_WORDS, SCALE_WORDS, parse_number_token, parse_number_words
from .text import key_words, lower_text, normalise_text
from .units import COLLECTIVE, DOCSET, DOCUMENT, LEAFLET, MONEY, PLACE, THING, UNIT_RE, UNITS, unit_family

__all__ = ["Figure", "extract_figures"]


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _clean(value: Decimal) -> Decimal:
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


@dataclass(slots=True)
class Figure:
    """One figure stated in a text, proposed as a data value for a person to review.

    ``start``/``end`` are offsets into the normalised text (``normalise_text``) and
    ``quote == text[start:end]`` (qualifier, number, scale words and unit).
    """

    quote: str
    start: int
    end: int
    value: Decimal | None
    unit: str | None
    qualifier: str | None = None
    noun: str = ""
    indicator: str | None = None
    confidence: float = 0.0
    comparison: dict | None = None
    comparisons: list[dict] = field(default_factory=list)
    context: dict = field(default_factory=dict)
    vague: bool = False
    range: tuple[Decimal, Decimal] | None = None
    unit_surface: str = ""

    def as_dict(self) -> dict:
        """A JSON-serialisable dictionary (numbers as JSON numbers, exact text in ``value_text``)."""
        return {
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "value": _json_number(self.value),
            "value_text": None if self.value is None else str(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "noun": self.noun,
            "indicator": self.indicator,
            "confidence": self.confidence,
            "comparison": self.comparison,
            "comparisons": self.comparisons,
            "context": dict(self.context),
            "vague": self.vague,
            "range": None if self.range is None else [_json_number(v) for v in self.range],
        }


# ---------------------------------------------------------------- masks
_MASK_RES = [
    re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+"),
    re.compile(r"(?:covid|sars-cov|cov|h\d+n)\s*[-–]?\s*\d+"),
    # full dates 31/12/2025, 31.12.2025, 31-12-2025
    re.compile(r"(?<![\d.,/])\d{1,2}\s*(?P<sep>[/.\-])\s*\d{1,2}\s*(?P=sep)\s*(?:19|20)\d{2}(?!\d)"),
    re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?"),
    re.compile(
        r"(?:ngày|hôm|sáng|chiều|tối|trưa|đêm|rạng sáng|đến ngày|từ ngày)\s+(?:ngày\s+)?"
        r"\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{2,4})?(?![\d])"
    ),
    re.compile(r"tháng\s+\d{1,2}(?:\s*(?:/|-|năm)\s*(?:19|20)\d{2})?(?!\d)"),
    re.compile(r"(?<![\d.,])\d{1,2}\s*/\s*(?:19|20)\d{2}(?!\d)"),
    re.compile(r"(?:năm|niên khóa|niên khoá|giai đoạn|nhiệm kỳ|từ|đến)\s+(?:19|20)\d{2}(?:\s*[-–—]\s*(?:19|20)\d{2})?(?!\d)"),
    re.compile(r"(?<![\d.,])(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)\d{2}(?!\d)"),
    re.compile(r"(?<![\d.,])\d{1,2}\s*(?:h|giờ|g|:)\s*\d{2}(?:\s*phút)?(?!\d)"),
]

_NUM_RE = re.compile(NUMBER_TOKEN)
_SCALE_ALT = "|".join(sorted(SCALE_WORDS, key=len, reverse=True))
_SCALES_RE = re.compile(rf"(?:\s*(?:{_SCALE_ALT})(?![\w]))+")
_ADD_PART_RE = re.compile(rf"\s+({NUMBER_TOKEN})((?:\s*(?:{_SCALE_ALT})(?![\w]))+)")
_RANGE_FROM_RE = re.compile(r"(?<![\w])(?:từ|khoảng từ)\s+$")
_RANGE_SEP_RE = re.compile(r"\s*(?:-|–|—|~|đến|tới)\s*(?=\d)")
_SLASH_PART_RE = re.compile(r"/(\d+(?:[.,]\d+)*)")
_CODE_AFTER_RE = re.compile(r"(?:[/\-][a-zđ]|\.(?:jpe?g|png|gif|pdf|docx?|xlsx?|webp|bmp|tiff?|html?)\b|\+\d|[a-z_]\w)")
_PREV_BLOCK_RE = re.compile(
    r"(?<![\w])(?:thứ|số|mã số|mã|quý|tháng|ngày|năm|lần|đợt|khu|quân khu|quân đoàn|sư đoàn|lữ đoàn|"
    r"trung đoàn|tiểu đoàn|đại đội|binh đoàn|hải đội|hải đoàn|đoàn kinh tế quốc phòng|đoàn ktqp|"
    r"kinh tế quốc phòng|đồn biên phòng|đồn bp|đồn|trạm|đội|tổ|phòng|ban|cục|vùng|hạm đội|mốc|cột mốc|"
    r"mốc quốc giới|cọc|cọc dấu|km|quốc lộ|ql|tỉnh lộ|đường tỉnh|tl|hương lộ|thôn|bản|xóm|ấp|khóm|khu phố|"
    r"tổ dân phố|phường|điều|khoản|điểm|chương|mục|phụ lục|nghị quyết|chỉ thị|quyết định|nghị định|"
    r"thông tư|công văn|thông báo|luật|pháp lệnh|kết luận|hướng dẫn|lượt xem|lượt truy cập|lượt thích|"
    r"bình luận|lượt chia sẻ|đang truy cập|truy cập|đang online|online|điện thoại|đt|sđt|di động|fax|"
    r"hotline|tel|lô|căn hộ|tầng|kỳ họp|kỳ|khóa|khoá|nhiệm kỳ|giai đoạn|phiên|tập|hình|ảnh|bảng|biểu|"
    r"mẫu|top|nhóm|lớp|cấp|hạng|bậc|nhiệt độ|lúc|vào lúc|cỡ|phiên bản|biển số|biển kiểm soát|bks|"
    r"cảnh sát biển|quân y|trường|hội nghị|đại hội|khu kinh tế|cửa khẩu|cặp)"
    r"\s*(?:số\s*)?[:.\-]?\s*$"
)
_TOTAL_BEFORE_RE = re.compile(r"(?:tổng|với|có|là|gồm|được)\s+số\s*$")
_AFTER_UNIT_BLOCK_RE = re.compile(r"\s*(?:xem|truy cập|thích|chia sẻ|tải|bình luận|đọc)(?![\w])")
_VAGUE_RE = re.compile(
    rf"(?<![\w])(?:hàng|vài|mấy|dăm|nhiều)\s+(?:chục|trăm)(?:\s*(?:{_SCALE_ALT})(?![\w]))*"
    rf"|(?<![\w])(?:hàng|vài|mấy|dăm|nhiều)(?:\s*(?:{_SCALE_ALT})(?![\w]))+"
    rf"|(?<![\w])(?:mười|(?:hai|ba|bốn|năm|sáu|bảy|tám|chín)\s+mươi)\s+mấy(?:\s*(?:{_SCALE_ALT})(?![\w]))*"
    rf"|(?<![\w])(?:vài|dăm)\s+(?:ba|bảy)(?:\s*(?:{_SCALE_ALT})(?![\w]))*"
)
_VAGUE_LEAD_WORDS = frozenset({"hàng", "vài", "mấy", "dăm", "nhiều", "mươi", "mười"})
_NUMBER_WORD_ALT = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
#: a run of number words ("hai mươi lăm", "ba trăm", "trăm rưỡi", "một nửa" is handled apart)
_WORD_NUMBER_RE = re.compile(rf"(?<![\w])(?:{_NUMBER_WORD_ALT})(?:\s+(?:{_NUMBER_WORD_ALT}))*(?![\w])")
#: a single small number word ("hai", "ba", "mười") counts only after one of these (a verb of counting,
#: a qualifier): "bắt giữ hai đối tượng" is a figure, "lãnh đạo hai tỉnh" and "hai nước" are not
_WORD_TRIGGER_RE = re.compile(
    r"(?<![\w])(?:có|gồm|với|được|đạt|là|bắt|giữ|hiện|thu|chức|xử lý|phạt|tố|nhận|trả|trao|tặng|trợ|dựng|xây|"
    r"làm|mở|lập|trì|động|cử|tăng|giảm|thêm|cộng|khoảng|gần|hơn|trên|chỉ|mới|còn|lên|tới|cho|tra|phát|cấp|"
    r"truyền|đón|tiếp|ký|kết|thành|khai|cứu|giao|chữa|phục|quang|quản lý|tổng số|tổng|ước|chừng|xấp xỉ|"
    r"tất cả|cả thảy|bị|sinh|hy sinh|thương|chết|mất|vong)\s*$"
)
_SMALL_WORD_VALUES = frozenset({"hai", "ba", "bốn", "sáu", "bảy", "bẩy", "tám", "chín", "mười"})
_SCALE_ONLY_WORDS = frozenset({"chục", "trăm"}) | frozenset(SCALE_WORDS)
_PROPER_NAME_AFTER_RE = re.compile(r"[ ]+(?:[A-ZĐÀ-Ỹ]|\()")
#: "một nửa số hộ" (half of the households) and "giảm một nửa" (halved) read as 50 %
_HALF_RE = re.compile(
    r"(?<![\w])(?P<half>một\s+nửa)(?=\s+(?:số|tổng số|trong số|lượng)(?![\w]))"
    r"|(?<![\w])(?:tăng|giảm)(?:\s+(?:đi|xuống|thêm|lên|được|còn))?\s+(?P<half2>một\s+nửa)(?![\w])"
)
_TIMES_WORD_RE = re.compile(r"(?<![\w])gấp\s+(?P<word>đôi|rưỡi|ba|bốn|năm|mười)(?![\w])(?!\s+(?:lần|\d))")
_TIMES_WORD_VALUES = {"đôi": Decimal(2), "rưỡi": Decimal("1.5"), "ba": Decimal(3), "bốn": Decimal(4),
                      "năm": Decimal(5), "mười": Decimal(10)}
_QUALIFIER_WORDS = {
    "trên", "hơn", "gần", "khoảng", "ước", "xấp xỉ", "gần như", "chừng", "dưới", "tối đa", "tối thiểu",
    "ít nhất", "trên dưới", "chưa đến", "chưa tới", "ước tính", "ước đạt", "dự kiến", "dự ước", "hầu như",
    "có thể", "gần đạt",
}
_FILLER_WORDS = {"đạt", "tới", "lên", "đến", "có", "lên tới", "lên đến", "là"}
_COMPARE_VERB_RE = re.compile(
    r"(?<![\w])(tăng gấp|gấp|tăng thêm|tăng lên|tăng|giảm bớt|giảm xuống|giảm đi|giảm|vượt|đạt|bằng|chỉ bằng|"
    r"tương đương|chiếm|tương ứng)\s*$"
)
_REF_AFTER_RE = re.compile(
    r"\s*,?\s*so\s+(?:với|cùng)\s+(?P<ref>cùng\s+kỳ(?:\s+năm\s+(?:trước|ngoái|\d{4}))?|"
    r"kế\s+hoạch(?:\s+năm(?:\s+\d{4})?)?|kh(?![\w])|chỉ\s+tiêu(?:\s+năm)?|dự\s+toán(?:\s+năm)?|mục\s+tiêu|"
    r"năm\s+(?:trước|ngoái|\d{4})|tháng\s+trước|quý\s+trước|kỳ\s+trước|"
    r"(?:ngày|tháng|quý|thời\s+điểm)\s+[\w/.]+(?:\s+năm\s+\d{4})?|"
    r"\d+\s+tháng\s+(?:đầu|cuối)\s+năm(?:\s+\d{4})?|[^,;.\n]{1,40})"
)
_BARE_REF_AFTER_RE = re.compile(
    r"\s*(?P<ref>cùng\s+kỳ(?:\s+năm\s+(?:trước|ngoái|\d{4}))?|năm\s+(?:trước|ngoái|\d{4})|tháng\s+trước|"
    r"quý\s+trước|kỳ\s+trước)(?![\w])"
)
_PLAN_AFTER_RE = re.compile(
    r"\s*(?:so\s+với\s+)?(?P<ref>kế\s+hoạch(?:\s+năm(?:\s+\d{4})?)?|kh(?![\w])|chỉ\s+tiêu(?:\s+năm)?|"
    r"dự\s+toán(?:\s+năm)?|mục\s+tiêu|nghị\s+quyết|kịch\s+bản)"
)
_REF_BEFORE_RE = re.compile(r"so\s+(?:với|cùng)\s+(?P<ref>[^,;.\n]{1,40}?)\s*,?\s*$")
_RATE_WORD_RE = re.compile(r"(?<![\w])tỷ\s+lệ|tỉ\s+lệ(?![\w])")
_SENTENCE_END_RE = re.compile(r"[.!?;…](?=\s|$)|\n|:(?=\s)")
_CLAUSE_BREAK_RE = re.compile(r"[,;:()\[\]“”\"/]|(?<![\w])(?:trong đó|còn|riêng)(?![\w])")
_NOUN_STOP_RE = re.compile(
    r"[;:()\[\]“”\"\n!?]|[.,](?=\s|$)|\s(?:và|tăng|giảm|đạt|so với|tương đương|trong đó|bằng)(?=\s)|\d"
)
_TRAILING_VERB_RE = re.compile(
    r"(?:\s+(?:đạt|là|được|có|gồm|với|cho|tới|lên tới|lên|đến|ước|ước đạt|ước tính|khoảng|trên|hơn|gần|"
    r"xấp xỉ|chừng|tổng cộng|tổng số|số|thu|bắt|bắt giữ|phát hiện|phát|tổ chức|làm thủ tục))+\s*$"
)


_CLAUSE_END_RE = re.compile(r"[,;:.!?\n]")
#: a daily quantity: "bình quân mỗi ngày", "ngày cao điểm", "650 xe/ngày"
_PER_DAY_RE = re.compile(
    r"(?<![\w])(?:mỗi|một|hằng|hàng|bình quân|trung bình)\s+ngày(?![\w])|/\s*ngày(?![\w])"
    r"|(?<![\w])(?:ngày cao điểm|có ngày|ngày đêm|ngày cao nhất|ngày nhiều nhất)(?![\w])"
)
_NOUN_TRAILING_WORDS = frozenset({"cho", "với", "và", "của", "tại", "ở", "từ", "đến", "tới", "trên", "gồm", "là"})
_COORDINATED_RE = re.compile(r"^[^,;]{0,40}\s(?:và|cùng)\s*$")
_MONEY_UNITS = frozenset({"USD", "đồng", "CNY", "LAK", "KHR", "THB", "EUR"})


_URL_MASK_RE = _MASK_RES[0]
_MASK_RE = re.compile("|".join(f"(?:{r.pattern})" for r in _MASK_RES[1:]))
_DIGITS_RE = re.compile(r"\d+")
#: every mask except web addresses holds a digit and starts at most this many characters before it
_MASK_REACH = 48


def _masked(low: str) -> str:
    """``low`` with addresses, dates, months, years and times replaced by "#" (same length).

    The date and time patterns all contain a digit, so they are only tried around digits: far
    faster than scanning every position of a long article, same result.
    """
    spans = [m.span() for m in _URL_MASK_RE.finditer(low)] if ("://" in low or "www." in low or "@" in low) else []
    window_start = window_end = -1
    windows = []
    for m in _DIGITS_RE.finditer(low):
        a, b = max(0, m.start() - _MASK_REACH), min(len(low), m.end() + _MASK_REACH)
        if a <= window_end:
            window_end = b
        else:
            if window_end >= 0:
                windows.append((window_start, window_end))
            window_start, window_end = a, b
    if window_end >= 0:
        windows.append((window_start, window_end))
    previous_end = 0
    for a, b in windows:
        for m in _MASK_RE.finditer(low, max(a, previous_end), b):
            spans.append(m.span())
            previous_end = m.end()
    if not spans:
        return low
    pieces = []
    position = 0
    for start, end in sorted(spans):
        start = max(start, position)
        if start >= end:
            continue
        pieces.append(low[position:start])
        pieces.append(_NOT_NEWLINE_RE.sub("#", low[start:end]))
        position = end
    pieces.append(low[position:])
    return "".join(pieces)


_NOT_NEWLINE_RE = re.compile(r"[^\n]")


def _valid_dm(day: str, month: str) -> bool:
    try:
        d, m = int(day), int(month)
    except ValueError:
        return False
    return 1 <= d <= 31 and 1 <= m <= 12


@dataclass(slots=True)
class _Raw:
    start: int  # start of the number (or vague word)
    end: int  # end of the unit
    qstart: int  # start of the qualifier or of the number
    value: Decimal | None
    unit: str
    unit_surface: str
    unit_start: int
    qualifier: str | None = None
    vague: bool = False
    range: tuple[Decimal, Decimal] | None = None
    is_comparison: bool = False
    comparison: dict | None = None
    verb: str = ""
    verb_start: int = -1
    attached: list[dict] = field(default_factory=list)
    times_only: bool = False  # "gấp đôi": a comparison, never a figure on its own
    comparison_ref: dict | None = None  # the comparison this raw became, attached to its base figure


def _qualifier(low: str, start: int, floor: int) -> tuple[str | None, int, str, int]:
    """(qualifier, quote start, comparison verb before it, verb start) for the number at ``start``."""
    window_start = max(floor, start - 60)
    words = [(m.group(), m.start() + window_start) for m in re.finditer(r"[\w]+", low[window_start:start])]
    kept: list[tuple[str, int]] = []
    i = len(words)
    while i > 0:
        if i >= 2:
            pair = words[i - 2][0] + " " + words[i - 1][0]
            if pair in _QUALIFIER_WORDS or pair in _FILLER_WORDS:
                kept.insert(0, (pair, words[i - 2][1]))
                i -= 2
                continue
        word = words[i - 1][0]
        if word in _QUALIFIER_WORDS or word in _FILLER_WORDS:
            kept.insert(0, (word, words[i - 1][1]))
            i -= 1
            continue
        break
    while kept and kept[0][0] in _FILLER_WORDS:
        kept.pop(0)
    while kept and kept[-1][0] in _FILLER_WORDS and kept[-1][0] != "đạt":
        kept.pop()
    qualifier = " ".join(w for w, _ in kept) or None
    qstart = kept[0][1] if kept else start
    before = low[window_start:qstart]
    verb_match = _COMPARE_VERB_RE.search(before)
    if verb_match:
        return qualifier, qstart, verb_match.group(1), window_start + verb_match.start(1)
    return qualifier, qstart, "", -1


def _read_amount(scan: str, pos: int, token: str, countable: bool | None) -> tuple[Decimal, int, bool]:
    """Value of the number at ``pos`` with its scale words and additive parts; (value, end, scaled)."""
    end = pos + len(token)
    scale_match = _SCALES_RE.match(scan, end)
    if not scale_match:
        return parse_number_token(token, countable=countable), end, False
    factor = Decimal(1)
    for word in scale_match.group().split():
        factor *= SCALE_WORDS[word]
    value = parse_number_token(token, countable=False) * factor
    end = scale_match.end()
    previous = factor
    while True:
        part = _ADD_PART_RE.match(scan, end)
        if not part:
            break
        part_factor = Decimal(1)
        for word in part.group(2).split():
            part_factor *= SCALE_WORDS[word]
        if part_factor >= previous:
            break
        value += parse_number_token(part.group(1), countable=False) * part_factor
        previous = part_factor
        end = part.end()
    return value, end, True


def _unit_at(low: str, pos: int) -> tuple[str, str, int, int, bool] | None:
    match = UNIT_RE.match(low, pos)
    if not match:
        return None
    surface = match.group("unit")
    key = " ".join(surface.split())
    entry = UNITS.get(key) or UNITS.get(key.replace(" /", "/").replace("/ ", "/"))
    if entry is None:
        return None
    if key == "lượt" and _AFTER_UNIT_BLOCK_RE.match(low, match.end()):
        return None  # page counters: "lượt xem", "lượt truy cập", "lượt tải"
    return entry[0], surface, match.start("unit"), match.end(), entry[2]


_VERB_OR_NAME = frozenset({"hướng dẫn", "thông báo", "kết luận"})


def _blocked_before(low: str, start: int, text: str | None = None, unit_family_after: str | None = None) -> bool:
    """Whether the number at ``start`` is glued to a code or named by the word before it ("Quân khu 1")."""
    window = low[max(0, start - 40):start]
    if not window:
        return False
    last = window[-1]
    if last.isalpha() or last == "_":
        return True  # glued to letters: IMG_2623, H5N1 (percent handled by the caller)
    if last in "-–" and len(window) >= 2 and (window[-2].isalpha() or window[-2].isdigit()):
        return True
    if last in "/.," and len(window) >= 2 and window[-2].isdigit():
        return True
    match = _PREV_BLOCK_RE.search(window)
    if match:
        word = " ".join(match.group().split()).rstrip(" :.-")
        if word.startswith("số") and _TOTAL_BEFORE_RE.search(window[: match.end()].rstrip(" :.-")):
            return False
        if (word == "điểm" and window[: match.start()].endswith("dứt ")) or (
            word == "kỳ" and window[: match.start()].endswith("định ")
        ):
            return False  # "giải quyết dứt điểm 6 vụ việc", "kiểm tra định kỳ 386 lượt mốc"
        if word in _VERB_OR_NAME and text is not None:
            # "hướng dẫn 1.320 lượt xe" (a verb) but "Hướng dẫn 12" (a document)
            offset = max(0, start - 40) + match.start()
            if text[offset:offset + 1].islower():
                return False
        if word == "cấp" and unit_family_after in (DOCSET, LEAFLET, THING, MONEY, DOCUMENT):
            return False  # "cấp 740 cuốn tài liệu" (to issue), not "cấp 2" (a level)
        return True
    return False


def _family_after(low: str, scan: str, pos: int) -> str | None:
    """Family of the unit after the number that ends at ``pos`` (scale words skipped), if any."""
    scale = _SCALES_RE.match(scan, pos)
    unit = _unit_at(low, scale.end() if scale else pos)
    return unit_family(unit[0]) if unit else None


def _find_raw(text: str, low: str, scan: str) -> list[_Raw]:
    raws: list[_Raw] = []
    pos = 0
    length = len(scan)
    while pos < length:
        match = _NUM_RE.search(scan, pos)
        if not match:
            break
        start, token = match.start(), match.group()
        pos = match.end()
        after = scan[pos:pos + 8]
        glued_percent = False
        if start > 0 and (scan[start - 1].isalpha() or scan[start - 1] == "_"):
            # "giảm7,2%" is allowed; other numbers glued to letters are codes
            if not re.match(r"\s*%", after):
                continue
            glued_percent = True
        if not glued_percent and _blocked_before(scan, start, text, _family_after(low, scan, pos)):
            continue
        if _CODE_AFTER_RE.match(scan, pos):
            continue
        digits = token.replace(".", "").replace(",", "")
        if token[0] == "0" and len(digits) >= 3 and token[:2] != "0," and token[:2] != "0.":
            continue  # phone numbers and codes
        if len(digits) >= 9 and "." not in token and "," not in token:
            continue
        # slashed groups: 24/6 (date), 1088/2 (marker), 36/540 lượt (two counts), 09/2019/NĐ-CP (code)
        parts = [(start, token)]
        slash_end = pos
        while True:
            part = _SLASH_PART_RE.match(scan, slash_end)
            if not part:
                break
            parts.append((part.start(1), part.group(1)))
            slash_end = part.end()
        if len(parts) > 1:
            pos = slash_end
            if _CODE_AFTER_RE.match(scan, slash_end) or scan[slash_end:slash_end + 1] == "/":
                continue
            unit = _unit_at(low, slash_end)
            if unit is None:
                continue
            if len(parts) > 2:
                continue
            canonical, surface, unit_start, unit_end, countable = unit
            for part_start, part_token in parts:
                try:
                    value = parse_number_token(part_token, countable=countable)
                except ValueError:
                    break
                part_end = part_start + len(part_token)
                raws.append(
                    _Raw(part_start, unit_end if part_start == parts[-1][0] else part_end, part_start,
                         _clean(value), canonical, surface, unit_start)
                )
            continue
        # amount, scale words, range
        probe = _unit_at(low, pos)
        countable = probe[4] if probe else None
        try:
            value, amount_end, scaled = _read_amount(scan, start, token, countable)
        except ValueError:
            continue
        value_range = None
        sep = _RANGE_SEP_RE.match(scan, amount_end)
        if sep:
            second = _NUM_RE.match(scan, sep.end())
            if second and not _SLASH_PART_RE.match(scan, second.end()):
                probe2 = _unit_at(low, second.end())
                try:
                    high, high_end, high_scaled = _read_amount(
                        scan, second.start(), second.group(), probe2[4] if probe2 else countable
                    )
                except ValueError:
                    high = None
                if high is not None and _unit_at(low, high_end) is not None:
                    if high_scaled and not scaled:
                        scale_words = _SCALES_RE.match(scan, second.end()).group().split()
                        factor = Decimal(1)
                        for word in scale_words:
                            factor *= SCALE_WORDS[word]
                        value = parse_number_token(token, countable=False) * factor
                    if high >= value:
                        value_range = (_clean(value), _clean(high))
                        amount_end = high_end
                        pos = high_end
        unit = _unit_at(low, amount_end)
        if unit is None:
            continue
        canonical, surface, unit_start, unit_end, countable = unit
        if (
            value_range is None
            and not scaled
            and "." not in token
            and "," not in token
            and len(token) == 4
            and token[:2] in ("19", "20")
            and canonical in ("%",)
        ):
            continue
        if value_range is None and probe is not None and probe[4] != countable:
            # re-read with the unit that really follows the scale words
            value, _end, _scaled = _read_amount(scan, start, token, countable)
        raws.append(
            _Raw(start, unit_end, start, None if value_range else _clean(value), canonical, surface,
                 unit_start, range=value_range)
        )
        pos = max(pos, unit_end)
    # vague amounts
    vague_spans = []
    for match in _VAGUE_RE.finditer(scan):
        unit = _unit_at(low, match.end())
        if unit is None:
            continue
        canonical, surface, unit_start, unit_end, _countable = unit
        raws.append(_Raw(match.start(), unit_end, match.start(), None, canonical, surface, unit_start, vague=True))
        vague_spans.append((match.start(), unit_end))
    raws.extend(_find_word_raws(text, low, scan, vague_spans))
    raws.sort(key=lambda r: r.start)
    return raws


def _previous_word(low: str, pos: int) -> str:
    match = re.search(r"(\w+)\W*$", low[max(0, pos - 30):pos])
    return match.group(1) if match else ""


def _find_word_raws(text: str, low: str, scan: str, vague_spans: list[tuple[int, int]]) -> list[_Raw]:
    """Figures written in words: "hai mươi lăm đợt", "ba trăm hộ", "hơn trăm người", "một nửa số hộ"."""
    raws: list[_Raw] = []
    for match in _WORD_NUMBER_RE.finditer(scan):
        start = match.start()
        if any(a <= start < b for a, b in vague_spans):
            continue
        before = scan[max(0, start - 12):start]
        if re.search(r"\d[\s.,]*$", before):
            continue  # scale words after digits ("6,73 tỷ") are read with the digits
        if _previous_word(low, start) in _VAGUE_LEAD_WORDS:
            continue
        if _blocked_before(scan, start, text) or re.search(r"(?<![\w])(?:mồng|mùng|thứ|tháng|quý|khóa|khoá)\s*$", before):
            continue
        words = match.group().split()
        # the longest run of words that reads as a number
        value = None
        count = len(words)
        while count:
            try:
                value = parse_number_words(words[:count])
                break
            except ValueError:
                count -= 1
        if value is None:
            continue
        used = words[:count]
        end = start
        for word in used:
            end = scan.index(word, end) + len(word)
        unit = _unit_at(low, end)
        if unit is None:
            continue
        canonical, surface, unit_start, unit_end, countable = unit
        lead = low[max(0, start - 40):start]
        if len(used) == 1:
            word = used[0]
            if word in _SCALE_ONLY_WORDS:
                # "hơn trăm người", "gần chục hộ": only with a qualifier before it
                if not re.search(r"(?<![\w])(?:hơn|gần|trên|khoảng|chừng|xấp xỉ|ngót|non)\s*$", lead):
                    continue
            elif word not in _SMALL_WORD_VALUES or not _WORD_TRIGGER_RE.search(lead):
                continue
            if unit_family(canonical) in (PLACE, COLLECTIVE) and _PROPER_NAME_AFTER_RE.match(text, unit_end):
                continue  # "với hai tỉnh Attapeu và Ratanakiri": the two provinces, not a count
        if countable and value != value.to_integral_value():
            continue
        raws.append(_Raw(start, unit_end, start, _clean(value), canonical, surface, unit_start))
    for match in _HALF_RE.finditer(scan):
        start, end = match.span("half") if match.group("half") else match.span("half2")
        raws.append(_Raw(start, end, start, Decimal(50), "%", "", end))
    for match in _TIMES_WORD_RE.finditer(scan):
        word_start = match.start("word")
        raws.append(_Raw(word_start, match.end("word"), word_start, _TIMES_WORD_VALUES[match.group("word")], "lần",
                         "", match.end("word"), times_only=True))
    return raws


def _sentence_bounds(low: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END_RE.finditer(low)]


def _comparison_for(raw: _Raw, low: str, near_start: int, has_base: bool) -> dict | None:
    verb = raw.verb
    if not verb or verb in ("tương đương", "tương ứng", "chiếm"):
        return None
    after_ref = _REF_AFTER_RE.match(low, raw.end)
    if after_ref is None and ("gấp" in verb or raw.unit == "%"):
        # "gấp đôi năm 2023", "gấp 3 lần cùng kỳ", "bằng 87,3% cùng kỳ năm 2023"
        after_ref = _BARE_REF_AFTER_RE.match(low, raw.end)
    plan_ref = _PLAN_AFTER_RE.match(low, raw.end)
    before_ref = _REF_BEFORE_RE.search(low, near_start, raw.verb_start) if raw.verb_start > near_start else None
    is_percent = raw.unit == "%"
    is_times = raw.unit == "lần" and verb != "đạt"
    lead = low[near_start:raw.start]
    if verb.startswith("tăng") or verb.startswith("giảm") or verb in ("vượt", "gấp"):
        if not (is_percent or is_times or after_ref or before_ref or has_base):
            return None
        if not (is_percent or is_times) and not (after_ref or before_ref):
            return None
    elif verb in ("đạt", "bằng", "chỉ bằng"):
        if not is_percent:
            return None
        if _RATE_WORD_RE.search(lead):
            return None
        if not (plan_ref or after_ref or before_ref or has_base):
            return None
    else:
        return None
    ref_match = plan_ref or after_ref or before_ref
    reference = " ".join(ref_match.group("ref").split()) if ref_match else None
    if reference is None:
        kind = "same_period" if (verb.startswith("tăng") or verb.startswith("giảm")) else "unspecified"
    elif reference.startswith("cùng kỳ"):
        kind = "same_period"
    elif re.match(r"(kế hoạch|kh|chỉ tiêu|dự toán|mục tiêu|nghị quyết|kịch bản)", reference):
        kind = "plan"
    elif re.match(r"(năm (trước|ngoái|\d{4}))", reference):
        kind = "previous_year"
    elif re.match(r"(ngày|thời điểm)", reference):
        kind = "date"
    elif re.match(r"(tháng|quý|kỳ|\d+ tháng)", reference):
        kind = "period"
    else:
        kind = "other"
    if verb.startswith("tăng") or verb in ("vượt", "gấp"):
        direction = "up"
    elif verb.startswith("giảm"):
        direction = "down"
    else:
        direction = None
    comparison: dict = {"kind": kind, "direction": direction}
    if is_percent:
        comparison["percent"] = str(raw.value) if raw.value is not None else None
    elif is_times:
        comparison["times"] = str(raw.value) if raw.value is not None else None
    else:
        comparison["amount"] = str(raw.value) if raw.value is not None else None
        comparison["unit"] = raw.unit
    if raw.range is not None:
        comparison["range"] = [str(v) for v in raw.range]
    if raw.qualifier:
        comparison["qualifier"] = raw.qualifier
    comparison["relation"] = "ratio" if verb in ("đạt", "bằng", "chỉ bằng") else "change"
    comparison["reference"] = reference
    end = raw.end
    if ref_match is not None and ref_match.start() >= raw.end:
        end = ref_match.end()
    start = raw.verb_start
    if before_ref is not None:
        start = before_ref.start()
    comparison["start"] = start
    comparison["end"] = end
    return comparison


def _noun_after(text: str, low: str, raw: _Raw, limit: int) -> str:
    pos = raw.unit_start
    segment_end = min(len(low), limit, pos + 200)
    stop = _NOUN_STOP_RE.search(low, raw.end, segment_end)
    end = stop.start() if stop else segment_end
    # keep one short tail after a comma: "đường biên, cột mốc;"
    if stop and low[stop.start()] == ",":
        nxt = _NOUN_STOP_RE.search(low, stop.end(), segment_end)
        tail_end = nxt.start() if nxt else segment_end
        tail = low[stop.end():tail_end]
        if len(tail.split()) <= 3 and (nxt is None or low[nxt.start()] in ";.\n") and not any(
            c.isdigit() for c in tail
        ):
            end = tail_end
    words = text[pos:end].split()[:24]
    while len(words) > 1 and words[-1].lower() in _NOUN_TRAILING_WORDS:
        words.pop()  # "buổi tuyên truyền cho" -> "buổi tuyên truyền"
    return " ".join(words).strip(" ,/")


def _subject_before(text: str, low: str, near_start: int, qstart: int) -> str:
    lead = low[near_start:qstart]
    trimmed = _TRAILING_VERB_RE.sub("", lead)
    trimmed = re.sub(r"^\s*(?:trong đó|còn|riêng|và|cùng|với)\s+", "", trimmed)
    offset = near_start + (len(lead) - len(lead.lstrip()))
    return " ".join(text[offset:near_start + len(trimmed)].split()).strip(" ,")


def extract_figures(text: str, *, catalogue: Iterable[object] | None = None) -> list[Figure]:
    """Figures stated in ``text``, in order of appearance.

    ``catalogue`` is a sequence of indicators (dicts or objects with ``code``, ``unit``,
    ``keywords``); by default the CSV catalogue shipped with BorderDesk. Offsets refer to
    ``normalise_text(text)`` (text from :func:`read_document` is already normalised).
    """
    entries: tuple[CatalogueEntry, ...] = default_catalogue() if catalogue is None else prepare_catalogue(catalogue)
    text = normalise_text(text)
    low = lower_text(text)
    scan = _masked(low)
    raws = _find_raw(text, low, scan)
    if not raws:
        return []
    bounds = _sentence_bounds(low)
    doc_context = DocumentContext(text, low)

    def sentence_start(pos: int) -> int:
        i = bisect.bisect_right(bounds, pos) - 1
        return bounds[i] if i >= 0 else 0

    def sentence_end(pos: int) -> int:
        i = bisect.bisect_right(bounds, pos)
        return bounds[i] if i < len(bounds) else len(low)

    # qualifiers, near-lead starts, comparison verbs
    near_starts: list[int] = []
    previous_end = 0
    for raw in raws:
        s_start = sentence_start(raw.start)
        floor = max(s_start, previous_end if previous_end <= raw.start else s_start)
        if not raw.vague:
            raw.qualifier, raw.qstart, raw.verb, raw.verb_start = _qualifier(low, raw.start, floor)
            if raw.range is not None and raw.qstart == raw.start:
                lead = _RANGE_FROM_RE.search(low, max(floor, raw.start - 8), raw.start)
                if lead:
                    raw.qstart = lead.start()  # the quote of "từ 10 đến 15 người" keeps "từ"
        else:
            raw.qstart = raw.start
        clause = floor
        for m in _CLAUSE_BREAK_RE.finditer(low, floor, raw.qstart):
            clause = m.end()
        near_starts.append(clause)
        previous_end = raw.end

    # comparisons
    kept: list[int] = []
    for index, raw in enumerate(raws):
        s_start = sentence_start(raw.start)
        base_index = None
        for k in reversed(kept):
            if raws[k].end <= raw.start and raws[k].start >= s_start and raw.start - raws[k].end <= 160:
                base_index = k
            break
        previous = raws[index - 1] if index else None
        if (
            raw.verb in ("tương đương", "tương ứng")
            and previous is not None
            and previous.is_comparison
            and raw.start - previous.end <= 30
            and not raw.vague
            and raw.unit != "%"
        ):
            # "giảm 20% (tương đương 5.000 lượt người) so với cùng kỳ": the change in figures
            target = previous.comparison_ref
            if target is not None:
                target["amount"] = str(raw.value) if raw.value is not None else None
                target["unit"] = raw.unit
                raw.is_comparison = True
                continue
        comparison = None if raw.vague else _comparison_for(raw, low, near_starts[index], base_index is not None)
        if raw.times_only and (comparison is None or base_index is None):
            continue  # "gấp đôi" with nothing to compare: not a figure
        if comparison is not None:
            comparison["quote"] = text[comparison["start"]:comparison["end"]]
            if base_index is not None:
                raws[base_index].attached.append(comparison)
                raw.is_comparison = True
                raw.comparison_ref = comparison
                continue
            raw.comparison = comparison
        kept.append(index)

    figures: list[Figure] = []
    # tails: text after each kept figure to the end of its clause; coordinated figures share it
    tails: dict[int, tuple[int, int]] = {}
    for pos_in_kept, index in enumerate(kept):
        raw = raws[index]
        s_end = sentence_end(raw.end)
        next_start = raws[kept[pos_in_kept + 1]].qstart if pos_in_kept + 1 < len(kept) else s_end
        stop = min(s_end, next_start)
        comma = low.rfind(",", raw.end, stop)
        if comma == -1 and next_start < s_end:
            # "xuất cảnh cho 98.420 lượt người và nhập cảnh cho 101.350 lượt người": what follows "và"
            # belongs to the next figure
            conjunction = low.rfind(" và ", raw.end, stop)
            comma = conjunction if conjunction != -1 and low[conjunction + 4:stop].strip() else -1
        tails[index] = (raw.end, comma if comma != -1 and next_start < s_end else stop)
    # "04 tập thể và 06 cá nhân ... được tặng Bằng khen": the first shares what follows the second
    # (not the second's own unit words: "8 cuộc hội đàm, 14 cuộc giao ban" are different things)
    shared: dict[int, list[tuple[int, int]]] = {}
    for pos_in_kept in range(len(kept) - 2, -1, -1):
        index, nxt = kept[pos_in_kept], kept[pos_in_kept + 1]
        gap = low[raws[index].end:raws[nxt].qstart]
        if re.fullmatch(r"\s*(?:,|và|cùng|/|,\s*và|hoặc|với)\s*", gap) and raws[index].end == raws[index].unit_start + len(
            raws[index].unit_surface
        ):
            shared[index] = [(raws[nxt].end, tails[nxt][1]), *shared.get(nxt, [])]

    previous_near = previous_noun = ""
    previous_end = -1
    kept_position = {index: position for position, index in enumerate(kept)}
    for index in kept:
        raw = raws[index]
        near_start = near_starts[index]
        s_start = sentence_start(raw.start)
        near_text = low[near_start:raw.qstart]
        gap_only = re.fullmatch(
            r"\s*(?:tương đương|tương ứng|khoảng|với|và|cùng|/|hoặc|\(|,)*\s*(?:khoảng|trên|hơn|gần)?\s*", near_text
        )
        near_folded = key_words(near_text)
        same_sentence = previous_end >= s_start
        if gap_only and previous_end >= 0 and raw.start - previous_end < 40:
            near_folded = previous_near
        elif same_sentence and _COORDINATED_RE.search(near_text):
            # "đăng ký tự quản 289,6 km đường biên giới và 112 cột mốc": the verb governs both
            near_folded = previous_near + near_folded
        tail_start, tail_end = tails[index]
        tail_text = low[tail_start:tail_end]
        if index in shared:
            tail_text += " " + " ".join(low[a:b] for a, b in shared[index])
            tail_end = max(tail_end, shared[index][-1][1])
        noun = _noun_after(text, low, raw, tail_end if tail_end > raw.end else sentence_end(raw.end))
        if raw.unit in _MONEY_UNITS:
            if gap_only and previous_noun:
                noun = previous_noun
            else:
                subject = _subject_before(text, low, near_start, raw.qstart)
                if subject and len(subject.split()) >= 2:
                    noun = subject
        tail_keys = key_words(tail_text)
        noun_keys = key_words(noun)
        following = " "
        pos_in_kept = kept_position[index]
        if pos_in_kept + 1 < len(kept):
            nxt = raws[kept[pos_in_kept + 1]]
            if nxt.start - raw.end < 120 and not _CLAUSE_END_RE.search(low, raw.end, nxt.qstart):
                following = key_words(low[nxt.unit_start:tails[kept[pos_in_kept + 1]][1]])
        ctx = MappingContext(
            unit=raw.unit,
            noun=noun_keys,
            near=near_folded,
            tail=tail_keys,
            far=key_words(low[max(s_start, near_start - 400):near_start]),
            joined=near_folded.rstrip() + key_words(" ".join(noun.split()[len(raw.unit_surface.split()):])),
            following=following,
            per_day=bool(_PER_DAY_RE.search(low, near_start, max(tail_end, raw.end))),
        )
        code, confidence = map_figure(ctx, entries)
        previous_near, previous_end, previous_noun = near_folded, raw.end, noun
        comparisons = list(raw.attached)
        if raw.comparison is not None:
            comparisons.insert(0, raw.comparison)
        figures.append(
            Figure(
                quote=text[raw.qstart:raw.end],
                start=raw.qstart,
                end=raw.end,
                value=raw.value,
                unit=raw.unit,
                qualifier=raw.qualifier,
                noun=noun,
                indicator=code,
                confidence=confidence,
                comparison=comparisons[0] if comparisons else None,
                comparisons=comparisons,
                context=doc_context.at(raw.start),
                vague=raw.vague,
                range=raw.range,
                unit_surface=text[raw.unit_start:raw.end],
            )
        )
    return figures
