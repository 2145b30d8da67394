"""The unit words of people, vehicles and rates, events and turns, documents and material, and the unit
families; ``units`` adds places, money and exact nouns, then builds the matcher. Each ``_add`` entry:
surface form (lower case) -> (normal unit, family, countable); the order of the calls is kept (a later
surface replaces an earlier one).
"""

from __future__ import annotations

# family names
PERSON, HOUSEHOLD, COLLECTIVE, VEHICLE, RATE, EVENT, TURN, CASE = (
    "person",
    "household",
    "collective",
    "vehicle",
    "rate",
    "event",
    "turn",
    "case",
)
DOCUMENT, DOCSET, LEAFLET, PLACE, LENGTH, MARKER, MONEY, PERCENT, WEIGHT, THING = (
    "document",
    "docset",
    "leaflet",
    "place",
    "length",
    "marker",
    "money",
    "percent",
    "weight",
    "thing",
)
PROJECT, LETTER, TIME = "project", "letter", "time"

_P = (PERSON, True)
_UNITS: dict[str, tuple[str, str, bool]] = {}


def _add(canonical: str, family: str, countable: bool, *surfaces: str) -> None:
    for surface in surfaces or (canonical,):
        _UNITS[surface] = (canonical, family, countable)
    _UNITS.setdefault(canonical.lower(), (canonical, family, countable))


# people
_add(
    "lượt người",
    PERSON,
    True,
    "lượt người",
    "lượt công dân",
    "lượt người dân",
    "lượt cán bộ",
    "lượt cán bộ, chiến sĩ",
    "lượt đoàn viên",
    "lượt hội viên",
    "lượt học sinh",
    "lượt đại biểu",
    "lượt khách",
    "lượt hành khách",
    "lượt du khách",
    "lượt thương nhân",
    "lượt lao động",
    "lượt dân quân",
    "lượt quần chúng",
    "lượt nhân dân",
    "lượt chiến sĩ",
    "lượt cán bộ chiến sĩ",
    "lượt người xuất cảnh",
    "lượt người nhập cảnh",
    "lượt thuyền viên",
    "lượt ngư dân",
    "lượt lái xe",
    "lượt công nhân",
    "lượt người nước ngoài",
    "lượt thanh niên",
    "lượt phụ nữ",
)
_add(
    "người",
    PERSON,
    True,
    "người",
    "người dân",
    "người lao động",
    "nhân dân",
    "quần chúng",
    "nạn nhân",
    "ngư dân",
    "thuyền viên",
    "chủ tàu",
    "chủ phương tiện",
    "thuyền trưởng",
    "lái xe",
    "tài xế",
    "người di cư",
    "người nước ngoài",
    "công nhân",
    "nông dân",
    "người xuất cảnh",
    "người nhập cảnh",
    "cư dân",
    "cư dân biên giới",
    "đồng bào",
    "phóng viên",
    "nhà báo",
    "người dân tộc thiểu số",
)
_add("lán", THING, True, "lán", "lán trại", "chòi", "lều", "túp lều")
_add("cá nhân", PERSON, True)
_add("đối tượng", PERSON, True)
_add(
    "cán bộ",
    PERSON,
    True,
    "cán bộ",
    "cán bộ, chiến sĩ",
    "cán bộ chiến sĩ",
    "cán bộ, công chức",
    "công chức",
    "viên chức",
    "sĩ quan",
    "quân nhân",
    "dân quân",
    "hội viên",
    "đoàn viên",
    "chiến sĩ",
)
_add("đảng viên", PERSON, True)
_add(
    "học sinh",
    PERSON,
    True,
    "học sinh",
    "em học sinh",
    "cháu",
    "em",
    "sinh viên",
    "trẻ em",
    "giáo viên",
    "học viên",
    "cháu học sinh",
)
_add("công dân", PERSON, True)
_add("lao động", PERSON, True)
_add("đại biểu", PERSON, True)
_add("bệnh nhân", PERSON, True, "bệnh nhân", "người bệnh", "ca bệnh", "ca")
_add(
    "phụ nữ",
    PERSON,
    True,
    "phụ nữ",
    "thanh niên",
    "người cao tuổi",
    "già làng",
    "người có uy tín",
    "tình nguyện viên",
    "y, bác sĩ",
    "bác sĩ",
    "thương nhân",
    "du khách",
    "hành khách",
    "khách",
)
_add("nhân khẩu", PERSON, True, "nhân khẩu", "khẩu")
_add("hộ", HOUSEHOLD, True, "hộ", "hộ gia đình", "hộ dân", "hộ nghèo", "hộ cận nghèo", "gia đình", "hộ đồng bào")
_add("tập thể", COLLECTIVE, True)
_add(
    "đơn vị",
    COLLECTIVE,
    True,
    "đơn vị",
    "cơ quan",
    "cơ quan, đơn vị",
    "tổ chức",
    "sở, ngành",
    "sở",
    "ban, ngành",
    "ngành",
)
_add("doanh nghiệp", COLLECTIVE, True, "doanh nghiệp", "hợp tác xã", "công ty", "cơ sở")
_add("chi bộ", COLLECTIVE, True, "chi bộ", "chi bộ đảng", "tổ chức cơ sở đảng")
_add("đảng bộ", COLLECTIVE, True, "đảng bộ", "đảng bộ xã", "đảng bộ cơ sở")
# vehicles and rates
for _base in (
    "lượt xe",
    "xe",
    "lượt phương tiện",
    "phương tiện",
    "lượt container",
    "container",
    "xe container",
    "xe hàng",
    "lượt xe hàng",
    "toa",
    "toa tàu",
    "chuyến tàu",
    "lượt tàu",
    "chuyến",
    "tấn",
    "lượt người",
    "người",
):
    for _period, _suffix in (("ngày", "ngày"), ("ngày đêm", "ngày"), ("tháng", "tháng")):
        _canon = {
            "lượt phương tiện": "lượt xe",
            "phương tiện": "xe",
            "xe container": "container",
            "lượt container": "container",
            "toa tàu": "toa",
            "xe hàng": "xe",
            "lượt xe hàng": "lượt xe",
            "chuyến tàu": "chuyến",
            "lượt tàu": "chuyến",
        }.get(_base, _base)
        for _sep in ("/", " / ", "/ ", " /", " mỗi ", " một "):
            _UNITS[f"{_base}{_sep}{_period}"] = (f"{_canon}/{_suffix}", RATE, _base != "tấn")
