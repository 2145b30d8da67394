"""Spans that never hold a figure (addresses, dates, times) and numbers named by the word before them."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from ..scanning import WordScanner, anchor_starts, ending_word, finditer_at, last_words
from ..units import DOCSET, DOCUMENT, EVENT, LEAFLET, MONEY, THING, TURN

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
    re.compile(
        r"(?:năm|niên khóa|niên khoá|giai đoạn|nhiệm "
        r"kỳ|từ|đến)\s+(?:19|20)\d{2}(?:\s*[-–—]\s*(?:19|20)\d{2})?(?!\d)"
    ),
    re.compile(r"(?<![\d.,])(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)\d{2}(?!\d)"),
    re.compile(r"(?<![\d.,])\d{1,2}\s*(?:h|giờ|g|:)\s*\d{2}(?:\s*phút)?(?!\d)"),
]

CODE_AFTER_RE = re.compile(r"(?:[/\-][a-zđ]|\.(?:jpe?g|png|gif|pdf|docx?|xlsx?|webp|bmp|tiff?|html?)\b|\+\d|[a-z_]\w)")
#: words that make the number after them a name or an ordinal ("Quân khu 1", "lần thứ 18", "mốc 1088/2")
_BLOCK_WORDS = (
    "thứ",
    "số",
    "mã số",
    "mã",
    "quý",
    "tháng",
    "ngày",
    "năm",
    "lần",
    "đợt",
    "khu",
    "quân khu",
    "quân đoàn",
    "sư đoàn",
    "lữ đoàn",
    "trung đoàn",
    "tiểu đoàn",
    "đại đội",
    "binh đoàn",
    "hải đội",
    "hải đoàn",
    "đoàn kinh tế quốc phòng",
    "đoàn ktqp",
    "kinh tế quốc phòng",
    "đồn biên phòng",
    "đồn bp",
    "đồn",
    "trạm",
    "đội",
    "tổ",
    "phòng",
    "ban",
    "cục",
    "vùng",
    "hạm đội",
    "mốc",
    "cột mốc",
    "mốc quốc giới",
    "cọc",
    "cọc dấu",
    "km",
    "quốc lộ",
    "ql",
    "tỉnh lộ",
    "đường tỉnh",
    "tl",
    "hương lộ",
    "thôn",
    "bản",
    "xóm",
    "ấp",
    "khóm",
    "khu phố",
    "tổ dân phố",
    "phường",
    "điều",
    "khoản",
    "điểm",
    "chương",
    "mục",
    "phụ lục",
    "nghị quyết",
    "chỉ thị",
    "quyết định",
    "nghị định",
    "thông tư",
    "công văn",
    "thông báo",
    "luật",
    "pháp lệnh",
    "kết luận",
    "hướng dẫn",
    "lượt xem",
    "lượt truy cập",
    "lượt thích",
    "bình luận",
    "lượt chia sẻ",
    "đang truy cập",
    "truy cập",
    "đang online",
    "online",
    "điện thoại",
    "đt",
    "sđt",
    "di động",
    "fax",
    "hotline",
    "tel",
    "lô",
    "căn hộ",
    "tầng",
    "kỳ họp",
    "kỳ",
    "khóa",
    "khoá",
    "nhiệm kỳ",
    "giai đoạn",
    "phiên",
    "tập",
    "hình",
    "ảnh",
    "bảng",
    "biểu",
    "mẫu",
    "top",
    "nhóm",
    "lớp",
    "cấp",
    "hạng",
    "bậc",
    "nhiệt độ",
    "lúc",
    "vào lúc",
    "cỡ",
    "phiên bản",
    "biển số",
    "biển kiểm soát",
    "bks",
    "cảnh sát biển",
    "quân y",
    "trường",
    "hội nghị",
    "đại hội",
    "khu kinh tế",
    "cửa khẩu",
    "cặp",
)
_PREV_BLOCK_RE = re.compile(r"(?<![\w])(?:" + "|".join(_BLOCK_WORDS) + r")\s*(?:số\s*)?[:.\-]?\s*$")
#: the last word of each: the regex can only match a window whose last word is one of these (or "số")
_BLOCK_LAST_WORDS = last_words(_BLOCK_WORDS)
_TOTAL_BEFORE_RE = re.compile(r"(?:tổng|với|có|là|gồm|được)\s+số\s*$")

_URL_MASK_RE = _MASK_RES[0]
_MASK_RE = re.compile("|".join(f"(?:{r.pattern})" for r in _MASK_RES[1:]))
_DIGITS_RE = re.compile(r"\d+")
#: the first word of every mask that does not start with a digit (a digit-led mask starts a run of
#: digits): the masks are only tried where one of these or a run of digits starts
_MASK_WORD_STARTS_RE = re.compile(
    r"covid|sars|cov|h(?=\d)|ngày|hôm|sáng|chiều|tối|trưa|đêm|rạng|đến|từ|tháng|năm|niên|giai|nhiệm"
)
#: every mask except web addresses holds a digit and starts at most this many characters before it
_MASK_REACH = 48


def masked(low: str) -> str:
    """``low`` with addresses, dates, months, years and times replaced by "#" (same length).

    The date and time patterns all contain a digit, so they are only tried around digits: far
    faster than scanning every position of a long article, same result.
    """
    spans = [m.span() for m in _URL_MASK_RE.finditer(low)] if ("://" in low or "www." in low or "@" in low) else []
    if "xem thêm" in low or "liên quan" in low or "tin khác" in low or "đọc thêm" in low or "chuyên mục" in low:
        spans.extend(m.span() for m in _FURNITURE.finditer(low))
    window_start = window_end = -1
    windows = []
    digit_starts = []
    for m in _DIGITS_RE.finditer(low):
        digit_starts.append(m.start())
        a, b = max(0, m.start() - _MASK_REACH), min(len(low), m.end() + _MASK_REACH)
        if a <= window_end:
            window_end = b
        else:
            if window_end >= 0:
                windows.append((window_start, window_end))
            window_start, window_end = a, b
    if window_end >= 0:
        windows.append((window_start, window_end))
    # the same matches as _MASK_RE.finditer(low, max(a, previous_end), b) in each window, tried only
    # where a mask can start instead of at every position
    starts = sorted({*digit_starts, *anchor_starts(low, [(_MASK_WORD_STARTS_RE, 0)])}) if windows else []
    previous_end = 0
    for a, b in windows:
        first = bisect.bisect_left(starts, max(a, previous_end))
        last = bisect.bisect_left(starts, b, first)
        for m in finditer_at(_MASK_RE, low, starts[first:last], b):
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
#: page furniture: a line of links to other articles ("Xem thêm: 5 điểm nhấn ...", "Tin liên quan: ...")
_FURNITURE = WordScanner(
    r"(?:xem thêm|đọc thêm|tin liên quan|bài liên quan|bài viết liên quan|tin cùng chuyên mục|"
    r"các tin khác|tin khác)\s*:[^\n]*"
)


def _valid_dm(day: str, month: str) -> bool:
    try:
        d, m = int(day), int(month)
    except ValueError:
        return False
    return 1 <= d <= 31 and 1 <= m <= 12


_MARKER_WORDS = frozenset({"mốc", "cột mốc", "mốc quốc giới", "cọc", "cọc dấu"})
_VERB_OR_NAME = frozenset({"hướng dẫn", "thông báo", "kết luận"})


def _may_be_named(window: str) -> bool:
    """Whether ``_PREV_BLOCK_RE`` can match ``window``: it ends with one of the words, then optional
    spaces, "số", one of ":.-" (a cheap test of the last word instead of a search of the window)."""
    end = len(window.rstrip())
    if end and window[end - 1] in ":.-":
        end = len(window[: end - 1].rstrip())
    return window.endswith("số", 0, end) or ending_word(window, end) in _BLOCK_LAST_WORDS


def blocked_before(
    low: str, start: int, text: str | None = None, unit_family_after: str | Callable[[], str | None] | None = None
) -> bool:
    """Whether the number at ``start`` is glued to a code or named by the word before it ("Quân khu 1")."""
    window = low[max(0, start - 40) : start]
    if not window:
        return False
    last = window[-1]
    if last.isalpha() or last == "_":
        return True  # glued to letters: IMG_2623, H5N1 (percent handled by the caller)
    if last in "-–" and len(window) >= 2 and (window[-2].isalpha() or window[-2].isdigit()):
        return True
    if last in "/.," and len(window) >= 2 and window[-2].isdigit():
        return True
    match = _PREV_BLOCK_RE.search(window) if _may_be_named(window) else None
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
            if text[offset : offset + 1].islower():
                return False
        if callable(unit_family_after) and (word in _MARKER_WORDS or word == "cấp"):
            unit_family_after = unit_family_after()  # only these words ask (the unit is read on demand)
        if word in _MARKER_WORDS and unit_family_after in (TURN, EVENT):
            return False  # "cột mốc 29 lượt": the markers were checked 29 times, not marker 29
        if (word == "cấp" and window[: match.start()].endswith(("nâng ", "cung "))) or (
            word == "luật" and window[: match.start()].endswith("pháp ")
        ):
            return False  # "nâng cấp 3,2 km đường", "cung cấp 47 tin", "tuyên truyền pháp luật 46 buổi"
        if word == "cấp" and unit_family_after in (DOCSET, LEAFLET, THING, MONEY, DOCUMENT):
            return False  # "cấp 740 cuốn tài liệu" (to issue), not "cấp 2" (a level)
        return True
    return False
