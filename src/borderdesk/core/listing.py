"""The one filter/sort/paginate mechanism of every list, shared by its page, its API endpoint and its export.

A list declares once what it accepts (a ``ListSpec``): its filters (``Filter``: parsing and validation of one
query parameter), the fields its search box looks in, its sortable columns (``Sort``: the database ordering,
names in Vietnamese collation through ``core.collation.vi_order``), a default order and a page size.

    spec = ListSpec(
        filters=[Filter("ky", _("Kỳ"), "started_at", kind="period", datetime=True), ...],
        search_fields=["findings"],
        sorts=[Sort("started_at", _("Bắt đầu")), Sort("agency", _("Đơn vị"), "agency__name")],
        default_sort="-started_at",
    )

The same query string (``?q=…&ky=2026Q3&sort=-started_at&page=2``) then gives the same rows everywhere:

- a page: ``spec.page(request, qs)`` → a ``ListResult`` (rows of the page, the sortable headers with their
  links and ``aria-sort``, the query string kept across pages and in the export link, an error message);
- the API: ``@paginate(ListPagination, spec=spec)`` on a view returning the user's queryset (``sort``, the
  filters, ``page`` and ``page_size`` are in the OpenAPI schema; the page metadata is ninja's ``items`` and
  ``count`` as before);
- an export: ``spec.apply(qs, request.GET)`` (filtered and sorted, every page).

A parameter that does not parse — an unknown sort field, a value outside a filter's choices, a date or period
that cannot be read, a page that is not a number — is a ``ListParamError`` (400 with a Vietnamese message in
the API, the message on the page), never ignored and never a 500. Every order ends with the primary key, so
pages never overlap or skip a row whatever the ties.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import create_model

from . import vn
from .collation import vi
from .errors import ApplicationError
from .period_picker import KEY as PERIOD_KEY
from .period_picker import PeriodChoice, read_period

#: no list has this many pages; anything above is refused before an OFFSET is computed
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 500
SORT_PARAM = "sort"
PAGE_PARAM = "page"
PAGE_SIZE_PARAM = "page_size"
#: the period picker's own fields (core.period_picker), kept across pages like any filter
PERIOD_FIELDS = ("ky", "loai_ky", "nam_ky", "thang", "quy", "ngay", "quy_tac")


class ListParamError(ApplicationError):
    """A list's query parameter that cannot be read (400; shown on the page above an empty list)."""

    code = "invalid_list_parameter"


def _midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in the country's time (settings.TIME_ZONE), as an aware date-time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


# ---------------------------------------------------------------- declarations


