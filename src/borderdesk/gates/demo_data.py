"""Demonstration data: the 14 gates of the gazetteer (with their sources) and demo daily statistics.

Gates, their kind, counterpart and notes come from demo/data/border_gates.csv with its sources.
Coordinates are approximate and flagged `coords_are_demo`. Daily statistics are synthetic
(deterministic, fixed seed), marked `is_demo`, and scaled to the published figures:

- Lạng Sơn 2025 (Hữu Nghị, Tân Thanh, Chi Ma): cargo vehicles average 1.700 a day, peak 2.046
  (seed 004: "trung bình đạt khoảng 1.700 lượt xe/ngày, cao điểm đạt tới trên 2.000").
- 31/12/2025: 1.575 cargo vehicles; 1/1/2026: 1.199 (261 export, 938 import, 312 waiting), "giảm 376
  xe so với ngày 31/12/2025" (domain.md §5).
- Sơn La (Lóng Sập, Chiềng Khương), 1/1/2023 to 3/8/2023: 23.100 exits, 27.900 entries, 750.400 USD
  exports (seed 003, 4/8/2023: "trên 23.000 lượt người, nhập cảnh gần 28.000 ... trên 750.000 USD").
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from borderdesk.demo.loader import DATA

from .choices import GateKind, OfficialStatus, OperatingStatus, StatChannel
from .models import BorderGate, GateDailyStat, GateStatusPeriod

SEED = 20260101

# name → (code, current commune (None = the province), station, approximate demo lat, lon)
PLACES = {
    "Cửa khẩu quốc tế Hữu Nghị": (
        "huu-nghi",
        "Xã Đồng Đăng",
        "Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị",
        "21.972500",
        "106.706100",
    ),
    "Cửa khẩu ga đường sắt quốc tế Đồng Đăng": (
        "dong-dang-rail",
        "Xã Đồng Đăng",
        "Trạm Biên phòng cửa khẩu quốc tế Đồng Đăng (thuộc Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị)",
        "21.943000",
        "106.700500",
    ),
    "Cửa khẩu Chi Ma": ("chi-ma", "Xã Mẫu Sơn", "Đồn Biên phòng Cửa khẩu Chi Ma", "21.833000", "106.964000"),
    "Cửa khẩu Bình Nghi": ("binh-nghi", None, "Đồn Biên phòng Bình Nghi", "22.335000", "106.610000"),
    "Cửa khẩu Tân Thanh": (
        "tan-thanh",
        "Xã Hoàng Văn Thụ",
        "Đồn Biên phòng Cửa khẩu Tân Thanh",
        "22.025000",
        "106.672000",
    ),
    "Cửa khẩu Cốc Nam": ("coc-nam", None, None, "21.993000", "106.690000"),
    "Cửa khẩu Na Hình": ("na-hinh", None, None, "22.060000", "106.615000"),
    "Cửa khẩu Nà Nưa": ("na-nua", "Xã Quốc Khánh", None, "22.400000", "106.470000"),
    "Cửa khẩu Pò Nhùng": ("po-nhung", None, None, "22.200000", "106.550000"),
    "Cửa khẩu quốc tế Lóng Sập": ("long-sap", "Xã Lóng Sập", None, "20.796000", "104.744000"),
    "Cửa khẩu Chiềng Khương": (
        "chieng-khuong",
        "Xã Chiềng Khương",
        "Đồn Biên phòng Chiềng Khương",
        "20.965000",
        "103.840000",
    ),
    "Cửa khẩu phụ Nậm Lạnh": ("nam-lanh", "Xã Sốp Cộp", "Đồn Biên phòng Nậm Lạnh", "20.885000", "103.465000"),
    "Cửa khẩu phụ Nà Cài": ("na-cai", "Xã Yên Sơn", "Đồn Biên phòng Chiềng On (Đồn 461)", "20.960000", "104.340000"),
    "Cửa khẩu phụ Huổi La (quy hoạch)": ("huoi-la", None, None, "20.700000", "103.530000"),
}

# Commune placements are sourced by the gazetteer (status notes, stations' communes, successions)
# except these two, checked against shared/data/gazetteer (border_gates, agencies, successions):
# - dong-dang-rail: ga Đồng Đăng lies in thị trấn Đồng Đăng (huyện Cao Lộc), now Xã Đồng Đăng
#   (successions.csv); the station's commune is not in the gazetteer, so the page is cited here.
# - chi-ma: no source names the gate's commune (the gazetteer leaves the Chi Ma station's commune
#   blank); Xã Mẫu Sơn is kept for the demonstration and said so on the gate's page.
PLACEMENT_SOURCES = {
    "dong-dang-rail": "https://giaoducthoidai.vn/thoi-su/ga-dong-dang-dung-don-khach-trong-bay-ngay--3781253.html",
}
PLACEMENT_NOTES = {
    "chi-ma": "Địa bàn Xã Mẫu Sơn là giả định minh họa: chưa có nguồn nêu cửa khẩu Chi Ma thuộc xã nào.",
}

# Sourced operating periods: code → [(status, from, to, reason, source)]
STATUS_PERIODS = {
    "tan-thanh": [
        (
            "suspended",
            "2024-05-27",
            "2025-01-24",
            "Lối thông quan mốc 1090-1091 tạm dừng xuất nhập cảnh người; đường chuyên dụng mốc 1088/2-1089 "
            "chuyển thuộc cặp CKQT Hữu Nghị từ 27/5/2024.",
            "https://english.haiquanonline.com.vn/lang-son-customs-ensures-smooth-customs-clearance-31166.html",
        ),
        (
            "open",
            "2025-01-25",
            None,
            "Khôi phục xuất nhập cảnh tại khu vực thông quan mốc 1090-1091.",
            "https://en.sggp.org.vn/immigration-activities-resumed-at-tan-thanh-puzhai-border-crossing-post115402.html",
        ),
    ],
    "na-hinh": [
        (
            "open",
            "2023-07-28",
            None,
            "Nối lại thông quan hàng hóa.",
            "https://english.haiquanonline.com.vn/na-hinh-border-gate-returned-on-that-day-28217.html",
        )
    ],
    "long-sap": [
        (
            "open",
            "1990-03-01",
            None,
            "Mở cửa khẩu chính; nâng cấp cửa khẩu quốc tế, khai trương 19/11/2024.",
            "http://biengioilanhtho.gov.vn/vi/tin-tuc/khai-truong-cap-cua-khau-quoc-te-long-sap-tinh-son-la-viet-"
            "nam-pa-hang-tinh-hua-phan-lao--dong-luc-phat-trien-moi-cho-khu-vuc-bien-gioi-"
            "viet-nam-lao-1199749.html",
        )
    ],
    "nam-lanh": [
        (
            "open",
            "2019-07-09",
            None,
            "Khai trương cặp cửa khẩu phụ Nậm Lạnh - Mường Pợ.",
            "https://tacnghiep.thoidai.com.vn/khai-truong-cap-cua-khau-phu-nam-lanh-va-muong-po-that-chat-tinh-"
            "doan-ket-viet-lao-82026.html",
        )
    ],
}

D = dt.date


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _fit(values: list[float], target: int) -> list[int]:
    """Scale non-negative values to integers that sum exactly to `target` (largest remainder)."""
    total = sum(values) or 1
    raw = [v * target / total for v in values]
    ints = [int(x) for x in raw]
    rest = target - sum(ints)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - ints[i], -i), reverse=True)
    for i in order[:rest]:
        ints[i] += 1
    return ints


def _split(total: int, shares: list[float]) -> list[int]:
    return _fit(shares, total) if total else [0] * len(shares)


def _place(index, province, commune):
    if commune:
        unit = index.new_by_name.get((commune.lower(), province.name))
        if unit is not None:
            return unit
    return province


def _gates(index, agencies) -> dict[str, BorderGate]:
    with open(Path(DATA) / "border_gates.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    gates = {}
    for row in rows:
        code, commune, station, lat, lon = PLACES[row["name"]]
        province = index.provinces[row["province"].strip()]
        planned = "quy hoạch" in row["name"]
        gate = BorderGate(
            code=code,
            name=row["name"],
            unit=_place(index, province, commune),
            managing_station=agencies.get(station) if station else None,
            kind=row["kind"],
            mode=row["mode"],
            counterpart_name=row["counterpart_name"],
            counterpart_country=row["counterpart_country"],
            official_status=OfficialStatus.PROVISIONAL if planned else OfficialStatus.OFFICIAL,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            coords_are_demo=True,
            status_note=" ".join(filter(None, [row["status_note"], PLACEMENT_NOTES.get(code)])),
            source=" ; ".join(filter(None, [row["source"], PLACEMENT_SOURCES.get(code)])),
        )
        gate.full_clean()
        gates[code] = gate
    BorderGate.objects.bulk_create(gates.values())
    periods = []
    for code, items in STATUS_PERIODS.items():
        for status, start, end, reason, source in items:
            periods.append(
                GateStatusPeriod(
                    gate=gates[code],
                    status=OperatingStatus(status),
                    valid_from=D.fromisoformat(start),
                    valid_to=D.fromisoformat(end) if end else None,
                    reason=reason,
                    source=source,
                )
            )
    GateStatusPeriod.objects.bulk_create(periods)
    return gates


def _lang_son_totals(rnd: random.Random) -> dict[dt.date, int]:
    """Daily cargo vehicles of the three Lạng Sơn road gates together."""
    totals: dict[dt.date, int] = {}
    for day in _days(D(2024, 1, 1), D(2024, 12, 31)):
        season = 1.0 + 0.08 * ((day.month - 6.5) / 5.5)
        totals[day] = int(1400 * season * rnd.uniform(0.85, 1.12))
    fixed = {D(2025, 12, 31): 1575, D(2025, 11, 20): 2046}
    free = [d for d in _days(D(2025, 1, 1), D(2025, 12, 31)) if d not in fixed]
    raw = [(1.0 + 0.06 * ((d.month - 6.5) / 5.5)) * rnd.uniform(0.88, 1.10) for d in free]
    fitted = _fit(raw, 1700 * 365 - sum(fixed.values()))
    cap = 1990
    while max(fitted) > cap:  # keep the peak day the only one above 2.000
        excess = sum(max(0, v - cap) for v in fitted)
        fitted = [min(v, cap) for v in fitted]
        lows = sorted(range(len(fitted)), key=lambda i: fitted[i])[:excess]
        for i in lows:
            fitted[i] += 1
    totals.update(zip(free, fitted, strict=True))
    totals.update(fixed)
    totals[D(2026, 1, 1)] = 1199
    for day in _days(D(2026, 1, 2), D(2026, 1, 31)):
        totals[day] = int(1500 * rnd.uniform(0.85, 1.12))
    return totals


def _lang_son(gates, rnd: random.Random) -> list[GateDailyStat]:
    road = [gates["huu-nghi"], gates["tan-thanh"], gates["chi-ma"]]
    shares = [0.60, 0.27, 0.13]
    person_base = {"huu-nghi": 2200, "tan-thanh": 350, "chi-ma": 260}
    stats = []
    for day, total in sorted(_lang_son_totals(rnd).items()):
        if day == D(2026, 1, 1):
            exports, imports, waiting = [150, 70, 41], [560, 250, 128], [200, 80, 32]
        else:
            exp_total = round(total * rnd.uniform(0.33, 0.45))
            exports = _split(exp_total, shares)
            imports = [t - e for t, e in zip(_split(total, shares), exports, strict=True)]
            imports = [max(0, v) for v in imports]
            waiting = _split(int(rnd.uniform(150, 700)), shares)
        for gate, e, i, w in zip(road, exports, imports, waiting, strict=True):
            persons = person_base[gate.code]
            stats.append(
                GateDailyStat(
                    gate=gate,
                    date=day,
                    persons_exit=int(persons * rnd.uniform(0.8, 1.2)),
                    persons_entry=int(persons * rnd.uniform(0.8, 1.2)),
                    vehicles_exit=e + int(rnd.uniform(20, 80)),
                    vehicles_entry=i + int(rnd.uniform(20, 80)),
                    cargo_vehicles_export=e,
                    cargo_vehicles_import=i,
                    vehicles_waiting=w,
                    tonnes=Decimal(round((e + i) * rnd.uniform(22, 28), 3)).quantize(Decimal("0.001")),
                    export_usd=Decimal(e * rnd.randint(38_000, 52_000)),
                    import_usd=Decimal(i * rnd.randint(30_000, 42_000)),
                    channel=StatChannel.IMPORT,
                    is_demo=True,
                )
            )
        rail = gates["dong-dang-rail"]
        cars = int(rnd.uniform(25, 60))
        stats.append(
            GateDailyStat(
                gate=rail,
                date=day,
                persons_exit=int(rnd.uniform(10, 60)),
                persons_entry=int(rnd.uniform(10, 60)),
                rail_cars=cars,
                tonnes=Decimal(cars * 45),
                export_usd=Decimal(cars * rnd.randint(20_000, 30_000)),
                import_usd=Decimal(cars * rnd.randint(25_000, 35_000)),
                channel=StatChannel.IMPORT,
                is_demo=True,
            )
        )
    return stats


def _son_la(gates, rnd: random.Random) -> list[GateDailyStat]:
    pair = [gates["long-sap"], gates["chieng-khuong"]]
    days = _days(D(2022, 1, 1), D(2024, 12, 31))
    values = {day: {} for day in days}
    window = [d for d in days if D(2023, 1, 1) <= d <= D(2023, 8, 3)]
    outside = [d for d in days if d not in window]
    for name, target in (("persons_exit", 23_100), ("persons_entry", 27_900), ("export_usd", 750_400)):
        fitted = _fit([rnd.uniform(0.7, 1.3) for _d in window], target)
        for d, v in zip(window, fitted, strict=True):
            values[d][name] = v
        per_day = target / len(window)
        for d in outside:
            growth = 0.9 if d.year == 2022 else 1.1
            values[d][name] = int(per_day * growth * rnd.uniform(0.7, 1.3))
    stats = []
    for day in days:
        v = values[day]
        for gate, share in zip(pair, (0.7, 0.3), strict=True):
            exits = (
                round(v["persons_exit"] * share)
                if gate is pair[0]
                else v["persons_exit"] - round(v["persons_exit"] * 0.7)
            )
            entries = (
                round(v["persons_entry"] * share)
                if gate is pair[0]
                else v["persons_entry"] - round(v["persons_entry"] * 0.7)
            )
            usd = round(v["export_usd"] * share) if gate is pair[0] else v["export_usd"] - round(v["export_usd"] * 0.7)
            lorries = int(rnd.uniform(8, 30) * share)
            stats.append(
                GateDailyStat(
                    gate=gate,
                    date=day,
                    persons_exit=exits,
                    persons_entry=entries,
                    vehicles_exit=lorries + int(rnd.uniform(20, 60) * share),
                    vehicles_entry=lorries + int(rnd.uniform(20, 60) * share),
                    cargo_vehicles_export=lorries // 2,
                    cargo_vehicles_import=lorries - lorries // 2,
                    tonnes=Decimal(lorries * 12),
                    export_usd=Decimal(usd),
                    import_usd=Decimal(int(usd * rnd.uniform(0.5, 0.9))),
                    channel=StatChannel.IMPORT,
                    is_demo=True,
                )
            )
    return stats


def load(*, index, agencies, committees) -> dict:
    rnd = random.Random(SEED)
    gates = _gates(index, agencies)
    stats = _lang_son(gates, rnd) + _son_la(gates, rnd)
    GateDailyStat.objects.bulk_create(stats, batch_size=2000)
    return {
        "gates": len(gates),
        "daily_stats": len(stats),
        "goods_lanes": sum(1 for g in gates.values() if g.kind == GateKind.GOODS_LANE),
    }
