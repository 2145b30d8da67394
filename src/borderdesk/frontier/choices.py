"""Enumerations of the frontier app (lists the standing office maintains are lookup tables), and the order
of marker numbers."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImpactLevel(models.TextChoices):
    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")


class MarkerKind(models.TextChoices):
    MAIN = "main", _("Mốc chính")
    SUB = "sub", _("Mốc phụ")
    STAKE = "stake", _("Cọc dấu")


class MarkerArrangement(models.TextChoices):
    SINGLE = "single", _("Mốc đơn")
    DOUBLE = "double", _("Mốc đôi")
    TRIPLE = "triple", _("Mốc ba")


class MarkerState(models.TextChoices):
    INTACT = "intact", _("Nguyên trạng")
    DAMAGED = "damaged", _("Hư hỏng")
    DISPLACED = "displaced", _("Xê dịch")
    LOST = "lost", _("Mất")
    REPAIRED = "repaired", _("Đã sửa chữa")
    UNKNOWN = "unknown", _("Chưa kiểm tra")


#: States counted as "intact" / "damaged" by the derived figures.
GOOD_STATES = (MarkerState.INTACT, MarkerState.REPAIRED)
BAD_STATES = (MarkerState.DAMAGED, MarkerState.DISPLACED, MarkerState.LOST)


class RoadKind(models.TextChoices):
    PATROL = "patrol", _("Đường tuần tra")
    INSPECTION = "inspection", _("Đường kiểm tra cột mốc")


class PatrolKind(models.TextChoices):
    BILATERAL = "bilateral", _("Song phương")
    UNILATERAL = "unilateral", _("Đơn phương")
    JOINT = "joint", _("Phối hợp")
    CLOSED_LOOP = "closed_loop", _("Khép kín")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("Mới báo cáo")
    VERIFIED = "verified", _("Đã xác minh")
    HANDLING = "handling", _("Đang xử lý")
    RESOLVED = "resolved", _("Đã giải quyết")
    CLOSED = "closed", _("Đã kết thúc")


class HandlingMode(models.TextChoices):
    INTERNAL = "internal", _("Lực lượng trong nước xử lý")
    EXCHANGE = "exchange", _("Trao đổi với phía bạn")
    TALKS = "talks", _("Hội đàm với phía bạn")


class ResolutionLevel(models.TextChoices):
    GRASSROOTS = "grassroots", _("Giải quyết dứt điểm ở cơ sở")
    ESCALATED = "escalated", _("Báo cáo cấp trên giải quyết")


#: Allowed lifecycle steps: from-state -> allowed to-states.
INCIDENT_TRANSITIONS = {
    IncidentStatus.REPORTED: (IncidentStatus.VERIFIED,),
    IncidentStatus.VERIFIED: (IncidentStatus.HANDLING, IncidentStatus.RESOLVED),
    IncidentStatus.HANDLING: (IncidentStatus.RESOLVED,),
    IncidentStatus.RESOLVED: (IncidentStatus.CLOSED, IncidentStatus.HANDLING),
    IncidentStatus.CLOSED: (),
}


class RegistrantKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    HOUSEHOLD = "household", _("Hộ gia đình")
    INDIVIDUAL = "individual", _("Cá nhân")


#: indicator -> (seeded category code, description): the reports' columns. Categories are data: each links to
#: its indicator (IncidentCategory.indicator_code, maintained by administrators), and the figure counts the
#: incidents of every category linked to it.
CATEGORY_INDICATORS = {
    "ILLEGAL_CROSSING_CASES": ("illegal_crossing", "Vụ xuất cảnh, nhập cảnh trái phép"),
    "SMUGGLING_CASES": ("smuggling", "Vụ buôn lậu, vận chuyển hàng cấm"),
    "INCIDENTS_MARKER_DAMAGE": ("marker_damage", "Vụ xâm hại mốc quốc giới"),
    "INCIDENTS_ENCROACHMENT": ("encroachment", "Vụ xâm canh, xâm cư, lấn chiếm"),
    "INCIDENTS_CROSS_BORDER_CRIME": ("cross_border_crime", "Vụ tội phạm xuyên biên giới"),
    "INCIDENTS_EPIDEMIC": ("epidemic", "Vụ dịch bệnh, dịch bệnh động vật"),
    "INCIDENTS_NATURAL_DISASTER": ("natural_disaster", "Vụ thiên tai"),
    "INCIDENTS_OTHER": ("other", "Vụ việc khác"),
}


def validate_category_indicator(code: str) -> None:
    """An incident category links to an indicator that counts incidents by category, one in the catalogue."""
    from borderdesk.reporting.models import Indicator

    if code not in CATEGORY_INDICATORS:
        raise ValidationError(
            {
                "indicator_code": _("“%(c)s” không phải chỉ tiêu đếm vụ việc theo loại (dùng một trong: %(ok)s).")
                % {"c": code, "ok": ", ".join(sorted(CATEGORY_INDICATORS))}
            }
        )
    if not Indicator.objects.filter(code=code).exists():
        raise ValidationError(
            {"indicator_code": _("Chỉ tiêu “%(c)s” không có trong danh mục chỉ tiêu báo cáo.") % {"c": code}}
        )


def marker_sort_key(number: str) -> int:
    """ "1088/2" -> 1088002, "1116" -> 1116000; text without digits sorts first."""
    m = re.match(r"\s*(\d+)(?:\s*/\s*(\d+))?", number or "")
    if not m:
        return 0
    return int(m.group(1)) * 1000 + int(m.group(2) or 0)
