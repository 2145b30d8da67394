"""Frontier services: lifecycles, merging, marker state, validation."""

import pytest

from borderdesk.core.errors import ApplicationError
from borderdesk.frontier import forms, services
from borderdesk.frontier.models import Incident, IncidentCategory, Marker

from .conftest import aware

pytestmark = pytest.mark.django_db


def _incident(save, world, title="Vượt biên trái phép", when=None, user="vanphong.ls"):
    cat = IncidentCategory.objects.get(code="illegal_crossing")
    return save(
        forms.IncidentForm,
        {
            "title": title,
            "category": cat.pk,
            "occurred_at": (when or aware(2025, 3, 1)).strftime("%Y-%m-%d %H:%M"),
            "marker": world["markers"]["T900"].pk,
            "persons_involved": 3,
            "vehicles_involved": 0,
        },
        user=user,
    )


def test_marker_state_follows_latest_inspection(save, world, users):
    m = world["markers"]["T901"]
    assert m.state == "unknown"
    save(forms.MarkerInspectionForm, {"marker": m.pk, "inspected_on": "2025-01-10", "state": "damaged", "team": "Tổ 1"})
    save(forms.MarkerInspectionForm, {"marker": m.pk, "inspected_on": "2025-03-10", "state": "repaired"})
    save(forms.MarkerInspectionForm, {"marker": m.pk, "inspected_on": "2024-12-01", "state": "lost"})
    m.refresh_from_db()
    assert (m.state, m.state_on.isoformat()) == ("repaired", "2025-03-10")


def test_incident_lifecycle_and_timeline(save, world, users):
    inc = _incident(save, world)
    u = users["vanphong.ls"]
    assert inc.status == "reported" and inc.province.name == "Tỉnh Lạng Sơn"
    with pytest.raises(ApplicationError):
        services.incident_transition(incident=inc, user=u, to="closed")
    services.incident_transition(incident=inc, user=u, to="verified", note="Đã xác minh tại thực địa")
    with pytest.raises(ApplicationError):  # handling needs a mode
        services.incident_transition(incident=inc, user=u, to="handling")
    services.incident_transition(incident=inc, user=u, to="handling", handling_mode="talks")
    with pytest.raises(ApplicationError):  # resolving needs a level
        services.incident_transition(incident=inc, user=u, to="resolved")
    services.incident_transition(incident=inc, user=u, to="resolved", resolution_level="grassroots")
    services.incident_transition(incident=inc, user=u, to="closed")
    inc.refresh_from_db()
    assert inc.status == "closed" and inc.resolved_at and inc.closed_at and inc.handling_mode == "talks"
    assert [x.status for x in inc.updates.order_by("at", "id")] == [
        "reported",
        "verified",
        "handling",
        "resolved",
        "closed",
    ]


def test_stale_version_is_refused(save, world, users):
    inc = _incident(save, world)
    services.incident_transition(incident=inc, user=users["vanphong.ls"], to="verified")
    with pytest.raises(ApplicationError) as e:
        services.incident_transition(
            incident=inc, user=users["vanphong.ls"], to="handling", handling_mode="talks", expected_version=1
        )
    assert e.value.status_code == 409


def test_merge_duplicate(save, world, users):
    u = users["vanphong.ls"]
    a = _incident(save, world, "Báo cáo của đồn")
    b = _incident(save, world, "Báo cáo của xã")
    c = _incident(save, world, "Báo cáo thứ ba")
    services.incident_merge(keep=b, duplicate=c, user=u)
    services.incident_merge(keep=a, duplicate=b, user=u)
    assert set(Incident.objects.filter(merged_into=a).values_list("pk", flat=True)) == {b.pk, c.pk}
    with pytest.raises(ApplicationError):
        services.incident_merge(keep=a, duplicate=a, user=u)
    with pytest.raises(ApplicationError):
        services.incident_merge(keep=b, duplicate=a, user=u)  # b is merged already
    with pytest.raises(ApplicationError):
        services.incident_transition(incident=Incident.objects.get(pk=b.pk), user=u, to="verified")


def test_other_province_is_out_of_scope(save, world, users):
    # Sơn La's standing office cannot move Lạng Sơn's incident.
    inc = _incident(save, world)
    with pytest.raises(ApplicationError) as e:
        services.incident_transition(incident=inc, user=users["vanphong.sl"], to="verified")
    assert e.value.status_code == 404


@pytest.mark.parametrize(
    "data,field",
    [
        ({"latitude": "30.0", "longitude": "106.7"}, "latitude"),
        ({"latitude": "21.0", "longitude": "120.0"}, "longitude"),
        ({"number": "T900"}, "number"),  # duplicate identifier in the province
    ],
)
def test_marker_bad_input(world, users, data, field):
    base = {"number": "T950", "kind": "main", "arrangement": "single", "section": world["section"].pk}
    form = forms.MarkerForm(data=base | data, user=users["vanphong.ls"])
    if form.is_valid():
        with pytest.raises(ApplicationError) as e:
            services.marker_save(user=users["vanphong.ls"], form=form)
        assert field in e.value.field_errors
    else:
        assert field in form.errors
    assert (
        "vĩ độ" in str(forms.MarkerForm(data=base | {"latitude": "30"}, user=users["vanphong.ls"]).errors).lower()
        or field != "latitude"
    )
    assert not Marker.objects.filter(number="T950").exists()


def test_section_of_other_province_not_selectable(world, users):
    form = forms.MarkerForm(
        data={"number": "X1", "kind": "main", "arrangement": "single", "section": world["section_sl"].pk},
        user=users["vanphong.ls"],
    )
    assert not form.is_valid() and "section" in form.errors


def test_patrol_end_before_start_and_foreign_marker(world, users, station):
    base = {"kind": "unilateral", "started_at": "2025-02-01 08:00", "agency": station.pk, "participants": 5}
    form = forms.PatrolForm(data=base | {"ended_at": "2025-01-31 08:00"}, user=users["vanphong.ls"])
    assert not form.is_valid() and "ended_at" in form.errors
    form = forms.PatrolForm(data=base | {"participants": -3}, user=users["vanphong.ls"])
    assert not form.is_valid() and "participants" in form.errors
    form = forms.PatrolForm(data=base | {"from_marker": world["markers"]["SL1"].pk}, user=users["vanphong.ls"])
    assert not form.is_valid() and "from_marker" in form.errors  # not in the user's scope


def test_self_management_dates(world, users):
    form = forms.SelfManagementForm(
        data={
            "registrant_kind": "household",
            "registrant_name": "Hộ ông A",
            "section": world["section"].pk,
            "km": "1,5",
            "valid_from": "2025-01-01",
            "valid_to": "2024-01-01",
        },
        user=users["vanphong.ls"],
    )
    assert not form.is_valid() and "valid_to" in form.errors