@dataclass
class Filter:
    """One filter of a list, read the same way by its page, its export and its API.

    kind: "choice" (one of ``choices``), "model" (an id; ``queryset(user)`` gives the options), "text" (contains,
    ignoring case and accents), "bool" (1/0), "period" (the shared period picker, core.period_picker: a period
    key ``ky=2026Q3`` or the picker's fields; the filter's own name is read as a key too), "date", "date_from",
    "date_to" (dd/mm/yyyy or ISO), "int" (a whole number), "exact" (the value as given).
    ``apply`` narrows a queryset itself when a lookup is not enough: ``apply(qs, value, query)``; a filter with
    ``lookup=""`` and an ``apply`` that returns ``qs`` is a parameter other filters read (a reference date).
    """

    name: str
    label: object
    lookup: str
    kind: str = "choice"
    choices: list | Callable | None = None
    queryset: Callable | None = None  # (user) -> queryset, for kind="model"
    datetime: bool = False
    # (qs, parsed value, query) -> qs, when a lookup is not enough; ``query`` (a ListQuery) carries the other
    # filters' values and the user; for a period filter the value is the Period
    apply: Callable | None = None
    aliases: tuple[str, ...] = ()  # older names of the parameter still read (an API's earlier spelling)

    def raw(self, params) -> str:
        for name in (self.name, *self.aliases):
            value = params.get(name)
            if value not in (None, ""):
                return str(value)
        return ""

    def options(self, user):
        if self.kind == "model" and self.queryset is not None:
            return [(str(o.pk), str(o)) for o in self.queryset(user)]
        if self.kind == "bool":
            return [("1", _("Có")), ("0", _("Không"))]
        return [(str(k), str(v)) for k, v in self.choice_list()]

    def choice_list(self) -> list:
        return list(self.choices() if callable(self.choices) else (self.choices or []))

    def _bad(self, raw: str, hint: str = "") -> ListParamError:
        message = _("Bộ lọc “%(f)s” (%(n)s) không nhận giá trị “%(v)s”.") % {
            "f": self.label,
            "n": self.name,
            "v": raw[:80],
        }
        return ListParamError(f"{message} {hint}".strip(), field_errors={self.name: [hint or message]})

    def parse(self, raw: str):
        """The value of this filter in ``raw`` (None: not set); ListParamError when it does not parse."""
        raw = (raw or "").strip()
        if not raw:
            return None
        if self.kind in ("date_from", "date_to", "date"):
            try:
                return vn.parse_date(raw)
            except ValueError:
                raise self._bad(raw, _("Nhập ngày dạng dd/mm/yyyy, ví dụ 30/11/2026.")) from None
        if self.kind == "bool":
            if raw.lower() in ("1", "true", "on", "co", "có"):
                return True
            if raw.lower() in ("0", "false", "off", "khong", "không"):
                return False
            raise self._bad(raw, _("Dùng 1 (có) hoặc 0 (không)."))
        if self.kind in ("model", "int"):
            try:
                value = int(raw)
            except ValueError:
                raise self._bad(raw, _("Cần một số nguyên (mã số).")) from None
            if not 0 <= value < (2**63 if self.kind == "model" else 2**31):
                raise self._bad(raw, _("Cần một số nguyên (mã số)."))
            return value
        if self.kind == "choice" and self.choices is not None:
            allowed = [str(k) for k, _label in self.choice_list()]
            if raw not in allowed:
                raise self._bad(raw, _("Chọn một trong: %(c)s.") % {"c": ", ".join(allowed)})
        if len(raw) > 200:
            raise self._bad(raw, _("Tối đa 200 ký tự."))
        return raw

    def day_range(self, first: dt.date | None, last: dt.date | None) -> Q:
        """The rows of a date-time column on the local days ``first``…``last`` (either may be open): a range on
        the column itself (from the first day's local midnight to the midnight after the last), which its index
        serves, not the date of every row."""
        q = Q()
        if first is not None:
            q &= Q(**{f"{self.lookup}__gte": _midnight(first)})
        if last is not None:
            q &= Q(**{f"{self.lookup}__lt": _midnight(last + dt.timedelta(days=1))})
        return q

    def q(self, value) -> Q:
        if self.kind == "date":
            return self.day_range(value, value) if self.datetime else Q(**{self.lookup: value})
        if self.kind in ("date_from", "date_to"):
            if self.datetime:
                return self.day_range(value, None) if self.kind == "date_from" else self.day_range(None, value)
            return Q(**{f"{self.lookup}__{'gte' if self.kind == 'date_from' else 'lte'}": value})
        if self.kind == "text":
            return Q(**{f"{self.lookup}__vsearch": value})
        return Q(**{self.lookup: value})


@dataclass
class Sort:
    """A sortable column: ``?sort=<key>`` (ascending) or ``?sort=-<key>`` (descending).

    ``fields`` are the database ordering (default: the key itself); a name or title field is compared in
    Vietnamese order (``vi-x-icu``). Empty values go last in both directions, on PostgreSQL and SQLite alike.
    """

    key: str
    label: object = ""
    fields: tuple[str, ...] | str = ()

    def __post_init__(self):
        if isinstance(self.fields, str):
            self.fields = (self.fields,)
        if not self.fields:
            self.fields = (self.key,)

    def order_by(self, descending: bool) -> list:
        out: list = []
        for name in self.fields:
            base = name.lstrip("-")
            flip = descending != name.startswith("-")
            leaf = base.rsplit("__", 1)[-1]
            expr: Any = vi(base) if is_text_name(leaf) else F(base)
            out.append(expr.desc(nulls_last=True) if flip else expr.asc(nulls_last=True))
        out.append(F("pk").desc() if descending else F("pk").asc())
        return out


def is_text_name(leaf: str) -> bool:
    """A name or title field ("name", "full_name", "name_vi", "title"): compared in Vietnamese order."""
    return leaf.endswith(("name", "title")) or leaf.startswith(("name_", "title_"))


