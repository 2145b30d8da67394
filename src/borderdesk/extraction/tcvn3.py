"""TCVN3 (ABC), the legacy 8-bit Vietnamese font encoding (.VnTime fonts), to Unicode.

TCVN3 keeps ASCII and puts Vietnamese letters in the upper half; upper-case toned letters are
written with the lower-case codes in the capital fonts (.VnTimeH), so they come back lower case.
"""

from __future__ import annotations

_TABLE = (
    "a1:Ă a2:Â a3:Ê a4:Ô a5:Ơ a6:Ư a7:Đ a8:ă a9:â aa:ê ab:ô ac:ơ ad:ư ae:đ "
    "b5:à b6:ả b7:ã b8:á b9:ạ bb:ằ bc:ẳ bd:ẵ be:ắ c6:ặ c7:ầ c8:ẩ c9:ẫ ca:ấ cb:ậ "
    "cc:è ce:ẻ cf:ẽ d0:é d1:ẹ d2:ề d3:ể d4:ễ d5:ế d6:ệ d7:ì d8:ỉ dc:ĩ dd:í de:ị "
    "df:ò e1:ỏ e2:õ e3:ó e4:ọ e5:ồ e6:ổ e7:ỗ e8:ố e9:ộ ea:ờ eb:ở ec:ỡ ed:ớ ee:ợ "
    "ef:ù f1:ủ f2:ũ f3:ú f4:ụ f5:ừ f6:ử f7:ữ f8:ứ f9:ự fa:ỳ fb:ỷ fc:ỹ fd:ý fe:ỵ"
)
BYTE_TO_CHAR: dict[int, str] = {int(k, 16): v for k, v in (pair.split(":") for pair in _TABLE.split())}
_DECODE = {byte: char for byte, char in BYTE_TO_CHAR.items()}
_ENCODE = {char: byte for byte, char in BYTE_TO_CHAR.items()}

# bytes that are frequent in TCVN3 Vietnamese and rare elsewhere: á à ả ạ ấ ầ ậ ế ệ ố ộ ơ ư đ ờ ớ ợ ứ ự
_TYPICAL = frozenset(
    {
        0xB8,
        0xB5,
        0xB6,
        0xB9,
        0xCA,
        0xC7,
        0xCB,
        0xD5,
        0xD6,
        0xE8,
        0xE9,
        0xAC,
        0xAD,
        0xAE,
        0xEA,
        0xED,
        0xEE,
        0xF8,
        0xF9,
        0xA9,
        0xA8,
        0xAB,
        0xAA,
        0xDD,
        0xE3,
        0xF3,
    }
)


def decode_tcvn3(data: bytes) -> str:
    """Decode TCVN3 bytes to Unicode (bytes outside the table are read as Latin-1)."""
    return "".join(_DECODE.get(b, chr(b)) for b in data)


def encode_tcvn3(text: str) -> bytes:
    """Encode Unicode text to TCVN3 (for tests); characters without a TCVN3 code raise ValueError."""
    out = bytearray()
    for char in text:
        if ord(char) < 0x80:
            out.append(ord(char))
        elif char in _ENCODE:
            out.append(_ENCODE[char])
        elif char.lower() in _ENCODE:
            out.append(_ENCODE[char.lower()])
        else:
            raise ValueError(f"no TCVN3 code for {char!r}")
    return bytes(out)


def looks_like_tcvn3(data: bytes) -> bool:
    """Typical TCVN3 bytes make up most of the upper half and no UTF-8 sequence appears."""
    high = [b for b in data if b >= 0x80]
    if len(high) < 5:
        return False
    typical = sum(1 for b in high if b in _TYPICAL)
    return typical / len(high) > 0.5
