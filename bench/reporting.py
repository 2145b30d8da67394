"""Reporting bench: national and province consolidation on SQLite and PostgreSQL against a DuckDB reference,
for every window kind and both value scopes.

    python bench/reporting.py [--quick] [--backends sqlite,postgres] [--runs N] [--years N] [--db-name NAME] [--keep]
                              [--reuse]

Generates the synthetic national dataset (bench/national.py: several forms, a province's own form replacing
the national one, province reports covering their communes, qualifiers, quotes, submitted-not-approved
reports) to CSV once, loads the same rows into a fresh SQLite file and a fresh PostgreSQL database (``--db-name``,
default ``borderdesk_bench_reporting_<pid>``; BENCH_PG_URL names the server), builds the roll-up, then times
``consolidation_get`` (this year, last year, plan, contributors, missing) for the windows year, 6 months, 9
months, quarter, month and cut-off date, approved only and including submitted, for the country and one
province — each alternately with DuckDB computing the same figures (both years, same rules: window, nested
reports, "latest", covering reports, qualifiers) over the same rows in the same process, with the ratio and
the number of figures that differ. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import Unavailable, bulk_load, fresh_database  # noqa: E402

# Windows measured: (name, period key under Decree 09) in the last year of the data
WINDOWS = (
    ("year", "{y}"),
    ("6 months", "{y}H1"),
    ("9 months", "{y}N9"),
    ("quarter", "{y}Q3"),
    ("month", "{y}M10"),
    ("cut-off", "C{y}1120D"),
)


# Child: one backend -------------------------------------------------------------------------------
def child(data: Path, backend: str, runs: int, last_year: int, reuse: bool = False) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderdesk.settings")
    django.setup()
    import csv

    from django.core.management import call_command
    from django.db import connection, transaction
    from national import FORMS, PROVINCE_INDICATORS

    from borderdesk.core.periods import parse_period
    from borderdesk.org.models import AdministrativeUnit, Agency, AgencyKind
    from borderdesk.reporting import aggregation, consolidation
    from borderdesk.reporting.models import DataValue, FormVersion, Indicator, ReportForm, Target

    if reuse:  # the kept database as it is (--reuse): no load, no roll-up build
        t_migrate = t_load = t_rollup = 0.0
        from borderdesk.reporting.models import RollupValue

        rollup_counts = {"values": RollupValue.objects.count()}
        first_province = AdministrativeUnit.objects.filter(kind="province").order_by("pk").first()
    else:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        t_migrate = time.perf_counter() - t0

        def rows(name):
            with open(data / f"{name}.csv", newline="") as fh:
                yield from csv.reader(fh)

        t0 = time.perf_counter()
        with transaction.atomic():
            units = [
                AdministrativeUnit(
                    pk=int(r[0]),
                    code=r[1],
                    name=r[2],
                    kind=r[3],
                    parent_id=int(r[4]) if r[4] else None,
                    path=r[5],
                    depth=int(r[6]),
                    is_border=True,
                )
                for r in rows("units")
            ]
            AdministrativeUnit.objects.bulk_create(units)
            kind = AgencyKind.objects.create(code="border_guard_station", name="Đồn Biên phòng")
            agencies = [Agency(pk=int(r[0]), name=r[1], kind=kind, unit_id=int(r[2])) for r in rows("agencies")]
            Agency.objects.bulk_create(agencies)
            inds = [
                Indicator(pk=int(r[0]), code=r[1], name_vi=r[2], aggregation=r[3], unit="lượt", group="bench")
                for r in rows("indicators")
            ]
            Indicator.objects.bulk_create(inds)
            first_province = next(u for u in units if u.kind == "province")
            own_units = [u.pk for u in units if u.kind == "commune" and u.path.startswith(first_province.path)]
            reporter_specs = [
                {"unit_kinds": ["commune"], "agency_kinds": ["border_guard_station"]},
                {"units": own_units, "agencies": [a.pk for a in agencies if a.unit_id in own_units]},
                {"units": [u.pk for u in units if u.kind == "province"]},
            ]
            forms, versions = [], []
            for i, (code, period_kind) in enumerate(FORMS):
                form = ReportForm.objects.create(
                    code=code, name=f"Báo cáo thử tải {i + 1}", replaces=forms[0] if i == 1 else None
                )
                codes = [ind.code for ind in (inds if i < 2 else inds[:PROVINCE_INDICATORS])]
                versions.append(
                    FormVersion.objects.create(
                        form=form,
                        number=1,
                        period_spec={"kind": period_kind, "rule": "decree09"},
                        sections=[{"code": "all", "title": "Tất cả", "indicators": codes}],
                        reporter_spec=reporter_specs[i],
                    )
                )
                forms.append(form)
            Target.objects.bulk_create(
                [
                    Target(pk=int(r[0]), indicator_id=int(r[1]), unit_id=int(r[2]), period_key=r[3], value=int(r[4]))
                    for r in rows("targets")
                ]
            )
        cur_cols = (
            "id",
            "form_id",
            "form_version_id",
            "period_key",
            "period_start",
            "period_end",
            "unit_id",
            "agency_id",
            "unit_path",
            "status",
            "submitted_at",
            "approved_at",
            "approval_levels",
            "return_reason",
            "version",
            "source",
            "is_demo",
            "created_at",
            "updated_at",
        )
        val_cols = (
            "id",
            "submission_id",
            "indicator_id",
            "value",
            "text_value",
            "qualifier",
            "comment",
            "source_quote",
            "source_document",
            "override_reason",
            "provenance",
            "source",
            "is_demo",
        )
        now = "2026-01-01T00:00:00+07:00"

        def sub_rows():
            for r in rows("submissions"):
                f = int(r[8])
                yield (
                    int(r[0]),
                    forms[f].pk,
                    versions[f].pk,
                    r[1],
                    r[2],
                    r[3],
                    int(r[4]) if r[4] else None,
                    int(r[5]) if r[5] else None,
                    r[6],
                    r[9],
                    r[7],
                    r[7] if r[9] == "approved" else None,
                    "[]",
                    "",
                    1,
                    "",
                    False,
                    now,
                    now,
                )

        def val_rows():
            for r in rows("values"):
                yield (int(r[0]), int(r[1]), int(r[2]), int(r[3]), "", r[4], "", r[5], "", "", "{}", "", False)

        if backend == "sqlite":
            with connection.cursor() as c:
                c.execute("PRAGMA journal_mode=OFF")
                c.execute("PRAGMA synchronous=OFF")
        bulk_load("reporting_submission", cur_cols, sub_rows())
        bulk_load("reporting_datavalue", val_cols, val_rows())
        with connection.cursor() as c:
            c.execute("ANALYZE")
        t_load = time.perf_counter() - t0
        # Bulk-loaded rows bypass the approval service, so build the rollup the way an operator would after a
        # bulk load (``borderdesk rollup --rebuild``); approvals maintain it one submission at a time.
        from borderdesk.reporting import rollup

        t0 = time.perf_counter()
        rollup_counts = rollup.rebuild()
        with connection.cursor() as c:
            c.execute("ANALYZE")
        t_rollup = time.perf_counter() - t0

    country = AdministrativeUnit.objects.get(pk=1)
    province = first_province
    duck = duckdb_setup(data)
    cases = []
    for level, unit in (("national", country), ("province", province)):
        for wname, key in WINDOWS:
            period = parse_period(key.format(y=last_year))
            last = period.same_period_last_year()
            for scope in ("approved", "submitted"):
                statuses = ["approved"] + (["submitted"] if scope == "submitted" else [])
                duck_times, ours_times = [], []
                ref = cons = None
                for _ in range(runs):
                    t = time.perf_counter()
                    ref = duck(unit.path, statuses, period, last)
                    duck_times.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    cons = consolidation.consolidation_get(
                        user=None, unit=unit, period=period, include_submitted=scope == "submitted"
                    )
                    ours_times.append(time.perf_counter() - t)
                ours = (
                    {r.indicator.code: (r.value, r.qualifier) for r in cons.rows if r.value is not None},
                    {r.indicator.code: r.previous_value for r in cons.rows if r.previous_value is not None},
                )
                t_ours, t_duck = statistics.median(ours_times), statistics.median(duck_times)
                cases.append(
                    {
                        "level": level,
                        "window": wname,
                        "period": period.key,
                        "scope": scope,
                        "s": round(t_ours, 4),
                        "duckdb_s": round(t_duck, 4),
                        "ratio": round(t_ours / t_duck, 1) if t_duck else None,
                        "mismatches": _mismatches(ours, ref),
                        "figures": len(ours[0]),
                        "reporters": len(cons.reporting_units),
                    }
                )
                print(json.dumps(cases[-1]), file=sys.stderr, flush=True)
    year = parse_period(str(last_year))
    diffs = aggregation.rollup_differences(unit=country, period=year)
    return {
        "backend": backend,
        "migrate_s": round(t_migrate, 2),
        "load_s": round(t_load, 1),
        "rollup_build_s": round(t_rollup, 1),
        "rollup_rows": rollup_counts["values"],
        "rollup_vs_values_differences": len(diffs),
        "values": DataValue.objects.count(),
        "cases": cases,
    }


def _mismatches(ours: tuple[dict, dict], ref: tuple[dict, dict]) -> int:
    """Figures (this year: value and qualifier; last year: value) where we and DuckDB differ."""
    from decimal import Decimal

    bad = 0
    for code in set(ours[0]) | set(ref[0]):
        a, b = ours[0].get(code), ref[0].get(code)
        if a is None or b is None or abs(Decimal(a[0]) - Decimal(str(b[0]))) > Decimal("0.01") or a[1] != b[1]:
            bad += 1
    for code in set(ours[1]) | set(ref[1]):
        a, b = ours[1].get(code), ref[1].get(code)
        if a is None or b is None or abs(Decimal(a) - Decimal(str(b))) > Decimal("0.01"):
            bad += 1
    return bad


# DuckDB reference ---------------------------------------------------------------------------------
DUCK_SQL = """
WITH s AS (
  SELECT id, coalesce(unit_id, -agency_id) AS rep, unit_path, period_start, period_end FROM sub
  WHERE period_start >= $early AND period_end >= $start AND period_end <= $end AND list_contains($statuses, status)
    AND starts_with(unit_path, $prefix)),
