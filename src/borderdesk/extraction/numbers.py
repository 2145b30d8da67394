"""Reading numbers the Vietnamese way.

Vietnamese official writing uses "." to group thousands and "," for decimals: ``1.700`` is one
thousand seven hundred, ``6,73`` is six point seven three, ``51.990,563`` is fifty-one thousand
nine hundred and ninety point five six three. Scale words multiply: nghìn/ngàn (10^3),
triệu (10^6), tỷ/tỉ (10^9), and chain ("nghìn tỷ" = 10^12) or add up ("3 tỷ 450 triệu").

Everything is :class:`decimal.Decimal`; floats are never used.

Ambiguity: a single "," followed by exactly three digits ("1,700") is an English thousands
separator when the thing counted cannot be fractional (people, vehicles, cases...), and a
Vietnamese decimal otherwise ("274,065 km"). Callers pass ``countable`` to decide.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["SCALE_WORDS", "format_vn_number", "parse_number_token", "parse_vn_amount", "NUMBER_TOKEN"]

#: One numeric token as written: digits with "." or "," groups (no sign, no scale word).
NUMBER_TOKEN = r"\d+(?:[.,]\d+)*"
_TOKEN_RE = re.compile(rf"^{NUMBER_TOKEN}$")

SCALE_WORDS: dict[str, Decimal] = {
    "nghìn": Decimal(1000),
    "ngàn": Decimal(1000),
    "ngìn": Decimal(1000),
    "vạn": Decimal(10000),
    "triệu": Decimal(1000000),
    "tỷ": Decimal(1000000000),
    "tỉ": Decimal(1000000000),
}
_SCALE_ALT = "|".join(sorted(SCALE_WORDS, key=len, reverse=True))
#: one or more scale words after a number, e.g. " nghìn tỷ"
SCALE_RE = re.compile(rf"(?:\s*(?:{_SCALE_ALT})(?![\w]))+")
_AMOUNT_RE = re.compile(rf"^\s*({NUMBER_TOKEN})((?:\s*(?:{_SCALE_ALT})(?![\w]))*)")


def _scale_of(words: str) -> Decimal:
    factor = Decimal(1)
    for word in words.split():
        factor *= SCALE_WORDS[word]
    return factor


def parse_number_token(token: str, *, countable: bool | None = None) -> Decimal:
    """Parse one numeric token ("1.700", "6,73", "51.990,563", "03", "1,700").

    ``countable`` tells whether the thing counted must be a whole number; it only matters for
    the ambiguous "d,ddd" form. Raises ``ValueError`` on anything that is not a number token.
    """
    token = token.strip()
    if not _TOKEN_RE.match(token):
        raise ValueError(f"not a number: {token!r}")
    has_dot, has_comma = "." in token, "," in token
    if has_dot and has_comma:
        # the separator that comes last is the decimal mark
        if token.rfind(",") > token.rfind("."):
            integral, _, fraction = token.rpartition(",")
            digits = integral.replace(".", "") + "." + fraction
        else:
            integral, _, fraction = token.rpartition(".")
            digits = integral.replace(",", "") + "." + fraction
        if "," in digits or digits.count(".") != 1:
            raise ValueError(f"mixed separators: {token!r}")
    elif has_dot:
        groups = token.split(".")
        if all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3:
            digits = "".join(groups)  # Vietnamese thousands: 1.700, 51.990
        elif len(groups) == 2:
            digits = token  # a decimal point written the English way: 2.5
        else:
            raise ValueError(f"irregular grouping: {token!r}")
    elif has_comma:
        groups = token.split(",")
        if len(groups) == 2:
            if len(groups[1]) == 3 and countable and groups[0] != "0" and len(groups[0]) <= 3:
                digits = "".join(groups)  # English thousands for a whole count: 1,700 người
            else:
                digits = groups[0] + "." + groups[1]  # Vietnamese decimal: 6,73
        elif all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3:
            digits = "".join(groups)  # English thousands: 1,234,567
        else:
            raise ValueError(f"irregular grouping: {token!r}")
    else:
        digits = token
    try:
        return Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guarantees digits
        raise ValueError(f"not a number: {token!r}") from exc


def parse_vn_amount(text: str, *, countable: bool | None = None) -> Decimal:
    """Parse a whole amount with scale words: "6,73 tỷ", "275 nghìn", "3 tỷ 450 triệu".

    Additive parts must have decreasing scales ("3 tỷ 450 triệu" = 3.450.000.000).
    Raises ``ValueError`` when the text is not an amount (trailing words are not allowed).
    """
    rest = text.strip().lower()
    total = Decimal(0)
    previous_scale: Decimal | None = None
    parts = 0
    while rest:
        match = _AMOUNT_RE.match(rest)
        if not match:
            raise ValueError(f"not an amount: {text!r}")
        scale = _scale_of(match.group(2))
        if previous_scale is not None and scale >= previous_scale:
            raise ValueError(f"scales must decrease: {text!r}")
        total += parse_number_token(match.group(1), countable=countable) * scale
        previous_scale = scale
        parts += 1
        rest = rest[match.end():].strip()
    if not parts:
        raise ValueError(f"empty amount: {text!r}")
    return total


def format_vn_number(value: Decimal | int, *, decimals: int | None = None) -> str:
    """Format a number the Vietnamese way: ``Decimal("51990.563")`` -> ``"51.990,563"``.

    Negative numbers keep a leading "-". ``decimals`` fixes the number of decimal places;
    by default the value's own exponent is kept (trailing zeros included).
    """
    value = Decimal(value)
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals))
    sign = "-" if value.is_signed() and value != 0 else ""
    text = format(abs(value), "f")
    integral, _, fraction = text.partition(".")
    groups = []
    while len(integral) > 3:
        groups.insert(0, integral[-3:])
        integral = integral[:-3]
    groups.insert(0, integral)
    result = ".".join(groups)
    if fraction:
        result += "," + fraction
    return sign + result
