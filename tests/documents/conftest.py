import datetime as dt
import io

import docx
import pytest
from django.utils import translation

from borderdesk.core.periods import parse_period
from borderdesk.org.models import Committee


@pytest.fixture(autouse=True)
def vietnamese():
    """Messages and labels are asserted in Vietnamese. A page request made earlier in the same worker
    with the English cookie leaves English active in the thread (LocaleMiddleware does not reset it)."""
    with translation.override("vi"):
        yield


@pytest.fixture
def draft_2025(db, users):
    """The demo's 2025 annual report for Lạng Sơn, dated 05/01/2026."""
    from borderdesk.documents import services

    c = Committee.objects.get(code="ls-bcdbg")
    return services.draft_create(
        user=users["vanphong.ls"], committee=c, period=parse_period("2025"), report_date=dt.date(2026, 1, 5)
    )


def read_docx(data) -> docx.Document:
    return docx.Document(io.BytesIO(bytes(data)))


def all_text(d) -> str:
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)