_add(
    "lượt xe",
    VEHICLE,
    True,
    "lượt xe",
    "lượt phương tiện",
    "lượt xe hàng",
    "lượt xe ô tô",
    "lượt xe hàng hóa",
    "lượt xe hàng hoá",
    "lượt ô tô",
    "lượt xe tải",
    "lượt xe khách",
    "lượt xe container",
    "lượt tàu cá",
    "lượt tàu thuyền cá",
    "lượt phương tiện thủy",
    "lượt phương tiện thuỷ",
    "lượt xe máy",
    "lượt mô tô",
    "lượt tàu, thuyền",
    "lượt tàu thuyền",
    "lượt tàu",
)
_add("phương tiện", VEHICLE, True, "phương tiện", "phương tiện các loại", "phương tiện giao thông")
_add(
    "xe",
    VEHICLE,
    True,
    "xe",
    "xe ô tô",
    "ô tô",
    "xe tải",
    "xe hàng",
    "xe hàng hóa",
    "xe hàng hoá",
    "xe khách",
    "chiếc xe",
    "xe máy",
    "mô tô",
    "xe mô tô",
    "chiếc xe máy",
    "xe đạp",
    "xe công nông",
    "xe ba gác",
    "xe cứu thương",
    "chiếc",
)
_add(
    "tàu",
    VEHICLE,
    True,
    "tàu",
    "tàu, thuyền",
    "tàu thuyền",
    "thuyền",
    "ghe",
    "xuồng",
    "tàu cá",
    "ghe máy",
    "tàu hàng",
    "sà lan",
    "xuồng máy",
    "chiếc tàu",
    "phương tiện thủy",
    "phương tiện thuỷ",
)
_add("container", VEHICLE, True, "container", "xe container", "công-ten-nơ", "công ten nơ", "cont")
_add("toa", VEHICLE, True, "toa", "toa tàu", "toa hàng", "toa xe")
_add("chuyến", VEHICLE, True, "chuyến", "chuyến tàu", "chuyến hàng", "chuyến bay")
# events and turns
_add("lượt", TURN, True, "lượt")
_add("lần", EVENT, True, "lần")
_add("buổi", EVENT, True, "buổi", "buổi tuyên truyền", "buổi làm việc")
_add(
    "cuộc",
    EVENT,
    True,
    "cuộc",
    "cuộc họp",
    "cuộc hội đàm",
    "cuộc gặp",
    "cuộc gặp gỡ",
    "cuộc tuần tra",
    "cuộc kiểm tra",
    "cuộc thi",
    "phiên",
    "hội nghị",
    "cuộc hội nghị",
    "hội thảo",
    "cuộc giao ban",
)
_add("đợt", EVENT, True, "đợt")
_add("lớp", EVENT, True, "lớp", "lớp tập huấn", "lớp học")
_add(
    "tổ",
    EVENT,
    True,
    "tổ",
    "tổ công tác",
    "tổ tuần tra",
    "tổ tự quản",
    "tổ an ninh",
    "nhóm",
    "đội",
    "tổ, đội",
    "đội xung kích",
    "tổ chốt",
)
_add("đoàn", EVENT, True, "đoàn", "đoàn công tác", "đoàn khách")
_add(
    "hoạt động",
    EVENT,
    True,
    "hoạt động",
    "chương trình",
    "mô hình",
    "phong trào",
    "câu lạc bộ",
    "cuộc vận động",
    "giải",
    "sự kiện",
    "lễ",
)
_add(
    "tin",
    EVENT,
    True,
    "tin",
    "tin bài",
    "tin, bài",
    "bài",
    "bài viết",
    "phóng sự",
    "chuyên mục",
    "bản tin",
    "bài báo",
    "chương trình phát thanh",
    "số báo",
    "tin, bài, ảnh",
)
_add("ngày công", EVENT, False, "ngày công")
_add("vụ", CASE, True, "vụ", "vụ việc", "vụ án", "trường hợp", "vụ vi phạm")
# documents and material
_add("văn kiện", DOCUMENT, True, "văn kiện")
_add(
    "văn bản",
    DOCUMENT,
    True,
    "văn bản",
    "hiệp định",
    "thỏa thuận",
    "thoả thuận",
    "biên bản",
    "quy chế",
    "nghị quyết",
    "quyết định",
    "kế hoạch",
    "bản ghi nhớ",
    "hồ sơ",
    "đơn",
    "đơn thư",
    "báo cáo",
    "công văn",
    "đề án",
    "chỉ tiêu",
    "nhiệm vụ",
    "nội dung",
    "kiến nghị",
    "ý kiến",
    "hợp đồng",
)
_add("dự án", PROJECT, True, "dự án", "công trình, dự án")
_add("thư", LETTER, True, "thư", "lá thư", "bức thư", "thư chúc tết", "thư thăm hỏi", "thư khen", "thư cảm ơn")
_add("tờ khai", DOCUMENT, True, "tờ khai", "bộ tờ khai")
_add("giấy thông hành", DOCUMENT, True, "giấy thông hành", "giấy thông hành xuất nhập cảnh")
_add("hộ chiếu", DOCUMENT, True, "hộ chiếu", "thị thực", "giấy phép", "giấy chứng nhận", "giấy phép lao động")
_add("bộ", DOCSET, True, "bộ", "bộ tài liệu", "bộ sách", "tài liệu", "bản", "đĩa", "đĩa dvd", "đề cương")
_add(
    "cuốn",
    DOCSET,
    True,
    "cuốn",
    "quyển",
    "cuốn sách",
    "quyển sách",
    "đầu sách",
    "sổ tay",
    "cuốn sổ tay",
    "quyển sổ tay",
    "cuốn tài liệu",
    "quyển tài liệu",
)
_add("tờ", LEAFLET, True, "tờ", "tờ rơi", "tờ gấp", "tờ tin", "tranh", "áp phích")
_add(
    "cái",
    THING,
    True,
    "cái",
    "pa nô",
    "pano",
    "panô",
    "băng rôn",
    "khẩu hiệu",
    "biển báo",
    "biển",
    "biển tuyên truyền",
    "loa",
    "cụm loa",
)
_add("lá cờ", THING, True, "lá cờ", "cờ tổ quốc", "lá cờ tổ quốc", "cờ")
_add(
    "điện thoại",
    THING,
    True,
    "điện thoại",
    "điện thoại di động",
    "chiếc điện thoại",
    "điện thoại vệ tinh",
    "máy điện thoại",
    "điện thoại thông minh",
)
_add(
    "giờ",
    TIME,
    False,
    "giờ tuần tra",
    "giờ trực",
    "giờ canh gác",
    "giờ công",
    "giờ làm việc",
    "giờ huấn luyện",
    "giờ bay",
)
del _UNITS["giờ"]  # hours count only as hours of patrol or duty: "trong 72 giờ", "8 giờ sáng" are times
