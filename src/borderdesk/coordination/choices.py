from django.db import models
from django.utils.translation import gettext_lazy as _


class ConferenceKind(models.TextChoices):
    REVIEW_6M = "review_6m", _("Hội nghị sơ kết 6 tháng")
    REVIEW_YEAR = "review_year", _("Hội nghị tổng kết năm")
    REGULAR = "regular", _("Phiên họp định kỳ")
    BRIEFING = "briefing", _("Giao ban với nước bạn")
    TALKS = "talks", _("Hội đàm")
    SIGNING = "signing", _("Ký kết quy chế phối hợp")


class DecisionKind(models.TextChoices):
    RECONSTITUTE = "reconstitute", _("Kiện toàn Ban Chỉ đạo")
    ESTABLISH = "establish", _("Thành lập tổ chức giúp việc")
    REGULATION = "regulation", _("Ban hành quy chế")
    OTHER = "other", _("Khác")


class TaskStatus(models.TextChoices):
    """Task statuses under QĐ 42/2014/QĐ-TTg (amended by QĐ 23/2018)."""

    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    OPEN_IN_TERM = "open_in_term", _("Đang thực hiện trong hạn")
    OVERDUE = "overdue", _("Quá hạn chưa hoàn thành")


class RecipientType(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
