"""Text normalisation helpers shared by the reader and the extractor.

``normalise_text`` fixes the text that offsets refer to. ``lower_text`` and ``fold_text`` return
strings of exactly the same length, so a match found in them is a match at the same offsets in
the normalised text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache
from itertools import accumulate

_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES_RE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_TRAILING_RE = re.compile(r"[ ]+\n")
_MANY_BLANK_RE = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """NFC, one kind of space and newline, no invisible characters, at most one blank line."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text)
    text = _TRAILING_RE.sub("\n", text)
    text = _MANY_BLANK_RE.sub("\n\n", text)
    return text.strip()


def _build_tables() -> tuple[dict[int, str], dict[int, str]]:
    lower: dict[int, str] = {}
    fold: dict[int, str] = {}
    ranges = (range(0x41, 0x5B), range(0xC0, 0x250), range(0x1E00, 0x1F00))
    for rng in ranges:
        for code in rng:
            char = chr(code)
            low = char.lower()
            if len(low) != 1:
                low = char
            if low != char:
                lower[code] = low
            base = unicodedata.normalize("NFD", low)[0]
            if low in ("đ", "Đ"):
                base = "d"
            if base != char and len(base) == 1:
                fold[code] = base
    # combining marks left over in non-NFC input keep their length as a harmless space-free mark
    return lower, fold


_LOWER_TABLE, _FOLD_TABLE = _build_tables()


def _other_lowering_class() -> str:
    """A regex character class of what ``str.lower`` changes otherwise than ``_LOWER_TABLE`` (Greek,
    Cyrillic capitals, "İ"...; every character outside the BMP, to be safe)."""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        char = chr(code)
        if char.lower() != char and _LOWER_TABLE.get(code) != char.lower():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    ranges.append([0x10000, 0x10FFFF])
    return (
        "["
        + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
        + "]"
    )


_OTHER_LOWERING_RE = re.compile(_other_lowering_class())


def lower_text(text: str) -> str:
    """Lower case that never changes the length of the string.

    ``str.lower`` (fast, in C) gives the same string unless the text holds a character it lowers
    otherwise than the table (Greek or Cyrillic capitals, "İ" that becomes two characters): those
    texts are translated with the table (slower, character by character).
    """
    if _OTHER_LOWERING_RE.search(text) is None:
        return text.lower()
    return text.translate(_LOWER_TABLE)


def fold_text(text: str) -> str:
    """Lower case without Vietnamese diacritics ("Xuất cảnh" -> "xuat canh"), same length."""
    return text.translate(_FOLD_TABLE)


_NON_WORD_RE = re.compile(r"[^0-9a-z%]+")


def fold_words(text: str) -> str:
    """Folded text reduced to words separated by single spaces, padded with spaces for matching."""
    return " " + _NON_WORD_RE.sub(" ", fold_text(text)).strip() + " "


# ---------------------------------------------------------------- keys for keyword matching
_TONE_MARKS = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
_WORD_RE = re.compile(r"[^\W_]+|%")
_WORD_SPLIT_RE = re.compile(r"([^\W_]+|%)")
_WORD_KEYS: dict[str, str] = {}


def _word_key(word: str) -> str:
    key = _WORD_KEYS.get(word)
    if key is None:
        decomposed = unicodedata.normalize("NFD", word)
        tone = ""
        for mark, digit in _TONE_MARKS.items():
            if mark in decomposed:
                tone = digit
                decomposed = decomposed.replace(mark, "")
        key = unicodedata.normalize("NFC", decomposed) + tone
        if len(_WORD_KEYS) < 200_000:
            _WORD_KEYS[word] = key
    return key


#: two-word compounds whose first word is also a keyword on its own: they are one key, so the keyword
#: "tổ" (a team) does not match "tổ chức" (to organise), "xã" (commune) not "xã hội" (society),
#: "phát" (to hand out) not "phát hiện" (to detect), "đoàn" (a delegation) not "đoàn kết"
COMPOUNDS = (
    "tổ chức",
    "tổ quốc",
    "xã hội",
    "nhà nước",
    "đoàn kết",
    "đoàn thể",
    "đoàn viên",
    "đoàn thanh",
    "phát hiện",
    "phát triển",
    "phát huy",
    "phát sinh",
    "phát động",
    "phát biểu",
    "phát ngôn",
    "tiếp tục",
    "tiếp thu",
    "thông tin",
    "tin tưởng",
    "tin cậy",
    "tin học",
    "huyện ủy",
    "huyện uỷ",
    "tỉnh ủy",
    "tỉnh uỷ",
    "đảng ủy",
    "đảng uỷ",
    "bài học",
    "bài trừ",
    "lớp học",
    "cặp sách",
    "chợ búa",
    "xe đạp",
    "đồn điền",
    "nhà máy",
    "cửa hàng",
    "khẩu súng",
    "khẩu hiệu",
    "thăm dò",
    "thăm hỏi",
    "làm việc",
)
_COMPOUND_SECOND: dict[str, set[str]] = {}


