"""Comparisons: "tăng 12% so với cùng kỳ", "đạt 130% kế hoạch", "giảm 5 vụ" and the figure they qualify."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..scanning import last_words
from ..units import units_compatible

if TYPE_CHECKING:
    from collections.abc import Callable

    from .amounts import RawFigure

COMPARE_VERBS = (
    "tăng gấp",
    "gấp",
    "tăng thêm",
    "tăng lên",
    "tăng",
    "giảm bớt",
    "giảm xuống",
    "giảm đi",
    "giảm",
    "vượt",
    "đạt",
    "bằng",
    "chỉ bằng",
    "tương đương",
    "chiếm",
    "tương ứng",
)
COMPARE_VERB_RE = re.compile(r"(?<![\w])(" + "|".join(COMPARE_VERBS) + r")\s*$")
#: a text can only end with a comparison verb when its last word ends one (a set look-up, no search)
COMPARE_VERB_LAST_WORDS = last_words(COMPARE_VERBS)
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


def comparison_for(
    raw: RawFigure, low: str, near_start: int, has_base: bool, same_unit_base: bool = False
) -> dict | None:
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
    lead = low[near_start : raw.start]
    if verb.startswith("tăng") or verb.startswith("giảm") or verb in ("vượt", "gấp"):
        if not (is_percent or is_times or after_ref or before_ref or has_base):
            return None
        if not (is_percent or is_times) and not (after_ref or before_ref or same_unit_base):
            return None  # "tăng 18 tổ" is a change only after a figure in "tổ" or with "so với ..."
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


_COORDINATED_CHANGE_RE = re.compile(r"\s*(?:,|/|và|,\s*và)\s*")
_BASE_REACH = 160


def _base_for(raws: list[RawFigure], kept: list[int], raw: RawFigure, s_start: int) -> tuple[int | None, int | None]:
    """(nearest figure before ``raw`` in its sentence, nearest one of the same noun) among kept figures.

    Changes are never bases. The nearest figure must be close (160 characters); the one of the
    same noun may be anywhere earlier in the sentence: "17 vụ ... với 23 đối tượng, giảm 5 vụ".
    """
    nearest = same = compatible = None
    for k in reversed(kept):
        other = raws[k]
        if other.start < s_start:
            break
        if other.change is not None or other.end > raw.start:
            continue
        if nearest is None and raw.start - other.end <= _BASE_REACH:
            nearest = k
        if other.unit == raw.unit:
            same = k
            break
        if compatible is None and units_compatible(raw.unit, other.unit):
            compatible = k
    return nearest, same if same is not None else compatible


def bind_comparisons(
    raws: list[RawFigure], text: str, low: str, near_starts: list[int], sentence_start: Callable[[int], int]
) -> list[int]:
    """Attach every comparison to the figure it qualifies; the indexes of the raws that stay figures.

    A percent or ratio ("giảm 12,5%", "gấp 3 lần") qualifies the nearest figure before it and is no
    figure of its own. An absolute change ("tăng 148 doanh nghiệp", "giảm 5 vụ") is attached to the
    figure of the same noun before it in the sentence (else one whose unit it can describe) and stays
    a figure of its own, marked as a change of that figure; coordinated changes ("tăng 8 vụ và 11 đối
    tượng") each find their own figure.
    """
    kept: list[int] = []
    for index, raw in enumerate(raws):
        s_start = sentence_start(raw.start)
        nearest, same_noun = _base_for(raws, kept, raw, s_start)
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
                raw.change = {"direction": target.get("direction"), "base": previous.change_base}
                kept.append(index)
                continue
        comparison = None
        if not raw.vague:
            comparison = comparison_for(raw, low, near_starts[index], nearest is not None, same_noun is not None)
            if (
                comparison is None
                and previous is not None
                and previous.change is not None
                and raw.unit != "%"
                and _COORDINATED_CHANGE_RE.fullmatch(low, previous.end, raw.qstart)
            ):
                # "tăng 8 vụ và 11 đối tượng so với năm 2024": the verb governs both
                comparison = dict(previous.comparison_ref or previous.comparison or {})
                comparison.update(
                    amount=str(raw.value) if raw.value is not None else None,
                    unit=raw.unit,
                    start=raw.qstart,
                    end=raw.end,
                )
                ref = _REF_AFTER_RE.match(low, raw.end)
                if ref is not None:
                    comparison["end"] = ref.end()
                    if not comparison.get("reference"):
                        comparison["reference"] = " ".join(ref.group("ref").split())
        if raw.times_only and (comparison is None or nearest is None):
            continue  # "gấp đôi" with nothing to compare: not a figure
        if comparison is None:
            kept.append(index)
            continue
        comparison["quote"] = text[comparison["start"] : comparison["end"]]
        if "amount" in comparison and "times" not in comparison and "percent" not in comparison:
            # an absolute change: a figure of its own, tied to the figure of the same noun
            base = same_noun
            raw.change = {"direction": comparison.get("direction"), "base": base}
            raw.change_base = base
            raw.comparison_ref = comparison
            raw.is_comparison = True
            if raw.verb_start >= 0 and raw.verb_start < raw.qstart and comparison["start"] <= raw.qstart:
                raw.qstart = raw.verb_start  # the quote reads "tăng 148 doanh nghiệp"
            if base is not None:
                raws[base].attached.append(comparison)
            else:
                raw.comparison = comparison
            kept.append(index)
            continue
        if nearest is not None:
            raws[nearest].attached.append(comparison)
            raw.is_comparison = True
            raw.comparison_ref = comparison
            raw.change_base = nearest
            continue
        raw.comparison = comparison
        kept.append(index)
    return kept
