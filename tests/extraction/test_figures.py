import json
from decimal import Decimal
from pathlib import Path

import pytest

from borderdesk.extraction import extract_figures
from borderdesk.extraction.text import normalise_text

CORPUS = Path(__file__).parent / "corpus"


def _values(text):
    return [(f.value, f.unit) for f in extract_figures(text)]


@pytest.mark.parametrize("seed", sorted(p.stem for p in CORPUS.glob("seed_*.json")))
def test_seed_corpus_exact(seed):
    text = (CORPUS / f"{seed}.txt").read_text(encoding="utf-8")
    gold = json.loads((CORPUS / f"{seed}.json").read_text(encoding="utf-8"))
    figures = extract_figures(text)
    got = [(None if f.value is None else str(f.value), f.unit) for f in figures]
    assert got == [(g["value"], g["unit"]) for g in gold]
    normal = normalise_text(text)
    for figure, expected in zip(figures, gold, strict=True):
        assert normal[figure.start : figure.end] == figure.quote == expected["quote"]
        assert figure.qualifier == expected["qualifier"]
        assert figure.indicator == expected.get("indicator")


@pytest.mark.parametrize(
    "text",
    [
        "Sáng ngày 24/6, UBND tỉnh tổ chức hội nghị.",
        "Hạn cuối là ngày 30.6 và ngày 31/12/2025.",
        "Trong tháng 6 năm 2023 tình hình ổn định.",
        "Theo Nghị định số 09/2019/NĐ-CP và Chỉ thị số 01/CT-TTg, Nghị quyết 33 của Bộ Chính trị.",
        "Quyết định số 1201/QĐ-TTg ngày 5/9/2019.",
        "Kiểm tra mốc 1088/2 và mốc 1116-1117 trên tuyến.",
        "Kỳ họp lần thứ 18 của Quốc hội khóa XV, quý I tăng trưởng.",
        "Đại diện Đoàn Kinh tế Quốc phòng 338, Đồn Biên phòng 465 và Quân khu 1 tham dự.",
        "IMG_2623_0.JPG",
        "Lượt xem: 1234",
        "Điện thoại: 0205 3812 345; 0239.3855.123.",
        "Hội nghị bắt đầu lúc 14h30.",
        "Kỷ niệm 75 năm ngày thiết lập quan hệ ngoại giao.",
        "Phòng chống dịch Covid-19 và Covid - 19 khu vực biên giới.",
        "Trong 6 tháng đầu năm 2021 và giai đoạn 2021-2025.",
        "biên giới 2 nước Việt Nam - Lào.",
    ],
)
def test_never_figures(text):
    assert extract_figures(text) == []


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("Đạt 6,73 tỷ USD.", "6730000000", "USD", None),
        ("Có 275 nghìn lượt người qua lại.", "275000", "lượt người", None),
        ("Hỗ trợ 3 tỷ 450 triệu đồng.", "3450000000", "đồng", None),
        ("Triển khai 03 văn kiện pháp lý.", "3", "văn kiện", None),
        ("Huy động 1.700 người tham gia.", "1700", "người", None),
        ("Huy động 1,700 người tham gia.", "1.7", "người", None),  # "," is always the decimal mark
        ("Quản lý 274,065 km đường biên giới.", "274.065", "km", None),
        ("Kim ngạch 51.990,563 triệu USD.", "51990563000", "USD", None),
        ("Thu ước đạt trên 750.000 USD.", "750000", "USD", "ước đạt trên"),
        ("Có xấp xỉ 200 hộ.", "200", "hộ", "xấp xỉ"),
        ("Phát gần 22.000 tờ rơi.", "22000", "tờ", "gần"),
        ("Tỷ lệ đạt 98,5 % số hộ.", "98.5", "%", None),
    ],
)
def test_single_figures(text, value, unit, qualifier):
    figures = extract_figures(text)
    assert len(figures) == 1
    assert (str(figures[0].value), figures[0].unit, figures[0].qualifier) == (value, unit, qualifier)


def test_glued_percent_stands_alone_with_comparison():
    (figure,) = extract_figures("Số vụ giảm7,2% so với năm 2023.")
    assert figure.value == Decimal("7.2") and figure.unit == "%"
    assert figure.comparison["direction"] == "down"
    assert figure.comparison["kind"] == "previous_year"


def test_paired_counts():
    assert _values("Bắt giữ 15 vụ/21 đối tượng buôn lậu.") == [(Decimal(15), "vụ"), (Decimal(21), "đối tượng")]
    assert _values("Tuần tra 36/540 lượt.") == [(Decimal(36), "lượt"), (Decimal(540), "lượt")]


def test_ranges():
    (a,) = extract_figures("Bình quân 1.100–1.350 xe/ngày.")
    assert a.value is None and a.range == (Decimal(1100), Decimal(1350)) and a.unit == "xe/ngày"
    (b,) = extract_figures("Tỷ lệ từ 20-30% hộ.")
    assert b.range == (Decimal(20), Decimal(30)) and b.unit == "%"
    assert b.as_dict()["range"] == [20, 30]


