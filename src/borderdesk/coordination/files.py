"""Files of conferences (attachments) and of task progress (evidence): checked on upload, served only
through the application after a scope check (never from a public media URL)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _

from borderdesk.core import vn
from borderdesk.core.changelog import record_change
from borderdesk.core.errors import ApplicationError, NotFoundError
from borderdesk.core.scoping import Action, require_in_scope
from borderdesk.reporting.services import ATTACHMENT_TYPES

from .models import Conference, ConferenceAttachment


def check_upload(file, *, field: str = "file") -> str:
    """The file's name, after checking its size and its real type (PDF, Word, Excel, OpenDocument, JPEG, PNG)."""
    limit = settings.BORDERDESK_MAX_UPLOAD_BYTES
    name = (getattr(file, "name", "") or "").strip()
    if not name:
        raise ApplicationError(_("Chọn một tệp để đính kèm."), field_errors={field: [_("Bắt buộc.")]})
    if file.size > limit:
        raise ApplicationError(_("Tệp “%(n)s” quá lớn (%(s)s MB; tối đa %(m)s MB).") % {
            "n": name, "s": vn.format_number(round(Decimal(file.size) / 2**20, 1)), "m": limit // 2**20},
            field_errors={field: [_("Tệp quá lớn.")]})
    ext = Path(name).suffix.lower()
    if ext not in ATTACHMENT_TYPES:
        raise ApplicationError(_("Không nhận tệp “%s”: chỉ nhận PDF, Word, Excel, OpenDocument, JPG hoặc PNG.") % name,
                               field_errors={field: [_("Sai loại tệp.")]})
    head = file.read(8)
    file.seek(0)
    if not head.startswith(ATTACHMENT_TYPES[ext]):
        raise ApplicationError(_("Nội dung tệp “%s” không đúng với đuôi tệp (tệp hỏng hoặc đổi tên).") % name,
                               field_errors={field: [_("Nội dung không khớp loại tệp.")]})
    return name


@transaction.atomic
def attachment_add(*, user, conference: Conference, file, title: str = "") -> ConferenceAttachment:
    """Attach a checked file to a conference the user may change; the change log names it."""
    require_in_scope(conference, user, Action.CHANGE)
    name = check_upload(file)
    att = ConferenceAttachment(conference=conference, file=file, title=(title or "").strip()[:300] or name[:300],
                               created_by=user if getattr(user, "pk", None) else None)
    att.save()
    record_change(user=user, instance=conference, action="attach", before=None,
                  after={"attachment": att.file.name, "title": att.title, "bytes": file.size})
    return att


@transaction.atomic
def attachment_delete(*, user, attachment: ConferenceAttachment) -> None:
    require_in_scope(attachment.conference, user, Action.CHANGE)
    before = {"attachment": attachment.file.name, "title": attachment.title}
    storage, name, conference = attachment.file.storage, attachment.file.name, attachment.conference
    attachment.delete()
    record_change(user=user, instance=conference, action="detach", before=before, after=None)
    transaction.on_commit(lambda: storage.delete(name) if name and storage.exists(name) else None)


def serve(field_file) -> FileResponse:
    """Stream a stored file as a download (the caller has checked scope)."""
    if not field_file or not field_file.name:
        raise NotFoundError(_("Không có tệp."))
    try:
        fh = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise NotFoundError(_("Tệp không còn trên máy chủ.")) from None
    return FileResponse(fh, as_attachment=True, filename=Path(field_file.name).name)
