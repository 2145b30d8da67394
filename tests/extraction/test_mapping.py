"""Mapping figures to indicators: keyword keys, compounds, context windows, built-in vocabulary."""

import pytest

from borderdesk.extraction import extract_figures
from borderdesk.extraction.catalogue import prepare_catalogue
from borderdesk.extraction.text import key_words
from borderdesk.extraction.units import units_compatible


def _indicators(text):
    return [(f.quote, f.indicator) for f in extract_figures(text)]


def test_keys_keep_tones_but_not_their_placement():
    assert key_words("Hoá, thuỷ") == key_words("hóa thủy")
    assert key_words("chờ") != key_words("chở") != key_words("cho")
    assert key_words("phạt") != key_words("phát")
    assert key_words("đại") != key_words("dài")
    assert key_words("ngày") != key_words("ngay")


def test_compounds_do_not_match_their_first_word():
    assert " tô3 " not in key_words("tổ chức hội nghị")
    assert " xa4 " not in key_words("xã hội")
    assert " tô3 " in key_words("198 tổ tự quản")
    # a keyword that is itself a compound still matches
    assert key_words("khẩu hiệu").strip() in key_words("dựng 45 pa nô, khẩu hiệu tuyên truyền")


def test_tone_keys_fix_carry_versus_wait():
    # "chở hàng" (carrying goods) used to fold to "cho hang" and hit the negative "chờ" (waiting)
    assert _indicators("Ngành chức năng đã hướng dẫn 1.320 lượt xe tải chở hàng xuất khẩu.") == [
        ("1.320 lượt xe tải", "CARGO_VEHICLES")
    ]
    assert _indicators("Có thời điểm hơn 300 xe container phải nằm chờ tại bãi.") == [
        ("hơn 300 xe container", "VEHICLES_WAITING")
    ]


def test_places_are_only_comparable_with_themselves():
    assert not units_compatible("huyện", "xã")
    assert units_compatible("xã", "xã")
    assert _indicators("Tỉnh có 9 huyện, 41 xã biên giới.") == [
        ("9 huyện", "BORDER_DISTRICTS"),
        ("41 xã", "BORDER_COMMUNES"),
    ]


def test_daily_quantities_fill_per_day_indicators():
    text = "Bình quân mỗi ngày có khoảng 650 xe hàng thông quan, ngày cao điểm lên tới 1.020 xe."
    assert _indicators(text) == [("khoảng 650 xe hàng", "VEHICLES_PER_DAY_AVG"), ("1.020 xe", "VEHICLES_PER_DAY_PEAK")]
    assert _indicators("Làm thủ tục cho 96.340 lượt phương tiện xuất nhập cảnh.")[0][1] == "VEHICLES_EXIT_ENTRY"


def test_keyword_split_by_the_number():
    assert _indicators("Phối hợp với nước bạn kiểm tra 215 lượt cột mốc.") == [("215 lượt", "MARKER_INSPECTIONS")]
    assert _indicators("Lực lượng chức năng kiểm tra định kỳ 386 lượt mốc.") == [("386 lượt", "MARKER_INSPECTIONS")]


def test_repair_words_before_and_after_the_number():
    assert _indicators("Đã sửa chữa xong 4 mốc.") == [("4 mốc", "MARKERS_REPAIRED")]
    assert _indicators("Phát hiện 4 mốc bị hư hỏng nhẹ, đã báo cáo để sửa chữa.") == [("4 mốc", "MARKERS_DAMAGED")]


def test_self_management_needs_its_words():
    assert _indicators("Có 36 tập thể, 2.150 cá nhân nhận tự quản 265,095 km đường biên giới.") == [
        ("36 tập thể", "SELF_MGMT_COLLECTIVES"),
        ("2.150 cá nhân", "SELF_MGMT_INDIVIDUALS"),
        ("265,095 km", "SELF_MGMT_KM"),
    ]
    # markers counted without any self-management word are not self-managed
    (figure,) = extract_figures("Quản lý 24 cột mốc quốc giới.")
    assert figure.indicator == "MARKERS_TOTAL"


def test_border_self_management_groups_are_collectives_security_groups_are_not():
    text = (
        "Huyện có 215 tổ tự quản đường biên, cột mốc với 1.640 hộ tham gia; 38 tổ tự quản an ninh trật tự "
        "thôn, bản và 12 tổ an ninh xung kích."
    )
    assert _indicators(text) == [
        ("215 tổ tự quản", "SELF_MGMT_COLLECTIVES"),
        ("1.640 hộ", "SELF_MGMT_HOUSEHOLDS"),
        ("38 tổ tự quản", "SECURITY_SELF_MGMT_GROUPS"),
        ("12 tổ an ninh", "SECURITY_SELF_MGMT_GROUPS"),
    ]


def test_patrols_counted_after_tuan_tra_kiem_soat_and_revenue_is_not_trade():
    text = (
        "Đồn Biên phòng chủ trì, phối hợp tổ chức tuần tra, kiểm soát 214 lần. Thu ngân sách từ hoạt động "
        "xuất nhập khẩu qua cửa khẩu đạt 93 tỷ đồng; kim ngạch xuất nhập khẩu đạt 1.250 tỷ đồng."
    )
    assert _indicators(text) == [
        ("214 lần", "PATROLS_TOTAL"),
        ("93 tỷ đồng", "CUSTOMS_REVENUE_VND"),
        ("1.250 tỷ đồng", "TRADE_VALUE_TOTAL_VND"),
    ]


