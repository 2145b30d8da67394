"""Reading numbers the Vietnamese way.

Vietnamese official writing uses "." to group thousands and "," for decimals: ``1.700`` is one
thousand seven hundred, ``6,73`` is six point seven three, ``51.990,563`` is fifty-one thousand
nine hundred and ninety point five six three. Scale words multiply: nghìn/ngàn (10^3),
triệu (10^6), tỷ/tỉ (10^9), and chain ("nghìn tỷ" = 10^12) or add up ("3 tỷ 450 triệu").

Everything is :class:`decimal.Decimal`; floats are never used.

A single "," is always the decimal mark, also before exactly three digits ("12,345 km" is twelve
point three four five), as BorderDesk itself writes numbers: only "." groups thousands. Several
"," groups ("1,234,567") can only be English thousands. ``countable`` is accepted for callers
that still pass it and no longer changes the reading.
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
            digits = groups[0] + "." + groups[1]  # Vietnamese decimal: 6,73 and 12,345 (only "." groups)
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
        rest = rest[match.end() :].strip()
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


# ---------------------------------------------------------------- numbers written in words
#: digits as words; "mốt" (1), "tư" (4) and "lăm"/"nhăm" (5) only occur after "mươi"/"mười"/"trăm"
DIGIT_WORDS: dict[str, int] = {
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "nhăm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}
_AFTER_TENS_ONLY = {"mốt", "lăm", "nhăm"}
_TENS_WORDS = {"mươi", "chục"}
_HALF_WORDS = {"rưỡi", "rưởi"}
_ZERO_TENS_WORDS = {"linh", "lẻ"}
#: every word that may be part of a number written in words
NUMBER_WORDS = (
    frozenset(DIGIT_WORDS) | {"mười", "trăm"} | _TENS_WORDS | _HALF_WORDS | _ZERO_TENS_WORDS | frozenset(SCALE_WORDS)
)
_MULTIPLIER_WORDS = _TENS_WORDS | {"trăm"} | frozenset(SCALE_WORDS)


def parse_number_words(words: list[str] | tuple[str, ...]) -> Decimal:
    """Value of a number written in Vietnamese words (lower case, one word per item).

    "hai mươi lăm" = 25, "mười lăm" = 15, "ba trăm" = 300, "một trăm linh năm" = 105,
    "trăm rưỡi" = 150, "hai nghìn rưỡi" = 2 500, "ba nghìn hai" = 3 200 (a last digit after a
    multiplier counts one step below it), "hai triệu ba trăm nghìn" = 2 300 000.
    "năm" is only a digit before a multiplier ("năm trăm") or after "linh"/"lẻ" and "trăm":
    elsewhere it means "year" and ends the number. Raises ``ValueError`` for anything else
    (two digits in a row "hai ba" are "two or three", not a number).
    """
    if not words:
        raise ValueError("no words")
    total = Decimal(0)  # completed scale groups
    group = Decimal(0)  # the part below the current scale, < 1000
    digit: int | None = None  # a digit waiting for its multiplier
    previous = ""  # previous word
    last_multiplier: Decimal | None = None
    last_scale: Decimal | None = None
    for index, word in enumerate(words):
        nxt = words[index + 1] if index + 1 < len(words) else ""
        if word in DIGIT_WORDS:
            if digit is not None:
                raise ValueError("two digits in a row")
            if word in _AFTER_TENS_ONLY and previous not in ("mươi", "mười"):
                raise ValueError(f"{word!r} only follows mươi/mười")
            if word == "tư" and previous not in ("mươi", "trăm", "nghìn", "ngàn", "triệu", "tỷ", "tỉ"):
                raise ValueError("'tư' only follows a multiplier")
            if word == "năm" and nxt not in _MULTIPLIER_WORDS and previous not in _ZERO_TENS_WORDS | {"trăm"}:
                raise ValueError("'năm' here means year")
            digit = DIGIT_WORDS[word]
        elif word == "mười":
            if digit is not None or previous in ("mười", "mươi"):
                raise ValueError("'mười' after a digit")
            group += 10
            last_multiplier = Decimal(10)
        elif word in _TENS_WORDS:
            if digit is None:
                if word == "mươi":
                    raise ValueError("'mươi' needs a digit")
                digit = 1  # "chục" alone: ten
            group += digit * 10
            digit = None
            last_multiplier = Decimal(10)
        elif word == "trăm":
            group += (1 if digit is None else digit) * 100
            digit = None
            last_multiplier = Decimal(100)
        elif word in _ZERO_TENS_WORDS:
            if previous != "trăm":
                raise ValueError(f"{word!r} only follows trăm")
        elif word in SCALE_WORDS:
            scale = SCALE_WORDS[word]
            amount = group + (digit or 0)
            if amount == 0 and previous in SCALE_WORDS:
                # "nghìn tỷ": the scale multiplies the group just closed
                if last_scale is None or scale <= last_scale:
                    raise ValueError("scales must grow in a compound scale")
                total = total * scale
                last_scale = last_scale * scale
                last_multiplier = last_scale
                previous = word
                continue
            if last_scale is not None and scale >= last_scale:
                raise ValueError("scales must decrease")
            total += (amount or 1) * scale
            group, digit = Decimal(0), None
            last_scale = scale
            last_multiplier = scale
        elif word in _HALF_WORDS:
            if index != len(words) - 1 or last_multiplier is None or digit is not None:
                raise ValueError("'rưỡi' ends a number after a multiplier")
            if last_scale is not None and last_multiplier == last_scale:
                total += last_scale / 2
            else:
                group += last_multiplier / 2
        else:
            raise ValueError(f"not a number word: {word!r}")
        previous = word
    if digit is not None:
        if (
            previous in DIGIT_WORDS
            and len(words) >= 2
            and words[-2] in ("trăm", *SCALE_WORDS)
            and (last_multiplier is not None and last_multiplier >= 100)
        ):
            # "một trăm hai" = 120, "ba nghìn hai" = 3 200: one step below the multiplier
            step = last_multiplier / 10
            if words[-2] in SCALE_WORDS:
                total += digit * step
            else:
                group += digit * step
        else:
            group += digit
    value = total + group
    if value == 0:
        raise ValueError("zero")
    return value
