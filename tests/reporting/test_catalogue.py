"""Indicator catalogue, forms and versions, validation rules: services, consolidation across versions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from borderdesk.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from borderdesk.core.models import ChangeLogEntry
from borderdesk.core.periods import parse_period
from borderdesk.reporting import catalogue, consolidation, registry, rules, services, workflow
from borderdesk.reporting.models import Indicator, ReportForm, Submission, ValidationRule

pytestmark = pytest.mark.django_db


def _approve(users, sub, values):
    services.submission_save(user=users["admin"], submission=sub, values=values, enforce_lock=False)
    workflow.submission_submit(user=users["admin"], submission=sub, enforce_lock=False)
    while sub.status == "submitted":
        workflow.submission_approve(user=users["duyet.ls"], submission=sub)
        sub.refresh_from_db()
    return sub


def test_only_administrator_edits_the_national_catalogue(users, unit):
    data = {"code": "PATROLS_NIGHT", "name_vi": "Số lượt tuần tra ban đêm", "unit": "lượt"}
    for name in ("baocao.dongdang", "lanhdao.ls"):
        with pytest.raises(PermissionDeniedError):
            catalogue.indicator_save(user=users[name], data=data)
    with pytest.raises(PermissionDeniedError):  # the office adds its province's own, never a national one
        catalogue.indicator_save(
            user=users["vanphong.ls"], data=data, instance=Indicator.objects.get(code="PATROLS_TOTAL")
        )
    with pytest.raises(PermissionDeniedError):  # nor one of another province
        catalogue.indicator_save(user=users["vanphong.ls"], data={**data, "province": unit("Tỉnh Sơn La").pk})
    assert not Indicator.objects.filter(code="PATROLS_NIGHT").exists()
    ind = catalogue.indicator_save(user=users["admin"], data={**data, "registry_figure": "PATROLS_TOTAL"})
    assert ind.code == "PATROLS_NIGHT" and ind.value_type == "integer" and ind.version == 1
    entry = ChangeLogEntry.objects.filter(object_id=str(ind.pk), action="create").latest("pk")
    assert entry.after["code"] == "PATROLS_NIGHT"
    ind = catalogue.indicator_save(
        user=users["admin"], instance=ind, data={"name_en": "Night patrols"}, expected_version=1
    )
    assert ind.version == 2 and ind.name_en == "Night patrols"
    with pytest.raises(ConflictError):
        catalogue.indicator_save(user=users["admin"], instance=ind, data={"unit": "lần"}, expected_version=1)
    with pytest.raises(ApplicationError) as exc:
        catalogue.indicator_save(user=users["admin"], instance=ind, data={"code": "OTHER"})
    assert "code" in exc.value.field_errors


@pytest.mark.parametrize(
    "data,field,quoted",
    [
        ({"code": "bad code", "name_vi": "x"}, "code", "bad code"),
        ({"code": "X_NEW", "name_vi": ""}, "name_vi", ""),
        ({"code": "X_NEW", "name_vi": "x", "aggregation": "median"}, "aggregation", "median"),
        ({"code": "X_NEW", "name_vi": "x", "value_type": "float"}, "value_type", "float"),
        ({"code": "X_NEW", "name_vi": "x", "registry_figure": "NO_SUCH"}, "registry_figure", "NO_SUCH"),
        ({"code": "PATROLS_TOTAL", "name_vi": "x"}, "code", "PATROLS_TOTAL"),
    ],
)
def test_indicator_errors_quote_the_bad_value(users, data, field, quoted):
    with pytest.raises(ApplicationError) as exc:
        catalogue.indicator_save(user=users["admin"], data=data)
    assert field in exc.value.field_errors
    assert quoted in " ".join(exc.value.field_errors[field])
    assert not Indicator.objects.filter(code="X_NEW").exists()


def test_linked_registry_figure_prefills_a_new_indicator(users, unit):
    """An indicator linked to a registry figure (not its own code) is pre-filled from that registry."""

    @registry.register_derived("TEST_FIGURE", source="tests", description="test")
    def _figure(*, unit_ids, agency_ids, period):
        return 11

    try:
        catalogue.indicator_save(
            user=users["admin"],
            data={"code": "PATROLS_ALL_KINDS", "name_vi": "Tuần tra (mọi loại)", "registry_figure": "TEST_FIGURE"},
        )
        monthly = ReportForm.objects.get(code="bc-xa-thang")
        v1 = monthly.current_version()
        sections = [*v1.sections, {"code": "extra", "title": "Bổ sung", "indicators": ["PATROLS_ALL_KINDS"]}]
        catalogue.form_publish(user=users["admin"], code="bc-xa-thang", sections=sections, lock_days=None)
        sub = services.submission_create(
            user=users["baocao.dongdang"], form=monthly, period_key="2026M02", unit=unit("Xã Đồng Đăng")
        )
        assert sub.form_version.number == v1.number + 1
        services.submission_prefill_derived(user=users["baocao.dongdang"], submission=sub)
        dv = sub.values.get(indicator__code="PATROLS_ALL_KINDS")
        assert dv.value == 11 and dv.derived_value == 11 and dv.provenance["derived_from"] == "tests"
    finally:
        registry._REGISTRY.pop("TEST_FIGURE", None)


def test_publish_new_version_keeps_sent_reports_and_consolidates_across_versions(users, unit):
    monthly = ReportForm.objects.get(code="bc-xa-thang")
    v1 = monthly.current_version()
    quoc_khanh = unit("Xã Quốc Khánh", on="2026-02-01")
    old = _approve(
        users,
        services.submission_create(user=users["admin"], form=monthly, period_key="2026M02", unit=quoc_khanh),
        {"PATROLS_BILATERAL": {"value": "5"}, "PATROL_ROAD_CLEARINGS": {"value": "3"}},
    )
    old_snapshot = old.values_snapshot()
    # v2: drops PATROL_ROAD_CLEARINGS, adds HUMAN_TRAFFICKING_CASES, renames a narrative section.
    sections = [{**s, "indicators": [c for c in s["indicators"] if c != "PATROL_ROAD_CLEARINGS"]} for s in v1.sections]
    sections[0]["indicators"].append("HUMAN_TRAFFICKING_CASES")
    narr = [*v1.narrative_sections, {"code": "proposals", "title": "Đề xuất, kiến nghị"}]
    for name in ("baocao.quockhanh", "vanphong.ls"):  # a national form: administrators only
        with pytest.raises(PermissionDeniedError):
            catalogue.form_publish(user=users[name], code="bc-xa-thang", sections=sections)
    with pytest.raises(ConflictError):
        catalogue.form_publish(
            user=users["admin"],
            code="bc-xa-thang",
            sections=sections,
            expected_number=v1.number - 1 if v1.number > 1 else v1.number + 5,
        )
    v2 = catalogue.form_publish(
        user=users["admin"], code="bc-xa-thang", sections=sections, narrative_sections=narr, expected_number=v1.number
    )
    assert v2.number == v1.number + 1 and monthly.current_version() == v2
    assert ChangeLogEntry.objects.filter(object_id=str(v2.pk), action="create").exists()
    with pytest.raises(ApplicationError) as exc:  # publishing the same content again is refused
        catalogue.form_publish(user=users["admin"], code="bc-xa-thang", sections=sections, narrative_sections=narr)
    assert exc.value.code == "unchanged"
    old.refresh_from_db()
    assert old.form_version == v1 and old.status == "approved"
    assert old.values_snapshot() == old_snapshot
    new = _approve(
        users,
        services.submission_create(user=users["admin"], form=monthly, period_key="2026M03", unit=quoc_khanh),
        {"PATROLS_BILATERAL": {"value": "7"}, "HUMAN_TRAFFICKING_CASES": {"value": "2"}},
    )
    assert new.form_version == v2
    with pytest.raises(ApplicationError):  # the dropped indicator is not in v2
        services.submission_save(
            user=users["admin"],
            submission=services.submission_create(
                user=users["admin"], form=monthly, period_key="2026M04", unit=quoc_khanh
            ),
            values={"PATROL_ROAD_CLEARINGS": {"value": "1"}},
            enforce_lock=False,
        )
    cons = consolidation.consolidation_get(
        user=users["lanhdao.ls"], unit=quoc_khanh, period=parse_period("2026Q1"), form=monthly
    )
    assert cons.row("PATROLS_BILATERAL").value == 12
    assert cons.row("PATROL_ROAD_CLEARINGS").value == 3  # only in v1, still consolidated
    assert cons.row("HUMAN_TRAFFICKING_CASES").value == 2  # only in v2
    prov = consolidation.consolidation_get(
        user=users["lanhdao.ls"], unit=unit("Tỉnh Lạng Sơn"), period=parse_period("2026Q1"), form=monthly
    )
    assert prov.row("PATROL_ROAD_CLEARINGS").value >= 3


@pytest.mark.parametrize(
    "sections,message",
    [
        ([{"title": "A", "indicators": ["NO_SUCH_CODE"]}], "NO_SUCH_CODE"),
        ([{"title": "A", "indicators": ["PATROLS_TOTAL", "PATROLS_TOTAL"]}], "PATROLS_TOTAL"),
        ([{"title": "", "indicators": ["PATROLS_TOTAL"]}], "chưa có tên"),
    ],
)
def test_publish_refuses_bad_sections_and_saves_nothing(users, sections, message):
    monthly = ReportForm.objects.get(code="bc-xa-thang")
    n = monthly.versions.count()
    with pytest.raises(ApplicationError) as exc:
        catalogue.form_publish(user=users["admin"], code="bc-xa-thang", sections=sections)
    assert message in str(exc.value.message)
    assert monthly.versions.count() == n


def test_new_form_from_catalogue_indicators(users):
    v = catalogue.form_publish(
        user=users["admin"],
        code="bc-quy-moi",
        name="Báo cáo quý thử",
        sections=[{"code": "p", "title": "Tuần tra", "indicators": ["patrols_total"]}],
        narrative_sections=[{"code": "general", "title": "Tình hình chung"}],
        period_spec={"kind": "quarter", "rule": "decree09"},
    )
    assert v.number == 1 and v.indicator_codes() == ["PATROLS_TOTAL"] and v.form.name == "Báo cáo quý thử"


def test_rule_save_parses_safely_and_checks_codes(users):
    monthly = ReportForm.objects.get(code="bc-xa-thang")
    for expr in (
        "__import__('os').system('x')",
        "PATROLS_BILATERAL.real",
        "open('f')",
        "PATROLS_BILATERAL[0]",
        "lambda: 1",
    ):
        with pytest.raises(ApplicationError) as exc:
            rules.rule_save(
                user=users["admin"], form=monthly, data={"name": "x", "left": expr, "operator": "<=", "right": "1"}
            )
        assert "left" in exc.value.field_errors
    with pytest.raises(ApplicationError) as exc:
        rules.rule_save(
            user=users["admin"], form=monthly, data={"name": "x", "left": "DRUG_CASES", "operator": "<=", "right": "1"}
        )
    assert "DRUG_CASES" in exc.value.field_errors["left"][0]  # not in this form
    with pytest.raises(ApplicationError) as exc:
        rules.rule_save(
            user=users["admin"],
            form=monthly,
            data={"name": "x", "left": "PATROLS_BILATERAL", "operator": "=<", "right": "1"},
        )
    assert "=<" in exc.value.field_errors["operator"][0]
    with pytest.raises(PermissionDeniedError):  # a rule for every form is national
        rules.rule_save(
            user=users["vanphong.ls"], data={"name": "x", "left": "PATROLS_BILATERAL", "operator": "<=", "right": "1"}
        )
    with pytest.raises(PermissionDeniedError):  # and so are the rules of a national form
        rules.rule_save(
            user=users["vanphong.ls"],
            form=monthly,
            data={"name": "x", "left": "PATROLS_BILATERAL", "operator": "<=", "right": "1"},
        )
    rule = rules.rule_save(
        user=users["admin"],
        form=monthly,
        data={
            "name": "Song phương không quá 2 lần đơn phương",
            "left": "PATROLS_BILATERAL",
            "operator": "<=",
            "right": "2 * PATROLS_UNILATERAL",
            "severity": "warning",
        },
    )
    assert rule.form == monthly and rule.version == 1
    rule = rules.rule_save(user=users["admin"], instance=rule, data={"severity": "error"}, expected_version=1)
    assert rule.version == 2
    assert ChangeLogEntry.objects.filter(object_id=str(rule.pk), action="update").exists()
    rules.rule_delete(user=users["admin"], rule=rule, expected_version=2)
    assert not ValidationRule.objects.filter(pk=rule.pk).exists()
    assert ChangeLogEntry.objects.filter(object_id=str(rule.pk), action="delete").exists()


def test_rule_preview_against_last_period(users, unit):
    monthly = ReportForm.objects.get(code="bc-xa-thang")
    dd = unit("Xã Đồng Đăng")
    sub = Submission.objects.filter(form=monthly, unit=dd, status="approved").order_by("-period_end").first()
    vals = {dv.indicator.code: dv.value for dv in sub.values.select_related("indicator")}
    assert vals.get("PATROLS_BILATERAL") is not None
    n_rules = ValidationRule.objects.count()
    preview = rules.rule_preview(
        user=users["vanphong.ls"],
        form=monthly,
        period_key=sub.period_key,
        data={"left": "PATROLS_BILATERAL", "operator": "<", "right": str(vals["PATROLS_BILATERAL"])},
    )
    row = next(r for r in preview.rows if r.submission_id == sub.pk)
    assert row.outcome == "fail" and row.left == vals["PATROLS_BILATERAL"] and preview.failing >= 1
    preview = rules.rule_preview(
        user=users["vanphong.ls"],
        form=monthly,
        period_key=sub.period_key,
        data={"left": "PATROLS_BILATERAL", "operator": "<=", "right": "PATROLS_BILATERAL + 1"},
    )
    assert next(r for r in preview.rows if r.submission_id == sub.pk).outcome == "pass"
    assert ValidationRule.objects.count() == n_rules  # a preview saves nothing
    # A reporter of another commune does not see Đồng Đăng's report in a preview (nor may preview at all).
    with pytest.raises(PermissionDeniedError):
        rules.rule_preview(
            user=users["baocao.quockhanh"],
            form=monthly,
            data={"left": "PATROLS_BILATERAL", "operator": "<", "right": "0"},
        )
    assert Decimal(0) <= (row.right or Decimal(0))
