"""Conferences, the directives and tasks they produce, commendations and coordination agreements.

A conference (hội nghị sơ kết/tổng kết, phiên họp, giao ban, hội đàm, ký kết) belongs to a province
(and usually to its Border Steering Committee). The chair's conclusions become directives; each
directive becomes tasks with an owner agency and a deadline (or "regular"), whose status follows
QĐ 42/2014/QĐ-TTg. Commendations and coordination agreements hang off conferences.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderdesk.core.collation import vi
from borderdesk.core.models import SourcedModel, VersionedModel
from borderdesk.core.scoping import ScopedManager
from borderdesk.core.vn import format_date

from .choices import ConferenceKind, DecisionKind, RecipientType, TaskStatus

ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


_ARABIC_SESSION = re.compile(r"(lần thứ)\s+(\d{1,3})\b", re.IGNORECASE)


def to_roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


class Conference(SourcedModel, VersionedModel):
    """A meeting of the committee, with counterparts, or of parties to a coordination regulation."""

    unit = models.ForeignKey(
        "org.AdministrativeUnit", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="conferences"
    )
    committee = models.ForeignKey(
        "org.Committee",
        verbose_name=_("ban chỉ đạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    kind = models.CharField(_("loại hội nghị"), max_length=16, choices=ConferenceKind.choices)
    convener = models.CharField(
        _("cơ quan tổ chức"),
        max_length=300,
        blank=True,
        default="",
        help_text=_(
            "Khi hội nghị không do Ban Chỉ đạo tổ chức: cấp ủy hoặc cơ quan tổ chức (ví dụ: Ban Thường vụ "
            "Tỉnh ủy). Kết luận của hội nghị vẫn được theo dõi trong báo cáo của Ban Chỉ đạo tỉnh."
        ),
    )
    title = models.CharField(_("tên hội nghị"), max_length=400)
    session_number = models.PositiveSmallIntegerField(
        _("lần thứ"), null=True, blank=True, help_text=_("Với giao ban: số lần (ví dụ 15 → “lần thứ XV”).")
    )
    date = models.DateField(_("ngày"))
    place = models.CharField(_("địa điểm"), max_length=300, blank=True, default="")
    chair = models.CharField(_("người chủ trì"), max_length=200, blank=True, default="")
    chair_post = models.CharField(_("chức vụ người chủ trì"), max_length=400, blank=True, default="")
    participants = models.TextField(_("thành phần tham dự"), blank=True, default="")
    participant_agencies = models.ManyToManyField(
        "org.Agency", verbose_name=_("cơ quan tham dự"), blank=True, related_name="conferences_attended"
    )
    counterparts = models.ManyToManyField(
        "org.Counterpart", verbose_name=_("đối tác nước bạn tham dự"), blank=True, related_name="conferences"
    )
    counterpart_delegations = models.TextField(
        _("đoàn nước bạn"), blank=True, default="", help_text=_("Thành phần đoàn nước bạn (trưởng đoàn, chức vụ).")
    )
    reports_presented = models.TextField(_("báo cáo trình bày"), blank=True, default="")
    conclusions = models.TextField(_("kết luận của chủ trì"), blank=True, default="")

    scope_unit_field = "unit"
    scope_agency_field = "committee__standing_office"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.display_title} ({format_date(self.date)})"

    @property
    def display_title(self) -> str:
        """The title with its session in Roman numerals: "Hội nghị giao ban ... lần thứ XV" (a title typed
        with "lần thứ 15" is shown as "lần thứ XV" too)."""
        title = _ARABIC_SESSION.sub(lambda m: f"{m.group(1)} {to_roman(int(m.group(2)))}", self.title)
        if self.session_number and "lần thứ" not in title.lower():
            return f"{title} lần thứ {to_roman(self.session_number)}"
        return title

    @property
    def session_label(self) -> str:
        return f"lần thứ {to_roman(self.session_number)}" if self.session_number else ""


class ConferenceAttachment(models.Model):
    """A file of a conference (programme, reports presented, minutes, signed conclusions, photos).

    Served only through the application, scope-checked (`coordination:attachment`)."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("tệp"), upload_to="coordination/conferences/%Y/")
    title = models.CharField(_("tiêu đề"), max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    scope_unit_field = "conference__unit"
    scope_agency_field = "conference__committee__standing_office"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("tệp đính kèm hội nghị")
        verbose_name_plural = _("tệp đính kèm hội nghị")
        ordering = ["conference", "id"]

    def __str__(self) -> str:
        return self.title or self.file.name.rsplit("/", 1)[-1]


class ConferenceDecision(SourcedModel):
    """A decision adopted at a conference; a reconstitution links the membership changes it made."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField(
        _("loại quyết định"), max_length=16, choices=DecisionKind.choices, default=DecisionKind.OTHER
    )
    number = models.CharField(_("số quyết định"), max_length=64, blank=True, default="")
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    summary = models.CharField(_("trích yếu"), max_length=500)
    memberships = models.ManyToManyField(
        "org.Membership", verbose_name=_("thay đổi thành viên"), blank=True, related_name="conference_decisions"
    )

    scope_unit_field = "conference__unit"
    scope_agency_field = "conference__committee__standing_office"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("quyết định tại hội nghị")
        verbose_name_plural = _("quyết định tại hội nghị")
        ordering = ["conference", "id"]

    def __str__(self) -> str:
        return self.summary


class Directive(SourcedModel, VersionedModel):
    """One of the chair's conclusions, as an instruction to carry out."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="directives"
    )
    number = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    text = models.TextField(_("nội dung chỉ đạo"))

    scope_unit_field = "conference__unit"
    scope_agency_field = "conference__committee__standing_office"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("ý kiến chỉ đạo")
        verbose_name_plural = _("ý kiến chỉ đạo")
        ordering = ["conference", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="coordination_directive_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


def task_status(*, deadline: dt.date | None, is_regular: bool, done_on: dt.date | None, today: dt.date) -> str:
    """QĐ 42/2014/QĐ-TTg status of a task on `today`."""
    if done_on is not None and done_on <= today:
        if is_regular or deadline is None or done_on <= deadline:
            return TaskStatus.DONE_ON_TIME
        return TaskStatus.DONE_LATE
    if is_regular or deadline is None or deadline >= today:
        return TaskStatus.OPEN_IN_TERM
    return TaskStatus.OVERDUE


class Task(SourcedModel, VersionedModel):
    """A task assigned from a directive to an owner agency (with co-owners) and a deadline."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("ý kiến chỉ đạo"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    owner = models.ForeignKey(
        "org.Agency", verbose_name=_("cơ quan chủ trì"), on_delete=models.PROTECT, related_name="owned_tasks"
    )
    co_owners = models.ManyToManyField(
        "org.Agency", verbose_name=_("cơ quan phối hợp"), blank=True, related_name="co_owned_tasks"
    )
    deadline = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    is_regular = models.BooleanField(_("thường xuyên"), default=False)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)

    scope_unit_field = "directive__conference__unit"
    scope_agency_field = "owner"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_regular=True) | Q(deadline__isnull=False), name="coordination_task_deadline_or_regular"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if not self.is_regular and self.deadline is None:
            raise ValidationError({"deadline": _("Nhiệm vụ cần có hạn hoàn thành hoặc được đánh dấu “thường xuyên”.")})
        if self.directive_id and self.deadline:
            held = self.directive.conference.date
            if self.deadline < held:
                raise ValidationError(
                    {
                        "deadline": _(
                            "Hạn hoàn thành %(d)s trước ngày hội nghị giao nhiệm vụ (%(c)s). Hãy kiểm tra lại hạn."
                        )
                        % {"d": format_date(self.deadline), "c": format_date(held)}
                    }
                )
            if self.done_on and self.done_on < held:
                raise ValidationError(
                    {
                        "done_on": _("Ngày hoàn thành %(d)s trước ngày hội nghị (%(c)s).")
                        % {"d": format_date(self.done_on), "c": format_date(held)}
                    }
                )

    def status_on(self, today: dt.date) -> str:
        return task_status(deadline=self.deadline, is_regular=self.is_regular, done_on=self.done_on, today=today)

    def status_label_on(self, today: dt.date) -> str:
        return str(TaskStatus(self.status_on(today)).label)


class TaskUpdate(models.Model):
    """A progress report on a task, with its evidence."""

    task = models.ForeignKey(Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("ngày"))
    text = models.TextField(_("nội dung tiến độ"))
    evidence = models.FileField(_("minh chứng"), upload_to="coordination/evidence/%Y/", blank=True)
    evidence_note = models.CharField(_("minh chứng (số, ngày văn bản)"), max_length=300, blank=True, default="")
    marks_done = models.BooleanField(_("báo cáo hoàn thành"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    scope_unit_field = "task__directive__conference__unit"
    scope_agency_field = "task__owner"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["task", "date", "id"]

    def __str__(self) -> str:
        return f"{format_date(self.date)}: {self.text[:60]}"


class CommendationKind(models.Model):
    """A lookup the standing office maintains: Bằng khen of the UBND chair, Giấy khen, ..."""

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên hình thức"), max_length=200)
    issuer_title = models.CharField(_("người tặng (mặc định)"), max_length=200, blank=True, default="")
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")
        ordering = ["sort_order", vi("name")]

    def __str__(self) -> str:
        return self.name


class Commendation(SourcedModel, VersionedModel):
    """A Bằng khen / Giấy khen given to a collective or an individual."""

    unit = models.ForeignKey(
        "org.AdministrativeUnit", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="commendations"
    )
    conference = models.ForeignKey(
        Conference,
        verbose_name=_("hội nghị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commendations",
    )
    kind = models.ForeignKey(
        CommendationKind, verbose_name=_("hình thức"), on_delete=models.PROTECT, related_name="commendations"
    )
    recipient_type = models.CharField(_("đối tượng"), max_length=16, choices=RecipientType.choices)
    recipient_name = models.CharField(_("tên tập thể / cá nhân"), max_length=300)
    issuer = models.CharField(_("người tặng"), max_length=200)
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True, default="")
    decision_date = models.DateField(_("ngày quyết định"))
    reason = models.CharField(_("thành tích"), max_length=500, blank=True, default="")

    scope_unit_field = "unit"
    scope_agency_field = None
    objects = ScopedManager()

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["-decision_date", "kind__sort_order", "recipient_type", vi("recipient_name"), "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.recipient_name}"


class Agreement(SourcedModel, VersionedModel):
    """A coordination regulation (quy chế phối hợp) between agencies or party committees."""

    unit = models.ForeignKey(
        "org.AdministrativeUnit", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(_("tên quy chế"), max_length=400)
    year = models.PositiveSmallIntegerField(_("năm"))
    parties = models.ManyToManyField("org.Agency", verbose_name=_("các bên"), related_name="agreements")
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True, help_text=_("Trống: chưa rõ ngày ký."))
    summary = models.TextField(_("nội dung chính"), blank=True, default="")
    review_date = models.DateField(_("ngày sơ kết / tổng kết"), null=True, blank=True)
    signing_conference = models.ForeignKey(
        Conference,
        verbose_name=_("hội nghị ký kết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements_signed",
    )
    review_conference = models.ForeignKey(
        Conference,
        verbose_name=_("hội nghị sơ kết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements_reviewed",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("quy chế năm trước"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
    )

    scope_unit_field = "unit"
    scope_agency_field = None
    objects = ScopedManager()

    class Meta:
        verbose_name = _("quy chế phối hợp")
        verbose_name_plural = _("quy chế phối hợp")
        ordering = ["-year", "-signed_on", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def clean(self):
        super().clean()
        if self.review_date and self.signed_on and self.review_date < self.signed_on:
            raise ValidationError(
                {
                    "review_date": _("Ngày sơ kết (%(r)s) trước ngày ký (%(s)s).")
                    % {"r": format_date(self.review_date), "s": format_date(self.signed_on)}
                }
            )
