"""Demonstration data: Lạng Sơn and Sơn La from the sourced gazetteer (data/*.csv).

Every row keeps its source. Rows added only to make the demo usable and that no source backs are
marked `is_demo=True` with an empty source, and the UI shows them as demonstration data.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import re
from pathlib import Path

from django.db import transaction

from borderdesk.accounts.choices import Role
from borderdesk.accounts.models import RoleAssignment, User
from borderdesk.org.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    AgencyName,
    Committee,
    CommitteeName,
    Counterpart,
    DocumentNumberSeries,
    Membership,
    Person,
    UnitSuccession,
)

DATA = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "borderdesk-demo"
REFORM = dt.date(2025, 7, 1)
LAST_PRE_REFORM = dt.date(2025, 6, 30)

AGENCY_KINDS = [
    ("peoples_committee", "Ủy ban nhân dân", "People's Committee", 5),
    ("department_foreign_affairs", "Sở Ngoại vụ", "Department of Foreign Affairs", 10),
    ("border_guard_command", "Bộ/Ban Chỉ huy Bộ đội Biên phòng", "Border Guard command", 20),
    ("border_guard_station", "Đồn/Trạm Biên phòng", "Border Guard station", 30),
    ("military_command", "Bộ Chỉ huy Quân sự", "Military command", 40),
    ("police", "Công an", "Police", 50),
    ("customs", "Hải quan", "Customs", 60),
    ("department_industry_trade", "Sở Công Thương", "Department of Industry and Trade", 70),
    ("gate_management_board", "Ban Quản lý khu kinh tế cửa khẩu", "Border-gate economic zone board", 80),
    ("party_committee", "Cấp ủy Đảng", "Party committee", 90),
]


def _rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _date(value: str) -> dt.date | None:
    value = (value or "").strip()
    return dt.date.fromisoformat(value) if value else None


def _bool(value: str) -> bool | None:
    value = (value or "").strip().lower()
    return {"true": True, "false": False}.get(value)


def database_is_empty() -> bool:
    return not AdministrativeUnit.objects.exists()


def _save_unit(**fields) -> AdministrativeUnit:
    unit = AdministrativeUnit(**fields)
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
    unit.depth = unit.parent.depth + 1 if unit.parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit


class _Units:
    """Index of units by name for resolving the gazetteer's references."""

    def __init__(self):
        self.by_key: dict[tuple[str, str], AdministrativeUnit] = {}
        self.new_by_name: dict[tuple[str, str], AdministrativeUnit] = {}
        self.provinces: dict[str, AdministrativeUnit] = {}

    def add(self, unit: AdministrativeUnit):
        parent_name = unit.parent.name.lower() if unit.parent else ""
        if unit.kind == "province":
            self.provinces[unit.name.removeprefix("Tỉnh ").strip()] = unit
        if unit.valid_from and unit.valid_from >= REFORM:
            self.new_by_name[(unit.name.lower(), self.province_of(unit).name)] = unit
        else:
            self.by_key.setdefault((unit.name.lower(), parent_name), unit)

    @staticmethod
    def province_of(unit):
        while unit.kind not in ("province", "country") and unit.parent:
            unit = unit.parent
        return unit


def load_units(index: _Units) -> None:
    country = _save_unit(code="VN", name="Việt Nam", kind="country")
    pending = _rows("admin_units.csv")
    by_name: dict[str, AdministrativeUnit] = {}
    # Parents come before children in the file except where noted; loop until resolved.
    while pending:
        progress = False
        for row in list(pending):
            parent_name = row["parent_name"].strip()
            if parent_name and parent_name not in by_name:
                continue
            parent = by_name.get(parent_name, country)
            valid_to = _date(row["valid_to"])
            if row["kind"] == "district" and valid_to is None:
                # Districts ceased on 1/7/2025 (NQ 202/2025/QH15): an unknown end is no later than that.
                valid_to = LAST_PRE_REFORM
            unit = _save_unit(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                parent=parent,
                valid_from=_date(row["valid_from"]),
                valid_to=valid_to,
                is_border=_bool(row["is_border"]),
                source=row["source"],
            )
            # A name that appears twice (Mộc Châu huyện/thị xã) keeps the later row for children.
            by_name[row["name"]] = unit
            index.add(unit)
            pending.remove(row)
            progress = True
        if not progress:
            raise ValueError(f"Unresolvable parents in admin_units.csv: {[r['name'] for r in pending]}")


_OLD_RE = re.compile(r"^(?P<name>.+?) \((?P<parent>[^)]+)\)(?: - (?P<part>.+))?$")


