"""Coordination demonstration data from seeds 000–004 (conferences, directives, commendations, agreements).

Rows that restate a seed keep the seed reference and quote in `source`. Tasks (owners, deadlines,
completion) and commendation recipients are not in the sources: they are created as demo rows
(`is_demo=True`, no source) so the UI marks them "minh họa".
"""

from __future__ import annotations

import datetime as dt

from borderdesk.org.models import Agency, AgencyKind, Membership

from .models import Agreement, Commendation, CommendationKind, Conference, ConferenceDecision, Directive, Task

S000 = "seed 000 (songv.langson.gov.vn, Hội nghị sơ kết 6 tháng đầu năm 2021, 24/6/2021)"
S001 = "seed 001 (Hội nghị sơ kết quy chế phối hợp năm 2023 và ký kết năm 2024, 22/1/2024)"
S002 = "seed 002 (sonla.gov.vn, Hội nghị sơ kết công tác biên giới 6 tháng đầu năm 2020, 26/6/2020)"
S003 = "seed 003 (thongtindoingoai.sonla.gov.vn, Hội nghị Ban Chỉ đạo Biên giới tỉnh Sơn La, 04/8/2023)"
S004 = (
    "seed 004 (songv.langson.gov.vn, Hội nghị tổng kết công tác quản lý biên giới năm 2025, 31/12/2025) ; "
    "http://songv.langson.gov.vn/tin-tuc-su-kien/tin-hoat-dong/hoi-nghi-tong-ket-cong-tac-quan-ly-bien-gioi-"
    "nam-2025-trien-khai-nhiem-vu-nam-2026.html"
)

DIRECTIVES_000 = [
    "Tiếp tục quán triệt, triển khai thực hiện có hiệu quả Chương trình hành động của Ban Thường vụ Tỉnh ủy về "
    "thực hiện Nghị quyết của Bộ Chính trị về phát triển kinh tế – xã hội các xã biên giới đất liền, kết hợp với "
    "tăng cường củng cố quốc phòng, an ninh, đối ngoại",
    "Tiếp tục thực hiện tốt công tác tuyên truyền, phổ biến các văn kiện pháp lý về biên giới trên đất liền "
    "Việt Nam - Trung Quốc, các quy định về xuất, nhập cảnh và phòng, chống dịch Covid-19 khu vực biên giới",
    "Tăng cường các biện pháp trao đổi thông tin, tình hình giữa các lực lượng chức năng của hai Bên để phục vụ "
    "công tác quản lý biên giới, cửa khẩu, đảm bảo lưu thông hàng hóa",
    "Tăng cường công tác nắm tình hình, tổ chức tuần tra, kiểm soát, kịp thời phát hiện và xử lý dứt điểm các "
    "vụ việc xảy ra trên biên giới ngay ở cấp cơ sở",
    "Tích cực xây dựng cơ sở chính trị vững mạnh toàn diện; xây dựng thế trận biên phòng toàn dân gắn với thế "
    "trận an ninh Nhân dân vững chắc",
]
DIRECTIVES_001 = [
    "Tiếp tục phối hợp, tham mưu Tỉnh ủy lãnh đạo, chỉ đạo thực hiện tốt công tác biên phòng; thực hiện có hiệu "
    "quả Nghị quyết 33 và Nghị quyết 16 của Bộ Chính trị, Chỉ thị 01 của Thủ tướng Chính phủ",
    "Thực hiện có hiệu quả công tác đối ngoại Đảng, ngoại giao Nhà nước, đối ngoại Nhân dân và đối ngoại biên "
    "phòng; duy trì cơ chế thông tin, trao đổi, hội đàm với Trung Quốc ở các cấp",
    "Hiệp đồng chặt chẽ giữa các lực lượng chức năng trong đấu tranh phòng, chống tội phạm, chống xuất, nhập "
    "cảnh trái phép, chống buôn lậu, gian lận thương mại",
]
DIRECTIVES_002 = [
    "Thành viên Ban Chỉ đạo, Tổ giúp việc tiếp tục quán triệt thực hiện tốt Nghị định số 03/2019/NĐ-CP ngày "
    "5/9/2019 của Chính phủ về phối hợp giữa Bộ Công an và Bộ Quốc phòng",
    "Các lực lượng chức năng duy trì, tổ chức thực hiện nghiêm công tác kiểm soát tại các cửa khẩu, đảm bảo "
    "đúng nguyên tắc, thủ tục",
    "Các địa phương tăng cường công tác quản lý địa bàn, đẩy mạnh tuyên truyền pháp luật trên địa bàn vùng biên giới",
]
DIRECTIVES_003 = [
    "Làm tốt công tác dự báo, chủ động các biện pháp đảm bảo an ninh trật tự nội ngoại biên, không để bị động "
    "bất ngờ với các tình huống phát sinh",
    "Phối hợp chặt chẽ giữa các lực lượng, nòng cốt là công an, bộ đội, biên phòng, xây dựng thế trận an ninh, "
    "quốc phòng toàn dân",
    "Làm tốt hơn nữa công tác dân vận, nắm bắt tâm tư, nguyện vọng của quần chúng nhân dân khu vực biên giới",
    "Tiếp tục kiểm soát chặt chẽ hoạt động xuất nhập cảnh; bảo vệ đường biên, mốc giới, giữ vững chủ quyền an "
    "ninh quốc gia",
]
DIRECTIVES_004 = [
    "Tiếp tục quán triệt các chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước về công tác biên giới",
    "Tăng cường phối hợp liên ngành, chủ động nắm chắc tình hình, xử lý kịp thời các vấn đề phát sinh",
    "Phát huy hiệu quả các cơ chế hợp tác hiện có giữa tỉnh Lạng Sơn và Quảng Tây",
    "Tập trung xây dựng hạ tầng phục vụ triển khai thực hiện Đề án xây dựng thí điểm cửa khẩu thông minh",
]


