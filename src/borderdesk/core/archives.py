"""Office files (.xlsx, .docx) are ZIP archives: their real size is checked before any parser opens them.

A 572 KB workbook can hold four million rows and a 169 KB .docx can expand to tens of megabytes of text; openpyxl
and python-docx would parse all of it. :func:`check_office_archive` reads only the archive's directory and, for
workbooks, streams the sheets counting rows (stopping at the limits), so a decompression bomb costs milliseconds.

Limits (settings, one place): ``BORDERDESK_MAX_UPLOAD_BYTES`` (the file itself, for every upload),
``BORDERDESK_MAX_UNCOMPRESSED_BYTES`` (all members together, default 40 MB) and a compression ratio of at most
``MAX_RATIO`` for any member larger than 1 MB.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from . import vn
from .errors import ApplicationError

MAX_RATIO = 100
_RATIO_FLOOR = 1024 * 1024
_ROW_RE = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CHUNK = 256 * 1024


class ArchiveRejected(ApplicationError):
    code = "archive_too_large"


def upload_limit() -> int:
    """The one upload limit (bytes): ``BORDERDESK_MAX_UPLOAD_BYTES``."""
    return int(getattr(settings, "BORDERDESK_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def uncompressed_limit() -> int:
    return int(getattr(settings, "BORDERDESK_MAX_UNCOMPRESSED_BYTES", 40 * 1024 * 1024))


def megabytes(size: int, *, places: int | None = None, lang: str = "vi") -> str:
    """A size in MB as a message shows it: "20", "1,5" (``places=1``: always one decimal, "42,0")."""
    return vn.format_number(round(Decimal(size) / 1048576, 1), places, lang=lang)


_mb = megabytes


def check_office_archive(data: bytes | io.BufferedIOBase, *, max_rows: int | None = None) -> None:
    """Refuse (``ArchiveRejected``, HTTP 400) an .xlsx/.docx that is too large once unpacked, packed with a
    suspicious ratio, or (``max_rows`` given) a workbook with more rows than that in any sheet. A file that is not
    a ZIP archive passes: the parser reports it in its own words."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    start = stream.tell() if hasattr(stream, "tell") else 0
    try:
        try:
            archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError):
            return
        with archive:
            infos = archive.infolist()
            if len(infos) > 10_000:
                raise ArchiveRejected(
                    _("Tệp có quá nhiều thành phần (%s) để là một tệp Office.") % vn.format_number(len(infos))
                )
            total = sum(max(i.file_size, 0) for i in infos)
            if total > uncompressed_limit():
                raise ArchiveRejected(
                    _("Tệp khi giải nén quá lớn (%(s)s MB; tối đa %(m)s MB). Hãy tách tệp thành nhiều tệp nhỏ.")
                    % {"s": _mb(total), "m": _mb(uncompressed_limit())}
                )
            for info in infos:
                if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise ArchiveRejected(
                        _("Tệp bị nén bất thường (%(s)s MB nén còn %(c)s KB); BorderDesk không mở tệp này.")
                        % {"s": _mb(info.file_size), "c": vn.format_number(max(1, info.compress_size // 1024))}
                    )
            if max_rows is not None:
                for info in infos:
                    if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                        _count_rows(archive, info, max_rows)
    finally:
        if hasattr(stream, "seek"):
            stream.seek(start)


def _count_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_rows: int) -> None:
    """Count ``<row`` tags while streaming the sheet; a tag split between two reads is counted once."""
    rows, read, buf = 0, 0, b""
    keep = 16  # longer than any row tag with a namespace prefix
    try:
        with archive.open(info) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    rows += len(_ROW_RE.findall(buf))
                    break
                read += len(chunk)
                if read > uncompressed_limit():  # the directory lied about the size
                    raise ArchiveRejected(
                        _("Tệp khi giải nén quá lớn (tối đa %(m)s MB).") % {"m": _mb(uncompressed_limit())}
                    )
                buf += chunk
                edge = len(buf) - keep
                rows += sum(1 for m in _ROW_RE.finditer(buf) if m.start() < edge)
                buf = buf[edge:]
                if rows > max_rows:
                    break
    except zipfile.BadZipFile:
        return  # the parser reports a damaged file in its own words
    if rows > max_rows:
        raise ArchiveRejected(
            _("Trang tính có quá nhiều dòng (hơn %(n)s). Hãy tách tệp.") % {"n": vn.format_number(max_rows)}
        )
