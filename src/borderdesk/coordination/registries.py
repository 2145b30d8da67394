"""Registry declaration of coordination agreements (quy chế phối hợp): list with filters and search,
detail, create/edit form, CSV/XLSX import and export, API and delete — the shared registry machinery."""

from django import forms
from django.utils.translation import gettext_lazy as _

from borderdesk.core.collation import vi_order
from borderdesk.core.registry.forms import ScopedModelForm
from borderdesk.core.registry.services import save_form
from borderdesk.core.registry.views import Column, Filter, Registry
from borderdesk.core.scoping import Action
from borderdesk.org.models import AdministrativeUnit, Agency

from .models import Agreement

NS = "coordination"


class AgreementForm(ScopedModelForm):
    """A coordination regulation (quy chế phối hợp): the registry form (page, import and API alike)."""

    class Meta:
        model = Agreement
        fields = [
            "unit",
            "title",
            "year",
            "parties",
            "signed_on",
            "summary",
            "review_date",
            "signing_conference",
            "review_conference",
            "previous",
            "source",
            "is_demo",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"size": 90}),
            "summary": forms.Textarea(attrs={"rows": 4, "cols": 90}),
            "source": forms.Textarea(attrs={"rows": 2, "cols": 90}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = self.fields["unit"].queryset.filter(kind="province").order_by(*vi_order("name"))
        self.fields["parties"].queryset = self.fields["parties"].queryset.select_related("kind")
        self.fields["parties"].widget.attrs["size"] = 10
        self.fields["parties"].help_text = _("Các cơ quan, đảng ủy, cấp ủy cùng ký (ít nhất hai bên).")

    def clean(self):
        data = super().clean()
        parties = data.get("parties")
        if parties is not None and len(parties) < 2:
            self.add_error("parties", _("Quy chế phối hợp cần ít nhất hai bên."))
        year = data.get("year")
        if year is not None and not 1975 <= year <= 2100:
            self.add_error("year", _("Năm phải trong khoảng 1975–2100."))
        previous, unit = data.get("previous"), data.get("unit")
        if previous is not None:
            if self.instance.pk and previous.pk == self.instance.pk:
                self.add_error("previous", _("Quy chế không thể là quy chế năm trước của chính nó."))
            elif year is not None and previous.year >= year:
                self.add_error("previous", _("Quy chế năm trước phải có năm nhỏ hơn %(y)s.") % {"y": year})
            elif unit is not None and previous.unit_id != unit.pk:
                self.add_error("previous", _("Quy chế năm trước thuộc tỉnh khác."))
        for name in ("signing_conference", "review_conference"):
            conf = data.get(name)
            if conf is not None and unit is not None and conf.unit_id != unit.pk:
                self.add_error(name, _("Hội nghị này thuộc tỉnh khác."))
        return data


def agreement_save(*, user, form, instance=None, expected_version=None):
    """Create or edit an agreement from its registry form (page, import, API): scope, version, change log."""
    return save_form(user=user, form=form, instance=instance, expected_version=expected_version)


def _provinces(user):
    return AdministrativeUnit.objects.for_user(user, Action.VIEW).filter(kind="province").only("id", "name")


def _agencies(user):
    return Agency.objects.for_user(user, Action.VIEW).filter(agreements__isnull=False).distinct().only("id", "name")


class _YearFilter(Filter):
    """Agreements of one year (a whole number; anything else is refused with a message)."""

    def options(self, user):
        years = Agreement.objects.for_user(user, Action.VIEW).order_by("-year").values_list("year", flat=True)
        return [(str(y), str(y)) for y in dict.fromkeys(years)]


class _YearColumn(Column):
    def value(self, obj):
        return str(obj.year)  # a year, not a quantity: "2026", never "2.026"


class _AgreementRegistry(Registry):
    def detail_rows(self, obj):
        label = Agreement._meta.get_field("year").verbose_name
        return [(k, str(obj.year) if k == label else v) for k, v in super().detail_rows(obj)]


class _PartiesColumn(Column):
    def value(self, obj):
        return "; ".join(str(p) for p in obj.parties.all())


agreements = _AgreementRegistry(
    model=Agreement,
    slug="quy-che",
    title=_("Quy chế phối hợp"),
    form_class=AgreementForm,
    save=agreement_save,
    bulk_import=True,
    app_namespace=NS,
    help_text=_(
        "Quy chế phối hợp giữa các cơ quan, đảng ủy: các bên, năm, ngày ký, nội dung chính, ngày sơ kết "
        "và hội nghị sơ kết."
    ),
    columns=[
        _YearColumn("year", _("Năm")),
        Column("title", _("Quy chế")),
        _PartiesColumn("parties", _("Các bên"), sort=""),
        Column("signed_on", _("Ngày ký")),
        Column("review_date", _("Sơ kết")),
        Column("review_conference", _("Hội nghị sơ kết")),
    ],
    filters=[
        _YearFilter("nam", _("Năm"), "year", kind="int"),
        Filter("tinh", _("Tỉnh"), "unit", kind="model", queryset=_provinces),
        Filter("ben", _("Bên tham gia"), "parties", kind="model", queryset=_agencies),
        Filter("ky", _("Kỳ ký"), "signed_on", kind="period"),
        Filter("tu_ngay", _("Ký từ ngày"), "signed_on", kind="date_from"),
        Filter("den_ngay", _("Ký đến ngày"), "signed_on", kind="date_to"),
    ],
    search_fields=["title", "summary"],
    select_related=["unit", "signing_conference", "review_conference", "previous"],
    prefetch_related=["parties"],
)

ALL = [agreements]
