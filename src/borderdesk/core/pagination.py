"""The one page-number pagination of the API: bounded page numbers (a huge ``page`` is a 422 with a message,
never a database overflow) and bounded page sizes."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as _NinjaPageNumberPagination

#: no list has this many pages; anything above is refused before an OFFSET is computed
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 500


class PageNumberPagination(_NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Số trang (1…100000).")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description="Số dòng mỗi trang (1…500).")
