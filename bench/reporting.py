"""Reporting bench: national consolidation on SQLite and PostgreSQL against a DuckDB reference.

    python bench/reporting.py [--quick] [--backends sqlite,postgres] [--keep]

Generates the synthetic national dataset (bench/national.py) to CSV once, loads the same rows into a
fresh SQLite file under var/bench/ and a fresh PostgreSQL database ``borderdesk_bench_reporting``
(set BENCH_PG_URL to change the server), then times with the engine's own selectors:

* the national annual consolidation (year 2025, Decree 09 window) with last-year and plan comparisons;
* one province's 6-month consolidation (2025H1);
* a year's completeness matrix (all reporters × 12 months);
and DuckDB computing the same national aggregation (this year and last year) over the same rows.
Ends with one JSON line.
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

PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "borderdesk_bench_reporting"


def timed(fn, runs=3):
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


# Child: one backend -------------------------------------------------------------------------------
def child(data: Path, backend: str, runs: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderdesk.settings")
    django.setup()
    import csv

    from django.core.management import call_command
    from django.db import connection, transaction

    from borderdesk.core.periods import parse_period
    from borderdesk.org.models import AdministrativeUnit, Agency, AgencyKind
    from borderdesk.reporting import aggregation, completeness, consolidation
    from borderdesk.reporting.models import FormVersion, Indicator, ReportForm, Target

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    t_migrate = time.perf_counter() - t0

    def rows(name):
        with open(data / f"{name}.csv", newline="") as fh:
            yield from csv.reader(fh)

    t0 = time.perf_counter()
    with transaction.atomic():
        AdministrativeUnit.objects.bulk_create(
            [
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
        )
        kind = AgencyKind.objects.create(code="border_guard_station", name="Đồn Biên phòng")
        Agency.objects.bulk_create(
            [Agency(pk=int(r[0]), name=r[1], kind=kind, unit_id=int(r[2])) for r in rows("agencies")]
        )
        inds = [
            Indicator(pk=int(r[0]), code=r[1], name_vi=r[2], aggregation=r[3], unit="lượt", group="bench")
            for r in rows("indicators")
        ]
        Indicator.objects.bulk_create(inds)
        form = ReportForm.objects.create(code="bench-thang", name="Báo cáo tháng (thử tải)")
        version = FormVersion.objects.create(
            form=form,
            number=1,
            period_spec={"kind": "month", "rule": "decree09"},
            sections=[{"code": "all", "title": "Tất cả", "indicators": [i.code for i in inds]}],
            reporter_spec={"unit_kinds": ["commune"], "agency_kinds": ["border_guard_station"]},
        )
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
            yield (
                int(r[0]),
                form.pk,
                version.pk,
                r[1],
                r[2],
                r[3],
                int(r[4]) if r[4] else None,
                int(r[5]) if r[5] else None,
                r[6],
                "approved",
                r[7],
                r[7],
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
            yield (int(r[0]), int(r[1]), int(r[2]), int(r[3]), "", "", "", "", "", "", "{}", "", False)

    if backend == "sqlite":
        with connection.cursor() as c:
            c.execute("PRAGMA journal_mode=OFF")
            c.execute("PRAGMA synchronous=OFF")
        with transaction.atomic(), connection.cursor() as c:
            sub_sql = "INSERT INTO reporting_submission ({}) VALUES ({})".format(  # noqa: S608 (constant columns)
                ",".join(cur_cols), ",".join(["%s"] * len(cur_cols))
            )
            c.executemany(sub_sql, list(sub_rows()))
            batch = []
            sql = "INSERT INTO reporting_datavalue ({}) VALUES ({})".format(  # noqa: S608 (constant columns)
                ",".join(val_cols), ",".join(["%s"] * len(val_cols))
            )
            for row in val_rows():
                batch.append(row)
                if len(batch) >= 200_000:
                    c.executemany(sql, batch)
                    batch = []
            if batch:
                c.executemany(sql, batch)
        with connection.cursor() as c:
            c.execute("ANALYZE")
    else:
        connection.ensure_connection()
        raw = connection.connection
        with raw.cursor() as c:
            with c.copy(f"COPY reporting_submission ({','.join(cur_cols)}) FROM STDIN") as cp:
                for row in sub_rows():
                    cp.write_row(row)
            with c.copy(f"COPY reporting_datavalue ({','.join(val_cols)}) FROM STDIN") as cp:
                for row in val_rows():
                    cp.write_row(row)
            c.execute("ANALYZE")
        raw.commit()
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
    province = AdministrativeUnit.objects.get(pk=2)
    year = parse_period("2025")
    # Side by side: DuckDB over the same CSV rows, timed alternately with our consolidation in this
    # process, so both see the same machine load.
    duck_run = duckdb_setup(data)[1]
    duck_times, ours_times = [], []
    for _ in range(max(runs, 5)):
        duck_times.append(timed(duck_run, 1)[0])
        t, cons = timed(lambda: consolidation.consolidation_get(user=None, unit=country, period=year, form=form), 1)
        ours_times.append(t)
    t_nat, t_duck = statistics.median(ours_times), statistics.median(duck_times)
    sums = {r.indicator.code: str(r.value) for r in cons.rows}
    prev = {r.indicator.code: str(r.previous_value) for r in cons.rows}
    plans = sum(1 for r in cons.rows if r.plan_value is not None)
    t_prov, pcons = timed(
        lambda: consolidation.consolidation_get(user=None, unit=province, period=parse_period("2025H1"), form=form),
        runs,
    )
    t_comp, comp = timed(
        lambda: completeness.completeness_get(user=None, unit=country, form=form, periods=year.months()),
        max(1, runs - 1),
    )
    from borderdesk.reporting.models import DataValue

    diffs = aggregation.rollup_differences(unit=country, period=year, form=form)
    return {
        "backend": backend,
        "migrate_s": round(t_migrate, 2),
        "load_s": round(t_load, 1),
        "rollup_build_s": round(t_rollup, 1),
        "rollup_rows": rollup_counts["values"],
        "rollup_vs_values_differences": len(diffs),
        "values": DataValue.objects.count(),
        "national_annual_s": round(t_nat, 3),
        "duckdb_same_run_s": round(t_duck, 4),
        "province_6m_s": round(t_prov, 3),
        "completeness_year_s": round(t_comp, 3),
        "national_rows": len(cons.rows),
        "plans": plans,
        "reporting_units": len(cons.reporting_units),
        "province_rows": len(pcons.rows),
        "completeness_reporters": len(comp.reporters),
        "completeness_pct_m12": str(comp.rates[-1]["pct"]),
        "sums": sums,
        "previous": prev,
    }


# DuckDB reference ---------------------------------------------------------------------------------
def duckdb_reference(data: Path, runs: int) -> dict:
    t0 = time.perf_counter()
    con, run = duckdb_setup(data)
    t_load = time.perf_counter() - t0
    t, (cur, prev) = timed(run, runs)
    return {
        "load_s": round(t_load, 1),
        "national_annual_s": round(t, 4),
        "sums": {c: v for c, v in cur},
        "previous": {c: v for c, v in prev},
    }


def duckdb_setup(data: Path):
    """An in-memory DuckDB with the generated rows, and a function computing the national aggregation
    (this year and last year)."""
    import duckdb

    from borderdesk.core.periods import parse_period

    con = duckdb.connect()
    con.execute(
        "CREATE TABLE sub AS SELECT * FROM read_csv(?, header=false, "
        "columns={'id':'BIGINT','period_key':'VARCHAR','period_start':'DATE','period_end':'DATE',"
        "'unit_id':'BIGINT','agency_id':'BIGINT','unit_path':'VARCHAR','submitted_at':'VARCHAR'})",
        [str(data / "submissions.csv")],
    )
    con.execute(
        "CREATE TABLE val AS SELECT * FROM read_csv(?, header=false, "
        "columns={'id':'BIGINT','submission_id':'BIGINT','indicator_id':'BIGINT','value':'DECIMAL(20,4)'})",
        [str(data / "values.csv")],
    )
    con.execute(
        "CREATE TABLE ind AS SELECT * FROM read_csv(?, header=false, "
        "columns={'id':'BIGINT','code':'VARCHAR','name':'VARCHAR','agg':'VARCHAR'})",
        [str(data / "indicators.csv")],
    )
    sql = """
    WITH per_rep AS (
      SELECT v.indicator_id, coalesce(s.unit_id, -s.agency_id) AS rep, sum(v.value) AS s, count(*) AS n,
             max(v.value) AS mx, min(v.value) AS mn, arg_max(v.value, s.period_end) AS last
      FROM val v JOIN sub s ON s.id = v.submission_id
      WHERE s.period_start >= ? AND s.period_end <= ? AND s.unit_path LIKE '/1/%'
      GROUP BY 1, 2)
    SELECT i.code, CASE i.agg WHEN 'sum' THEN sum(s) WHEN 'latest' THEN sum(last) WHEN 'average' THEN sum(s) / sum(n)
                    WHEN 'max' THEN max(mx) ELSE min(mn) END
    FROM per_rep JOIN ind i ON i.id = per_rep.indicator_id GROUP BY i.code, i.agg ORDER BY 1"""
    year, last = parse_period("2025"), parse_period("2024")

    def run():
        cur = con.execute(sql, [year.start, year.end]).fetchall()
        prev = con.execute(sql, [last.start, last.end]).fetchall()
        return cur, prev

    return con, run


def _same(ours: dict, ref: dict) -> int:
    from decimal import Decimal

    bad = 0
    for code, v in ref.items():
        o = ours.get(code)
        if o in (None, "None") or abs(Decimal(o) - Decimal(str(v))) > Decimal("0.01"):
            bad += 1
    return bad


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child", default="")
    ap.add_argument("--data", default="")
    args = ap.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(Path(args.data), args.child, args.runs)))
        return 0
    from national import Shape, csv_size, write_csvs

    shape = Shape.for_scale(args.quick)
    bench_dir = ROOT / "var" / "bench" / ("reporting-quick" if args.quick else "reporting")
    data = bench_dir / "csv"
    t0 = time.perf_counter()
    write_csvs(shape, data)
    t_gen = time.perf_counter() - t0
    print(
        f"dataset: {shape.provinces} provinces, {shape.communes} communes, {shape.agencies} agencies, "
        f"{shape.indicators} indicators, {shape.years} years monthly → {shape.values:,} values "
        f"(CSV {csv_size({n: data / f'{n}.csv' for n in ('values', 'submissions')}) // 2**20} MB, "
        f"generated in {t_gen:.1f} s)"
    )
    ref = duckdb_reference(data, args.runs)
    print(
        f"duckdb    load {ref['load_s']} s; national annual (this + last year) {ref['national_annual_s'] * 1000:.1f} ms"
    )
    results = {
        "bench": "reporting",
        "quick": args.quick,
        "values": shape.values,
        "duckdb_national_s": ref["national_annual_s"],
    }
    for backend in [b for b in args.backends.split(",") if b]:
        env = dict(
            os.environ, BORDERDESK_TESTING="0", BORDERDESK_ALLOW_EPHEMERAL_KEY="1", BORDERDESK_VAR_DIR=str(bench_dir)
        )
        if backend == "sqlite":
            db = bench_dir / "bench.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
            env["DATABASE_URL"] = f"sqlite:///{db}"
        else:
            import psycopg

            try:
                with psycopg.connect(PG_ADMIN_URL, autocommit=True) as c:
                    c.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
                    c.execute(f"CREATE DATABASE {PG_DB}")
            except psycopg.Error as exc:
                print(f"postgres  skipped: {exc}")
                continue
            env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_DB
        proc = subprocess.run(
            [sys.executable, __file__, "--child", backend, "--data", str(data), "--runs", str(args.runs)],
            env=env,
            capture_output=True,
            text=True,
        )
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if proc.returncode or line is None:
            print(f"{backend} failed:\n{proc.stderr[-3000:]}")
            results[backend] = {"error": proc.stderr[-500:]}
            continue
        r = json.loads(line[7:])
        mismatches = _same(r.pop("sums"), ref["sums"]) + _same(r.pop("previous"), ref["previous"])
        # The ratio uses DuckDB timed alternately with our runs in the same process (same load).
        ratio = r["national_annual_s"] / r["duckdb_same_run_s"] if r["duckdb_same_run_s"] else None
        r["ratio_vs_duckdb"] = round(ratio, 1) if ratio else None
        r["mismatches_vs_duckdb"] = mismatches
        r["ok_national_1s"] = r["national_annual_s"] < 1
        r["ok_2x_duckdb"] = bool(ratio and ratio <= 2)
        r["ok_province_100ms"] = r["province_6m_s"] < 0.1
        results[backend] = r
        print(
            f"{backend:9} load {r['load_s']} s ({r['values']:,} values), rollup build {r['rollup_build_s']} s "
            f"({r['rollup_rows']:,} rows, {r['rollup_vs_values_differences']} differences); national annual "
            f"{r['national_annual_s']} s "
            f"({r['national_rows']} indicators, {r['reporting_units']} reporters, {r['plans']} plans; "
            f"{ratio:.1f}× DuckDB's {r['duckdb_same_run_s'] * 1000:.0f} ms in the same run; {mismatches} "
            f"mismatches); province 6 months {r['province_6m_s'] * 1000:.0f} ms; "
            f"completeness year {r['completeness_year_s']} s ({r['completeness_reporters']} reporters × 12)"
        )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
