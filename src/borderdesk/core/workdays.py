"""Vietnam's working-day calendar: the days a deadline counts (weekends, public holidays and the days off
moved by government decision do not count; a Saturday worked in exchange does).

Next to :mod:`borderdesk.core.periods` rather than inside it: periods are stdlib-only, the calendar comes
from the ``holidays`` package. Used by the reporting deadlines (``reporting.window.deadline_for``).
"""

from __future__ import annotations

import datetime as dt
import functools

import holidays


@functools.cache
def _vn_calendar():
    """Vietnam's public holidays (Tết and the Hùng Kings' day follow the lunar calendar), days off moved by
    government decision, and the Saturdays worked in exchange — from the ``holidays`` package."""
    return holidays.country_holidays("VN", language="vi")


def is_working_day(day: dt.date) -> bool:
    return _vn_calendar().is_working_day(day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """``day`` plus ``n`` working days: weekends and Vietnamese public holidays (Tết, 30/4, 1/5, 2/9, ...)
    do not count; a Saturday worked in exchange for a day off does."""
    while n > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day
