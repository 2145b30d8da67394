"""Demonstration reports: the figures of the five seeds, each with its exact quote, plus marked history.

Seed figures carry ``source_quote`` and ``source`` (the article). Values that no source states — earlier
history added so that same-period comparisons show, and figures derived from a stated growth rate —
are marked ``is_demo=True`` and say how they were made in their comment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from borderdesk.accounts.models import User

from . import services, targets, window, workflow
from .demo_forms import create_forms
from .models import Indicator, Submission

SEED_000 = "seed 000 — Sở Ngoại vụ Lạng Sơn, Hội nghị sơ kết 6 tháng đầu năm 2021 (24/6/2021)"
SEED_001 = "seed 001 — Hội nghị sơ kết quy chế phối hợp năm 2023, BĐBP tỉnh Lạng Sơn (22/1/2024)"
SEED_002 = "seed 002 — Sơn La, Hội nghị sơ kết công tác biên giới 6 tháng đầu năm 2020 (26/6/2020)"
SEED_003 = (
    "seed 003 — https://thongtindoingoai.sonla.gov.vn/"
    "content-30-hoi-nghi-ban-chi-dao-bien-gioi-tinh-son-la.html (4/8/2023)"
)
SEED_004 = (
    "seed 004 — http://songv.langson.gov.vn/tin-tuc-su-kien/tin-hoat-dong/hoi-nghi-tong-ket-cong-tac-quan-ly-"
    "bien-gioi-nam-2025-trien-khai-nhiem-vu-nam-2026.html (31/12/2025)"
)

# Demonstration narratives of Xã Đồng Đăng's monthly reports (months 7–12 of 2025), each month its own.
DONG_DANG_MONTHS = {
    7: "Tháng đầu hoạt động theo mô hình chính quyền địa phương hai cấp, xã phối hợp Đồn Biên phòng Cửa khẩu "
    "quốc tế Hữu Nghị tuần tra song phương {bi} lượt, đơn phương {uni} lượt; bàn giao hồ sơ tự quản đường "
    "biên, cột mốc từ thị trấn Đồng Đăng và xã Thụy Hùng cũ.",
    8: "Mưa lớn gây sạt lở một đoạn đường tuần tra; xã huy động lực lượng phát quang, khắc phục; tổ chức {ses} "
    "buổi tuyên truyền cho {lis} lượt người về phòng, chống xuất nhập cảnh trái phép.",
    9: "Dịp Quốc khánh 2/9, xã tăng cường tuần tra đơn phương {uni} lượt; không để xảy ra vụ việc phức tạp "
    "trên tuyến biên giới.",
    10: "Xã kiện toàn các tổ tự quản đường biên, cột mốc sau sáp nhập; tuần tra song phương {bi} lượt; "
    "{ses} buổi tuyên truyền pháp luật về biên giới với {lis} lượt người nghe.",
    11: "Phối hợp kiểm tra hệ thống mốc quốc giới trên địa bàn, các mốc được kiểm tra còn nguyên trạng; "
    "tuần tra đơn phương {uni} lượt.",
    12: "Tổng kết công tác năm 2025 ở cơ sở; tình hình an ninh, trật tự khu vực cửa khẩu ổn định, "
    "hoạt động thông quan thông suốt; tuần tra song phương {bi} lượt.",
}


def _v(value, quote="", qualifier="", *, demo=False, comment=""):
    return {
        "value": Decimal(str(value)),
        "source_quote": quote,
        "qualifier": qualifier,
        "is_demo": demo,
        "comment": comment,
    }


def _report(
    admin,
    form,
    period_key,
    *,
    unit=None,
    agency=None,
    values=None,
    narratives=None,
    source="",
    demo=False,
    status="approved",
):
    sub = services.submission_create(
        user=admin, form=form, period_key=period_key, unit=unit, agency=agency, is_demo=demo, source=source
    )
    services.submission_save(
        user=admin, submission=sub, values=values or {}, narratives=narratives or {}, enforce_lock=False
    )
    if status in ("submitted", "approved"):
        workflow.submission_submit(user=admin, submission=sub, enforce_lock=False)
    if status == "approved":
        while sub.status == "submitted":
            workflow.submission_approve(user=admin, submission=sub, comment="Dữ liệu minh họa" if demo else "")
    if status in ("submitted", "approved"):
        _backdate(sub)
    return sub


def _backdate(sub) -> None:
    """Demo history is loaded today; date its sending the working day before its deadline (approval the
    day after) so that timeliness statistics describe the demonstration, not the day it was loaded.
    Past reports only; the workflow steps keep their real times."""
    sub.refresh_from_db()
    deadline = window.deadline_for(sub.form_version, sub.period)
    if deadline >= timezone.localdate():
        return
    sent = timezone.make_aware(dt.datetime.combine(deadline - dt.timedelta(days=1), dt.time(9, 0)))
    fields = {"submitted_at": sent}
    if sub.approved_at:
        fields["approved_at"] = sent + dt.timedelta(days=1)
    Submission.objects.filter(pk=sub.pk).update(**fields)


def load(*, index, agencies, committees) -> dict:
    services.catalogue_load()
    admin = User.objects.get(username="admin")
    forms = create_forms(admin)
    ls, sl = index.provinces["Lạng Sơn"], index.provinces["Sơn La"]
    count = 0

    # Seed 004: Lạng Sơn, year 2025 (figures "tính đến ngày 30/11/2025" in the article).
    q4_trade = (
        "Tính đến ngày 30/11/2025, tổng kim ngạch xuất nhập khẩu hàng hóa của tất cả các loại hình qua địa "
        "bàn tỉnh đạt trên 86 tỷ USD, tăng 44% so với cùng kỳ"
    )
    q4_decl = "kim ngạch hàng hoá mở tờ khai tại Lạng Sơn đạt 6,73 tỷ USD, tăng gần 30% so với cùng kỳ"
    q4_local = "Kim ngạch hàng địa phương xuất khẩu ước 183 triệu USD, đạt 100% kế hoạch, tăng 8% so với cùng kỳ"
    q4_people = "Lãnh đạo UBND 11 xã biên giới và Lãnh đạo 11 Đồn Biên phòng trên địa bàn tỉnh"
    q4_awards = (
        "04 tập thể và 06 cá nhân có thành tích xuất sắc trong công tác biên giới năm 2025 được Chủ tịch UBND "
        "tỉnh tặng Bằng khen, 07 tập thể và 07 cá nhân được Giám đốc Sở Ngoại vụ tỉnh Lạng Sơn tặng Giấy khen"
    )
    _report(
        admin,
        forms["bc-nam"],
        "2025",
        unit=ls,
        source=SEED_004,
        values={
            "VEHICLES_PER_DAY_AVG": _v(1700, "năm 2025 trung bình đạt khoảng 1.700 lượt xe/ngày", "about"),
            "VEHICLES_PER_DAY_PEAK": _v(2000, "cao điểm đạt tới trên 2.000 lượt xe/ngày", "over"),
            "TRADE_VALUE_TOTAL_USD": _v(86_000_000_000, q4_trade, "over"),
            "TRADE_VALUE_DECLARED_LOCAL_USD": _v(6_730_000_000, q4_decl),
            "LOCAL_EXPORT_VALUE_USD": _v(183_000_000, q4_local, "about"),
            "BORDER_COMMUNES": _v(11, q4_people),
            "BORDER_STATIONS": _v(11, q4_people),
            "LEGAL_DOCUMENTS_IMPLEMENTED": _v(
                3, "03 văn kiện pháp lý về biên giới trên đất liền Việt Nam - Trung Quốc"
            ),
            "COMMENDATION_COLLECTIVES_PROVINCE": _v(4, q4_awards),
            "COMMENDATION_INDIVIDUALS_PROVINCE": _v(6, q4_awards),
            "COMMENDATION_COLLECTIVES_DEPT": _v(7, q4_awards),
            "COMMENDATION_INDIVIDUALS_DEPT": _v(7, q4_awards),
        },
        narratives={
            "general": (
                "Trong năm 2025, tình hình tuyến biên giới đất liền Việt Nam – Trung Quốc thuộc địa bàn tỉnh Lạng "
                "Sơn tiếp tục được duy trì ổn định; an ninh chính trị, trật tự an toàn xã hội khu vực biên giới "
                "được "
                "giữ vững. Bộ máy cấp ủy, chính quyền tại 11 xã biên giới đã nhanh chóng đi vào hoạt động ổn định "
                "từ ngày 01/7/2025."
            ),
            "results": (
                "Hợp tác kinh tế thương mại biên giới và quản lý cửa khẩu được đẩy mạnh; hoạt động xuất, nhập khẩu "
                "qua địa bàn ổn định, hiệu suất thông quan ngày càng tăng."
            ),
            "next_tasks": (
                "Tập trung xây dựng hạ tầng phục vụ triển khai thực hiện Đề án xây dựng thí điểm cửa khẩu thông "
                "minh; phát huy hiệu quả các cơ chế hợp tác hiện có giữa tỉnh Lạng Sơn và Quảng Tây."
            ),
        },
    )
    count += 1
    # History 2024 derived from the growth rates stated in seed 004 (demo values; the 2024 report is not public).
    derived = "Suy ra từ tỷ lệ tăng nêu trong nguồn (giá trị 2025 ÷ (1 + tỷ lệ tăng)); dữ liệu minh họa."
    _report(
        admin,
        forms["bc-nam"],
        "2024",
        unit=ls,
        demo=True,
        values={
            "TRADE_VALUE_TOTAL_USD": _v("59720000000", demo=True, comment=derived),
            "TRADE_VALUE_DECLARED_LOCAL_USD": _v("5180000000", demo=True, comment=derived),
            "LOCAL_EXPORT_VALUE_USD": _v("169440000", demo=True, comment=derived),
            "VEHICLES_PER_DAY_AVG": _v(1450, demo=True, comment="Dữ liệu minh họa."),
            "VEHICLES_PER_DAY_PEAK": _v(1800, demo=True, comment="Dữ liệu minh họa."),
            "BORDER_COMMUNES": _v(21, demo=True, comment="Dữ liệu minh họa (trước sắp xếp đơn vị hành chính)."),
        },
    )
    count += 1
    targets.target_set(
        user=admin,
        indicator=Indicator.objects.get(code="LOCAL_EXPORT_VALUE_USD"),
        unit=ls,
        period_key="2025",
        value=Decimal(183_000_000),
        source=SEED_004,
        note="Kế hoạch năm 2025 (nguồn nêu đạt 100% kế hoạch)",
    )

    # Seed 001: Lạng Sơn Border Guard, year 2023.
    bg = agencies.get("Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn")
    q1a = "duy trì 24 tập thể và 885 hộ gia đình đăng ký phối hợp với BĐBP tham gia quản lý đường biên, cột mốc"
    q1b = "huy động các nguồn lực xây dựng được 173 đường kiểm tra cột mốc, bảo vệ biên giới"
    q1c = (
        "tổ chức phát quang, tu sửa đường tuần tra, đường thông tầm nhìn biên giới được 394 lần, với 3.848 lượt "
        "người tham gia"
    )
    q1d = (
        "tổ chức tuyên truyền hơn 300 buổi, cho trên 14.000 lượt người dự nghe, tuyên truyền nhỏ lẻ cho trên 9.300 "
        "lượt người"
    )
    _report(
        admin,
        forms["bc-nam"],
        "2023",
        agency=bg,
        source=SEED_001,
        values={
            "SELF_MGMT_COLLECTIVES": _v(24, q1a),
            "SELF_MGMT_HOUSEHOLDS": _v(885, q1a),
            "INSPECTION_ROADS_BUILT": _v(173, q1b),
            "PATROL_ROAD_CLEARINGS": _v(394, q1c),
            "PATROL_ROAD_CLEARING_PARTICIPANTS": _v(3848, q1c),
            "PROPAGANDA_SESSIONS": _v(300, q1d, "more_than"),
            "PROPAGANDA_LISTENERS": _v(14000, q1d, "over"),
            "PROPAGANDA_SMALL_GROUP_LISTENERS": _v(9300, q1d, "over"),
            "LEAFLETS_DISTRIBUTED": _v(22000, "phát gần 22.000 tờ rơi tuyên truyền", "nearly"),
            "LEGAL_DOCUMENT_SETS": _v(350, "350 bộ tài liệu tuyên truyền pháp luật"),
            "HOUSEHOLD_COMMITMENTS": _v(
                13820, "tổ chức cho trên 13.820 hộ gia đình ký kết chấp hành các quy định của pháp luật", "over"
            ),
            "BORDER_COMMUNES": _v(21, "cấp ủy, chính quyền, tổ chức đoàn thể 21 xã, thị trấn biên giới"),
            "BORDER_DISTRICTS": _v(5, "Huyện ủy 5 huyện biên giới tỉnh Lạng Sơn"),
        },
        narratives={
            "general": (
                "Năm 2023, Ban Thường vụ Đảng ủy BĐBP tỉnh Lạng Sơn và thường trực Huyện ủy 5 huyện biên giới luôn "
                "duy trì cơ chế trao đổi thông tin, tình hình với nhiều hình thức để thống nhất chỉ đạo, thực hiện "
                "các nội dung công tác."
            ),
            "results": "Triển khai mô hình “Lũy tre biên giới Việt”, “Thắp sáng đường tuần tra biên giới” đạt kết quả "
            "tích cực.",
        },
    )
    demo = "Dữ liệu minh họa."
    _report(
        admin,
        forms["bc-nam"],
        "2022",
        agency=bg,
        demo=True,
        values={
            "SELF_MGMT_COLLECTIVES": _v(22, demo=True, comment=demo),
            "SELF_MGMT_HOUSEHOLDS": _v(860, demo=True, comment=demo),
            "INSPECTION_ROADS_BUILT": _v(150, demo=True, comment=demo),
            "PATROL_ROAD_CLEARINGS": _v(360, demo=True, comment=demo),
            "PROPAGANDA_SESSIONS": _v(280, demo=True, comment=demo),
            "PROPAGANDA_LISTENERS": _v(12500, demo=True, comment=demo),
            "HOUSEHOLD_COMMITMENTS": _v(13000, demo=True, comment=demo),
        },
    )
    count += 2

    # Seed 003: Sơn La, figures from the start of 2023 to the meeting of 4/8/2023.
    q3 = (
        "đã làm thủ tục xuất cảnh vùng biên giới cho trên 23.000 lượt người, nhập cảnh gần 28.000 lượt người, cùng "
        "hàng chục nghìn phương tiện và hàng hóa"
    )
    q3x = (
        "Giá trị xuất khẩu hàng hóa giữa tỉnh Sơn La và các tỉnh nước bạn Lào ước đạt trên 750.000 USD tương đương "
        "trên 17 tỷ đồng"
    )
    _report(
        admin,
        forms["bc-hoi-nghi"],
        "C20230804",
        unit=sl,
        source=SEED_003,
        values={
            "PERSONS_EXIT": _v(23000, q3, "over"),
            "PERSONS_ENTRY": _v(28000, q3, "nearly"),
            "EXPORT_VALUE_USD": _v(750000, q3x, "over"),
            "EXPORT_VALUE_VND": _v(17_000_000_000, q3x, "over"),
        },
        narratives={
            "general": (
                "Chủ quyền lãnh thổ quốc gia, hệ thống đường biên giới, mốc quốc giới, cọc dấu biên giới đảm bảo an "
                "toàn, nguyên trạng; an ninh chính trị, trật tự an toàn xã hội khu vực biên giới ổn định."
            ),
            "next_tasks": (
                "Tiếp tục kiểm soát chặt chẽ hoạt động, xuất nhập cảnh; duy trì công tác bám nắm địa bàn, bảo "
                "đảm "
                "an ninh trật tự vùng biên giới; bảo vệ đường biên, mốc giới."
            ),
        },
    )
    _report(
        admin,
        forms["bc-hoi-nghi"],
        "C20220804",
        unit=sl,
        demo=True,
        values={
            "PERSONS_EXIT": _v(15000, demo=True, comment=demo),
            "PERSONS_ENTRY": _v(17500, demo=True, comment=demo),
            "EXPORT_VALUE_USD": _v(610000, demo=True, comment=demo),
        },
    )
    count += 2

    # Seed 000 and 002: six-month reviews (narratives).
    _report(
        admin,
        forms["bc-6-thang"],
        "2021H1",
        unit=ls,
        source=SEED_000,
        values={
            "LEGAL_DOCUMENTS_IMPLEMENTED": _v(
                3, "triển khai 03 văn kiện pháp lý về biên giới trên đất liền Việt Nam - Trung Quốc trong thời gian tới"
            ),
        },
        narratives={
            "general": "Trong 6 tháng đầu năm 2021, công tác quản lý nhà nước về biên giới, lãnh thổ quốc gia tiếp tục "
            "được "
            "tỉnh quan tâm, chỉ đạo triển khai hiệu quả trong bối cảnh diễn biến phức tạp của dịch bệnh "
            "Covid-19.",
            "results": (
                "Các vụ việc trên biên giới đã được phát hiện kịp thời và hai bên phối hợp giải quyết ổn thỏa trên "
                "tinh thần hữu nghị. Quan hệ giao lưu hợp tác giữa Lạng Sơn và Quảng Tây được tăng cường."
            ),
            "shortcomings": "Một số vấn đề còn tồn tại, vướng mắc, phát sinh chưa được giải quyết dứt điểm.",
            "next_tasks": (
                "Tăng cường công tác nắm tình hình, tổ chức tuần tra, kiểm soát, xử lý kịp thời, dứt điểm các vụ "
                "việc xảy ra trên biên giới ngay ở cấp cơ sở."
            ),
        },
    )
    _report(
        admin,
        forms["bc-6-thang"],
        "2020H1",
        unit=sl,
        source=SEED_002,
        narratives={
            "general": "Các cơ quan thành viên Ban Chỉ đạo đã thực hiện thường xuyên công tác tuyên truyền pháp luật "
            "trên địa "
            "bàn vùng biên giới; tăng cường phối hợp với lực lượng chuyên trách của tỉnh Hủa Phăn, Luông Pha "
            "Bang "
            "duy trì tuần tra bảo vệ đường biên giới, cột mốc.",
            "next_tasks": (
                "Quán triệt thực hiện tốt Nghị định số 03/2019/NĐ-CP; duy trì, tổ chức thực hiện nghiêm công tác "
                "kiểm soát tại các cửa khẩu; đẩy mạnh tuyên truyền pháp luật trên địa bàn vùng biên giới."
            ),
        },
    )
    count += 2

    # Monthly commune and station reports (demo) across the 1/7/2025 reform.
    monthly = forms["bc-xa-thang"]
    dong_dang = index.new_by_name[("xã đồng đăng", ls.name)]
    quoc_khanh = index.new_by_name[("xã quốc khánh", ls.name)]
    tt_dong_dang = index.by_key[("thị trấn đồng đăng", "huyện cao lộc")]
    thuy_hung = index.by_key.get(("xã thụy hùng", "huyện cao lộc"))
    huu_nghi = agencies.get("Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị")

    def month_values(base: int, m: int):
        return {
            "PATROLS_BILATERAL": _v(2 + (m % 2), demo=True),
            "PATROLS_UNILATERAL": _v(6 + m % 3, demo=True),
            "PROPAGANDA_SESSIONS": _v(3 + m % 4, demo=True),
            "PROPAGANDA_LISTENERS": _v(base + 10 * m, demo=True),
            "SELF_MGMT_HOUSEHOLDS": _v(base // 2, demo=True),
            "HOUSEHOLDS_TOTAL": _v(base * 2, demo=True),
        }

    for year, months in ((2024, range(1, 13)), (2025, range(1, 7))):
        for m in months:
            for unit_, base in ((tt_dong_dang, 180), (thuy_hung, 90)):
                if unit_ is None:
                    continue
                _report(admin, monthly, f"{year}M{m:02d}", unit=unit_, demo=True, values=month_values(base, m))
                count += 1
    for m in range(7, 13):
        _report(
            admin,
            monthly,
            f"2025M{m:02d}",
            unit=dong_dang,
            demo=True,
            values=month_values(300, m),
            narratives={
                "general": DONG_DANG_MONTHS[m].format(bi=2 + m % 2, uni=6 + m % 3, ses=3 + m % 4, lis=300 + 10 * m)
                + " (minh họa)"
            },
        )
        _report(
            admin,
            monthly,
            f"2025M{m:02d}",
            agency=huu_nghi,
            demo=True,
            status="submitted" if m == 12 else "approved",
            values={
                "PERSONS_EXIT": _v(21000 + 500 * m, demo=True),
                "PERSONS_ENTRY": _v(20500 + 450 * m, demo=True),
                "PATROLS_BILATERAL": _v(1, demo=True),
            },
        )
        count += 2
    _report(admin, monthly, "2025M12", unit=quoc_khanh, demo=True, status="submitted", values=month_values(150, 12))
    # The current draft for the demo reporter of Xã Đồng Đăng.
    _report(
        admin,
        monthly,
        "2026M01",
        unit=dong_dang,
        demo=True,
        status="draft",
        values={"PATROLS_BILATERAL": _v(2, demo=True), "PROPAGANDA_SESSIONS": _v(4, demo=True)},
    )
    count += 2
    return {"submissions": Submission.objects.count(), "indicators": Indicator.objects.count(), "created": count}
