"""Synthetic national reporting data for the reporting bench (scale-parameterised, deterministic).

Shape at scale 1.0: 22 border provinces, ~250 border communes, ~300 agencies and stations located
in those communes, 120 indicators, a national monthly form reported by every commune and agency (the
first province's own form replacing it for its reporters in the last year), each province's quarterly
report of 10 indicators (covering its communes' figures), 10 years: 550 × 120 × 120 + 22 × 10 × 40 ≈ 7,9
million values, some with qualifiers and quotes, about 5 % of the last year's reports submitted and not
approved; plus plan values per province for the last year.

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
QUALIFIERS = ["over", "nearly", "about"]
#: forms: the national monthly form, province 0's own monthly form replacing it (from the last year on), and
#: every province's own quarterly report (a few indicators, covering its communes' figures for them)
FORMS = (("bench-thang", "month"), ("bench-thang-tinh", "month"), ("bench-quy-tinh", "quarter"))
PROVINCE_INDICATORS = 10


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
        return (
            self.reporters * self.indicators * self.years * 12 + self.provinces * PROVINCE_INDICATORS * self.years * 4
        )


def write_csvs(shape: Shape, out: Path) -> dict[str, Path]:
    """units.csv, agencies.csv, indicators.csv, submissions.csv, values.csv (ids fixed, deterministic).

    submissions.csv: id, period key, start, end, unit id, agency id, unit path, submitted at, form index
    (into FORMS), status; values.csv: id, submission id, indicator id, value, qualifier, source quote.
    Province 0's communes and stations report on its own form (index 1) in the last year; every province
    sends a quarterly report of the first PROVINCE_INDICATORS indicators (index 2). In the last year about 5 %
    of the reports (half of December's) are submitted and not yet approved; 5 % of the values carry a
    qualifier, 1 % a source quote.
    """
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
    own = f"/1/{provinces[0]}/"
    sub_id = 1
    first_year = shape.last_year - shape.years + 1
    with open(files["submissions"], "w", newline="") as fs, open(files["values"], "w", newline="") as fv:
        ws, wv = csv.writer(fs), csv.writer(fv)
        value_id = 1

        def write(p, unit_pk, agency_pk, path, form, ind_rows, month):
            nonlocal sub_id, value_id
            pending = p.end.year == shape.last_year and rnd.random() < (0.5 if p.end.month == 12 else 0.03)
            at = dt.datetime.combine(p.end + dt.timedelta(days=2), dt.time(9)).isoformat() + "+07:00"
            status = "submitted" if pending else "approved"
            ws.writerow(
                (sub_id, p.key, p.start.isoformat(), p.end.isoformat(), unit_pk, agency_pk, path, at, form, status)
            )
            base = rnd.randint(5, 500)
            rows = []
            for ind_pk, _c, _n, _a in ind_rows:
                r = rnd.random()
                qual = QUALIFIERS[int(r * 1000) % 3] if r < 0.05 else ""
                quote = f"trích dẫn {value_id}" if 0.05 <= r < 0.06 else ""
                rows.append((value_id, sub_id, ind_pk, base + (ind_pk % 37) + (month * 3), qual, quote))
                value_id += 1
            wv.writerows(rows)
            sub_id += 1

        for year in range(first_year, shape.last_year + 1):
            for month in range(1, 13):
                p = period_for("month", year, month)
                for unit_pk, agency_pk, path in reporters:
                    form = 1 if year == shape.last_year and path.startswith(own) else 0
                    write(p, unit_pk, agency_pk, path, form, inds, month)
                if month % 3 == 0:
                    q = period_for("quarter", year, month // 3)
                    for prov in provinces:
                        write(q, prov, "", f"/1/{prov}/", 2, inds[:PROVINCE_INDICATORS], month)
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


# A national set the dashboards read (on top of the demonstration data) ---------------------------
def build_dashboard_set(
    *, provinces: int = 24, communes: int = 10, years: tuple[int, ...] = (2024, 2025), seed: int = 2026
) -> dict:
    """Add ``provinces`` synthetic border provinces (with the demo's 2: a national set of 26), each with
    ``communes`` border communes, a border guard station, a gate with its daily statistics, patrols, incidents
    (no markers: they need border sections) and every commune's approved monthly report (the demo's commune form, all
    its indicators) for
    ``years``; then rebuild the roll-up. Rows through the ORM in bulk (ids from the database, so the demo's
    rows keep theirs). Deterministic. Returns the row counts."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from borderdesk.core.periods import period_for
    from borderdesk.frontier.models import Incident, IncidentCategory, Patrol
    from borderdesk.gates.models import BorderGate, GateDailyStat
    from borderdesk.org.models import AdministrativeUnit, Agency, AgencyKind, Counterpart
    from borderdesk.reporting import rollup
    from borderdesk.reporting.models import DataValue, Indicator, ReportForm, Submission

    rnd = random.Random(seed)
    tz = timezone.get_current_timezone()
    country = AdministrativeUnit.objects.get(kind="country")
    station_kind = AgencyKind.objects.get(code="border_guard_station")
    form = ReportForm.objects.get(code="bc-xa-thang")
    version = form.current_version()
    inds = list(Indicator.objects.filter(code__in=version.indicator_codes()))
    categories = list(IncidentCategory.objects.all())
    neighbours = ["Trung Quốc"] * 7 + ["Lào"] * 10 + ["Campuchia"] * 7
    counts = {
        "provinces": provinces,
        "communes": 0,
        "submissions": 0,
        "values": 0,
        "gate_days": 0,
        "patrols": 0,
        "incidents": 0,
    }
    with transaction.atomic():
        for p in range(provinces):
            prov = AdministrativeUnit(
                name=f"Tỉnh Biên Thử {p + 1:02d}", code=f"BT{p:02d}", kind="province", parent=country, is_border=True
            )
            prov.save()
            prov.path = f"{country.path}{prov.pk}/"
            prov.save(update_fields=["path"])
            Counterpart.objects.create(unit=prov, country=neighbours[p % len(neighbours)], name=f"Tỉnh bạn {p + 1}")
            units = []
            for c in range(communes):
                u = AdministrativeUnit(
                    name=f"Xã Biên Thử {p + 1}-{c + 1}",
                    code=f"BT{p:02d}X{c:02d}",
                    kind="commune",
                    parent=prov,
                    is_border=True,
                )
                u.save()
                u.path = f"{prov.path}{u.pk}/"
                u.save(update_fields=["path"])
                units.append(u)
            counts["communes"] += len(units)
            station = Agency.objects.create(name=f"Đồn Biên phòng Thử {p + 1}", kind=station_kind, unit=units[0])
            gate = BorderGate.objects.create(
                code=f"bt-{p:02d}", name=f"Cửa khẩu Thử {p + 1}", unit=units[0], kind="main", managing_station=station
            )
            stats, patrols, incidents = [], [], []
            for year in years:
                day = dt.date(year - 1, 12, 15)
                while day <= dt.date(year, 12, 14):
                    ex, im = rnd.randint(200, 2000), rnd.randint(200, 2000)
                    stats.append(
                        GateDailyStat(
                            gate=gate,
                            date=day,
                            persons_exit=ex,
                            persons_entry=im,
                            cargo_vehicles_export=rnd.randint(10, 300),
                            cargo_vehicles_import=rnd.randint(10, 300),
                            export_usd=Decimal(rnd.randint(10**5, 10**6)),
                            import_usd=Decimal(rnd.randint(10**5, 10**6)),
                        )
                    )
                    day += dt.timedelta(days=1)
                for k in range(rnd.randint(120, 240)):
                    at = dt.datetime(year, 1 + k % 12, 1 + k % 28, 7, tzinfo=tz)
                    patrols.append(
                        Patrol(
                            province=prov,
                            unit=units[k % len(units)],
                            agency=station,
                            kind=["bilateral", "unilateral", "joint"][k % 3],
                            started_at=at,
                        )
                    )
                for k in range(rnd.randint(10, 40)):
                    at = dt.datetime(year, 1 + k % 12, 1 + (k * 7) % 28, 9, tzinfo=tz)
                    incidents.append(
                        Incident(
                            province=prov,
                            unit=units[k % len(units)],
                            title=f"Vụ việc thử {k}",
                            category=categories[k % len(categories)],
                            occurred_at=at,
                            status=["reported", "handling", "resolved"][k % 3],
                        )
                    )
            GateDailyStat.objects.bulk_create(stats, batch_size=2000)
            Patrol.objects.bulk_create(patrols, batch_size=2000)
            Incident.objects.bulk_create(incidents, batch_size=2000)
            counts["gate_days"] += len(stats)
            counts["patrols"] += len(patrols)
            counts["incidents"] += len(incidents)
            subs = []
            for year in years:
                for month in range(1, 13):
                    per = period_for("month", year, month)
                    at = dt.datetime.combine(per.end + dt.timedelta(days=2), dt.time(9), tzinfo=tz)
                    subs += [
                        Submission(
                            form=form,
                            form_version=version,
                            period_key=per.key,
                            period_start=per.start,
                            period_end=per.end,
                            unit=u,
                            unit_path=u.path,
                            status="approved",
                            submitted_at=at,
                            approved_at=at,
                        )
                        for u in units
                    ]
            Submission.objects.bulk_create(subs, batch_size=2000)
            values = [
                DataValue(submission=s, indicator=i, value=Decimal(rnd.randint(0, 400))) for s in subs for i in inds
            ]
            DataValue.objects.bulk_create(values, batch_size=5000)
            counts["submissions"] += len(subs)
            counts["values"] += len(values)
        rollup.rebuild()
    return counts
