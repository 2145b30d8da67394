"""Forms of the account pages. They only read input; every rule (scope, escalation) lives in services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borderdesk.core.collation import vi_order
from borderdesk.core.scoping import Action
from borderdesk.org.forms import ServiceForm, _date_field, _reason_field
from borderdesk.org.models import AdministrativeUnit, Agency

from .selectors import grantable_roles


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "\u2003" * max(obj.depth - 1, 0) + obj.name


class RoleForm(ServiceForm):
    role = forms.ChoiceField(label=_("Vai trò"))
    unit = _UnitChoice(
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        label=_("Phạm vi: đơn vị (cả cấp dưới)"),
        empty_label=_("— Không chọn —"),
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), required=False, label=_("Phạm vi: cơ quan"), empty_label=_("— Không chọn —")
    )
    valid_from = _date_field(_("Từ ngày"))
    valid_to = _date_field(_("Đến ngày"), help_text=_("Để trống nếu không có thời hạn."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["role"].choices = grantable_roles(user)
        self.fields["unit"].queryset = (
            AdministrativeUnit.objects.for_user(user, Action.MANAGE)
            .valid_on(today)
            .exclude(kind="country")
            .order_by("path")
        )
        self.fields["agency"].queryset = (
            Agency.objects.for_user(user, Action.MANAGE).valid_on(today).order_by(*vi_order("name"))
        )

    def role_kwargs(self) -> dict:
        d = self.cleaned_data
        return {k: d[k] for k in ("role", "unit", "agency", "valid_from", "valid_to")}


class UserCreateForm(RoleForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        help_text=_("Chữ không dấu, số và . _ @ + - (ví dụ: baocao.dongdang)."),
    )
    display_name = forms.CharField(label=_("Tên hiển thị"), max_length=200, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    language = forms.ChoiceField(label=_("Ngôn ngữ"), choices=[("vi", "Tiếng Việt"), ("en", "English")])
    reason = _reason_field()
    field_order = [
        "username",
        "display_name",
        "email",
        "language",
        "role",
        "unit",
        "agency",
        "valid_from",
        "valid_to",
        "reason",
    ]


class UserEditForm(ServiceForm):
    display_name = forms.CharField(label=_("Tên hiển thị"), max_length=200, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    language = forms.ChoiceField(label=_("Ngôn ngữ"), choices=[("vi", "Tiếng Việt"), ("en", "English")])
    reason = _reason_field()


class PasswordChangeForm(ServiceForm):
    old_password = forms.CharField(
        label=_("Mật khẩu hiện tại"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("Mật khẩu mới"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 10 ký tự, không toàn chữ số, không quá giống tên đăng nhập."),
    )
    new_password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class BulkUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp tài khoản (.xlsx hoặc .csv)"))
