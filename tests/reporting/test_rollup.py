"""The consolidation rollup agrees with consolidating the values directly, through every workflow step."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

import pytest
from django.db import connection

from borderdesk.core.periods import CALENDAR, DECREE09, H1, MONTH, N9, QUARTER, YEAR, cutoff_period, period_for
from borderdesk.org.models import AdministrativeUnit, Agency
from borderdesk.reporting import aggregation, consolidation, engine, rollup, services, workflow
from borderdesk.reporting.models import Indicator, RollupMember, RollupValue, Submission
from borderdesk.reporting.window import root_paths

pytestmark = pytest.mark.django_db

CODES = {
    "MARKER_INSPECTIONS": "int",
    "PATROLS_BILATERAL": "int",
    "MARKERS_TOTAL": "int",
    "VEHICLES_PER_DAY_PEAK": "int",
    "VEHICLES_PER_DAY_AVG": "dec",
}
QUALIFIERS = ["", "", "", "over", "nearly", "about"]


def _forms(admin):
    sections = [{"code": "all", "title": "Tất cả", "indicators": list(CODES)}]
    spec = {"unit_kinds": ["commune"], "agency_kinds": ["border_guard_station"]}
    out = {}
    for code, kind, rule in [
        ("rt-thang", "month", DECREE09),
        ("rt-quy", "quarter", DECREE09),
        ("rt-nam", "year", DECREE09),
        ("rt-lich", "month", CALENDAR),
    ]:
        v = services.form_version_create(
            user=admin,
            code=code,
            name=code,
            sections=sections,
            narrative_sections=[],
            period_spec={"kind": kind, "rule": rule},
            reporter_spec=spec,
            lock_days=None,
        )
        out[code] = v.form
    return out


def _reporters():
    district = AdministrativeUnit.objects.get(name="Huyện Cao Lộc")
    communes = list(
        AdministrativeUnit.objects.filter(
            path__startswith=district.path, kind="commune", valid_from__isnull=True, valid_to__isnull=False
        )[:3]
    )
    agencies = list(Agency.objects.filter(kind__code="border_guard_station", unit__path__startswith="/")[:2])
    assert len(communes) == 3 and len(agencies) == 2
    return [{"unit": c} for c in communes] + [{"agency": a} for a in agencies]


def _report(admin, form, key, reporter, rnd, approve=True):
    sub = services.submission_create(user=admin, form=form, period_key=key, **reporter)
    values = {}
    for code, kind in CODES.items():
        if rnd.random() < 0.15:
            continue  # a figure not reported this time
        v = rnd.randint(0, 500) if kind == "int" else Decimal(rnd.randint(0, 9999)) / 100
        if code == "VEHICLES_PER_DAY_PEAK":
            v += 100  # the rule "peak >= average" holds
        values[code] = {
            "value": str(v),
            "qualifier": rnd.choice(QUALIFIERS),
            "source_quote": "trích dẫn" if rnd.random() < 0.1 else "",
            "comment": "đã kiểm tra",
        }
    services.submission_save(user=admin, submission=sub, values=values, enforce_lock=False)
    workflow.submission_submit(user=admin, submission=sub, enforce_lock=False)
    if approve:
        while sub.status == "submitted":
            workflow.submission_approve(user=admin, submission=sub)
    return sub


def _table():
    return sorted(
        RollupValue.objects.values_list(
            "bucket_start",
            "bucket_end",
            "form_id",
            "rkey",
            "unit_path",
            "indicator_id",
            "s",
            "n",
            "mx",
            "mn",
            "q1",
            "q2",
            "nq",
            "latest_end",
            "latest_s",
            "scope",
        )
    )


def _periods():
    """Every window kind under both rules: bucket windows, and a cut-off the buckets tile only in part."""
    out = []
    for rule in (DECREE09, CALENDAR):
        out += [period_for(kind, 2024, rule=rule) for kind in (YEAR, H1, N9)]
        out += [period_for(QUARTER, 2024, 3, rule=rule), period_for(MONTH, 2024, 3, rule=rule)]
        out.append(cutoff_period(dt.date(2024, 10, 20), base_rule=rule))
    return out


def _check(units, forms, used):
    problems = []
    indicators = {i.pk: i for i in Indicator.objects.all()}  # read once, as `rollup --verify` does
    paths = {u.pk: root_paths(u) for u in units}
    for period in _periods():
        for unit in units:
            for form in [None, forms["rt-thang"], forms["rt-nam"]]:
                for include_submitted in (False, True):
                    problems += aggregation.rollup_differences(
                        unit=unit,
                        period=period,
                        form=form,
                        include_submitted=include_submitted,
                        indicators=indicators,
                        paths=paths[unit.pk],
                    )
    assert problems == [], "\n".join(problems)
    assert used["fast"] > 10, used


def _counting(monkeypatch):
    """How many consolidations read roll-up rows (and the last plan made)."""
    used = {"fast": 0, "plan": None}
    original = engine.run

    def counting(p, *a, **k):
        used["fast"] += bool(p.accepted)
        used["plan"] = p
        return original(p, *a, **k)

    monkeypatch.setattr(engine, "run", counting)
    return used


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_rollup_matches_values_through_approve_reopen_and_rebuild(users, seed, monkeypatch):
    admin = users["admin"]
    rnd = random.Random(seed)
    forms = _forms(admin)
    reporters = _reporters()
    used = _counting(monkeypatch)
    subs = []
    for reporter in reporters:
        for m in range(1, 13):
            if rnd.random() < 0.7:
                subs.append(
                    _report(admin, forms["rt-thang"], f"2024M{m:02d}", reporter, rnd, approve=rnd.random() < 0.85)
                )
        for q in range(1, 5):
            if rnd.random() < 0.3:
                subs.append(_report(admin, forms["rt-quy"], f"2024Q{q}", reporter, rnd))
        if rnd.random() < 0.4:
            subs.append(_report(admin, forms["rt-nam"], "2024", reporter, rnd))
        if rnd.random() < 0.5:
            subs.append(_report(admin, forms["rt-lich"], "2024M03", reporter, rnd))
    assert RollupMember.objects.exists()
    units = [
        AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn"),
        AdministrativeUnit.objects.get(name="Huyện Cao Lộc"),
        AdministrativeUnit.objects.get(kind="country"),
    ]
    _check(units, forms, used)
    # Reopen some approved reports (they leave the rollup), approve a few of them again.
    approved = [s for s in subs if s.status == "approved"]
    for sub in rnd.sample(approved, k=len(approved) // 4):
        workflow.submission_reopen(user=admin, submission=sub, reason="Sửa số liệu")
        if rnd.random() < 0.5:
            services.submission_save(
                user=admin,
                submission=sub,
                values={"MARKER_INSPECTIONS": {"value": str(rnd.randint(0, 50)), "comment": "sửa"}},
                enforce_lock=False,
            )
            workflow.submission_submit(user=admin, submission=sub, enforce_lock=False)
            while sub.status == "submitted":
                workflow.submission_approve(user=admin, submission=sub)
    _check(units, forms, used)
    # Return some submitted reports, change their figures and send them again; submit reopened ones without
    # approving them; delete a few reports of each status. Each step refreshes the rows of both scopes.
    submitted = [s for s in subs if Submission.objects.get(pk=s.pk).status == "submitted"]
    for sub in submitted[: len(submitted) // 2 + 1]:
        workflow.submission_return(user=admin, submission=sub, reason="Thiếu số liệu")
        services.submission_save(
            user=admin,
            submission=sub,
            values={"PATROLS_BILATERAL": {"value": str(rnd.randint(0, 50)), "comment": "bổ sung"}},
            enforce_lock=False,
        )
        if rnd.random() < 0.7:
            workflow.submission_submit(user=admin, submission=sub, enforce_lock=False)
    returned = [s for s in subs if Submission.objects.get(pk=s.pk).status == "returned"]
    for sub in returned[:3]:
        workflow.submission_submit(user=admin, submission=sub, enforce_lock=False)
    for status in ("approved", "submitted", "returned"):
        for sub in Submission.objects.filter(pk__in=[s.pk for s in subs], status=status).order_by("pk")[:2]:
            sub.delete()
    assert RollupMember.objects.filter(scope=rollup.WITH_SUBMITTED).exists()
    _check(units, forms, used)
    incremental = _table()
    rollup.rebuild()
    assert _table() == incremental


def test_consolidation_of_a_year_reads_the_rollup(users, unit, django_assert_max_num_queries):
    """Lạng Sơn 2025 (seed 004) through the rollup gives the seed's figures."""
    ls = unit("Tỉnh Lạng Sơn")
    cons = consolidation.consolidation_get(user=users["lanhdao.ls"], unit=ls, period=period_for("year", 2025))
    assert cons.row("TRADE_VALUE_TOTAL_USD").value == Decimal("86000000000")
    assert aggregation.rollup_differences(unit=ls, period=period_for("year", 2025)) == []
    assert aggregation.rollup_differences(unit=ls, period=period_for("year", 2023)) == []


