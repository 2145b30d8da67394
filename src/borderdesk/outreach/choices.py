from django.db import models
from django.utils.translation import gettext_lazy as _


class AudienceKind(models.TextChoices):
    RESIDENTS = "residents", _("Nhân dân khu vực biên giới")
    STUDENTS = "students", _("Học sinh, sinh viên")
    TRADERS = "traders", _("Thương nhân, lái xe, người xuất nhập cảnh")
    DIGNITARIES = "dignitaries", _("Người có uy tín, chức sắc tôn giáo")
    OFFICIALS = "officials", _("Cán bộ, đảng viên")
    FOREIGN = "foreign", _("Cư dân phía bạn")


class ProgrammeKind(models.TextChoices):
    SCHOOL = "school", _("Nâng bước em tới trường")
    BREAKFAST = "breakfast", _("Bữa sáng cho em")
    WOMEN = "women", _("Đồng hành cùng phụ nữ biên cương")
    FOSTER = "foster", _("Con nuôi đồn Biên phòng")
    OTHER = "other", _("Chương trình khác")


class BeneficiaryKind(models.TextChoices):
    STUDENT = "student", _("Học sinh")
    WOMAN = "woman", _("Phụ nữ")
    HOUSEHOLD = "household", _("Hộ gia đình")
    OTHER = "other", _("Khác")
