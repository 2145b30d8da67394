"""Vietnamese numbers, dates and comparison phrases — the one place that formats them.

Used by templates, exports and generated documents. Pure Python (stdlib only): quantities are
``Decimal`` (floats are accepted and converted through ``str``), rounding is half-up.

Conventions (docs/domain.md §7–8):

* thousands ".", decimals ",": ``1.700``, ``6,73``, ``51.990,563``, ``81,84%``;
* scale words for large amounts: ``86 tỷ USD``, ``6,73 tỷ USD``, ``183 triệu USD``; below one million
  the exact figure (``750.000 USD``, ``275.000 lượt người``);
* Decree 30/2020 dates: ``Lạng Sơn, ngày 05 tháng 01 năm 2026`` — day < 10 and months 1–2 zero-padded,
  other months not (``ngày 29 tháng 6 năm 2019``);
* comparisons: ``tăng 8% so với cùng kỳ``, ``giảm 7,2% so với cùng kỳ``, ``bằng cùng kỳ``,
  ``gấp 2,5 lần cùng kỳ``, ``đạt 130,9% kế hoạch``; nothing at all when the base is missing.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import overload

from django.utils.translation import get_language

__all__ = [
    "QUALIFIERS",
    "change",
    "compare_phrase",
    "current_lang",
    "date_line",
    "date_long",
    "document_number",
    "figure_sentence",
    "format_amount",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "format_range",
    "format_size",
    "format_with_qualifier",
    "in_language",
    "parse_date",
    "parse_number",
    "to_decimal",
    "zero_pad_count",
]

Number = int | float | str | Decimal

_TIME_ZONE = "Asia/Ho_Chi_Minh"
_SEPARATORS = {"vi": (".", ","), "en": (",", ".")}  # (thousands, decimal)
_SCALES = ((Decimal(10) ** 9, "tỷ"), (Decimal(10) ** 6, "triệu"), (Decimal(10) ** 3, "nghìn"))
_SCALE_WORDS = {"tỷ": 0, "triệu": 1, "nghìn": 2, "ngàn": 2}
_MILLION = Decimal(10) ** 6
_HUNDRED = Decimal(100)

#: Qualifier codes (as a model may store them) → Vietnamese words. Vietnamese words are accepted too.
QUALIFIERS = {
    "over": "trên",
    "more_than": "hơn",
    "nearly": "gần",
    "about": "khoảng",
    "approximately": "xấp xỉ",
    "under": "dưới",
    "tens": "hàng chục",
    "hundreds": "hàng trăm",
    "thousands": "hàng nghìn",
    "tens_of_thousands": "hàng chục nghìn",
    "hundreds_of_thousands": "hàng trăm nghìn",
    "millions": "hàng triệu",
}
_VAGUE_PREFIX = "hàng "  # "hàng chục nghìn": a vague quantity that stands without a figure

_COMPARE_NOUNS = {"same_period": "cùng kỳ", "previous": "kỳ trước", "plan": "kế hoạch"}


def current_lang() -> str:
    """The interface's language as the formatters take it: "en" in English, else "vi"."""
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def in_language(name: str, name_en: str = "") -> str:
    """A name as the interface reads it: the English name in English when it is filled in, else the Vietnamese."""
    return name_en if name_en and current_lang() == "en" else name