@dataclass
class Header:
    """A column header of a list page: its label, and for a sortable column the link that sorts by it."""

    label: object
    key: str = ""
    url: str = ""
    direction: str = ""  # "asc" / "desc" when the list is sorted by this column
    css: str = ""

    @property
    def aria_sort(self) -> str:
        return {"asc": "ascending", "desc": "descending"}.get(self.direction, "none" if self.key else "")

    @property
    def arrow(self) -> str:
        return {"asc": "▲", "desc": "▼"}.get(self.direction, "")


@dataclass
class ListPage:
    """One page of a list (the attributes Django's Page offers the templates, ``paginator`` included)."""

    items: list
    number: int
    size: int
    count: int

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.size))

    @property
    def paginator(self) -> ListPage:
        return self

    @property
    def object_list(self) -> list:
        return self.items

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def previous_page_number(self) -> int:
        return min(self.number - 1, self.num_pages)

    def next_page_number(self) -> int:
        return self.number + 1

    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.items else 0


@dataclass
class ListResult:
    """What a list page renders: the page, its headers, the query string to keep, the error, the period."""

    page: ListPage
    headers: list[Header]
    querystring: str  # every parameter but the page: for the pager and the export link
    values: dict[str, str]  # each filter's current raw value, by name
    query: ListQuery | None = None  # the parameters read (None when one did not parse)
    error: str = ""
    period_choice: PeriodChoice | None = None
    sort: str = ""

    @property
    def rows(self) -> list:
        return self.page.items


@dataclass
class ListQuery:
    """A list's parameters, read and checked: filter values, search term, sort, page, page size."""

    values: dict[str, Any]
    term: str
    sort: Sort | None
    descending: bool
    page: int
    size: int
    period_choice: PeriodChoice | None
    user: Any = None


