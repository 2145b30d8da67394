from django.db import models
from django.utils.translation import gettext_lazy as _


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Số nguyên")
    DECIMAL = "decimal", _("Số thập phân")
    PERCENT = "percent", _("Tỷ lệ %")
    TEXT = "text", _("Văn bản")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng")
    AVERAGE = "average", _("Trung bình")
    MAX = "max", _("Lớn nhất")
    MIN = "min", _("Nhỏ nhất")
    LATEST = "latest", _("Số liệu mới nhất")
    NONE = "none", _("Không tổng hợp")


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Trả lại")


class Severity(models.TextChoices):
    ERROR = "error", _("Lỗi")
    WARNING = "warning", _("Cảnh báo")


class Operator(models.TextChoices):
    LE = "<=", "≤"
    LT = "<", "<"
    GE = ">=", "≥"
    GT = ">", ">"
    EQ = "==", "="
    NE = "!=", "≠"


class Transition(models.TextChoices):
    CREATE = "create", _("Tạo")
    SAVE = "save", _("Lưu")
    SUBMIT = "submit", _("Gửi")
    APPROVE = "approve", _("Duyệt")
    RETURN = "return", _("Trả lại")
    REOPEN = "reopen", _("Mở lại")
    LOCK_EXCEPTION = "lock_exception", _("Cho phép nhập sau hạn")
    IMPORT = "import", _("Nhập từ Excel")
    PREFILL = "prefill", _("Điền từ sổ theo dõi")


#: Vietnamese narrative sections of a "mẫu đề cương" (outline) — the default for a new form.
DEFAULT_NARRATIVE_SECTIONS = [
    {"code": "general", "title": "Tình hình chung"},
    {"code": "results", "title": "Kết quả thực hiện theo lĩnh vực"},
    {"code": "shortcomings", "title": "Tồn tại, hạn chế và nguyên nhân"},
    {"code": "next_tasks", "title": "Phương hướng, nhiệm vụ kỳ tới"},
]

#: The national catalogue's indicator groups (``Indicator.group`` holds the key, which validation rules name as
#: ``group:<key>``) in the interface's words; a province's own group is shown as typed.
INDICATOR_GROUPS = {
    "border_line": _("Đường biên, mốc giới"),
    "patrols": _("Tuần tra, kiểm soát"),
    "incidents": _("Vụ việc, vi phạm"),
    "gates_trade": _("Cửa khẩu, thương mại"),
    "propaganda": _("Tuyên truyền pháp luật"),
    "mass_movement": _("Dân vận, phong trào quần chúng"),
    "foreign_affairs": _("Đối ngoại, hợp tác"),
    "commendations": _("Khen thưởng"),
}
