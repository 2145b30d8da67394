"""The registries' derived figures feed a real report: the yearly provincial report of Lạng Sơn is
pre-filled from the frontier, gates and outreach registries on the entry page (the same figures as
`compute_derived` for the province and period), and a changed figure needs a reason that stays visible."""

import pytest

from borderdesk.reporting import registry, window
from borderdesk.reporting.models import DataValue, ReportForm, Submission

pytestmark = pytest.mark.django_db

# One figure per bullet of issue 4's "Derived figures" that the yearly report asks for.
ISSUE_FIGURES = [
    "PATROLS_BILATERAL",
    "PATROLS_UNILATERAL",
    "INCIDENTS_TOTAL",
    "INCIDENTS_RESOLVED",
    "MARKERS_INTACT",
    "MARKERS_DAMAGED",
    "SELF_MGMT_HOUSEHOLDS",
    "SELF_MGMT_COLLECTIVES",
    "SELF_MGMT_KM",
    "SELF_MGMT_MARKERS",
    "PROPAGANDA_SESSIONS",
    "PROPAGANDA_LISTENERS",
    "PERSONS_EXIT",
    "PERSONS_ENTRY",
    "VEHICLES_PER_DAY_AVG",
    "VEHICLES_PER_DAY_PEAK",
    "TRADE_VALUE_TOTAL_USD",
]


def _open(client, users, period="2026"):
    from borderdesk.org.models import AdministrativeUnit

    ls = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    client.force_login(users["vanphong.ls"])
    r = client.post("/bao-cao/mo/", {"form": "bc-nam", "reporter": f"u:{ls.pk}", "period": period})
    assert r.status_code == 302, r.content.decode()[:500]
    return Submission.objects.get(pk=int(r["Location"].rstrip("/").split("/")[-1]))


def test_every_issue_figure_is_registered_and_on_the_yearly_form():
    derived = registry.derived_indicators()
    codes = set(ReportForm.objects.get(code="bc-nam").current_version().indicator_codes())
    missing = [c for c in ISSUE_FIGURES if c not in derived]
    assert not missing, missing
    assert set(ISSUE_FIGURES) & codes, "the yearly form asks for none of the registries' figures"


def test_prefill_from_the_entry_page_matches_the_registries(client, users):
    sub = _open(client, users, "2026")
    codes = [c for c in sub.form_version.indicator_codes() if c in registry.derived_indicators()]
    assert len(codes) >= 8, codes
    r = client.post(f"/bao-cao/nhap/{sub.pk}/", {"action": "prefill", "version": sub.version})
    assert r.status_code == 302
    unit_ids, agency_ids = window.subtree_ids_for(submission=sub)
    values = {dv.indicator.code: dv for dv in DataValue.objects.filter(submission=sub).select_related("indicator")}
    filled = 0
    for code in codes:
        expected = registry.compute_derived(code, unit_ids=unit_ids, agency_ids=agency_ids, period=sub.period)
        if expected is None:
            assert code not in values or values[code].derived_value is None, code  # a blank stays blank
            continue
        assert values[code].value == expected == values[code].derived_value, code
        assert values[code].provenance["derived_from"] in ("frontier", "gates", "outreach"), code
        filled += 1
    assert filled >= 8, filled
    page = client.get(f"/bao-cao/nhap/{sub.pk}/").content.decode()
    assert page.count("Tính từ sổ theo dõi") == filled


def test_override_needs_a_reason_and_keeps_the_derived_figure(client, users):
    sub = _open(client, users, "2026")
    client.post(f"/bao-cao/nhap/{sub.pk}/", {"action": "prefill", "version": sub.version})
    sub.refresh_from_db()
    dv = (
        DataValue.objects.filter(submission=sub, derived_value__isnull=False, indicator__code__in=ISSUE_FIGURES)
        .select_related("indicator")
        .first()
    )
    assert dv is not None
    code, derived = dv.indicator.code, dv.derived_value
    changed = derived + 3
    r = client.post(
        f"/bao-cao/nhap/{sub.pk}/",
        {"action": "save", "version": sub.version, f"v_{code}": str(changed).replace(".", ",")},
    )
    assert r.status_code in (200, 400) and "lý do" in r.content.decode()
    dv.refresh_from_db()
    assert dv.value == derived  # nothing saved
    r = client.post(
        f"/bao-cao/nhap/{sub.pk}/",
        {
            "action": "save",
            "version": sub.version,
            f"v_{code}": str(changed).replace(".", ","),
            f"r_{code}": "Cộng 3 vụ do đồn báo muộn",
        },
    )
    assert r.status_code in (200, 302), r.content.decode()[:1000]
    dv.refresh_from_db()
    assert dv.value == changed and dv.derived_value == derived and dv.override_reason == "Cộng 3 vụ do đồn báo muộn"
    page = client.get(f"/bao-cao/nhap/{sub.pk}/").content.decode()
    assert "đã điều chỉnh" in page and "Cộng 3 vụ do đồn báo muộn" in page
