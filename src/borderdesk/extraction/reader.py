"""Reading a narrative from pasted text, .txt (any encoding), .docx or saved .html.

Every failure raises :class:`ExtractionInputError` with a Vietnamese and an English message.
The size limit is checked before the content is read (``max_bytes``; else the upload limit
``BORDERDESK_MAX_UPLOAD_BYTES`` from the environment, as settings read it; else 20 MB).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from borderdesk.core.vn import format_number

from .errors import ExtractionInputError
from .tcvn3 import decode_tcvn3, looks_like_tcvn3
from .text import fold_words, normalise_text

__all__ = ["DEFAULT_MAX_BYTES", "read_document", "decode_text"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_TEXT_EXT = {".txt", ".text", ".md", ".csv", ""}
_HTML_EXT = {".html", ".htm", ".xhtml", ".shtml", ".aspx", ".php"}
_DOCX_EXT = {".docx", ".docm", ".dotx"}
_COMMON_WORDS = (
    " va ",
    " cua ",
    " cac ",
    " duoc ",
    " trong ",
    " nguoi ",
    " nam ",
    " nhung ",
    " voi ",
    " co ",
    " cho ",
    " la ",
    " mot ",
    " bien gioi ",
    " tinh ",
    " cong tac ",
    " da ",
    " tai ",
)
_VIET_CHARS = re.compile("[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]")


def _max_bytes(max_bytes: int | None) -> int:
    if max_bytes is not None:
        return max_bytes
    env = os.environ.get("BORDERDESK_MAX_UPLOAD_BYTES", "")
    return int(env) if env.isdigit() else DEFAULT_MAX_BYTES


def size_limit(max_bytes: int | None = None) -> int:
    """The size limit in bytes: ``max_bytes``, else ``BORDERDESK_MAX_UPLOAD_BYTES``, else 20 MB."""
    return _max_bytes(max_bytes)


def _mb(size: int) -> str:
    return format_number(round(Decimal(size) / 1048576, 1))


def _too_big(size: int, limit: int) -> ExtractionInputError:
    return ExtractionInputError(
        f"Tệp quá lớn ({_mb(size)} MB); chỉ nhận tệp đến {_mb(limit)} MB. "
        "Hãy tách tài liệu hoặc chỉ dán phần nội dung bài viết.",
        f"File too large ({size / 1048576:.1f} MB); the limit is {limit / 1048576:.0f} MB.",
        code="too_large",
    )


def _empty() -> ExtractionInputError:
    return ExtractionInputError("Tệp rỗng, không có nội dung để đọc.", "The file is empty.", code="empty")


def _vietnamese_score(text: str) -> float:
    if not text:
        return 0.0
    words = fold_words(text[:20000])
    common = sum(words.count(w) for w in _COMMON_WORDS)
    viet = len(_VIET_CHARS.findall(text[:20000].lower()))
    bad = sum(1 for c in text[:20000] if (0x80 <= ord(c) < 0xA0) or c == "\ufffd")
    return (common * 3 + viet) / (1 + len(words.split())) - bad * 0.5


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / len(sample) > 0.05


def decode_text(data: bytes) -> str:
    """Decode the bytes of a plain text file: BOM, UTF-8, UTF-16, Windows-1258, TCVN3, others."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if len(data) >= 4 and data.count(b"\x00") > len(data) // 4:
        # UTF-16 without BOM: NUL bytes at every other position
        even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
        encoding = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
        try:
            text = data.decode(encoding)
            if _vietnamese_score(text) > 0 or text.isprintable():
                return text
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _is_binary(data):
        raise ExtractionInputError(
            "Tệp không phải văn bản (có vẻ là tệp nhị phân: ảnh, chương trình, tệp nén...). "
            "Hãy chọn tệp .txt, .docx hoặc .html.",
            "The file is binary, not text; use .txt, .docx or .html.",
            code="binary",
        )
    candidates: dict[str, str] = {}
    candidates["windows-1258"] = data.decode("cp1258", errors="replace")
    if looks_like_tcvn3(data):
        candidates["tcvn3"] = decode_tcvn3(data)
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200000]).best()
        if best is not None and best.encoding not in candidates:
            candidates[best.encoding] = data.decode(best.encoding, errors="replace")
    except Exception:  # noqa: BLE001 - detection is only a hint
        pass
    name, text = max(candidates.items(), key=lambda item: _vietnamese_score(normalise_text(item[1])))
    if _vietnamese_score(normalise_text(text)) <= 0.05 and name != "windows-1258":
        raise ExtractionInputError(
            "Không nhận ra bảng mã của tệp văn bản. Hãy mở tệp bằng Word hoặc Unikey và lưu lại dưới dạng "
            "Unicode (UTF-8).",
            f"Unrecognised text encoding (best guess {name}); save the file as UTF-8.",
            code="encoding",
        )
    return text