def test_vague_amounts():
    (figure,) = extract_figures("cùng hàng chục nghìn phương tiện và hàng hóa.")
    assert figure.vague and figure.value is None and figure.unit == "phương tiện"
    assert figure.as_dict()["value"] is None


def test_comparisons_attach_to_base():
    text = (
        "Kim ngạch hàng địa phương xuất khẩu ước 183 triệu USD, đạt 100% kế hoạch, tăng 8% so với cùng kỳ. "
        "Tổng kim ngạch đạt 3,45 tỷ USD, đạt 130,9% kế hoạch, tăng 62,6%."
    )
    figures = extract_figures(text)
    assert [f.value for f in figures] == [Decimal(183000000), Decimal(3450000000)]
    first, second = figures
    assert [(c["kind"], c["direction"], c["percent"]) for c in first.comparisons] == [
        ("plan", None, "100"),
        ("same_period", "up", "8"),
    ]
    assert [(c["kind"], c["percent"]) for c in second.comparisons] == [("plan", "130.9"), ("same_period", "62.6")]
    assert first.comparison == first.comparisons[0]


def test_absolute_comparison_with_date():
    figure, change = extract_figures("Hiện còn 376 xe hàng tồn chờ xuất khẩu, giảm 124 xe so với ngày 31/8/2024.")
    assert figure.value == 376
    comparison = figure.comparison
    assert comparison["kind"] == "date" and comparison["amount"] == "124" and comparison["direction"] == "down"
    # the absolute change is a figure of its own, tied to the figure it changes (issue 15)
    assert (change.value, change.change, change.indicator) == (124, {"direction": "down", "of": 0}, None)


def test_mapping_and_context():
    text = (
        "Sơn La, ngày 04/8/2023. Từ đầu năm đến nay đã làm thủ tục xuất cảnh cho trên 23.000 lượt người, "
        "nhập cảnh gần 28.000 lượt người."
    )
    exit_, entry = extract_figures(text)
    assert (exit_.indicator, entry.indicator) == ("PERSONS_EXIT", "PERSONS_ENTRY")
    assert 0 < entry.confidence <= 1
    assert exit_.context == {"province": "Sơn La", "date": "2023-08-04", "period": "Từ đầu năm đến nay"}


def test_custom_catalogue():
    catalogue = [{"code": "MY_EXITS", "unit": "lượt người", "keywords": "xuất cảnh"}]
    (figure,) = extract_figures("Làm thủ tục xuất cảnh cho 500 lượt người.", catalogue=catalogue)
    assert figure.indicator == "MY_EXITS"
    (other,) = extract_figures("Tổ chức 5 buổi tuyên truyền.", catalogue=catalogue)
    assert other.indicator is None and other.confidence == 0


def test_as_dict_is_json():
    figures = extract_figures((CORPUS / "seed_004.txt").read_text(encoding="utf-8"))
    for figure in figures:
        data = json.loads(json.dumps(figure.as_dict(), ensure_ascii=False))
        for key in (
            "quote",
            "start",
            "end",
            "value",
            "unit",
            "qualifier",
            "indicator",
            "confidence",
            "comparison",
            "noun",
            "context",
            "vague",
            "range",
        ):
            assert key in data
        assert set(data["context"]) == {"province", "date", "period"}


def test_noun_phrase():
    text = "duy trì 885 hộ gia đình đăng ký phối hợp với BĐBP tham gia quản lý đường biên, cột mốc; huy động"
    (figure,) = extract_figures(text)
    assert figure.noun == "hộ gia đình đăng ký phối hợp với BĐBP tham gia quản lý đường biên, cột mốc"


def test_empty_and_garbage_text():
    assert extract_figures("") == []
    assert extract_figures("1234567890 ,,,, ... ///") == []


# ---------------------------------------------------------------- numbers in words
@pytest.mark.parametrize(
    ("text", "quote", "value", "unit", "qualifier"),
    [
        ("Các đơn vị đã tổ chức hai mươi lăm đợt tuần tra.", "hai mươi lăm đợt", "25", "đợt", None),
        ("Thu giữ ba trăm viên ma túy tổng hợp.", "ba trăm viên ma túy tổng hợp", "300", "viên", None),
        ("Tổ chức mười lăm buổi tuyên truyền.", "mười lăm buổi tuyên truyền", "15", "buổi", None),
        ("Xây dựng trăm rưỡi căn nhà cho hộ nghèo.", "trăm rưỡi căn nhà", "150", "nhà", None),
        ("Trao hai nghìn rưỡi suất quà.", "hai nghìn rưỡi suất quà", "2500", "suất", None),
        ("Lực lượng chức năng bắt giữ hai đối tượng.", "hai đối tượng", "2", "đối tượng", None),
        ("Có hơn trăm hộ dân tham gia.", "hơn trăm hộ dân", "100", "hộ", "hơn"),
        ("Gần chục người bị thương.", "Gần chục người", "10", "người", "gần"),
        ("Hỗ trợ hai triệu rưỡi đồng.", "hai triệu rưỡi đồng", "2500000", "đồng", None),
        ("Hơn một nửa số hộ đã ký cam kết.", "Hơn một nửa", "50", "%", "hơn"),
    ],
)
def test_numbers_written_in_words(text, quote, value, unit, qualifier):
    (figure,) = extract_figures(text)
    assert (figure.quote, str(figure.value), figure.unit, figure.qualifier) == (quote, value, unit, qualifier)
    assert normalise_text(text)[figure.start : figure.end] == quote


