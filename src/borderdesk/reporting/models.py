"""Periodic reporting: indicators, forms (versioned), submissions, values, narratives, targets, rules.

A period is never a row: submissions store the period key plus its window (start/end) so that
consolidation is one indexed query over the window. A submission also stores the tree path of its
reporting unit (for an agency: the unit it is located in) so that "the subtree of a unit" is a path
prefix filter.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from borderdesk.core.collation import vi
from borderdesk.core.models import SourcedModel, TimeStampedModel, VersionedModel
from borderdesk.core.periods import PeriodSpec
from borderdesk.core.scoping import ScopedManager

from .choices import INDICATOR_GROUPS, Aggregation, Operator, Severity, Status, Transition, ValueType


class Indicator(SourcedModel):
    """A figure units report (chỉ tiêu): code, names, unit word, type and how it rolls up the tree."""

    code = models.CharField(_("mã"), max_length=64, unique=True)
    name_vi = models.CharField(_("tên chỉ tiêu"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True, default="")
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True, default="")
    value_type = models.CharField(
        _("kiểu giá trị"), max_length=16, choices=ValueType.choices, default=ValueType.INTEGER
    )
    aggregation = models.CharField(
        _("cách tổng hợp"), max_length=16, choices=Aggregation.choices, default=Aggregation.SUM
    )
    higher_is_better = models.BooleanField(_("càng cao càng tốt"), null=True, blank=True)
    group = models.CharField(_("nhóm"), max_length=64, blank=True, default="", db_index=True)
    description = models.TextField(_("mô tả"), blank=True, default="")
    extraction_keywords = models.TextField(_("từ khóa trích xuất"), blank=True, default="")
    active_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    active_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    registry_figure = models.CharField(
        _("số liệu từ sổ theo dõi"),
        max_length=64,
        blank=True,
        default="",
        help_text=_(
            "Mã số liệu do một sổ theo dõi (tuần tra, vụ việc, mốc, cửa khẩu...) tính sẵn để điền trước; "
            "để trống: dùng số liệu cùng mã nếu có."
        ),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    #: the province whose standing office added it (its own indicator); empty: the national catalogue
    province = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: danh mục dùng chung toàn quốc (chỉ quản trị hệ thống sửa)."),
    )

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["group", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_to__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="reporting_indicator_active_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name_vi}"

    @property
    def is_numeric(self) -> bool:
        return self.value_type != ValueType.TEXT

    @property
    def group_label(self) -> str:
        return str(INDICATOR_GROUPS.get(self.group, self.group))

    @property
    def figure_code(self) -> str:
        """The registry figure that pre-fills this indicator (its own code unless linked to another)."""
        return self.registry_figure or self.code


class ReportForm(models.Model):
    """A reporting regime (chế độ báo cáo): its versions hold the content (biểu mẫu + đề cương)."""

    code = models.SlugField(_("mã biểu"), max_length=64, unique=True)
    name = models.CharField(_("tên báo cáo"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True, default="")
    #: the province whose standing office keeps this form; empty: a national form (administrators only)
    province = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: biểu mẫu dùng chung toàn quốc (chỉ quản trị hệ thống sửa)."),
    )
    #: a province's own form made from a national one replaces it for that province's reporters
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("thay cho biểu mẫu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    class Meta:
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def current_version(self):
        return self.versions.order_by("-number").first()


class FormVersion(models.Model):
    """One immutable version of a form. Changing a form means adding a version; past submissions keep theirs.

    ``sections``: ``[{"code": "gates", "title": "Cửa khẩu", "indicators": ["PERSONS_EXIT", ...]}]``.
    ``narrative_sections``: ``[{"code": "general", "title": "Tình hình chung"}, ...]``.
    ``period_spec``: ``PeriodSpec.to_dict()``. ``reporter_spec``: ``{"unit_kinds": ["commune"],
    "border_only": true, "agency_kinds": ["border_guard_station"], "units": [ids], "agencies": [ids]}``.
    Deadline: sent within ``deadline_working_days`` working days after the cut-off (timeliness);
    entry locks ``lock_days`` days after the cut-off unless an approver grants an exception.
    ``approval_top_kind``: the level whose approval finishes the workflow (usually "province").
    """

    form = models.ForeignKey(ReportForm, verbose_name=_("biểu mẫu"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    sections = models.JSONField(_("phần chỉ tiêu"), default=list, blank=True)
    narrative_sections = models.JSONField(_("phần đề cương"), default=list, blank=True)
    period_spec = models.JSONField(_("kỳ báo cáo"))
    reporter_spec = models.JSONField(_("đơn vị báo cáo"), default=dict, blank=True)
    deadline_working_days = models.PositiveSmallIntegerField(
        _("hạn gửi (ngày làm việc sau khi chốt số liệu)"), default=2
    )
    lock_days = models.PositiveSmallIntegerField(_("khóa nhập sau (ngày)"), null=True, blank=True, default=60)
    approval_top_kind = models.CharField(_("cấp duyệt cuối"), max_length=16, default="province")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản biểu mẫu")
        verbose_name_plural = _("phiên bản biểu mẫu")
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="reporting_formversion_unique")]

    def __str__(self) -> str:
        return f"{self.form.name} (v{self.number})"

    def clean(self):
        try:
            PeriodSpec.from_dict(self.period_spec)
        except (ValueError, TypeError) as exc:
            raise ValidationError({"period_spec": str(exc)}) from None

    @property
    def spec(self) -> PeriodSpec:
        return PeriodSpec.from_dict(self.period_spec)

    def indicator_codes(self) -> list[str]:
        return [code for s in self.sections for code in s.get("indicators", [])]


class Submission(VersionedModel, SourcedModel):
    """One report: (form version, unit or agency, period). Holds values, narratives and attachments."""

    form = models.ForeignKey(
        ReportForm, verbose_name=_("biểu mẫu"), on_delete=models.PROTECT, related_name="submissions"
    )
    form_version = models.ForeignKey(
        FormVersion, verbose_name=_("phiên bản biểu mẫu"), on_delete=models.PROTECT, related_name="submissions"
    )
    unit = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_submissions",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_submissions",
    )
    period_key = models.CharField(_("kỳ"), max_length=16)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    unit_path = models.CharField(_("đường dẫn đơn vị"), max_length=255, db_index=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approval_levels = models.JSONField(
        _("các cấp duyệt"), default=list, blank=True
    )  # [{"unit_id", "unit", "approved_by", "at"}]
    return_reason = models.TextField(_("lý do trả lại"), blank=True, default="")
    approved_snapshot = models.JSONField(_("số liệu khi duyệt lần cuối"), null=True, blank=True)
    lock_exception_until = models.DateField(_("được nhập sau hạn đến ngày"), null=True, blank=True)

    scope_unit_field = "unit"
    scope_agency_field = "agency"
    objects = ScopedManager()

    @classmethod
    def changelog_key_labels(cls, keys) -> dict:
        """Indicator codes in a logged values snapshot, by name (core.changelog_display)."""
        return dict(Indicator.objects.filter(code__in=list(keys)).values_list("code", "name_vi"))

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-period_end", "form", "unit_path", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(agency__isnull=True))
                | (Q(unit__isnull=True) & Q(agency__isnull=False)),
                name="reporting_submission_unit_xor_agency",
            ),
            models.UniqueConstraint(
                fields=["form", "unit", "period_key"],
                condition=Q(agency__isnull=True),
                name="reporting_submission_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["form", "agency", "period_key"],
                condition=Q(unit__isnull=True),
                name="reporting_submission_unique_agency",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="reporting_submission_period_range"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "period_start", "period_end", "unit_path"], name="reporting_sub_consol_idx"),
            models.Index(fields=["form", "period_key"], name="reporting_sub_form_period_idx"),
        ]

    def __str__(self) -> str:
        from borderdesk.core.periods import parse_period

        try:  # the period in words (the change log and lists name it so), the key when unreadable
            period = parse_period(self.period_key).label_vi
        except (ValueError, TypeError):
            period = self.period_key
        return f"{self.form.name} — {self.reporter_name} — {period}"

    @property
    def reporter(self):
        return self.unit if self.unit_id else self.agency

    @property
    def reporter_name(self) -> str:
        return str(self.reporter)

    @property
    def period(self):
        return self.form_version.spec.parse(self.period_key)

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)

    def values_snapshot(self) -> dict:
        """The report's figures and narratives as JSON (the change log's before/after, the approved copy)."""
        return self.snapshot_of(
            self.values.select_related("indicator"), {n.section: n.text for n in self.narratives.all()}
        )

    @staticmethod
    def snapshot_of(values, narratives: dict[str, str]) -> dict:
        """:meth:`values_snapshot` of these values (with their indicators) and ``{section: text}``, as they are
        stored (a save builds its "after" from what it wrote, without reading the report again)."""
        vals = {}
        for dv in sorted(values, key=lambda dv: dv.indicator.code):
            vals[dv.indicator.code] = {
                "value": None if dv.value is None else str(dv.value.normalize()),
                "text": dv.text_value,
                "qualifier": dv.qualifier,
                "comment": dv.comment,
            }
        return {"values": vals, "narratives": dict(sorted(narratives.items()))}


class DataValue(SourcedModel):
    """One figure of a submission, with its qualifier ("trên 14.000"), comment and source quote."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=4, null=True, blank=True)
    text_value = models.TextField(_("giá trị văn bản"), blank=True, default="")
    qualifier = models.CharField(_("từ định lượng"), max_length=32, blank=True, default="")
    comment = models.TextField(_("ghi chú"), blank=True, default="")
    source_quote = models.TextField(_("trích dẫn nguồn"), blank=True, default="")
    source_document = models.CharField(_("văn bản nguồn"), max_length=300, blank=True, default="")
    derived_value = models.DecimalField(
        _("giá trị tính từ sổ theo dõi"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    override_reason = models.TextField(_("lý do điều chỉnh"), blank=True, default="")
    provenance = models.JSONField(_("nguồn gốc"), default=dict, blank=True)

    scope_unit_field = "submission__unit"
    scope_agency_field = "submission__agency"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        ordering = ["submission", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="reporting_datavalue_unique"),
        ]
        # The few values with a source quote, by report: a consolidation lists the quotes of its reports
        # without reading every value of a national year.
        indexes = [
            models.Index(fields=["submission"], condition=~Q(source_quote=""), name="reporting_dv_quoted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.value if self.value is not None else self.text_value}"

    @property
    def is_overridden(self) -> bool:
        return self.derived_value is not None and self.value != self.derived_value


class Narrative(models.Model):
    """The text of one outline section (đề cương) of a submission."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="narratives"
    )
    section = models.CharField(_("mục"), max_length=64)
    text = models.TextField(_("nội dung"), blank=True, default="")
    source_quote = models.TextField(_("trích dẫn nguồn"), blank=True, default="")

    scope_unit_field = "submission__unit"
    scope_agency_field = "submission__agency"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("nội dung báo cáo")
        verbose_name_plural = _("nội dung báo cáo")
        ordering = ["submission", "section"]
        constraints = [models.UniqueConstraint(fields=["submission", "section"], name="reporting_narrative_unique")]

    def __str__(self) -> str:
        return f"{self.section}: {self.text[:40]}"


class Attachment(TimeStampedModel):
    """A file attached to a submission (scanned signed report, annex)."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("tệp"), upload_to="reporting/%Y/")
    title = models.CharField(_("tiêu đề"), max_length=300, blank=True, default="")

    scope_unit_field = "submission__unit"
    scope_agency_field = "submission__agency"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["submission", "id"]

    def __str__(self) -> str:
        return self.title or self.file.name


class ValidationRule(models.Model):
    """``left operator right`` over a form's indicators, e.g. SELF_MGMT_HOUSEHOLDS <= HOUSEHOLDS_TOTAL.

    Expressions use indicator codes, numbers, + - * / and parentheses; ``group:<code>`` stands for
    the sum of a group's indicators in the submission. A blank ``form`` applies to every form.
    """

    form = models.ForeignKey(
        ReportForm, verbose_name=_("biểu mẫu"), null=True, blank=True, on_delete=models.CASCADE, related_name="rules"
    )
    name = models.CharField(_("tên quy tắc"), max_length=200)
    left = models.CharField(_("vế trái"), max_length=500)
    operator = models.CharField(_("phép so sánh"), max_length=2, choices=Operator.choices)
    right = models.CharField(_("vế phải"), max_length=500)
    severity = models.CharField(_("mức độ"), max_length=16, choices=Severity.choices, default=Severity.ERROR)
    skip_when_missing = models.BooleanField(_("bỏ qua khi thiếu số liệu"), default=True)
    message = models.CharField(_("thông báo"), max_length=300, blank=True, default="")
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["form", vi("name")]

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"

    def clean(self):
        from .validation import parse_expression

        for f in ("left", "right"):
            try:
                parse_expression(getattr(self, f))
            except ValueError as exc:
                raise ValidationError({f: str(exc)}) from None


class Target(VersionedModel):
    """A plan value (kế hoạch) for an indicator × unit (or agency) × period."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="targets"
    )
    unit = models.ForeignKey(
        "org.AdministrativeUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="report_targets"
    )
    period_key = models.CharField(_("kỳ"), max_length=16)
    value = models.DecimalField(_("kế hoạch"), max_digits=20, decimal_places=4)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True, default="")
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    source = models.TextField(_("nguồn"), blank=True, default="")

    scope_unit_field = "unit"
    scope_agency_field = None
    objects = ScopedManager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["period_key", "unit", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "period_key"], name="reporting_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit} {self.period_key}: {self.value}"


class ApprovalStep(models.Model):
    """The workflow log: every transition of a submission (who, when, from, to, why)."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField(_("thao tác"), max_length=16, choices=Transition.choices)
    from_status = models.CharField(_("từ trạng thái"), max_length=16, blank=True, default="")
    to_status = models.CharField(_("sang trạng thái"), max_length=16, blank=True, default="")
    level_unit = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("cấp duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    reason = models.TextField(_("lý do / ý kiến"), blank=True, default="")

    scope_unit_field = "submission__unit"
    scope_agency_field = "submission__agency"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["submission", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.from_status}→{self.to_status}"


class RollupMember(models.Model):
    """An approved (or submitted) submission counted in a standard window (bucket) for its reporter and form.

    Buckets are the year, 6-month, second-half and 9-month windows of the submission's own period rule
    that contain the submission's window. Within one reporter and form only the outermost windows are
    members (a reporter's monthly reports do not add to its annual report). Maintained by
    :mod:`borderdesk.reporting.rollup` at every submit, return, approval, reopening and deletion; never edited by hand.
    """

    bucket_start = models.DateField()
    bucket_end = models.DateField()
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+", db_index=False)
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="+", db_index=False)
    rkey = models.BigIntegerField()  # reporter: unit id, or minus the agency id
    unit_path = models.CharField(max_length=255)
    period_start = models.DateField()
    period_end = models.DateField()
    # 'a' approved, no submitted report in the group; 'x' approved, group with one; 's' approved + submitted
    scope = models.CharField(max_length=1, default="a", db_default="a")

    class Meta:
        ordering = ["bucket_start", "bucket_end", "unit_path", "id"]
        indexes = [
            models.Index(fields=["bucket_start", "bucket_end", "unit_path"], name="reporting_rmember_bucket_idx"),
            models.Index(fields=["rkey", "form", "bucket_start"], name="reporting_rmember_reporter_idx"),
            models.Index(fields=["submission"], name="reporting_rmember_sub_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.bucket_start}–{self.bucket_end}: {self.submission_id}"


class RollupValue(models.Model):
    """Pre-aggregated approved values of one reporter, form and indicator in one bucket window.

    ``s``/``n``/``mx``/``mn``: sum, count, max and min of the member submissions' values; ``latest_s``:
    the value(s) of the latest member window (``latest_end``); ``q1``/``q2``: smallest and largest
    qualifier; ``nq``: how many values carry a source quote. Consolidation of a bucket window reads
    these rows instead of every monthly value.
    """

    bucket_start = models.DateField()
    bucket_end = models.DateField()
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="+", db_index=False)
    rkey = models.BigIntegerField()
    unit_path = models.CharField(max_length=255)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_index=False)
    s = models.DecimalField(max_digits=24, decimal_places=4, null=True)
    n = models.IntegerField(default=0)
    mx = models.DecimalField(max_digits=24, decimal_places=4, null=True)
    mn = models.DecimalField(max_digits=24, decimal_places=4, null=True)
    q1 = models.CharField(max_length=32, null=True)
    q2 = models.CharField(max_length=32, null=True)
    nq = models.IntegerField(default=0)
    latest_end = models.DateField(null=True)
    latest_s = models.DecimalField(max_digits=24, decimal_places=4, null=True)
    scope = models.CharField(max_length=1, default="a", db_default="a")  # as RollupMember.scope

    class Meta:
        ordering = ["bucket_start", "bucket_end", "unit_path", "indicator", "id"]
        indexes = [
            models.Index(fields=["bucket_start", "bucket_end", "unit_path"], name="reporting_rvalue_bucket_idx"),
            models.Index(fields=["rkey", "form", "bucket_start"], name="reporting_rvalue_reporter_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.bucket_start}–{self.bucket_end} {self.rkey} {self.indicator_id}: {self.s}"
