"""Issue 10, "What was seen" in reporting: workflow, values across channels, imports that must save nothing."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from borderdesk.core.errors import ApplicationError, PermissionDeniedError
from borderdesk.core.models import ChangeLogEntry
from borderdesk.reporting import excel, services, workflow
from borderdesk.reporting.models import DataValue, ReportForm, Submission

pytestmark = pytest.mark.django_db


def _two_level_submitted(users):
    """Thị trấn Đồng Đăng, January 2025: approved by the district, then the province (the tree of 2025)."""
    sub = Submission.objects.get(unit__name="Thị trấn Đồng Đăng", period_key="2025M01")
    if sub.status == "approved":
        workflow.submission_reopen(user=users["admin"], submission=sub, reason="Kiểm tra lại")
    workflow.submission_submit(user=users["admin"], submission=sub)
    sub.refresh_from_db()
    return sub


def test_one_approver_click_approves_one_level(users):
    sub = _two_level_submitted(users)
    assert [lv["unit"] for lv in sub.approval_levels] == ["Huyện Cao Lộc", "Tỉnh Lạng Sơn"]
    workflow.submission_approve(user=users["duyet.ls"], submission=sub)
    sub.refresh_from_db()
    assert sub.status == "submitted"
    assert [bool(lv["approved_by"]) for lv in sub.approval_levels] == [True, False]
    workflow.submission_approve(user=users["duyet.ls"], submission=sub)
    sub.refresh_from_db()
    assert sub.status == "approved"
    steps = list(
        sub.steps.filter(action="approve", level_unit__isnull=False)
        .order_by("pk")
        .values_list("level_unit__name", flat=True)
    )
    assert steps[-2:] == ["Huyện Cao Lộc", "Tỉnh Lạng Sơn"]


def test_who_entered_the_figures_does_not_approve_them(users):
    sub = Submission.objects.get(unit__name="Xã Quốc Khánh", period_key="2025M12")
    office = users["vanphong.ls"]
    if sub.status == "submitted":
        workflow.submission_return(user=users["duyet.ls"], submission=sub, reason="Bổ sung")
    elif sub.status == "approved":
        workflow.submission_reopen(user=users["duyet.ls"], submission=sub, reason="Bổ sung")
    services.submission_save(
        user=office, submission=sub, values={"PATROLS_BILATERAL": {"value": "6"}}, enforce_lock=False
    )
    workflow.submission_submit(user=users["baocao.quockhanh"], submission=sub)
    with pytest.raises(PermissionDeniedError):
        workflow.submission_approve(user=office, submission=sub)
    workflow.submission_approve(user=users["duyet.ls"], submission=sub)
    assert Submission.objects.get(pk=sub.pk).status == "approved"


def test_no_report_for_a_period_that_has_not_started(client, users):
    client.force_login(users["baocao.quockhanh"])
    qk = users["baocao.quockhanh"].active_assignments()[0].unit
    nxt = dt.date.today().replace(day=1) + dt.timedelta(days=40)
    key = f"{nxt.year}M{nxt.month:02d}"
    r = client.post(reverse("reporting:open"), {"form": "bc-xa-thang", "period": key, "reporter": f"u:{qk.pk}"})
    assert not Submission.objects.filter(unit=qk, period_key=key).exists()
    assert r.status_code in (302, 400)
    with pytest.raises(ApplicationError):
        services.submission_create(
            user=users["baocao.quockhanh"], form=ReportForm.objects.get(code="bc-xa-thang"), period_key=key, unit=qk
        )


def test_a_locked_report_shows_no_inputs(client, users):
    sub = Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01")
    version = sub.form_version
    version.lock_days = 10
    version.save(update_fields=["lock_days"])
    assert sub.status in ("draft", "returned")
    client.force_login(users["baocao.dongdang"])
    page = client.get(reverse("reporting:entry", args=[sub.pk])).content.decode()
    assert 'name="v_' not in page and 'value="save"' not in page
    with pytest.raises(ApplicationError):
        services.submission_save(
            user=users["baocao.dongdang"], submission=sub, values={"PATROLS_BILATERAL": {"value": "1"}}
        )


def test_prefill_is_in_the_change_log(users):
    sub = Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01")
    n = services.submission_prefill_derived(user=users["baocao.dongdang"], submission=sub)
    assert n > 0
    entry = ChangeLogEntry.objects.filter(object_id=str(sub.pk), action="prefill").latest("pk")
    assert entry.user_repr == "baocao.dongdang" and entry.before != entry.after
    assert entry.after["version"] == entry.before["version"] + 1


def test_excel_upload_breaking_an_error_rule_saves_nothing(users):
    sub = Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01")
    wb = load_workbook(io.BytesIO(excel.submission_xlsx(sub)))
    ws = wb[excel.DATA_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(excel.FIRST_ROW, ws.max_row + 1)}
    ws.cell(rows["HOUSEHOLDS_TOTAL"], excel.COL_VALUE).value = 100
    ws.cell(rows["SELF_MGMT_HOUSEHOLDS"], excel.COL_VALUE).value = 150
    out = io.BytesIO()
    wb.save(out)
    before = {dv.indicator_id: dv.value for dv in sub.values.all()}
    version = sub.version
    with pytest.raises(ApplicationError) as exc:
        excel.submission_import_xlsx(user=users["baocao.dongdang"], submission=sub, data=out.getvalue())
    assert "Hộ tự quản không vượt tổng số hộ" in str(exc.value.message)
    sub.refresh_from_db()
    assert sub.version == version and {dv.indicator_id: dv.value for dv in sub.values.all()} == before


def test_failed_bulk_import_creates_no_report(client, users):
    client.force_login(users["baocao.dongdang"])
    dd = users["baocao.dongdang"].active_assignments()[0].unit
    n, logs = Submission.objects.count(), ChangeLogEntry.objects.count()
    r = client.post(
        "/api/reporting/dataValueSets",
        {
            "dataValues": [
                {
                    "form": "bc-xa-thang",
                    "period": "2026M11",
                    "unit": dd.pk,
                    "indicator": "PATROLS_BILATERAL",
                    "value": "-3",
                },
            ]
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert Submission.objects.count() == n and ChangeLogEntry.objects.count() == logs


def test_api_get_then_post_keeps_a_decimal(client, users):
    """GET dataValueSets gives "12.345" (a decimal point); posting it back must not make it 12345."""
    sub = _half_year(users)
    client.force_login(users["vanphong.ls"])
    services.submission_save(
        user=users["vanphong.ls"], submission=sub, values={"EXPORT_VALUE_USD": {"value": Decimal("12.345")}}
    )
    got = client.get(f"/api/reporting/dataValueSets?submission={sub.pk}").json()["dataValues"]
    assert [v["value"] for v in got if v["indicator"] == "EXPORT_VALUE_USD"] == ["12.345"]
    r = client.post("/api/reporting/dataValueSets", {"dataValues": got}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert DataValue.objects.get(submission=sub, indicator__code="EXPORT_VALUE_USD").value == Decimal("12.345")
    for raw in ("1.234,5", "12,5", "1 234"):
        r = client.post(
            "/api/reporting/dataValueSets",
            {"dataValues": [{"submission": sub.pk, "indicator": "EXPORT_VALUE_USD", "value": raw}]},
            content_type="application/json",
        )
        assert r.status_code == 400, raw
    r = client.post(
        "/api/reporting/dataValueSets",
        {"dataValues": [{"submission": sub.pk, "indicator": "EXPORT_VALUE_USD", "value": 7.25}]},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert DataValue.objects.get(submission=sub, indicator__code="EXPORT_VALUE_USD").value == Decimal("7.25")


def _half_year(users):
    """A fresh, editable province report (bc-6-thang, second half of this year): integer and decimal indicators."""
    from borderdesk.org.models import AdministrativeUnit

    ls = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    today = dt.date.today()
    form = ReportForm.objects.get(code="bc-6-thang")
    form.versions.update(lock_days=None)  # editable today, whatever the date
    return services.submission_get_or_create(
        user=users["vanphong.ls"], form=form, period_key=f"{today.year}H1", unit=ls
    )
