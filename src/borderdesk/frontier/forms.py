"""Forms of the frontier registries (the web page and the CSV/XLSX import share them)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from borderdesk.core.places import SOURCE_FIELDS, CommuneMixin
from borderdesk.core.registry.forms import ScopedModelForm
from borderdesk.org.models import AdministrativeUnit

from .choices import HandlingMode, ResolutionLevel
from .models import (
    BorderSection,
    Incident,
    IncidentCategory,
    Marker,
    MarkerInspection,
    Patrol,
    PatrolRoad,
    SelfManagementRegistration,
)


class BorderSectionForm(CommuneMixin, ScopedModelForm):
    class Meta:
        model = BorderSection
        fields = [
            "name",
            "province",
            "neighbour_country",
            "counterpart_province",
            "length_km",
            "responsible_agencies",
            "impact_level",
            "notes",
            *SOURCE_FIELDS,
        ]


class MarkerForm(CommuneMixin, ScopedModelForm):
    class Meta:
        model = Marker
        fields = [
            "number",
            "kind",
            "arrangement",
            "section",
            "commune",
            "agency",
            "latitude",
            "longitude",
            "coords_are_demo",
            "notes",
            *SOURCE_FIELDS,
        ]


class MarkerInspectionForm(ScopedModelForm):
    class Meta:
        model = MarkerInspection
        fields = ["marker", "inspected_on", "team", "agency", "state", "notes", *SOURCE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["marker"].queryset = self.fields["marker"].queryset.select_related("section")


class PatrolRoadForm(CommuneMixin, ScopedModelForm):
    class Meta:
        model = PatrolRoad
        fields = [
            "name",
            "kind",
            "section",
            "commune",
            "agency",
            "marker",
            "length_km",
            "built_on",
            "notes",
            *SOURCE_FIELDS,
        ]


class PatrolForm(ScopedModelForm):
    class Meta:
        model = Patrol
        fields = [
            "kind",
            "started_at",
            "ended_at",
            "agency",
            "counterpart_unit",
            "from_marker",
            "to_marker",
            "km",
            "participants",
            "findings",
            "minutes_signed",
            *SOURCE_FIELDS,
        ]


class IncidentForm(CommuneMixin, ScopedModelForm):
    class Meta:
        model = Incident
        fields = [
            "title",
            "category",
            "occurred_at",
            "description",
            "marker",
            "section",
            "commune",
            "latitude",
            "longitude",
            "persons_involved",
            "vehicles_involved",
            "involved_details",
            "detected_by",
            "agency",
            *SOURCE_FIELDS,
        ]


class SelfManagementForm(CommuneMixin, ScopedModelForm):
    class Meta:
        model = SelfManagementRegistration
        fields = [
            "registrant_kind",
            "registrant_name",
            "segment",
            "section",
            "markers",
            "km",
            "commune",
            "agency",
            "valid_from",
            "valid_to",
            *SOURCE_FIELDS,
        ]

    def _post_clean(self):
        """After the model has placed the registration in its province: every marker must be of that province
        (a user who sees several provinces could otherwise pick another province's markers)."""
        super()._post_clean()
        province_id = self.instance.province_id
        if province_id is None or "markers" in self.errors:
            return
        foreign = [m.number for m in self.cleaned_data.get("markers") or [] if m.province_id != province_id]
        if foreign:
            self.add_error("markers", _("Mốc %(n)s thuộc tỉnh khác.") % {"n": ", ".join(foreign)})


class IncidentCategoryForm(ScopedModelForm):
    """An incident category; its indicator is picked from the reporting catalogue (validated by the model)."""

    class Meta:
        model = IncidentCategory
        fields = ["code", "name", "name_en", "sort_order", "indicator_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from borderdesk.reporting.models import Indicator

        from .choices import CATEGORY_INDICATORS

        rows = (
            Indicator.objects.filter(code__in=list(CATEGORY_INDICATORS)).order_by("code").values_list("code", "name_vi")
        )
        choices = [("", "—"), *((c, f"{c} — {n}") for c, n in rows)]
        current = self.initial.get("indicator_code") or ""
        if current and current not in {c for c, _n in choices}:
            choices.append((current, current))  # a stale link stays visible (and is reported on save)
        self.fields["indicator_code"].widget = forms.Select(choices=choices)


class IncidentStepForm(forms.Form):
    """One lifecycle step on the incident page."""

    note = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    handling_mode = forms.ChoiceField(
        label=_("Hình thức xử lý"), required=False, choices=[("", "—"), *HandlingMode.choices]
    )
    resolution_level = forms.ChoiceField(
        label=_("Kết quả giải quyết"), required=False, choices=[("", "—"), *ResolutionLevel.choices]
    )


class IncidentMergeForm(forms.Form):
    duplicate = forms.IntegerField(label=_("Mã vụ việc trùng (sẽ gộp vào vụ này)"), min_value=1)
    note = forms.CharField(label=_("Ghi chú"), required=False)


class InspectionPhotoForm(forms.Form):
    file = forms.FileField(label=_("Ảnh (JPG, PNG)"))
    caption = forms.CharField(label=_("Chú thích"), required=False, max_length=200)


__all__ = ["AdministrativeUnit"]
