"""The SQL engine (roll-up buckets plus values) gives exactly the direct computation, on varied data.

Hypothesis draws reports of a province, a district, communes and a station (the province's and the district's
figures cover those below them) on three forms (Decree 09 months, Decree 09 quarters, calendar months; the
third replacing the first for one commune), approved, submitted or returned after a reopening, with
qualifiers, quotes and blanks, over sum / latest / average / max figures; then every window kind under both
rules, approved only and including submitted, is consolidated both ways.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderdesk.core.periods import CALENDAR, DECREE09, H1, MONTH, QUARTER, YEAR, cutoff_period, period_for
from borderdesk.org.models import AdministrativeUnit, Agency
from borderdesk.reporting import aggregation, rollup, services
from borderdesk.reporting.models import DataValue, Indicator, ReportForm, Submission
from borderdesk.reporting.window import root_paths

from .test_rollup import CODES

pytestmark = pytest.mark.django_db

FORMS = (("hy-thang", "month", DECREE09), ("hy-quy", "quarter", DECREE09), ("hy-lich", "month", CALENDAR))
STATUSES = ("approved", "approved", "approved", "submitted", "submitted", "returned", "draft")
report = st.tuples(
    st.integers(0, 4),  # reporter
    st.integers(0, 2),  # form
    st.integers(1, 12),  # month (quarter: 1 + month % 4)
    st.sampled_from(STATUSES),
    st.lists(
        st.one_of(st.none(), st.tuples(st.integers(0, 900), st.sampled_from(["", "", "over", "about"]), st.booleans())),
        min_size=len(CODES),
        max_size=len(CODES),
    ),
)


@pytest.fixture
def setup(users):
    admin = users["admin"]
    forms, versions = [], []
    for code, kind, rule in FORMS:
        v = services.form_version_create(
            user=admin,
            code=code,
            name=code,
            sections=[{"code": "all", "title": "Tất cả", "indicators": list(CODES)}],
            narrative_sections=[],
            period_spec={"kind": kind, "rule": rule},
            reporter_spec={"unit_kinds": ["commune"]},
            lock_days=None,
        )
        forms.append(v.form)
        versions.append(v)
    province = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    district = AdministrativeUnit.objects.get(name="Huyện Cao Lộc")
    communes = list(
        AdministrativeUnit.objects.filter(path__startswith=district.path, kind="commune").order_by("path")[:2]
    )
    station = Agency.objects.filter(unit__path__startswith=district.path).order_by("pk").first()
    assert len(communes) == 2 and station is not None
    ReportForm.objects.filter(pk=forms[2].pk).update(replaces=forms[0])
    reporters = [{"unit": province}, {"unit": district}, {"unit": communes[0]}, {"unit": communes[1]}]
    reporters.append({"agency": station})
    indicators = [Indicator.objects.get(code=c) for c in CODES]
    return forms, versions, reporters, indicators, province


def _windows():
    out = []
    for rule in (DECREE09, CALENDAR):
        out += [period_for(YEAR, 2024, rule=rule), period_for(H1, 2024, rule=rule)]
        out += [period_for(QUARTER, 2024, 2, rule=rule), period_for(MONTH, 2024, 3, rule=rule)]
        out.append(cutoff_period(dt.date(2024, 8, 20), base_rule=rule))
    return out


def _create(setup, reports) -> list[Submission]:
    """The drawn reports (one per reporter, form and period), with their values, written directly."""
    forms, versions, reporters, indicators, province = setup
    Submission.objects.filter(form__in=forms).delete()
    seen, subs = set(), []
    for who, f, month, status, values in reports:
        kind = FORMS[f][1]
        period = period_for(kind, 2024, 1 + month % 4 if kind == QUARTER else month, rule=FORMS[f][2])
        if (who, f, period.key) in seen:
            continue
        seen.add((who, f, period.key))
        r = reporters[who]
        unit = r.get("unit")
        path = unit.path if unit else r["agency"].unit.path
        sub = Submission.objects.create(
            form=forms[f],
            form_version=versions[f],
            period_key=period.key,
            period_start=period.start,
            period_end=period.end,
            unit_path=path,
            status=status,
            **r,
        )
        subs.append(sub)
        DataValue.objects.bulk_create(
            [
                DataValue(
                    submission=sub,
                    indicator=ind,
                    value=Decimal(v[0]) / (4 if ind.code == "VEHICLES_PER_DAY_AVG" else 1),
                    qualifier=v[1],
                    source_quote="trích" if v[2] else "",
                )
                for ind, v in zip(indicators, values, strict=True)
                if v is not None
            ]
        )
    return subs


def _compare(province, forms) -> None:
    problems = []
    indicators = {i.pk: i for i in Indicator.objects.all()}  # read once, as `rollup --verify` does
    paths = root_paths(province)
    for period in _windows():
        for form in (None, forms[0]):
            for include_submitted in (False, True):
                problems += aggregation.rollup_differences(
                    unit=province,
                    period=period,
                    form=form,
                    include_submitted=include_submitted,
                    indicators=indicators,
                    paths=paths,
                )
    assert problems == [], "\n".join(problems)


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reports=st.lists(report, min_size=1, max_size=25))
def test_engine_matches_the_direct_computation(setup, reports):
    _create(setup, reports)
    rollup.rebuild()
    _compare(setup[4], setup[0])


# Workflow steps on the reports drawn: (report index, step); "edit" changes a draft or returned report's figures.
STEPS = ("submit", "return", "approve", "reopen", "delete", "edit")
step = st.tuples(st.integers(0, 24), st.sampled_from(STEPS), st.integers(0, 900))


def _apply(admin, sub: Submission, what: str, number: int) -> None:
    """One workflow step as the services make it (the transition and its roll-up refresh), when the status allows."""
    from borderdesk.reporting import workflow

    allowed = {
        "submit": ("draft", "returned"),
        "return": ("submitted",),
        "approve": ("submitted",),
        "reopen": ("approved",),
        "edit": ("draft", "returned"),
        "delete": ("draft", "submitted", "approved", "returned"),
    }
    if sub.status not in allowed[what]:
        return
    if what == "delete":
        sub.delete()
    elif what == "edit":  # a figure changed, one removed (the roll-up is not touched: the report is not counted)
        ids = list(sub.values.order_by("pk").values_list("pk", flat=True))
        if ids:
            DataValue.objects.filter(pk=ids[0]).update(value=Decimal(number))
        if len(ids) > 1:
            DataValue.objects.filter(pk=ids[-1]).delete()
    else:
        to = {"submit": "submitted", "return": "returned", "approve": "approved", "reopen": "returned"}[what]
        workflow._transition(sub, user=admin, action=what, to_status=to)


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reports=st.lists(report, min_size=1, max_size=25), steps=st.lists(step, min_size=1, max_size=20))
def test_engine_matches_the_direct_computation_through_the_workflow(setup, users, reports, steps):
    """The roll-up built, then reports submitted, returned, approved, reopened, deleted and their figures changed
    while returned (a submitted report's figures change only so): each step refreshes the roll-up's rows of both
    scopes, and the engine still gives the direct computation, approved only and with the submitted values; the
    rows are those a rebuild gives."""
    subs = _create(setup, reports)
    rollup.rebuild()
    for index, what, number in steps:
        if index < len(subs) and Submission.objects.filter(pk=subs[index].pk).exists():
            _apply(users["admin"], Submission.objects.get(pk=subs[index].pk), what, number)
    _compare(setup[4], setup[0])
    incremental = _rows()
    rollup.rebuild()
    assert _rows() == incremental


def _rows() -> list[tuple]:
    from borderdesk.reporting.models import RollupMember, RollupValue

    members = RollupMember.objects.values_list("bucket_start", "bucket_end", "submission_id", "scope")
    values = RollupValue.objects.values_list(
        "bucket_start", "bucket_end", "form_id", "rkey", "unit_path", "indicator_id", "scope", "s", "n", "mx", "mn"
    )
    return sorted(members) + sorted(values, key=str)


def _covering_reports(setup):
    """July–September reports (September partly submitted) of a district covering two indicators of its communes
    and station; the province and district units."""
    forms, versions, reporters, indicators, province = setup
    for who, r in enumerate(reporters[1:]):
        unit = r.get("unit")
        for month, status in ((7, "approved"), (8, "approved"), (9, "approved" if who % 2 else "submitted")):
            period = period_for(MONTH, 2024, month)
            sub = Submission.objects.create(
                form=forms[0],
                form_version=versions[0],
                period_key=period.key,
                period_start=period.start,
                period_end=period.end,
                unit_path=unit.path if unit else r["agency"].unit.path,
                status=status,
                **r,
            )
            # the district reports fewer indicators than those below it: it covers only those
            kept = indicators[:2] if who == 0 else indicators
            DataValue.objects.bulk_create(
                [
                    DataValue(submission=sub, indicator=ind, value=Decimal(10 * who + month + i), source_quote="q" * i)
                    for i, ind in enumerate(kept)
                ]
            )
    rollup.rebuild()
    return province, reporters[1]["unit"]


def _engine_statement_plan(unit, period, include_submitted: bool) -> tuple[str, list[str]]:
    """Check the roll-up against the direct computation for one consolidation (no difference allowed) and return the
    engine's statement it ran with the database's plan of it (SQLite: EXPLAIN QUERY PLAN details; PostgreSQL:
    EXPLAIN's lines)."""
    from django.db import connection

    statements = []

    def capture(execute, sql, params, many, context):
        if sql.startswith("WITH src"):
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        problems = aggregation.rollup_differences(unit=unit, period=period, include_submitted=include_submitted)
    assert problems == [], "\n".join(problems)
    sql, params = statements[0]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("EXPLAIN " + sql, params)
            return sql, [row[0].strip() for row in cur.fetchall()]
        cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        return sql, [row[3] for row in cur.fetchall()]


def test_covering_rule_without_a_join(setup):
    """The pairs an enclosing reporter covers are marked by a condition on each row (the covering reporters'
    indicators read first, through the roll-up index), not by joining every pair with the covered pairs in each of
    the two groupings (SQLite: an automatic index probed per row, twice; PostgreSQL: the window's rows copied into a
    temporary table, 66.000 on a national quarter, to be read twice). Totals, contributors and the pairs missing
    stay those of the direct computation."""
    from django.db import connection

    province, district = _covering_reports(setup)
    periods = (period_for(QUARTER, 2024, 3), period_for(MONTH, 2024, 9), period_for(YEAR, 2024))
    for unit, period, include_submitted in product((province, district), periods, (False, True)):
        sql, plan = _engine_statement_plan(unit, period, include_submitted)
        assert "covered AS" not in sql and "inside(rkey, area)" not in sql
        if connection.vendor == "sqlite":
            assert not [d for d in plan if "covered" in d or "(rkey=? AND indicator_id=?)" in d], plan
        else:
            assert not [d for d in plan if "CTE l1" in d or "CTE covered" in d], plan


def test_indicators_missing_the_same_reporters_share_one_contributor_list(setup):
    """The consolidation resolves contributors (names, areas, reporters missing) once per list: indicators whose
    missing reporters are the same (here the two the district reports, and the three it does not) get one list
    object, not one equal list each."""
    province, _district = _covering_reports(setup)
    indicators = {i.pk: i for i in setup[3]}
    period = period_for(QUARTER, 2024, 3)
    result, _rpath, _ids = aggregation._aggregate([province.path], period, ["approved"], None, indicators)
    covered, rest = [result[i.pk].contributors for i in setup[3][:2]], [result[i.pk].contributors for i in setup[3][2:]]
    assert covered[0] == covered[1] and covered[0] is covered[1]
    assert all(r is rest[0] for r in rest) and rest[0] != covered[0]


def test_sqlite_combined_reporters_rows_are_not_copied_again(setup):
    """On SQLite, when reporters are combined (roll-up rows plus values), the pairs (lx) are not copied
    into a temporary table once more before the two groupings, and a combined reporter's distinct indicators are
    counted in the per-reporter grouping (no separate DISTINCT pass over every row). Results stay those of the
    direct computation."""
    from django.db import connection

    if connection.vendor != "sqlite" or connection.Database.sqlite_version_info < (3, 35):
        pytest.skip("SQLite ≥ 3.35 only (NOT MATERIALIZED)")
    province, district = _covering_reports(setup)
    # The submitted reports are read from the roll-up ('s' rows) like the approved ones: a reporter's rows are
    # combined when some of its reports are read from the values, here calendar months over the Decree 09 buckets.
    forms, versions, reporters, indicators, _province = setup
    august = period_for(MONTH, 2024, 8, rule=CALENDAR)
    for r in reporters[2:4]:
        sub = Submission.objects.create(
            form=forms[2],
            form_version=versions[2],
            period_key=august.key,
            period_start=august.start,
            period_end=august.end,
            unit_path=r["unit"].path,
            status="submitted",
            **r,
        )
        DataValue.objects.bulk_create([DataValue(submission=sub, indicator=i, value=Decimal(7)) for i in indicators])
    for unit, period in product((province, district), (period_for(QUARTER, 2024, 3), period_for(YEAR, 2024))):
        sql, plan = _engine_statement_plan(unit, period, True)
        assert " g AS (" in sql or ", g AS (" in sql  # reporters combined
        assert not [d for d in plan if d in ("MATERIALIZE lx", "MATERIALIZE dc")], plan


def test_sqlite_totals_read_in_indicator_order_and_the_fewer_figures_apart(setup):
    """On SQLite (no hash aggregation) the per-indicator totals read the roll-up through its covering index in
    indicator order: no table lookup per row and no sort of every row for that grouping. The indicators of the
    reporters with fewer figures than there are indicators (here the district, which reports two) are read in a
    statement apart, through the reporter index, instead of every row of the window a third time. Results stay
    those of the direct computation."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only (PostgreSQL aggregates by hashing)")
    province, district = _covering_reports(setup)
    few = []

    def capture(execute, sql, params, many, context):
        if sql.startswith("SELECT DISTINCT rkey, indicator_id FROM"):
            few.append((sql, params))
        return execute(sql, params, many, context)

    for period in (period_for(QUARTER, 2024, 3), period_for(MONTH, 2024, 9), period_for(YEAR, 2024)):
        with connection.execute_wrapper(capture):
            _sql, plan = _engine_statement_plan(province, period, False)
        reads = [d for d in plan if d.startswith(("SEARCH r ", "SCAN r "))]
        assert len(reads) == 2, plan  # the two groupings; the pairs of the fewer-figure reporters are not read here
        assert any("COVERING INDEX reporting_rvalue_bucket_cover_idx" in d for d in reads), plan
        assert few, "the fewer-figure reporters' indicators are read apart"
        with connection.cursor() as cur:
            cur.execute("EXPLAIN QUERY PLAN " + few[-1][0], few[-1][1])
            details = [row[3] for row in cur.fetchall()]
        assert any("reporting_rvalue_reporter_idx" in d for d in details), details


def test_sqlite_covering_index_comes_back_after_a_migrate(db):
    """A migration that rebuilds the roll-up's table on SQLite drops the covering index the models do not declare;
    every ``migrate`` (post_migrate) creates it again."""
    from django.apps import apps
    from django.db import connection
    from django.db.models.signals import post_migrate

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")

    def present() -> bool:
        with connection.cursor() as cur:
            cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = %s", [rollup.SQLITE_COVER_INDEX])
            return cur.fetchone() is not None

    assert present()
    with connection.cursor() as cur:
        cur.execute(f'DROP INDEX "{rollup.SQLITE_COVER_INDEX}"')
    assert not present()
    config = apps.get_app_config("reporting")
    post_migrate.send(
        sender=config, app_config=config, verbosity=0, interactive=False, using="default", apps=apps, plan=[]
    )
    assert present()
