"""Registry lists filter by the shared period picker (core/period_picker.py): "Quý III/2025" or "6 tháng đầu năm
2025" chosen in words gives the same window as on every other page (consolidation, gate statistics), and the
API lists accept the same period key and picker fields."""

from __future__ import annotations

import pytest
from django.urls import reverse

import borderdesk.urls  # noqa: F401 - mounts the API routers (fills API_PATHS)
from borderdesk.coordination import registries as coordination
from borderdesk.core.period_picker import read_period
from borderdesk.core.periods import parse_period
from borderdesk.core.registry.api import API_PATHS
from borderdesk.frontier import registries as frontier
from borderdesk.gates import registries as gates
from borderdesk.outreach import registries as outreach

pytestmark = pytest.mark.django_db

REGISTRIES = [r for r in [*gates.ALL, *frontier.ALL, *outreach.ALL, *coordination.ALL] if r.period_filter is not None]
PICKS = [  # the picker's fields → the period key every page reads the same way
    ({"loai_ky": "quarter", "nam_ky": "2025", "quy": "3"}, "2025Q3", "decree09"),
    ({"loai_ky": "H1", "nam_ky": "2025"}, "2025H1", "decree09"),
    ({"loai_ky": "month", "nam_ky": "2025", "thang": "12", "quy_tac": "calendar"}, "2025M12", "calendar"),
]


def _expected_ids(registry, user, period):
    f = registry.period_filter
    lk = f"{f.lookup}__date__range" if f.datetime else f"{f.lookup}__range"
    return set(registry.queryset(user).filter(**{lk: (period.start, period.end)}).values_list("pk", flat=True))


def test_every_dated_registry_has_the_picker():
    slugs = {r.slug for r in REGISTRIES}
    assert len(slugs) == 8, slugs  # gate figures, inspections, roads, patrols, incidents, outreach ×2, agreements


@pytest.mark.parametrize("registry", REGISTRIES, ids=lambda r: f"{r.app_namespace}:{r.slug}")
@pytest.mark.parametrize("params,key,rule", PICKS, ids=[k for _p, k, _r in PICKS])
def test_picker_filters_page_and_api_with_the_same_window(client, users, registry, params, key, rule):
    user = users["admin"]
    client.force_login(user)
    period = parse_period(key, rule)
    assert read_period(params).period == period  # the same window as consolidation and gate pages
    expected = _expected_ids(registry, user, period)
    page = client.get(reverse(registry.url_name("list")), {**params, "page_size": 500})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="loai_ky"' in html and f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}" in html
    assert page.context["page"].paginator.count == len(expected)
    assert {o.pk for o, _url, _cells in page.context["rows"]} <= expected
    api = API_PATHS[registry.model]
    for query in (params, {"ky": key, "quy_tac": rule}):
        r = client.get(api, {**query, "page_size": 500})
        assert r.status_code == 200 and r.json()["count"] == len(expected), query
        assert {i["id"] for i in r.json()["items"]} <= expected


def test_the_filter_narrows_and_unreadable_periods_are_refused(client, users):
    client.force_login(users["admin"])
    patrols = frontier.patrols
    url = reverse(patrols.url_name("list"))
    everything = client.get(url, {"page_size": 500}).context["page"].paginator.count
    year = client.get(url, {"ky": "2025", "page_size": 500}).context["page"].paginator.count
    quarter = client.get(url, {"loai_ky": "quarter", "nam_ky": "2025", "quy": "4"}).context["page"].paginator.count
    assert everything >= year >= quarter
    r = client.get(url, {"ky": "2025Q7"})
    assert r.status_code == 400
    assert r.context["page"].paginator.count == 0 and "Kỳ không hợp lệ" in r.content.decode()
    r = client.get(API_PATHS[patrols.model], {"ky": "2025Q7"})  # a 400 that says what to fix, never "no rows"
    assert r.status_code == 400 and "Kỳ không hợp lệ" in r.json()["message"]
    # the gate statistics' own parameter name still reads a key ("period=2025-M03")
    stats = gates.daily_stats
    r = client.get(API_PATHS[stats.model], {"period": "2025-M03", "page_size": 500})
    assert r.json()["count"] == len(_expected_ids(stats, users["admin"], parse_period("2025M03"))) > 0
