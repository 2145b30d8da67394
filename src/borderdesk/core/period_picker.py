"""The period picker every page that takes a period uses: a period in words, read from a query string.

One reading for every page, so a period key means the same dates everywhere (gate statistics,
consolidation, the report list...):

* ``ky`` — a period key ("2025", "2025Q3", "2025M03", "C20251130D"), as links and the API write it;
* or the picker's fields, which win over ``ky`` when ``loai_ky`` is given: ``loai_ky`` (month, quarter,
  H1, H2, N9, year, cutoff), ``nam_ky`` (year), ``thang`` (1–12), ``quy`` (1–4), ``ngay`` (cut-off date
  typed dd/mm/yyyy);
* ``quy_tac`` — the calendar rule: ``decree09`` (Decree 09/2019/NĐ-CP windows, the default on every page)
  or ``calendar``. A cut-off ("tính đến ngày") counts from the start of the year window of that rule.

Plain selects and a text date: works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .periods import (
    CALENDAR,
    CUTOFF,
    DECREE09,
    H1,
    H2,
    MONTH,
    N9,
    QUARTER,
    YEAR,
    Period,
    cutoff_period,
    parse_period,
    period_for,
    roman,
)
from .vn import format_date, parse_date

DEFAULT_RULE = DECREE09
KEY, RULE, KIND, YEAR_FIELD, MONTH_FIELD, QUARTER_FIELD, DATE_FIELD = (
    "ky", "quy_tac", "loai_ky", "nam_ky", "thang", "quy", "ngay")  # fmt: skip
PICKER_FIELDS = (KEY, RULE, KIND, YEAR_FIELD, MONTH_FIELD, QUARTER_FIELD, DATE_FIELD)

KIND_CHOICES = (
    (MONTH, gettext_lazy("Tháng")),
    (QUARTER, gettext_lazy("Quý")),
    (H1, gettext_lazy("6 tháng đầu năm")),
    (H2, gettext_lazy("6 tháng cuối năm")),
    (N9, gettext_lazy("9 tháng")),
    (YEAR, gettext_lazy("Năm")),
    (CUTOFF, gettext_lazy("Tính đến ngày")),
)
RULE_CHOICES = (
    (DECREE09, gettext_lazy("Theo Nghị định 09 (từ ngày 15 tháng trước đến ngày 14)")),
    (CALENDAR, gettext_lazy("Theo lịch (từ ngày 1 đến cuối tháng)")),
)


def _parse_date(value: str) -> dt.date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None


def _int(value, low: int, high: int) -> int | None:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return n if low <= n <= high else None


@dataclass
class PeriodChoice:
    """The period a page shows, the picker's field values and what was wrong with the input (if anything)."""

    period: Period
    rule: str
    error: str = ""
    years: list[int] = field(default_factory=lambda: list(range(dt.date.today().year + 1, 2014, -1)))
    chosen: bool = True  # False: an optional picker left on "all periods"

    # Field values for the picker template -------------------------------------------------------------
    @property
    def kind(self) -> str:
        return self.period.kind if self.chosen else ""

    @property
    def year(self) -> int:
        return self.period.end.year if self.period.kind == CUTOFF else self.period.year

    @property
    def month(self) -> int:
        if self.period.kind == MONTH:
            return self.period.index or 1
        return self.period.end.month if self.kind == CUTOFF else 1

    @property
    def quarter(self) -> int:
        return self.period.index or 1 if self.period.kind == QUARTER else 1

    @property
    def cutoff_text(self) -> str:
        return format_date(self.period.end) if self.period.kind == CUTOFF else ""

    @property
    def kinds(self):
        return KIND_CHOICES

    @property
    def rules(self):
        return RULE_CHOICES

    @property
    def months(self) -> list[int]:
        return list(range(1, 13))

    @property
    def quarters(self) -> list[tuple[int, str]]:
        return [(q, roman(q)) for q in range(1, 5)]

    @property
    def query(self) -> str:
        """``ky=...&quy_tac=...`` for links that keep the period (the key alone fixes a cut-off)."""
        return f"{KEY}={self.period.key}&{RULE}={self.rule}"

    @property
    def rule_note(self) -> str:
        if self.rule == CALENDAR:
            return _("Quy tắc tính: theo lịch.")
        return _("Quy tắc tính: theo Nghị định 09/2019/NĐ-CP (kỳ số liệu tính từ ngày 15 tháng trước đến ngày 14).")


def _with_rule(period: Period, rule: str) -> Period:
    if period.kind == CUTOFF:
        return cutoff_period(period.end, base_rule=rule)
    return period_for(period.kind, period.year, period.index, rule)


def read_period(
    params, *, default: Period | None = None, default_rule: str = DEFAULT_RULE, optional: bool = False
) -> PeriodChoice:
    """The period chosen in ``params`` (a QueryDict or dict); the default and an error message when the
    input is not a period. ``default`` (any rule) is moved to the chosen rule. ``optional``: nothing chosen
    (no ``loai_ky``, no ``ky``) gives ``chosen=False`` — a list filter left on "all periods"."""
    rule = params.get(RULE) or default_rule
    error = ""
    if rule not in (DECREE09, CALENDAR):
        error, rule = _("Quy tắc tính kỳ không hợp lệ: %(v)s.") % {"v": rule}, default_rule
    if default is None:
        default = period_for(YEAR, dt.date.today().year - 1, rule=rule)
    fallback = _with_rule(default, rule)
    period = None
    kind = (params.get(KIND) or "").strip()
    if kind:
        period, problem = _from_fields(params, kind, rule)
        error = error or problem
    elif (params.get(KEY) or "").strip():
        key = params.get(KEY).strip().upper().replace("-", "")
        try:
            period = parse_period(key, rule)
        except (ValueError, TypeError):
            error = error or _("Kỳ không hợp lệ: %(v)s (ví dụ đúng: 2025, 2025Q3, 2025M03, C20251130).") % {
                "v": params.get(KEY)[:40]
            }
    if period is not None and period.kind == CUTOFF:
        rule = period.base_rule or rule
    chosen = not (optional and period is None)
    return PeriodChoice(period=period or fallback, rule=rule, error=error, chosen=chosen)


def _from_fields(params, kind: str, rule: str) -> tuple[Period | None, str]:
    kinds = {k for k, _label in KIND_CHOICES}
    if kind not in kinds:
        return None, _("Loại kỳ không hợp lệ: %(v)s.") % {"v": kind[:20]}
    if kind == CUTOFF:
        day = _parse_date(params.get(DATE_FIELD, ""))
        if day is None:
            return None, _(
                "Ngày chốt số liệu không hợp lệ: “%(v)s” (nhập theo dạng ngày/tháng/năm, vd. 30/11/2025)."
            ) % {"v": (params.get(DATE_FIELD) or "")[:20]}
        try:
            return cutoff_period(day, base_rule=rule), ""
        except ValueError:
            return None, _("Ngày chốt số liệu ngoài khoảng cho phép.")
    year = _int(params.get(YEAR_FIELD), 2000, 2100)
    if year is None:
        return None, _("Năm không hợp lệ: %(v)s.") % {"v": (params.get(YEAR_FIELD) or "")[:10]}
    index = None
    if kind == MONTH:
        index = _int(params.get(MONTH_FIELD), 1, 12)
        if index is None:
            return None, _("Tháng phải từ 1 đến 12.")
    elif kind == QUARTER:
        index = _int(params.get(QUARTER_FIELD), 1, 4)
        if index is None:
            return None, _("Quý phải từ I đến IV.")
    return period_for(kind, year, index, rule), ""
