"""Mapping a figure to an indicator of the catalogue by keywords, unit and surrounding words.

The score of an indicator for a figure adds, for each of its keywords found near the figure,
a weight that depends on where the keyword was found: in the noun phrase the figure counts
(weight 3), in the words just before the number in the same clause (3), in the text after the
noun phrase up to the end of the clause (1.5) or earlier in the sentence (1). Longer keywords
count a little more. An indicator whose unit cannot describe the figure's unit is never chosen;
one with exactly the same unit gets a small bonus; a negative keyword in the noun phrase, the
near words, the tail or the next figure's noun rules the indicator out, and so does a missing
"needs" word (see :mod:`.vocabulary`). Keywords split by the number ("kiểm tra 215 lượt cột mốc")
are found in the near words joined with the noun. A daily quantity ("bình quân mỗi ngày 650 xe")
may fill an indicator counted per day. The best indicator is kept when its score reaches
``MIN_SCORE``; the confidence grows with the score and shrinks when a runner-up is close.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .catalogue import CatalogueEntry
from .units import units_compatible

MIN_SCORE = 2.0
W_NOUN, W_NEAR, W_TAIL, W_FAR = 3.0, 3.0, 1.5, 1.0


@dataclass(slots=True)
class MappingContext:
    """Folded, space-padded word strings around one figure."""

    unit: str | None
    noun: str
    near: str
    tail: str
    far: str
    #: the near words followed by the noun without its measure word: "kiểm tra 215 lượt cột mốc" gives
    #: "kiểm tra cột mốc", so a keyword that the number splits is still found (weight of near words)
    joined: str = " "
    #: the noun of the next figure in the same clause: "02 đối tượng vận chuyển 5 bánh heroin" (weight 1)
    following: str = " "
    #: the figure is a daily quantity ("bình quân mỗi ngày 650 xe"): it may fill a ".../ngày" indicator
    per_day: bool = False


def _keyword_weight(keyword: str) -> float:
    words = keyword.count(" ") - 1
    return 1.0 + 0.25 * max(0, words - 1)


def _unit_fits(entry: CatalogueEntry, unit: str | None, per_day: bool) -> bool:
    return (
        units_compatible(unit, entry.unit)
        or unit in entry.also_units
        or (per_day and entry.unit.endswith("/ngày") and units_compatible(unit, entry.unit[: -len("/ngày")]))
    )


def score_entry(entry: CatalogueEntry, ctx: MappingContext, close: str | None = None) -> float:
    """Score of one indicator for one figure (0 when the indicator is ruled out)."""
    if not _unit_fits(entry, ctx.unit, ctx.per_day):
        return 0.0
    if close is None:
        close = ctx.noun + ctx.near + ctx.tail + ctx.joined + ctx.following
    for negative in entry.negative:
        if negative in close:
            return 0.0
    for negative in entry.negative_before:
        if negative in ctx.near:
            return 0.0
    for negative in entry.negative_noun:
        if negative in ctx.noun:
            return 0.0
    if entry.needs and not any(need in close or need in ctx.far for need in entry.needs):
        return 0.0
    score = 0.0
    for keyword in entry.keywords:
        weight = 0.0
        if keyword in ctx.noun:
            weight = W_NOUN
        elif keyword in ctx.near:
            weight = W_NEAR
        elif keyword in ctx.tail:
            weight = W_TAIL
        elif keyword in ctx.joined:
            weight = W_NEAR
        elif keyword in ctx.far or keyword in ctx.following:
            weight = W_FAR
        if weight:
            score += weight * _keyword_weight(keyword)
    for before, after in entry.split:
        # "kiểm tra định kỳ 386 lượt mốc": one part before the number, the other in its noun
        if before in ctx.near and after in ctx.noun:
            score += W_NEAR * _keyword_weight(before + after.lstrip())
    if score and ctx.unit == entry.unit:
        score += 1.0
    return score


def _first_word(phrase: str) -> str:
    words = phrase.split()
    return words[0] if words else ""


class _Prepared:
    """One indicator's keywords grouped for :func:`score_entry` with the words around a figure known: a
    phrase whose first word is absent cannot occur, so it is not searched (same score, less work)."""

    __slots__ = (
        "entry",
        "keywords",
        "by_first",
        "firsts",
        "negative",
        "negative_firsts",
        "negative_before",
        "negative_noun",
        "needs",
        "split",
    )

    def __init__(self, entry: CatalogueEntry) -> None:
        self.entry = entry
        self.keywords = [(_first_word(k), k, _keyword_weight(k)) for k in entry.keywords]
        #: keywords grouped by their first word: only the groups whose word occurs are looked at (the
        #: weights are sums of quarters, exact in floating point, so the order of the sum is free)
        self.by_first: dict[str, list[tuple[str, float]]] = {}
        for first, keyword, weight in self.keywords:
            self.by_first.setdefault(first, []).append((keyword, weight))
        self.firsts = frozenset(self.by_first)
        self.negative = [(_first_word(k), k) for k in entry.negative]
        self.negative_firsts: dict[str, list[str]] = {}
        for first, negative in self.negative:
            self.negative_firsts.setdefault(first, []).append(negative)
        self.negative_before = [(_first_word(k), k) for k in entry.negative_before]
        self.negative_noun = entry.negative_noun
        self.needs = [(_first_word(k), k) for k in entry.needs]
        self.split = [(_first_word(b), b, a, _keyword_weight(b + a.lstrip())) for b, a in entry.split]

    def score(self, ctx: MappingContext, close: str, words: set[str]) -> float:
        """:func:`score_entry` for a figure whose unit fits, ``words`` being the words of close and far."""
        negative_firsts = self.negative_firsts
        for first in words.intersection(negative_firsts) if negative_firsts else ():
            for negative in negative_firsts[first]:
                if negative in close:
                    return 0.0
        for first, negative in self.negative_before:
            if first in words and negative in ctx.near:
                return 0.0
        for negative in self.negative_noun:
            if negative in ctx.noun:
                return 0.0
        if self.needs and not any(first in words and (need in close or need in ctx.far) for first, need in self.needs):
            return 0.0
        score = 0.0
        by_first = self.by_first
        noun, near, tail, joined, far, following = ctx.noun, ctx.near, ctx.tail, ctx.joined, ctx.far, ctx.following
        for first in words & self.firsts:
            for keyword, weight in by_first[first]:
                if keyword in noun:
                    score += W_NOUN * weight
                elif keyword in near:
                    score += W_NEAR * weight
                elif keyword in tail:
                    score += W_TAIL * weight
                elif keyword in joined:
                    score += W_NEAR * weight
                elif keyword in far or keyword in following:
                    score += W_FAR * weight
        for first, before, after, weight in self.split:
            if first in words and before in ctx.near and after in ctx.noun:
                score += W_NEAR * weight
        if score and ctx.unit == self.entry.unit:
            score += 1.0
        return score


class CatalogueIndex:
    """The indicators a figure can be scored against, found without scoring all of them.

    An indicator only scores when one of its keywords occurs around the figure, and only when its
    unit can describe the figure's: the index maps the first word of every keyword (and of the
    part before the number of a split keyword) to its indicators, and caches the indicators whose
    unit fits each figure unit. A figure is then scored against the handful of indicators both
    select, with the same result as scoring the whole catalogue.
    """

    def __init__(self, catalogue: Sequence[CatalogueEntry]) -> None:
        self.source = catalogue
        self.catalogue = tuple(catalogue)
        self.by_word: dict[str, set[int]] = {}
        for i, entry in enumerate(self.catalogue):
            for keyword in (*entry.keywords, *(before for before, _after in entry.split)):
                words = keyword.split()
                if words:
                    self.by_word.setdefault(words[0], set()).add(i)
        self._by_word_fitting: dict[frozenset[int], dict[str, set[int]]] = {}
        self._by_unit: dict[tuple[str | None, bool], frozenset[int]] = {}
        self.prepared = [_Prepared(entry) for entry in self.catalogue]

    def fitting(self, unit: str | None, per_day: bool) -> frozenset[int]:
        key = (unit, per_day)
        found = self._by_unit.get(key)
        if found is None:
            found = frozenset(i for i, e in enumerate(self.catalogue) if _unit_fits(e, unit, per_day))
            self._by_unit[key] = found
        return found

    def candidates(self, ctx: MappingContext, close: str) -> tuple[list[int], set[str]]:
        """(indexes of the indicators worth scoring, in catalogue order; the words around the figure)."""
        fitting = self.fitting(ctx.unit, ctx.per_day)
        if not fitting:
            return [], set()
        words = set((close + " " + ctx.far).split())
        by_word = self._by_word_fitting.get(fitting)
        if by_word is None:
            # the word index restricted to the indicators this unit fits (built once per unit)
            by_word = {word: hit & fitting for word, hit in self.by_word.items() if hit & fitting}
            self._by_word_fitting[fitting] = by_word
        selected: set[int] = set()
        for word in words:
            hit = by_word.get(word)
            if hit:
                selected |= hit
        return sorted(selected) if len(selected) > 1 else list(selected), words


_INDEXES: dict[int, CatalogueIndex] = {}


def catalogue_index(catalogue: Sequence[CatalogueEntry]) -> CatalogueIndex:
    """The index of a catalogue, built once per catalogue object (the last few are kept)."""
    index = _INDEXES.get(id(catalogue))
    if index is None or index.source is not catalogue:
        index = CatalogueIndex(catalogue)
        if len(_INDEXES) >= 8:
            _INDEXES.clear()
        _INDEXES[id(catalogue)] = index  # the index holds the catalogue, so its id is not reused
    return index


def map_figure(ctx: MappingContext, catalogue: Sequence[CatalogueEntry]) -> tuple[str | None, float]:
    """Best indicator code and a confidence in [0, 1]; ``(None, 0.0)`` when nothing fits."""
    best_code, best, second = None, 0.0, 0.0
    close = ctx.noun + ctx.near + ctx.tail + ctx.joined + ctx.following
    index = catalogue_index(catalogue)
    found, words = index.candidates(ctx, close)
    for i in found:
        entry = index.catalogue[i]
        score = index.prepared[i].score(ctx, close, words)
        if score > best:
            best_code, second, best = entry.code, best, score
        elif score > second:
            second = score
    if best_code is None or best < MIN_SCORE:
        return None, 0.0
    confidence = best / (best + 3.0)
    margin = (best - second) / best
    confidence *= 0.55 + 0.45 * margin
    return best_code, round(min(1.0, max(0.0, confidence)), 2)
