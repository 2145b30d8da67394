"""Built-in vocabulary that supplements the catalogue's keywords for the standard indicator codes.

The catalogue (``reporting/data/indicators.csv`` or the ``Indicator`` table) carries a few keywords
per indicator. Reports say the same things in many ways, so for the standard codes the mapper also
knows the synonyms below, written from the language of provincial border-work reporting, not from
one corpus:

- ``more``: further keywords (synonyms, other word orders, other verbs);
- ``never``: negative keywords: when one occurs close to a figure, the indicator is ruled out
  (a total is not chosen when the figure is qualified as a part of it: "ổn định", "hư hỏng"...);
- ``never_before``: negative keywords that count only in the words before the number ("đã sửa chữa
  4 mốc" are repaired markers, "4 mốc hư hỏng, đã báo cáo để sửa chữa" are damaged ones);
- ``never_noun``: negative keywords that count only in the figure's own noun phrase ("98 mốc chính" is a kind
  of marker, not their total; "120 cột mốc, cọc dấu" is the total of both);
- a keyword "A … B" is split by the number: A before it and B after it in the same clause
  ("kiểm tra định kỳ 386 lượt mốc");
- ``needs``: at least one of these must occur somewhere in the figure's sentence, otherwise the
  indicator is ruled out (a self-management count needs "tự quản", "đăng ký", ...).

A catalogue row whose code is not listed here is used as it is. Keywords are matched on
:func:`.text.key_words` keys, so "hoá"/"hóa" agree and "chờ"/"chở", "phạt"/"phát" do not.
"""

from __future__ import annotations

_DRUG_WORDS = (
    "ma túy",
    "chất ma túy",
    "heroin",
    "hêrôin",
    "ma túy đá",
    "ma túy tổng hợp",
    "hồng phiến",
    "thuốc phiện",
    "cần sa",
    "ketamine",
    "thuốc lắc",
    "methamphetamine",
    "tội phạm ma túy",
    "tàng trữ trái phép",
    "mua bán trái phép chất ma túy",
    "vận chuyển trái phép chất ma túy",
)
_SMUGGLING_WORDS = (
    "buôn lậu",
    "buôn bán",
    "vận chuyển hàng hóa trái phép",
    "hàng hóa trái phép",
    "hàng hóa nhập lậu",
    "hàng nhập lậu",
    "nhập lậu",
    "hàng lậu",
    "không rõ nguồn gốc",
    "không rõ nguồn gốc xuất xứ",
    "hàng giả",
    "hàng cấm",
    "gian lận thương mại",
    "thuốc lá ngoại",
    "thuốc lá điếu nhập lậu",
    "pháo nổ",
    "vận chuyển trái phép hàng hóa",
)
_CROSSING_WORDS = (
    "xuất cảnh trái phép",
    "nhập cảnh trái phép",
    "xuất nhập cảnh trái phép",
    "xuất cảnh nhập cảnh trái phép",
    "vượt biên",
    "vượt biên trái phép",
    "qua biên giới trái phép",
    "qua lại biên giới trái phép",
    "xuất cảnh, nhập cảnh trái phép",
    "xuất cảnh, nhập cảnh",
    "trốn sang",
    "không có giấy tờ",
    "không có giấy tờ hợp lệ",
    "vượt biên giới",
)
_NOT_DRUG = tuple(
    "-" + w
    for w in (
        "heroin",
        "hêrôin",
        "thuốc phiện",
        "hồng phiến",
        "ma túy tổng hợp",
        "chất ma túy",
        "ma túy đá",
        "cần sa",
        "mua bán người",
    )
)
_PATROL_NEEDS = ("tuần tra", "truy quét", "tuần tra, kiểm soát", "kiểm soát biên giới")
#: awards of another level than the provincial chairman's certificate of merit
_NOT_PROVINCE_AWARD = (
    "-thủ tướng",
    "-thủ tướng chính phủ",
    "-chủ tịch nước",
    "-huân chương",
    "-bộ trưởng",
    "-bộ quốc phòng",
    "-bộ công an",
    "-bộ tư lệnh",
)
_SELF_MGMT_NEEDS = ("tự quản", "đăng ký", "nhận quản lý", "tham gia quản lý", "phối hợp quản lý")
_CLEARING_WORDS = (
    "phát quang",
    "phát dọn",
    "dọn thực bì",
    "phát dọn thực bì",
    "vệ sinh đường tuần tra",
    "khơi thông",
    "tu sửa đường tuần tra",
    "sửa chữa đường tuần tra",
    "tu sửa đường",
    "thông tầm nhìn",
    "phát quang đường biên",
    "vệ sinh đường biên",
    "vệ sinh mốc",
)

