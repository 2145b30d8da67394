"""Choices of the extraction review queue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Chờ xem xét")
    ACCEPTED = "accepted", _("Đã chấp nhận")
    REJECTED = "rejected", _("Đã loại")
    IMPORTED = "imported", _("Đã đưa vào báo cáo")


class DocumentKind(models.TextChoices):
    PASTE = "paste", _("Văn bản dán vào")
    TXT = "txt", _("Tệp văn bản")
    DOCX = "docx", _("Tệp Word (.docx)")
    HTML = "html", _("Trang web (.html)")
    OTHER = "other", _("Khác")
