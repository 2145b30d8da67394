"""Finding the figures a Vietnamese narrative states.

Rules, in order:

1. Spans that can never hold a figure are masked: web addresses, dates ("ngày 24/6",
   "31/12/2025", "ngày 5 tháng 9 năm 2019"), months and years ("tháng 6", "năm 2023"),
   "Covid-19" and similar names, lines of links to other articles ("Xem thêm: ...")
   (:mod:`.masking`).
2. Every remaining number token is read with its scale words ("6,73 tỷ", "3 tỷ 450 triệu"),
   an optional range ("1.100–1.350", "20-30") and must be followed by a unit word
   (see :mod:`..units`), written apart or glued ("332km", "3tạ", "60m2", "850USD"), or "%".
   A number with no unit is not a figure: that drops document numbers, unit names ("Đồn Biên
   phòng 465"), anniversaries ("75 năm"), durations, years, ages... "," is always the decimal
   mark ("12,345 km"), only "." groups thousands (:mod:`.amounts`).
3. A number is also dropped when the word before it makes it a name or an ordinal ("Quân khu 1",
   "lần thứ 18", "Nghị quyết 33", "mốc 1088/2", "Lượt xem: 1234", "điện thoại 0205..."), unless
   the noun before it is what is counted ("cột mốc 29 lượt"); when it is glued to letters
   ("IMG_2623", "H5N1"; "giảm7,2%" is allowed), part of a slashed code ("09/2019/NĐ-CP"), or
   looks like a phone number.
4. "36/540 lượt" and "15 vụ/21 đối tượng" give two figures; "130/131 mốc" and "16 trên tổng số
   102 xã" give a part (with the whole's unit) and its whole (``part_of``); a part and its whole
   never carry the same indicator.
5. "hàng chục nghìn phương tiện", "hàng trăm", "vài nghìn" give a vague figure: value None.
6. A percent (or "n lần") introduced by tăng/giảm/vượt, or a percent introduced by đạt/bằng and
   followed by a plan word or preceded by a figure in the same sentence, is a comparison attached
   to the nearest figure before it in the sentence and not reported on its own. An absolute change
   ("tăng 148 doanh nghiệp", "giảm 5 vụ so với cùng kỳ") is attached to the figure of the same noun
   before it and is also a figure of its own (``change``, never mapped to an indicator)
   (:mod:`.comparisons`).
7. Indicators are proposed per clause: the words of one figure ("24 đợt tuần tra song phương")
   are not read for the next one ("và 36 đợt tuần tra đơn phương").

Ranges: ``value`` is None and ``range`` is ``[low, high]``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ..catalogue import CatalogueEntry, default_catalogue, prepare_catalogue
from ..context import DocumentContext
from ..mapping import MappingContext, map_figure
from ..text import KeyIndex, key_words, key_words_cache_clear, lower_text, normalise_text
from .amounts import RANGE_FROM_RE, RawFigure, find_raw, read_qualifier, unit_at
from .comparisons import bind_comparisons
from .masking import masked


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


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
    #: an absolute change ("tăng 148 doanh nghiệp"): {"direction": "up"/"down", "of": index of the
    #: figure it changes in the result, or None}; a change is never mapped to an indicator
    change: dict | None = None
    #: a part of a whole ("130/131 mốc", "16 trên tổng số 102 xã"): index of the whole in the result
    part_of: int | None = None

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
            "change": None if self.change is None else dict(self.change),
            "part_of": self.part_of,
        }


_SENTENCE_END_RE = re.compile(r"[.!?;…](?=\s|$)|\n|:(?=\s)")
#: what starts a new clause: ``[,;:()\[\]“”"/]|(?<![\w])(?:trong đó|còn|riêng)(?![\w])``, written to start
#: with one character class (scanned for in C) and to check the word boundary behind it
_CLAUSE_BREAK_RE = re.compile(
    r"[,;:()\[\]“”\"/tcr](?:(?<=[,;:()\[\]“”\"/])|(?<![\w]t)(?<=t)rong đó(?![\w])|(?<![\w]c)(?<=c)òn(?![\w])"
    r"|(?<![\w]r)(?<=r)iêng(?![\w]))"
)
_NOUN_STOP_WORDS = r"và|tăng|giảm|đạt|so với|tương đương|trong đó|bằng"
#: where the noun after a number stops: the same matches as
#: ``[;:()\[\]“”"\n!?]|[.,](?=\s|$)|\s(?:và|tăng|...)(?=\s)|\d``, written to start with one character class
#: (which ``re`` scans for in C) and check the rest behind it
_NOUN_STOP_RE = re.compile(
    r"[;:()\[\]“”\"\n!?.,\s\d]"
    r"(?:(?<=[;:()\[\]“”\"\n!?\d])|(?<=[.,])(?=\s|$)|(?<=\s)(?:" + _NOUN_STOP_WORDS + r")(?=\s))"
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
_SHARED_GAP_RE = re.compile(r"\s*(?:,|và|cùng|/|,\s*và|hoặc|với)\s*")
_GAP_ONLY_RE = re.compile(r"\s*(?:tương đương|tương ứng|khoảng|với|và|cùng|/|hoặc|\(|,)*\s*(?:khoảng|trên|hơn|gần)?\s*")
_AND_SPLIT_RE = re.compile(r"(?<![\w])(?:và|cùng)(?![\w])")
_AND_RE = re.compile(r"(?<![\w])và(?![\w])")
_MONEY_UNITS = frozenset({"USD", "đồng", "CNY", "LAK", "KHR", "THB", "EUR"})


def _sentence_bounds(low: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END_RE.finditer(low)]


def _noun_after(text: str, low: str, raw: RawFigure, limit: int) -> str:
    pos = raw.unit_start
    segment_end = min(len(low), limit, pos + 200)
    stop = _NOUN_STOP_RE.search(low, raw.end, segment_end)
    end = stop.start() if stop else segment_end
    # keep one short tail after a comma: "đường biên, cột mốc;"
    if stop and low[stop.start()] == ",":
        nxt = _NOUN_STOP_RE.search(low, stop.end(), segment_end)
        tail_end = nxt.start() if nxt else segment_end
        tail = low[stop.end() : tail_end]
        if (
            len(tail.split()) <= 3
            and (nxt is None or low[nxt.start()] in ";.\n")
            and not any(c.isdigit() for c in tail)
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
    return " ".join(text[offset : near_start + len(trimmed)].split()).strip(" ,")


def _share_indicator(part: Figure, whole: Figure, entries: tuple[CatalogueEntry, ...]) -> None:
    """One indicator, one value: a part and its whole never carry the same indicator.

    The whole is read on its own noun ("15/15 xã biên giới có ...": the border communes; "137/137 mốc
    chính được bảo vệ an toàn": all main markers); the part keeps what the rest of the sentence says
    of it when that says more ("1.245/1.300 hộ đã ký cam kết": households that signed; "kiểm tra
    130/131 mốc": markers checked) and gives it up to the whole when only the noun spoke.
    """
    own, own_confidence = map_figure(
        MappingContext(unit=whole.unit, noun=key_words(whole.unit_surface), near=" ", tail=" ", far=" "), entries
    )
    if part.indicator is not None and part.indicator == own and part.confidence <= own_confidence + 0.1:
        whole.indicator, whole.confidence = part.indicator, max(whole.confidence, part.confidence)
        part.indicator, part.confidence = None, 0.0
    elif whole.indicator == part.indicator or whole.indicator is None:
        whole.indicator, whole.confidence = (own, own_confidence) if own != part.indicator else (None, 0.0)


def clear_caches() -> None:
    """Forget the words folded for earlier texts (the benchmark measures texts as if never seen)."""
    unit_at.cache_clear()
    key_words_cache_clear()


def extract_figures(text: str, *, catalogue: Iterable[object] | None = None) -> list[Figure]:
    """Figures stated in ``text``, in order of appearance.

    ``catalogue`` is a sequence of indicators (dicts or objects with ``code``, ``unit``,
    ``keywords``); by default the CSV catalogue shipped with BorderDesk. Offsets refer to
    ``normalise_text(text)`` (text from :func:`read_document` is already normalised).
    """
    entries: tuple[CatalogueEntry, ...] = default_catalogue() if catalogue is None else prepare_catalogue(catalogue)
    unit_at.cache_clear()  # the cache serves one text (a number's scale, range and unit ask the same position)
    text = normalise_text(text)
    low = lower_text(text)
    scan = masked(low)
    raws = find_raw(text, low, scan)
    if not raws:
        return []
    bounds = _sentence_bounds(low)
    keys = KeyIndex(low)
    doc_context = DocumentContext(text, low)

    def sentence_start(pos: int) -> int:
        i = bisect.bisect_right(bounds, pos) - 1
        return bounds[i] if i >= 0 else 0

    def sentence_end(pos: int) -> int:
        i = bisect.bisect_right(bounds, pos)
        return bounds[i] if i < len(bounds) else len(low)

    # qualifiers, near-lead starts, comparison verbs
    near_starts: list[int] = []
    s_starts: list[int] = []
    previous_end = 0
    for raw in raws:
        s_start = sentence_start(raw.start)
        s_starts.append(s_start)
        floor = max(s_start, previous_end if previous_end <= raw.start else s_start)
        if not raw.vague:
            raw.qualifier, raw.qstart, raw.verb, raw.verb_start = read_qualifier(low, raw.start, floor)
            if raw.range is not None and raw.qstart == raw.start:
                lead = RANGE_FROM_RE.search(low, max(floor, raw.start - 8), raw.start)
                if lead:
                    raw.qstart = lead.start()  # the quote of "từ 10 đến 15 người" keeps "từ"
        else:
            raw.qstart = raw.start
        clause = floor
        for m in _CLAUSE_BREAK_RE.finditer(low, floor, raw.qstart):
            clause = m.end()
        near_starts.append(clause)
        previous_end = raw.end

    kept = bind_comparisons(raws, text, low, near_starts, sentence_start)

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
            comma = conjunction if conjunction != -1 and low[conjunction + 4 : stop].strip() else -1
        tails[index] = (raw.end, comma if comma != -1 and next_start < s_end else stop)
    # "04 tập thể và 06 cá nhân ... được tặng Bằng khen": the first shares what follows the second
    # (not the second's own unit words: "8 cuộc hội đàm, 14 cuộc giao ban" are different things)
    shared: dict[int, list[tuple[int, int]]] = {}
    for pos_in_kept in range(len(kept) - 2, -1, -1):
        index, nxt = kept[pos_in_kept], kept[pos_in_kept + 1]
        gap = low[raws[index].end : raws[nxt].qstart]
        if _SHARED_GAP_RE.fullmatch(gap) and raws[index].end == raws[index].unit_start + len(raws[index].unit_surface):
            shared[index] = [(raws[nxt].end, tails[nxt][1]), *shared.get(nxt, [])]

    previous_near = previous_noun = ""
    previous_end = -1
    kept_position = {index: position for position, index in enumerate(kept)}
    kept_index = {id(raws[index]): index for index in kept}
    for index in kept:
        raw = raws[index]
        near_start = near_starts[index]
        s_start = s_starts[index]
        near_text = low[near_start : raw.qstart]
        # only asked right after another figure or for money: the pattern is not tried otherwise
        gap_only = ((previous_end >= 0 and raw.start - previous_end < 40) or raw.unit in _MONEY_UNITS) and (
            _GAP_ONLY_RE.fullmatch(near_text) is not None
        )
        near_folded = keys.between(near_start, raw.qstart)
        same_sentence = previous_end >= s_start
        if gap_only and previous_end >= 0 and raw.start - previous_end < 40:
            near_folded = previous_near
        elif same_sentence and _COORDINATED_RE.search(near_text):
            # "đăng ký tự quản 289,6 km đường biên giới và 112 cột mốc": the verb governs both, but the
            # words between belong to the previous figure ("24 đợt tuần tra song phương và 36 đợt ...")
            after_and = _AND_SPLIT_RE.split(near_text)[-1]
            near_folded = previous_near + key_words(after_and)
        tail_start, tail_end = tails[index]
        tail_ranges = [(tail_start, tail_end)]
        if index in shared:
            tail_ranges.extend(shared[index])
            tail_end = max(tail_end, shared[index][-1][1])
        whole_index = kept_index.get(id(raw.whole)) if raw.whole is not None else None
        if whole_index is not None:
            # "1.245/1.300 hộ đã ký cam kết": what is said of the whole is said of the part
            tail_ranges.append((raw.whole.unit_start, tails[whole_index][1]))
        noun = _noun_after(text, low, raw, tail_end if tail_end > raw.end else sentence_end(raw.end))
        if raw.whole is not None and not noun:
            noun = text[raw.whole.unit_start : raw.whole.end]  # "130/131 mốc": the part counts markers too
        if raw.unit in _MONEY_UNITS:
            if gap_only and previous_noun:
                noun = previous_noun
            else:
                subject = _subject_before(text, low, near_start, raw.qstart)
                if subject and len(subject.split()) >= 2:
                    noun = subject
        if len(tail_ranges) == 1:
            tail_keys = keys.between(tail_start, tail_end)
        else:
            tail_keys = " " + " ".join(keys.between(a, b).strip() for a, b in tail_ranges) + " "
        noun_keys = key_words(noun)
        following = " "
        pos_in_kept = kept_position[index]
        if pos_in_kept + 1 < len(kept):
            nxt = raws[kept[pos_in_kept + 1]]
            if (
                nxt.start - raw.end < 120
                and nxt.change is None
                and not _CLAUSE_END_RE.search(low, raw.end, nxt.qstart)
                and not _AND_RE.search(low, raw.end, nxt.qstart)
            ):
                following = keys.between(nxt.unit_start, tails[kept[pos_in_kept + 1]][1])
        ctx = MappingContext(
            unit=raw.unit,
            noun=noun_keys,
            near=near_folded,
            tail=tail_keys,
            far=keys.between(max(s_start, near_start - 400), near_start),
            joined=near_folded.rstrip() + key_words(" ".join(noun.split()[len(raw.unit_surface.split()) :])),
            following=following,
            per_day=low.find("ngày", near_start, max(tail_end, raw.end)) != -1
            and bool(_PER_DAY_RE.search(low, near_start, max(tail_end, raw.end))),
        )
        if raw.change is not None:
            code, confidence = None, 0.0  # a change is no value of the indicator itself
        else:
            code, confidence = map_figure(ctx, entries)
            previous_near, previous_end, previous_noun = near_folded, raw.end, noun
        comparisons = list(raw.attached)
        if raw.comparison is not None:
            comparisons.insert(0, raw.comparison)
        figures.append(
            Figure(
                quote=text[raw.qstart : raw.end],
                start=raw.qstart,
                end=raw.end,
                value=raw.value,
                unit=raw.unit,
                qualifier=None if raw.is_whole else raw.qualifier,
                noun=noun,
                indicator=code,
                confidence=confidence,
                comparison=comparisons[0] if comparisons else None,
                comparisons=comparisons,
                context=doc_context.at(raw.start),
                vague=raw.vague,
                range=raw.range,
                unit_surface=text[raw.unit_start : raw.end],
            )
        )
    position = {index: i for i, index in enumerate(kept)}
    raw_position = {id(raws[index]): i for i, index in enumerate(kept)}
    for figure, index in zip(figures, kept, strict=True):
        raw = raws[index]
        if raw.change is not None:
            base = raw.change.get("base")
            figure.change = {"direction": raw.change.get("direction"), "of": position.get(base)}
        if raw.whole is not None:
            figure.part_of = raw_position.get(id(raw.whole))
    for figure in figures:
        if figure.part_of is not None:
            _share_indicator(figure, figures[figure.part_of], entries)
    return figures