SUPPLEMENT: dict[str, dict[str, tuple[str, ...]]] = {
    "BORDER_LENGTH_KM": {
        "more": ("tuyến biên giới dài", "đường biên giới dài", "tiếp giáp", "giáp", "kéo dài", "chiều dài"),
        "never": (
            "-tự quản",
            "-nhận quản lý",
            "-đường tuần tra",
            "-đường ra mốc",
            "-đường lên mốc",
            "-đường kiểm tra",
            "-phát dọn",
        ),
    },
    "BORDER_COMMUNES": {"more": ("xã, phường biên giới", "xã, thị trấn biên giới", "xã biên giới")},
    "BORDER_STATIONS": {"more": ("đồn biên phòng", "đồn, trạm", "đồn, trạm biên phòng")},
    "MARKERS_TOTAL": {
        "more": ("quản lý", "tổng số cột mốc", "cột mốc quốc giới"),
        # the kinds the total counts (main markers, sub-markers, cọc dấu): a count of one kind is not the total
        "never_noun": ("mốc chính", "mốc phụ", "cọc dấu"),
        "never": (
            "-ổn định",
            "-vững chắc",
            "-còn nguyên",
            "-nguyên vẹn",
            "-nghiêng",
            "-sạt lở",
            "-vùi lấp",
            "-kiểm tra",
            "-tu bổ",
            "-khôi phục",
            "-tu sửa",
            "-sơn lại",
            "-phục hồi",
            "-bị mất",
            "-hư hại",
            "-khắc phục",
            "-gia cố",
        ),
    },
    "MARKERS_INTACT": {
        "more": (
            "ổn định",
            "cơ bản ổn định",
            "vững chắc",
            "nguyên vẹn",
            "bình thường",
            "không bị xê dịch",
            "được bảo vệ an toàn",
        )
    },
    "MARKERS_DAMAGED": {
        "never_before": ("sửa chữa", "sửa", "sơn lại", "sơn sửa", "phục dựng", "xây dựng lại"),
        "more": (
            "nghiêng",
            "bị nghiêng",
            "sạt lở",
            "vùi lấp",
            "bị vùi lấp",
            "bị mất",
            "bong tróc",
            "hư hại",
            "xuống cấp",
            "bị gãy",
            "bị đổ",
            "bị lấp",
        ),
    },
    "MARKERS_REPAIRED": {
        "more": (
            "sơn lại",
            "sơn sửa",
            "phục dựng",
            "xây dựng lại",
            "thay thế",
            "làm lại",
            "tu bổ",
            "sửa chữa, khôi phục",
            "khắc phục",
            "khắc phục xong",
            "gia cố",
        )
    },
    "MARKER_INSPECTIONS": {
        "more": (
            "kiểm tra … mốc",
            "kiểm tra … cột mốc",
            "kiểm tra cột mốc",
            "kiểm tra mốc",
            "kiểm tra, bảo vệ cột mốc",
            "kiểm tra đường biên, cột mốc",
            "kiểm tra hệ thống mốc",
            "cột mốc",
            "mốc giới",
            "lượt mốc",
        ),
        # "kiểm tra 20 cột mốc": twenty marker checks, but not "20 cột mốc nguyên trạng"
        "also_units": ("mốc", "vị trí mốc"),
        # a count of markers is an inspection only where the sentence speaks of checking them ("Tỉnh quản lý 315
        # cột mốc chính" counts markers, not checks)
        "needs": ("kiểm tra", "tuần tra", "khảo sát", "phát quang", "bảo vệ"),
        "never": (
            "-nguyên trạng",
            "-ổn định",
            "-còn nguyên",
            "-nguyên vẹn",
            "-hư hỏng",
            "-nghiêng",
            "-sạt lở",
            "-xê dịch",
            "-tự quản",
            "-sửa chữa",
        ),
    },
    "PATROL_ROAD_CLEARINGS": {"more": _CLEARING_WORDS},
    "PATROL_ROAD_CLEARING_PARTICIPANTS": {"more": _CLEARING_WORDS},
    "PATROLS_UNILATERAL": {
        "needs": _PATROL_NEEDS,
        "more": ("tuần tra độc lập", "độc lập", "đơn phương"),
        "never": ("-song phương", "-tuần tra chung", "-liên hợp"),
    },
    "PATROLS_JOINT": {"needs": _PATROL_NEEDS},
    "PATROLS_BILATERAL": {
        "needs": _PATROL_NEEDS,
        "never": ("-đơn phương", "-độc lập"),
        "more": (
            "tuần tra chung",
            "tuần tra liên hợp",
            "tuần tra song phương",
            "với lực lượng bảo vệ biên giới",
            "với nước bạn",
            "với phía bạn",
            "với lực lượng chức năng nước bạn",
            "với bộ đội biên phòng nước bạn",
        ),
    },
    "PATROLS_TOTAL": {
        "needs": _PATROL_NEEDS,
        # "tổ chức tuần tra, kiểm soát 386 lần": the clause ends at the comma, so "kiểm soát" alone (the
        # sentence must still speak of patrols: needs)
        "more": ("đợt tuần tra", "tổ tuần tra", "lượt tuần tra", "tuần tra, kiểm soát", "truy quét", "kiểm soát"),
    },
    "PATROL_PARTICIPANTS": {"needs": _PATROL_NEEDS, "more": ("tham gia tuần tra", "tuần tra, kiểm soát")},
    "INCIDENTS_TOTAL": {"more": ("vi phạm quy chế quản lý biên giới", "liên quan đến biên giới", "vụ việc phức tạp")},
    "INCIDENTS_RESOLVED": {
        "more": (
            "giải quyết ổn thỏa",
            "giải quyết dứt điểm",
            "đã giải quyết",
            "xử lý xong",
            "giải quyết xong",
            "giải quyết kịp thời",
        ),
        # "còn 2 vụ đang tiếp tục phối hợp xử lý": the ones not settled yet
        "never": ("-đang tiếp tục", "-chưa giải quyết", "-đang giải quyết", "-đang xử lý", "-chưa xử lý"),
        "never_before": ("còn", "còn lại"),
    },
    "ILLEGAL_CROSSING_CASES": {"more": _CROSSING_WORDS, "never": _NOT_DRUG},
    "ILLEGAL_CROSSING_PERSONS": {"more": _CROSSING_WORDS, "never": _NOT_DRUG},
    "PERSONS_RETURNED": {
        "more": (
            "trao trả",
            "tiếp nhận",
            "nhận bàn giao",
            "trục xuất",
            "bị trục xuất",
            "phía bạn trao trả",
            "hồi hương",
        )
    },
    "SMUGGLING_CASES": {"more": _SMUGGLING_WORDS, "never": _NOT_DRUG},
    "SMUGGLING_SUBJECTS": {"more": _SMUGGLING_WORDS, "never": _NOT_DRUG},
    "SMUGGLED_GOODS_VALUE_VND": {
        "more": (
            "tổng trị giá",
            "trị giá hàng hóa",
            "hàng hóa vi phạm",
            "tang vật",
            "ước tính trị giá",
            "tạm giữ",
            "thu giữ",
            "hàng lậu",
            "buôn lậu",
            "vi phạm",
        )
    },
    "DRUG_CASES": {"more": _DRUG_WORDS},
    "DRUG_SUBJECTS": {"more": _DRUG_WORDS},
    "DRUG_HEROIN_CAKES": {"more": ("bánh heroin", "heroin", "hêrôin")},
    "DRUG_PILLS": {"more": ("hồng phiến", "ma túy tổng hợp", "thuốc lắc", "viên ma túy")},
    "DRUGS_SEIZED_KG": {
        "more": _DRUG_WORDS,
        "never": ("-đường cát", "-thuốc lá", "-xăng", "-pháo", "-gạo", "-hàng hóa"),
    },
    "HUMAN_TRAFFICKING_CASES": {
        "more": (
            "mua bán người",
            "buôn bán người",
            "mua bán phụ nữ",
            "mua bán trẻ em",
            "lừa bán",
            "mua bán người qua biên giới",
        )
    },
    "ADMIN_FINES_VND": {
        "needs": ("phạt", "xử phạt", "vi phạm", "xử lý"),
        "more": ("phạt tiền", "tiền phạt", "xử phạt", "phạt hành chính", "thu nộp ngân sách", "nộp ngân sách"),
    },
    "ADMIN_VIOLATION_CASES": {
        "more": ("xử lý vi phạm", "phạt tiền", "vi phạm", "xử lý hành chính", "xử phạt hành chính", "lập biên bản")
    },
    "SELF_MGMT_COLLECTIVES": {
        "more": ("nhận tự quản", "tham gia tự quản", "tổ tự quản đường biên", "tổ tự quản cột mốc"),
        "needs": _SELF_MGMT_NEEDS,
        "also_units": ("tổ",),  # "512 tổ tự quản đường biên, cột mốc": a group is a collective
        "never": ("-tổ an ninh", "-an ninh xung kích", "-an ninh trật tự", "-tổ tự quản an ninh"),
    },
    "SELF_MGMT_HOUSEHOLDS": {"more": ("nhận tự quản", "tham gia tự quản"), "needs": _SELF_MGMT_NEEDS},
    "SELF_MGMT_INDIVIDUALS": {"more": ("nhận tự quản", "tham gia tự quản"), "needs": _SELF_MGMT_NEEDS},
    "SELF_MGMT_KM": {"more": ("nhận tự quản", "tham gia tự quản"), "needs": _SELF_MGMT_NEEDS},
    "SELF_MGMT_MARKERS": {"more": ("nhận tự quản", "tham gia tự quản"), "needs": _SELF_MGMT_NEEDS},
    "SECURITY_SELF_MGMT_GROUPS": {
        "more": ("tổ tự quản", "tự quản an ninh trật tự", "tổ an ninh", "tổ tự quản an ninh", "an ninh trật tự"),
        # "tổ tự quản đường biên, cột mốc" manage a stretch of the border (SELF_MGMT_COLLECTIVES)
        "never": ("-tự quản đường biên", "-tự quản cột mốc", "-tự quản mốc"),
    },
    "HOUSEHOLDS_TOTAL": {
        "more": (
            "khu vực biên giới có",
            "địa bàn có",
            "toàn xã có",
            "toàn huyện có",
            "toàn tỉnh có",
            "sinh sống",
            "cư trú",
            "hộ dân sinh sống",
            "hộ với",
            "đồng bào dân tộc",
        )
    },
    "POPULATION": {"more": ("nhân khẩu", "dân số", "sinh sống")},
    "PROPAGANDA_SESSIONS": {
        "more": (
            "buổi tuyên truyền",
            "tuyên truyền, phổ biến",
            "phổ biến pháp luật",
            "tuyên truyền, vận động",
            "buổi chiếu phim",
            "tuyên truyền lưu động",
        )
    },
    "PROPAGANDA_LISTENERS": {"more": ("tuyên truyền, phổ biến", "phổ biến pháp luật", "tuyên truyền, vận động")},
    "PROPAGANDA_SMALL_GROUP_LISTENERS": {
        "more": ("nhỏ lẻ", "tại gia đình", "tại nhà", "đến từng hộ", "từng hộ gia đình", "gặp gỡ")
    },
    "LEAFLETS_DISTRIBUTED": {"more": ("tờ rơi", "tờ gấp", "phát", "cấp phát", "phát hành", "tờ tin")},
    "LEGAL_DOCUMENT_SETS": {
        "more": (
            "tài liệu",
            "cuốn tài liệu",
            "bộ tài liệu",
            "sách pháp luật",
            "cấp",
            "cấp phát",
            "đề cương",
            "sổ tay",
            "song ngữ",
        )
    },
    "PROPAGANDA_ARTICLES": {"more": ("tin, bài", "tin bài", "phóng sự", "đăng", "phát sóng", "đăng tải", "phản ánh")},
    "PROPAGANDA_POSTERS": {
        "more": ("pa nô", "pano", "panô", "khẩu hiệu", "băng rôn", "áp phích", "biển tuyên truyền", "cụm pa nô")
    },
    "HOUSEHOLD_COMMITMENTS": {"more": ("ký cam kết", "cam kết", "ký bản cam kết", "vận động ký cam kết")},
    # "lượt người xuất cảnh" says exactly who was counted: it outweighs "qua cửa khẩu" of the total
    "PERSONS_EXIT": {"more": ("lượt người xuất cảnh", "người xuất cảnh", "xuất cảnh cho")},
    "PERSONS_ENTRY": {"more": ("lượt người nhập cảnh", "người nhập cảnh", "nhập cảnh cho")},
    "PERSONS_EXIT_ENTRY": {
        "more": (
            "lượng khách",
            "du khách",
            "khách du lịch",
            "hành khách",
            "xuất cảnh, nhập cảnh",
            "xuất, nhập cảnh",
            "khách xuất nhập cảnh",
            "qua lại",
            "làm thủ tục xuất nhập cảnh",
        )
    },
    "VEHICLES_EXIT_ENTRY": {"more": ("phương tiện các loại", "lượt phương tiện", "phương tiện xuất nhập cảnh")},
    "VEHICLES_PER_DAY_AVG": {"more": ("bình quân", "trung bình", "mỗi ngày", "hằng ngày", "hàng ngày", "một ngày")},
    "VEHICLES_PER_DAY_PEAK": {
        "more": ("ngày cao điểm", "cao điểm", "cao nhất", "có ngày", "đỉnh điểm", "thời điểm cao nhất")
    },
    "CARGO_VEHICLES": {
        "more": (
            "xe tải",
            "chở hàng",
            "xe chở hàng",
            "chở hàng hóa",
            "xe container",
            "hàng xuất khẩu",
            "hàng nhập khẩu",
        )
    },
    "VEHICLES_WAITING": {
        "more": (
            "chờ",
            "nằm chờ",
            "đang chờ",
            "chờ xuất",
            "chờ làm thủ tục",
            "ùn ứ",
            "ùn tắc",
            "tồn đọng",
            "dồn ứ",
            "lưu bãi",
            "tồn",
        )
    },
    "RAIL_CARS_PER_DAY": {"more": ("toa hàng", "toa tàu", "đường sắt", "liên vận", "ga")},
    "GOODS_TONNES": {"more": ("khối lượng hàng hóa", "hàng hóa thông quan", "sản lượng hàng hóa")},
    "TRADE_VALUE_TOTAL_USD": {"more": ("tổng giá trị hàng hóa xuất nhập khẩu", "giá trị xuất nhập khẩu", "kim ngạch")},
    "LOCAL_EXPORT_VALUE_USD": {
        "more": ("doanh nghiệp địa phương", "hàng hóa của doanh nghiệp địa phương", "hàng hóa địa phương")
    },
    "EXPORT_VALUE_USD": {"more": ("hàng xuất khẩu", "giá trị hàng xuất khẩu")},
    "IMPORT_VALUE_USD": {"more": ("hàng nhập khẩu", "giá trị hàng nhập khẩu")},
    "TRADE_VALUE_TOTAL_VND": {
        "more": ("kim ngạch xuất nhập khẩu", "tổng kim ngạch"),
        # "thu ngân sách từ hoạt động xuất nhập khẩu đạt 486 tỷ đồng" is revenue, not the value of the trade
        "never": ("-thu ngân sách", "-thu nộp ngân sách", "-nộp ngân sách", "-thu thuế", "-số thu"),
    },
    "CUSTOMS_REVENUE_VND": {
        "more": (
            "dự toán",
            "thu nộp ngân sách nhà nước",
            "thu ngân sách",
            "thu thuế",
            "hải quan",
            "số thu",
            "thu nộp ngân sách",
        )
    },
    "CUSTOMS_DECLARATIONS": {"more": ("tờ khai", "mở tờ khai", "tờ khai hải quan")},
    "AGREEMENTS_SIGNED": {"more": ("biên bản ghi nhớ", "bản ghi nhớ", "ký", "ký kết", "thỏa thuận", "văn bản")},
    "TALKS_HELD": {"more": ("hội đàm", "hội đàm, gặp gỡ", "gặp gỡ", "gặp mặt", "tiếp xúc")},
    "BRIEFINGS_HELD": {"more": ("giao ban", "giao ban định kỳ", "trao đổi thông tin", "đường dây nóng")},
    "DELEGATIONS_EXCHANGED": {
        "more": ("đoàn công tác", "đón tiếp", "đón", "sang thăm", "thăm và làm việc", "thăm, làm việc", "tiếp đón")
    },
    "TWINNING_PAIRS": {
        "more": ("kết nghĩa", "cặp bản kết nghĩa", "cặp thôn bản", "cặp khu dân cư", "cặp đồn", "cặp xã")
    },
    "COMMENDATION_COLLECTIVES_PROVINCE": {
        "more": ("bằng khen", "ubnd tỉnh", "chủ tịch ủy ban nhân dân tỉnh"),
        "never": _NOT_PROVINCE_AWARD,
    },
    "COMMENDATION_INDIVIDUALS_PROVINCE": {
        "more": ("bằng khen", "ubnd tỉnh", "chủ tịch ủy ban nhân dân tỉnh"),
        "never": _NOT_PROVINCE_AWARD,
    },
    "PROGRAMME_BENEFICIARIES": {
        "more": (
            "nhận đỡ đầu",
            "đỡ đầu",
            "con nuôi",
            "nâng bước em tới trường",
            "học sinh nghèo",
            "được hỗ trợ",
            "nhận nuôi",
        )
    },
    "GIFTS_DISTRIBUTED": {"more": ("suất quà", "phần quà", "trao quà", "tặng quà", "trao", "tặng")},
    "SUPPORT_VALUE_VND": {
        "more": ("tổng trị giá", "trị giá", "hỗ trợ", "ủng hộ", "quà"),
        "never": (
            "-hàng hóa vi phạm",
            "-tang vật",
            "-buôn lậu",
            "-hàng lậu",
            "-thu giữ",
            "-tạm giữ",
            "-xử phạt",
            "-phạt tiền",
        ),
    },
    "HOUSES_BUILT": {
        "more": (
            "căn nhà",
            "mái ấm",
            "nhà ở",
            "xây dựng",
            "xây mới",
            "bàn giao",
            "khánh thành",
            "nhà đại đoàn kết",
            "nhà tình nghĩa",
        )
    },
    "MEETINGS_HELD": {"more": ("hội nghị", "cuộc họp", "họp", "họp chuyên đề", "buổi làm việc")},
    "TRAINING_PARTICIPANTS": {"more": ("tập huấn", "lớp tập huấn", "bồi dưỡng", "đào tạo", "huấn luyện")},
}