def _read_html(data: bytes) -> str:
    head = data[:4096].decode("ascii", errors="ignore").lower()
    charset = re.search(r"charset\s*=\s*[\"']?([\w-]+)", head)
    text = None
    if charset:
        try:
            text = data.decode(charset.group(1), errors="replace")
        except LookupError:
            text = None
    if text is None:
        text = decode_text(data)
    try:
        from selectolax.lexbor import LexborHTMLParser as HTMLParser
    except ImportError as exc:  # pragma: no cover - dependency of the project
        raise ExtractionInputError("Thiếu thư viện đọc HTML (selectolax).", "selectolax is not installed.") from exc
    # paragraph breaks: a newline after every block element and <br>
    text = re.sub(
        r"(?i)(<br\s*/?>|</(?:p|div|li|h[1-6]|tr|section|article|blockquote|table|ul|ol|header|footer|"
        r"figure|figcaption|pre|dd|dt|main)\s*>)",
        r"\1\n",
        text,
    )
    text = re.sub(r"(?i)(</t[dh]\s*>)", r"\1 \t", text)
    tree = HTMLParser(text)
    for selector in (
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "iframe",
        "svg",
        "button",
        "select",
        "object",
        "embed",
        "canvas",
        "menu",
    ):
        for node in tree.css(selector):
            node.decompose()
    root = None
    best_len = 0
    for selector in (
        "article",
        "main",
        "[itemprop=articleBody]",
        ".article-content",
        ".content-detail",
        ".detail-content",
        ".news-content",
        "#content",
    ):
        for node in tree.css(selector):
            length = len(node.text(strip=True))
            if length > best_len:
                root, best_len = node, length
    if root is None or best_len < 200:
        root = tree.body or tree.root
    if root is None:
        return ""
    raw = root.text(deep=True, separator="")
    lines = [" ".join(line.split()) for line in raw.split("\n")]
    return "\n".join(lines)


def _read_docx(data: bytes) -> str:
    not_word = ExtractionInputError(
        "Tệp .docx không hợp lệ: không phải tài liệu Word (có thể là tệp nén khác bị đổi tên). "
        "Hãy mở bằng Word và lưu lại dưới dạng .docx.",
        "Not a Word document: the .docx is not a valid Word package.",
        code="not_docx",
    )
    if not data.startswith(b"PK"):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise ExtractionInputError(
                "Đây là tệp Word cũ (.doc). Hãy mở bằng Word và lưu lại dưới dạng .docx.",
                "Legacy .doc file; save it as .docx.",
                code="legacy_doc",
            )
        raise not_word
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise not_word
            info = archive.getinfo("word/document.xml")
            if info.file_size > 200 * 1024 * 1024:
                raise _too_big(info.file_size, 200 * 1024 * 1024)
    except zipfile.BadZipFile as exc:
        raise not_word from exc
    from borderdesk.core.archives import ArchiveRejected, check_office_archive

    try:
        check_office_archive(data)
    except ArchiveRejected as exc:
        raise ExtractionInputError(
            str(exc.message), "The .docx is too large once unpacked.", code="too_large"
        ) from None
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - dependency of the project
        raise ExtractionInputError("Thiếu thư viện đọc Word (python-docx).", "python-docx is not installed.") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any parser failure is bad input
        raise not_word from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                value = " ".join(cell.text.split())
                if not cells or cells[-1] != value:
                    cells.append(value)
            parts.append("\t".join(cells))
    return "\n".join(parts)


def read_document(
    source: str | os.PathLike | bytes, filename: str | None = None, *, max_bytes: int | None = None
) -> str:
    """Read a narrative and return normalised text (the text figure offsets refer to).

    ``source`` is a path or the file's bytes; ``filename`` (or the path) decides the format by
    extension: .txt (any encoding), .docx, .html/.htm. Unknown extensions are sniffed.
    """
    limit = _max_bytes(max_bytes)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > limit:
            raise _too_big(len(data), limit)
        name = filename or ""
    else:
        path = Path(source)
        name = filename or path.name
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise ExtractionInputError(
                f"Không mở được tệp {path.name}: {exc.strerror or exc}.", f"Cannot open {path}: {exc}", code="io"
            ) from exc
        if path.is_dir():
            raise ExtractionInputError(f"{path.name} là thư mục, không phải tệp.", f"{path} is a directory.", code="io")
        if size > limit:
            raise _too_big(size, limit)
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise _too_big(len(data), limit)
    if not data.strip():
        raise _empty()
    ext = Path(name).suffix.lower()
    head = data[:1024].lstrip().lower()
    if ext in _DOCX_EXT or (ext not in _HTML_EXT and ext not in _TEXT_EXT and data.startswith(b"PK")):
        text = _read_docx(data)
    elif ext in _HTML_EXT or head.startswith((b"<!doctype html", b"<html")):
        text = _read_html(data)
    elif ext == ".doc":
        text = _read_docx(data)
    elif ext in (".pdf",) or data.startswith(b"%PDF"):
        raise ExtractionInputError(
            "Chưa hỗ trợ tệp PDF. Hãy sao chép nội dung vào tệp .txt hoặc .docx.",
            "PDF is not supported; copy the text into a .txt or .docx file.",
            code="unsupported",
        )
    else:
        if data.startswith(b"PK\x03\x04"):
            raise ExtractionInputError(
                "Tệp là tệp nén (zip), không phải văn bản. Hãy chọn tệp .txt, .docx hoặc .html.",
                "The file is a zip archive, not text.",
                code="binary",
            )
        text = decode_text(data)
    text = normalise_text(text)
    if not text:
        raise _empty()
    return text