def load_successions(index: _Units) -> None:
    for row in _rows("successions.csv"):
        old = _OLD_RE.match(row["old_name"].strip())
        if not old:
            raise ValueError(f"Unexpected old_name: {row['old_name']}")
        eff = _date(row["effective_date"])
        district_name = old["parent"].strip()
        district = index.by_key.get(
            (district_name.lower(), index.provinces["Lạng Sơn"].name.lower())
        ) or index.by_key.get((district_name.lower(), index.provinces["Sơn La"].name.lower()))
        if district is None:
            raise ValueError(f"Unknown district in successions.csv: {district_name}")
        province = _Units.province_of(district)
        predecessor = index.by_key.get((old["name"].lower(), district_name.lower()))
        if predecessor is None:
            predecessor = _save_unit(
                code="",
                name=old["name"],
                kind=row["old_kind"],
                parent=district,
                valid_to=min(eff - dt.timedelta(days=1), LAST_PRE_REFORM),
                source=row["source"],
            )
            index.add(predecessor)
        new_m = _OLD_RE.match(row["new_name"].strip())
        if new_m:  # a pre-reform target such as "Xã Tam Gia (huyện Lộc Bình)"
            successor = index.by_key.get((new_m["name"].lower(), new_m["parent"].lower()))
            if successor is None:
                successor = _save_unit(
                    code="",
                    name=new_m["name"],
                    kind=row["new_kind"],
                    parent=district,
                    valid_to=LAST_PRE_REFORM,
                    source=row["source"],
                )
                index.add(successor)
        else:
            successor = index.new_by_name.get((row["new_name"].strip().lower(), province.name))
            if successor is None:
                successor = _save_unit(
                    code="",
                    name=row["new_name"].strip(),
                    kind=row["new_kind"],
                    parent=province,
                    valid_from=eff,
                    source=row["source"],
                )
                index.add(successor)
        part = (old["part"] or "").strip()
        kind = "split" if part else "merge"
        note = part if not part.startswith("một phần") else part
        UnitSuccession.objects.get_or_create(
            predecessor=predecessor,
            successor=successor,
            effective_date=eff,
            defaults={"kind": kind, "note": note, "source": row["source"]},
        )


def load_agencies(index: _Units) -> dict[str, Agency]:
    kinds = {}
    for code, name, name_en, order in AGENCY_KINDS:
        kinds[code], _c = AgencyKind.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )
    agencies: dict[str, Agency] = {}
    for row in _rows("agencies.csv"):
        province = index.provinces[row["province"].strip()]
        unit = province
        if row["unit_name"].strip():
            unit = index.new_by_name.get((row["unit_name"].strip().lower(), province.name), province)
        agency = Agency(
            name=row["name"],
            kind=kinds[row["kind"]],
            unit=unit,
            valid_from=_date(row["valid_from"]),
            valid_to=_date(row["valid_to"]),
            source=row["source"],
        )
        agency.full_clean()
        agency.save()
        AgencyName.objects.create(
            agency=agency, name=agency.name, valid_from=agency.valid_from, valid_to=agency.valid_to
        )
        agencies[agency.name] = agency
    _link_agencies(agencies)
    return agencies


def _link_agencies(agencies: dict[str, Agency]) -> None:
    """Parents and successors stated in the gazetteer's notes and names."""

    def get(prefix):
        return next((a for n, a in agencies.items() if n.startswith(prefix)), None)

    for province in ("Lạng Sơn", "Sơn La"):
        old_cmd = get(f"Bộ Chỉ huy Bộ đội Biên phòng tỉnh {province}")
        new_cmd = get(f"Ban Chỉ huy Bộ đội Biên phòng tỉnh {province}")
        if old_cmd and new_cmd:
            old_cmd.successor = new_cmd
            old_cmd.save(update_fields=["successor"])
        mil = get(f"Bộ Chỉ huy Quân sự tỉnh {province}")
        if new_cmd and mil:
            new_cmd.parent = mil
            new_cmd.save(update_fields=["parent"])
        command = new_cmd or old_cmd
        for a in agencies.values():
            if a.kind.code != "border_guard_station" or a.parent_id:
                continue
            if not _Units.province_of(a.unit).name.endswith(province):
                continue
            if a.name.startswith("Trạm Biên phòng cửa khẩu quốc tế Đồng Đăng"):
                a.parent = get("Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị")
            else:
                a.parent = command
            a.save(update_fields=["parent"])
    old_customs, new_customs = get("Cục Hải quan tỉnh Lạng Sơn"), get("Chi cục Hải quan khu vực VI")
    if old_customs and new_customs:
        old_customs.successor = new_customs
        old_customs.save(update_fields=["successor"])
        team = get("Hải quan cửa khẩu quốc tế Hữu Nghị")
        if team:
            team.parent = new_customs
            team.save(update_fields=["parent"])


