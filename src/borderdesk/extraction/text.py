"""Text normalisation helpers shared by the reader and the extractor.

``normalise_text`` fixes the text that offsets refer to. ``lower_text`` and ``fold_text`` return
strings of exactly the same length, so a match found in them is a match at the same offsets in
the normalised text.
"""

from __future__ import annotations

import re
import unicodedata

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


def lower_text(text: str) -> str:
    """Lower case that never changes the length of the string."""
    return text.translate(_LOWER_TABLE)


def fold_text(text: str) -> str:
    """Lower case without Vietnamese diacritics ("Xuất cảnh" -> "xuat canh"), same length."""
    return text.translate(_FOLD_TABLE)


_NON_WORD_RE = re.compile(r"[^0-9a-z%]+")


def fold_words(text: str) -> str:
    """Folded text reduced to words separated by single spaces, padded with spaces for matching."""
    return " " + _NON_WORD_RE.sub(" ", fold_text(text)).strip() + " "
