"""The demonstration forms: the annual and six-month reports of a province, the conference report at a
cut-off date and the monthly report of a border commune or station, with a few validation rules."""

from __future__ import annotations

from borderdesk.core.periods import PeriodSpec

from . import services
from .models import ReportForm, ValidationRule

NARR = [
    {"code": "general", "title": "Tình hình chung"},
    {"code": "results", "title": "Kết quả thực hiện theo lĩnh vực"},
    {"code": "shortcomings", "title": "Tồn tại, hạn chế và nguyên nhân"},
    {"code": "next_tasks", "title": "Phương hướng, nhiệm vụ kỳ tới"},
]

#: The core border indicators every province form carries (issue 11 part 3). Each is pre-filled from the
#: registries where one holds it (patrols, incidents by category, illegal crossings, markers, self-management,
#: propaganda, gates: see ``reporting.registry``) and consolidated from commune and station reports below.
CORE_PATROLS = {
    "code": "patrols",
    "title": "Tuần tra, kiểm soát biên giới",
    "indicators": ["PATROLS_BILATERAL", "PATROLS_UNILATERAL", "PATROLS_JOINT", "PATROLS_TOTAL"],
}
CORE_INCIDENTS = {"code": "incidents", "title": "Vụ việc trên biên giới, xuất nhập cảnh trái phép, buôn lậu",
                  "indicators": [
    "INCIDENTS_TOTAL", "INCIDENTS_MARKER_DAMAGE", "INCIDENTS_ENCROACHMENT", "INCIDENTS_CROSS_BORDER_CRIME",
    "INCIDENTS_EPIDEMIC", "INCIDENTS_NATURAL_DISASTER", "INCIDENTS_OTHER", "ILLEGAL_CROSSING_CASES",
    "ILLEGAL_CROSSING_PERSONS", "SMUGGLING_CASES", "SMUGGLED_GOODS_VALUE_VND"]}  # fmt: skip
CORE_MARKERS = {
    "code": "markers",
    "title": "Mốc quốc giới",
    "indicators": ["MARKER_INSPECTIONS", "MARKERS_DAMAGED", "MARKERS_REPAIRED"],
}
CORE_CODES = [c for s in (CORE_PATROLS, CORE_INCIDENTS, CORE_MARKERS) for c in s["indicators"]] + [
    "SELF_MGMT_HOUSEHOLDS",
    "PROPAGANDA_SESSIONS",
    "PROPAGANDA_LISTENERS",
    "PERSONS_EXIT",
    "PERSONS_ENTRY",
    "PERSONS_EXIT_ENTRY",
    "EXPORT_VALUE_USD",
    "IMPORT_VALUE_USD",
    "TRADE_VALUE_TOTAL_USD",
]

ANNUAL_SECTIONS = [
    {
        "code": "border",
        "title": "Đường biên giới, địa bàn",
        "indicators": ["BORDER_DISTRICTS", "BORDER_COMMUNES", "BORDER_STATIONS", "LEGAL_DOCUMENTS_IMPLEMENTED"],
    },
    CORE_PATROLS,
    CORE_INCIDENTS,
    CORE_MARKERS,
    {
        "code": "mass",
        "title": "Phong trào toàn dân bảo vệ biên giới (Chỉ thị 01)",
        "indicators": [
            "SELF_MGMT_COLLECTIVES",
            "SELF_MGMT_HOUSEHOLDS",
            "HOUSEHOLDS_TOTAL",
            "INSPECTION_ROADS_BUILT",
            "PATROL_ROAD_CLEARINGS",
            "PATROL_ROAD_CLEARING_PARTICIPANTS",
        ],
    },
    {
        "code": "propaganda",
        "title": "Tuyên truyền pháp luật",
        "indicators": [
            "PROPAGANDA_SESSIONS",
            "PROPAGANDA_LISTENERS",
            "PROPAGANDA_SMALL_GROUP_LISTENERS",
            "LEAFLETS_DISTRIBUTED",
            "LEGAL_DOCUMENT_SETS",
            "HOUSEHOLD_COMMITMENTS",
        ],
    },
    {
        "code": "gates",
        "title": "Cửa khẩu, xuất nhập khẩu, xuất nhập cảnh",
        "indicators": [
            "VEHICLES_PER_DAY_AVG",
            "VEHICLES_PER_DAY_PEAK",
            "TRADE_VALUE_TOTAL_USD",
            "TRADE_VALUE_DECLARED_LOCAL_USD",
            "LOCAL_EXPORT_VALUE_USD",
            "PERSONS_EXIT",
            "PERSONS_ENTRY",
            "PERSONS_EXIT_ENTRY",
            "EXPORT_VALUE_USD",
            "IMPORT_VALUE_USD",
            "EXPORT_VALUE_VND",
        ],
    },
    {
        "code": "awards",
        "title": "Khen thưởng",
        "indicators": [
            "COMMENDATION_COLLECTIVES_PROVINCE",
            "COMMENDATION_INDIVIDUALS_PROVINCE",
            "COMMENDATION_COLLECTIVES_DEPT",
            "COMMENDATION_INDIVIDUALS_DEPT",
        ],
    },
]
MONTHLY_SECTIONS = [
    {
        "code": "patrols",
        "title": "Tuần tra, quản lý biên giới",
        "indicators": [
            "PATROLS_BILATERAL",
            "PATROLS_UNILATERAL",
            "PATROLS_JOINT",
            "PATROLS_TOTAL",
            "INCIDENTS_TOTAL",
            "PATROL_ROAD_CLEARINGS",
        ],
    },
    {
        "code": "incidents",
        "title": "Xuất nhập cảnh trái phép, buôn lậu",
        "indicators": [
            "ILLEGAL_CROSSING_CASES",
            "ILLEGAL_CROSSING_PERSONS",
            "SMUGGLING_CASES",
            "SMUGGLED_GOODS_VALUE_VND",
        ],
    },
    CORE_MARKERS,
    {
        "code": "mass",
        "title": "Tự quản đường biên, tuyên truyền",
        "indicators": ["SELF_MGMT_HOUSEHOLDS", "HOUSEHOLDS_TOTAL", "PROPAGANDA_SESSIONS", "PROPAGANDA_LISTENERS"],
    },
    {"code": "gates", "title": "Xuất nhập cảnh", "indicators": ["PERSONS_EXIT", "PERSONS_ENTRY"]},
]


