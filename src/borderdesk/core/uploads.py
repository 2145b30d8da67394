"""Files users attach (signed scans, annexes, evidence, photos): checked on upload, served only through the
application after the caller's scope check — never from a public media URL."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse
from django.utils.translation import gettext as _

from .archives import megabytes, upload_limit
from .errors import ApplicationError, NotFoundError

#: extension → accepted leading bytes (the file's real type, not its name)
DOCUMENT_TYPES = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
}


def check_document(file, *, field: str = "file") -> str:
    """The file's name, after checking its size (``BORDERDESK_MAX_UPLOAD_BYTES``) and its real type (PDF, Word,
    Excel, OpenDocument, JPEG, PNG). Raises ApplicationError with a field error otherwise."""
    limit = upload_limit()
    name = (getattr(file, "name", "") or "").strip()
    if not name:
        raise ApplicationError(_("Chọn một tệp để đính kèm."), field_errors={field: [_("Bắt buộc.")]})
    if file.size > limit:
        raise ApplicationError(
            _("Tệp “%(n)s” quá lớn (%(s)s MB; tối đa %(m)s MB).")
            % {"n": name, "s": megabytes(file.size), "m": megabytes(limit)},
            field_errors={field: [_("Tệp quá lớn.")]},
        )
    ext = Path(name).suffix.lower()
    if ext not in DOCUMENT_TYPES:
        raise ApplicationError(
            _("Không nhận tệp “%s”: chỉ nhận PDF, Word, Excel, OpenDocument, JPG hoặc PNG.") % name,
            field_errors={field: [_("Sai loại tệp.")]},
        )
    head = file.read(8)
    file.seek(0)
    if not head.startswith(DOCUMENT_TYPES[ext]):
        raise ApplicationError(
            _("Nội dung tệp “%s” không đúng với đuôi tệp (tệp hỏng hoặc đổi tên).") % name,
            field_errors={field: [_("Nội dung không khớp loại tệp.")]},
        )
    return name


def serve_file(field_file, *, as_attachment: bool = True) -> FileResponse:
    """Stream a stored file (the caller has checked scope); a missing file is a 404 with a clear message."""
    if not field_file or not field_file.name:
        raise NotFoundError(_("Không có tệp."))
    try:
        fh = field_file.open("rb")
    except OSError:  # FileNotFoundError included
        raise NotFoundError(_("Tệp không còn trên máy chủ.")) from None
    return FileResponse(fh, as_attachment=as_attachment, filename=Path(field_file.name).name)
