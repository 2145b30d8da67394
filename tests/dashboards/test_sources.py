"""The dashboards show the figure the drafted report writes (same unit, same period, same source rule) and say
which source it comes from; the national table's per-province figures are the same and cost a fixed number of
queries, whatever the number of provinces."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.core import vn
from borderdesk.core.periods import parse_period
from borderdesk.dashboards import selectors
from borderdesk.dashboards.figures import SLUG_CODES

pytestmark = pytest.mark.django_db


def _report(user, period: str) -> dict:
    """The Lạng Sơn committee's drafted report context: indicator code → Figure (as the report writes it)."""
    from borderdesk.documents import drafting
    from borderdesk.org.models import Committee

    committee = Committee.objects.get(code="ls-bcdbg")
    p = parse_period(period)
    inp = drafting.DraftInput(committee=committee, period=p, report_date=dt.date(p.end.year + 1, 1, 10))
    return drafting.build_context(user=user, inp=inp)["f"]


def test_dashboard_figures_equal_the_report_for_lang_son_2025(client, users, unit):
    ls = unit("Tỉnh Lạng Sơn")
    client.force_login(users["lanhdao.ls"])
    r = client.get("/tong-quan/tinh/", {"ky": "2025", "don_vi": ls.pk})
    assert r.status_code == 200
    figs = {f.slug: f for f in r.context["figures"]}
    report = _report(users["vanphong.ls"], "2025")
    for slug, codes in SLUG_CODES.items():
        code = next(c for c in codes if report[c]["has"])
        f = figs[slug]
        assert f.value == report[code]["raw"], (slug, f.value, report[code]["raw"])
        assert f.source == report[code]["source"], (slug, f.source, report[code]["source"])
        previous = vn.format_with_qualifier(f.previous, report[code]["unit"]) if f.previous is not None else ""
        assert "|" + previous + "⟫" in report[code]["previous"] or previous == report[code]["previous"] == "", slug
    # What the issue saw: the registry's patrols and persons, not the approved reports' 176 and 250.250.
    assert figs["patrols"].source == "registry" and figs["patrols"].value != 176
    assert figs["crossings"].source == "registry" and figs["crossings"].value != 250250
    assert figs["trade"].source == "approved"
    html = r.content.decode()
    assert html.count('class="badge source') >= 5
    assert "Nguồn: sổ theo dõi" in html and "Nguồn: báo cáo đã duyệt" in html
    assert "/tong-quan/cua-khau/?ky=2025" in html            # a registry figure links to its records


def test_national_rows_follow_the_report_rule_with_fixed_queries(users, unit):
    from borderdesk.org.models import AdministrativeUnit

    period = parse_period("2025")
    admin = users["admin"]

    def rows():
        with CaptureQueriesContext(connection) as ctx:
            groups = selectors.national_groups(user=admin, period=period)
        return {u.pk: figs for g in groups for u, figs in g.rows}, len(ctx)

    rows()                                                     # warm-up (caches of the first request)
    before, n_before = rows()
    assert unit("Tỉnh Lạng Sơn").pk in before and len(before) >= 2
    for pk, figs in before.items():                            # each row = that province's own dashboard
        own = selectors.key_figures(user=admin, unit=AdministrativeUnit.objects.get(pk=pk), period=period)
        for slug in ("crossings", "trade", "patrols", "incidents", "markers", "self_mgmt", "completeness"):
            got = figs[slug]
            assert (got.value, got.previous, got.source) == (own[slug].value, own[slug].previous,
                                                             own[slug].source), (pk, slug)
    # More border provinces (with communes that report): the same number of queries.
    country = unit("Việt Nam")
    for i in range(4):
        p = AdministrativeUnit.objects.create(name=f"Tỉnh Thử {i}", kind="province", parent=country, is_border=True)
        AdministrativeUnit.objects.create(name=f"Xã Thử {i}", kind="commune", parent=p, is_border=True)
    after, n_after = rows()
    assert len(after) == len(before) + 4
    assert n_after == n_before, (n_before, n_after)
    assert n_before < 30, n_before
