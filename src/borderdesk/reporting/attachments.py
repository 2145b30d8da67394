"""Attachments of a report (signed scan, annex): added and removed while the report is editable, logged."""

from __future__ import annotations

from django.db import transaction

from borderdesk.core import uploads
from borderdesk.core.changelog import record_change
from borderdesk.core.scoping import Action, require_in_scope

from .editable import _check_editable
from .models import Attachment, Submission


def attachment_add(*, user, submission: Submission, file, title: str = "") -> Attachment:
    """Attach a file (signed scan, annex) to a submission the user may edit, while it is editable.

    The file must be PDF, Word, Excel, OpenDocument, JPEG or PNG — checked by its content, not only its
    name — and no larger than ``BORDERDESK_MAX_UPLOAD_BYTES``.
    """
    require_in_scope(submission, user, Action.CHANGE)
    name = uploads.check_document(file)
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=submission.pk)
        _check_editable(sub, enforce_lock=False)
        att = Attachment(submission=sub, file=file, title=(title or "").strip()[:300] or name[:300])
        att.full_clean()
        att.save()
        record_change(
            user=user,
            instance=sub,
            action="attach",
            before=None,
            after={"attachment": att.file.name, "title": att.title, "bytes": file.size},
        )
    return att


def attachment_delete(*, user, attachment: Attachment) -> None:
    """Remove an attachment of an editable submission (the file goes too)."""
    require_in_scope(attachment, user, Action.CHANGE)
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=attachment.submission_id)
        _check_editable(sub, enforce_lock=False)
        before = {"attachment": attachment.file.name, "title": attachment.title}
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        record_change(user=user, instance=sub, action="detach", before=before, after=None)
        transaction.on_commit(lambda: storage.delete(name))
