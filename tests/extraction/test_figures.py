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
        assert normal[figure.start:figure.end] == figure.quote == expected["quote"]
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
        ("Huy động 1,700 người tham gia.", "1700", "người", None),
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
        ("plan", None, "100"), ("same_period", "up", "8")]
    assert [(c["kind"], c["percent"]) for c in second.comparisons] == [("plan", "130.9"), ("same_period", "62.6")]
    assert first.comparison == first.comparisons[0]


def test_absolute_comparison_with_date():
    (figure,) = extract_figures("Hiện còn 376 xe hàng tồn chờ xuất khẩu, giảm 124 xe so với ngày 31/8/2024.")
    assert figure.value == 376
    comparison = figure.comparison
    assert comparison["kind"] == "date" and comparison["amount"] == "124" and comparison["direction"] == "down"


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
        for key in ("quote", "start", "end", "value", "unit", "qualifier", "indicator", "confidence",
                    "comparison", "noun", "context", "vague", "range"):
            assert key in data
        assert set(data["context"]) == {"province", "date", "period"}


def test_noun_phrase():
    text = "duy trì 885 hộ gia đình đăng ký phối hợp với BĐBP tham gia quản lý đường biên, cột mốc; huy động"
    (figure,) = extract_figures(text)
    assert figure.noun == "hộ gia đình đăng ký phối hợp với BĐBP tham gia quản lý đường biên, cột mốc"


def test_empty_and_garbage_text():
    assert extract_figures("") == []
    assert extract_figures("1234567890 ,,,, ... ///") == []
