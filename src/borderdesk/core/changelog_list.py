"""The change log's filters, declared once (core.listing) for its page, its API, its CSV and the export job.

The page keeps keyset pages (``core.keyset``: newest first, deep pages of a very long table without an OFFSET);
the API pages by number as every list does. Both read the same filters, so one query string gives the same
entries; the order is always newest first (no sortable column: the index on time is what makes it fast).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .changelog import SYSTEM
from .collation import fold
from .listing import Filter, ListQuery, ListSpec


def _of_model(qs, model: str, query: ListQuery):
    """The entries of one object type: its id read once (ContentType's cache), then the (type, time) index."""
    app_label, _sep, model_name = model.partition(".")
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
    except ContentType.DoesNotExist:
        return qs.none()
    return qs.filter(content_type_id=content_type.pk)


def _by_account(qs, term: str, query: ListQuery):
    """The entries of the accounts whose user name or display name contains ``term`` (no case, no accents).
    The accounts are matched in their own table and the entries read through the (account, time) index, instead
    of folding every entry's account name. An entry keeps its account's user name, which never changes."""
    user_model = get_user_model()
    match = Q(**{f"{user_model.USERNAME_FIELD}__vsearch": term})
    if any(f.name == "display_name" for f in user_model._meta.get_fields()):
        match |= Q(display_name__vsearch=term)
    names = list(user_model.objects.filter(match).values_list(user_model.USERNAME_FIELD, flat=True))
    if (fold(term) or "") in SYSTEM:
        names.append(SYSTEM)
    return qs.filter(user_repr__in=names) if names else qs.none()


CHANGELOG = ListSpec(
    filters=[
        Filter("user", _("Người thực hiện"), "user_repr", kind="text", apply=_by_account),
        Filter("model", _("Loại đối tượng (app.model)"), "", kind="exact", apply=_of_model),
        Filter("from", _("Từ ngày"), "time", kind="date_from", datetime=True, aliases=("date_from",)),
        Filter("to", _("Đến ngày"), "time", kind="date_to", datetime=True, aliases=("date_to",)),
        Filter("object_id", _("Mã đối tượng"), "object_id", kind="exact"),
        Filter("request_id", _("Mã yêu cầu"), "request_id", kind="exact"),
        Filter("action", _("Hành động"), "action", kind="exact"),
    ],
)

#: every parameter the change log reads (what the export job keeps of the page's query string)
PARAMS = tuple(name for f in CHANGELOG.filters for name in (f.name, *f.aliases))
