"""Each derived figure, for a province subtree and a period, counting merged duplicates once."""

from decimal import Decimal

import pytest

from borderdesk.core.periods import parse_period
from borderdesk.frontier import derived, forms, services
from borderdesk.frontier.models import IncidentCategory
from borderdesk.org.models import AdministrativeUnit, Agency
from borderdesk.reporting.registry import compute_derived, derived_indicators

from .conftest import aware

pytestmark = pytest.mark.django_db


def scope_of(name):
    root = AdministrativeUnit.objects.get(name=name)
    unit_ids = frozenset(AdministrativeUnit.objects.filter(path__startswith=root.path).values_list("pk", flat=True))
    agency_ids = frozenset(Agency.objects.filter(unit_id__in=unit_ids).values_list("pk", flat=True))
    return {"unit_ids": unit_ids, "agency_ids": agency_ids}


@pytest.fixture
def events(world, save, station, users):
    m = world["markers"]
    u = users["vanphong.ls"]
    P = forms.PatrolForm
    for kind, when, cp in [
        ("bilateral", "2025-03-01 08:00", "Trạm BP Hữu Nghị Quan"),
        ("bilateral", "2025-06-01 08:00", "Trạm BP Hữu Nghị Quan"),
        ("unilateral", "2025-04-01 08:00", ""),
        ("joint", "2025-05-01 08:00", ""),
        ("closed_loop", "2025-05-02 08:00", ""),
        ("bilateral", "2024-12-14 22:00", "x"),  # before the Decree 09 year 2025
        ("unilateral", "2025-12-15 00:30", ""),
    ]:  # after it
        save(
            P,
            {
                "kind": kind,
                "started_at": when,
                "agency": station.pk,
                "counterpart_unit": cp,
                "participants": 10,
                "from_marker": m["T900"].pk,
            },
        )
    for num, state, day in [
        ("T900", "intact", "2025-02-01"),
        ("T901", "damaged", "2025-02-01"),
        ("T901", "repaired", "2025-11-01"),
        ("T902/2", "displaced", "2025-03-01"),
        ("T902/2", "intact", "2026-01-05"),
    ]:
        save(forms.MarkerInspectionForm, {"marker": m[num].pk, "inspected_on": day, "state": state})
    cats = {c.code: c.pk for c in IncidentCategory.objects.all()}

    def incident(title, code, when):
        return save(
            forms.IncidentForm,
            {
                "title": title,
                "category": cats[code],
                "occurred_at": when,
                "section": world["section"].pk,
                "persons_involved": 2,
                "vehicles_involved": 0,
            },
        )

    a = incident("Vượt biên (đồn báo)", "illegal_crossing", "2025-03-05 07:00")
    b = incident("Vượt biên (xã báo)", "illegal_crossing", "2025-03-05 07:30")
    incident("Buôn lậu đường", "smuggling", "2025-07-01 10:00")
    incident("Xâm canh", "encroachment", "2025-08-01 10:00")
    services.incident_merge(keep=a, duplicate=b, user=u)
    services.incident_transition(incident=a, user=u, to="verified", at=aware(2025, 3, 6))
    services.incident_transition(
        incident=a, user=u, to="resolved", resolution_level="grassroots", at=aware(2025, 3, 10)
    )
    for kind, name, km, start, end in [
        ("collective", "Đoàn thanh niên xã", "2,5", "2023-01-01", ""),
        ("household", "Hộ A", "1", "2024-03-03", ""),
        ("household", "Hộ B", "1,2", "2024-03-03", "2025-06-30"),
        ("individual", "Ông C", "0,5", "2025-03-03", ""),
    ]:
        save(
            forms.SelfManagementForm,
            {
                "registrant_kind": kind,
                "registrant_name": name,
                "km": km,
                "section": world["section"].pk,
                "valid_from": start,
                "valid_to": end,
                "markers": [m["T900"].pk, m["T901"].pk] if kind == "collective" else [m["T901"].pk],
            },
        )
    save(
        forms.PatrolRoadForm,
        {
            "name": "Đường lên mốc T901",
            "kind": "inspection",
            "section": world["section"].pk,
            "length_km": "0,250",
            "built_on": "2025-05-05",
        },
    )
    save(
        forms.PatrolRoadForm,
        {
            "name": "Đường tuần tra T900-T902",
            "kind": "patrol",
            "section": world["section"].pk,
            "length_km": "3,4",
            "built_on": "2025-05-05",
        },
    )


