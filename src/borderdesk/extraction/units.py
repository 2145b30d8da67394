"""Unit words that may follow a number, their normal form and family (vocabulary: here and units_vocabulary).

A number is only taken as a figure when a unit word (a measure word, classifier or counted
noun) follows it, or a percent sign. Each entry: surface form (lower case) -> (normal unit,
family, countable). ``countable`` says the quantity cannot be fractional, which decides how
"1,700" is read. Families let the mapper compare a figure's unit with an indicator's unit.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .units_vocabulary import (  # noqa: F401  (the families are part of this module's interface)
    _UNITS,
    CASE,
    COLLECTIVE,
    DOCSET,
    DOCUMENT,
    EVENT,
    HOUSEHOLD,
    LEAFLET,
    LENGTH,
    LETTER,
    MARKER,
    MONEY,
    PERCENT,
    PERSON,
    PLACE,
    PROJECT,
    RATE,
    THING,
    TIME,
    TURN,
    VEHICLE,
    WEIGHT,
    _add,
)

# places
_add("huyện", PLACE, True, "huyện", "huyện, thị xã", "huyện, thành phố", "huyện, thị xã, thành phố")
_add("thành phố", PLACE, True, "thành phố", "thị xã", "thị xã, thành phố")
_add("xã", PLACE, True, "xã", "xã, thị trấn", "xã, phường", "xã, phường, thị trấn", "thị trấn", "phường", "đặc khu")
_add("tỉnh", PLACE, True, "tỉnh", "tỉnh, thành phố", "địa phương", "tỉnh bạn")
_add(
    "thôn",
    PLACE,
    True,
    "thôn",
    "bản",
    "thôn, bản",
    "bản, làng",
    "làng",
    "xóm",
    "ấp",
    "tổ dân phố",
    "khu dân cư",
    "điểm dân cư",
    "thôn, bản, khu phố",
    "thôn bản",
    "buôn",
    "bon",
    "sóc",
    "khóm",
)
_add(
    "đồn",
    PLACE,
    True,
    "đồn",
    "đồn biên phòng",
    "đồn bp",
    "đồn, trạm",
    "trạm",
    "trạm kiểm soát",
    "trạm kiểm soát biên phòng",
    "đồn, trạm biên phòng",
)
_add(
    "cửa khẩu",
    PLACE,
    True,
    "cửa khẩu",
    "cặp cửa khẩu",
    "lối mở",
    "cửa khẩu phụ",
    "cửa khẩu chính",
    "cửa khẩu quốc tế",
    "đường mòn, lối mở",
    "đường mòn",
    "điểm thông quan",
    "lối thông quan",
)
_add("chợ", PLACE, True, "chợ", "cặp chợ", "chợ biên giới")
_add("cặp", THING, True, "cặp", "cặp thôn bản", "cặp đồn")
_add(
    "điểm",
    PLACE,
    True,
    "điểm",
    "điểm chốt",
    "chốt",
    "khu vực",
    "cụm",
    "khu",
    "điểm trường",
    "trường",
    "trường học",
    "phòng học",
    "trụ sở",
)
_add(
    "nhà",
    THING,
    True,
    "nhà",
    "ngôi nhà",
    "căn nhà",
    "nhà ở",
    "nhà đại đoàn kết",
    "nhà tình nghĩa",
    "công trình",
    "hạng mục",
    "cây cầu",
    "cầu",
    "giếng",
    "bể nước",
)
# a criminal ring or a hotline, not a road: "triệt phá 2 đường dây mua bán người"
_add("đường dây", THING, True, "đường dây", "đường dây tội phạm", "đường dây nóng")
_add("đường", PLACE, True, "đường", "tuyến đường", "tuyến", "đường kiểm tra", "con đường")
_add("km", LENGTH, False, "km", "ki-lô-mét", "kilômét", "kilomet", "kilômet", "cây số")
_add("m", LENGTH, False, "m", "mét")
_add(
    "mốc",
    MARKER,
    True,
    "mốc",
    "cột mốc",
    "mốc quốc giới",
    "mốc giới",
    "cọc",
    "cọc dấu",
    "cọc mốc",
    "mốc chính",
    "mốc phụ",
)
_add("vị trí mốc", MARKER, True, "vị trí mốc", "vị trí cột mốc", "vị trí mốc quốc giới")
_add("ha", THING, False, "ha", "héc-ta", "hécta", "hecta", "héc ta")
_add("m2", THING, False, "m2", "m²", "mét vuông")
_add("km2", THING, False, "km2", "km²", "ki-lô-mét vuông", "kilômét vuông", "cây số vuông")
_add("m3", THING, False, "m3", "m³", "mét khối", "khối", "khối gỗ", "m3 gỗ")
_add("lít", THING, False, "lít")
_add("tấn", WEIGHT, False, "tấn", "tấn hàng", "tấn hàng hóa", "tấn hàng hoá")
_add("tạ", WEIGHT, False, "tạ")
_add("kg", WEIGHT, False, "kg", "kilôgam", "ki-lô-gam", "kilogam", "cân")
_add("gam", WEIGHT, False, "gam", "gram", "g", "gr")
_add("bánh", THING, True, "bánh", "bánh heroin")
_add("viên", THING, True, "viên", "viên hồng phiến", "viên ma túy", "viên ma tuý", "viên ma túy tổng hợp")
_add("con", THING, True, "con", "con gia súc", "con bò", "con trâu", "con lợn", "cá thể")
_add("cây", THING, True, "cây", "cây xanh")
_add("sản phẩm", THING, True, "sản phẩm", "mặt hàng", "loại")
for _word in (
    "kiện",
    "bao",
    "thùng",
    "hộp",
    "gói",
    "túi",
    "bình",
    "quả",
    "chăn",
    "bộ quần áo",
    "chai",
    "lon",
    "két",
    "can",
    "tấm",
    "đôi",
    "cuộn",
    "súc",
    "bó",
    "bức ảnh",
    "ảnh",
    "tiết mục",
):
    _add(_word, THING, True)
_add("kiện", THING, True, "kiện hàng")
_add("bao", THING, True, "bao thuốc lá", "cây thuốc lá")
_add("khẩu súng", THING, True, "khẩu súng", "khẩu súng tự chế")
_add("suất", THING, True, "suất", "suất quà", "phần quà", "phần", "suất học bổng", "học bổng", "món quà", "quà")
_add("bằng khen", THING, True, "bằng khen", "giấy khen", "huân chương", "huy chương", "kỷ niệm chương")
# money
_add("USD", MONEY, False, "usd", "đô la mỹ", "đô la", "đôla", "đô-la", "us$")
_add("đồng", MONEY, False, "đồng", "vnđ", "vnd", "đ", "đồng việt nam")
_add("CNY", MONEY, True, "nhân dân tệ", "ndt", "cny", "tệ", "rmb")
_add("LAK", MONEY, True, "kíp", "kip", "lak")
_add("KHR", MONEY, True, "riel", "riêl", "khr")
_add("THB", MONEY, True, "bạt", "baht", "thb")
_add("EUR", MONEY, True, "euro", "eur")
_add("%", PERCENT, False, "%", "phần trăm")

# Exact nouns: a clerk writes what was counted, not a neighbour's name for it ("420 thị thực" are no
# passports, "14 lối mở" no border gates, "6 cầu" no houses, "120 người có uy tín" no women)
_add("đoàn viên", PERSON, True)
_add("hội viên", PERSON, True)
_add("dân quân", PERSON, True)
_add("giáo viên", PERSON, True)
_add("thanh niên", PERSON, True)
_add("người cao tuổi", PERSON, True)
_add("người có uy tín", PERSON, True)
_add("già làng", PERSON, True)
_add("tình nguyện viên", PERSON, True)
_add("bác sĩ", PERSON, True, "bác sĩ", "y, bác sĩ", "y bác sĩ")
_add("thương nhân", PERSON, True)
_add("khách", PERSON, True, "khách", "du khách", "hành khách", "khách du lịch")
_add("hợp tác xã", COLLECTIVE, True)
_add("cơ sở", COLLECTIVE, True)
_add("mô hình", EVENT, True)
_add("câu lạc bộ", EVENT, True)
_add("chương trình", EVENT, True)
_add("hồ sơ", DOCUMENT, True)
_add("đơn thư", DOCUMENT, True, "đơn thư", "đơn", "đơn, thư")
_add("chỉ tiêu", DOCUMENT, True)
_add("nhiệm vụ", DOCUMENT, True)
_add("nội dung", DOCUMENT, True)
_add("ý kiến", DOCUMENT, True, "ý kiến", "kiến nghị", "ý kiến, kiến nghị")
_add("hợp đồng", DOCUMENT, True)
_add("thị thực", DOCUMENT, True)
_add("giấy phép", DOCUMENT, True, "giấy phép", "giấy phép lao động")
_add("giấy chứng nhận", DOCUMENT, True)
_add("công trình", THING, True, "công trình", "hạng mục", "hạng mục công trình")
_add("cầu", THING, True, "cầu", "cây cầu", "cầu treo", "cầu treo dân sinh")
_add("giếng", THING, True)
_add("bể nước", THING, True)
_add("giấy khen", THING, True)
_add("huân chương", THING, True, "huân chương", "huy chương")
_add("kỷ niệm chương", THING, True)
_add("thị xã", PLACE, True)
_add("thị trấn", PLACE, True)
_add("phường", PLACE, True)
_add("trường", PLACE, True, "trường", "trường học", "điểm trường")
_add("phòng học", PLACE, True)
_add("trụ sở", PLACE, True)
_add("trạm", PLACE, True, "trạm", "trạm kiểm soát", "trạm kiểm soát biên phòng")
_add("lối mở", PLACE, True, "lối mở", "đường mòn", "đường mòn, lối mở", "đường mòn lối mở")
_add("lối thông quan", PLACE, True, "lối thông quan", "điểm thông quan")

UNITS = _UNITS
_surfaces = sorted(UNITS, key=len, reverse=True)
# "%" and "$" are not word characters: they need no word boundary after them
_alts = "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in _surfaces)
#: unit at the start of the string (after optional spaces); group "unit"
UNIT_RE = re.compile(rf"\s*(?P<unit>{_alts})(?![\w])")
_SPACES_RE = re.compile(r"\s*")
_by_first: dict[str, list[str]] = {}
for _surface in _surfaces:
    _by_first.setdefault(_surface[0], []).append(_surface)
#: the same alternation split by first character: one short regex tried per position, not ~400 branches
_UNIT_RES = {
    first: re.compile("(?:" + "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in surfaces) + r")(?![\w])")
    for first, surfaces in _by_first.items()
}


def match_unit(low: str, pos: int) -> tuple[str, int, int] | None:
    """(surface, start, end) of the unit word at ``pos`` (after optional spaces) in lower-case text."""
    start = _SPACES_RE.match(low, pos).end()
    regex = _UNIT_RES.get(low[start : start + 1])
    if regex is None:
        return None
    match = regex.match(low, start)
    return (match.group(), start, match.end()) if match else None


_FAMILY_BY_CANONICAL = {canonical: family for canonical, family, _c in UNITS.values()}


def unit_family(unit: str | None) -> str | None:
    """Family of a normal unit ("lượt người" -> "person"); unknown units are their own family."""
    if unit is None:
        return None
    if unit in _FAMILY_BY_CANONICAL:
        return _FAMILY_BY_CANONICAL[unit]
    entry = UNITS.get(unit.lower())
    return entry[1] if entry else unit.lower()


@lru_cache(maxsize=4096)
def units_compatible(figure_unit: str | None, indicator_unit: str | None) -> bool:
    """Whether a figure stated in ``figure_unit`` can be a value of an indicator in ``indicator_unit``."""
    if not figure_unit or not indicator_unit:
        return False
    if figure_unit == indicator_unit:
        return True
    fig_family, ind_family = unit_family(figure_unit), unit_family(indicator_unit)
    if fig_family in (MONEY, WEIGHT, LENGTH, PERCENT, RATE) or ind_family in (MONEY, WEIGHT, LENGTH, PERCENT, RATE):
        # values in different currencies or measures are not interchangeable
        if fig_family == RATE and ind_family == RATE:
            return figure_unit.split("/")[-1] == indicator_unit.split("/")[-1] and (
                unit_family(figure_unit.split("/")[0]) == unit_family(indicator_unit.split("/")[0])
            )
        return False
    if THING in (fig_family, ind_family):
        return False  # "bao", "bánh", "viên"... are only comparable with themselves
    if fig_family == ind_family:
        # places are only comparable with themselves: a count of districts is no count of communes
        return fig_family != PLACE or figure_unit == indicator_unit
    if fig_family == TURN:
        return ind_family in (PERSON, VEHICLE, EVENT, TURN)
    if ind_family == TURN:
        return fig_family in (EVENT, VEHICLE)
    return False
