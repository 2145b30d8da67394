"""Reporting periods as values computed from a rule (never database rows).

A *period* is identified by a stable string key and a *rule* that turns the key into a date window:

``decree09``
    Data cut-off windows of Decree 09/2019/NĐ-CP, Art. 12: a month runs from the 15th of the previous
    month to the 14th of the month; quarters, half-years, nine months and the year start on
    15/12 of the previous year (or the 15th of the month before the quarter) and end on a 14th.
``calendar``
    The same kinds on calendar boundaries (Q1 = 1/1–31/3, year = 1/1–31/12, ...).
``custom``
    Ad-hoc cut-offs ("tính đến ngày 30/11/2025"): from the start of the year window of a *base rule*
    (``calendar`` → 1/1, ``decree09`` → 15/12 of the previous year) up to the cut-off date.

Keys::

    2025        year                        2025H1   first half-year ("6 tháng đầu năm")
    2025H2      second half-year            2025N9   first nine months ("9 tháng")
    2025Q3      quarter 3                   2025M03  month 3 (always two digits)
    C20251130   cut-off 30/11/2025, counted from the calendar year start (1/1/2025)
    C20251130D  cut-off 30/11/2025, counted from the Decree 09 year start (15/12/2024)

The key alone fixes the window of a cut-off period; for the other kinds the rule is held by the
report form (:class:`PeriodSpec`). Round trip: ``parse_period(p.key, p.rule) == p`` for every period.

Pure Python (stdlib only) so templates, exports, documents and tests can use it without Django.
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .vn import format_date

__all__ = [
    "BASE_RULES",
    "CUTOFF",
    "H1",
    "H2",
    "KINDS",
    "MONTH",
    "N9",
    "PERIODIC_KINDS",
    "QUARTER",
    "RULES",
    "YEAR",
    "Period",
    "PeriodSpec",
    "cutoff_period",
    "parse_period",
    "period_containing",
    "period_for",
    "periods_in_year",
    "roman",
]

# Rules ---------------------------------------------------------------------------------------------
DECREE09 = "decree09"
CALENDAR = "calendar"
CUSTOM = "custom"
RULES = (DECREE09, CALENDAR, CUSTOM)
BASE_RULES = (DECREE09, CALENDAR)  # rules that define fixed windows (and the start of a cut-off)

# Kinds ---------------------------------------------------------------------------------------------
YEAR = "year"
H1 = "H1"
H2 = "H2"
N9 = "N9"
QUARTER = "quarter"
MONTH = "month"
CUTOFF = "cutoff"
PERIODIC_KINDS = (YEAR, H1, H2, N9, QUARTER, MONTH)
KINDS = (*PERIODIC_KINDS, CUTOFF)

_KIND_ALIASES = {
    "y": YEAR, "year": YEAR, "nam": YEAR,
    "h1": H1, "h2": H2, "n9": N9,
    "q": QUARTER, "quarter": QUARTER,
    "m": MONTH, "month": MONTH,
    "c": CUTOFF, "cutoff": CUTOFF, "custom": CUTOFF,
}  # fmt: skip

# Number of periods of each kind in a year, and the first/last month (1..12) of period ``index``.
_COUNT = {YEAR: 1, H1: 1, H2: 1, N9: 1, QUARTER: 4, MONTH: 12}

_MIN_YEAR = 2  # the Decree 09 window of year 1 would start in year 0
_MAX_YEAR = 9998

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_KEY_RE = re.compile(r"^(?P<year>\d{4})(?:(?P<half>H[12])|(?P<n9>N9)|Q(?P<quarter>\d)|M(?P<month>\d{2}))?$")
_CUTOFF_KEY_RE = re.compile(r"^C(?P<date>\d{8})(?P<decree>D?)$")


def roman(n: int) -> str:
    """Roman numeral of a quarter number, as in "quý III/2025" (1 → "I" … 4 → "IV")."""
    try:
        return _ROMAN[n]
    except KeyError:
        raise ValueError(f"Quarter must be 1..4, got {n!r}") from None


def _fmt_date(d: date) -> str:
    return format_date(d)


def _normalize_kind(kind: str) -> str:
    try:
        return _KIND_ALIASES[str(kind).strip().lower()]
    except KeyError:
        raise ValueError(f"Unknown period kind {kind!r}; expected one of {', '.join(KINDS)}") from None


def _check_rule(rule: str, allowed: tuple[str, ...] = RULES) -> str:
    if rule not in allowed:
        raise ValueError(f"Unknown period rule {rule!r}; expected one of {', '.join(allowed)}")
    return rule


class PeriodError(ValueError):
    """A period key or year a user typed is wrong: the message is for people (translated, Vietnamese first)."""


#: the kinds of period, as a sentence names them
KIND_LABELS = {
    YEAR: gettext_lazy("năm"),
    H1: gettext_lazy("6 tháng đầu năm"),
    H2: gettext_lazy("6 tháng cuối năm"),
    N9: gettext_lazy("9 tháng"),
    QUARTER: gettext_lazy("quý"),
    MONTH: gettext_lazy("tháng"),
    CUTOFF: gettext_lazy("kỳ chốt số liệu"),
}


def _check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValueError(f"Year must be an integer, got {year!r}")
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise PeriodError(
            _("Năm %(year)s nằm ngoài khoảng cho phép (%(min)s–%(max)s).")
            % {"year": year, "min": _MIN_YEAR, "max": _MAX_YEAR}
        )
    return year


def _safe_replace_year(d: date, year: int) -> date:
    """``d`` moved to ``year``; 29/2 becomes 28/2 in a common year."""
    if d.month == 2 and d.day == 29 and not _calendar.isleap(year):
        return date(year, 2, 28)
    return d.replace(year=year)


def _month_last_day(year: int, month: int) -> date:
    return date(year, month, _calendar.monthrange(year, month)[1])


def _month_span(kind: str, index: int | None) -> tuple[int, int]:
    """First and last month (1..12) covered by a periodic kind/index."""
    if kind == YEAR:
        return 1, 12
    if kind == H1:
        return 1, 6
    if kind == H2:
        return 7, 12
    if kind == N9:
        return 1, 9
    if kind == QUARTER:
        assert index is not None
        return 3 * index - 2, 3 * index
    assert kind == MONTH and index is not None
    return index, index


def _window(kind: str, year: int, index: int | None, rule: str) -> tuple[date, date]:
    first, last = _month_span(kind, index)
    if rule == CALENDAR:
        return date(year, first, 1), _month_last_day(year, last)
    # Decree 09: from the 15th of the month before the first month to the 14th of the last month.
    start = date(year - 1, 12, 15) if first == 1 else date(year, first - 1, 15)
    return start, date(year, last, 14)


def _year_start(year: int, rule: str) -> date:
    return date(year, 1, 1) if rule == CALENDAR else date(year - 1, 12, 15)


# The period value ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """A reporting period: a kind, a rule and the inclusive window ``start``..``end``.

    Build periods with :func:`period_for`, :func:`parse_period`, :func:`cutoff_period`,
    :func:`periods_in_year` or :func:`period_containing`, not with the constructor.

    ``index`` is the quarter (1–4) or month (1–12) number, ``None`` for the other kinds. For a
    cut-off period ``rule`` is ``"custom"`` and ``base_rule`` says where its window starts.
    """

    key: str
    kind: str
    rule: str
    year: int
    index: int | None
    start: date
    end: date
    base_rule: str | None = None

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"Period {self.key}: start {self.start} is after end {self.end}")

    # Labels --------------------------------------------------------------------------------------
    @property
    def label_vi(self) -> str:
        """Vietnamese label: "tháng 3/2025", "quý III/2025", "6 tháng đầu năm 2025", ..."""
        if self.kind == MONTH:
            return f"tháng {self.index}/{self.year}"
        if self.kind == QUARTER:
            return f"quý {roman(self.index or 0)}/{self.year}"
        if self.kind == H1:
            return f"6 tháng đầu năm {self.year}"
        if self.kind == H2:
            return f"6 tháng cuối năm {self.year}"
        if self.kind == N9:
            return f"9 tháng năm {self.year}"
        if self.kind == YEAR:
            return f"năm {self.year}"
        return f"tính đến ngày {_fmt_date(self.end)}"

    @property
    def label_en(self) -> str:
        """English label: "March 2025", "Q3 2025", "first half of 2025", ..."""
        if self.kind == MONTH:
            return f"{_MONTHS_EN[(self.index or 1) - 1]} {self.year}"
        if self.kind == QUARTER:
            return f"Q{self.index} {self.year}"
        if self.kind == H1:
            return f"first half of {self.year}"
        if self.kind == H2:
            return f"second half of {self.year}"
        if self.kind == N9:
            return f"first nine months of {self.year}"
        if self.kind == YEAR:
            return f"year {self.year}"
        return f"up to {self.end.day} {_MONTHS_EN[self.end.month - 1]} {self.end.year}"

    def label(self, lang: str = "vi") -> str:
        """The label in ``lang`` ("vi" or "en")."""
        if lang == "vi":
            return self.label_vi
        if lang == "en":
            return self.label_en
        raise ValueError(f"Unsupported language {lang!r}; expected 'vi' or 'en'")

    def window_label(self, lang: str = "vi") -> str:
        """The data window as text: "từ ngày 15/12/2024 đến ngày 14/06/2025" / "15/12/2024 – 14/06/2025"."""
        if lang == "vi":
            return f"từ ngày {_fmt_date(self.start)} đến ngày {_fmt_date(self.end)}"
        if lang == "en":
            return f"{_fmt_date(self.start)} – {_fmt_date(self.end)}"
        raise ValueError(f"Unsupported language {lang!r}; expected 'vi' or 'en'")

    def __str__(self) -> str:
        return self.label_vi

    # Arithmetic ----------------------------------------------------------------------------------
    @property
    def days(self) -> int:
        """Number of days in the window, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def window_rule(self) -> str:
        """The rule that fixes the window start: ``rule``, or ``base_rule`` for a cut-off."""
        return self.base_rule if self.kind == CUTOFF and self.base_rule else self.rule

    def contains(self, d: date) -> bool:
        """True if ``d`` (a date, or a datetime's date) falls inside the window."""
        if hasattr(d, "date") and callable(d.date):  # datetime → its date
            d = d.date()
        return self.start <= d <= self.end

    def overlaps(self, other: Period) -> bool:
        """True if the two windows share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def previous(self) -> Period:
        """The preceding period of the same kind and rule.

        Month → previous month (January → December of the previous year), quarter → previous quarter,
        year → previous year. H1, H2 and N9 occur once a year, so their predecessor is the same
        period of the previous year; so is a cut-off's (the cut-off one year earlier).
        """
        if self.kind == MONTH:
            assert self.index is not None
            if self.index == 1:
                return period_for(MONTH, self.year - 1, 12, self.rule)
            return period_for(MONTH, self.year, self.index - 1, self.rule)
        if self.kind == QUARTER:
            assert self.index is not None
            if self.index == 1:
                return period_for(QUARTER, self.year - 1, 4, self.rule)
            return period_for(QUARTER, self.year, self.index - 1, self.rule)
        return self.same_period_last_year()

    def next(self) -> Period:
        """The following period of the same kind and rule (inverse of :meth:`previous`)."""
        if self.kind in (MONTH, QUARTER):
            assert self.index is not None
            if self.index == _COUNT[self.kind]:
                return period_for(self.kind, self.year + 1, 1, self.rule)
            return period_for(self.kind, self.year, self.index + 1, self.rule)
        return self.shift_years(1)

    def same_period_last_year(self) -> Period:
        """The same period one year earlier ("cùng kỳ"); a cut-off on 29/2 moves to 28/2."""
        return self.shift_years(-1)

    def shift_years(self, years: int) -> Period:
        """The same period ``years`` years later (negative: earlier)."""
        if self.kind == CUTOFF:
            target = self.end.year + years
            _check_year(target)
            return cutoff_period(_safe_replace_year(self.end, target), base_rule=self.base_rule or CALENDAR)
        return period_for(self.kind, self.year + years, self.index, self.rule)

    def months(self) -> list[Period]:
        """The months (same rule) that tile a periodic window; not defined for cut-offs."""
        if self.kind == CUTOFF:
            raise ValueError("A cut-off period is not made of whole months")
        first, last = _month_span(self.kind, self.index)
        return [period_for(MONTH, self.year, m, self.rule) for m in range(first, last + 1)]

    def sort_key(self) -> tuple[date, date]:
        """Chronological sort key (start, end)."""
        return (self.start, self.end)

    def __lt__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.start, self.end, self.key) < (other.start, other.end, other.key)


# Constructors --------------------------------------------------------------------------------------
def period_for(kind: str, year: int, index: int | None = None, rule: str = DECREE09) -> Period:
    """The period of ``kind`` in ``year`` under ``rule`` ("decree09" or "calendar").

    ``index`` is the quarter (1–4) or month (1–12) and must be omitted for year/H1/H2/N9.
    Cut-off periods are built with :func:`cutoff_period`.
    """
    kind = _normalize_kind(kind)
    if kind == CUTOFF:
        raise ValueError("A cut-off period needs a date: use cutoff_period(date, base_rule=...)")
    _check_rule(rule, BASE_RULES)
    _check_year(year)
    if kind in (QUARTER, MONTH):
        count = _COUNT[kind]
        if isinstance(index, bool) or not isinstance(index, int) or not 1 <= index <= count:
            what = "Quarter" if kind == QUARTER else "Month"
            raise ValueError(f"{what} must be 1..{count}, got {index!r}")
    elif index is not None:
        raise ValueError(f"A {kind} period takes no index, got {index!r}")
    start, end = _window(kind, year, index, rule)
    if kind == YEAR:
        key = f"{year:04d}"
    elif kind == QUARTER:
        key = f"{year:04d}Q{index}"
    elif kind == MONTH:
        key = f"{year:04d}M{index:02d}"
    else:
        key = f"{year:04d}{kind}"
    return Period(key=key, kind=kind, rule=rule, year=year, index=index, start=start, end=end)


def cutoff_period(cutoff: date, base_rule: str = CALENDAR) -> Period:
    """An ad-hoc cut-off period "tính đến ngày <cutoff>".

    The window starts at the start of the year window (under ``base_rule``) that contains the
    cut-off: 1/1 of its year for "calendar"; 15/12 of the previous year for "decree09" (15/12 of the
    same year when the cut-off is on or after 15/12). ``year`` is the year of that year window.
    """
    _check_rule(base_rule, BASE_RULES)
    if hasattr(cutoff, "date") and callable(cutoff.date):  # a datetime
        cutoff = cutoff.date()
    if not isinstance(cutoff, date):
        raise ValueError(f"Cut-off must be a date, got {cutoff!r}")
    year = cutoff.year
    if base_rule == DECREE09 and (cutoff.month, cutoff.day) >= (12, 15):
        year += 1
    _check_year(year)
    suffix = "D" if base_rule == DECREE09 else ""
    return Period(
        key=f"C{cutoff:%Y%m%d}{suffix}",
        kind=CUTOFF,
        rule=CUSTOM,
        year=year,
        index=None,
        start=_year_start(year, base_rule),
        end=cutoff,
        base_rule=base_rule,
    )


def parse_period(key: str, rule: str = DECREE09) -> Period:
    """The period named by ``key`` under ``rule``; ``ValueError`` with a clear message if invalid.

    "2025", "2025H1", "2025H2", "2025N9", "2025Q1".."2025Q4", "2025M01".."2025M12" take their window
    from ``rule`` ("decree09" or "calendar"). Cut-off keys ("C20251130", "C20251130D") carry their own
    base rule, so ``rule`` may then be anything in RULES.
    """
    _check_rule(rule)
    if not isinstance(key, str):
        raise ValueError(f"Period key must be a string, got {key!r}")
    text = key.strip().upper()
    m = _CUTOFF_KEY_RE.match(text)
    if m:
        raw = m["date"]
        try:
            cutoff = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        except ValueError:
            raise PeriodError(
                _("Mã kỳ “%(key)s” không hợp lệ: %(raw)s không phải là ngày (YYYYMMDD).") % {"key": key, "raw": raw}
            ) from None
        return cutoff_period(cutoff, base_rule=DECREE09 if m["decree"] else CALENDAR)
    m = _KEY_RE.match(text)
    if not m:
        raise PeriodError(
            _(
                "Mã kỳ “%(key)s” không hợp lệ; mã đúng có dạng 2025, 2025H1, 2025H2, 2025N9, 2025Q3, "
                "2025M03 hoặc C20251130."
            )
            % {"key": key}
        )
    if rule == CUSTOM:
        raise ValueError(f"Period key {key!r} needs the rule 'decree09' or 'calendar', not 'custom'")
    year = int(m["year"])
    if m["half"]:
        return period_for(m["half"], year, rule=rule)
    if m["n9"]:
        return period_for(N9, year, rule=rule)
    if m["quarter"]:
        q = int(m["quarter"])
        if not 1 <= q <= 4:
            raise PeriodError(_("Mã kỳ “%(key)s” không hợp lệ: quý phải từ 1 đến 4.") % {"key": key})
        return period_for(QUARTER, year, q, rule)
    if m["month"]:
        month = int(m["month"])
        if not 1 <= month <= 12:
            raise PeriodError(_("Mã kỳ “%(key)s” không hợp lệ: tháng phải từ 01 đến 12.") % {"key": key})
        return period_for(MONTH, year, month, rule)
    return period_for(YEAR, year, rule=rule)


def periods_in_year(year: int, kind: str, rule: str = DECREE09) -> list[Period]:
    """All periods of ``kind`` in ``year`` in chronological order (12 months, 4 quarters, ...)."""
    kind = _normalize_kind(kind)
    if kind == CUTOFF:
        raise ValueError("Cut-off periods are ad hoc; there is no fixed list per year")
    if kind in (QUARTER, MONTH):
        return [period_for(kind, year, i, rule) for i in range(1, _COUNT[kind] + 1)]
    return [period_for(kind, year, rule=rule)]


def period_containing(d: date, kind: str, rule: str = DECREE09) -> Period:
    """The period of ``kind`` under ``rule`` whose window contains ``d``.

    Every date lies in exactly one month, quarter and year. H1, H2 and N9 cover only part of a year:
    a date outside them raises ``ValueError``.
    """
    kind = _normalize_kind(kind)
    if kind == CUTOFF:
        raise ValueError("Use cutoff_period(date) for a cut-off period")
    _check_rule(rule, BASE_RULES)
    if hasattr(d, "date") and callable(d.date):
        d = d.date()
    year, month = d.year, d.month
    if rule == DECREE09 and d.day >= 15:  # the 15th onwards belongs to the next month's window
        month += 1
        if month == 13:
            year, month = year + 1, 1
    if kind == MONTH:
        return period_for(MONTH, year, month, rule)
    if kind == QUARTER:
        return period_for(QUARTER, year, (month - 1) // 3 + 1, rule)
    if kind == YEAR:
        return period_for(YEAR, year, rule=rule)
    first, last = _month_span(kind, None)
    if not first <= month <= last:
        raise ValueError(f"{_fmt_date(d)} is not inside any {kind} period under the {rule} rule")
    return period_for(kind, year, rule=rule)


# The rule a report form holds ----------------------------------------------------------------------
@dataclass(frozen=True)
class PeriodSpec:
    """How a report form's periods are computed; lives in a JSON field via to_dict()/from_dict().

    ``PeriodSpec(kind="H1", rule="decree09")``: a "6 tháng đầu năm" report on Decree 09 windows.
    ``PeriodSpec(kind="cutoff", rule="custom", base_rule="calendar", cutoff_month=11, cutoff_day=30)``:
    a yearly report "tính đến ngày 30/11" (without cutoff_month/day the cut-off is chosen per report).
    """

    kind: str
    rule: str = DECREE09
    base_rule: str | None = None
    cutoff_month: int | None = None
    cutoff_day: int | None = None

    def __post_init__(self) -> None:
        kind = _normalize_kind(self.kind)
        object.__setattr__(self, "kind", kind)
        _check_rule(self.rule)
        if kind == CUTOFF:
            if self.rule != CUSTOM:
                raise ValueError("A cut-off period spec must use rule 'custom'")
            object.__setattr__(self, "base_rule", self.base_rule or CALENDAR)
            _check_rule(self.base_rule or "", BASE_RULES)
            if (self.cutoff_month is None) != (self.cutoff_day is None):
                raise ValueError("Give both cutoff_month and cutoff_day, or neither")
            if self.cutoff_month is not None:
                # 2000 is a leap year, so 29/2 is accepted (it becomes 28/2 in common years).
                try:
                    date(2000, self.cutoff_month, self.cutoff_day or 0)
                except (TypeError, ValueError):
                    raise ValueError(f"Invalid cut-off day/month {self.cutoff_day!r}/{self.cutoff_month!r}") from None
        else:
            if self.rule == CUSTOM:
                raise ValueError(f"A {kind} period spec needs the rule 'decree09' or 'calendar'")
            if self.base_rule is not None or self.cutoff_month is not None or self.cutoff_day is not None:
                raise ValueError("base_rule and cutoff_month/cutoff_day apply only to kind 'cutoff'")

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form; only the fields that apply."""
        data: dict[str, Any] = {"kind": self.kind, "rule": self.rule}
        if self.kind == CUTOFF:
            data["base_rule"] = self.base_rule
            if self.cutoff_month is not None:
                data["cutoff_month"] = self.cutoff_month
                data["cutoff_day"] = self.cutoff_day
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PeriodSpec:
        """Inverse of :meth:`to_dict`; ``ValueError`` on unknown keys or invalid values."""
        if not isinstance(data, dict) or "kind" not in data:
            raise ValueError(f"A period spec must be a dict with a 'kind', got {data!r}")
        unknown = set(data) - {"kind", "rule", "base_rule", "cutoff_month", "cutoff_day"}
        if unknown:
            raise ValueError(f"Unknown period spec field(s): {', '.join(sorted(unknown))}")
        return cls(**data)

    def period(self, year: int, index: int | None = None) -> Period:
        """The period of this spec in ``year`` (``index`` = quarter/month number where relevant)."""
        if self.kind == CUTOFF:
            if self.cutoff_month is None:
                raise ValueError("This spec has no fixed cut-off day; use cutoff(date)")
            cut = _safe_replace_year(date(2000, self.cutoff_month, self.cutoff_day or 1), year)
            return self.cutoff(cut)
        return period_for(self.kind, year, index, self.rule)

    def cutoff(self, cutoff: date) -> Period:
        """A cut-off period of this (cut-off) spec ending on ``cutoff``."""
        if self.kind != CUTOFF:
            raise ValueError(f"A {self.kind} spec has no cut-off periods")
        return cutoff_period(cutoff, base_rule=self.base_rule or CALENDAR)

    def parse(self, key: str) -> Period:
        """The period named ``key``, checked to be of this spec's kind and rule."""
        p = parse_period(key, self.rule)
        if p.kind != self.kind or (self.kind == CUTOFF and p.base_rule != self.base_rule):
            raise PeriodError(
                _("Kỳ “%(key)s” không đúng loại kỳ của biểu mẫu này (%(kind)s).")
                % {"key": key, "kind": KIND_LABELS.get(self.kind, self.kind)}
            )
        return p

    def periods_in_year(self, year: int) -> list[Period]:
        """All periods of this spec in ``year``."""
        if self.kind == CUTOFF:
            return [self.period(year)]
        return periods_in_year(year, self.kind, self.rule)

    def period_containing(self, d: date) -> Period:
        """The period of this spec containing ``d`` (for cut-off specs: the cut-off ``d`` itself)."""
        if self.kind == CUTOFF:
            return self.cutoff(d)
        return period_containing(d, self.kind, self.rule)
