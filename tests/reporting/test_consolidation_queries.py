"""A consolidation costs a bounded number of queries: more provinces, forms and reports do not add any."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.core.periods import MONTH, cutoff_period, period_for
from borderdesk.org.models import AdministrativeUnit
from borderdesk.reporting import consolidation, services
from borderdesk.reporting.models import ReportForm

from .test_rollup import CODES, _report

pytestmark = pytest.mark.django_db

# 30, and one per year read (this year, last year) for the indicators of the reporters with fewer figures than
# there are indicators, read apart from the window's rows (engine.run).
BOUND = 32


def _queries(unit, period, include_submitted) -> int:
    with CaptureQueriesContext(connection) as ctx:
        consolidation.consolidation_get(user=None, unit=unit, period=period, include_submitted=include_submitted)
    return len(ctx.captured_queries)


def _add(admin, country, tag: str, provinces: int, rnd) -> None:
    """``provinces`` border provinces of two communes, a month form, a year form and a province's own month form
    replacing the first for one commune, with approved and pending reports (quotes and qualifiers included)."""
    communes = []
    for p in range(provinces):
        prov = AdministrativeUnit(name=f"Tỉnh {tag}{p}", code=f"{tag}{p}", kind="province", parent=country)
        prov.is_border = True
        prov.save()
        prov.path = f"{country.path}{prov.pk}/"
        prov.save(update_fields=["path"])
        for c in range(2):
            u = AdministrativeUnit(name=f"Xã {tag}{p}-{c}", code=f"{tag}{p}X{c}", kind="commune", parent=prov)
            u.is_border = True
            u.save()
            u.path = f"{prov.path}{u.pk}/"
            u.save(update_fields=["path"])
            communes.append(u)
    forms = {}
    for code, kind in (("thang", "month"), ("nam", "year"), ("thang-tinh", "month")):
        forms[code] = services.form_version_create(
            user=admin,
            code=f"{tag}-{code}",
            name=f"{tag}-{code}",
            sections=[{"code": "all", "title": "Tất cả", "indicators": list(CODES)}],
            narrative_sections=[],
            period_spec={"kind": kind, "rule": "decree09"},
            reporter_spec={"unit_kinds": ["commune"]} if code != "thang-tinh" else {"units": [communes[0].pk]},
            lock_days=None,
        ).form
    ReportForm.objects.filter(pk=forms["thang-tinh"].pk).update(replaces=forms["thang"])
    for u in communes:
        for m in (1, 2, 3):
            _report(admin, forms["thang"], f"2025M{m:02d}", {"unit": u}, rnd, approve=m != 3)
        _report(admin, forms["nam"], "2025", {"unit": u}, rnd)
    _report(admin, forms["thang-tinh"], "2025M04", {"unit": communes[0]}, rnd)


def test_more_provinces_forms_and_reports_add_no_query(users):
    admin = users["admin"]
    country = AdministrativeUnit.objects.get(kind="country")
    periods = [period_for("year", 2025), period_for(MONTH, 2025, 3), cutoff_period(dt.date(2025, 11, 20), "decree09")]
    cases = [(country, p, s) for p in periods for s in (False, True)]
    rnd = random.Random(7)
    _add(admin, country, "QA", 1, rnd)  # every kind of data once: replaced forms, quotes, pending reports
    before = [_queries(*c) for c in cases]
    assert max(before) <= BOUND, before
    _add(admin, country, "QB", 3, rnd)  # three more provinces, three more forms, their reports
    assert [_queries(*c) for c in cases] == before
