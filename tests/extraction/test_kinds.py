"""The kinds of figures issue 15 found missed or misread, one group of tests per kind."""

from decimal import Decimal

import pytest

from borderdesk.extraction import extract_figures


def _found(text):
    return [(str(f.value) if f.value is not None else None, f.unit) for f in extract_figures(text)]


def _one(text):
    figures = extract_figures(text)
    assert len(figures) == 1, [f.quote for f in figures]
    return figures[0]


# ---------------------------------------------------------------- numbers glued to their unit
@pytest.mark.parametrize(
    ("text", "value", "unit", "quote"),
    [
        ("Đường biên giới dài 332km.", "332", "km", "332km"),
        ("Trồng mới 1.000ha rừng phòng hộ.", "1000", "ha", "1.000ha"),
        ("Thu giữ 0,128kg ma túy đá.", "0.128", "kg", "0,128kg"),
        ("Phát quang 138,3km đường tuần tra.", "138.3", "km", "138,3km"),
        ("Làm 25m kè chống sạt lở.", "25", "m", "25m"),
        ("Tạm giữ 12tấn đường kính.", "12", "tấn", "12tấn"),
        ("Tạm giữ 3tạ thịt lợn.", "3", "tạ", "3tạ"),
        ("Diện tích sàn 2.400m² đã hoàn thành.", "2400", "m2", "2.400m²"),
        ("Nhà rộng 60m2 được bàn giao.", "60", "m2", "60m2"),
        ("Thu giữ 450m³ gỗ xẻ.", "450", "m3", "450m³"),
        ("Trị giá 850USD tiền mặt.", "850", "USD", "850USD"),
        ("Diện tích tự nhiên 8.310km2.", "8310", "km2", "8.310km2"),
        ("Phạt 12.000.000đ và 5.000.000 đ.", "12000000", "đồng", "12.000.000đ"),
    ],
)
def test_glued_units(text, value, unit, quote):
    figure = extract_figures(text)[0]
    assert (str(figure.value), figure.unit, figure.quote) == (value, unit, quote)


@pytest.mark.parametrize("text", ["Mã hồ sơ 12km3A.", "Phiên bản 2m, model 5USDX.", "Xe biển số 29H1-123.45"])
def test_glued_codes_stay_codes(text):
    assert extract_figures(text) == []


# ---------------------------------------------------------------- parts of a whole
def test_part_slash_whole_gives_the_part_and_the_whole_with_the_unit_of_the_whole():
    part, whole = extract_figures("Đã kiểm tra 130/131 mốc thuộc 4 huyện.")[:2]
    assert (part.value, part.unit, whole.value, whole.unit) == (Decimal(130), "mốc", Decimal(131), "mốc")
    assert part.part_of == 1 and whole.part_of is None
    assert _found("Có 1.511/1.512 cọc dấu nguyên trạng.") == [("1511", "mốc"), ("1512", "mốc")]


def test_part_in_words_tren_tong_so():
    figures = extract_figures("Có 16 trên tổng số 102 xã là xã biên giới.")
    assert [(f.value, f.unit) for f in figures] == [(Decimal(16), "xã"), (Decimal(102), "xã")]
    assert figures[0].part_of == 1
    assert figures[0].quote == "16"


@pytest.mark.parametrize(
    "text", ["Có 45 trong tổng số 50 xã đạt chuẩn.", "Có 45/tổng số 50 xã đạt chuẩn.", "Có 45 trên 50 xã đạt chuẩn."]
)
def test_part_of_whole_wordings(text):
    figures = extract_figures(text)
    assert [(f.value, f.unit, f.part_of) for f in figures] == [(Decimal(45), "xã", 1), (Decimal(50), "xã", None)]


def test_a_part_is_not_taken_for_a_qualified_whole():
    # "trên" here is "out of", not the qualifier "more than"
    figure = extract_figures("Có 2.150 trên tổng số 2.310 hộ đăng ký tự quản.")[1]
    assert figure.qualifier is None


# ---------------------------------------------------------------- decimal comma
@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Đường tuần tra dài 12,345 km.", "12.345", "km"),
        ("Thu giữ 0,250 kg ma túy và 1,500 tấn pháo.", "0.25", "kg"),
        ("Giá trị 1,234 tỷ USD.", "1234000000", "USD"),
        ("Diện tích 1.250,750 ha rừng.", "1250.75", "ha"),
        ("Trị giá 1,250 USD.", "1.25", "USD"),
    ],
)
def test_comma_with_three_digits_is_a_decimal(text, value, unit):
    figure = extract_figures(text)[0]
    assert (str(figure.value.normalize()), figure.unit) == (str(Decimal(value).normalize()), unit)


def test_only_a_dot_groups_thousands():
    assert _found("Có 1.700 người tham gia.") == [("1700", "người")]


