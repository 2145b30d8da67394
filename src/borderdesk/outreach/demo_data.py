"""Demonstration data for outreach: sessions, commitments, the three programmes named in seed 002 and
their beneficiaries, 2023–2026, for Lạng Sơn and Sơn La. All rows are demonstration data (is_demo,
no source); programme names come from the Sơn La 26/6/2020 article (seed 002)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from .choices import AudienceKind, BeneficiaryKind, ProgrammeKind
from .models import Beneficiary, HouseholdCommitment, Programme, PropagandaSession

SEED = 2027
REFORM = dt.date(2025, 7, 1)
PLACES = {
    "Lạng Sơn": [
        ("xã đồng đăng", "Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị"),
        ("xã quốc khánh", "Đồn Biên phòng Pò Mã"),
        ("xã ba sơn", "Đồn Biên phòng Ba Sơn"),
        ("xã hoàng văn thụ", "Đồn Biên phòng Cửa khẩu Tân Thanh"),
    ],
    "Sơn La": [
        ("xã mường lạn", "Đồn Biên phòng Mường Lạn (Đồn 453)"),
        ("xã phiêng khoài", "Đồn Biên phòng Chiềng On (Đồn 461)"),
        ("xã chiềng khương", "Đồn Biên phòng Chiềng Khương"),
    ],
}
VILLAGES = ["Nà Lầu", "Bản Sưa", "Khòn Khuyên", "Pác Luống", "Bản Hua", "Nà Cạn"]
GIRLS = ["Lò Thị Mai", "Vi Thị Hoa", "Hoàng Thị Lan", "Lường Thị Thu", "Nông Thị Hạnh", "Cầm Thị Duyên"]
BOYS = ["Lò Văn Minh", "Vi Văn Hùng", "Hoàng Văn Nam", "Lường Văn Tú", "Nông Văn Đức", "Cầm Văn Khánh"]


def load(*, index, agencies, committees) -> dict:
    rnd = random.Random(SEED)
    sessions, commitments, programmes, beneficiaries = [], [], [], []
    for prov, places in PLACES.items():
        province = index.provinces[prov]
        for commune_name, station_name in places:
            commune = index.new_by_name.get((commune_name, province.name))
            station = agencies.get(station_name)
            if station is None:
                continue
            d = dt.date(2023, 1, 10)
            while d <= dt.date(2026, 3, 31):
                day = d + dt.timedelta(days=rnd.randint(0, 20))
                c = commune if (commune is not None and day >= REFORM) else None
                joint = rnd.random() < 0.15
                sessions.append(
                    PropagandaSession(
                        held_on=day,
                        place_name=f"Nhà văn hóa thôn {rnd.choice(VILLAGES)}",
                        commune=c,
                        agency=station,
                        topic="Luật Biên giới quốc gia; 03 văn kiện pháp lý về biên giới"
                        if prov == "Lạng Sơn"
                        else "Hiệp định về quy chế quản lý biên giới Việt Nam - Lào",
                        audience_kind=rnd.choice(
                            [AudienceKind.RESIDENTS] * 4 + [AudienceKind.STUDENTS, AudienceKind.TRADERS]
                        ),
                        listeners=rnd.randint(25, 140),
                        leaflets=rnd.randint(0, 200),
                        document_sets=rnd.randint(0, 8),
                        bilingual=rnd.random() < 0.2,
                        joint_with_counterpart=joint,
                        counterpart_name="Lực lượng bảo vệ biên giới phía bạn" if joint else "",
                        province=province,
                        unit=c or province,
                        is_demo=True,
                    )
                )
                if d.month in (3, 9):
                    commitments.append(
                        HouseholdCommitment(
                            signed_on=day,
                            commune=c,
                            village=rnd.choice(VILLAGES),
                            households=rnd.randint(20, 120),
                            agency=station,
                            province=province,
                            unit=c or province,
                            is_demo=True,
                        )
                    )
                d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 10)
        main_station = agencies.get(places[0][1])
        for kind, name in (
            (ProgrammeKind.SCHOOL, "Nâng bước em tới trường"),
            (ProgrammeKind.BREAKFAST, "Bữa sáng cho em"),
            (ProgrammeKind.WOMEN, "Đồng hành cùng phụ nữ biên cương"),
        ):
            programmes.append(
                Programme(
                    name=f"{name} ({prov})",
                    kind=kind,
                    agency=main_station,
                    started_on=dt.date(2023, 1, 1),
                    province=province,
                    unit=province,
                    description=f"Chương trình “{name}” (nêu trong bài Sơn La 26/6/2020).",
                    is_demo=True,
                )
            )
    PropagandaSession.objects.bulk_create(sessions, batch_size=1000)
    HouseholdCommitment.objects.bulk_create(commitments)
    Programme.objects.bulk_create(programmes)
    for p in programmes:
        for k in range(6):
            kind = BeneficiaryKind.WOMAN if p.kind == ProgrammeKind.WOMEN else BeneficiaryKind.STUDENT
            name = GIRLS[k] if kind == BeneficiaryKind.WOMAN or k % 2 else BOYS[k]
            start = dt.date(2023 + k % 3, 9, 1) if k != 5 else dt.date(2023, 9, 1)
            beneficiaries.append(
                Beneficiary(
                    programme=p,
                    name=name,
                    kind=kind,
                    agency=p.agency,
                    support_from=start,
                    support_to=dt.date(2025, 5, 31) if k == 5 else None,
                    monthly_amount_vnd=Decimal(500000 if p.kind == ProgrammeKind.SCHOOL else 300000),
                    province=p.province,
                    unit=p.province,
                    is_demo=True,
                )
            )
    Beneficiary.objects.bulk_create(beneficiaries)
    return {
        "sessions": len(sessions),
        "commitments": len(commitments),
        "programmes": len(programmes),
        "beneficiaries": len(beneficiaries),
    }
