"""Province forms carry the core border indicators: pre-filled from the registries, consolidated from the
commune and station reports below, and the landing place of figures accepted from extraction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from borderdesk.reporting import below, registry, services
from borderdesk.reporting.demo_forms import CORE_CODES
from borderdesk.reporting.models import DataValue, ReportForm

pytestmark = pytest.mark.django_db
PROVINCE_FORMS = ["bc-nam", "bc-6-thang", "bc-hoi-nghi"]
LOCAL = [
    "PATROLS_BILATERAL",
    "PATROLS_UNILATERAL",
    "PATROLS_JOINT",
    "PATROLS_TOTAL",
    "INCIDENTS_TOTAL",
    "ILLEGAL_CROSSING_CASES",
    "ILLEGAL_CROSSING_PERSONS",
    "SMUGGLING_CASES",
    "SMUGGLED_GOODS_VALUE_VND",
    "MARKER_INSPECTIONS",
    "MARKERS_DAMAGED",
    "MARKERS_REPAIRED",
    "SELF_MGMT_HOUSEHOLDS",
    "PROPAGANDA_SESSIONS",
    "PROPAGANDA_LISTENERS",
]


@pytest.mark.parametrize("code", PROVINCE_FORMS)
def test_province_forms_carry_every_core_indicator(code):
    codes = set(ReportForm.objects.get(code=code).current_version().indicator_codes())
    assert not set(CORE_CODES) - codes


def test_commune_and_station_form_carries_what_they_report():
    codes = set(ReportForm.objects.get(code="bc-xa-thang").current_version().indicator_codes())
    assert not set(LOCAL) - codes


def test_registries_hold_every_core_figure_but_goods_value():
    """Goods value of a seizure is not in the incident registry (no such field): it is entered or extracted."""
    held = set(registry.derived_indicators())
    assert set(CORE_CODES) - held == {"SMUGGLED_GOODS_VALUE_VND"}


def test_province_report_prefilled_from_registries(users, unit):
    ls = unit("Tỉnh Lạng Sơn")
    form = ReportForm.objects.get(code="bc-hoi-nghi")
    sub = services.submission_create(user=users["vanphong.ls"], form=form, period_key="C20251130", unit=ls)
    n = services.submission_prefill_derived(user=users["vanphong.ls"], submission=sub)
    from borderdesk.reporting.window import subtree_ids_for

    unit_ids, agency_ids = subtree_ids_for(submission=sub)
    expected = {}
    for code in CORE_CODES:
        v = registry.compute_derived(code, unit_ids=unit_ids, agency_ids=agency_ids, period=sub.period)
        if v is not None:
            expected[code] = v
    got = {dv.indicator.code: dv.value for dv in sub.values.select_related("indicator")}
    assert expected and n >= len(expected)
    for code, v in expected.items():
        assert got[code] == v, code
    assert {"PATROLS_TOTAL", "PERSONS_EXIT"} <= set(expected)


def test_province_report_consolidated_from_communes_and_stations(users, unit):
    ls = unit("Tỉnh Lạng Sơn")
    form = ReportForm.objects.get(code="bc-hoi-nghi")
    sub = services.submission_create(user=users["vanphong.ls"], form=form, period_key="C20251130", unit=ls)
    services.submission_save(
        user=users["vanphong.ls"],
        submission=sub,
        values={"PROPAGANDA_SESSIONS": {"value": "999", "comment": "Số của tỉnh"}},
    )
    got = below.values_below(submission=sub)
    # the window's stated rule (reporting.window.window_q): reports inside it, and reports a boundary of the
    # other rule cuts, counted by the day their data ends
    from borderdesk.reporting.window import window_q

    window = DataValue.objects.filter(
        window_q(sub.period, prefix="submission__"),
        submission__status="approved",
        submission__unit_path__startswith=ls.path,
    ).exclude(submission__unit_path=ls.path)
    for code in ("PATROLS_BILATERAL", "PATROLS_UNILATERAL", "PERSONS_EXIT", "PROPAGANDA_SESSIONS"):
        total = window.filter(indicator__code=code).aggregate(s=Sum("value"))["s"]
        assert total and got[code].value == Decimal(total), code
    names = below.contributor_names(got)
    assert any("Hữu Nghị" in n for n in names.values()) and any("Đồng Đăng" in n for n in names.values())
    filled = below.submission_prefill_from_below(user=users["vanphong.ls"], submission=sub)
    vals = {dv.indicator.code: dv for dv in sub.values.select_related("indicator")}
    assert filled >= 3
    assert vals["PATROLS_BILATERAL"].value == got["PATROLS_BILATERAL"].value
    assert "Đồng Đăng" in " ".join(vals["PATROLS_BILATERAL"].provenance["consolidated_from"])
    assert vals["PROPAGANDA_SESSIONS"].value == 999  # an entered figure stays


def test_entry_page_shows_figures_below_and_fills_them(client, users, unit):
    ls = unit("Tỉnh Lạng Sơn")
    form = ReportForm.objects.get(code="bc-hoi-nghi")
    sub = services.submission_create(user=users["vanphong.ls"], form=form, period_key="C20251130", unit=ls)
    client.force_login(users["vanphong.ls"])
    r = client.get(f"/bao-cao/nhap/{sub.pk}/")
    assert r.status_code == 200 and "Cấp dưới báo cáo" in r.content.decode()
    r = client.post(f"/bao-cao/nhap/{sub.pk}/", {"action": "prefill_below", "version": sub.version})
    assert r.status_code == 302
    assert sub.values.filter(indicator__code="PATROLS_BILATERAL").exists()


def test_extracted_figures_land_in_core_indicators(users, unit):
    from borderdesk.extraction import services as extraction

    user = users["vanphong.ls"]
    ls = unit("Tỉnh Lạng Sơn")
    text = (
        "Năm 2026, các lực lượng phát hiện, bắt giữ 12 vụ xuất cảnh, nhập cảnh trái phép với 31 người; "
        "bắt giữ 7 vụ buôn lậu, tang vật trị giá 2,5 tỷ đồng."
    )
    doc = extraction.document_create(user=user, title="Báo cáo thử", text=text, unit=ls)
    props = {p.quote: p for p in doc.proposals.all()}
    wanted = {"12 vụ": "ILLEGAL_CROSSING_CASES", "31 người": "ILLEGAL_CROSSING_PERSONS", "7 vụ": "SMUGGLING_CASES"}
    for quote, code in wanted.items():
        p = next(p for q, p in props.items() if q.startswith(quote))
        extraction.proposal_decide(user=user, proposal=p, decision="accept", indicator_code=code)
    result = extraction.document_import_accepted(
        user=user, document=doc, form=ReportForm.objects.get(code="bc-nam"), period_key="2026"
    )
    vals = {dv.indicator.code: dv.value for dv in result.submission.values.select_related("indicator")}
    assert vals["ILLEGAL_CROSSING_CASES"] == 12 and vals["ILLEGAL_CROSSING_PERSONS"] == 31
    assert vals["SMUGGLING_CASES"] == 7