# ---------------------------------------------------------------- the noun before the number
def test_noun_before_number():
    figures = extract_figures("Kiểm tra đường biên 96 lượt, cột mốc 29 lượt, mốc giới 12 lượt.")
    assert [(f.value, f.unit) for f in figures] == [(Decimal(96), "lượt"), (Decimal(29), "lượt"), (Decimal(12), "lượt")]
    assert [f.indicator for f in figures[1:]] == ["MARKER_INSPECTIONS", "MARKER_INSPECTIONS"]


def test_noun_before_number_is_still_not_a_marker_id():
    assert extract_figures("Kiểm tra cột mốc 29 và mốc 1116.") == []


# ---------------------------------------------------------------- absolute changes
def test_absolute_change_is_its_own_figure_tied_to_the_figure_it_changes():
    figures = extract_figures("Toàn tỉnh có 1.250 doanh nghiệp, tăng 148 doanh nghiệp so với năm 2024.")
    assert [(f.value, f.unit) for f in figures] == [(Decimal(1250), "doanh nghiệp"), (Decimal(148), "doanh nghiệp")]
    base, change = figures
    assert change.change == {"direction": "up", "of": 0}
    assert change.indicator is None
    assert base.comparisons[0]["amount"] == "148" and base.comparisons[0]["direction"] == "up"
    assert change.quote == "tăng 148 doanh nghiệp"


def test_absolute_change_without_reference():
    figures = extract_figures("Có 312 tổ tự quản, tăng 18 tổ.")
    assert [(f.value, f.unit, (f.change or {}).get("direction")) for f in figures] == [
        (Decimal(312), "tổ", None),
        (Decimal(18), "tổ", "up"),
    ]


def test_change_binds_to_the_figure_of_the_same_noun():
    figures = extract_figures("Phát hiện 17 vụ buôn lậu với 23 đối tượng, giảm 5 vụ so với cùng kỳ.")
    cases, subjects, change = figures
    assert change.change == {"direction": "down", "of": 0}
    assert cases.comparisons and cases.comparisons[0]["amount"] == "5"
    assert subjects.comparisons == []


def test_two_changes_bind_to_their_own_figures():
    figures = extract_figures("Bắt 36 vụ với 52 đối tượng, tăng 8 vụ và 11 đối tượng so với năm 2024.")
    assert [(f.value, (f.change or {}).get("of")) for f in figures] == [
        (Decimal(36), None),
        (Decimal(52), None),
        (Decimal(8), 0),
        (Decimal(11), 1),
    ]


def test_percent_change_binds_to_the_figure_of_the_same_noun_is_not_a_figure():
    figures = extract_figures("Có 28 vụ, giảm 12,5% so với cùng kỳ.")
    assert len(figures) == 1 and figures[0].comparisons[0]["percent"] == "12.5"


# ---------------------------------------------------------------- rarer count nouns and exact unit nouns
@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Gửi 120 thư chúc Tết.", "thư"),
        ("Gửi 35 lá thư thăm hỏi.", "thư"),
        ("Có 9 chi bộ trực thuộc.", "chi bộ"),
        ("Có 2.450 cư dân sinh sống.", "người"),
        ("Bàn giao 6 vị trí mốc.", "vị trí mốc"),
        ("Tạm giữ 45 điện thoại di động.", "điện thoại"),
        ("Tạm giữ 7 chiếc điện thoại.", "điện thoại"),
        ("Kiểm tra 1.850 phương tiện giao thông.", "phương tiện"),
        ("Kiểm tra 65 tàu cá.", "tàu"),
        ("Duy trì 12.600 giờ tuần tra.", "giờ"),
        ("Tặng 320 lá cờ Tổ quốc.", "lá cờ"),
        ("Thu giữ 1.250 chai rượu.", "chai"),
        ("Cấp 420 thị thực.", "thị thực"),
        ("Quản lý 14 lối mở, 21 đường mòn.", "lối mở"),
        ("Làm 6 cầu treo dân sinh.", "cầu"),
        ("Gặp mặt 120 người có uy tín.", "người có uy tín"),
        ("Có 1 thị xã biên giới.", "thị xã"),
        ("Có 7 trạm kiểm soát biên phòng.", "trạm"),
        ("Kết nạp 30 đoàn viên.", "đoàn viên"),
        ("Thu giữ 120 khối gỗ.", "m3"),
        ("Tháo dỡ 35 lán trại.", "lán"),
        ("Cấp 740 cuốn sách pháp luật.", "cuốn"),
        ("Tặng 500 quyển sổ tay.", "cuốn"),
        ("Cấp 1.200 bộ tài liệu.", "bộ"),
        ("Kết nạp 14 đảng viên mới.", "đảng viên"),
        ("Có 120 cán bộ tham gia.", "cán bộ"),
        ("Triển khai 6 dự án.", "dự án"),
        ("Ban hành 14 văn bản.", "văn bản"),
        ("Tổ chức 1.462 lượt tuần tra với 8.120 lượt cán bộ, chiến sĩ.", "lượt"),
        ("Tổ chức 256 lượt tổ tuần tra chung.", "lượt"),
    ],
)
def test_count_nouns(text, unit):
    assert extract_figures(text)[0].unit == unit


