"""Registries whose save service has rules of its own import on the bulk path too (issue 14 part 2), and the
rules still apply: the bulk import refuses exactly the rows the row-by-row service refuses, with the same
messages, and leaves the same data behind (a marker's state, a day's channel, the periods of a gate)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from borderdesk.coordination.models import Agreement
from borderdesk.coordination.registries import agreements
from borderdesk.core.permissions import Op
from borderdesk.core.registry import tabular
from borderdesk.frontier.models import IncidentCategory, Marker, MarkerInspection
from borderdesk.frontier.registries import categories, inspections
from borderdesk.gates import services as gate_services
from borderdesk.gates.models import BorderGate, GateDailyStat, GateStatusPeriod
from borderdesk.gates.registries import daily_stats, status_periods

pytestmark = pytest.mark.django_db


def _import(registry, user, text, *, bulk, save=None):
    rows = tabular.read_table(SimpleUploadedFile("f.csv", text.encode("utf-8")), filename="f.csv")
    return tabular.import_rows(
        rows=rows,
        form_class=registry.form_class,
        queryset=registry.model._default_manager.for_user(user, registry.action(Op.CHANGE)),
        user=user,
        save=save or registry.save,
        form_kwargs={"user": user},
        bulk=bulk,
        after_bulk=registry.after_bulk if bulk else None,
        bulk_rules=registry.bulk_rules if bulk else None,
    )


def _both(registry, user, text, state=lambda: None, save=None):
    """Import `text` row by row through the registry's service, then in bulk, each rolled back afterwards;
    the two must refuse the same rows with the same messages and leave the same state. Returns the bulk run's."""
    assert registry.bulk_import
    runs = []
    for bulk in (False, True):
        with transaction.atomic():
            result = _import(registry, user, text, bulk=bulk, save=save)
            runs.append(
                (
                    sorted((e.row, e.field, str(e.message)) for e in result.errors),
                    (result.created, result.updated, result.unchanged),
                    state(),
                )
            )
            transaction.set_rollback(True)
    assert runs[0] == runs[1], f"row by row {runs[0]} != bulk {runs[1]}"
    return runs[1]


# ---------------------------------------------------------------- gate status periods: no overlap


@pytest.fixture
def gate():
    return BorderGate.objects.get(pk=1)  # Hữu Nghị (Lạng Sơn), no status period in the demo


def _periods(gate):
    return lambda: list(
        GateStatusPeriod.objects.filter(gate=gate)
        .order_by("valid_from")
        .values_list("status", "valid_from", "valid_to")
    )


def test_status_periods_bulk_refuses_the_overlaps_the_service_refuses(users, gate):
    user = users["vanphong.ls"]
    text = (
        "gate,status,valid_from,valid_to,reason\n"
        f"{gate.pk},open,01/01/2020,31/12/2020,a\n"
        f"{gate.pk},suspended,01/06/2020,,b\n"  # overlaps the row above: refused
        f"{gate.pk},open,01/01/2021,,c\n"  # the refused row was not saved: no clash with it
        f"{gate.pk},suspended,01/03/2022,30/03/2022,d\n"  # inside the open-ended row above: refused
    )
    errors, counts, periods = _both(status_periods, user, text, _periods(gate))
    assert errors == [(3, "valid_from", "Trùng với giai đoạn khác."), (5, "valid_from", "Trùng với giai đoạn khác.")]
    assert counts == (0, 0, 0) and periods == []  # all or nothing


def test_status_periods_rows_see_the_rows_above_saved_and_the_rows_below_stored(users, gate):
    user = users["vanphong.ls"]
    p1 = gate_services.status_period_add(
        user=user, gate=gate, status="open", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2020, 12, 31)
    )
    p2 = gate_services.status_period_add(
        user=user, gate=gate, status="suspended", valid_from=dt.date(2021, 1, 1), valid_to=dt.date(2021, 12, 31)
    )
    text = (
        "id,gate,status,valid_from,valid_to\n"
        f"{p1.pk},{gate.pk},open,01/01/2022,31/12/2022\n"  # p1 moves to 2022
        f",{gate.pk},open,01/01/2020,30/06/2020\n"  # where p1 was: free now
        f"{p2.pk},{gate.pk},suspended,01/06/2022,31/12/2022\n"  # onto p1's new place: refused
    )
    errors, counts, _state = _both(status_periods, user, text, _periods(gate))
    assert errors == [(4, "valid_from", "Trùng với giai đoạn khác.")]
    good = text.rsplit("\n", 2)[0] + "\n"
    errors, counts, periods = _both(status_periods, user, good, _periods(gate))
    assert errors == [] and counts == (1, 1, 0)
    assert [p[1] for p in periods] == [dt.date(2020, 1, 1), dt.date(2021, 1, 1), dt.date(2022, 1, 1)]


# ---------------------------------------------------------------- gate daily figures: the import channel


