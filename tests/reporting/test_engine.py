"""Reporting engine: catalogue, workflow, validation, targets, consolidation across the 2025 reform."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from borderdesk.core import workdays
from borderdesk.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from borderdesk.core.periods import parse_period
from borderdesk.org.models import AdministrativeUnit, Agency
from borderdesk.reporting import completeness, consolidation, registry, selectors, services, targets, window, workflow
from borderdesk.reporting.models import ApprovalStep, DataValue, Indicator, ReportForm, Submission

pytestmark = pytest.mark.django_db


def form(code):
    return ReportForm.objects.get(code=code)


def test_catalogue_loaded_and_idempotent():
    n = Indicator.objects.count()
    assert n >= 40
    result = services.catalogue_load()
    assert result["created"] == 0 and result["total"] == n
    ind = Indicator.objects.get(code="VEHICLES_PER_DAY_PEAK")
    assert ind.aggregation == "max" and ind.extraction_keywords


def test_seed_004_consolidation_with_same_period_and_plan(users, unit):
    ls = unit("Tỉnh Lạng Sơn")
    cons = consolidation.consolidation_get(user=users["lanhdao.ls"], unit=ls, period=parse_period("2025"))
    trade = cons.row("TRADE_VALUE_TOTAL_USD")
    assert trade.value == Decimal("86000000000") and trade.qualifier == "over"
    assert round(trade.change_pct) == 44
    assert "trên 86 tỷ USD" in trade.quotes[0]
    local = cons.row("LOCAL_EXPORT_VALUE_USD")
    assert local.plan_value == Decimal("183000000") and local.plan_pct == 100
    assert local.compare_phrase == "tăng 8% so với cùng kỳ"
    assert local.plan_phrase == "đạt 100% kế hoạch"
    peak = cons.row("VEHICLES_PER_DAY_PEAK")
    assert peak.value == 2000 and peak.qualifier == "over"


def test_seed_001_border_guard_2023(users, unit):
    bg = Agency.objects.get(name="Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn")
    sub = Submission.objects.get(agency=bg, period_key="2023")
    assert sub.status == "approved"
    vals = {dv.indicator.code: dv for dv in sub.values.select_related("indicator")}
    assert vals["SELF_MGMT_HOUSEHOLDS"].value == 885
    assert vals["PROPAGANDA_LISTENERS"].qualifier == "over"
    assert vals["LEAFLETS_DISTRIBUTED"].qualifier == "nearly"
    assert "885 hộ gia đình" in vals["SELF_MGMT_HOUSEHOLDS"].source_quote
    cons = consolidation.consolidation_get(
        user=users["lanhdao.ls"], unit=unit("Tỉnh Lạng Sơn"), period=parse_period("2023")
    )
    assert cons.row("PATROL_ROAD_CLEARING_PARTICIPANTS").value == 3848
    assert cons.row("SELF_MGMT_HOUSEHOLDS").previous_value == 860  # demo 2022


def test_reform_crossing_2026_commune_compared_with_predecessors(users, unit):
    """Xã Đồng Đăng (from 1/7/2025) compared with 2025H1, reported by pre-reform communes of Huyện Cao Lộc."""
    dd = unit("Xã Đồng Đăng")
    monthly = form("bc-xa-thang")
    sub = Submission.objects.get(unit=dd, period_key="2026M01")
    services.submission_save(
        user=users["baocao.dongdang"], submission=sub, values={"PROPAGANDA_SESSIONS": {"value": "5"}}
    )
    workflow.submission_submit(user=users["baocao.dongdang"], submission=sub)
    workflow.submission_approve(user=users["duyet.ls"], submission=sub)
    cons = consolidation.consolidation_get(
        user=users["lanhdao.ls"], unit=dd, period=parse_period("2026M01"), form=monthly
    )
    row = cons.row("PROPAGANDA_SESSIONS")
    assert row.value == 5
    # 2025M01 came from Thị trấn Đồng Đăng (4) and Xã Thụy Hùng (4), both closed on 30/6/2025.
    assert row.previous_value == 8
    assert row.change_abs == -3
    # Province total for 2026 against 2025, where 2025 H1 was reported through districts.
    ls = unit("Tỉnh Lạng Sơn")
    prov = consolidation.consolidation_get(
        user=users["lanhdao.ls"], unit=ls, period=parse_period("2026M01"), form=monthly
    )
    assert prov.row("PROPAGANDA_SESSIONS").previous_value == 8
    assert consolidation.indicator_value(unit=ls, period=parse_period("2025M01"), code="PROPAGANDA_SESSIONS") == 8


def test_unit_closed_mid_period_counts_in_sums_not_in_stocks(users, unit):
    ls = unit("Tỉnh Lạng Sơn")
    cons = consolidation.consolidation_get(
        user=users["lanhdao.ls"], unit=ls, period=parse_period("2025"), form=form("bc-xa-thang")
    )
    # Flow: sessions of the closed communes (Jan–Jun) plus the new commune (Jul–Dec).
    sessions = cons.row("PROPAGANDA_SESSIONS")
    assert {"Thị trấn Đồng Đăng", "Xã Đồng Đăng"} <= set(sessions.contributors)
    h1 = consolidation.indicator_value(unit=ls, period=parse_period("2025H1"), code="PROPAGANDA_SESSIONS")
    h2 = sum(3 + m % 4 for m in range(7, 13))
    assert sessions.value == h1 + h2
    # Stock (latest): only units that still exist at the end of the window.
    assert cons.row("SELF_MGMT_HOUSEHOLDS").value == 150
    # Completeness: a commune closed on 30/6/2025 is not expected for the year's months after it.
    comp = completeness.completeness_get(
        user=users["lanhdao.ls"],
        unit=ls,
        form=form("bc-xa-thang"),
        periods=[parse_period("2025M06"), parse_period("2025M07")],
    )
    by_name = {r["name"]: r["cells"] for r in comp.reporters}
    closed, opened = "Thị trấn Đồng Đăng (đến 30/06/2025)", "Xã Đồng Đăng (từ 01/07/2025)"
    assert by_name[closed][0].status == "approved"
    assert by_name[closed][1].status == "not_expected"  # M07 window ends 14/7: closed
    assert by_name[opened][0].status == "not_expected"  # M06 ends 14/6: not yet open
    assert by_name[opened][1].status == "approved"
    assert comp.rates[1]["expected"] >= 1 and comp.rates[1]["received"] >= 2 - 1


def test_multi_level_approval_follows_tree_of_the_period(users, unit):
    old = Submission.objects.filter(unit__name="Thị trấn Đồng Đăng", period_key="2025M01").get()
    assert [lv["unit"] for lv in old.approval_levels] == ["Huyện Cao Lộc", "Tỉnh Lạng Sơn"]
    new = Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2025M07")
    assert [lv["unit"] for lv in new.approval_levels] == ["Tỉnh Lạng Sơn"]


def test_workflow_return_reopen_and_log(users, unit):
    sub = Submission.objects.get(unit__name="Xã Quốc Khánh", period_key="2025M12")
    approver, reporter = users["duyet.ls"], users["baocao.quockhanh"]
    with pytest.raises(ApplicationError):
        workflow.submission_return(user=approver, submission=sub, reason=" ")
    workflow.submission_return(user=approver, submission=sub, reason="Thiếu số liệu tuần tra")
    assert sub.status == "returned" and sub.return_reason == "Thiếu số liệu tuần tra"
    services.submission_save(user=reporter, submission=sub, values={"PATROLS_BILATERAL": {"value": "4"}})
    workflow.submission_submit(user=reporter, submission=sub)
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        workflow.submission_approve(user=reporter, submission=sub)  # reporters cannot approve at all
    workflow.submission_approve(user=approver, submission=sub)
    assert sub.status == "approved"
    with pytest.raises(ApplicationError):
        services.submission_save(user=reporter, submission=sub, values={"PATROLS_BILATERAL": {"value": "5"}})
    with pytest.raises(ApplicationError):
        workflow.submission_reopen(user=approver, submission=sub, reason="")
    workflow.submission_reopen(user=approver, submission=sub, reason="Sửa số tuần tra")
    services.submission_save(user=reporter, submission=sub, values={"PATROLS_BILATERAL": {"value": "5"}})
    diff = selectors.diff_since_approval(submission=sub)
    assert diff == [
        {
            "code": "PATROLS_BILATERAL",
            "name": Indicator.objects.get(code="PATROLS_BILATERAL").name_vi,
            "before": {"value": "4", "text": "", "qualifier": "", "comment": ""},
            "after": {"value": "5", "text": "", "qualifier": "", "comment": ""},
        }
    ]
    actions = list(ApprovalStep.objects.filter(submission=sub).values_list("action", flat=True))
    assert actions[-6:] == ["return", "save", "submit", "approve", "approve", "reopen"][-6:] or "reopen" in actions


def test_permission_denied_for_reporter_approving(users):
    sub = Submission.objects.get(agency__name="Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị", period_key="2025M12")
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        workflow.submission_approve(user=users["baocao.dongdang"], submission=sub)
    with pytest.raises(NotFoundError):  # out of scope: Quốc Khánh's reporter cannot touch Đồng Đăng
        services.submission_save(
            user=users["baocao.quockhanh"],
            submission=Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01"),
            values={"PATROLS_BILATERAL": {"value": "1"}},
        )


def test_optimistic_locking_two_editors(users):
    sub = Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01")
    v = sub.version
    services.submission_save(
        user=users["baocao.dongdang"], submission=sub, expected_version=v, values={"PATROLS_UNILATERAL": {"value": "3"}}
    )
    with pytest.raises(ConflictError):
        services.submission_save(
            user=users["baocao.dongdang"],
            submission=sub,
            expected_version=v,
            values={"PATROLS_UNILATERAL": {"value": "9"}},
        )
    assert DataValue.objects.get(submission=sub, indicator__code="PATROLS_UNILATERAL").value == 3


@pytest.mark.parametrize(
    "raw,message", [("abc", "không phải là số"), ("-3", "không được âm"), ("2,5", "số nguyên"), ("=A1+1", "công thức")]
)
def test_bad_values_save_nothing(users, raw, message):
    sub = Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01")
    before = list(sub.values.values_list("indicator__code", "value"))
    with pytest.raises(ApplicationError) as exc:
        services.submission_save(
            user=users["baocao.dongdang"],
            submission=sub,
            values={"PATROLS_UNILATERAL": {"value": "7"}, "PATROLS_BILATERAL": {"value": raw}},
        )
    assert message in exc.value.field_errors["PATROLS_BILATERAL"][0]
    assert list(sub.values.values_list("indicator__code", "value")) == before


def test_validation_rule_blocks_submit_and_warning_needs_comment(users):
    sub = Submission.objects.get(unit__name="Xã Đồng Đăng", period_key="2026M01")
    r = services.submission_save(
        user=users["baocao.dongdang"],
        submission=sub,
        values={"SELF_MGMT_HOUSEHOLDS": {"value": "900"}, "HOUSEHOLDS_TOTAL": {"value": "600"}},
    )
    assert r.errors and "SELF_MGMT_HOUSEHOLDS" in r.errors[0].codes
    with pytest.raises(ApplicationError) as exc:
        workflow.submission_submit(user=users["baocao.dongdang"], submission=sub)
    assert "SELF_MGMT_HOUSEHOLDS" in exc.value.field_errors
    # Outlier: 2025M01 listeners of the predecessors were 190 + 100 = 290; 2.000 is more than 3×.
    r = services.submission_save(
        user=users["baocao.dongdang"],
        submission=sub,
        values={"SELF_MGMT_HOUSEHOLDS": {"value": "100"}, "PROPAGANDA_LISTENERS": {"value": "2.000"}},
    )
    assert [w for w in r.warnings if "PROPAGANDA_LISTENERS" in w.codes]
    with pytest.raises(ApplicationError):
        workflow.submission_submit(user=users["baocao.dongdang"], submission=sub)
    services.submission_save(
        user=users["baocao.dongdang"],
        submission=sub,
        values={"PROPAGANDA_LISTENERS": {"comment": "Ngày hội biên phòng toàn dân"}},
    )
    workflow.submission_submit(user=users["baocao.dongdang"], submission=sub)
    assert sub.status == "submitted"


def test_lock_after_deadline_and_exception(users):
    sub = Submission.objects.get(agency__name="Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị", period_key="2025M12")
    workflow.submission_return(user=users["duyet.ls"], submission=sub, reason="Kiểm tra lại")
    v = sub.form_version  # lock entry on the day after the cut-off
    v.lock_days = 0
    v.save()
    try:
        with pytest.raises(ApplicationError) as exc:
            services.submission_save(
                user=users["baocao.huunghi"], submission=sub, values={"PATROLS_BILATERAL": {"value": "2"}}
            )
        assert exc.value.code == "locked"
        workflow.submission_grant_lock_exception(
            user=users["duyet.ls"], submission=sub, until=dt.date.today() + dt.timedelta(days=3), reason="Mất điện"
        )
        services.submission_save(
            user=users["baocao.huunghi"], submission=sub, values={"PATROLS_BILATERAL": {"value": "2"}}
        )
    finally:
        v.lock_days = None
        v.save()


def test_form_versions_keep_past_submissions(users):
    f = form("bc-xa-thang")
    old_version = f.current_version()
    v2 = services.form_version_create(
        user=users["vanphong.ls"],
        code=f.code,
        name=f.name,
        sections=[{"code": "x", "title": "X", "indicators": ["ADMIN_FINES_VND"]}],
        narrative_sections=[],
        period_spec=old_version.period_spec,
        reporter_spec=old_version.reporter_spec,
    )
    assert v2.number == old_version.number + 1
    past = Submission.objects.filter(form=f, period_key="2025M07").first()
    assert past.form_version == old_version
    assert "PATROLS_BILATERAL" in past.form_version.indicator_codes()
    with pytest.raises(PermissionDeniedError):
        services.form_version_create(
            user=users["baocao.dongdang"],
            code=f.code,
            name=f.name,
            sections=[],
            narrative_sections=[],
            period_spec=old_version.period_spec,
        )


def test_targets_entered_by_standing_office_only(users, unit):
    ind = Indicator.objects.get(code="PERSONS_EXIT")
    ls = unit("Tỉnh Lạng Sơn")
    targets.target_set(user=users["vanphong.ls"], indicator=ind, unit=ls, period_key="2025", value="300.000")
    cons = consolidation.consolidation_get(
        user=users["lanhdao.ls"], unit=ls, period=parse_period("2025"), indicator_codes=["PERSONS_EXIT"]
    )
    assert cons.row("PERSONS_EXIT").plan_value == 300000
    with pytest.raises(NotFoundError):
        targets.target_set(user=users["baocao.dongdang"], indicator=ind, unit=ls, period_key="2025", value=1)
    bad = SimpleUploadedFile(
        "ke-hoach.csv",
        "Đơn vị,Mã chỉ tiêu,Kỳ kế hoạch,Kế hoạch\n"
        f"{ls.name},PERSONS_EXIT,năm 2026,5\n{ls.name},NOPE,năm 2026,5\n".encode(),
    )
    with pytest.raises(ApplicationError):  # all or nothing: the good row is not saved either
        targets.import_targets(user=users["vanphong.ls"], uploaded=bad)
    assert not ind.targets.filter(period_key="2026").exists()


def test_derived_prefill_and_override_reason(users):
    @registry.register_derived("ADMIN_FINES_VND", source="tests", description="test")
    def _patrols(*, unit_ids, agency_ids, period):
        return 7

    try:
        f = form("bc-xa-thang")
        services.form_version_create(
            user=users["vanphong.ls"],
            code=f.code,
            name=f.name,
            sections=[{"code": "p", "title": "P", "indicators": ["ADMIN_FINES_VND"]}],
            narrative_sections=[],
            period_spec=f.current_version().period_spec,
            reporter_spec=f.current_version().reporter_spec,
            lock_days=None,
        )
        dd = AdministrativeUnit.objects.get(name="Xã Đồng Đăng")
        sub = services.submission_create(user=users["baocao.dongdang"], form=f, period_key="2026M02", unit=dd)
        assert services.submission_prefill_derived(user=users["baocao.dongdang"], submission=sub) == 1
        dv = DataValue.objects.get(submission=sub, indicator__code="ADMIN_FINES_VND")
        assert dv.value == 7 and dv.derived_value == 7
        with pytest.raises(ApplicationError) as exc:
            services.submission_save(
                user=users["baocao.dongdang"], submission=sub, values={"ADMIN_FINES_VND": {"value": "9"}}
            )
        assert "lý do" in exc.value.field_errors["ADMIN_FINES_VND"][0]
        services.submission_save(
            user=users["baocao.dongdang"],
            submission=sub,
            values={"ADMIN_FINES_VND": {"value": "9", "override_reason": "Thêm 2 lượt đột xuất"}},
        )
        dv.refresh_from_db()
        assert dv.is_overridden and dv.derived_value == 7 and dv.value == 9
    finally:
        registry._REGISTRY.pop("ADMIN_FINES_VND", None)


def test_reporter_must_exist_in_period_and_match_form(users, unit):
    f = form("bc-xa-thang")
    with pytest.raises(ApplicationError):  # Xã Đồng Đăng did not exist in March 2025
        services.submission_create(
            user=users["baocao.dongdang"], form=f, period_key="2025M03", unit=unit("Xã Đồng Đăng")
        )
    with pytest.raises(ApplicationError):
        services.submission_create(
            user=users["baocao.dongdang"], form=f, period_key="2025Q1", unit=unit("Xã Đồng Đăng")
        )


def test_consolidation_scoped(users, unit):
    with pytest.raises(NotFoundError):
        consolidation.consolidation_get(
            user=users["baocao.dongdang"], unit=unit("Tỉnh Lạng Sơn"), period=parse_period("2025")
        )
    with pytest.raises(NotFoundError):
        consolidation.consolidation_get(
            user=users["vanphong.sl"], unit=unit("Tỉnh Lạng Sơn"), period=parse_period("2025")
        )


def test_narratives_gathered_and_submitted_on_request(users, unit):
    ls = unit("Tỉnh Lạng Sơn")
    cons = consolidation.consolidation_get(user=users["lanhdao.ls"], unit=ls, period=parse_period("2025"))
    names = {p.unit for p in cons.narratives["general"]}
    assert {"Tỉnh Lạng Sơn", "Xã Đồng Đăng"} <= names
    approved_only = consolidation.consolidation_get(
        user=users["lanhdao.ls"], unit=ls, period=parse_period("2025M12"), form=form("bc-xa-thang")
    )
    with_submitted = consolidation.consolidation_get(
        user=users["lanhdao.ls"],
        unit=ls,
        period=parse_period("2025M12"),
        form=form("bc-xa-thang"),
        include_submitted=True,
    )
    assert approved_only.row("PERSONS_EXIT").value is None
    assert with_submitted.row("PERSONS_EXIT").value == 27000
    assert "Xã Quốc Khánh" in approved_only.missing_units


def test_deadlines_skip_vietnamese_public_holidays():
    """Working days skip weekends, Tết (lunar), 30/4–1/5 with the day off moved to 2/5/2025, and count
    the Saturday worked in exchange (26/4/2025)."""
    assert workdays.add_working_days(dt.date(2026, 2, 13), 2) == dt.date(2026, 2, 24)  # Tết Bính Ngọ 16–20/2
    assert workdays.add_working_days(dt.date(2025, 4, 29), 1) == dt.date(2025, 5, 5)
    assert workdays.add_working_days(dt.date(2025, 4, 25), 1) == dt.date(2025, 4, 26)
    assert workdays.add_working_days(dt.date(2025, 3, 3), 5) == dt.date(2025, 3, 10)  # an ordinary week
    monthly = ReportForm.objects.get(code="bc-xa-thang").current_version()
    # Month 02/2026 (Decree 09: 15/1–14/2) is due two working days after the cut-off: after Tết.
    assert window.deadline_for(monthly, parse_period("2026M02")) == dt.date(2026, 2, 24)


def test_split_predecessor_flagged_in_same_period_comparison(users, unit, client):
    """Xã Bính Xá was split on 1/7/2025 between the new Xã Kiên Mộc and Xã Đình Lập: its whole 2025 figures
    count in the history of both, and the consolidation says so instead of silently double counting."""
    km = AdministrativeUnit.objects.get(name="Xã Kiên Mộc", valid_from=dt.date(2025, 7, 1))
    cons = consolidation.consolidation_get(
        user=users["lanhdao.ls"], unit=km, period=parse_period("2026M01"), form=form("bc-xa-thang")
    )
    shared = {p["name"]: p["others"] for p in cons.shared_predecessors}
    assert shared.get("Xã Bính Xá") == ["Xã Đình Lập"]
    assert "Xã Kiên Mộc" in shared  # the old Kiên Mộc also went partly to Xã Châu Sơn
    province = consolidation.consolidation_get(
        user=users["lanhdao.ls"], unit=unit("Tỉnh Lạng Sơn"), period=parse_period("2026M01")
    )
    assert province.shared_predecessors == []
    client.force_login(users["lanhdao.ls"])
    page = client.get(f"/bao-cao/tong-hop/?don_vi={km.pk}&ky=2026M01&bieu=bc-xa-thang").content.decode()
    assert "Lưu ý so sánh cùng kỳ" in page and "Xã Bính Xá" in page
    api = client.get(f"/api/reporting/consolidation?unit={km.pk}&period=2026M01&form=bc-xa-thang").json()
    assert any(p["name"] == "Xã Bính Xá" for p in api["shared_predecessors"])
