"""Forms of the gates registries (the same forms validate the web page and CSV/XLSX rows)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from borderdesk.core.registry_views import ScopedModelForm

from .models import STAT_VALUE_FIELDS, BorderGate, GateDailyStat, GateStatusPeriod


class BorderGateForm(ScopedModelForm):
    class Meta:
        model = BorderGate
        fields = ["code", "name", "unit", "managing_station", "kind", "parent", "mode", "counterpart_name",
                  "counterpart_country", "official_status", "latitude", "longitude", "coords_are_demo", "status_note",
                  "source", "is_demo"]


class GateStatusPeriodForm(ScopedModelForm):
    class Meta:
        model = GateStatusPeriod
        fields = ["gate", "status", "valid_from", "valid_to", "reason", "source"]


class GateDailyStatForm(ScopedModelForm):
    class Meta:
        model = GateDailyStat
        fields = ["gate", "date", *STAT_VALUE_FIELDS, "note", "source", "is_demo"]


class CrossingLogForm(forms.Form):
    file = forms.FileField(label=_("Tệp nhật ký qua lại (CSV, UTF-8)"))
