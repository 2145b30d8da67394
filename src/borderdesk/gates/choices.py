"""Choices for border gates (Decree 112/2014/NĐ-CP as amended by 34/2023 and 299/2025)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GateKind(models.TextChoices):
    INTERNATIONAL = "international", _("Cửa khẩu quốc tế")
    MAIN = "main", _("Cửa khẩu chính (song phương)")
    AUXILIARY = "auxiliary", _("Cửa khẩu phụ")
    OPENING = "opening", _("Lối mở")
    BORDER_MARKET = "border_market", _("Lối mở chợ biên giới")
    GOODS_LANE = "goods_lane", _("Đường chuyên dụng vận chuyển hàng hóa")


class GateMode(models.TextChoices):
    ROAD = "road", _("Đường bộ")
    RAIL = "rail", _("Đường sắt")
    RIVER = "river", _("Đường thủy nội địa")


class OfficialStatus(models.TextChoices):
    OFFICIAL = "official", _("Chính thức")
    PROVISIONAL = "provisional", _("Tạm thời (chưa mở chính thức)")


class OperatingStatus(models.TextChoices):
    OPEN = "open", _("Hoạt động")
    SUSPENDED = "suspended", _("Tạm dừng")


class StatChannel(models.TextChoices):
    FORM = "form", _("Nhập trên biểu mẫu")
    IMPORT = "import", _("Nhập từ tệp CSV/XLSX")
    API = "api", _("Hệ thống cửa khẩu gửi qua API")
    LOG = "log", _("Tổng hợp từ nhật ký qua lại")


class ImportStatus(models.TextChoices):
    DONE = "done", _("Đã nhập")
    REJECTED = "rejected", _("Bị từ chối")
