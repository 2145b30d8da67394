"""Forms of the conference pages (create/edit a conference, add a directive, assign a task).

The forms only parse and narrow choices to the user's scope; the services validate, check scope and
versions, and write the change log.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from borderdesk.core.collation import vi_order
from borderdesk.core.inputs import conventional, date_field
from borderdesk.core.registry.forms import ScopedModelForm
from borderdesk.core.scoping import Action
from borderdesk.org.models import AdministrativeUnit, Agency, Committee, Counterpart, Membership

from .choices import DecisionKind, RecipientType
from .models import Conference


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the checks of type and size are the service's)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ConferenceForm(ScopedModelForm):
    """A conference. Either a committee (its province is taken) or, for another body's conference
    (a party committee, its standing board), the province and the convening body."""

    directives = forms.CharField(
        label=_("Ý kiến chỉ đạo, kết luận (mỗi dòng một ý)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 90}),
        help_text=_("Mỗi dòng trở thành một ý kiến chỉ đạo được đánh số; sau đó giao nhiệm vụ ở trang hội nghị."),
    )
    reason = forms.CharField(label=_("Lý do thay đổi"), required=False, max_length=300)
    attachments = MultipleFileField(
        label=_("Tệp đính kèm (chương trình, báo cáo, biên bản, thông báo kết luận…)"),
        required=False,
        help_text=_("Chọn được nhiều tệp: PDF, Word, Excel, OpenDocument, JPG hoặc PNG."),
    )
    field_order = [
        "kind",
        "title",
        "session_number",
        "date",
        "place",
        "committee",
        "unit",
        "convener",
        "chair",
        "chair_post",
        "participants",
        "participant_agencies",
        "counterparts",
        "counterpart_delegations",
        "reports_presented",
        "conclusions",
        "directives",
        "attachments",
        "source",
        "reason",
    ]

    class Meta:
        model = Conference
        fields = [
            "committee",
            "unit",
            "convener",
            "kind",
            "session_number",
            "title",
            "date",
            "place",
            "chair",
            "chair_post",
            "participants",
            "participant_agencies",
            "counterparts",
            "counterpart_delegations",
            "reports_presented",
            "conclusions",
            "source",
        ]
        widgets = {
            **{
                f: forms.Textarea(attrs={"rows": 3, "cols": 90})
                for f in ("participants", "counterpart_delegations", "reports_presented", "conclusions")
            },
            **{f: forms.TextInput(attrs={"size": 90}) for f in ("title", "chair_post", "convener")},
            **{f: forms.TextInput(attrs={"size": 50}) for f in ("place", "chair")},
            "source": forms.Textarea(attrs={"rows": 2, "cols": 90}),
        }

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].required = False
        self.fields["unit"].queryset = (
            AdministrativeUnit.objects.for_user(user, Action.CHANGE).filter(kind="province").order_by(*vi_order("name"))
        )
        self.fields["unit"].help_text = _("Bỏ trống khi đã chọn ban chỉ đạo.")
        self.fields["committee"].queryset = Committee.objects.for_user(user, Action.VIEW).select_related("unit")
        self.fields["participant_agencies"].queryset = Agency.objects.for_user(user, Action.VIEW).select_related("kind")
        self.fields["participant_agencies"].widget.attrs["size"] = 8
        self.fields["counterparts"].queryset = Counterpart.objects.for_user(user, Action.VIEW).select_related("unit")
        self.fields["counterparts"].widget.attrs["size"] = 5
        self.fields["counterparts"].help_text = _("Các tỉnh, đơn vị nước bạn có đoàn tham dự (giao ban, hội đàm).")
        conventional(self.fields["date"])
        if editing:
            del self.fields["directives"]
            self.fields["unit"].disabled = True
        else:
            del self.fields["reason"]

    def _post_clean(self):
        """Model validation runs in the service (one place, with scope and the change log)."""

    def clean(self):
        data = super().clean()
        if (
            not data.get("committee")
            and not data.get("unit")
            and "unit" in self.fields
            and not self.fields["unit"].disabled
        ):
            self.add_error("unit", _("Chọn ban chỉ đạo, hoặc tỉnh nơi tổ chức hội nghị."))
        return data


class DirectiveForm(forms.Form):
    text = forms.CharField(label=_("Nội dung chỉ đạo"), widget=forms.Textarea(attrs={"rows": 3}))


class TaskForm(forms.Form):
    directive = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Nhiệm vụ"), max_length=500)
    owner = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=Agency.objects.none())
    co_owners = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"), queryset=Agency.objects.none(), required=False
    )
    deadline = date_field(label=_("Hạn hoàn thành"), required=False)
    is_regular = forms.BooleanField(label=_("Thường xuyên"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.for_user(user, Action.VIEW).select_related("kind")
        self.fields["owner"].queryset = agencies
        self.fields["co_owners"].queryset = agencies


class DecisionForm(forms.Form):
    """A decision adopted at the conference; a reconstitution lists the membership changes it made."""

    kind = forms.ChoiceField(label=_("Loại quyết định"), choices=DecisionKind.choices)
    number = forms.CharField(label=_("Số quyết định"), max_length=64, required=False)
    decided_on = date_field(label=_("Ngày quyết định"), required=False)
    summary = forms.CharField(label=_("Trích yếu"), max_length=500)
    memberships = forms.ModelMultipleChoiceField(
        label=_("Thay đổi thành viên theo quyết định"),
        queryset=Membership.objects.none(),
        required=False,
        help_text=_("Với quyết định kiện toàn: chọn các thành viên được bổ sung, thay thế hoặc thôi giữ chức."),
    )

    def __init__(self, *args, conference=None, **kwargs):
        super().__init__(*args, **kwargs)
        if conference is not None and conference.committee_id:
            self.fields["memberships"].queryset = Membership.objects.filter(
                committee_id=conference.committee_id
            ).select_related("person")


class CommendationForm(forms.Form):
    """A commendation entered by the standing office (province narrowed to the user's scope)."""

    unit = forms.ModelChoiceField(label=_("Tỉnh"), queryset=AdministrativeUnit.objects.none())
    kind = forms.ModelChoiceField(label=_("Hình thức"), queryset=None)
    recipient_type = forms.ChoiceField(label=_("Đối tượng"), choices=RecipientType.choices)
    recipient_name = forms.CharField(label=_("Tên tập thể / cá nhân"), max_length=300)
    issuer = forms.CharField(
        label=_("Người tặng"),
        max_length=200,
        required=False,
        help_text=_("Bỏ trống: người tặng mặc định của hình thức."),
    )
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=64, required=False)
    decision_date = date_field(label=_("Ngày quyết định"))
    conference = forms.ModelChoiceField(label=_("Hội nghị"), queryset=Conference.objects.none(), required=False)
    reason = forms.CharField(label=_("Thành tích"), max_length=500, required=False)

    def __init__(self, *args, user=None, **kwargs):
        from .models import CommendationKind  # noqa: PLC0415

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            AdministrativeUnit.objects.for_user(user, Action.CHANGE).filter(kind="province").order_by(*vi_order("name"))
        )
        self.fields["kind"].queryset = CommendationKind.objects.all()
        self.fields["conference"].queryset = Conference.objects.for_user(user, Action.CHANGE).order_by("-date")