# Conversion and rounding ---------------------------------------------------------------------------
@overload
def to_decimal(value: Number) -> Decimal: ...
@overload
def to_decimal(value: None) -> None: ...
@overload
def to_decimal(value: Number | None) -> Decimal | None: ...
def to_decimal(value: Number | None) -> Decimal | None:
    """``value`` as a finite Decimal (None stays None).

    Accepts int, Decimal, float (through ``str``, so 0.1 → Decimal("0.1")) and a string in Python
    notation ("1700.5", "-3", "1e6"). Vietnamese-formatted input ("1.700") goes through
    :func:`parse_number` instead. Raises ``ValueError`` for anything else, NaN and infinities.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"Not a number: {value!r}")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(str(value))
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"Not a number: {value!r}") from None
    else:
        raise ValueError(f"Not a number: {value!r}")
    if not d.is_finite():
        raise ValueError(f"Not a finite number: {value!r}")
    return d


def _round(d: Decimal, decimals: int) -> Decimal:
    """``d`` rounded half-up to ``decimals`` places, whatever its size."""
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    with localcontext() as ctx:
        ctx.prec = max(28, d.adjusted() + decimals + 3)
        return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _divide(a: Decimal, b: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = max(28, abs(a.adjusted()) + abs(b.adjusted()) + 20)
        return a / b


# Numbers -------------------------------------------------------------------------------------------
def format_number(value: Number | None, decimals: int | None = None, *, lang: str = "vi") -> str:
    """Group thousands and write the decimal mark the Vietnamese way.

    ``1700`` → "1.700", ``Decimal("6.73")`` → "6,73", ``Decimal("51990.563")`` → "51.990,563",
    ``-1234`` → "-1.234". ``decimals=None`` keeps the digits given and drops trailing zeros
    (``Decimal("6.730")`` → "6,73"); an integer ``decimals`` rounds half-up and keeps that many places
    (``format_number(5, 2)`` → "5,00"). ``lang="en"`` gives "1,700" / "6.73". ``None`` → "".
    """
    d = to_decimal(value)
    if d is None:
        return ""
    try:
        thousands, mark = _SEPARATORS[lang]
    except KeyError:
        raise ValueError(f"Unsupported language {lang!r}; expected 'vi' or 'en'") from None
    if decimals is not None:
        d = _round(d, decimals)
    text = format(d.copy_abs(), "f")  # copy_abs: abs() would round to the context precision
    int_part, _, frac = text.partition(".")
    if decimals is None:
        frac = frac.rstrip("0")
    groups: list[str] = []
    while len(int_part) > 3:
        groups.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    groups.insert(0, int_part)
    out = thousands.join(groups) + (mark + frac if frac else "")
    negative = d < 0 and any(c in "123456789" for c in out)  # never "-0"
    return ("-" if negative else "") + out


def format_percent(value: Number | None, decimals: int = 2, *, lang: str = "vi") -> str:
    """A percentage (already ×100) rounded half-up to at most ``decimals`` places, no trailing zeros.

    ``81.84`` → "81,84%", ``100`` → "100%", ``Decimal("8.0")`` → "8%", ``None`` → "".
    """
    d = to_decimal(value)
    if d is None:
        return ""
    return format_number(_round(d, decimals), lang=lang) + "%"


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def parse_number(text: str, *, lang: str = "vi") -> Decimal:
    """Read a number typed in a Vietnamese input field; the inverse of :func:`format_number`.

    Rules (``lang="vi"``):

    * "," is the decimal mark (at most one): "6,73" → 6.73, "51.990,563" → 51990.563;
    * "." and spaces group thousands: "1.700", "1 700", "1.234.567"; every group after the first has
      exactly three digits;
    * a single "." that is *not* a valid thousands separator (not followed by exactly three digits,
      or after a leading 0 or more than three digits) is read as a decimal point, so pasted
      "1700.5" and "6.73" work; "1.700" is always one thousand seven hundred;
    * a leading "-" (or "−") or "+" sign is allowed.

    ``lang="en"`` swaps "." and ",". Raises ``ValueError`` with a Vietnamese message otherwise.
    """
    try:
        group, mark = _SEPARATORS[lang]
    except KeyError:
        raise ValueError(f"Unsupported language {lang!r}; expected 'vi' or 'en'") from None
    if not isinstance(text, str):
        raise ValueError(f"Không đọc được số: {text!r}")
    if text.isascii() and text.isdigit():  # the common case (what the export writes for counts), read directly
        return Decimal(text)
    if text.isascii() and text.count(mark) == 1:  # "20000,5": digits, one decimal mark, digits
        int_part, _, frac = text.partition(mark)
        if int_part.isdigit() and frac.isdigit():
            return Decimal(f"{int_part}.{frac}")
    original = text
    s = _SPACES.sub(" ", text.strip())
    if not s:
        raise ValueError("Chưa nhập số.")
    sign = ""
    if s[0] in "+-−":
        sign = "-" if s[0] in "-−" else ""
        s = s[1:].lstrip()
    s = s.replace(" ", group)  # spaces group thousands like the group separator
    grouped = re.compile(rf"^[1-9][0-9]{{0,2}}(?:{re.escape(group)}[0-9]{{3}})+$")

    def _fail() -> ValueError:
        return ValueError(
            f"“{original}” không phải là số hợp lệ. Dùng dấu chấm (.) để phân cách hàng nghìn và "
            "dấu phẩy (,) cho phần thập phân, ví dụ 1.700 hoặc 6,73."
            if lang == "vi"
            else f"“{original}” is not a valid number; use e.g. 1,700 or 6.73."
        )

    if not re.fullmatch(rf"[0-9{re.escape(group)}{re.escape(mark)}]+", s) or not re.search(r"[0-9]", s):
        raise _fail()
    if s.count(mark) > 1:
        raise _fail()
    int_part, has_mark, frac = s.partition(mark)
    if has_mark:
        if (frac and not frac.isdigit()) or (not frac):
            raise _fail()
        if group in int_part and not grouped.match(int_part):
            raise _fail()
        if not int_part:
            int_part = "0"
    elif group in int_part:
        if grouped.match(int_part):
            pass  # thousands separators
        elif int_part.count(group) == 1:
            head, _, tail = int_part.partition(group)  # "1700.5", "6.73", "0.500": a decimal point
            if not head.isdigit() or not tail.isdigit():
                raise _fail()
            int_part, frac = head, tail
        else:
            raise _fail()
    digits = int_part.replace(group, "")
    if not digits.isdigit():
        raise _fail()
    return Decimal(f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}")


def format_size(size: int | None, *, lang: str = "vi") -> str:
    """A file size: "850 B", "12 KB", "1,5 MB", "2,1 GB" (binary multiples, one decimal); None → ""."""
    if size is None:
        return ""
    value = Decimal(int(size))
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{format_number(_round(value, 0 if unit == 'B' else 1), lang=lang)} {unit}"
        value /= 1024
    return f"{format_number(_round(value, 1), lang=lang)} GB"


#: Accepted ways of typing a date, the Vietnamese one first (ISO for API clients, links and pasted values).
DATE_INPUT_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(text: str) -> date:
    """Read a typed date: "24/6/2021", "24/06/2021", "24-06-2021", "24.06.2021" or "2021-06-24".

    The one date parser for inputs and query parameters (day first, never month first). Raises
    ``ValueError`` with a Vietnamese message otherwise.
    """
    value = (text or "").strip() if isinstance(text, str) else ""
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” không phải ngày hợp lệ; viết dd/mm/yyyy, ví dụ 24/06/2021.")


def format_range(low: Number, high: Number, unit: str = "", *, lang: str = "vi") -> str:
    """A range with an en dash: "1.100–1.350 xe/ngày", "20–30%"."""
    text = f"{format_number(low, lang=lang)}–{format_number(high, lang=lang)}"
    return _with_unit(text, unit)


def _with_unit(text: str, unit: str | None) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def format_amount(value: Number | None, unit: str = "", *, scale: str = "auto", decimals: int = 2) -> str:
    """An amount with a scale word where that reads better, as in reports.

    ``scale="auto"``: from one million upwards the value is written in "triệu" or "tỷ", rounded
    half-up to at most ``decimals`` places with trailing zeros dropped — 86_000_000_000 USD →
    "86 tỷ USD", 6_730_000_000 → "6,73 tỷ USD", 183_000_000 → "183 triệu USD",
    999_999_999 → "1 tỷ". Below one million the exact figure: 750_000 → "750.000 USD",
    275_000 lượt người → "275.000 lượt người". ``scale`` may also force "tỷ", "triệu", "nghìn"
    (275_000 → "275 nghìn") or "none" (exact). ``None`` → "".
    """
    d = to_decimal(value)
    if d is None:
        return ""
    if scale == "none":
        return _with_unit(format_number(d), unit)
    if scale == "auto":
        if abs(d) >= _MILLION:
            for factor, word in _SCALES[:2]:
                scaled = _round(_divide(d, factor), decimals)
                if abs(scaled) >= 1:
                    return _with_unit(f"{format_number(scaled)} {word}", unit)
        return _with_unit(format_number(d), unit)
    if scale not in _SCALE_WORDS:
        raise ValueError(f"Unknown scale {scale!r}; expected auto, none, tỷ, triệu or nghìn")
    factor, word = _SCALES[_SCALE_WORDS[scale]]
    scaled = _round(_divide(d, factor), decimals)
    return _with_unit(f"{format_number(scaled)} {scale if scale == 'ngàn' else word}", unit)


def zero_pad_count(n: Number | None) -> str:
    """A count in official style: 1–9 zero-padded ("04 tập thể"), others grouped ("1.700"), None → ""."""
    d = to_decimal(n)
    if d is None:
        return ""
    if d != d.to_integral_value() or d < 0:
        raise ValueError(f"A count must be a non-negative integer, got {n!r}")
    i = int(d)
    return f"{i:02d}" if 1 <= i <= 9 else format_number(i)


# Dates ---------------------------------------------------------------------------------------------
def _as_date(d: date | datetime) -> date:
    if isinstance(d, datetime):
        if d.tzinfo is not None:
            from zoneinfo import ZoneInfo

            d = d.astimezone(ZoneInfo(_TIME_ZONE))
        return d.date()
    if isinstance(d, date):
        return d
    raise ValueError(f"Not a date: {d!r}")


def format_date(d: date | datetime | None) -> str:
    """Date as dd/mm/yyyy ("05/01/2026"); aware datetimes are read in Asia/Ho_Chi_Minh; None → ""."""
    if d is None:
        return ""
    d = _as_date(d)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def format_datetime(d: datetime | None, *, seconds: bool = False) -> str:
    """Date and time as dd/mm/yyyy HH:MM ("05/01/2026 14:30"), ":SS" with ``seconds``; aware datetimes are
    read in Asia/Ho_Chi_Minh, naive ones as given; None → ""."""
    if d is None:
        return ""
    if d.tzinfo is not None:
        from zoneinfo import ZoneInfo

        d = d.astimezone(ZoneInfo(_TIME_ZONE))
    text = f"{d.day:02d}/{d.month:02d}/{d.year} {d.hour:02d}:{d.minute:02d}"
    return f"{text}:{d.second:02d}" if seconds else text


def date_long(d: date | datetime) -> str:
    """Decree 30/2020 date: "ngày 05 tháng 01 năm 2026", "ngày 29 tháng 6 năm 2019".

    Day < 10 and months 1–2 are zero-padded; months 3–12 are not.
    """
    d = _as_date(d)
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def date_line(place: str | None, d: date | datetime) -> str:
    """The place-date line of a document: "Lạng Sơn, ngày 05 tháng 01 năm 2026" (no place → date only)."""
    place = (place or "").strip()
    return f"{place}, {date_long(d)}" if place else date_long(d)


def document_number(number: int | str | None, symbol: str) -> str:
    """Number line of a document: "Số: 15/BC-BCĐ"; numbers below 10 zero-padded ("Số: 05/BC-BCĐ").

    Without a number (a draft not yet registered) the space is left blank: "Số:      /BC-BCĐ".
    """
    symbol = symbol.strip().lstrip("/")
    if number is None or (isinstance(number, str) and not number.strip()):
        return f"Số:      /{symbol}"
    if isinstance(number, bool):
        raise ValueError(f"Invalid document number {number!r}")
    try:
        n = int(str(number).strip())
    except ValueError:
        raise ValueError(f"Invalid document number {number!r}") from None
    if n < 1:
        raise ValueError(f"Document number must be >= 1, got {number!r}")
    return f"Số: {n:02d}/{symbol}"


# Comparisons ---------------------------------------------------------------------------------------
def change(current: Number | None, base: Number | None) -> tuple[Decimal | None, Decimal | None]:
    """(current − base, percentage change) as unrounded Decimals, for consolidation tables.

    Both are None if either value is missing; the percentage is None when ``base`` is zero or
    negative (a growth rate against it means nothing).
    """
    cur, b = to_decimal(current), to_decimal(base)
    if cur is None or b is None:
        return None, None
    delta = cur - b
    pct = _divide(delta * _HUNDRED, b) if b > 0 else None
    return delta, pct


def _pct_text(pct: Decimal, decimals: int) -> str:
    return format_number(_round(pct, decimals))


def compare_phrase(
    current: Number | None,
    base: Number | None,
    *,
    kind: str = "same_period",
    unit: str | None = None,
    reference: str | None = None,
    decimals: int = 1,
    multiples: bool = True,
) -> str:
    """A comparison phrase, or "" when there is nothing to compare with.

    ``kind="same_period"`` (against "cùng kỳ") or ``"previous"`` (against "kỳ trước"); ``reference``
    replaces that noun ("ngày 31/12/2025"). Percentages are rounded half-up to ``decimals`` (1) places
    without a trailing ",0":

    * "tăng 8% so với cùng kỳ", "giảm 7,2% so với cùng kỳ";
    * "bằng cùng kỳ" when equal, "tương đương cùng kỳ" when the change rounds to 0% — never "tăng 0%";
    * "gấp 2,5 lần cùng kỳ" when current ≥ 2 × base and ``multiples`` (else "tăng 150% ...");
    * "" when either value is missing or the base is 0 or negative.

    With ``unit`` the absolute difference is given instead: "giảm 376 xe so với ngày 31/12/2025"
    (a zero base is then fine); ``unit="%"`` compares rates in percentage points.

    ``kind="plan"``: "đạt 130,9% kế hoạch" (current as a share of the plan ``base``).
    """
    if kind not in _COMPARE_NOUNS:
        raise ValueError(f"Unknown comparison kind {kind!r}; expected same_period, previous or plan")
    cur, b = to_decimal(current), to_decimal(base)
    if cur is None or b is None:
        return ""
    noun = reference or _COMPARE_NOUNS[kind]
    if kind == "plan":
        if b <= 0:
            return ""
        return f"đạt {_pct_text(_divide(cur * _HUNDRED, b), decimals)}% {noun}"
    if unit is not None:
        delta = cur - b
        if delta == 0:
            return f"bằng {noun}"
        word = "tăng" if delta > 0 else "giảm"
        if unit.startswith("%"):
            amount = f"{format_number(_round(abs(delta), 2))} điểm phần trăm"
        else:
            amount = format_amount(abs(delta), unit)
        return f"{word} {amount} so với {noun}"
    if b <= 0:
        return ""
    if cur == b:
        return f"bằng {noun}"
    ratio = _divide(cur, b)
    if multiples and ratio >= 2:
        return f"gấp {format_number(_round(ratio, decimals))} lần {noun}"
    pct = (ratio - 1) * _HUNDRED
    rounded = _round(abs(pct), decimals)
    if rounded == 0:
        return f"tương đương {noun}"
    word = "tăng" if pct > 0 else "giảm"
    return f"{word} {format_number(rounded)}% so với {noun}"


def _qualifier_word(qualifier: str | None) -> str:
    if not qualifier:
        return ""
    q = qualifier.strip()
    return QUALIFIERS.get(q.lower(), q)


def format_with_qualifier(value: Number | None, unit: str = "", qualifier: str | None = None) -> str:
    """A figure with its qualifier: "trên 2.000 lượt xe/ngày", "gần 30%", "hàng chục nghìn lượt người".

    ``qualifier`` is a code from :data:`QUALIFIERS` or the Vietnamese word itself. Vague quantities
    ("hàng chục nghìn") stand without a figure. The value is written with :func:`format_amount`
    (or :func:`format_percent` when ``unit`` is "%"). No value and no vague qualifier → "".
    """
    word = _qualifier_word(qualifier)
    if word.startswith(_VAGUE_PREFIX):
        return _with_unit(word, unit)
    if value is None:
        return ""
    if unit and unit.startswith("%"):
        figure = format_percent(value) + unit[1:]
    else:
        figure = format_amount(value, unit)
    return f"{word} {figure}" if word else figure


#: Units of measure: their figures are never zero-padded ("5 km", "3 tấn", "7 triệu USD", "6 lượt xe/ngày").
MEASURE_UNITS = frozenset({"USD", "VND", "đồng", "kg", "km", "m", "m2", "ha", "tấn", "lít", "tỷ", "triệu"})


def is_count_unit(unit: str | None) -> bool:
    """Whether ``unit`` names things that are counted ("vụ", "mốc", "lượt người"), not a measure or a rate."""
    u = (unit or "").strip()
    return bool(u) and "/" not in u and not u.startswith("%") and u.split()[0] not in MEASURE_UNITS


def format_figure(value: Number | None, unit: str = "", qualifier: str | None = None) -> str:
    """A figure as a drafted report writes it: :func:`format_with_qualifier`, except that a whole count
    from 1 to 9 of a counted unit is zero-padded as Decree 30 style reports write it ("05 vụ", "01 mốc",
    "hơn 03 buổi"). Measures and rates are not padded ("5 km", "6 lượt xe/ngày"); 0 stays "0 vụ".

    Every count the drafting writes goes through here (or :func:`zero_pad_count` when it has no unit)."""
    d = to_decimal(value)
    word = _qualifier_word(qualifier)
    if (
        d is not None
        and not word.startswith(_VAGUE_PREFIX)
        and is_count_unit(unit)
        and d == d.to_integral_value()
        and 1 <= d <= 9
    ):
        figure = f"{zero_pad_count(d)} {unit.strip()}"
        return f"{word} {figure}" if word else figure
    return format_with_qualifier(value, unit, qualifier)


def figure_sentence(
    label: str,
    value: Number | None,
    unit: str = "",
    *,
    qualifier: str | None = None,
    same_period: Number | None = None,
    plan: Number | None = None,
    previous: Number | None = None,
    verb: str = "đạt",
) -> str:
    """A report sentence for one figure, without the final full stop.

    ``figure_sentence("Kim ngạch hàng địa phương xuất khẩu", 183_000_000, "USD", plan=183_000_000,
    same_period=169_444_445)`` → "Kim ngạch hàng địa phương xuất khẩu đạt 183 triệu USD, đạt 100% kế
    hoạch, tăng 8% so với cùng kỳ". ``same_period``, ``plan`` and ``previous`` are the base values;
    each comparison appears only when its base exists (and the value is known). Returns "" when there
    is no figure at all.
    """
    figure = format_with_qualifier(value, unit, qualifier)
    if not figure:
        return ""
    parts = [f"{label.strip()} {verb} {figure}" if verb else f"{label.strip()} {figure}"]
    if value is not None:
        for base, kind in ((plan, "plan"), (same_period, "same_period"), (previous, "previous")):
            phrase = compare_phrase(value, base, kind=kind)
            if phrase:
                parts.append(phrase)
    return ", ".join(parts)
