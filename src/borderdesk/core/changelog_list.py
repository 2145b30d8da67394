"""The change log's filters, declared once (core.listing) for its page, its API, its CSV and the export job.

The page keeps keyset pages (``core.keyset``: newest first, deep pages of a very long table without an OFFSET);
the API pages by number as every list does. Both read the same filters, so one query string gives the same
entries; the order is always newest first (no sortable column: the index on time is what makes it fast).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .listing import Filter, ListQuery, ListSpec


def _of_model(qs, model: str, query: ListQuery):
    app_label, _sep, model_name = model.partition(".")
    return qs.filter(content_type__app_label=app_label, content_type__model=model_name)


CHANGELOG = ListSpec(
    filters=[
        Filter("user", _("Người thực hiện"), "user_repr", kind="text"),
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
