from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    COUNTRY = "country", _("Quốc gia")
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    TOWN = "town", _("Thị trấn")


UNIT_LEVEL = {"country": 0, "province": 1, "district": 2, "commune": 3, "ward": 3, "town": 3}


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Sáp nhập")
    SPLIT = "split", _("Chia tách (một phần)")
    RENAME = "rename", _("Đổi tên")
    TRANSFER = "transfer", _("Chuyển cấp / chuyển trực thuộc")


class MemberRole(models.TextChoices):
    HEAD = "head", _("Trưởng ban")
    STANDING_DEPUTY = "standing_deputy", _("Phó Trưởng ban Thường trực")
    DEPUTY = "deputy", _("Phó Trưởng ban")
    MEMBER = "member", _("Thành viên")
    WORKING_GROUP = "working_group", _("Thành viên Tổ giúp việc")


SINGLE_HOLDER_ROLES = {MemberRole.HEAD, MemberRole.STANDING_DEPUTY}