SEED_MEMBERS = {
    # committee code → [(name, role, post, valid_from, valid_to, source)]
    "ls-bcdbg": [
        (
            "Đoàn Thu Hà",
            "head",
            "Phó Chủ tịch UBND tỉnh",
            "2021-06-24",
            "2021-06-24",
            "https://songv.langson.gov.vn/bm/print/21350",
        ),
        (
            "Đinh Hữu Học",
            "head",
            "Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch Thường trực UBND tỉnh",
            "2025-12-31",
            "",
            "http://songv.langson.gov.vn/tin-tuc-su-kien/tin-hoat-dong/hoi-nghi-tong-ket-cong-tac-"
            "quan-ly-bien-gioi-nam-2025-trien-khai-nhiem-vu-nam-2026.html",
        ),
        (
            "Trịnh Tuyết Mai",
            "standing_deputy",
            "Giám đốc Sở Ngoại vụ",
            "2025-12-31",
            "",
            "http://songv.langson.gov.vn/tin-tuc-su-kien/tin-hoat-dong/hoi-nghi-tong-ket-cong-tac-quan-ly-bien-gioi-"
            "nam-2025-trien-khai-nhiem-vu-nam-2026.html",
        ),
    ],
    "sl-bcdbg": [
        (
            "Tráng Thị Xuân",
            "head",
            "Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch Thường trực UBND tỉnh",
            "2019-11-29",
            "2021-07-09",
            "https://demo.baosonla.org.vn/quoc-phong-an-ninh/trang-69.html ; "
            "seed 002 (Hội nghị sơ kết 6 tháng đầu năm 2020, 26/6/2020)",
        ),
        (
            "Hoàng Quốc Khánh",
            "head",
            "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh",
            "2023-08-04",
            "2023-08-04",
            "https://thongtindoingoai.sonla.gov.vn/content-30-hoi-nghi-ban-chi-dao-bien-gioi-tinh-son-la.html",
        ),
        (
            "Nguyễn Đình Việt",
            "head",
            "Chủ tịch UBND tỉnh",
            "2024-11-18",
            "2024-11-18",
            "http://biengioilanhtho.gov.vn/vi/tin-tuc/doan-cong-tac-cua-thu-truong-thuong-truc-bo-ngoai-giao-nguyen-"
            "minh-vu-tham-va-lam-viec-tai-tinh-son-la-1199750.html",
        ),
        (
            "Tráng Thị Xuân",
            "head",
            "Phó Chủ tịch Thường trực UBND tỉnh",
            "2025-05-09",
            "2025-07-04",
            "https://en.sonla.gov.vn/political-news/the-provincial-border-affairs-steering-committee-reviews-first-"
            "half-performance-and-outlines-tas-928319",
        ),
    ],
}


def load_committees(index: _Units, agencies: dict[str, Agency]) -> dict[str, Committee]:
    rows = _rows("committees.csv")
    ls, sl = index.provinces["Lạng Sơn"], index.provinces["Sơn La"]
    committees = {}
    ls_rows = [r for r in rows if r["province"] == "Lạng Sơn"]
    current, old_name, inspection = ls_rows[0], ls_rows[1], ls_rows[2]
    committees["ls-bcdbg"] = Committee.objects.create(
        code="ls-bcdbg",
        name=current["committee_name"],
        unit=ls,
        standing_office=agencies.get("Sở Ngoại vụ tỉnh Lạng Sơn"),
        parent_body="UBND TỈNH LẠNG SƠN",
        abbreviation="BCĐ",
        place_name="Lạng Sơn",
        source=current["source"] + " ; " + old_name["source"],
    )
    CommitteeName.objects.create(
        committee=committees["ls-bcdbg"],
        name=old_name["committee_name"],
        valid_to=dt.date(2021, 6, 24),
        source=old_name["source"],
    )
    CommitteeName.objects.create(
        committee=committees["ls-bcdbg"],
        name=current["committee_name"] + " Lạng Sơn",
        valid_from=dt.date(2025, 12, 31),
        source=current["source"],
    )
    committees["ls-kiemtra"] = Committee.objects.create(
        code="ls-kiemtra",
        name=inspection["committee_name"],
        unit=ls,
        standing_office=agencies.get("Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn"),
        parent_body="UBND TỈNH LẠNG SƠN",
        abbreviation="BCĐ",
        place_name="Lạng Sơn",
        source=inspection["source"],
    )
    sl_row = next(r for r in rows if r["province"] == "Sơn La")
    committees["sl-bcdbg"] = Committee.objects.create(
        code="sl-bcdbg",
        name="Ban Chỉ đạo công tác biên giới tỉnh Sơn La",
        unit=sl,
        standing_office=agencies.get("Sở Ngoại vụ tỉnh Sơn La"),
        parent_body="UBND TỈNH SƠN LA",
        abbreviation="BCĐ",
        place_name="Sơn La",
        source=sl_row["source"],
    )
    for code, members in SEED_MEMBERS.items():
        committee = committees[code]
        for name, role, post, vf, vt, source in members:
            person, _c = Person.objects.get_or_create(full_name=name, defaults={"source": source})
            Membership.objects.create(
                committee=committee,
                person=person,
                role=role,
                post=post,
                valid_from=_date(vf),
                valid_to=_date(vt),
                source=source,
            )
    for c in committees.values():
        for year in (2020, 2021, 2022, 2023, 2024, 2025, 2026):
            DocumentNumberSeries.objects.create(committee=c, symbol=f"BC-{c.abbreviation}", year=year)
    return committees