def test_rollup_keeps_submitted_reports_apart(users, django_assert_num_queries):
    """A submitted report is counted in the roll-up's approved + submitted rows ('s') only; the approved rows of its
    groups are marked 'x' (read for the approved values only). A figure saved in a draft does not touch the
    roll-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = users["admin"]
    forms = _forms(admin)
    reporter = _reporters()[0]
    rnd = random.Random(3)
    approved = _report(admin, forms["rt-thang"], "2024M04", reporter, rnd)
    mine = {"form": forms["rt-thang"]}  # (the demo data has reports of every status on other forms)
    assert set(RollupMember.objects.filter(**mine).values_list("scope", flat=True)) == {rollup.APPROVED}
    draft = services.submission_create(user=admin, form=forms["rt-thang"], period_key="2024M05", **reporter)
    with CaptureQueriesContext(connection) as saved:
        services.submission_save(
            user=admin, submission=draft, values={"MARKERS_TOTAL": {"value": "7"}}, enforce_lock=False
        )
    assert not [q["sql"] for q in saved.captured_queries if "reporting_rollup" in q["sql"]]
    workflow.submission_submit(user=admin, submission=draft, enforce_lock=False)
    sub = draft
    # Decree 09 year, H1, 9 months, Q2, May, and the year to the end of May, July, August, October and November
    assert RollupMember.objects.filter(submission=sub, scope=rollup.WITH_SUBMITTED).count() == 10
    assert not RollupMember.objects.filter(submission=sub).exclude(scope=rollup.WITH_SUBMITTED).exists()
    # April's report shares 9 of its 11 buckets with May (all but April and the year to April): 'x' there, + 's'
    shared = RollupMember.objects.filter(submission=approved)
    assert shared.filter(scope=rollup.EXCLUSIVE).count() == 9 and shared.filter(scope=rollup.APPROVED).count() == 2
    assert shared.filter(scope=rollup.WITH_SUBMITTED).count() == 9
    workflow.submission_approve(user=admin, submission=sub)  # the district level (one level per decision)
    assert RollupMember.objects.filter(submission=sub, scope=rollup.WITH_SUBMITTED).count() == 10
    while sub.status == "submitted":
        workflow.submission_approve(user=admin, submission=sub)
    assert set(RollupMember.objects.filter(submission=sub).values_list("scope", flat=True)) == {rollup.APPROVED}
    assert RollupMember.objects.filter(submission=sub).count() == 10
    assert set(RollupValue.objects.filter(**mine).values_list("scope", flat=True)) == {rollup.APPROVED}
    workflow.submission_reopen(user=admin, submission=sub, reason="Sai số")
    assert not RollupMember.objects.filter(submission=sub).exists()
    assert (
        RollupValue.objects.filter(form=forms["rt-thang"]).count()
        == RollupValue.objects.filter(form=forms["rt-thang"], scope=rollup.APPROVED).count()
    )
    assert Submission.objects.get(pk=sub.pk).status == "returned"
    workflow.submission_submit(user=admin, submission=sub, enforce_lock=False)
    Submission.objects.get(pk=sub.pk).delete()  # a deleted report leaves both scopes
    assert set(RollupMember.objects.filter(**mine).values_list("scope", flat=True)) == {rollup.APPROVED}
    assert set(RollupValue.objects.filter(**mine).values_list("scope", flat=True)) == {rollup.APPROVED}


@pytest.mark.slow
def test_rollup_command_verifies_and_repairs(users):
    from django.core.management import CommandError, call_command

    row = RollupValue.objects.filter(s__gt=0, indicator__aggregation="sum").order_by("pk").first()
    year = str(row.bucket_end.year)  # the year whose consolidations read the row edited below
    out = io.StringIO()
    # One year (every year is what the command does without --year: the same loop, several times longer).
    call_command("rollup", "--verify", "--year", year, stdout=out)
    assert "0 sai lệch" in out.getvalue()
    RollupValue.objects.filter(pk=row.pk).update(s=row.s + 1)  # a row edited behind the services' back
    # and a row of the approved + submitted values (scope 's') of another indicator, in the same year
    srow = (
        RollupValue.objects.filter(
            s__gt=0, indicator__aggregation="sum", scope=rollup.WITH_SUBMITTED, bucket_end__year=int(year)
        )
        .exclude(indicator=row.indicator)
        .order_by("pk")
        .first()
    )
    RollupValue.objects.filter(pk=srow.pk).update(s=srow.s + 1)
    err = io.StringIO()
    with pytest.raises(CommandError, match="--rebuild"):
        call_command("rollup", "--verify", "--year", year, stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert [ln for ln in lines if f" {row.indicator.code}: " in ln and "(+submitted)" not in ln]
    assert [ln for ln in lines if f"(+submitted) {srow.indicator.code}: " in ln]
    out = io.StringIO()
    call_command("rollup", "--rebuild", "--verify", "--year", year, stdout=out)
    assert "0 sai lệch" in out.getvalue()
    other = io.StringIO()
    call_command("rollup", "--verify", "--year", "1999", stdout=other)
    assert "Đã đối chiếu 0 phép" in other.getvalue()
    with pytest.raises(CommandError):
        call_command("rollup")


def test_submitted_reports_are_read_from_the_rollup(users, monkeypatch):
    """With the submitted values, a group holding a submitted report reads the roll-up's approved + submitted rows
    (no values read); approved only, its approved rows."""
    admin = users["admin"]
    forms = _forms(admin)
    reporter = _reporters()[0]
    rnd = random.Random(5)
    _report(admin, forms["rt-thang"], "2024M02", reporter, rnd)
    used = _counting(monkeypatch)
    province = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    year = period_for("year", 2024)
    approved = consolidation.consolidation_get(user=None, unit=province, period=year, form=forms["rt-thang"])
    both = consolidation.consolidation_get(
        user=None, unit=province, period=year, form=forms["rt-thang"], include_submitted=True
    )
    assert used["fast"] == 2  # this year, twice (last year has no report)
    assert [(r.indicator.code, r.value) for r in both.rows] == [(r.indicator.code, r.value) for r in approved.rows]
    pending = _report(admin, forms["rt-thang"], "2024M03", reporter, rnd, approve=False)
    used["fast"] = 0
    both = consolidation.consolidation_get(
        user=None, unit=province, period=year, form=forms["rt-thang"], include_submitted=True
    )
    assert used["fast"] == 1  # the year from the roll-up (last year has no report)
    plan = used["plan"]
    assert plan.value_ids == [] and len(plan.accepted) == 1  # the pending report too, from the 's' rows
    assert plan.scopes == rollup.SCOPES[True]
    row = both.row("MARKER_INSPECTIONS")
    pending_value = (
        pending.values.get(indicator__code="MARKER_INSPECTIONS").value
        if pending.values.filter(indicator__code="MARKER_INSPECTIONS").exists()
        else 0
    )
    assert row.value == (approved.row("MARKER_INSPECTIONS").value or 0) + pending_value
    again = consolidation.consolidation_get(user=None, unit=province, period=year, form=forms["rt-thang"])
    assert [(r.indicator.code, r.value) for r in again.rows] == [(r.indicator.code, r.value) for r in approved.rows]
    assert used["plan"].scopes == rollup.SCOPES[False]


def test_pieces_tile_a_window_with_the_fewest_buckets():
    cut = cutoff_period(dt.date(2025, 11, 20), base_rule=DECREE09)
    rule, pieces = rollup.pieces(cut)
    assert rule == DECREE09
    # one year-to-date bucket (15/12/2024–14/11/2025, the eleven months); 15/11–20/11 is left to the values
    assert pieces == [(dt.date(2024, 12, 15), dt.date(2025, 11, 14))]
    assert rollup.pieces(cutoff_period(dt.date(2025, 8, 3), base_rule=DECREE09))[1] == [
        (dt.date(2024, 12, 15), dt.date(2025, 7, 14))  # seven months
    ]
    assert rollup.pieces(period_for(QUARTER, 2025, 3))[1] == [(dt.date(2025, 6, 15), dt.date(2025, 9, 14))]
    assert rollup.pieces(cutoff_period(dt.date(2025, 12, 31)))[1] == [(dt.date(2025, 1, 1), dt.date(2025, 12, 31))]
    assert rollup.pieces(cutoff_period(dt.date(2025, 1, 20)))[1] == []  # under a month: the values


def test_migration_adds_the_quarter_and_month_buckets_of_reports_approved_before(users):
    """The data migration builds the same quarter and month rows as the approvals do (demo data)."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("borderdesk.reporting.migrations.0008_rollup_quarter_month_buckets")
    later = importlib.import_module("borderdesk.reporting.migrations.0010_rollup_year_to_date_buckets")
    scope = importlib.import_module("borderdesk.reporting.migrations.0011_rollup_scope")
    before = _table()
    members = RollupMember.objects.count()
    assert any((row[1] - row[0]).days < 40 for row in before)  # month buckets exist
    editor = SimpleNamespace(connection=connection)  # all the functions use of a schema editor
    scope.backwards(apps, editor)  # migrating back runs the later migrations' backwards first
    later.backwards(apps, editor)
    migration.backwards(apps, editor)
    assert not any((row[1] - row[0]).days < 100 for row in _table())
    migration.forwards(apps, editor)
    later.forwards(apps, editor)
    scope.forwards(apps, editor)
    assert _table() == before
    assert RollupMember.objects.count() == members


