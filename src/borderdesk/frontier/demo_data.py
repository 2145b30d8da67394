"""Demonstration data for the frontier app.

Sourced: the 21 marker numbers of demo/data/markers_sample.csv (with their sources) and the two Sơn La
section lengths of GAZETTEER.md. Everything else — marker coordinates (placed near the right commune,
`coords_are_demo`), the extra markers filling the gaps of the line, inspections, patrols, roads,
incidents and self-management registrations for 2023–2026 — is demonstration data (`is_demo`, no
source), generated deterministically so the demo periods have non-zero figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from .choices import MarkerState, PatrolKind, RegistrantKind, RoadKind
from .models import (
    BorderSection,
    Incident,
    IncidentCategory,
    IncidentUpdate,
    Marker,
    MarkerInspection,
    Patrol,
    PatrolRoad,
    SelfManagementRegistration,
)

SEED = 2026
DATA = Path(__file__).resolve().parent.parent / "demo" / "data"
GAZETTEER = "demo/data/GAZETTEER.md (Sơn La: đoạn Hủa Phăn 242,042 km, đoạn Luông Pha Băng 32,023 km)"
REFORM = dt.date(2025, 7, 1)

# Approximate demo positions (not surveyed): lat, lon near the commune or gate named in the sample.
DEMO_COORDS = {
    "962": (22.500, 106.400),
    "980": (22.430, 106.480),
    "1028/2": (22.250, 106.550),
    "1088/2": (22.020, 106.600),
    "1089": (22.016, 106.606),
    "1090": (22.012, 106.612),
    "1104": (21.990, 106.660),
    "1116": (21.972, 106.708),
    "1117": (21.969, 106.713),
    "1119": (21.966, 106.719),
    "1120": (21.963, 106.724),
    "1145": (21.950, 106.780),
    "1186": (21.900, 106.860),
    "1212": (21.870, 106.930),
    "1228": (21.820, 106.980),
    "220": (20.990, 104.330),
    "237": (20.900, 104.440),
    "247": (20.840, 104.540),
    "255": (20.790, 104.620),
    "269": (20.710, 104.850),
    "270": (20.700, 104.870),
}
# Extra demo markers filling gaps so the line is drawn (numbers in range, no source).
EXTRA_MARKERS = {
    "Lạng Sơn": [
        ("1000", 22.360, 106.520),
        ("1060", 22.120, 106.575),
        ("1135", 21.958, 106.750),
        ("1165", 21.925, 106.820),
        ("1220", 21.845, 106.955),
    ],
    "Sơn La": [("228", 20.950, 104.385), ("262", 20.750, 104.740)],
}
# marker -> (new commune name, station name), from the "near" column of the sample.
PLACES = {
    "1116": ("xã đồng đăng", "Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị"),
    "1117": ("xã đồng đăng", "Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị"),
    "1119": ("xã đồng đăng", "Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị"),
    "1120": ("xã đồng đăng", "Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị"),
    "1088/2": ("xã hoàng văn thụ", "Đồn Biên phòng Cửa khẩu Tân Thanh"),
    "1089": ("xã hoàng văn thụ", "Đồn Biên phòng Cửa khẩu Tân Thanh"),
    "1090": ("xã hoàng văn thụ", "Đồn Biên phòng Cửa khẩu Tân Thanh"),
    "1145": ("", "Đồn Biên phòng Bảo Lâm"),
    "1228": ("", "Đồn Biên phòng Cửa khẩu Chi Ma"),
    "962": ("xã quốc khánh", "Đồn Biên phòng Pò Mã"),
    "980": ("xã quốc khánh", "Đồn Biên phòng Pò Mã"),
    "1186": ("xã ba sơn", "Đồn Biên phòng Ba Sơn"),
    "1212": ("xã ba sơn", "Đồn Biên phòng Ba Sơn"),
    "237": ("xã phiêng khoài", "Đồn Biên phòng Chiềng On (Đồn 461)"),
}
STATIONS = {
    "Lạng Sơn": [
        "Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị",
        "Đồn Biên phòng Cửa khẩu Tân Thanh",
        "Đồn Biên phòng Pò Mã",
        "Đồn Biên phòng Ba Sơn",
    ],
    "Sơn La": ["Đồn Biên phòng Chiềng On (Đồn 461)", "Đồn Biên phòng Mường Lạn (Đồn 453)"],
}
COUNTERPARTS = {"Lạng Sơn": "Trạm Biên phòng phía Trung Quốc (Quảng Tây)", "Sơn La": "Đại đội Biên phòng tỉnh Hủa Phăn"}


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _months(start=dt.date(2023, 1, 1), end=dt.date(2026, 3, 31)):
    d = start
    while d <= end:
        yield d
        d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _assign_stations(ms: list[Marker]) -> None:
    """Every marker is in a station's charge: a marker the sample does not tie to a station is given the
    station of the nearest marker along the line that has one (demo; the Border Guard's own report counts
    the markers, inspections, roads and registrations of its stations)."""
    placed = [(k, m.agency) for k, m in enumerate(ms) if m.agency_id]
    if not placed:
        return
    for k, m in enumerate(ms):
        if m.agency_id:
            continue
        m.agency = min(placed, key=lambda p: (abs(p[0] - k), p[0]))[1]
        Marker.objects.filter(pk=m.pk).update(agency=m.agency)


def load(*, index, agencies, committees) -> dict:
    rnd = random.Random(SEED)
    ls, sl = index.provinces["Lạng Sơn"], index.provinces["Sơn La"]
    provinces = {"Lạng Sơn": ls, "Sơn La": sl}

    sections = {
        "Lạng Sơn": BorderSection.objects.create(
            name="Lạng Sơn – Quảng Tây",
            province=ls,
            neighbour_country="Trung Quốc",
            counterpart_province="Khu tự trị dân tộc Choang Quảng Tây",
            impact_level="medium",
            is_demo=True,
            notes="Đoạn minh họa; chiều dài tuyến biên giới của tỉnh được các nguồn nêu khác nhau (231,7 km; 231 km).",
        ),
        "Sơn La": BorderSection.objects.create(
            name="Sơn La – Hủa Phăn",
            province=sl,
            neighbour_country="Lào",
            counterpart_province="Hủa Phăn",
            length_km=Decimal("242.042"),
            impact_level="low",
            source=GAZETTEER,
            is_demo=True,
        ),
    }
    sections["Sơn La LPB"] = BorderSection.objects.create(
        name="Sơn La – Luông Pha Băng",
        province=sl,
        neighbour_country="Lào",
        counterpart_province="Luông Pha Băng",
        length_km=Decimal("32.023"),
        impact_level="low",
        source=GAZETTEER,
        is_demo=True,
    )
    for prov, names in STATIONS.items():
        sections[prov].responsible_agencies.set([agencies[n] for n in names if n in agencies])

    def new_commune(name, prov):
        return index.new_by_name.get((name, provinces[prov].name)) if name else None

    markers: dict[str, list[Marker]] = {"Lạng Sơn": [], "Sơn La": []}
    with open(DATA / "markers_sample.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            prov = row["province"].strip()
            number = row["marker"].strip()
            commune_name, station = PLACES.get(number, ("", ""))
            lat, lon = DEMO_COORDS[number]
            m = Marker(
                number=number,
                kind=row["kind"].strip(),
                section=sections[prov],
                commune=new_commune(commune_name, prov),
                agency=agencies.get(station),
                latitude=Decimal(str(lat)),
                longitude=Decimal(str(lon)),
                coords_are_demo=True,
                notes=f"{row['near']}. {row['notes']}".strip(". "),
                source=row["source"].strip(),
                is_demo=True,
            )
            m.full_clean()
            m.save()
            markers[prov].append(m)
    for prov, extra in EXTRA_MARKERS.items():
        for number, lat, lon in extra:
            m = Marker(
                number=number,
                kind="main",
                section=sections[prov],
                latitude=Decimal(str(lat)),
                longitude=Decimal(str(lon)),
                coords_are_demo=True,
                is_demo=True,
                notes="Mốc minh họa để vẽ đường biên; số hiệu và vị trí không có nguồn.",
            )
            m.full_clean()
            m.save()
            markers[prov].append(m)
    for prov in markers:
        markers[prov].sort(key=lambda m: m.sort_key)
        _assign_stations(markers[prov])

    # Inspections: each marker about twice a year; a few damaged, displaced, then repaired.
    inspections = []
    for ms in markers.values():
        for m in ms:
            for year in (2023, 2024, 2025, 2026):
                for month in (3, 9) if year < 2026 else (2,):
                    day = dt.date(year, month, rnd.randint(2, 26))
                    state = MarkerState.INTACT
                    r = rnd.random()
                    if r < 0.06:
                        state = MarkerState.DAMAGED
                    elif r < 0.09:
                        state = MarkerState.DISPLACED
                    elif r < 0.12:
                        state = MarkerState.REPAIRED
                    inspections.append(
                        MarkerInspection(
                            marker=m,
                            inspected_on=day,
                            team=f"Tổ kiểm tra {rnd.randint(1, 4)}",
                            agency=m.agency,
                            state=state,
                            province=m.province,
                            unit=m.unit,
                            is_demo=True,
                        )
                    )
    MarkerInspection.objects.bulk_create(inspections, batch_size=1000)
    for ms in markers.values():
        for m in ms:
            last = max((i for i in inspections if i.marker is m), key=lambda i: i.inspected_on)
            Marker.objects.filter(pk=m.pk).update(state=last.state, state_on=last.inspected_on)

    # Patrols per station and month: bilateral monthly, unilateral 3x, joint and closed-loop sometimes.
    patrols = []
    for prov, names in STATIONS.items():
        ms = markers[prov]
        for name in names:
            station = agencies.get(name)
            if station is None:
                continue
            for month in _months():
                plan = [PatrolKind.BILATERAL] + [PatrolKind.UNILATERAL] * 3
                if rnd.random() < 0.5:
                    plan.append(PatrolKind.JOINT)
                if rnd.random() < 0.25:
                    plan.append(PatrolKind.CLOSED_LOOP)
                for kind in plan:
                    day = month + dt.timedelta(days=rnd.randint(0, 27))
                    i = rnd.randrange(len(ms) - 1)
                    j = min(len(ms) - 1, i + rnd.randint(1, 3))
                    start = _aware(day, rnd.choice((6, 7, 8, 13)))
                    patrols.append(
                        Patrol(
                            kind=kind,
                            started_at=start,
                            ended_at=start + dt.timedelta(hours=rnd.randint(3, 9)),
                            agency=station,
                            from_marker=ms[i],
                            to_marker=ms[j],
                            counterpart_unit=COUNTERPARTS[prov]
                            if kind == PatrolKind.BILATERAL
                            else ("Dân quân xã, Công an xã" if kind == PatrolKind.JOINT else ""),
                            km=Decimal(rnd.randint(30, 180)) / 10,
                            participants=rnd.randint(4, 16),
                            minutes_signed=kind == PatrolKind.BILATERAL,
                            findings="Đường biên, mốc giới ổn định; không phát hiện vi phạm."
                            if rnd.random() < 0.85
                            else "Phát hiện lối mòn qua biên giới, đã báo cáo.",
                            province=provinces[prov],
                            unit=provinces[prov],
                            is_demo=True,
                        )
                    )
    Patrol.objects.bulk_create(patrols, batch_size=1000)

    # Roads
    roads = []
    for prov, ms in markers.items():
        for k, m in enumerate(ms[::3]):
            roads.append(
                PatrolRoad(
                    name=f"Đường kiểm tra lên mốc {m.number}",
                    kind=RoadKind.INSPECTION,
                    section=m.section,
                    marker=m,
                    agency=m.agency,
                    length_km=Decimal(rnd.randint(2, 30)) / 10,
                    built_on=dt.date(2023 + k % 3, rnd.randint(1, 12), 10),
                    province=m.province,
                    unit=m.province,
                    is_demo=True,
                )
            )
        roads.append(
            PatrolRoad(
                name=f"Đường tuần tra {ms[0].number}–{ms[-1].number}",
                kind=RoadKind.PATROL,
                section=ms[0].section,
                agency=ms[0].agency,
                length_km=Decimal("12.400"),
                built_on=dt.date(2024, 11, 20),
                province=provinces[prov],
                unit=provinces[prov],
                is_demo=True,
            )
        )
    PatrolRoad.objects.bulk_create(roads)

    # Incidents with their lifecycle; two pairs of duplicate reports merged.
    # The categories come from a data migration; a flushed database (e.g. `borderdesk flush`) has lost them.
    from importlib import import_module

    links = import_module("borderdesk.frontier.migrations.0004_category_indicator_version").LINKS
    for code, name, order in import_module("borderdesk.frontier.migrations.0002_incident_categories").CATEGORIES:
        IncidentCategory.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order, "indicator_code": links.get(code, "")}
        )
    cats = {c.code: c for c in IncidentCategory.objects.all()}
    weights = [
        ("illegal_crossing", 5),
        ("smuggling", 4),
        ("marker_damage", 1),
        ("encroachment", 1),
        ("cross_border_crime", 1),
        ("epidemic", 1),
        ("natural_disaster", 1),
        ("other", 1),
    ]
    codes = [c for c, w in weights for _ in range(w)]
    titles = {
        "illegal_crossing": "Phát hiện {n} người xuất cảnh trái phép qua đường mòn",
        "smuggling": "Bắt giữ vụ vận chuyển hàng hóa nhập lậu ({n} đối tượng)",
        "marker_damage": "Mốc bị hư hại do sạt lở, có dấu hiệu tác động",
        "encroachment": "Người dân phía bạn canh tác lấn sang đất Việt Nam",
        "cross_border_crime": "Đối tượng mua bán người qua biên giới ({n} đối tượng)",
        "epidemic": "Phát hiện gia súc nhập lậu nghi mắc bệnh",
        "natural_disaster": "Mưa lũ làm sạt lở đường tuần tra",
        "other": "Vụ việc khác trên tuyến biên giới",
    }
    incidents = []
    for prov, names in STATIONS.items():
        ms = markers[prov]
        n_incidents = 36 if prov == "Lạng Sơn" else 18
        for k in range(n_incidents):
            code = rnd.choice(codes)
            day = dt.date(2023, 1, 5) + dt.timedelta(days=rnd.randint(0, 1180))
            m = rnd.choice(ms)
            persons = rnd.randint(1, 9) if code in ("illegal_crossing", "smuggling", "cross_border_crime") else 0
            commune = m.commune if (m.commune is not None and day >= REFORM) else None
            inc = Incident(
                title=titles[code].format(n=persons),
                category=cats[code],
                occurred_at=_aware(day, rnd.randint(0, 23)),
                marker=m,
                section=m.section,
                commune=commune,
                persons_involved=persons,
                vehicles_involved=rnd.randint(0, 2) if code == "smuggling" else 0,
                detected_by=rnd.choice(["Tổ tuần tra đồn biên phòng", "Tổ tự quản thôn", "Công an xã"]),
                agency=agencies.get(names[k % len(names)]),
                province=provinces[prov],
                unit=commune or provinces[prov],
                is_demo=True,
            )
            incidents.append(inc)
    Incident.objects.bulk_create(incidents)
    updates = []
    for inc in incidents:
        t = inc.occurred_at + dt.timedelta(hours=2)
        steps = [("reported", "Tiếp nhận báo cáo vụ việc.")]
        age = (timezone.make_aware(dt.datetime(2026, 4, 1)) - inc.occurred_at).days
        if age > 5:
            steps.append(("verified", "Đã xác minh tại thực địa."))
        if age > 20 and inc.category.code in ("encroachment", "marker_damage", "cross_border_crime"):
            inc.handling_mode = "talks" if inc.category.code == "encroachment" else "exchange"
            steps.append(("handling", "Trao đổi với lực lượng bảo vệ biên giới phía bạn."))
        if age > 30:
            inc.resolution_level = "grassroots" if rnd.random() < 0.8 else "escalated"
            steps.append(
                (
                    "resolved",
                    "Phối hợp giải quyết ổn thỏa."
                    if inc.resolution_level == "grassroots"
                    else "Báo cáo cấp trên chỉ đạo giải quyết.",
                )
            )
        if age > 90:
            steps.append(("closed", "Kết thúc vụ việc."))
        for status, note in steps:
            t += dt.timedelta(days=rnd.randint(0, 4), hours=rnd.randint(1, 8))
            updates.append(IncidentUpdate(incident=inc, at=t, status=status, note=note))
            if status == "resolved":
                inc.resolved_at = t
            if status == "closed":
                inc.closed_at = t
        inc.status = steps[-1][0]
    Incident.objects.bulk_update(incidents, ["status", "handling_mode", "resolution_level", "resolved_at", "closed_at"])
    merged = 0
    for prov in ("Lạng Sơn", "Sơn La"):
        keep = next(
            i for i in incidents if i.province_id == provinces[prov].pk and i.category.code == "illegal_crossing"
        )
        dup = Incident(
            title=keep.title + " (báo cáo của xã, trùng)",
            category=keep.category,
            occurred_at=keep.occurred_at + dt.timedelta(minutes=40),
            marker=keep.marker,
            section=keep.section,
            commune=keep.commune,
            persons_involved=keep.persons_involved,
            detected_by="Tổ tự quản thôn",
            agency=keep.agency,
            province=keep.province,
            unit=keep.unit,
            merged_into=keep,
            is_demo=True,
        )
        dup.save()
        reported_at = next(u.at for u in updates if u.incident is keep)
        merge_at = reported_at + dt.timedelta(minutes=30)
        updates.append(IncidentUpdate(incident=dup, at=merge_at, status="reported", note=f"Gộp vào vụ #{keep.pk}."))
        updates.append(
            IncidentUpdate(
                incident=keep, at=merge_at, status="reported", note=f"Gộp báo cáo trùng #{dup.pk} (xã báo) vào vụ này."
            )
        )
        merged += 1
    IncidentUpdate.objects.bulk_create(updates, batch_size=1000)

    # Self-management (Directive 01): collectives and households along the line.
    regs = []
    for ms in markers.values():
        for k, m in enumerate(ms):
            start = dt.date(2023, 3, 3) if k % 2 == 0 else dt.date(2024, 3, 3)
            end = dt.date(2025, 6, 30) if k % 7 == 3 else None
            for kind, n in (
                (RegistrantKind.COLLECTIVE, 1),
                (RegistrantKind.HOUSEHOLD, 3),
                (RegistrantKind.INDIVIDUAL, k % 2),
            ):
                for j in range(n):
                    commune = m.commune if start >= REFORM else None
                    regs.append(
                        (
                            SelfManagementRegistration(
                                registrant_kind=kind,
                                registrant_name={
                                    "collective": f"Chi đoàn thanh niên thôn (mốc {m.number})",
                                    "household": f"Hộ gia đình số {j + 1} (mốc {m.number})",
                                    "individual": f"Cá nhân tự quản mốc {m.number}",
                                }[kind],
                                segment=f"Khu vực mốc {m.number}",
                                section=m.section,
                                km=Decimal("1.500") if kind == RegistrantKind.COLLECTIVE else Decimal("0.500"),
                                commune=commune,
                                agency=m.agency,
                                valid_from=start,
                                valid_to=end,
                                province=m.province,
                                unit=commune or m.province,
                                is_demo=True,
                            ),
                            m,
                        )
                    )
    SelfManagementRegistration.objects.bulk_create([r for r, _m in regs], batch_size=1000)
    Through = SelfManagementRegistration.markers.through
    Through.objects.bulk_create(
        [Through(selfmanagementregistration_id=r.pk, marker_id=m.pk) for r, m in regs], batch_size=1000
    )
    return {
        "sections": len(sections),
        "markers": sum(len(v) for v in markers.values()),
        "inspections": len(inspections),
        "patrols": len(patrols),
        "roads": len(roads),
        "incidents": len(incidents) + merged,
        "merged": merged,
        "self_management": len(regs),
    }
