"""Synthetic national reporting data for the reporting bench (scale-parameterised, deterministic).

Shape at scale 1.0: 22 border provinces, ~250 border communes, ~300 agencies and stations located
in those communes, 120 indicators, one monthly form reported by every commune and agency, 10 years
of monthly submissions (all approved), i.e. 550 × 120 × 120 ≈ 7,9 million values; plus plan values
per province for the last year.

Rows are written once to CSV files so SQLite, PostgreSQL and DuckDB load exactly the same rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
from dataclasses import dataclass
from pathlib import Path

AGGS = ["sum"] * 100 + ["latest"] * 14 + ["average"] * 3 + ["max"] * 2 + ["min"]


@dataclass
class Shape:
    provinces: int = 22
    communes: int = 250
    agencies: int = 300
    indicators: int = 120
    years: int = 10
    last_year: int = 2025

    @classmethod
    def for_scale(cls, quick: bool) -> Shape:
        return cls(provinces=3, communes=30, agencies=30, indicators=120, years=2) if quick else cls()

    @property
    def reporters(self) -> int:
        return self.communes + self.agencies

    @property
    def values(self) -> int:
        return self.reporters * self.indicators * self.years * 12


def write_csvs(shape: Shape, out: Path) -> dict[str, Path]:
    """units.csv, agencies.csv, indicators.csv, submissions.csv, values.csv (ids fixed, deterministic)."""
    from borderdesk.core.periods import period_for

    out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(2026)
    files = {n: out / f"{n}.csv" for n in ("units", "agencies", "indicators", "submissions", "values", "targets")}
    units = [(1, "VN", "Việt Nam", "country", "", "/1/", 0)]
    provinces = []
    for p in range(shape.provinces):
        pk = 2 + p
        provinces.append(pk)
        units.append((pk, f"P{p:02d}", f"Tỉnh Biên {p + 1}", "province", 1, f"/1/{pk}/", 1))
    communes = []
    for c in range(shape.communes):
        pk = 100 + c
        prov = provinces[c % len(provinces)]
        communes.append((pk, prov))
        units.append((pk, f"C{c:04d}", f"Xã Biên {c + 1}", "commune", prov, f"/1/{prov}/{pk}/", 2))
    with open(files["units"], "w", newline="") as fh:
        csv.writer(fh).writerows(units)
    agencies = []
    for a in range(shape.agencies):
        pk = 10 + a
        unit_pk, prov = communes[a % len(communes)]
        agencies.append((pk, f"Đồn Biên phòng {a + 1}", unit_pk, f"/1/{prov}/{unit_pk}/"))
    with open(files["agencies"], "w", newline="") as fh:
        csv.writer(fh).writerows(agencies)
    inds = [(1000 + i, f"BENCH_{i:03d}", f"Chỉ tiêu thử {i}", AGGS[i % len(AGGS)]) for i in range(shape.indicators)]
    with open(files["indicators"], "w", newline="") as fh:
        csv.writer(fh).writerows(inds)
    reporters = [(pk, "", path) for pk, _p in communes for path in [next(u[5] for u in units if u[0] == pk)]]
    reporters += [("", pk, path) for pk, _n, _u, path in agencies]
    sub_id = 1
    first_year = shape.last_year - shape.years + 1
    with open(files["submissions"], "w", newline="") as fs, open(files["values"], "w", newline="") as fv:
        ws, wv = csv.writer(fs), csv.writer(fv)
        value_id = 1
        for year in range(first_year, shape.last_year + 1):
            for month in range(1, 13):
                p = period_for("month", year, month)
                at = dt.datetime.combine(p.end + dt.timedelta(days=2), dt.time(9)).isoformat() + "+07:00"
                for unit_pk, agency_pk, path in reporters:
                    ws.writerow((sub_id, p.key, p.start.isoformat(), p.end.isoformat(), unit_pk, agency_pk, path, at))
                    base = rnd.randint(5, 500)
                    rows = []
                    for ind_pk, _c, _n, _a in inds:
                        rows.append((value_id, sub_id, ind_pk, base + (ind_pk % 37) + (month * 3)))
                        value_id += 1
                    wv.writerows(rows)
                    sub_id += 1
    with open(files["targets"], "w", newline="") as fh:
        w = csv.writer(fh)
        tid = 1
        for prov in provinces:
            for ind_pk, _c, _n, _agg in inds[:40]:
                w.writerow((tid, ind_pk, prov, str(shape.last_year), 12 * 25 * 250))
                tid += 1
    return files


def csv_size(files: dict[str, Path]) -> int:
    return sum(os.path.getsize(p) for p in files.values())
