"""Forms of the standing office's everyday edits. They only read the input; every rule lives in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from borderdesk.core.collation import vi_order
from borderdesk.core.errors import ApplicationError
from borderdesk.core.inputs import date_field
from borderdesk.core.scoping import Action
from borderdesk.core.vn import format_date

from .choices import MemberRole, UnitKind
from .models import AdministrativeUnit, Agency, AgencyKind, Committee, Person


def _date_field(label, required=False, help_text=""):
    """A date typed as dd/mm/yyyy (core.inputs: the project's one date-input convention)."""
    return date_field(label=label, required=required, help_text=help_text)


REASON_LABEL = _("Lý do / ghi chú thay đổi")
REASON_HELP = _("Ghi vào nhật ký thay đổi.")


def _reason_field(label=REASON_LABEL, required=False, help_text=REASON_HELP):
    return forms.CharField(
        label=label, required=required, max_length=500, widget=forms.Textarea(attrs={"rows": 2}), help_text=help_text
    )


class _DatedChoiceField(forms.ModelChoiceField):
    """Names repeat across the 2025 reform: show each row's validity beside its name."""

    def label_from_instance(self, obj):
        if obj.valid_from is None and obj.valid_to is None:
            return obj.name
        return (
            f"{obj.name} ({format_date(obj.valid_from) if obj.valid_from else '…'} – "
            f"{format_date(obj.valid_to) if obj.valid_to else _('nay')})"
        )


class ServiceForm(forms.Form):
    """A form that shows an ApplicationError from a service next to the fields it names."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    field_aliases = {
        "person_id": "person",
        "agency_id": "agency",
        "successor_id": "successor",
        "unit_id": "unit",
        "kind_id": "kind",
        "parent_id": "parent",
    }

    def add_service_error(self, exc: ApplicationError) -> None:
        placed: set[str] = set()
        for name, msgs in (exc.field_errors or {}).items():
            name = self.field_aliases.get(name, name)
            if name in self.fields and name != "version":
                for m in msgs if isinstance(msgs, list | tuple) else [msgs]:
                    self.add_error(name, str(m))
                    placed.add(str(m))
        if str(exc.message) not in placed:
            self.add_error(None, str(exc.message))

    @property
    def expected_version(self):
        return self.cleaned_data.get("version")


# ---------------------------------------------------------------- committee members


class MembershipAddForm(ServiceForm):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("Người đã có"), empty_label=_("— Người mới —")
    )
    new_person_name = forms.CharField(label=_("Họ và tên người mới"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Vai trò"), choices=MemberRole.choices)
    post = forms.CharField(
        label=_("Chức vụ tại cơ quan"), required=False, max_length=300, help_text=_("Ví dụ: Giám đốc Sở Ngoại vụ")
    )
    agency = _DatedChoiceField(
        queryset=Agency.objects.none(), required=False, label=_("Cơ quan"), empty_label=_("— Không chọn —")
    )
    decision_number = forms.CharField(
        label=_("Số quyết định"), required=False, max_length=64, help_text=_("Ví dụ: 123/QĐ-UBND")
    )
    decision_date = _date_field(_("Ngày quyết định"))
    valid_from = _date_field(_("Từ ngày"), required=True)
    valid_to = _date_field(_("Đến ngày"), help_text=_("Để trống nếu chưa kết thúc."))
    reason = _reason_field()

    def __init__(self, *args, user, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        in_scope = Committee.objects.for_user(user, Action.VIEW).values("pk")
        self.fields["person"].queryset = (
            Person.objects.filter(memberships__committee__in=in_scope).distinct().order_by(*vi_order("full_name"))
        )
        self.fields["agency"].queryset = Agency.objects.for_user(user, Action.VIEW).order_by(*vi_order("name"))

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "person": d["person"],
            "new_person_name": d["new_person_name"],
            "role": d["role"],
            "post": d["post"].strip(),
            "agency": d["agency"],
            "decision_number": d["decision_number"].strip(),
            "decision_date": d["decision_date"],
            "valid_from": d["valid_from"],
            "valid_to": d["valid_to"],
            "reason": d["reason"].strip(),
        }


class MembershipEndForm(ServiceForm):
    valid_to = _date_field(_("Ngày kết thúc nhiệm vụ"), required=True, help_text=_("Ngày cuối cùng giữ vai trò này."))
    reason = _reason_field(
        _("Lý do"), required=True, help_text=_("Ví dụ: theo Quyết định số …; nghỉ hưu; chuyển công tác.")
    )


# ---------------------------------------------------------------- agencies


class AgencyRenameForm(ServiceForm):
    prefix = "rename"
    field_aliases = ServiceForm.field_aliases | {"name": "new_name", "valid_from": "effective_date"}

    new_name = forms.CharField(label=_("Tên mới"), max_length=300)
    effective_date = _date_field(_("Có hiệu lực từ ngày"), required=True)
    reason = _reason_field()


class AgencyEditForm(ServiceForm):
    prefix = "edit"
    short_name = forms.CharField(label=_("Tên viết tắt"), required=False, max_length=80)
    kind = forms.ModelChoiceField(queryset=AgencyKind.objects.all(), label=_("Loại cơ quan"))
    unit = _DatedChoiceField(queryset=AdministrativeUnit.objects.none(), label=_("Địa bàn"))
    parent = _DatedChoiceField(
        queryset=Agency.objects.none(), required=False, label=_("Cơ quan cấp trên"), empty_label=_("— Không có —")
    )
    reason = _reason_field()

    def __init__(self, *args, user, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = AdministrativeUnit.objects.for_user(user, Action.MANAGE).order_by(
            "depth", "name", "valid_from"
        )
        self.fields["parent"].queryset = (
            Agency.objects.for_user(user, Action.MANAGE).exclude(pk=agency.pk).order_by(*vi_order("name"))
        )

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"short_name": d["short_name"].strip(), "kind": d["kind"], "unit": d["unit"], "parent": d["parent"]}


class AgencyCloseForm(ServiceForm):
    prefix = "close"
    valid_to = _date_field(_("Ngày cuối cùng hoạt động"), required=True)
    successor = _DatedChoiceField(
        queryset=Agency.objects.none(), required=False, label=_("Cơ quan kế thừa"), empty_label=_("— Không có —")
    )
    reason = _reason_field()

    def __init__(self, *args, user, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = (
            Agency.objects.for_user(user, Action.MANAGE).exclude(pk=agency.pk).order_by(*vi_order("name"))
        )


# ---------------------------------------------------------------- counterparts


class CounterpartForm(ServiceForm):
    unit = forms.ModelChoiceField(queryset=AdministrativeUnit.objects.none(), label=_("Tỉnh"))
    country = forms.CharField(label=_("Nước"), max_length=100, help_text=_("Ví dụ: Trung Quốc, Lào"))
    name = forms.CharField(
        label=_("Tên đối tác"),
        max_length=300,
        help_text=_("Tỉnh, huyện, thành phố hoặc cơ quan phía bên kia biên giới"),
    )
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reason = _reason_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            AdministrativeUnit.objects.for_user(user, Action.MANAGE)
            .filter(kind=UnitKind.PROVINCE)
            .order_by(*vi_order("name"))
        )

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "unit": d["unit"],
            "country": d["country"].strip(),
            "name": d["name"].strip(),
            "notes": d["notes"].strip(),
        }