def test_migration_adds_the_year_to_date_buckets_of_reports_approved_before(users):
    """The data migration builds the same year-to-date rows as the approvals do (demo data)."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("borderdesk.reporting.migrations.0010_rollup_year_to_date_buckets")
    scope = importlib.import_module("borderdesk.reporting.migrations.0011_rollup_scope")
    before = _table()
    members = RollupMember.objects.count()
    ytd = {
        (dt.date(year - 1, 12, 15), dt.date(year, month, 14))
        for year in (2024, 2025, 2026)
        for month in (2, 4, 5, 7, 8)
    }
    assert ytd & {(row[0], row[1]) for row in before}  # year-to-date buckets exist
    editor = SimpleNamespace(connection=connection)  # all the functions use of a schema editor
    scope.backwards(apps, editor)
    migration.backwards(apps, editor)
    assert not ytd & {(row[0], row[1]) for row in _table()}
    migration.forwards(apps, editor)
    scope.forwards(apps, editor)
    assert _table() == before
    assert RollupMember.objects.count() == members


def test_migration_adds_the_approved_and_submitted_rows_of_reports_submitted_before(users):
    """The data migration marks the approved rows of groups with a submitted report 'x' and adds their 's' rows,
    the same rows the workflow keeps (demo data, plus reports of every status on two forms); its bucket windows
    are those of the live code."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("borderdesk.reporting.migrations.0011_rollup_scope")
    for rule in (DECREE09, CALENDAR):
        for year in (2024, 2025):
            spans = {migration._window(rule, year, first, last) for first, last in migration.SPANS}
            assert spans == set(rollup.year_windows(year, rule))
    admin = users["admin"]
    forms = _forms(admin)
    rnd = random.Random(11)
    for i, reporter in enumerate(_reporters()[:3]):
        for m in (2, 3, 4, 7):
            _report(admin, forms["rt-thang"], f"2024M{m:02d}", reporter, rnd, approve=(m + i) % 3 != 0)
        _report(admin, forms["rt-quy"], "2024Q3", reporter, rnd, approve=i != 1)
        _report(admin, forms["rt-lich"], "2024M03", reporter, rnd, approve=i == 2)
    before = _table()
    assert {row[-1] for row in before} == {rollup.APPROVED, rollup.EXCLUSIVE, rollup.WITH_SUBMITTED}
    members = RollupMember.objects.count()
    editor = SimpleNamespace(connection=connection)  # all the functions use of a schema editor
    migration.backwards(apps, editor)
    assert {row[-1] for row in _table()} == {rollup.APPROVED}
    migration.forwards(apps, editor)
    assert _table() == before
    assert RollupMember.objects.count() == members


