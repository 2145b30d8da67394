"""Request size limits of the upload page and endpoint, checked before Django parses the body.

Django refuses a form whose non-file fields exceed ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a bare
"400 Bad Request" (``RequestDataTooBig``), raised while the CSRF middleware or django-ninja reads
the body, that is before any view code runs. The upload page and ``POST /api/extraction/documents``
therefore check the declared size (``CONTENT_LENGTH``) first and answer with BorderDesk's own
Vietnamese message; pasted text that passes that check but is still larger than Django's limit is
caught where the body is parsed and gets the same kind of message. The rest of an oversized body
is read and thrown away (up to ``DRAIN_CAP`` bytes), so that the browser, which is still sending,
receives the answer instead of a reset connection.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from borderdesk.core import archives
from borderdesk.core.errors import ApplicationError

#: room for the other form fields and the multipart boundaries around a file of the maximum size
FORM_OVERHEAD = 256 * 1024
#: an oversized body is read and discarded up to this many bytes before answering
DRAIN_CAP = 128 * 1024 * 1024
_CHUNK = 1024 * 1024


class RequestTooLargeError(ApplicationError):
    """The request body is larger than the page or endpoint accepts (HTTP 413)."""

    status_code = 413
    code = "too_large"


def file_limit() -> int:
    """Largest file accepted, in bytes (``BORDERDESK_MAX_UPLOAD_BYTES``)."""
    return archives.upload_limit()


def paste_limit() -> int:
    """Largest pasted text accepted, in bytes: the file limit, or Django's form-field limit when smaller."""
    django_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return file_limit() if django_limit is None else min(file_limit(), int(django_limit))


def _mb(size: int) -> str:
    return archives.megabytes(size)


def declared_length(request) -> int:
    """The body size the client announced (0 when missing or unreadable)."""
    raw = request.META.get("CONTENT_LENGTH") or ""
    return int(raw) if raw.isdigit() else 0


def discard_body(request, cap: int = DRAIN_CAP) -> int:
    """Read and drop what is left of the request body (at most ``cap`` bytes); returns the bytes read."""
    read = 0
    try:
        while read < cap:
            chunk = request.read(min(_CHUNK, cap - read))
            if not chunk:
                break
            read += len(chunk)
    except (OSError, ValueError):  # the client went away, or the body was already consumed
        pass
    return read


def too_large_body(size: int) -> RequestTooLargeError:
    return RequestTooLargeError(
        _(
            "Nội dung gửi lên quá lớn (%(size)s MB). BorderDesk nhận tệp đến %(file)s MB và văn bản dán vào "
            "đến %(paste)s MB. Hãy tách tài liệu hoặc chỉ dán phần nội dung bài viết."
        )
        % {"size": _mb(size), "file": _mb(file_limit()), "paste": _mb(paste_limit())}
    )


def too_large_paste() -> RequestTooLargeError:
    return RequestTooLargeError(
        _(
            "Văn bản dán vào quá lớn (hơn %(paste)s MB). Hãy lưu văn bản thành tệp .txt rồi tải tệp lên "
            "(đến %(file)s MB), hoặc chỉ dán phần nội dung bài viết."
        )
        % {"paste": _mb(paste_limit()), "file": _mb(file_limit())}
    )


def check_request_size(request) -> None:
    """Raise ``RequestTooLargeError`` (after discarding the body) when the declared size is over the limit."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    size = declared_length(request)
    if size > file_limit() + FORM_OVERHEAD:
        discard_body(request)
        raise too_large_body(size)
