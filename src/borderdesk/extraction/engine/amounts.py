"""Reading each number with its scale words, range, unit and qualifier into raw figures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, partial

from ..numbers import NUMBER_TOKEN, NUMBER_WORDS, SCALE_WORDS, parse_number_token, parse_number_words
from ..scanning import WordScanner, anchor_starts, ending_word, finditer_at
from ..units import COLLECTIVE, PLACE, TURN, UNITS, match_unit, unit_family
from .comparisons import COMPARE_VERB_LAST_WORDS, COMPARE_VERB_RE
from .masking import CODE_AFTER_RE, blocked_before


def clean_value(value: Decimal) -> Decimal:
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


NUM_RE = re.compile(NUMBER_TOKEN)
_SCALE_ALT = "|".join(sorted(SCALE_WORDS, key=len, reverse=True))
SCALES_RE = re.compile(rf"(?:\s*(?:{_SCALE_ALT})(?![\w]))+")
_ADD_PART_RE = re.compile(rf"\s+({NUMBER_TOKEN})((?:\s*(?:{_SCALE_ALT})(?![\w]))+)")
RANGE_FROM_RE = re.compile(r"(?<![\w])(?:từ|khoảng từ)\s+$")
_RANGE_SEP_RE = re.compile(r"\s*(?:-|–|—|~|đến|tới)\s*(?=\d)")
_SLASH_PART_RE = re.compile(r"/(\d+(?:[.,]\d+)*)")
_AFTER_UNIT_BLOCK_RE = re.compile(r"\s*(?:xem|truy cập|thích|chia sẻ|tải|bình luận|đọc)(?![\w])")
_VAGUE_RE = re.compile(
    rf"(?<![\w])(?:hàng|vài|mấy|dăm|nhiều)\s+(?:chục|trăm)(?:\s*(?:{_SCALE_ALT})(?![\w]))*"
    rf"|(?<![\w])(?:hàng|vài|mấy|dăm|nhiều)(?:\s*(?:{_SCALE_ALT})(?![\w]))+"
    rf"|(?<![\w])(?:mười|(?:hai|ba|bốn|năm|sáu|bảy|tám|chín)\s+mươi)\s+mấy(?:\s*(?:{_SCALE_ALT})(?![\w]))*"
    rf"|(?<![\w])(?:vài|dăm)\s+(?:ba|bảy)(?:\s*(?:{_SCALE_ALT})(?![\w]))*"
)
#: where a vague amount starts when the text has no "mấy" ("mười mấy", "hai mươi mấy" start before it)
_VAGUE_ANCHOR_RE = re.compile(r"hàng|vài|mấy|dăm|nhiều")
_DIGIT_BEFORE_RE = re.compile(r"\d[\s.,]*$")
_DATE_WORD_BEFORE_RE = re.compile(r"(?<![\w])(?:mồng|mùng|thứ|tháng|quý|khóa|khoá)\s*$")
_APPROX_BEFORE_RE = re.compile(r"(?<![\w])(?:hơn|gần|trên|khoảng|chừng|xấp xỉ|ngót|non)\s*$")
_PREVIOUS_WORD_RE = re.compile(r"(\w+)\W*$")
_VAGUE_LEAD_WORDS = frozenset({"hàng", "vài", "mấy", "dăm", "nhiều", "mươi", "mười"})
_NUMBER_WORD_ALT = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
#: a run of number words ("hai mươi lăm", "ba trăm", "trăm rưỡi", "một nửa" is handled apart)
_WORD_NUMBER = WordScanner(rf"(?:{_NUMBER_WORD_ALT})(?:\s+(?:{_NUMBER_WORD_ALT}))*(?![\w])")
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
_TIMES_WORD_VALUES = {
    "đôi": Decimal(2),
    "rưỡi": Decimal("1.5"),
    "ba": Decimal(3),
    "bốn": Decimal(4),
    "năm": Decimal(5),
    "mười": Decimal(10),
}
_QUALIFIER_WORDS = {
    "trên",
    "hơn",
    "gần",
    "khoảng",
    "ước",
    "xấp xỉ",
    "gần như",
    "chừng",
    "dưới",
    "tối đa",
    "tối thiểu",
    "ít nhất",
    "trên dưới",
    "chưa đến",
    "chưa tới",
    "ước tính",
    "ước đạt",
    "dự kiến",
    "dự ước",
    "hầu như",
    "có thể",
    "gần đạt",
}
_FILLER_WORDS = {"đạt", "tới", "lên", "đến", "có", "lên tới", "lên đến", "là"}
#: the last word of every qualifier and filler: a number after any other word has no qualifier
_QUALIFIER_LAST_WORDS = frozenset(phrase.rsplit(" ", 1)[-1] for phrase in _QUALIFIER_WORDS | _FILLER_WORDS)


@dataclass(slots=True)
class RawFigure:
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
    #: an absolute change ("tăng 148 doanh nghiệp"): {"direction": ..., "base": the raw it changes or None}
    change: dict | None = None
    whole: RawFigure | None = None  # "130/131 mốc", "16 trên tổng số 102 xã": the part's whole
    is_whole: bool = False  # the whole of a part: "trên" before it is "out of", not a qualifier
    change_base: int | None = None  # index of the raw an absolute change changes


_WORD_RE = re.compile(r"\w+")


def read_qualifier(low: str, start: int, floor: int) -> tuple[str | None, int, str, int]:
    """(qualifier, quote start, comparison verb before it, verb start) for the number at ``start``."""
    window_start = max(floor, start - 60)
    end = start
    while end > window_start and not (low[end - 1].isalnum() or low[end - 1] == "_"):
        end -= 1
    if ending_word(low[window_start:end]) not in _QUALIFIER_LAST_WORDS:
        # the last word before the number starts no qualifier: nothing to walk back over
        before = low[window_start:start]
        verb_match = COMPARE_VERB_RE.search(before) if ending_word(before) in COMPARE_VERB_LAST_WORDS else None
        if verb_match:
            return None, start, verb_match.group(1), window_start + verb_match.start(1)
        return None, start, "", -1
    words = [(m.group(), m.start()) for m in _WORD_RE.finditer(low, window_start, start)]
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
    verb_match = COMPARE_VERB_RE.search(before) if ending_word(before) in COMPARE_VERB_LAST_WORDS else None
    if verb_match:
        return qualifier, qstart, verb_match.group(1), window_start + verb_match.start(1)
    return qualifier, qstart, "", -1


def _read_amount(scan: str, pos: int, token: str, countable: bool | None) -> tuple[Decimal, int, bool]:
    """Value of the number at ``pos`` with its scale words and additive parts; (value, end, scaled)."""
    end = pos + len(token)
    scale_match = SCALES_RE.match(scan, end)
    if not scale_match:
        if token.isdigit() and token.isascii():
            return Decimal(token), end, False  # plain digits: what parse_number_token gives, without its checks
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


@lru_cache(maxsize=4096)
def unit_at(low: str, pos: int) -> tuple[str, str, int, int, bool] | None:
    """(normal unit, surface, start, end, countable) of the unit word at ``pos``, if any (cached: the
    same position is asked for a number's scale, range and unit; the text's hash is computed once)."""
    return _unit_at(low, pos)


def _unit_at(low: str, pos: int) -> tuple[str, str, int, int, bool] | None:
    match = match_unit(low, pos)
    if match is None:
        return None
    surface, unit_start, unit_end = match
    key = " ".join(surface.split())
    entry = UNITS.get(key) or UNITS.get(key.replace(" /", "/").replace("/ ", "/"))
    if entry is None:
        return None
    if key == "lượt" and _AFTER_UNIT_BLOCK_RE.match(low, unit_end):
        return None  # page counters: "lượt xem", "lượt truy cập", "lượt tải"
    return entry[0], surface, unit_start, unit_end, entry[2]


def _family_after(low: str, scan: str, pos: int) -> str | None:
    """Family of the unit after the number that ends at ``pos`` (scale words skipped), if any."""
    scale = SCALES_RE.match(scan, pos)
    unit = unit_at(low, scale.end() if scale else pos)
    return unit_family(unit[0]) if unit else None


#: measure words written glued to the number ("332km", "1.000ha", "0,128kg", "60m2", "850USD")
GLUED_UNIT_RE = re.compile(r"(?:km²|km2|km|m²|m³|m2|m3|ha|kg|tấn|tạ|usd|vnđ|vnd|đ)(?![\w])")


_PART_OF_RE = re.compile(r"\s+trên\s+(?:tổng\s+(?:số\s+)?)?(?=\d)|\s*(?:\s+trong|/)\s*tổng\s+số\s+(?=\d)")


def _part_of_whole(low: str, scan: str, pos: int) -> tuple[int, tuple] | None:
    """(start of the whole, its unit) when "trên (tổng số) N <unit>" follows the number ending at ``pos``."""
    link = _PART_OF_RE.match(scan, pos)
    if link is None:
        return None
    number = NUM_RE.match(scan, link.end())
    if number is None:
        return None
    scale = SCALES_RE.match(scan, number.end())
    unit = unit_at(low, scale.end() if scale else number.end())
    return (number.start(), unit) if unit is not None else None


def find_raw(text: str, low: str, scan: str) -> list[RawFigure]:
    raws: list[RawFigure] = []
    wholes: dict[int, int] = {}  # start of a whole -> index of its part
    pos = 0
    length = len(scan)
    while pos < length:
        match = NUM_RE.search(scan, pos)
        if not match:
            break
        start, token = match.start(), match.group()
        pos = match.end()
        after = scan[pos : pos + 8]
        glued_percent = False
        if start > 0 and (scan[start - 1].isalpha() or scan[start - 1] == "_"):
            # "giảm7,2%" is allowed; other numbers glued to letters are codes
            if not re.match(r"\s*%", after):
                continue
            glued_percent = True
        if not glued_percent and blocked_before(scan, start, text, partial(_family_after, low, scan, pos)):
            continue
        if CODE_AFTER_RE.match(scan, pos) and not GLUED_UNIT_RE.match(scan, pos) and not _PART_OF_RE.match(scan, pos):
            continue  # "IMG_2623a", "12km3a" are codes; "332km", "3tạ", "850usd" are figures
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
            if CODE_AFTER_RE.match(scan, slash_end) or scan[slash_end : slash_end + 1] == "/":
                continue
            unit = unit_at(low, slash_end)
            if unit is None:
                continue
            if len(parts) > 2:
                continue
            canonical, surface, unit_start, unit_end, countable = unit
            first = len(raws)
            for part_start, part_token in parts:
                try:
                    value = parse_number_token(part_token, countable=countable)
                except ValueError:
                    break
                part_end = part_start + len(part_token)
                raws.append(
                    RawFigure(
                        part_start,
                        unit_end if part_start == parts[-1][0] else part_end,
                        part_start,
                        clean_value(value),
                        canonical,
                        surface,
                        unit_start,
                    )
                )
            if len(raws) == first + 2 and unit_family(canonical) != TURN and raws[first].value <= raws[first + 1].value:
                raws[first].whole = raws[first + 1]  # "130/131 mốc": 130 of the 131 markers
                raws[first + 1].is_whole = True
            continue
        # amount, scale words, range
        probe = unit_at(low, pos)
        countable = probe[4] if probe else None
        try:
            value, amount_end, scaled = _read_amount(scan, start, token, countable)
        except ValueError:
            continue
        value_range = None
        sep = _RANGE_SEP_RE.match(scan, amount_end)
        if sep:
            second = NUM_RE.match(scan, sep.end())
            if second and not _SLASH_PART_RE.match(scan, second.end()):
                probe2 = unit_at(low, second.end())
                try:
                    high, high_end, high_scaled = _read_amount(
                        scan, second.start(), second.group(), probe2[4] if probe2 else countable
                    )
                except ValueError:
                    high = None
                if high is not None and unit_at(low, high_end) is not None:
                    if high_scaled and not scaled:
                        scale_words = SCALES_RE.match(scan, second.end()).group().split()
                        factor = Decimal(1)
                        for word in scale_words:
                            factor *= SCALE_WORDS[word]
                        value = parse_number_token(token, countable=False) * factor
                    if high >= value:
                        value_range = (clean_value(value), clean_value(high))
                        amount_end = high_end
                        pos = high_end
        unit = unit_at(low, amount_end)
        if unit is None and value_range is None:
            part = _part_of_whole(low, scan, amount_end)
            if part is not None:
                # "16 trên tổng số 102 xã": the part counts what the whole counts
                wholes[part[0]] = len(raws)
                canonical, surface, unit_start, _unit_end, countable = part[1]
                raws.append(RawFigure(start, amount_end, start, clean_value(value), canonical, "", amount_end))
            continue
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
            RawFigure(
                start,
                unit_end,
                start,
                None if value_range else clean_value(value),
                canonical,
                surface,
                unit_start,
                range=value_range,
            )
        )
        pos = max(pos, unit_end)
    for raw in raws:
        part_index = wholes.get(raw.start)
        if (
            part_index is not None
            and raws[part_index].value is not None
            and raw.value is not None
            and raws[part_index].value <= raw.value
        ):
            raws[part_index].whole = raw
            raw.is_whole = True
    # vague amounts
    vague_spans = []
    vague_matches = (
        _VAGUE_RE.finditer(scan)
        if "mấy" in scan
        else finditer_at(_VAGUE_RE, scan, anchor_starts(scan, [(_VAGUE_ANCHOR_RE, 0)]))
    )
    for match in vague_matches:
        unit = unit_at(low, match.end())
        if unit is None:
            continue
        canonical, surface, unit_start, unit_end, _countable = unit
        raws.append(RawFigure(match.start(), unit_end, match.start(), None, canonical, surface, unit_start, vague=True))
        vague_spans.append((match.start(), unit_end))
    raws.extend(_find_word_raws(text, low, scan, vague_spans))
    raws.sort(key=lambda r: r.start)
    return raws


def _previous_word(low: str, pos: int) -> str:
    match = _PREVIOUS_WORD_RE.search(low[max(0, pos - 30) : pos])
    return match.group(1) if match else ""


def _find_word_raws(text: str, low: str, scan: str, vague_spans: list[tuple[int, int]]) -> list[RawFigure]:
    """Figures written in words: "hai mươi lăm đợt", "ba trăm hộ", "hơn trăm người", "một nửa số hộ"."""
    raws: list[RawFigure] = []
    for match in _WORD_NUMBER.finditer(scan):
        start = match.start()
        if any(a <= start < b for a, b in vague_spans):
            continue
        before = scan[max(0, start - 12) : start]
        if _DIGIT_BEFORE_RE.search(before):
            continue  # scale words after digits ("6,73 tỷ") are read with the digits
        if _previous_word(low, start) in _VAGUE_LEAD_WORDS:
            continue
        if blocked_before(scan, start, text) or _DATE_WORD_BEFORE_RE.search(before):
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
        unit = unit_at(low, end)
        if unit is None:
            continue
        canonical, surface, unit_start, unit_end, countable = unit
        lead = low[max(0, start - 40) : start]
        if len(used) == 1:
            word = used[0]
            if word in _SCALE_ONLY_WORDS:
                # "hơn trăm người", "gần chục hộ": only with a qualifier before it
                if not _APPROX_BEFORE_RE.search(lead):
                    continue
            elif word not in _SMALL_WORD_VALUES or not _WORD_TRIGGER_RE.search(lead):
                continue
            if unit_family(canonical) in (PLACE, COLLECTIVE) and _PROPER_NAME_AFTER_RE.match(text, unit_end):
                continue  # "với hai tỉnh Attapeu và Ratanakiri": the two provinces, not a count
        if countable and value != value.to_integral_value():
            continue
        raws.append(RawFigure(start, unit_end, start, clean_value(value), canonical, surface, unit_start))
    for match in _HALF_RE.finditer(scan) if "nửa" in scan else ():
        start, end = match.span("half") if match.group("half") else match.span("half2")
        raws.append(RawFigure(start, end, start, Decimal(50), "%", "", end))
    for match in _TIMES_WORD_RE.finditer(scan) if "gấp" in scan else ():
        word_start = match.start("word")
        raws.append(
            RawFigure(
                word_start,
                match.end("word"),
                word_start,
                _TIMES_WORD_VALUES[match.group("word")],
                "lần",
                "",
                match.end("word"),
                times_only=True,
            )
        )
    return raws