def test_pending_incidents_are_not_resolved_and_national_awards_not_provincial():
    text = (
        "Trong kỳ xảy ra 8 vụ việc trên biên giới, đã giải quyết dứt điểm 6 vụ, còn 2 vụ đang tiếp tục xác minh. "
        "Thủ tướng Chính phủ tặng Bằng khen cho 1 tập thể; Chủ tịch UBND tỉnh tặng Bằng khen cho 9 cá nhân."
    )
    assert _indicators(text) == [
        ("8 vụ việc", "INCIDENTS_TOTAL"),
        ("6 vụ", "INCIDENTS_RESOLVED"),
        ("2 vụ", None),
        ("1 tập thể", None),
        ("9 cá nhân", "COMMENDATION_INDIVIDUALS_PROVINCE"),
    ]


def test_patrol_words_are_needed_for_patrols():
    (figure,) = extract_figures("Tổ chức 6 cuộc giao ban với lực lượng bảo vệ biên giới tỉnh Bôlykhămxay.")
    assert figure.indicator == "BRIEFINGS_HELD"
    figures = _indicators("Tuần tra song phương 42 lần, đồng thời tuần tra độc lập 1.156 lần.")
    assert figures == [("42 lần", "PATROLS_BILATERAL"), ("1.156 lần", "PATROLS_UNILATERAL")]


def test_next_figure_noun_tells_drugs_from_smuggling():
    text = "Bắt quả tang 02 đối tượng vận chuyển trái phép 5 bánh heroin từ Campuchia về Việt Nam."
    assert _indicators(text) == [("02 đối tượng", "DRUG_SUBJECTS"), ("5 bánh heroin", "DRUG_HEROIN_CAKES")]


def test_exit_and_entry_joined_by_va():
    text = "Giải quyết thủ tục xuất cảnh cho 98.420 lượt người và nhập cảnh cho 101.350 lượt người."
    assert _indicators(text) == [("98.420 lượt người", "PERSONS_EXIT"), ("101.350 lượt người", "PERSONS_ENTRY")]


def test_goods_value_is_not_support():
    text = (
        "Hàng hóa vi phạm gồm 86.400 gói thuốc lá ngoại, tổng trị giá khoảng 6,3 tỷ đồng. "
        "Trao 2.300 suất quà với tổng trị giá hơn 1,15 tỷ đồng."
    )
    indicators = dict(_indicators(text))
    assert indicators["khoảng 6,3 tỷ đồng"] == "SMUGGLED_GOODS_VALUE_VND"
    assert indicators["hơn 1,15 tỷ đồng"] == "SUPPORT_VALUE_VND"


def test_supplement_only_for_known_codes():
    (mine,) = prepare_catalogue([{"code": "MY_CODE", "unit": "lượt", "keywords": "a;b"}])
    assert mine.keywords == (" a ", " b ") and not mine.needs
    (known,) = prepare_catalogue([{"code": "SELF_MGMT_KM", "unit": "km", "keywords": "tự quản"}])
    assert key_words("nhận tự quản") in known.keywords and known.needs
    (plain,) = prepare_catalogue([{"code": "SELF_MGMT_KM", "unit": "km", "keywords": "tự quản"}], supplemented=False)
    assert plain.keywords == (key_words("tự quản"),)


@pytest.mark.parametrize("code", ["PATROLS_TOTAL", "SELF_MGMT_HOUSEHOLDS", "MARKERS_DAMAGED", "MARKER_INSPECTIONS"])
def test_vocabulary_codes_exist_in_the_catalogue(code):
    from borderdesk.extraction.catalogue import default_catalogue
    from borderdesk.extraction.vocabulary import SUPPLEMENT

    codes = {e.code for e in default_catalogue()}
    assert code in codes
    assert set(SUPPLEMENT) <= codes


def test_kinds_of_markers_are_parts_of_the_total_not_the_total():
    """Main markers, sub-markers and cọc dấu are kinds the total counts: a count of one kind is not the total (the
    catalogue has no indicator per kind), while "120 cột mốc, cọc dấu" is the total of both."""
    assert _indicators(
        "Tuyến biên giới dài 231 km với 112 cột mốc quốc giới, gồm 98 mốc chính, 14 mốc phụ và 8 cọc dấu."
    ) == [
        ("231 km", "BORDER_LENGTH_KM"),
        ("112 cột mốc", "MARKERS_TOTAL"),
        ("98 mốc chính", None),
        ("14 mốc phụ", None),
        ("8 cọc dấu", None),
    ]
    assert _indicators("Tỉnh quản lý 315 cột mốc chính, 1.511 cột mốc phụ và 221 cọc dấu.") == [
        ("315 cột mốc", None),
        ("1.511 cột mốc", None),
        ("221 cọc dấu", None),
    ]
    assert _indicators("Toàn tuyến có 120 cột mốc, cọc dấu đảm bảo an toàn.") == [("120 cột mốc", "MARKERS_TOTAL")]
