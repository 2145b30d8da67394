"""Stock figures across a unit's end (issue 11 part 6): a unit that ended inside a window contributes
its last reported stock unless a successor counted in the same consolidation reports it."""

from __future__ import annotations

import pytest

from borderdesk.core.periods import parse_period
from borderdesk.reporting import aggregation, consolidation
from borderdesk.reporting.models import ReportForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form_code", [None, "bc-xa-thang"])
def test_district_that_ended_in_the_year_keeps_its_last_households(users, unit, form_code):
    """Huyện Cao Lộc ended on 30/6/2025: its communes' last stock stands for 2025, not 0 / "giảm 100%"."""
    cao_loc = unit("Huyện Cao Lộc")
    form = ReportForm.objects.get(code=form_code) if form_code else None
    year = consolidation.consolidation_get(
        user=users["lanhdao.ls"], unit=cao_loc, period=parse_period("2025"), form=form
    )
    h1 = consolidation.consolidation_get(
        user=users["lanhdao.ls"], unit=cao_loc, period=parse_period("2025H1"), form=form
    )
    row, last = year.row("SELF_MGMT_HOUSEHOLDS"), h1.row("SELF_MGMT_HOUSEHOLDS")
    assert row.contributors and last.value
    assert row.value == last.value
    assert "100%" not in row.compare_phrase
    # The roll-up and the values agree.
    assert aggregation.rollup_differences(unit=cao_loc, period=parse_period("2025"), form=form) == []
    assert aggregation.rollup_differences(unit=cao_loc, period=parse_period("2025H2"), form=form) == []


def test_province_still_counts_a_stock_once_across_the_reform(users, unit):
    """Where the successor commune is counted too, the closed commune's stock is not added again."""
    ls = unit("Tỉnh Lạng Sơn")
    cons = consolidation.consolidation_get(
        user=users["lanhdao.ls"], unit=ls, period=parse_period("2025"), form=ReportForm.objects.get(code="bc-xa-thang")
    )
    assert cons.row("SELF_MGMT_HOUSEHOLDS").value == 150
    assert aggregation.rollup_differences(unit=ls, period=parse_period("2025")) == []
