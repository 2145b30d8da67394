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
        previous = vn.format_figure(f.previous, report[code]["unit"]) if f.previous is not None else ""
        assert "|" + previous + "⟫" in report[code]["previous"] or previous == report[code]["previous"] == "", slug
    # What the issue saw: the registry's patrols and persons, not the approved reports' 176 and 250.250.
    assert figs["patrols"].source == "registry" and figs["patrols"].value != 176
    assert figs["crossings"].source == "registry" and figs["crossings"].value != 250250
    assert figs["trade"].source == "approved"
    html = r.content.decode()
    assert html.count('class="badge source') >= 5
    assert "Nguồn: sổ theo dõi" in html and "Nguồn: báo cáo đã duyệt" in html
    assert "/tong-quan/cua-khau/?ky=2025" in html  # a registry figure links to its records


def test_national_rows_follow_the_report_rule_with_fixed_queries(users, unit):
    from borderdesk.org.models import AdministrativeUnit

    period = parse_period("2025")
    admin = users["admin"]

    def rows():
        with CaptureQueriesContext(connection) as ctx:
            groups = selectors.national_groups(user=admin, period=period)
        return {u.pk: figs for g in groups for u, figs in g.rows}, len(ctx)

    rows()  # warm-up (caches of the first request)
    before, n_before = rows()
    assert unit("Tỉnh Lạng Sơn").pk in before and len(before) >= 2
    for pk, figs in before.items():  # each row = that province's own dashboard
        own = selectors.key_figures(user=admin, unit=AdministrativeUnit.objects.get(pk=pk), period=period)
        for slug in ("crossings", "trade", "patrols", "incidents", "markers", "self_mgmt", "completeness"):
            got = figs[slug]
            assert (got.value, got.previous, got.source) == (own[slug].value, own[slug].previous, own[slug].source), (
                pk,
                slug,
            )
    # More border provinces (with communes that report): the same number of queries.
    country = unit("Việt Nam")
    for i in range(4):
        p = AdministrativeUnit.objects.create(name=f"Tỉnh Thử {i}", kind="province", parent=country, is_border=True)
        AdministrativeUnit.objects.create(name=f"Xã Thử {i}", kind="commune", parent=p, is_border=True)
    after, n_after = rows()
    assert len(after) == len(before) + 4
    assert n_after == n_before, (n_before, n_after)
    assert n_before < 30, n_before


@pytest.mark.parametrize(
    "params,key",
    [
        ({"loai_ky": "quarter", "nam_ky": "2025", "quy": "3"}, "2025Q3"),
        ({"loai_ky": "N9", "nam_ky": "2025"}, "2025N9"),
        ({"loai_ky": "cutoff", "nam_ky": "2025", "ngay": "30/11/2025"}, "C20251130"),
        ({"ky": "2025M06"}, "2025M06"),
    ],
)
def test_the_dashboards_take_the_shared_period_picker(client, users, unit, params, key):
    ls = unit("Tỉnh Lạng Sơn")
    client.force_login(users["lanhdao.ls"])
    r = client.get("/tong-quan/tinh/", {"don_vi": ls.pk, **params})
    assert r.status_code == 200
    assert r.context["period"].key.startswith(key), r.context["period"].key
    html = r.content.decode()
    assert 'name="loai_ky"' in html and 'name="ngay"' in html and 'name="ky"' not in html  # no free text
    figs = {f.slug: f for f in r.context["figures"]}
    k = r.context["period"].key
    assert f"ky={k}" in figs["trade"].url and f"ky={k}&amp;quy_tac=decree09" in html  # links keep the period
    year = {f.slug: f for f in client.get("/tong-quan/tinh/", {"don_vi": ls.pk, "ky": "2025"}).context["figures"]}
    assert figs["patrols"].value != year["patrols"].value  # the figures follow the chosen period
    n = client.get("/tong-quan/toan-quoc/", params)
    assert n.status_code == 200 and n.context["period"].key == k
    assert f"?don_vi={ls.pk}&amp;ky={k}" in n.content.decode()


def test_a_bad_period_says_so_and_shows_the_default(client, users):
    client.force_login(users["lanhdao.ls"])
    r = client.get("/tong-quan/tinh/", {"loai_ky": "quarter", "nam_ky": "2025", "quy": "9"})
    assert r.status_code == 200 and "Quý phải từ I đến IV." in r.content.decode()
    assert r.context["period"].key == r.context["pc"].period.key
