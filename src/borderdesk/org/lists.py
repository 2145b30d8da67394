"""The org app's API lists, declared once (core.listing): filters, search, sortable columns, default order."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from borderdesk.core.listing import Filter, ListQuery, ListSpec, Sort

from .choices import MemberRole, UnitKind
from .models import valid_on_q


def _valid_on(qs, day, query: ListQuery):
    """Only the rows in force on that day (effective-dated: valid_from … valid_to)."""
    return qs.filter(valid_on_q(day))


def _as_of() -> Filter:
    return Filter("as_of", _("Có hiệu lực vào ngày (YYYY-MM-DD hoặc dd/mm/yyyy)"), "", kind="date", apply=_valid_on)


UNITS = ListSpec(
    filters=[
        _as_of(),
        Filter("kind", _("Cấp"), "kind", choices=UnitKind.choices),
        Filter("parent_id", _("Đơn vị cấp trên (mã số)"), "parent_id", kind="model"),
        Filter("code", _("Mã"), "code", kind="exact"),
        Filter("is_border", _("Đơn vị biên giới"), "is_border", kind="bool"),
    ],
    search_fields=["name"],
    sorts=[
        Sort("path", _("Cây tổ chức"), ("path",)),
        Sort("name", _("Tên")),
        Sort("code", _("Mã")),
        Sort("kind", _("Cấp")),
        Sort("valid_from", _("Hiệu lực từ")),
    ],
    default_sort="path",
)

AGENCIES = ListSpec(
    filters=[
        _as_of(),
        Filter("kind", _("Loại cơ quan (mã)"), "kind__code", kind="exact"),
        Filter("unit_id", _("Địa bàn (mã số)"), "unit_id", kind="model"),
    ],
    search_fields=["name"],
    sorts=[
        Sort("name", _("Tên")),
        Sort("kind", _("Loại cơ quan"), ("kind__code",)),
        Sort("unit", _("Địa bàn"), ("unit__name",)),
        Sort("valid_from", _("Hiệu lực từ")),
    ],
)

COMMITTEES = ListSpec(
    filters=[_as_of(), Filter("unit_id", _("Tỉnh (mã số)"), "unit_id", kind="model")],
    search_fields=["name"],
    sorts=[Sort("name", _("Tên")), Sort("unit", _("Tỉnh"), ("unit__name",)), Sort("valid_from", _("Hiệu lực từ"))],
)

MEMBERSHIPS = ListSpec(
    filters=[
        _as_of(),
        Filter("committee_id", _("Ban chỉ đạo (mã số)"), "committee_id", kind="model"),
        Filter("role", _("Vai trò"), "role", choices=MemberRole.choices),
    ],
    sorts=[
        Sort("person", _("Họ tên"), ("person__full_name",)),
        Sort("role", _("Vai trò")),
        Sort("valid_from", _("Hiệu lực từ")),
        Sort("valid_to", _("Hiệu lực đến")),
    ],
)

COUNTERPARTS = ListSpec(
    filters=[
        Filter("unit_id", _("Tỉnh (mã số)"), "unit_id", kind="model"),
        Filter("country", _("Nước"), "country", kind="exact"),
    ],
    search_fields=["name"],
    sorts=[Sort("name", _("Tên đối tác")), Sort("country", _("Nước")), Sort("unit", _("Tỉnh"), ("unit__name",))],
)
