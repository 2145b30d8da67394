"""Forms of the extraction pages: they parse input only; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300, required=False)
    owner = forms.ChoiceField(label=_("Đơn vị / cơ quan báo cáo"))
    file = forms.FileField(label=_("Tệp (.txt, .docx, .html)"), required=False, allow_empty_file=True)
    text = forms.CharField(label=_("Hoặc dán nội dung"), widget=forms.Textarea(attrs={"rows": 12}), required=False)

    def __init__(self, *args, units=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— chọn —"))]
        choices += [(f"u{u.pk}", u.name) for u in units]
        choices += [(f"a{a.pk}", f"{a.name}") for a in agencies]
        self.fields["owner"].choices = choices
        self._units = {u.pk: u for u in units}
        self._agencies = {a.pk: a for a in agencies}

    def owner_objects(self):
        """(unit, agency) chosen; the service checks scope again."""
        raw = self.cleaned_data.get("owner") or ""
        kind, _sep, pk = raw[:1], None, raw[1:]
        if not pk.isdigit():
            return None, None
        if kind == "u":
            return self._units.get(int(pk)), None
        if kind == "a":
            return None, self._agencies.get(int(pk))
        return None, None