@dataclass
class ListSpec:
    """One list's declaration: the filters it accepts, the search, the sortable columns, the default order."""

    filters: list[Filter] = field(default_factory=list)
    search_fields: list[str] = field(default_factory=list)
    sorts: list[Sort] = field(default_factory=list)
    default_sort: str = ""  # "-date"; empty: the model's own ordering, then the primary key
    page_size: int = 50
    search_param: str = "q"

    def __post_init__(self):
        keys = [s.key for s in self.sorts]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate sort keys: {keys}")
        if self.default_sort and self.default_sort.lstrip("-") not in keys:
            raise ValueError(f"default sort {self.default_sort!r} is not one of {keys}")

    # ------------------------------------------------ reading the parameters
    @property
    def period_filter(self) -> Filter | None:
        return next((f for f in self.filters if f.kind == "period"), None)

    def sort_named(self, key: str) -> Sort | None:
        return next((s for s in self.sorts if s.key == key), None)

    def period_choice(self, params) -> PeriodChoice | None:
        """The shared picker's reading of ``params`` for this list's period filter (None: it has none)."""
        f = self.period_filter
        if f is None:
            return None
        if f.name != PERIOD_KEY and (params.get(f.name) or "").strip() and not (params.get(PERIOD_KEY) or "").strip():
            params = {**{k: params.get(k) for k in params}, PERIOD_KEY: params.get(f.name)}
        return read_period(params, optional=True)

    def read(self, params: Mapping) -> ListQuery:
        """Read and check ``params`` (a QueryDict or dict); ListParamError names the first one that is wrong."""
        pc = self.period_choice(params)
        if pc is not None and pc.error:
            raise ListParamError(pc.error, field_errors={PERIOD_KEY: [pc.error]})
        values: dict[str, Any] = {}
        for f in self.filters:
            if f.kind != "period":
                value = f.parse(f.raw(params))
                if value is not None:
                    values[f.name] = value
        term = (params.get(self.search_param) or "").strip() if self.search_fields else ""
        if len(term) > 200:
            raise ListParamError(_("Từ khóa tìm kiếm tối đa 200 ký tự."), field_errors={self.search_param: ["200"]})
        raw_sort = (params.get(SORT_PARAM) or "").strip() or self.default_sort
        sort, descending = None, False
        if raw_sort:
            sort, descending = self.sort_named(raw_sort.lstrip("-")), raw_sort.startswith("-")
            if sort is None:
                allowed = ", ".join(s.key for s in self.sorts) or _("(danh sách này không sắp xếp theo cột)")
                message = _("Không sắp xếp được theo “%(v)s”. Các cột sắp xếp được: %(k)s (thêm “-” để giảm dần).") % {
                    "v": raw_sort[:80],
                    "k": allowed,
                }
                raise ListParamError(message, field_errors={SORT_PARAM: [message]})
        page = _whole(params.get(PAGE_PARAM), PAGE_PARAM, 1, 1, MAX_PAGE, _("Số trang"))
        size = _whole(params.get(PAGE_SIZE_PARAM), PAGE_SIZE_PARAM, self.page_size, 1, MAX_PAGE_SIZE, _("Số dòng"))
        return ListQuery(values, term, sort, descending, page, size, pc)

    # ------------------------------------------------ narrowing and ordering
    def narrow(self, qs, query: ListQuery, user=None):
        if user is not None:
            query.user = user
        pc = query.period_choice
        for f in self.filters:
            if f.kind == "period":
                if pc is not None and pc.chosen and f.apply is not None:
                    qs = f.apply(qs, pc.period, query)
                elif pc is not None and pc.chosen and f.datetime:
                    qs = qs.filter(f.day_range(pc.period.start, pc.period.end))
                elif pc is not None and pc.chosen:
                    qs = qs.filter(**{f"{f.lookup}__range": (pc.period.start, pc.period.end)})
                continue
            if f.name not in query.values:
                continue
            value = query.values[f.name]
            qs = f.apply(qs, value, query) if f.apply is not None else qs.filter(f.q(value))
        if query.term:
            q = Q()
            for name in self.search_fields:
                q |= Q(**{f"{name}__vsearch": query.term})  # "huu nghi" finds "Hữu Nghị" (core.collation)
            qs = qs.filter(q)
        return qs

    def order(self, qs, query: ListQuery):
        if query.sort is not None:
            return qs.order_by(*query.sort.order_by(query.descending))
        ordering = list(qs.query.order_by or qs.model._meta.ordering or [])
        if not any(str(o).lstrip("-") in ("pk", "id") for o in ordering if isinstance(o, str)):
            ordering.append("pk")
        return qs.order_by(*ordering)

    def apply(self, qs, params: Mapping, user=None):
        """``qs`` filtered, searched and sorted as ``params`` say (every page: the export's rows)."""
        query = self.read(params)
        return self.order(self.narrow(qs, query, user), query)

    # ------------------------------------------------ a page
    def paginate(self, qs, query: ListQuery) -> ListPage:
        count = qs.count()
        start = (query.page - 1) * query.size
        items = list(qs[start : start + query.size]) if start < count else []
        return ListPage(items, query.page, query.size, count)

    def page(self, request, qs, *, user=None, columns: list | None = None) -> ListResult:
        """The page of ``qs`` the request asks for, or an empty page and the message when a parameter is wrong.

        ``columns``: (label, sort key or "", css) per column, in display order, for the headers.
        """
        params = request.GET
        error = ""
        try:
            query = self.read(params)
            page = self.paginate(self.order(self.narrow(qs, query, user or request.user), query), query)
        except ListParamError as exc:
            error = str(exc.message)
            query = ListQuery({}, "", None, False, 1, self.page_size, self.period_choice(params))
            page = ListPage([], 1, self.page_size, 0)
        kept = params.copy() if hasattr(params, "copy") else dict(params)
        kept.pop(PAGE_PARAM, None)
        current = (params.get(SORT_PARAM) or "").strip() or self.default_sort
        return ListResult(
            page=page,
            headers=self.headers(params, columns or [], current),
            querystring=kept.urlencode() if hasattr(kept, "urlencode") else urlencode(kept),
            values={f.name: f.raw(params) for f in self.filters},
            query=None if error else query,
            error=error,
            period_choice=query.period_choice,
            sort=current,
        )

    def headers(self, params, columns: list, current: str) -> list[Header]:
        """Each column's header; a sortable one links to the list sorted by it (ascending first, then toggling)."""
        out = []
        base = {k: params.getlist(k) if hasattr(params, "getlist") else [params[k]] for k in params}
        base.pop(PAGE_PARAM, None)
        for col in columns:
            label, key, css = (*col, "")[:3] if isinstance(col, tuple) else (col, "", "")
            if not key or self.sort_named(key) is None:
                out.append(Header(label, css=css))
                continue
            direction = "asc" if current == key else "desc" if current == f"-{key}" else ""
            wanted = f"-{key}" if direction == "asc" else key
            query = {**base, SORT_PARAM: [wanted]}
            url = "?" + urlencode([(k, v) for k, vs in query.items() for v in vs])
            out.append(Header(label, key, url, direction, css))
        return out

    # ------------------------------------------------ the API
    def describe(self) -> str:
        """The filters and sort keys, for an API operation's description."""
        parts = []
        if self.search_fields:
            parts.append(_("%(p)s (tìm kiếm, không phân biệt dấu)") % {"p": self.search_param})
        for f in self.filters:
            if f.kind == "period":
                parts.append(
                    f"{f.name} (2026, 2026H1, 2026N9, 2026Q3, 2026M03, C20261130), " + ", ".join(PERIOD_FIELDS[1:])
                )
            else:
                parts.append(f"{f.name} ({f.label})")
        text = _("Lọc theo: %(f)s — giống trang danh sách.") % {"f": ", ".join(parts) or "—"}
        if self.sorts:
            text += " " + _("Sắp xếp: sort=%(k)s (thêm “-” để giảm dần).") % {"k": "|".join(s.key for s in self.sorts)}
        return text

    def input_schema(self) -> type[Schema]:
        """The API's query schema: page, page_size, sort, the search and each filter (OpenAPI documents them)."""
        sort_help = (
            _("Sắp xếp theo một cột: %(k)s; thêm “-” để giảm dần (ví dụ -%(e)s).")
            % {"k": ", ".join(s.key for s in self.sorts), "e": self.sorts[0].key}
            if self.sorts
            else _("Danh sách này không sắp xếp theo cột.")
        )
        fields: dict[str, Any] = {
            PAGE_PARAM: (int, Field(1, ge=1, le=MAX_PAGE, description="Số trang (1…100000).")),
            PAGE_SIZE_PARAM: (
                int | None,
                Field(
                    None, ge=1, le=MAX_PAGE_SIZE, description=f"Số dòng mỗi trang (1…500; mặc định {self.page_size})."
                ),
            ),
            SORT_PARAM: (str | None, Field(None, description=sort_help, max_length=100)),
        }
        if self.search_fields:
            fields[self.search_param] = (
                str | None,
                Field(None, description="Tìm kiếm (không phân biệt hoa thường, dấu)."),
            )
        for f in self.filters:
            if f.name not in fields:
                fields[f.name] = (str | None, Field(None, description=str(f.label)))
            for alias in f.aliases:  # an earlier spelling, still read
                fields.setdefault(alias, (str | None, Field(None, description=f"{f.label} (= {f.name})")))
        return create_model("ListInput", __base__=Schema, **fields)


