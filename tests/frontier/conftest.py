"""Frontier fixtures: a small Lạng Sơn section with markers, built through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from borderdesk.frontier import forms, services
from borderdesk.org.models import AdministrativeUnit, Agency


def aware(y, m, d, h=8):
    return timezone.make_aware(dt.datetime(y, m, d, h, 0))


@pytest.fixture
def save(users):
    """save(form_class, data, instance=None, user="vanphong.ls") -> object (raises on invalid form)."""

    def do(form_class, data, instance=None, user="vanphong.ls", service=None):
        u = users[user]
        form = form_class(data=data, instance=instance, user=u)
        assert form.is_valid(), form.errors
        svc = (
            service
            or {
                forms.BorderSectionForm: services.section_save,
                forms.MarkerForm: services.marker_save,
                forms.MarkerInspectionForm: services.inspection_save,
                forms.PatrolForm: services.patrol_save,
                forms.IncidentForm: services.incident_save,
                forms.SelfManagementForm: services.self_management_save,
                forms.PatrolRoadForm: services.road_save,
            }[form_class]
        )
        obj, _changed = svc(user=u, form=form, instance=instance)
        return obj

    return do


@pytest.fixture
def ls():
    return AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")


@pytest.fixture
def sl():
    return AdministrativeUnit.objects.get(name="Tỉnh Sơn La")


@pytest.fixture
def station():
    return Agency.objects.get(name="Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị")


@pytest.fixture
def world(save, ls, sl, station):
    """A test section in each province with a few markers (separate from the demo data)."""
    sec = save(
        forms.BorderSectionForm,
        {
            "name": "Đoạn thử nghiệm LS",
            "province": ls.pk,
            "neighbour_country": "Trung Quốc",
            "counterpart_province": "Quảng Tây",
            "length_km": "12,500",
            "impact_level": "low",
        },
    )
    sec_sl = save(
        forms.BorderSectionForm,
        {
            "name": "Đoạn thử nghiệm SL",
            "province": sl.pk,
            "neighbour_country": "Lào",
            "length_km": "3.000",
            "impact_level": "low",
        },
        user="vanphong.sl",
    )
    markers = {}
    for i, n in enumerate(["T900", "T901", "T902/2"]):
        markers[n] = save(
            forms.MarkerForm,
            {
                "number": n,
                "kind": "main",
                "arrangement": "single",
                "section": sec.pk,
                "agency": station.pk,
                "latitude": str(Decimal("21.9") + Decimal(i) / 100),
                "longitude": "106.7",
            },
        )
    markers["SL1"] = save(
        forms.MarkerForm,
        {"number": "SL1", "kind": "main", "arrangement": "single", "section": sec_sl.pk},
        user="vanphong.sl",
    )
    return {"section": sec, "section_sl": sec_sl, "markers": markers}