k AS (  -- a reporter's reports nested in another of its own reports do not count
  SELECT * FROM s WHERE NOT EXISTS (
    SELECT 1 FROM s o WHERE o.rep = s.rep AND o.period_start <= s.period_start AND o.period_end >= s.period_end
      AND (o.period_start <> s.period_start OR o.period_end <> s.period_end))),
x AS (
  SELECT v.indicator_id, k.rep, k.unit_path, k.period_end, v.value, nullif(v.qualifier, '') AS q,
         max(k.period_end) OVER (PARTITION BY v.indicator_id, k.rep) AS last_end
  FROM val v JOIN k ON k.id = v.submission_id),
pr AS (
  SELECT indicator_id, rep, min(unit_path) AS path, sum(value) AS s, count(*) AS n, max(value) AS mx,
         min(value) AS mn, sum(value) FILTER (WHERE period_end = last_end) AS last, min(q) AS q1, max(q) AS q2
  FROM x GROUP BY 1, 2),
cp AS (  -- areas holding other reporters
  SELECT DISTINCT a.path FROM (SELECT DISTINCT path FROM pr) a, (SELECT DISTINCT path FROM pr) b
  WHERE starts_with(b.path, a.path) AND a.path <> b.path),
kept AS (  -- a reporter's own figure covers its area
  SELECT * FROM pr WHERE NOT EXISTS (
    SELECT 1 FROM pr c WHERE c.path IN (SELECT path FROM cp) AND c.indicator_id = pr.indicator_id
      AND starts_with(pr.path, c.path) AND pr.path <> c.path))
