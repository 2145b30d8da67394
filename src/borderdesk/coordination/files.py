"""Files of conferences (attachments): checked on upload and served (``core.uploads``) only through the
application after a scope check (never from a public media URL)."""

from __future__ import annotations

from django.db import transaction

from borderdesk.core import uploads
from borderdesk.core.changelog import record_change
from borderdesk.core.scoping import Action, require_in_scope

from .models import Conference, ConferenceAttachment


@transaction.atomic
def attachment_add(*, user, conference: Conference, file, title: str = "") -> ConferenceAttachment:
    """Attach a checked file to a conference the user may change; the change log names it."""
    require_in_scope(conference, user, Action.CHANGE)
    name = uploads.check_document(file)
    att = ConferenceAttachment(
        conference=conference,
        file=file,
        title=(title or "").strip()[:300] or name[:300],
        created_by=user if getattr(user, "pk", None) else None,
    )
    att.save()
    record_change(
        user=user,
        instance=conference,
        action="attach",
        before=None,
        after={"attachment": att.file.name, "title": att.title, "bytes": file.size},
    )
    return att


@transaction.atomic
def attachment_delete(*, user, attachment: ConferenceAttachment) -> None:
    require_in_scope(attachment.conference, user, Action.CHANGE)
    before = {"attachment": attachment.file.name, "title": attachment.title}
    storage, name, conference = attachment.file.storage, attachment.file.name, attachment.conference
    attachment.delete()
    record_change(user=user, instance=conference, action="detach", before=before, after=None)
    transaction.on_commit(lambda: storage.delete(name) if name and storage.exists(name) else None)