def _whole(raw, name: str, default: int, low: int, high: int, label) -> int:
    raw = (str(raw) if raw is not None else "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        message = _("%(l)s (%(n)s) phải là số nguyên từ %(a)s đến %(b)s, không phải “%(v)s”.") % {
            "l": label,
            "n": name,
            "a": low,
            "b": vn.format_number(high),
            "v": raw[:40],
        }
        raise ListParamError(message, field_errors={name: [message]})
    return value


class ListPagination(PaginationBase):
    """ninja pagination reading a ``ListSpec``: ``@paginate(ListPagination, spec=spec)`` on a view that returns
    the user's queryset (already scoped). Filters, search and sort come from the query string exactly as on
    the page; the answer keeps ninja's ``{"items": [...], "count": n}``."""

    class Output(Schema):
        items: list[Any]
        count: int

    def __init__(self, *, spec: ListSpec, **kwargs: Any) -> None:
        self.spec = spec
        self.Input = spec.input_schema()  # type: ignore[assignment]
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        spec = self.spec
        query = spec.read(request.GET)
        qs = spec.order(spec.narrow(queryset, query, request.user), query)
        page = spec.paginate(qs, query)
        return {self.items_attribute: page.items, "count": page.count}


__all__ = ["Filter", "ListPagination", "ListParamError", "ListSpec", "Sort"]
