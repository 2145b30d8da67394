"""Derived figures (frontier + gates + outreach) for one province-year. Target: all of them under 100 ms.

    python bench/derived.py [--quick]

Throw-away SQLite database with the demo data, plus synthetic volume for Lạng Sơn at the scale of a
real province (about 470 markers, 11 stations; four years of inspections, patrols, incidents,
self-management registrations, propaganda sessions and beneficiaries; a daily statistic for every day
of the four years at every Lạng Sơn gate). Then computes every derived indicator registered by
frontier, gates and outreach for the Lạng Sơn subtree and the Decree 09 year 2025,
the way reporting calls them (one aggregate query each), several times, and reports the median of
the total and of each figure. `--quick`: one fifth of the volume, fewer runs.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time

quick = "--quick" in sys.argv
scale = 0.2 if quick else 1.0
tmp = tempfile.mkdtemp(prefix="bench-derived-")
os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
os.environ.setdefault("BORDERDESK_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderdesk.settings")

import django  # noqa: E402

django.setup()
import datetime as dt  # noqa: E402
import random  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

t0 = time.perf_counter()
call_command("migrate", verbosity=0)
from borderdesk.demo.loader import load_demo  # noqa: E402

load_demo()
setup_s = time.perf_counter() - t0

from borderdesk.core.periods import parse_period  # noqa: E402
from borderdesk.frontier.models import (  # noqa: E402
    BorderSection,
    Incident,
    IncidentCategory,
    Marker,
    MarkerInspection,
    Patrol,
    SelfManagementRegistration,
)
from borderdesk.gates.models import BorderGate, GateDailyStat  # noqa: E402
from borderdesk.org.models import AdministrativeUnit, Agency  # noqa: E402
from borderdesk.outreach.models import Beneficiary, Programme, PropagandaSession  # noqa: E402
from borderdesk.reporting.registry import derived_indicators  # noqa: E402

rnd = random.Random(7)
t1 = time.perf_counter()
ls = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
section = BorderSection.objects.get(province=ls)
stations = list(Agency.objects.filter(kind__code="border_guard_station", unit__path__startswith=ls.path))
n_markers = int(470 * scale)
markers = Marker.objects.bulk_create(
    [
        Marker(
            number=f"B{i}",
            sort_key=i * 1000,
            section=section,
            province=ls,
            unit=ls,
            agency=rnd.choice(stations),
            latitude=Decimal("21.9"),
            longitude=Decimal("106.7"),
            is_demo=True,
        )
        for i in range(n_markers)
    ]
)
days = [dt.date(2023, 1, 1) + dt.timedelta(days=d) for d in range(4 * 365)]
MarkerInspection.objects.bulk_create(
    [
        MarkerInspection(
            marker=m,
            inspected_on=d,
            state=rnd.choice(["intact"] * 8 + ["damaged", "repaired"]),
            province=ls,
            unit=ls,
            agency=m.agency,
            is_demo=True,
        )
        for m in markers
        for d in rnd.sample(days, 16)
    ],
    batch_size=5000,
)


def aware(d):
    return timezone.make_aware(dt.datetime.combine(d, dt.time(rnd.randint(0, 23))))


Patrol.objects.bulk_create(
    [
        Patrol(
            kind=rnd.choice(["bilateral", "unilateral", "unilateral", "joint", "closed_loop"]),
            started_at=aware(rnd.choice(days)),
            agency=rnd.choice(stations),
            participants=rnd.randint(3, 15),
            counterpart_unit="x",
            province=ls,
            unit=ls,
            is_demo=True,
        )
        for _ in range(int(16000 * scale))
    ],
    batch_size=5000,
)
cats = list(IncidentCategory.objects.all())
Incident.objects.bulk_create(
    [
        Incident(
            title="x",
            category=rnd.choice(cats),
            occurred_at=aware(rnd.choice(days)),
            section=section,
            persons_involved=rnd.randint(0, 5),
            status=rnd.choice(["reported", "resolved", "closed"]),
            resolved_at=aware(rnd.choice(days)) if rnd.random() < 0.6 else None,
            province=ls,
            unit=ls,
            agency=rnd.choice(stations),
            is_demo=True,
        )
        for _ in range(int(2000 * scale))
    ],
    batch_size=5000,
)
regs = SelfManagementRegistration.objects.bulk_create(
    [
        SelfManagementRegistration(
            registrant_kind=rnd.choice(["collective", "household", "household", "individual"]),
            registrant_name="x",
            km=Decimal("0.500"),
            valid_from=rnd.choice(days),
            province=ls,
            unit=ls,
            agency=rnd.choice(stations),
            is_demo=True,
        )
        for _ in range(int(1000 * scale))
    ],
    batch_size=5000,
)
Through = SelfManagementRegistration.markers.through
Through.objects.bulk_create(
    [Through(selfmanagementregistration_id=r.pk, marker_id=m.pk) for r in regs for m in rnd.sample(markers, 3)],
    batch_size=5000,
)
PropagandaSession.objects.bulk_create(
    [
        PropagandaSession(
            held_on=rnd.choice(days),
            place_name="x",
            listeners=rnd.randint(20, 200),
            leaflets=rnd.randint(0, 300),
            document_sets=rnd.randint(0, 10),
            province=ls,
            unit=ls,
            agency=rnd.choice(stations),
            is_demo=True,
        )
        for _ in range(int(2000 * scale))
    ],
    batch_size=5000,
)
prog = Programme.objects.filter(province=ls).first()
Beneficiary.objects.bulk_create(
    [
        Beneficiary(programme=prog, name="x", support_from=rnd.choice(days), province=ls, unit=ls, is_demo=True)
        for _ in range(int(1000 * scale))
    ],
    batch_size=5000,
)
ls_gates = list(BorderGate.objects.filter(unit__path__startswith=ls.path))
have = set(GateDailyStat.objects.filter(gate__in=ls_gates).values_list("gate_id", "date"))
GateDailyStat.objects.bulk_create(
    [
        GateDailyStat(
            gate=g,
            date=d,
            persons_exit=rnd.randint(0, 3000),
            persons_entry=rnd.randint(0, 3000),
            cargo_vehicles_export=rnd.randint(0, 900),
            cargo_vehicles_import=rnd.randint(0, 600),
            rail_cars=rnd.randint(0, 40),
            tonnes=Decimal(rnd.randint(0, 20000)),
            vehicles_waiting=rnd.randint(0, 500),
            export_usd=Decimal(rnd.randint(0, 10**7)),
            import_usd=Decimal(rnd.randint(0, 10**7)),
            is_demo=True,
        )
        for g in ls_gates
        for d in (days if not quick else days[::5])
        if (g.pk, d) not in have
    ],
    batch_size=5000,
)
volume_s = time.perf_counter() - t1
rows = {
    m.__name__: m.objects.filter(province=ls).count()
    for m in (Marker, MarkerInspection, Patrol, Incident, SelfManagementRegistration, PropagandaSession, Beneficiary)
}
rows["GateDailyStat"] = GateDailyStat.objects.filter(gate__in=ls_gates).count()

unit_ids = frozenset(AdministrativeUnit.objects.filter(path__startswith=ls.path).values_list("pk", flat=True))
agency_ids = frozenset(Agency.objects.filter(unit_id__in=unit_ids).values_list("pk", flat=True))
period = parse_period("2025")
figures = {c: d for c, d in sorted(derived_indicators().items()) if d.source in ("frontier", "gates", "outreach")}

runs = 3 if quick else 9
totals, per = [], {c: [] for c in figures}
values = {}
for _ in range(runs):
    start = time.perf_counter()
    for code, d in figures.items():
        t = time.perf_counter()
        values[code] = d.compute(unit_ids=unit_ids, agency_ids=agency_ids, period=period)
        per[code].append(time.perf_counter() - t)
    totals.append(time.perf_counter() - start)

median_ms = statistics.median(totals) * 1000
print(f"setup (migrate + demo data): {setup_s:.1f} s; synthetic volume: {volume_s:.1f} s")
print("rows in Lạng Sơn: " + ", ".join(f"{k} {v}" for k, v in rows.items()))
print(
    f"{len(figures)} derived figures, Lạng Sơn, year 2025 ({period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}), "
    f"{len(unit_ids)} units, {len(agency_ids)} agencies, {runs} runs:"
)
for code in figures:
    print(f"  {code:28s} {statistics.median(per[code]) * 1000:7.2f} ms  value={values[code]}")
print(
    f"total: median {median_ms:.1f} ms, min {min(totals) * 1000:.1f} ms, max {max(totals) * 1000:.1f} ms; "
    f"target < 100 ms: {'OK' if median_ms < 100 else 'FAIL'}"
)
print(
    json.dumps(
        {
            "bench": "derived",
            "quick": quick,
            "figures": len(figures),
            "runs": runs,
            "rows": rows,
            "median_ms": round(median_ms, 1),
            "min_ms": round(min(totals) * 1000, 1),
            "max_ms": round(max(totals) * 1000, 1),
            "slowest": max(per, key=lambda c: statistics.median(per[c])),
            "target_ms": 100,
            "ok": median_ms < 100,
        }
    )
)
