"""Comparisons: "tăng 12% so với cùng kỳ", "đạt 130% kế hoạch", "giảm 5 vụ" and the figure they qualify."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .amounts import RawFigure

COMPARE_VERB_RE = re.compile(
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

def comparison_for(raw: RawFigure, low: str, near_start: int, has_base: bool) -> dict | None:
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