SELECT i.code, CASE i.agg WHEN 'sum' THEN sum(s) WHEN 'latest' THEN sum(last) WHEN 'average' THEN sum(s) / sum(n)
                WHEN 'max' THEN max(mx) ELSE min(mn) END,
       CASE WHEN min(q1) IS NULL THEN '' WHEN min(q1) = max(q2) THEN min(q1) ELSE 'about' END
FROM kept JOIN ind i ON i.id = kept.indicator_id GROUP BY i.code, i.agg ORDER BY 1"""


def duckdb_setup(data: Path):
    """An in-memory DuckDB with the generated rows, and a function computing a consolidation's figures
    (subtree path, statuses, this period, last year's period) → ({code: (value, qualifier)}, {code: value})."""
    import datetime as dt

    import duckdb

    con = duckdb.connect()
    con.execute(
        "CREATE TABLE sub AS SELECT * FROM read_csv(?, header=false, "
        "columns={'id':'BIGINT','period_key':'VARCHAR','period_start':'DATE','period_end':'DATE',"
        "'unit_id':'BIGINT','agency_id':'BIGINT','unit_path':'VARCHAR','submitted_at':'VARCHAR','form':'INTEGER',"
        "'status':'VARCHAR'})",
        [str(data / "submissions.csv")],
    )
    con.execute(
        "CREATE TABLE val AS SELECT * FROM read_csv(?, header=false, "
        "columns={'id':'BIGINT','submission_id':'BIGINT','indicator_id':'BIGINT','value':'DECIMAL(20,4)',"
        "'qualifier':'VARCHAR','source_quote':'VARCHAR'})",
        [str(data / "values.csv")],
    )
    con.execute("UPDATE val SET qualifier = coalesce(qualifier, ''), source_quote = coalesce(source_quote, '')")
    con.execute(
        "CREATE TABLE ind AS SELECT * FROM read_csv(?, header=false, "
        "columns={'id':'BIGINT','code':'VARCHAR','name':'VARCHAR','agg':'VARCHAR'})",
        [str(data / "indicators.csv")],
    )

    def one(prefix, statuses, period):
        params = {
            "early": period.start - dt.timedelta(days=17),
            "start": period.start,
            "end": period.end,
            "statuses": statuses,
            "prefix": prefix,
        }
        return con.execute(DUCK_SQL, params).fetchall()

    def run(prefix, statuses, period, last):
        cur = {c: (v, q) for c, v, q in one(prefix, statuses, period) if v is not None}
        prev = {c: v for c, v, _q in one(prefix, statuses, last) if v is not None}
        return cur, prev

    return run


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--runs", type=int, default=0, help="timed runs per case (default 3)")
    ap.add_argument("--db-name", default=f"borderdesk_bench_reporting_{os.getpid()}", help="PostgreSQL database")
    ap.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="time the cases on the databases an earlier --keep run left (same --db-name, --years, --quick): "
        "no load, no roll-up build; kept afterwards",
    )
    ap.add_argument("--child", default="")
    ap.add_argument("--data", default="")
    ap.add_argument("--last-year", type=int, default=2025)
    ap.add_argument("--years", type=int, default=0, help="years of data (default 10, quick 2)")
    args = ap.parse_args()
    runs = args.runs or 3  # the median of three even in --quick: one run can meet a garbage collection (~40 ms)
    if args.child:
        print("RESULT " + json.dumps(child(Path(args.data), args.child, runs, args.last_year, args.reuse)))
        return 0
    from national import Shape, csv_size, write_csvs

    shape = Shape.for_scale(args.quick)
    if args.years:
        shape.years = args.years
    bench_dir = ROOT / "var" / "bench" / ("reporting-quick" if args.quick else "reporting")
    if args.years:
        bench_dir = bench_dir.with_name(f"{bench_dir.name}-{args.years}y")
    data = bench_dir / "csv"
    t0 = time.perf_counter()
    write_csvs(shape, data)
    t_gen = time.perf_counter() - t0
    print(
        f"dataset: {shape.provinces} provinces, {shape.communes} communes, {shape.agencies} agencies, "
        f"{shape.indicators} indicators, {shape.years} years, 3 forms → {shape.values:,} values "
        f"(CSV {csv_size({n: data / f'{n}.csv' for n in ('values', 'submissions')}) // 2**20} MB, "
        f"generated in {t_gen:.1f} s)"
    )
    results: dict = {"bench": "reporting", "quick": args.quick, "values": shape.values, "runs": runs}
    for backend in [b for b in args.backends.split(",") if b]:
        env = dict(
            os.environ, BORDERDESK_TESTING="0", BORDERDESK_ALLOW_EPHEMERAL_KEY="1", BORDERDESK_VAR_DIR=str(bench_dir)
        )
        try:
            env["DATABASE_URL"], drop = fresh_database(backend, args.db_name, bench_dir, reuse=args.reuse)
        except Unavailable as exc:
            print(f"{backend}  skipped: {exc}")
            continue
        cmd = [sys.executable, __file__, "--child", backend, "--data", str(data), "--runs", str(runs)]
        cmd += ["--last-year", str(shape.last_year)] + (["--reuse"] if args.reuse else [])
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if not (args.keep or args.reuse):
            drop()
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if proc.returncode or line is None:
            print(f"{backend} failed:\n{proc.stderr[-3000:]}")
            results[backend] = {"error": proc.stderr[-500:]}
            continue
        r = json.loads(line[7:])
        for case in r["cases"]:
            case["ok_1s"] = case["s"] <= 1
            case["ok_2x_duckdb"] = bool(case["ratio"] is not None and case["ratio"] <= 2)
        results[backend] = r
        print(
            f"{backend}: load {r['load_s']} s ({r['values']:,} values), rollup build {r['rollup_build_s']} s "
            f"({r['rollup_rows']:,} rows, {r['rollup_vs_values_differences']} differences with the values)"
        )
        for c in r["cases"]:
            print(
                f"  {c['level']:8} {c['window']:9} {c['period']:11} {c['scope']:9} {c['s']:7.3f} s  "
                f"DuckDB {c['duckdb_s'] * 1000:6.1f} ms  {c['ratio']:5.1f}×  {c['mismatches']} mismatches  "
                f"({c['figures']} figures, {c['reporters']} reporters)"
            )
        met = sum(c["ok_1s"] and c["ok_2x_duckdb"] for c in r["cases"])
        print(f"  goal ≤ 1 s and ≤ 2× DuckDB: {met} of {len(r['cases'])} cases met")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
