"""Forms of the gates registries (the same forms validate the web page and CSV/XLSX rows)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from borderdesk.core.registry.forms import ScopedModelForm

from .models import STAT_VALUE_FIELDS, BorderGate, GateDailyStat, GateStatusPeriod


class BorderGateForm(ScopedModelForm):
    class Meta:
        model = BorderGate
        fields = [
            "code",
            "name",
            "unit",
            "managing_station",
            "kind",
            "parent",
            "mode",
            "counterpart_name",
            "counterpart_country",
            "official_status",
            "latitude",
            "longitude",
            "coords_are_demo",
            "status_note",
            "source",
            "is_demo",
        ]


class GateStatusPeriodForm(ScopedModelForm):
    class Meta:
        model = GateStatusPeriod
        fields = ["gate", "status", "valid_from", "valid_to", "reason", "source"]


class GateDailyStatForm(ScopedModelForm):
    """A blank count means 0 (a form or file row need only carry the figures it has)."""

    class Meta:
        model = GateDailyStat
        fields = ["gate", "date", *STAT_VALUE_FIELDS, "note", "source", "is_demo"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in STAT_VALUE_FIELDS:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in STAT_VALUE_FIELDS:
            if name in data and data[name] is None:
                data[name] = 0
        return data


class CrossingLogForm(forms.Form):
    file = forms.FileField(label=_("Tệp nhật ký qua lại (CSV, UTF-8)"))