def test_daily_stats_bulk_marks_new_and_changed_days_imported_as_the_service_does(users, gate):
    user = users["vanphong.ls"]
    changed, noted = GateDailyStat.objects.filter(gate=gate).order_by("-date")[:2]
    GateDailyStat.objects.filter(pk__in=[changed.pk, noted.pk]).update(channel="form")
    text = (
        "id,gate,date,persons_exit,note\n"
        f"{changed.pk},{gate.pk},{changed.date:%d/%m/%Y},{changed.persons_exit + 5},\n"
        f"{noted.pk},{gate.pk},{noted.date:%d/%m/%Y},{noted.persons_exit},ghi chú mới\n"
        f",{gate.pk},01/01/2031,120,\n"
    )

    def state():
        return sorted(
            GateDailyStat.objects.filter(
                gate=gate, date__in=[changed.date, noted.date, dt.date(2031, 1, 1)]
            ).values_list("date", "channel", "persons_exit", "note")
        )

    errors, counts, rows = _both(daily_stats, user, text, state, save=gate_services.daily_stat_import_save)
    assert errors == [] and counts == (1, 2, 0)
    channels = {day: channel for day, channel, _p, _n in rows}
    assert channels == {changed.date: "import", noted.date: "form", dt.date(2031, 1, 1): "import"}
    bad = text + f",{gate.pk},02/01/2031,-7,\n" + f",{gate.pk},khong-phai-ngay,1,\n"
    errors, counts, rows = _both(daily_stats, user, bad, state, save=gate_services.daily_stat_import_save)
    assert [e[0] for e in errors] == [5, 6] and counts == (0, 0, 0)
    assert {day: channel for day, channel, _p, _n in rows} == {changed.date: "form", noted.date: "form"}


# ---------------------------------------------------------------- marker inspections: the marker's state


def test_inspections_bulk_keep_each_markers_state_as_the_service_does(users):
    user = users["vanphong.ls"]
    marker = Marker.objects.get(pk=11)
    latest = marker.inspections.order_by("-inspected_on", "-id").first()  # damaged, 16/02/2026
    other = Marker.objects.exclude(pk=marker.pk).filter(agency_id=marker.agency_id).first()
    ids = [marker.pk, other.pk]

    def state():
        return sorted(Marker.objects.filter(pk__in=ids).values_list("pk", "state", "state_on"))

    new = f"marker,inspected_on,team,agency,state\n{marker.pk},01/03/2026,Tổ 1,{marker.agency_id},intact\n"
    errors, counts, markers = _both(inspections, user, new, state)
    assert errors == [] and counts == (1, 0, 0) and (marker.pk, "intact", dt.date(2026, 3, 1)) in markers
    moved = f"id,marker\n{latest.pk},{other.pk}\n"  # the marker's latest inspection was recorded on the wrong one
    errors, counts, markers = _both(inspections, user, moved, state)
    previous = marker.inspections.exclude(pk=latest.pk).order_by("-inspected_on", "-id").first()
    assert errors == [] and (marker.pk, previous.state, previous.inspected_on) in markers
    bad = new + f"99999,02/03/2026,Tổ 2,{marker.agency_id},intact\n" + f"{marker.pk},03/03/2026,Tổ 3,,vỡ\n"
    errors, counts, markers = _both(inspections, user, bad, state)
    assert {e[0] for e in errors} == {3, 4} and counts == (0, 0, 0)
    assert (marker.pk, "damaged", dt.date(2026, 2, 16)) in markers  # nothing written, nothing derived


def test_inspections_import_queries_do_not_grow_with_rows(users):
    user = users["vanphong.ls"]
    markers = list(Marker.objects.filter(agency__isnull=False).values_list("pk", "agency_id")[:5])

    def text(n, start):
        return "marker,inspected_on,team,agency,state\n" + "".join(
            f"{markers[i % len(markers)][0]},{1 + i % 28:02d}/01/2026,Tổ {start + i},{markers[i % len(markers)][1]},"
            "intact\n"
            for i in range(n)
        )

    counts = []
    for n, start in ((10, 0), (100, 10)):
        with CaptureQueriesContext(connection) as q:
            result = _import(inspections, user, text(n, start), bulk=True)
        assert result.ok, result.errors[:3]
        counts.append(len(q.captured_queries))
    assert counts[1] <= counts[0] + 100 // 45 + 2, counts  # per batch, never per row
    assert MarkerInspection.objects.filter(team__startswith="Tổ ").count() >= 110


# ---------------------------------------------------------------- incident categories: administrators only


def test_categories_bulk_refuses_whom_the_service_refuses(users):
    text = "code,name,sort_order,indicator_code\nthu_nghiem,Loại thử nghiệm,90,\n"
    errors, counts, _ = _both(categories, users["admin"], text, lambda: None)
    assert errors == [] and counts == (1, 0, 0)
    errors, counts, _ = _both(categories, users["vanphong.ls"], text, lambda: None)
    assert errors == [(2, "", "Chỉ quản trị hệ thống được sửa danh mục loại vụ việc.")]
    assert not IncidentCategory.objects.filter(code="thu_nghiem").exists()


# ---------------------------------------------------------------- agreements: the form's own checks


def test_agreements_import_in_bulk_with_the_same_refusals(users):
    user = users["vanphong.ls"]
    exported = "".join(
        ",".join(f'"{c}"' for c in row) + "\n"
        for row in tabular.export_rows(
            Agreement.objects.order_by("pk").prefetch_related("parties"), agreements.form_class
        )
    )

    def state():
        return sorted(Agreement.objects.values_list("pk", "year", "version"))

    errors, counts, _state = _both(agreements, user, exported, state)
    assert errors == [] and counts == (0, 0, 2)  # the export imported back changes nothing
    lines = exported.splitlines()
    header = [h.strip('"') for h in lines[0].split('","')]
    year = header.index("Năm")
    rows = [line.split('","') for line in lines[1:]]
    later = next(r for r in rows if r[year] == "2024")
    later[year] = "2022"  # older than its previous agreement (2023): the form refuses it
    text = lines[0] + "\n" + "\n".join('","'.join(r) for r in rows) + "\n"
    errors, counts, _state = _both(agreements, user, text, state)
    assert errors and {e[0] for e in errors} == {2 + rows.index(later)} and counts == (0, 0, 0)