def create_forms(admin) -> dict[str, ReportForm]:
    province_reporters = {
        "unit_kinds": ["province"],
        "agency_kinds": ["border_guard_command", "department_foreign_affairs"],
    }
    specs = {
        "bc-nam": (
            "Báo cáo tổng kết công tác biên giới năm",
            ANNUAL_SECTIONS,
            PeriodSpec("year", "decree09"),
            province_reporters,
            5,
        ),
        "bc-6-thang": (
            "Báo cáo sơ kết công tác biên giới 6 tháng",
            ANNUAL_SECTIONS,
            PeriodSpec("H1", "decree09"),
            province_reporters,
            5,
        ),
        "bc-hoi-nghi": (
            "Báo cáo phục vụ hội nghị Ban Chỉ đạo (số liệu tính đến ngày chốt)",
            ANNUAL_SECTIONS,
            PeriodSpec("cutoff", "custom", base_rule="calendar"),
            province_reporters,
            3,
        ),
        "bc-xa-thang": (
            "Báo cáo tháng của xã biên giới và đồn biên phòng",
            MONTHLY_SECTIONS,
            PeriodSpec("month", "decree09"),
            {"unit_kinds": ["commune", "town"], "border_only": True, "agency_kinds": ["border_guard_station"]},
            2,
        ),
    }
    forms = {}
    for code, (name, sections, spec, reporters, days) in specs.items():
        v = services.form_version_create(
            user=None,
            code=code,
            name=name,
            sections=sections,
            narrative_sections=NARR,
            period_spec=spec,
            reporter_spec=reporters,
            deadline_working_days=days,
            lock_days=60 if code in ("bc-nam", "bc-6-thang") else None,
        )
        forms[code] = v.form
    rules = [
        (None, "Hộ tự quản không vượt tổng số hộ", "SELF_MGMT_HOUSEHOLDS", "<=", "HOUSEHOLDS_TOTAL", "error"),
        (None, "Cao điểm không thấp hơn trung bình", "VEHICLES_PER_DAY_PEAK", ">=", "VEHICLES_PER_DAY_AVG", "error"),
        (
            None,
            "Kim ngạch mở tờ khai tại tỉnh không vượt tổng kim ngạch",
            "TRADE_VALUE_DECLARED_LOCAL_USD",
            "<=",
            "TRADE_VALUE_TOTAL_USD",
            "error",
        ),
        (
            None,
            "Người nghe nhỏ lẻ thường ít hơn người nghe tập trung",
            "PROPAGANDA_SMALL_GROUP_LISTENERS",
            "<=",
            "PROPAGANDA_LISTENERS",
            "warning",
        ),
    ]
    for form, name, left, op, right, sev in rules:
        r = ValidationRule(form=form, name=name, left=left, operator=op, right=right, severity=sev)
        r.full_clean()
        r.save()
    return forms