def _agency(agencies, prefix):
    return next((a for n, a in agencies.items() if n.startswith(prefix)), None)


def _conference(*, directives, **fields) -> Conference:
    conf = Conference(**fields)
    conf.full_clean()
    conf.save()
    for i, text in enumerate(directives, start=1):
        Directive.objects.create(conference=conf, number=i, text=text, source=fields.get("source", ""))
    return conf


def _task(conf, number, title, owner, deadline=None, done_on=None, regular=False, co=()):
    d = conf.directives.get(number=number)
    t = Task(
        directive=d, title=title, owner=owner, deadline=deadline, is_regular=regular, done_on=done_on, is_demo=True
    )
    t.full_clean()
    t.save()
    if co:
        t.co_owners.set([a for a in co if a is not None])
    return t


def load(*, index, agencies, committees) -> dict:
    ls, sl = index.provinces["Lạng Sơn"], index.provinces["Sơn La"]
    ls_c, sl_c = committees["ls-bcdbg"], committees["sl-bcdbg"]
    bdbp_ls_old = _agency(agencies, "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn")
    bdbp_ls = _agency(agencies, "Ban Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn")
    sngv_ls = _agency(agencies, "Sở Ngoại vụ tỉnh Lạng Sơn")
    police_ls = _agency(agencies, "Công an tỉnh Lạng Sơn")
    board_ls = _agency(agencies, "Ban Quản lý Khu kinh tế cửa khẩu")
    sct_ls = _agency(agencies, "Sở Công Thương tỉnh Lạng Sơn")
    bdbp_sl = _agency(agencies, "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Sơn La")
    sngv_sl = _agency(agencies, "Sở Ngoại vụ tỉnh Sơn La")
    police_sl = _agency(agencies, "Công an tỉnh Sơn La")

    c000 = _conference(
        unit=ls,
        committee=ls_c,
        kind="review_6m",
        date=dt.date(2021, 6, 24),
        place="Lạng Sơn",
        title="Hội nghị sơ kết thực hiện 3 văn kiện pháp lý về biên giới trên đất liền Việt Nam – Trung Quốc "
        "6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối năm 2021",
        chair="Đoàn Thu Hà",
        chair_post="Phó Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo thực hiện các văn kiện pháp lý về biên giới đất "
        "liền Việt Nam - Trung Quốc tỉnh Lạng Sơn",
        participants="Đại diện các cơ quan, đơn vị thành viên Ban Chỉ đạo cấp tỉnh; UBND các huyện biên giới và "
        "Ban Chỉ đạo cấp huyện",
        conclusions="Đồng chí yêu cầu, trong thời gian tới các cơ quan thành viên Ban Chỉ đạo, các sở, ngành, UBND "
        "các huyện biên giới tiếp tục quán triệt, triển khai thực hiện có hiệu quả ...",
        directives=DIRECTIVES_000,
        source=S000,
    )
    _task(
        c000,
        2,
        "Tuyên truyền văn kiện pháp lý về biên giới tại các xã biên giới (6 tháng cuối năm 2021)",
        sngv_ls,
        deadline=dt.date(2021, 12, 14),
        done_on=dt.date(2021, 12, 10),
        co=[bdbp_ls_old],
    )
    _task(c000, 4, "Duy trì tuần tra, kiểm soát, xử lý dứt điểm vụ việc ở cơ sở", bdbp_ls_old, regular=True)

    # Seed 001: party committees of the Border Guard and five border districts.
    party_kind = AgencyKind.objects.get(code="party_committee")
    party_bdbp = Agency.objects.create(
        name="Đảng ủy Bộ đội Biên phòng tỉnh Lạng Sơn",
        kind=party_kind,
        unit=ls,
        valid_to=dt.date(2025, 6, 27),
        source=S001,
    )
    district_parties = []
    for name in ("Đình Lập", "Lộc Bình", "Cao Lộc", "Văn Lãng", "Tràng Định"):
        district = index.by_key[(f"huyện {name}".lower(), ls.name.lower())]
        district_parties.append(
            Agency.objects.create(
                name=f"Huyện ủy {name}", kind=party_kind, unit=district, valid_to=district.valid_to, source=S001
            )
        )
    parties = [party_bdbp, *district_parties]
    c001 = _conference(
        unit=ls,
        committee=None,
        kind="signing",
        date=dt.date(2024, 1, 22),
        place="Lạng Sơn",
        convener="Đảng ủy Bộ đội Biên phòng tỉnh Lạng Sơn và Huyện ủy 5 huyện biên giới",
        title="Hội nghị sơ kết quy chế phối hợp năm 2023 và ký kết quy chế phối hợp năm 2024 giữa Đảng ủy "
        "BĐBP tỉnh và Huyện ủy 5 huyện biên giới",
        chair="",
        participants="Hoàng Văn Nghiệm, Phó Bí thư Thường trực Tỉnh ủy, Trưởng Đoàn đại biểu Quốc hội "
        "tỉnh; Hồ Tiến Thiệu, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh; lãnh đạo một số sở, "
        "ban, ngành; Huyện ủy 5 huyện biên giới",
        conclusions="Đồng chí Phó Bí thư Thường trực Tỉnh ủy đề nghị các đơn vị tiếp tục phối hợp ...",
        directives=DIRECTIVES_001,
        source=S001,
    )
    c001.participant_agencies.set(parties)
    _task(
        c001,
        1,
        "Xây dựng kế hoạch phối hợp thực hiện Chỉ thị 01/CT-TTg năm 2024 tại 21 xã, thị trấn biên giới",
        bdbp_ls_old,
        deadline=dt.date(2024, 3, 31),
        done_on=dt.date(2024, 3, 25),
        co=district_parties[:2],
    )
    _task(
        c001,
        2,
        "Tổ chức hội đàm định kỳ với lực lượng chức năng Trung Quốc",
        bdbp_ls_old,
        deadline=dt.date(2024, 6, 30),
        done_on=dt.date(2024, 7, 20),
    )
    _task(
        c001,
        3,
        "Báo cáo kết quả phối hợp đấu tranh chống buôn lậu, xuất nhập cảnh trái phép năm 2024",
        police_ls,
        deadline=dt.date(2024, 12, 10),
        co=[bdbp_ls_old],
    )
    a2023 = Agreement.objects.create(
        unit=ls,
        year=2023,
        signed_on=None,
        review_date=dt.date(2024, 1, 22),
        review_conference=c001,
        title="Quy chế phối hợp giữa Đảng ủy Bộ đội Biên phòng tỉnh Lạng Sơn và Huyện ủy 5 huyện biên giới năm 2023",
        summary="Trao đổi thông tin, tình hình; thống nhất chỉ đạo các nội dung công tác; tháo gỡ khó khăn, xử lý "
        "vụ việc phát sinh ở khu vực biên giới",
        source=S001,
    )
    a2023.parties.set(parties)
    a2024 = Agreement.objects.create(
        unit=ls,
        year=2024,
        signed_on=dt.date(2024, 1, 22),
        signing_conference=c001,
        previous=a2023,
        title="Quy chế phối hợp lãnh đạo, chỉ đạo nhiệm vụ trọng tâm năm 2024",
        summary="Ký kết giữa Bí thư Đảng ủy BĐBP tỉnh Lạng Sơn và bí thư Huyện ủy 5 huyện biên giới",
        source=S001,
    )
    a2024.parties.set(parties)

    c002 = _conference(
        unit=sl,
        committee=sl_c,
        kind="review_6m",
        date=dt.date(2020, 6, 26),
        place="Sơn La",
        title="Hội nghị sơ kết thực hiện công tác biên giới 6 tháng đầu năm, phương hướng, nhiệm vụ 6 tháng cuối "
        "năm 2020",
        chair="Tráng Thị Xuân",
        chair_post="Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch Thường trực UBND tỉnh, Trưởng Ban Chỉ đạo công tác "
        "biên giới tỉnh",
        participants="Thành viên Ban Chỉ đạo, thành viên Tổ giúp việc Ban Chỉ đạo",
        directives=DIRECTIVES_002,
        source=S002,
    )
    recon = ConferenceDecision.objects.create(
        conference=c002,
        kind="reconstitute",
        source=S002,
        summary="Kiện toàn Ban Chỉ đạo Công tác biên giới tỉnh Sơn La",
    )
    head = Membership.objects.filter(
        committee=sl_c, person__full_name="Tráng Thị Xuân", valid_from=dt.date(2019, 11, 29)
    ).first()
    if head:
        recon.memberships.set([head])
    ConferenceDecision.objects.create(
        conference=c002,
        kind="establish",
        source=S002,
        summary="Thành lập Tổ giúp việc Ban Chỉ đạo Công tác biên giới tỉnh Sơn La",
    )
    ConferenceDecision.objects.create(
        conference=c002,
        kind="regulation",
        source=S002,
        summary="Dự thảo quyết định ban hành quy chế tổ chức và hoạt động của Ban "
        "Chỉ đạo Công tác biên giới tỉnh Sơn La",
    )
    _task(
        c002,
        2,
        "Rà soát quy trình kiểm soát tại các cửa khẩu",
        bdbp_sl,
        deadline=dt.date(2020, 9, 30),
        done_on=dt.date(2020, 9, 28),
    )

    c003 = _conference(
        unit=sl,
        committee=sl_c,
        kind="regular",
        date=dt.date(2023, 8, 4),
        place="Sơn La",
        title="Hội nghị Ban Chỉ đạo Biên giới tỉnh Sơn La",
        chair="Hoàng Quốc Khánh",
        chair_post="Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo Biên giới tỉnh",
        participants="Các thành viên BCĐ, Thường trực các huyện có đường biên giới",
        directives=DIRECTIVES_003,
        source=S003,
    )
    _task(c003, 4, "Kiểm soát chặt chẽ xuất nhập cảnh tại cửa khẩu", police_sl, regular=True, co=[bdbp_sl])
    _task(c003, 3, "Báo cáo tình hình dân vận khu vực biên giới quý IV/2023", sngv_sl, deadline=dt.date(2023, 12, 14))

    c004 = _conference(
        unit=ls,
        committee=ls_c,
        kind="review_year",
        date=dt.date(2025, 12, 31),
        place="Lạng Sơn",
        title="Hội nghị tổng kết công tác quản lý, bảo vệ biên giới năm 2025 và triển khai nhiệm vụ năm 2026",
        chair="Đinh Hữu Học",
        chair_post="Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch Thường trực UBND tỉnh, Trưởng Ban Chỉ đạo công tác "
        "biên giới tỉnh",
        participants="Đại tá Đặng Văn Tuân, Phó Tham mưu trưởng Bộ tư lệnh Quân khu 1; Đại tá Nguyễn Văn Vạn, Phó "
        "Chính ủy Đoàn Kinh tế Quốc phòng 338; lãnh đạo các sở, ban, ngành; lãnh đạo UBND 11 xã biên "
        "giới và lãnh đạo 11 Đồn Biên phòng",
        reports_presented="Báo cáo tổng kết công tác quản lý, bảo vệ biên giới năm 2025; các báo cáo tham luận",
        conclusions="Đồng chí đề nghị, trong thời gian tới, các cấp, các ngành cần tiếp tục quán triệt ...",
        directives=DIRECTIVES_004,
        source=S004,
    )
    c004.participant_agencies.set([a for a in (sngv_ls, bdbp_ls, police_ls, board_ls, sct_ls) if a])
    _task(
        c004,
        4,
        "Hoàn thiện hạ tầng thí điểm cửa khẩu thông minh",
        board_ls,
        deadline=dt.date(2026, 6, 30),
        co=[sct_ls, bdbp_ls],
    )
    _task(c004, 3, "Xây dựng kế hoạch giao lưu, hợp tác với Quảng Tây năm 2026", sngv_ls, deadline=dt.date(2026, 1, 31))

    kinds = {k.code: k for k in CommendationKind.objects.all()}
    gk_sngv, _c = CommendationKind.objects.get_or_create(
        code="giay-khen-giam-doc-so-ngoai-vu",
        defaults={
            "name": "Giấy khen của Giám đốc Sở Ngoại vụ",
            "issuer_title": "Giám đốc Sở Ngoại vụ",
            "sort_order": 21,
        },
    )
    bk = kinds["bang-khen-chu-tich-ubnd-tinh"]
    quote = (
        "“04 tập thể và 06 cá nhân ... được Chủ tịch UBND tỉnh tặng Bằng khen, 07 tập thể và 07 cá nhân được "
        "Giám đốc Sở Ngoại vụ tỉnh Lạng Sơn tặng Giấy khen” — "
    )
    n = 0
    for kind, issuer, collectives, individuals in (
        (bk, "Chủ tịch UBND tỉnh Lạng Sơn", 4, 6),
        (gk_sngv, "Giám đốc Sở Ngoại vụ tỉnh Lạng Sơn", 7, 7),
    ):
        for rtype, count, label in (("collective", collectives, "Tập thể"), ("individual", individuals, "Cá nhân")):
            for i in range(1, count + 1):
                n += 1
                Commendation.objects.create(
                    unit=ls,
                    conference=c004,
                    kind=kind,
                    recipient_type=rtype,
                    issuer=issuer,
                    recipient_name=f"{label} minh họa {i} ({kind.name})",
                    decision_date=dt.date(2025, 12, 31),
                    reason="Thành tích xuất sắc trong công tác biên giới năm 2025",
                    is_demo=True,
                    source=quote + S004,
                )
    return {
        "conferences": Conference.objects.count(),
        "tasks": Task.objects.count(),
        "commendations": n,
        "agreements": Agreement.objects.count(),
    }
