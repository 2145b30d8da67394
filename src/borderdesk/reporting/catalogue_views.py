"""Pages of the indicator catalogue, forms (versions, builder) and validation rules: thin wrappers over
:mod:`borderdesk.reporting.catalogue` (the API calls the same services)."""

from __future__ import annotations

import re

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderdesk.core.collation import vi_order
from borderdesk.core.errors import ApplicationError, NotFoundError

from . import catalogue, rules
from .choices import INDICATOR_GROUPS, Aggregation, Operator, Severity, ValueType
from .lists import INDICATORS
from .models import Indicator, ReportForm, ValidationRule
from .province_forms import form_copy_for_province, province_code

NOT_FOUND = gettext_lazy("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập).")


# ---------------------------------------------------------------- forms (parsing only; rules are in services)


class IndicatorForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã"),
        max_length=64,
        help_text=gettext_lazy("Chữ in hoa không dấu, số, dấu gạch dưới; không đổi được sau khi tạo."),
    )
    name_vi = forms.CharField(label=gettext_lazy("Tên chỉ tiêu (tiếng Việt)"), max_length=300)
    name_en = forms.CharField(label=gettext_lazy("Tên tiếng Anh"), max_length=300, required=False)
    unit = forms.CharField(label=gettext_lazy("Đơn vị tính"), max_length=40, required=False)
    value_type = forms.ChoiceField(label=gettext_lazy("Kiểu giá trị"), choices=ValueType.choices)
    aggregation = forms.ChoiceField(label=gettext_lazy("Cách tổng hợp"), choices=Aggregation.choices)
    higher_is_better = forms.ChoiceField(
        label=gettext_lazy("Chiều tốt"),
        required=False,
        choices=[
            ("", gettext_lazy("Không đánh giá")),
            ("true", gettext_lazy("Càng cao càng tốt")),
            ("false", gettext_lazy("Càng thấp càng tốt")),
        ],
    )
    group = forms.ChoiceField(label=gettext_lazy("Nhóm"), required=False)
    group_new = forms.CharField(
        label=gettext_lazy("Hoặc nhóm mới"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("Điền khi chỉ tiêu thuộc một nhóm chưa có trong danh sách trên."),
    )
    registry_figure = forms.ChoiceField(label=gettext_lazy("Số liệu từ sổ theo dõi"), required=False)
    description = forms.CharField(label=gettext_lazy("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    extraction_keywords = forms.CharField(
        label=gettext_lazy("Từ khóa trích xuất"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Cách nhau bằng dấu chấm phẩy; “-từ” để loại trừ."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registry_figure"].choices = [("", _("Không (hoặc số liệu cùng mã nếu có)"))] + [
            (code, f"{code} — {desc} ({source_name(source)})") for code, source, desc in catalogue.registry_figures()
        ]
        in_use = Indicator.objects.exclude(group="").values_list("group", flat=True).distinct()
        self.fields["group"].choices = (
            [("", _("Không thuộc nhóm nào"))]
            + list(INDICATOR_GROUPS.items())
            + sorted((g, g) for g in set(in_use) - set(INDICATOR_GROUPS))
        )
        if editing:
            self.fields["code"].disabled = True

    def clean(self):
        data = super().clean()
        new = (data.pop("group_new", "") or "").strip()
        if new:  # a group of the office's own: the same rule as the API's (any name), typed here
            data["group"] = new
        return data


def _indicator_initial(ind: Indicator) -> dict:
    return {
        "code": ind.code,
        "name_vi": ind.name_vi,
        "name_en": ind.name_en,
        "unit": ind.unit,
        "value_type": ind.value_type,
        "aggregation": ind.aggregation,
        "higher_is_better": "" if ind.higher_is_better is None else str(ind.higher_is_better).lower(),
        "group": ind.group,
        "registry_figure": ind.registry_figure,
        "description": ind.description,
        "extraction_keywords": ind.extraction_keywords,
    }


SPEC_KINDS = {
    "year": gettext_lazy("Năm"),
    "H1": gettext_lazy("6 tháng đầu năm"),
    "H2": gettext_lazy("6 tháng cuối năm"),
    "N9": gettext_lazy("9 tháng"),
    "quarter": gettext_lazy("Quý"),
    "month": gettext_lazy("Tháng"),
    "cutoff": gettext_lazy("Tính đến ngày chốt số liệu"),
}
SPEC_RULES = {
    "decree09": gettext_lazy("theo Nghị định 09/2019"),
    "calendar": gettext_lazy("theo lịch"),
    "custom": gettext_lazy("ngày chốt tùy chọn"),
}


def spec_label(version) -> str:
    """The period rule of a form version in words: "Tháng (theo Nghị định 09/2019)"."""
    if version is None:
        return ""
    spec = version.period_spec or {}
    kind, rule = SPEC_KINDS.get(spec.get("kind"), spec.get("kind", "")), SPEC_RULES.get(spec.get("rule"), "")
    return f"{kind} ({rule})" if rule else str(kind)


def source_name(label: str) -> str:
    """A registry figure's source (an app label, "frontier") as the interface names that registry."""
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


def _add_errors(form, exc: ApplicationError) -> None:
    if not exc.field_errors:
        form.add_error(None, str(exc.message))
    for name, msgs in exc.field_errors.items():
        for m in msgs if isinstance(msgs, list | tuple) else [msgs]:
            form.add_error(name if name in form.fields else None, str(m))


# ---------------------------------------------------------------- indicators


@login_required
def indicator_list(request):
    columns = [(s.label, s.key) for s in INDICATORS.sorts] + [(_("Từ sổ theo dõi"), "")]
    if catalogue.can_add_indicators(request.user):
        columns.append((_("Thao tác"), ""))
    result = INDICATORS.page(request, catalogue.indicators_list(), columns=columns)
    page = result.page
    groups = Indicator.objects.order_by("group").values_list("group", flat=True).distinct()
    return render(
        request,
        "reporting/catalogue/indicators.html",
        {
            "page": page,
            "groups": [(g, INDICATOR_GROUPS.get(g, g)) for g in groups if g],
            "group": result.values["nhom"],
            "q": request.GET.get("q", ""),
            "can_add": catalogue.can_add_indicators(request.user),
            "can_edit": catalogue.can_add_indicators(request.user),
            "editable": {i.code for i in page if catalogue.can_edit_indicator(request.user, i)},
            "figures": {c: (source_name(s), d) for c, s, d in catalogue.registry_figures()},
            "querystring": result.querystring,
            "headers": result.headers,
            "list_error": result.error,
        },
        status=400 if result.error else 200,
    )


def _indicator_form_view(request, ind: Indicator | None):
    allowed = (
        catalogue.can_add_indicators(request.user) if ind is None else catalogue.can_edit_indicator(request.user, ind)
    )
    if not allowed:
        raise NotFoundError(NOT_FOUND)
    status = 200
    if request.method == "POST":
        form = IndicatorForm(request.POST, editing=ind is not None, initial=_indicator_initial(ind) if ind else None)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if ind is not None:
                data.pop("code", None)
            try:
                saved = catalogue.indicator_save(
                    user=request.user, data=data, instance=ind, expected_version=request.POST.get("_version") or None
                )
            except ApplicationError as exc:
                if exc.status_code == 409:
                    form.add_error(None, str(exc.message))
                else:
                    _add_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu chỉ tiêu %s.") % saved.code)
                return redirect(reverse("reporting:indicators") + f"?q={saved.code}")
        status = 400
    else:
        form = IndicatorForm(
            editing=ind is not None,
            initial=_indicator_initial(ind)
            if ind
            else {"value_type": ValueType.INTEGER, "aggregation": Aggregation.SUM},
        )
    provinces = catalogue.user_provinces(request.user)
    owner = ind.province if ind is not None else (provinces[0] if len(provinces) == 1 else None)
    return render(
        request, "reporting/catalogue/indicator_form.html", {"form": form, "object": ind, "owner": owner}, status=status
    )


@login_required
def indicator_create(request):
    return _indicator_form_view(request, None)


@login_required
def indicator_edit(request, code: str):
    return _indicator_form_view(request, catalogue.indicator_get(code))


# ---------------------------------------------------------------- forms and versions


@login_required
def form_list(request):
    from .models import ReportForm

    rows = []
    for f in ReportForm.objects.select_related("province").prefetch_related("versions").order_by("code"):
        versions = sorted(f.versions.all(), key=lambda v: -v.number)
        usage = catalogue.form_usage(f)
        rows.append(
            {
                "form": f,
                "current": versions[0] if versions else None,
                "versions": len(versions),
                "reports": sum(usage.values()),
                "spec": spec_label(versions[0] if versions else None),
            }
        )
    return render(
        request, "reporting/catalogue/forms.html", {"rows": rows, "can_edit": catalogue.can_edit_forms(request.user)}
    )


@login_required
def form_detail(request, code: str):
    form = catalogue.form_get(code)
    versions = sorted(form.versions.all(), key=lambda v: -v.number)
    usage = catalogue.form_usage(form)
    current = versions[0] if versions else None
    codes = [c for v in versions for c in v.indicator_codes()]
    names = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    sections = [
        {"title": s.get("title", ""), "indicators": [names.get(c) or c for c in s.get("indicators", [])]}
        for s in (current.sections if current else [])
    ]
    rules = ValidationRule.objects.filter(form=form).order_by(*vi_order("name", "pk"))
    national = ValidationRule.objects.filter(form__isnull=True).order_by(*vi_order("name", "pk"))
    return render(
        request,
        "reporting/catalogue/form_detail.html",
        {
            "form": form,
            "current": current,
            "sections": sections,
            "spec": spec_label(current),
            "versions": [(v, usage.get(v.pk, 0)) for v in versions],
            "rules": rules,
            "national_rules": national,
            "can_edit": catalogue.can_edit_form(request.user, form),
            "can_copy": form.province_id is None
            and bool(catalogue.user_provinces(request.user))
            and not ReportForm.objects.filter(
                code__in=[province_code(form.code, p) for p in catalogue.user_provinces(request.user)]
            ).exists(),
            "can_edit_national": catalogue.can_edit_catalogue(request.user),
        },
    )


@login_required
def form_copy(request, code: str):
    """POST: the standing office makes its province's own form from this national one (version 1)."""
    if request.method != "POST" or not catalogue.can_edit_forms(request.user):
        raise NotFoundError(NOT_FOUND)
    try:
        version = form_copy_for_province(user=request.user, code=code)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("reporting:form_detail", code=code)
    messages.success(
        request,
        _(
            "Đã tạo biểu mẫu riêng của tỉnh “%(f)s” (phiên bản 1, sao từ biểu mẫu chung). "
            "Soạn phiên bản mới để thêm chỉ tiêu của tỉnh."
        )
        % {"f": version.form.name},
    )
    return redirect("reporting:form_detail", code=version.form.code)


_CODE_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _codes_from_text(text: str) -> list[str]:
    """One code per line ("PATROLS_TOTAL" or "PATROLS_TOTAL — Tổng số lượt tuần tra"); commas also separate."""
    out = []
    for line in (text or "").replace(",", "\n").splitlines():
        m = _CODE_TOKEN.search(line.strip())
        if m and line.strip():
            out.append(m.group(0).upper())
    return out


def _narratives_from_text(text: str) -> list[dict]:
    """One section per line: "code: Title" or just "Title" (a code is made from the line number)."""
    out = []
    for i, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        code, sep, title = line.partition(":")
        if sep and re.fullmatch(r"[a-z0-9_-]{1,64}", code.strip()):
            out.append({"code": code.strip(), "title": title.strip()})
        else:
            out.append({"code": f"n{i}", "title": line})
    return out


@login_required
def form_new_version(request, code: str):
    """The builder: sections of catalogue indicators and narrative outline sections; publishes a new version."""
    form = catalogue.form_get(code)
    if not catalogue.can_edit_form(request.user, form):
        raise NotFoundError(NOT_FOUND)
    current = form.current_version()
    status, errors = 200, []
    if request.method == "POST":
        sections = []
        for i in range(int(request.POST.get("n_sections", 0) or 0)):
            title = (request.POST.get(f"s{i}_title") or "").strip()
            codes = _codes_from_text(request.POST.get(f"s{i}_codes", ""))
            if not title and not codes:
                continue
            sections.append(
                {
                    "code": (request.POST.get(f"s{i}_code") or "").strip() or f"s{i + 1}",
                    "title": title,
                    "indicators": codes,
                }
            )
        narr = _narratives_from_text(request.POST.get("narratives", ""))
        try:
            version = catalogue.form_publish(
                user=request.user,
                code=code,
                name=request.POST.get("name", ""),
                sections=sections,
                narrative_sections=narr,
                expected_number=request.POST.get("based_on") or None,
            )
        except ApplicationError as exc:
            errors = [str(exc.message)]
            status = exc.status_code
        else:
            messages.success(
                request,
                _(
                    "Đã công bố phiên bản %(n)s của “%(f)s”. Báo cáo đã mở theo phiên bản cũ "
                    "giữ nguyên phiên bản của mình."
                )
                % {"n": version.number, "f": form.name},
            )
            return redirect("reporting:form_detail", code=code)
        rows = [
            {
                "code": request.POST.get(f"s{i}_code", ""),
                "title": request.POST.get(f"s{i}_title", ""),
                "codes": request.POST.get(f"s{i}_codes", ""),
            }
            for i in range(int(request.POST.get("n_sections", 0) or 0))
        ]
        narr_text = request.POST.get("narratives", "")
        name = request.POST.get("name", form.name)
    else:
        rows = [
            {"code": s.get("code", ""), "title": s.get("title", ""), "codes": "\n".join(s.get("indicators", []))}
            for s in (current.sections if current else [])
        ]
        narr_text = "\n".join(f"{s['code']}: {s['title']}" for s in (current.narrative_sections if current else []))
        name = form.name
    rows += [{"code": "", "title": "", "codes": ""}] * 2  # room for new sections
    return render(
        request,
        "reporting/catalogue/form_builder.html",
        {
            "form": form,
            "current": current,
            "rows": rows,
            "narratives": narr_text,
            "name": name,
            "errors": errors,
            "indicators": Indicator.objects.filter(Q(province__isnull=True) | Q(province=form.province_id)).order_by(
                "group", "code"
            ),
        },
        status=status,
    )


# ---------------------------------------------------------------- validation rules


class RuleForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Tên quy tắc"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"style": "width:100%"}),
    )
    left = forms.CharField(
        label=gettext_lazy("Vế trái"),
        max_length=500,
        widget=forms.TextInput(attrs={"style": "width:100%", "spellcheck": "false"}),
        help_text=gettext_lazy("Mã chỉ tiêu, số, + - * / và ngoặc; group:nhóm là tổng một nhóm."),
    )
    operator = forms.ChoiceField(label=gettext_lazy("Phép so sánh"), choices=Operator.choices)
    right = forms.CharField(
        label=gettext_lazy("Vế phải"),
        max_length=500,
        widget=forms.TextInput(attrs={"style": "width:100%", "spellcheck": "false"}),
    )
    severity = forms.ChoiceField(label=gettext_lazy("Mức độ"), choices=Severity.choices)
    skip_when_missing = forms.BooleanField(label=gettext_lazy("Bỏ qua khi thiếu số liệu"), required=False, initial=True)
    message = forms.CharField(
        label=gettext_lazy("Thông báo cho người nhập"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"style": "width:100%"}),
    )
    is_active = forms.BooleanField(label=gettext_lazy("Đang áp dụng"), required=False, initial=True)
    period = forms.CharField(
        label=gettext_lazy("Kỳ xem thử"),
        required=False,
        max_length=16,
        help_text=gettext_lazy("Để trống: kỳ vừa kết thúc (ví dụ 2025M12, 2025Q4)."),
    )


def _rule_initial(rule: ValidationRule) -> dict:
    return {k: getattr(rule, k) for k in rules.RULE_FIELDS}


@login_required
def rule_edit(request, code: str, rule_id: int | None = None):
    """Create or edit a rule of a form, with "Xem thử" (preview against last period's reports, nothing saved)."""
    form_obj = catalogue.form_get(code)
    rule = None
    if rule_id is not None:
        rule = (
            ValidationRule.objects.filter(pk=rule_id).filter(form=form_obj).first()
            or ValidationRule.objects.filter(pk=rule_id, form__isnull=True).first()
        )
        if rule is None:
            raise NotFoundError(NOT_FOUND)
    allowed = (
        catalogue.can_edit_catalogue(request.user)
        if (rule and rule.form_id is None)
        else catalogue.can_edit_form(request.user, form_obj)
    )
    if not allowed:
        raise NotFoundError(NOT_FOUND)
    preview, status = None, 200
    if request.method == "POST":
        form = RuleForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "period"}
            try:
                if request.POST.get("action") == "preview":
                    preview = rules.rule_preview(
                        user=request.user,
                        form=form_obj,
                        data=data,
                        period_key=(form.cleaned_data["period"] or "").strip(),
                    )
                elif request.POST.get("action") == "delete" and rule is not None:
                    rules.rule_delete(
                        user=request.user, rule=rule, expected_version=request.POST.get("_version") or None
                    )
                    messages.success(request, _("Đã xóa quy tắc “%s”.") % rule.name)
                    return redirect("reporting:form_detail", code=code)
                else:
                    saved = rules.rule_save(
                        user=request.user,
                        data=data,
                        instance=rule,
                        form=form_obj if rule is None else None,
                        expected_version=request.POST.get("_version") or None,
                    )
                    messages.success(request, _("Đã lưu quy tắc “%s”.") % saved.name)
                    return redirect("reporting:form_detail", code=code)
            except ApplicationError as exc:
                _add_errors(form, exc)
                status = exc.status_code
        else:
            status = 400
    else:
        form = RuleForm(initial=_rule_initial(rule) if rule else {"skip_when_missing": True, "is_active": True})
    return render(
        request,
        "reporting/catalogue/rule_form.html",
        {
            "form_obj": form_obj,
            "form": form,
            "rule": rule,
            "preview": preview,
            "codes": form_obj.current_version().indicator_codes() if form_obj.current_version() else [],
        },
        status=status,
    )