def load_counterparts(index: _Units) -> None:
    for row in _rows("counterparts.csv"):
        Counterpart.objects.create(
            unit=index.provinces[row["province"].strip()],
            country=row["neighbour_country"],
            name=row["counterpart_province"],
            notes=row["notes"],
            source=row["source"],
        )


def _demo_account_specs(index: _Units, agencies: dict[str, Agency]):
    ls, sl = index.provinces["Lạng Sơn"], index.provinces["Sơn La"]
    dong_dang = index.new_by_name[("xã đồng đăng", ls.name)]
    quoc_khanh = index.new_by_name[("xã quốc khánh", ls.name)]
    return [
        ("admin", Role.ADMIN, None, None, "Quản trị hệ thống"),
        ("vanphong.ls", Role.STANDING_OFFICE, ls, agencies.get("Sở Ngoại vụ tỉnh Lạng Sơn"), "Sở Ngoại vụ Lạng Sơn"),
        ("vanphong.sl", Role.STANDING_OFFICE, sl, agencies.get("Sở Ngoại vụ tỉnh Sơn La"), "Sở Ngoại vụ Sơn La"),
        ("baocao.dongdang", Role.REPORTER, dong_dang, None, "UBND xã Đồng Đăng"),
        ("baocao.quockhanh", Role.REPORTER, quoc_khanh, None, "UBND xã Quốc Khánh"),
        (
            "baocao.huunghi",
            Role.REPORTER,
            None,
            agencies.get("Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị"),
            "Đồn BP CKQT Hữu Nghị",
        ),
        ("duyet.ls", Role.APPROVER, ls, None, "Người duyệt cấp tỉnh Lạng Sơn"),
        ("lanhdao.ls", Role.VIEWER, ls, None, "Lãnh đạo tỉnh Lạng Sơn"),
        ("kiemtra.ls", Role.AUDITOR, ls, None, "Kiểm tra Lạng Sơn"),
    ]


def load_accounts(index: _Units, agencies: dict[str, Agency]) -> None:
    for username, role, unit, agency, display in _demo_account_specs(index, agencies):
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, display_name=display)
        if role == Role.ADMIN:
            user.is_staff = True
            user.is_superuser = True
            user.save()
        RoleAssignment.objects.create(user=user, role=role, unit=unit, agency=agency)


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """(username, role label, password, scope) of the demo accounts that still use the demo password."""
    out = []
    for a in RoleAssignment.objects.select_related("user", "unit", "agency").order_by("pk"):
        if a.user.check_password(DEMO_PASSWORD):
            scope = str(a.unit or a.agency or "toàn quốc")
            out.append((a.user.username, str(a.get_role_display()), DEMO_PASSWORD, scope))
    return out


@transaction.atomic
def load_demo(*, with_reporting: bool = True) -> dict:
    if not database_is_empty():
        raise RuntimeError("Cơ sở dữ liệu đã có dữ liệu; chỉ nạp dữ liệu minh họa vào cơ sở dữ liệu trống.")
    index = _Units()
    load_units(index)
    load_successions(index)
    agencies = load_agencies(index)
    committees = load_committees(index, agencies)
    load_counterparts(index)
    load_accounts(index, agencies)
    result = {
        "units": AdministrativeUnit.objects.count(),
        "agencies": Agency.objects.count(),
        "committees": len(committees),
    }
    if with_reporting:
        # Each app's demonstration data, reporting's forms first (the registries refer to its periods). Imported
        # by name so that an app's demo_data module may use this loader's helpers without an import cycle.
        for app in ("reporting", "frontier", "gates", "outreach", "coordination"):
            module = importlib.import_module(f"borderdesk.{app}.demo_data")
            result[app] = module.load(index=index, agencies=agencies, committees=committees)
    return result
