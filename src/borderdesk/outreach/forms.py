from borderdesk.core.places import SOURCE_FIELDS, CommuneMixin
from borderdesk.core.registry.forms import ScopedModelForm

from .models import Beneficiary, HouseholdCommitment, Programme, PropagandaSession


class PropagandaSessionForm(CommuneMixin, ScopedModelForm):
    class Meta:
        model = PropagandaSession
        fields = [
            "held_on",
            "place_name",
            "commune",
            "agency",
            "topic",
            "audience_kind",
            "listeners",
            "leaflets",
            "document_sets",
            "bilingual",
            "joint_with_counterpart",
            "counterpart_name",
            *SOURCE_FIELDS,
        ]


class HouseholdCommitmentForm(CommuneMixin, ScopedModelForm):
    class Meta:
        model = HouseholdCommitment
        fields = ["signed_on", "commune", "village", "households", "agency", "notes", *SOURCE_FIELDS]


class ProgrammeForm(CommuneMixin, ScopedModelForm):
    class Meta:
        model = Programme
        fields = ["name", "kind", "agency", "commune", "started_on", "ended_on", "description", *SOURCE_FIELDS]


class BeneficiaryForm(CommuneMixin, ScopedModelForm):
    class Meta:
        model = Beneficiary
        fields = [
            "programme",
            "name",
            "kind",
            "commune",
            "agency",
            "support_from",
            "support_to",
            "monthly_amount_vnd",
            "notes",
            *SOURCE_FIELDS,
        ]
