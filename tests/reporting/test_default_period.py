"""The period a report opens on by default: the last one that has ended, of the current year where it has."""

from __future__ import annotations

import datetime as dt

import pytest

from borderdesk.reporting.models import ReportForm
from borderdesk.reporting.window import default_period_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "today", "expected"),
    [
        # A 6-month (sơ kết) form in December: this year's first half has ended (Decree 09: 15/12–14/06).
        ("bc-6-thang", dt.date(2026, 12, 7), "2026H1"),
        ("bc-6-thang", dt.date(2026, 6, 20), "2026H1"),
        # ... but not yet in May: last year's.
        ("bc-6-thang", dt.date(2026, 5, 20), "2025H1"),
        # A monthly form: the month before the running one.
        ("bc-xa-thang", dt.date(2026, 12, 7), "2026M11"),
    ],
)
def test_default_period_is_the_last_ended(code, today, expected):
    form = ReportForm.objects.get(code=code)
    assert default_period_for(form, today).key == expected