@pytest.mark.parametrize(
    "text", ["Hội nghị bắt đầu lúc 8 giờ sáng.", "Trong 72 giờ phải báo cáo.", "Gọi 2 cuộc điện thoại."]
)
def test_hours_and_phones_only_as_counts(text):
    assert [f.unit for f in extract_figures(text)] in ([], ["cuộc"])


# ---------------------------------------------------------------- indicators per clause and from the catalogue
def test_indicators_per_clause():
    figures = extract_figures("Tổ chức 24 đợt tuần tra song phương và 36 đợt tuần tra đơn phương.")
    assert [f.indicator for f in figures] == ["PATROLS_BILATERAL", "PATROLS_UNILATERAL"]


def test_persons_exiting():
    figures = extract_figures("Làm thủ tục cho 12.500 lượt người xuất cảnh và 11.000 lượt người nhập cảnh.")
    assert [f.indicator for f in figures] == ["PERSONS_EXIT", "PERSONS_ENTRY"]


def test_catalogue_indicators_for_marker_checks_and_patrol_roads():
    figures = extract_figures("Kiểm tra 20 cột mốc, sửa chữa 45 km đường tuần tra.")
    assert [f.indicator for f in figures] == ["MARKER_INSPECTIONS", "PATROL_ROAD_KM"]


# ---------------------------------------------------------------- precision kept
@pytest.mark.parametrize(
    "text",
    [
        "Thực hiện Quyết định số 12/QĐ-UBND ngày 05/01/2025.",
        "Kiểm tra mốc 1116, mốc 1088/2 và cọc dấu 472(2).",
        "Già làng 78 tuổi, đã 25 năm gắn bó; chiến sĩ trẻ nhất mới 19 tuổi.",
        "Trang 2/4 | Cập nhật: 14:35 12/06/2025 | Lượt xem: 2.345 | Bình luận (0). Ảnh: 3/5.",
        "Đây là lần thứ 12; đơn vị thứ 2 của tỉnh; Đại hội lần thứ XVI nhiệm kỳ 2025 - 2030.",
        "Các mốc 92, 93(1), 94 và 102/2 được kiểm tra; mốc số 118 bị xói lở.",
        "Mốc 1369 nằm ở km 15 quốc lộ 18.",
        "Xem thêm: 5 điểm nhấn của Đồn Biên phòng; 10 sự kiện tiêu biểu.",
        "Tin liên quan: Bàn giao 20 nhà đại đoàn kết cho hộ nghèo",
    ],
)
def test_never_figures(text):
    assert extract_figures(text) == []


# ---------------------------------------------------------------- the development set keeps its targets
def test_development_sets_meet_the_targets():
    import json
    from pathlib import Path

    found = paired = expected = unit_ok = qualifier_ok = 0
    for path in sorted((Path(__file__).parent / "devset").glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            figures = extract_figures(item["text"])
            found += len(figures)
            expected += len(item["figures"])
            pool = [(str(f.value) if f.value is not None else None, f) for f in figures]
            for gold in item["figures"]:
                if gold.get("range"):
                    wanted = tuple(Decimal(v) for v in gold["range"])
                    match = next((p for p in pool if p[1].range is not None and tuple(p[1].range) == wanted), None)
                else:
                    match = next(
                        (p for p in pool if p[0] is not None and Decimal(p[0]) == Decimal(gold["value"])), None
                    )
                if match is None:
                    continue
                pool.remove(match)
                paired += 1
                unit_ok += match[1].unit == gold["unit"]
                qualifier_ok += match[1].qualifier == gold["qualifier"]
    assert paired / expected >= 0.97 and paired / found >= 0.98
    assert unit_ok / paired >= 0.97 and qualifier_ok / paired >= 0.97


def test_provided_items_are_counted_cung_cap_is_no_level():
    # "cung cấp" (to provide) is a verb, not "cấp 2" (a level): the count after it is a figure
    [figure] = extract_figures("Hai bên trao đổi, cung cấp 47 tin liên quan đến tội phạm xuyên biên giới.")
    assert (figure.value, figure.unit) == (Decimal(47), "tin")
    assert extract_figures("Trường Tiểu học cấp 2 xã Mường Nhé có giáo viên mới.") == []


def test_criminal_rings_are_no_roads():
    found = [
        (f.value, f.unit)
        for f in extract_figures("Ban Chuyên án triệt phá 2 đường dây mua bán người và mở 12 km đường tuần tra mới.")
    ]
    assert found == [(Decimal(2), "đường dây"), (Decimal(12), "km")]