def _words_keys(text: str) -> list[str]:
    words = _WORD_RE.findall(text.lower())
    keys = list(map(_WORD_KEYS.get, words))
    if None in keys:
        return [key if key is not None else _word_key(word) for key, word in zip(keys, words, strict=True)]
    return keys


for _compound in COMPOUNDS:
    _first, _second = _words_keys(_compound)
    _COMPOUND_SECOND.setdefault(_first, set()).add(_second)


def key_words(text: str) -> str:
    """Cached :func:`_key_words` for the short strings (near words, nouns) that recur."""
    if len(text) > 160:
        return _key_words(text)
    return _key_words_cached(text)


def _key_words(text: str) -> str:
    """Words of ``text`` as matching keys, separated by single spaces and padded with spaces.

    Lower case; the tone mark moves to the end of each word as a digit, so the old and new
    placements agree ("hoá" = "hóa", "thuỷ" = "thủy") while words that differ only by their tone
    stay apart: "chờ" (wait), "chở" (carry) and "cho" (for); "phạt" (fine) and "phát" (issue);
    "ngày" (day) and "ngay" (at once); "đại" and "dài" (đ is kept).
    """
    keys = _words_keys(text)
    if _COMPOUND_FIRSTS.isdisjoint(keys):
        return " " + " ".join(keys) + " "  # no compound can start here: the words as they are
    out: list[str] = []
    i = 0
    while i < len(keys):
        key = keys[i]
        seconds = _COMPOUND_SECOND.get(key)
        if seconds and i + 1 < len(keys) and keys[i + 1] in seconds:
            out.append(key + "_" + keys[i + 1])
            i += 2
            continue
        out.append(key)
        i += 1
    return " " + " ".join(out) + " "


_COMPOUND_FIRSTS = frozenset(_COMPOUND_SECOND)
_key_words_cached = lru_cache(maxsize=8192)(_key_words)


def key_words_cache_clear() -> None:
    _key_words_cached.cache_clear()


class KeyIndex:
    """The matching keys of every word of one lower-case text, with their offsets, computed once:
    ``between(a, b)`` gives ``key_words(low[a:b])`` for the words wholly inside the range (a word cut
    by the range is left out) without folding the same words again for every figure."""

    __slots__ = ("starts", "ends", "keys")

    def __init__(self, low: str) -> None:
        # the text split into separators and words (words at odd places), offsets summed in C
        parts = _WORD_SPLIT_RE.split(low)
        offsets = list(accumulate(map(len, parts), initial=0))
        words = parts[1::2]
        starts = offsets[1::2][: len(words)]
        ends = offsets[2::2][: len(words)]
        keys = list(map(_WORD_KEYS.get, words))
        if None in keys:
            keys = [key if key is not None else _word_key(word) for key, word in zip(keys, words, strict=True)]
        firsts = _COMPOUND_FIRSTS.intersection(keys)
        if firsts:
            # two-word compounds become one key, left to right ("tổ chức" -> "tổ_chức")
            candidates = sorted(i for i, key in enumerate(keys) if key in firsts)
            consumed: set[int] = set()
            last = len(keys) - 1
            for i in candidates:
                if i in consumed or i == last or keys[i + 1] not in _COMPOUND_SECOND[keys[i]]:
                    continue
                consumed.add(i + 1)
                keys[i] = keys[i] + "_" + keys[i + 1]
                ends[i] = ends[i + 1]
            if consumed:
                kept = [i for i in range(len(keys)) if i not in consumed]
                starts = [starts[i] for i in kept]
                ends = [ends[i] for i in kept]
                keys = [keys[i] for i in kept]
        self.starts, self.ends, self.keys = starts, ends, keys

    def between(self, a: int, b: int) -> str:
        i = bisect.bisect_left(self.starts, a)
        j = bisect.bisect_right(self.ends, b)
        if j <= i:
            return "  "
        return " " + " ".join(self.keys[i:j]) + " "