@pytest.mark.parametrize(
    "text",
    [
        "Lãnh đạo hai tỉnh đã hội đàm; hai nước ký kết; hai bên thống nhất.",
        "Phối hợp với chính quyền hai tỉnh Attapeu (Lào) và Ratanakiri (Campuchia).",
        "Hai đồn Biên phòng Lào Cai và Bát Xát phối hợp.",
        "Lần thứ hai tổ chức hội nghị, thứ ba tuần tới họp; tháng mười hai.",
        "Có mười năm kinh nghiệm, ba mươi năm công tác.",
        "Trong năm tổ chức hội nghị; một đối tượng bị bắt; một người dân cho biết.",
        "Mô hình chính quyền địa phương hai cấp; tuyên truyền nhỏ lẻ; đầu tư.",
        "Lượng xe tăng gấp đôi so với cùng kỳ.",
    ],
)
def test_number_words_that_are_not_figures(text):
    assert extract_figures(text) == []


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Có hàng chục nghìn phương tiện qua lại.", "phương tiện"),
        ("Vài chục hộ tham gia.", "hộ"),
        ("Mười mấy người vắng mặt.", "người"),
        ("Hàng trăm cán bộ, chiến sĩ tham gia.", "cán bộ"),
        ("Dăm bảy hộ tham gia.", "hộ"),
    ],
)
def test_vague_words_are_flagged_without_value(text, unit):
    (figure,) = extract_figures(text)
    assert figure.vague and figure.value is None and figure.unit == unit


def test_times_in_words_attach_as_comparison():
    (figure,) = extract_figures("Năm 2024 có 215.600 lượt khách xuất nhập cảnh, gấp đôi năm 2023.")
    assert figure.value == 215600
    assert figure.comparison["times"] == "2" and figure.comparison["kind"] == "previous_year"
    (halved,) = extract_figures("Số vụ vi phạm là 12 vụ, giảm một nửa so với cùng kỳ.")
    assert halved.comparison["percent"] == "50" and halved.comparison["direction"] == "down"


# ---------------------------------------------------------------- ranges, comparisons, context
def test_range_quote_keeps_tu():
    (figure,) = extract_figures("Mỗi ngày có từ 10 đến 15 người qua lại.")
    assert figure.quote == "từ 10 đến 15 người" and figure.range == (Decimal(10), Decimal(15))


def test_comparison_reference_is_not_the_period():
    (figure,) = extract_figures("Số vụ tăng 12% so với cùng kỳ năm 2024.")
    assert figure.context["period"] is None
    assert figure.comparison["reference"] == "cùng kỳ năm 2024"
    (own,) = extract_figures("Năm 2023, số vụ giảm 15 vụ so với năm 2022.")
    assert own.context["period"] == "Năm 2023"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Đơn vị giải quyết dứt điểm 6 vụ việc vi phạm.", "6", "vụ"),
        ("Ngành chức năng đã hướng dẫn 1.320 lượt xe tải chở hàng.", "1320", "lượt xe"),
        ("Phối hợp cấp 740 cuốn tài liệu.", "740", "cuốn"),
        ("Giải cứu 5 nạn nhân.", "5", "người"),
        ("Kiểm soát 198.300 lượt thuyền viên.", "198300", "lượt người"),
    ],
)
def test_verbs_that_look_like_names_do_not_hide_figures(text, value, unit):
    (figure,) = extract_figures(text)
    assert (str(figure.value), figure.unit) == (value, unit)


@pytest.mark.parametrize("text", ["Theo Hướng dẫn 12 của Bộ.", "Học sinh cấp 2 trường.", "Có 1.234 lượt tải về."])
def test_names_and_counters_stay_blocked(text):
    assert extract_figures(text) == []


def test_equivalent_amount_joins_its_comparison():
    figure, change = extract_figures(
        "Số người xuất cảnh là 20.000 lượt người, giảm 20% (tương đương 5.000 lượt người) so với cùng kỳ."
    )
    assert (change.value, change.change) == (5000, {"direction": "down", "of": 0})
    comparison = figure.comparison
    assert (comparison["percent"], comparison["amount"], comparison["unit"]) == ("20", "5000", "lượt người")
    assert comparison["direction"] == "down" and comparison["kind"] == "same_period"


def test_ratio_to_the_same_period_without_so_voi():
    (figure,) = extract_figures("Kim ngạch đạt 1,2 tỷ USD, bằng 87,3% cùng kỳ năm 2023.")
    assert figure.comparison["kind"] == "same_period" and figure.comparison["percent"] == "87.3"
    assert figure.context["period"] is None


def test_qualified_comparison():
    (figure,) = extract_figures("Lượng khách đạt 300.000 lượt người, tăng trên 20% so với cùng kỳ.")
    assert figure.comparison["qualifier"] == "trên" and figure.comparison["percent"] == "20"