EXPECTED_2025 = {
    "PATROLS_BILATERAL": 2,
    "PATROLS_UNILATERAL": 1,
    "PATROLS_JOINT": 1,
    "PATROLS_TOTAL": 5,
    "PATROL_PARTICIPANTS": 50,
    "INCIDENTS_TOTAL": 3,  # the merged duplicate is counted once
    "INCIDENTS_RESOLVED": 1,
    "ILLEGAL_CROSSING_CASES": 1,
    "ILLEGAL_CROSSING_PERSONS": 2,
    "SMUGGLING_CASES": 1,
    "INCIDENTS_ENCROACHMENT": 1,
    "INCIDENTS_MARKER_DAMAGE": 0,
    "MARKERS_INTACT": 2,  # T900 intact, T901 repaired; T902/2 displaced until 2026
    "MARKERS_DAMAGED": 1,
    "MARKERS_TOTAL": 3,
    "MARKER_INSPECTIONS": 4,
    "MARKERS_REPAIRED": 1,
    "SELF_MGMT_COLLECTIVES": 1,
    "SELF_MGMT_HOUSEHOLDS": 1,
    "SELF_MGMT_INDIVIDUALS": 1,
    "SELF_MGMT_KM": Decimal("4.0"),
    "SELF_MGMT_MARKERS": 2,
    "INSPECTION_ROADS_BUILT": 1,
    "PATROL_ROAD_KM": Decimal("3.4"),
}


@pytest.mark.parametrize("code", sorted(EXPECTED_2025))
def test_each_derived_figure(events, code, world):
    # The demo data also covers Lạng Sơn: compare with the figure before the test events were added.
    scope = scope_of("Tỉnh Lạng Sơn")
    period = parse_period("2025")
    value = compute_derived(code, **scope, period=period)
    baseline = _baseline(code, scope, period)
    assert value - baseline == Decimal(EXPECTED_2025[code]), code


_BASELINES = {}


def _baseline(code, scope, period):
    return _BASELINES.get(code, Decimal(0))


@pytest.fixture(autouse=True)
def _record_baselines(request, django_db_blocker):
    # Baselines: the same figures before the test events were added (demo data only).
    if "events" in request.fixturenames and not _BASELINES:
        scope = scope_of("Tỉnh Lạng Sơn")
        period = parse_period("2025")
        for code in EXPECTED_2025:
            _BASELINES[code] = compute_derived(code, **scope, period=period) or Decimal(0)
    yield


def test_registered_with_reporting():
    codes = {c for c, d in derived_indicators().items() if d.source == "frontier"}
    assert set(EXPECTED_2025) <= codes


def test_blank_when_nothing_in_scope():
    period = parse_period("2025")
    assert derived.patrols_bilateral(unit_ids=frozenset({-1}), agency_ids=frozenset(), period=period) is None
    assert derived.markers_intact(unit_ids=frozenset(), agency_ids=frozenset(), period=period) is None


def test_each_figure_is_one_query(events, django_assert_num_queries):
    scope = scope_of("Tỉnh Lạng Sơn")
    period = parse_period("2025")
    for d in derived_indicators().values():
        if d.source != "frontier":
            continue
        with django_assert_num_queries(1):
            d.compute(**scope, period=period)


def test_other_province_unaffected(events):
    scope = scope_of("Tỉnh Sơn La")
    before_demo = compute_derived("PATROLS_BILATERAL", **scope, period=parse_period("2025"))
    # Sơn La's figures never include Lạng Sơn's test patrols (the baseline is Sơn La's demo rows only).
    from borderdesk.frontier.models import Patrol

    n = Patrol.objects.filter(
        province__name="Tỉnh Sơn La",
        kind="bilateral",
        started_at__date__gte="2024-12-15",
        started_at__date__lte="2025-12-14",
    ).count()
    assert (before_demo or 0) == n
