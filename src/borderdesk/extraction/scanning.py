"""Fast scanning with regular expressions that Python's ``re`` cannot search quickly on its own.

``re`` searches a pattern that begins with a literal (or a branch of literals) by scanning for its
first character in C; a pattern that begins with a look-behind ("(?<![\\w])hàng") or with a branch
of sub-groups is instead tried at every position of the text, 5–10 times slower on an article.
The helpers here give exactly the matches of ``regex.finditer(text)`` while letting ``re`` scan
for something cheap first:

- :class:`WordScanner`: a pattern that must start at a word boundary, searched without the
  look-behind (so ``re`` scans for its first literals) and the boundary checked afterwards;
- :func:`finditer_at`: a pattern tried only at the positions where a match can start (found by
  scanning for cheap anchors), in order and without overlaps, as ``finditer`` would.

``tests/extraction/test_scanning.py`` checks both against the plain ``finditer`` of the original
patterns on the development texts and on random texts made of the words the patterns look for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_WORD_CHAR_RE = re.compile(r"\w")
_WORD_CHARS_RE = re.compile(r"\w*")


class WordScanner:
    """``(?<![\\w])(?:body)`` (or another one-character look-behind ``not_after``), searched fast.

    ``finditer`` gives the same matches as the compiled look-behind pattern: the leftmost position
    where ``body`` matches and the character before is not ``not_after``, then on from its end.
    """

    __slots__ = ("bare", "not_after", "pattern")

    def __init__(self, body: str, flags: int = 0, not_after: str = r"\w") -> None:
        self.bare = re.compile(body, flags)
        self.not_after = _WORD_CHAR_RE if not_after == r"\w" else re.compile(not_after, flags)
        #: the equivalent plain pattern (the reference the tests compare with)
        self.pattern = re.compile(rf"(?<!{not_after})(?:{body})", flags)

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match]:
        search, not_after = self.bare.search, self.not_after.match
        while True:
            match = search(text, pos)
            if match is None:
                return
            start = match.start()
            if start > 0 and not_after(text, start - 1):
                pos = start + 1  # inside a word: try again one character on
                continue
            yield match
            pos = match.end() if match.end() > start else start + 1


def anchor_starts(text: str, anchors: Iterable[tuple[re.Pattern, int]]) -> list[int]:
    """Sorted positions from ``reach`` characters before each occurrence of an anchor to its start
    (occurrences may overlap: each search goes on one character after the previous start)."""
    starts: set[int] = set()
    for anchor, reach in anchors:
        search = anchor.search
        pos = 0
        while True:
            match = search(text, pos)
            if match is None:
                break
            start = match.start()
            if reach:
                starts.update(range(max(0, start - reach), start + 1))
            else:
                starts.add(start)
            pos = start + 1
    return sorted(starts)


def finditer_at(regex: re.Pattern, text: str, starts: Iterable[int], endpos: int | None = None) -> Iterator[re.Match]:
    """The matches of ``regex.finditer(text, starts[0], endpos)`` when every match starts at one of
    ``starts`` (sorted): ``regex.match`` is tried only there, left to right, without overlaps."""
    match_at = regex.match
    end = len(text) if endpos is None else endpos
    position = -1
    for start in starts:
        if start < position:
            continue
        if start >= end:
            return
        match = match_at(text, start, end)
        if match is not None:
            yield match
            position = match.end() if match.end() > start else start + 1


def ending_word(text: str, end: int | None = None) -> str:
    """The word characters just before ``end`` (default: the end of ``text`` without its trailing
    whitespace): "" when that is no word character. A pattern "(?<![\\w])(?:w1|w2...)\\s*$" whose
    words are letters and spaces can only match when this is the last word of one of them."""
    if end is None:
        end = len(text.rstrip())
    if end <= 0:
        return ""
    # the word characters at the start of the reversed text (reversing and matching run in C)
    length = _WORD_CHARS_RE.match(text[end - 1 :: -1]).end()
    return text[end - length : end]


def last_words(words: Iterable[str]) -> frozenset[str]:
    """The last word of each phrase (see :func:`ending_word`)."""
    phrases = list(words)
    if not all(re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", phrase) for phrase in phrases):
        raise ValueError("only phrases of letters and single spaces")
    return frozenset(phrase.rsplit(" ", 1)[-1] for phrase in phrases)