@pytest.mark.slow
def test_combined_reporters_rows_pass_as_they_are_except_latest(users, monkeypatch):
    """Reporters with several rows per indicator (roll-up rows plus values: here their calendar months, read apart
    from the Decree 09 buckets): the engine passes their rows through except for "latest", and gives exactly the
    direct computation (totals, contributors, missing pairs)."""
    admin = users["admin"]
    forms = _forms(admin)
    rnd = random.Random(11)
    reporters = _reporters()
    district = AdministrativeUnit.objects.get(name="Huyện Cao Lộc")
    for i, reporter in enumerate(reporters):
        for month in (2, 3):
            _report(admin, forms["rt-thang"], f"2024M{month:02d}", reporter, rnd)
        _report(admin, forms["rt-thang"], "2024M04", reporter, rnd, approve=i % 2 == 0)  # some submitted only
        _report(admin, forms["rt-lich"], "2024M03", reporter, rnd, approve=i % 3 == 0)
    rollup.rebuild()
    used = _counting(monkeypatch)
    province = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    problems = []
    for period in _periods():
        for unit in (province, district):
            for include_submitted in (False, True):
                problems += aggregation.rollup_differences(
                    unit=unit, period=period, include_submitted=include_submitted
                )
    assert problems == [], "\n".join(problems)
    assert used["fast"] > 10, used
    year = period_for(YEAR, 2024)
    reports = engine.counted_reports([province.path], year, ["approved", "submitted"], None)
    plan = engine.plan(reports, year, submitted=True)
    multi = {plan.kept[i] for i in plan.value_ids} & {g[2] for g in plan.accepted}
    assert multi  # reporters with roll-up rows and values


