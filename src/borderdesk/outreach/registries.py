"""Registry declarations of the outreach app."""

from django.utils.translation import gettext_lazy as _

from borderdesk.core.registry.views import Column, Filter, Registry
from borderdesk.core.scoping import Action

from . import forms, services
from .choices import AudienceKind, BeneficiaryKind, ProgrammeKind
from .models import Beneficiary, HouseholdCommitment, Programme, PropagandaSession

NS = "outreach"


def _programmes(user):
    return Programme.objects.for_user(user, Action.VIEW).only("id", "name")


def _programme_context(obj, user):
    return {"beneficiaries": obj.beneficiaries.for_user(user, Action.VIEW).select_related("commune")[:500]}


sessions = Registry(
    model=PropagandaSession,
    slug="tuyen-truyen",
    title=_("Buổi tuyên truyền pháp luật"),
    form_class=forms.PropagandaSessionForm,
    save=services.session_save,
    bulk_import=True,
    app_namespace=NS,
    columns=[
        Column("held_on", _("Ngày")),
        Column("place_name", _("Địa điểm")),
        Column("commune", _("Xã")),
        Column("audience_kind", _("Đối tượng")),
        Column("listeners", _("Lượt người nghe")),
        Column("leaflets", _("Tờ rơi")),
        Column("document_sets", _("Bộ tài liệu")),
        Column("bilingual", _("Song ngữ")),
        Column("joint_with_counterpart", _("Với phía bạn")),
    ],
    filters=[
        Filter("ky", _("Kỳ"), "held_on", kind="period"),
        Filter("doi_tuong", _("Đối tượng"), "audience_kind", choices=AudienceKind.choices),
        Filter("song_ngu", _("Song ngữ"), "bilingual", kind="bool"),
        Filter("phia_ban", _("Phối hợp với phía bạn"), "joint_with_counterpart", kind="bool"),
    ],
    search_fields=["place_name", "topic"],
    select_related=["commune", "agency"],
)

commitments = Registry(
    model=HouseholdCommitment,
    slug="cam-ket",
    title=_("Hộ gia đình ký cam kết"),
    form_class=forms.HouseholdCommitmentForm,
    save=services.commitment_save,
    bulk_import=True,
    app_namespace=NS,
    columns=[
        Column("signed_on", _("Ngày ký")),
        Column("commune", _("Xã")),
        Column("village", _("Thôn, bản")),
        Column("households", _("Số hộ")),
        Column("agency", _("Đơn vị vận động")),
    ],
    filters=[Filter("ky", _("Kỳ"), "signed_on", kind="period")],
    search_fields=["village", "notes"],
    select_related=["commune", "agency"],
)

programmes = Registry(
    model=Programme,
    slug="chuong-trinh",
    title=_("Chương trình hỗ trợ"),
    form_class=forms.ProgrammeForm,
    save=services.programme_save,
    bulk_import=True,
    app_namespace=NS,
    detail_template="outreach/programme_detail.html",
    detail_context=_programme_context,
    columns=[
        Column("name", _("Tên chương trình")),
        Column("kind", _("Loại")),
        Column("agency", _("Đơn vị")),
        Column("commune", _("Xã")),
        Column("started_on", _("Bắt đầu")),
        Column("ended_on", _("Kết thúc")),
    ],
    filters=[Filter("loai", _("Loại"), "kind", choices=ProgrammeKind.choices)],
    search_fields=["name", "description"],
    select_related=["agency", "commune"],
)

beneficiaries = Registry(
    model=Beneficiary,
    slug="nguoi-duoc-ho-tro",
    title=_("Người được hỗ trợ"),
    form_class=forms.BeneficiaryForm,
    save=services.beneficiary_save,
    bulk_import=True,
    app_namespace=NS,
    columns=[
        Column("name", _("Họ tên")),
        Column("programme", _("Chương trình")),
        Column("kind", _("Đối tượng")),
        Column("commune", _("Xã")),
        Column("support_from", _("Từ")),
        Column("support_to", _("Đến")),
        Column("monthly_amount_vnd", _("Mức hỗ trợ/tháng (đồng)")),
    ],
    filters=[
        Filter("chuong_trinh", _("Chương trình"), "programme", kind="model", queryset=_programmes),
        Filter("doi_tuong", _("Đối tượng"), "kind", choices=BeneficiaryKind.choices),
    ],
    search_fields=["name", "notes"],
    select_related=["programme", "commune"],
)

ALL = [sessions, commitments, programmes, beneficiaries]
