import io
import unicodedata
import zipfile

import docx
import pytest

from borderdesk.extraction import ExtractionInputError, extract_figures, read_document
from borderdesk.extraction.tcvn3 import encode_tcvn3

SAMPLE = "Năm 2023, các đồn Biên phòng tổ chức tuyên truyền hơn 300 buổi cho trên 14.000 lượt người dự nghe."


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text):
    """Windows-1258 writes tone marks as combining characters after the base letter."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out += base.encode("cp1258") + "".join(c for c in parts if c in _TONES).encode("cp1258")
    return out


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_encodings(encoding):
    data = SAMPLE.encode(encoding)
    assert read_document(data, "bai.txt") == SAMPLE


def test_windows_1258():
    assert read_document(encode_cp1258(SAMPLE), "bai.txt") == SAMPLE


def test_tcvn3_is_converted():
    data = encode_tcvn3(SAMPLE)
    text = read_document(data, "bai.txt")
    # TCVN3 has no upper-case toned letters of its own: compare case-insensitively
    assert text.lower() == SAMPLE.lower()
    assert [f.value for f in extract_figures(text)] == [300, 14000]


def test_path_and_size_limit(tmp_path):
    path = tmp_path / "bai.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    assert read_document(path) == SAMPLE
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse 100 MB file: refused from its size, never read
        handle.truncate(100 * 1024 * 1024)
    with pytest.raises(ExtractionInputError) as info:
        read_document(big)
    assert info.value.code == "too_large" and "MB" in info.value.message_vi
    with pytest.raises(ExtractionInputError):
        read_document(SAMPLE.encode() * 10, "x.txt", max_bytes=100)


@pytest.mark.parametrize("data", [b"", b"   \n\n", "\ufeff".encode()])
def test_empty(data):
    with pytest.raises(ExtractionInputError) as info:
        read_document(data, "rong.txt")
    assert info.value.code == "empty"
    assert "rỗng" in info.value.message_vi


def test_binary():
    data = bytes(range(256)) * 50
    with pytest.raises(ExtractionInputError) as info:
        read_document(data, "anh.txt")
    assert info.value.code == "binary"


def test_fake_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8\xff")
    with pytest.raises(ExtractionInputError) as info:
        read_document(buffer.getvalue(), "baocao.docx")
    assert info.value.code == "not_docx" and "Word" in info.value.message_vi
    with pytest.raises(ExtractionInputError):
        read_document(b"not a zip at all", "baocao.docx")
    with pytest.raises(ExtractionInputError) as info:
        read_document(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "cu.doc")
    assert info.value.code == "legacy_doc"


def test_docx():
    document = docx.Document()
    document.add_paragraph("Báo cáo tổng kết")
    document.add_paragraph(SAMPLE)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Số tờ rơi"
    table.rows[0].cells[1].text = "22.000 tờ"
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_document(buffer.getvalue(), "baocao.docx")
    assert SAMPLE in text and "22.000 tờ" in text


def test_html_strips_scripts_and_navigation():
    html = (
        "<html><head><meta charset='utf-8'><style>p{color:red}</style>"
        "<script>alert('2.000 lượt người')</script></head><body>"
        "<nav>Trang chủ 5 mục</nav><article><h1>Hội nghị</h1><p>" + SAMPLE + "</p>"
        "<p>Phát gần <b>22.000</b> tờ rơi.</p></article><footer>Lượt xem: 1234</footer></body></html>"
    )
    text = read_document(html.encode("utf-8"), "bai.html")
    assert "alert" not in text and "Trang chủ" not in text and "Lượt xem" not in text
    assert SAMPLE in text and "Phát gần 22.000 tờ rơi." in text
    assert "\n" in text  # paragraph breaks kept
    assert [f.value for f in extract_figures(text)] == [300, 14000, 22000]


def test_error_message_is_bilingual():
    error = ExtractionInputError("Tệp rỗng.", "Empty file.")
    assert "Tệp rỗng." in str(error) and "Empty file." in str(error)