def test_sqlite_groups_a_windows_rows_without_copying_them(users, monkeypatch):
    """On SQLite (no hash aggregation), when every reporter has one row per indicator the statement's two groupings
    read the roll-up rows (and submitted values) directly: l1 and lx are not copied into temporary tables, nor src
    when it is roll-up rows only. Results stay those of the direct computation."""
    if connection.vendor != "sqlite" or connection.Database.sqlite_version_info < (3, 35):
        pytest.skip("SQLite ≥ 3.35 only (NOT MATERIALIZED)")
    admin = users["admin"]
    forms = _forms(admin)
    rnd = random.Random(7)
    for i, reporter in enumerate(_reporters()):
        _report(admin, forms["rt-thang"], "2024M03", reporter, rnd)
        _report(admin, forms["rt-thang"], "2024M04", reporter, rnd, approve=i % 2 == 0)
    used = _counting(monkeypatch)
    statements = []

    def capture(execute, sql, params, many, context):
        if sql.startswith("WITH src"):
            statements.append((sql, params))
        return execute(sql, params, many, context)

    province = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    cases = [(MONTH, 3, False, {"l1", "lx", "src"}), (MONTH, 4, True, {"l1", "lx"})]
    for kind, month, include_submitted, inline in cases:
        period = period_for(kind, 2024, month)
        statements.clear()
        with connection.execute_wrapper(capture):
            consolidation.consolidation_get(
                user=admin, unit=province, period=period, include_submitted=include_submitted
            )
        sql, params = statements[0]
        with connection.cursor() as cur:
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = [row[3] for row in cur.fetchall()]
        assert not [d for d in plan if d in {f"MATERIALIZE {n}" for n in inline}], plan
        assert aggregation.rollup_differences(unit=province, period=period, include_submitted=include_submitted) == []
    assert used["fast"] >= 2, used
