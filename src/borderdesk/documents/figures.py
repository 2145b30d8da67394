"""A figure as a drafted report writes it: the value, the comparisons with the same period and the plan,
kept live in the draft's text (⟪CODE~field|as written⟫) so an edited draft can re-read it. Used by the
drafting (documents.drafting) and by the figures the dashboards show (documents.sources.figures_for)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from borderdesk.core import vn

from .outline import MISSING


def _pct_phrase(pct, noun: str = "cùng kỳ", qualifier: str | None = None) -> str:
    """A growth phrase from a percentage alone: never "tăng -5%" nor "tăng 0%"."""
    d = vn.to_decimal(pct)
    if d is None:
        return ""
    rounded = abs(d).quantize(Decimal("0.1"))
    if rounded == 0:
        return f"tương đương {noun}"
    word = "tăng" if d > 0 else "giảm"
    q = vn.QUALIFIERS.get(qualifier or "", qualifier or "")
    return f"{word} {q + ' ' if q else ''}{vn.format_percent(rounded, 1)} so với {noun}"


def growth_phrase(value, base, noun: str = "cùng kỳ", *, approximate: bool = False) -> str:
    """Growth against a base, rounded as reports write it.

    Below 10% one decimal ("tăng 7,2%"); from 10% whole percents, with "gần"/"trên" when rounding moved
    the figure ("tăng gần 30%", "tăng 44%"); "gấp 2,5 lần" from double; nothing without a positive base.
    When either figure is approximate ("hơn 300 buổi"), a decimal would be false precision, so small
    changes are written in whole percents too ("tăng trên 7%").
    """
    cur, b = vn.to_decimal(value), vn.to_decimal(base)
    if cur is None or b is None or b <= 0:
        return ""
    pct = (cur / b - 1) * 100
    if cur >= 2 * b or (abs(pct) < 10 and not approximate):
        return vn.compare_phrase(cur, b, kind="same_period" if noun == "cùng kỳ" else "previous")
    whole = pct.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if whole == 0:
        return f"tương đương {noun}"
    word = "tăng" if pct > 0 else "giảm"
    diff = abs(pct) - abs(whole)
    q = "" if abs(diff) < Decimal("0.05") else ("gần " if diff < 0 else "trên ")
    return f"{word} {q}{vn.format_number(abs(whole))}% so với {noun}"


LIVE = re.compile(r"⟪([A-Z0-9_]+)~(\w+)\|([^⟫]*)⟫")


def live(code: str, field_name: str, text: str) -> str:
    """A figure kept live in the draft's text: ⟪CODE~field|as written⟫ (refreshable; printed as written)."""
    if not text:
        return MISSING if field_name in ("value", "full", "count", "previous") else ""
    if not code:
        return text
    return f"⟪{code}~{field_name}|{text}⟫"


def strip_live(text: str) -> str:
    """The text as printed: live figures replaced by what they say."""
    return LIVE.sub(lambda m: m.group(3), text)


class Figure(dict):
    """One indicator as the outline sees it: value, comparisons, full sentence part."""

    @classmethod
    def from_row(cls, row) -> Figure:
        ind = row.indicator
        value = row.value
        unit = getattr(ind, "unit", "") or ""
        qualifier = getattr(row, "qualifier", None) or None
        text = vn.format_figure(value, unit, qualifier) if (value is not None or qualifier) else ""
        has = bool(text)
        plan = ""
        if value is not None and getattr(row, "plan_value", None) is not None:
            plan = vn.compare_phrase(value, row.plan_value, kind="plan")
        elif getattr(row, "plan_pct", None) is not None and (vn.to_decimal(row.plan_pct) or 0) > 0:
            plan = f"đạt {vn.format_percent(row.plan_pct, 1)} kế hoạch"  # never "đạt -3% kế hoạch"
        compare = ""
        change_q = getattr(row, "change_qualifier", None)
        previous_value = getattr(row, "previous_value", None)
        if value is not None and previous_value is not None and not change_q and value == 0 < previous_value:
            # a real zero (the register is kept, nothing happened): "giảm 03 vụ", never "giảm 100%"
            compare = f"giảm {vn.format_figure(previous_value, unit)} so với cùng kỳ"
        elif value is not None and previous_value == 0 < value and not change_q and vn.is_count_unit(unit):
            # a count up from a real zero: no percentage exists, the difference does ("tăng 02 vụ")
            compare = f"tăng {vn.format_figure(value, unit)} so với cùng kỳ"
        elif value is not None and previous_value is not None and not change_q:
            approximate = bool(qualifier or getattr(row, "previous_qualifier", None))
            compare = growth_phrase(value, row.previous_value, approximate=approximate)
        elif getattr(row, "change_pct", None) is not None:
            compare = _pct_phrase(row.change_pct, qualifier=change_q)
        full = ", ".join(p for p in (text, plan, compare) if p)
        count = ""
        if value is not None and qualifier is None:
            try:
                count = vn.zero_pad_count(value)
            except ValueError:
                count = vn.format_number(value)
        code = getattr(ind, "code", "")
        previous = (
            vn.format_figure(row.previous_value, unit) if getattr(row, "previous_value", None) is not None else ""
        )
        return cls(
            value=live(code, "value", text),
            full=live(code, "full", full),
            compare=live(code, "compare", compare),
            plan=live(code, "plan", plan),
            has=has,
            name=getattr(ind, "name_vi", ""),
            unit=unit,
            count=live(code, "count", count),
            raw=value if value is not None else MISSING,
            previous=live(code, "previous", previous),
            missing_units=", ".join(getattr(row, "missing", None) or []),
            source=getattr(row, "source", ""),
        )

    @classmethod
    def missing(cls, code: str) -> Figure:
        return cls(
            value=MISSING,
            full=MISSING,
            compare="",
            plan="",
            has=False,
            name=code,
            unit="",
            count=MISSING,
            raw=MISSING,
            previous=MISSING,
            missing_units="",
            source="",
        )


class Figures(dict):
    """Indicator code → Figure; a code without data gives a missing Figure (its line is dropped)."""

    def __missing__(self, key):
        return Figure.missing(key)
