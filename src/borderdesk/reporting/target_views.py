"""Plan targets page: list a unit's targets for a year, set one, delete one, spreadsheet in and out."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from borderdesk.core.errors import ApplicationError
from borderdesk.core.periods import parse_period
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.core.templatetags.vn import lname, unitname
from borderdesk.org.forms import ServiceForm
from borderdesk.org.models import AdministrativeUnit

from . import targets
from .models import Indicator, Target


def indicator_label(indicator) -> str:
    """An indicator as an office reads it: its name in the interface's language and its unit ("Số lượt tuần tra
    song phương (lượt)"); the code stays in the API and the spreadsheet."""
    unit = unitname(indicator.unit)
    return f"{lname(indicator)} ({unit})" if unit else lname(indicator)


class TargetForm(ServiceForm):
    unit = forms.ModelChoiceField(queryset=AdministrativeUnit.objects.none(), label=gettext_lazy("Đơn vị"))
    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none(), label=gettext_lazy("Chỉ tiêu"))
    period = forms.ChoiceField(label=gettext_lazy("Kỳ kế hoạch"))
    value = forms.CharField(
        label=gettext_lazy("Kế hoạch"),
        max_length=40,
        help_text=gettext_lazy("Ví dụ: 1.700 hoặc 6,73"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, user, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        today = dt.date.today()
        self.fields["unit"].queryset = (
            AdministrativeUnit.objects.for_user(user, Action.MANAGE)
            .valid_on(today)
            .exclude(kind="country")
            .order_by("path")
        )
        self.fields["indicator"].queryset = Indicator.objects.exclude(value_type="text").order_by("group", "code")
        self.fields["indicator"].label_from_instance = indicator_label
        self.fields["period"].choices = [
            (str(year), _("Năm %(y)s") % {"y": year}),
            (f"{year}H1", _("6 tháng đầu năm %(y)s") % {"y": year}),
            (f"{year}H2", _("6 tháng cuối năm %(y)s") % {"y": year}),
        ]


def _params(request):
    user = request.user
    units = list(
        AdministrativeUnit.objects.for_user(user, Action.VIEW)
        .valid_on(dt.date.today())
        .filter(kind__in=("country", "province", "commune", "ward", "town"))
        .order_by("path")
    )
    unit_id = request.GET.get("don_vi") or request.POST.get("don_vi")
    if unit_id:
        unit = get_for_user_or_404(AdministrativeUnit, user, pk=unit_id)
    else:
        unit = next((u for u in units if u.kind == "province"), units[0] if units else None)
    try:
        year = int(request.GET.get("nam") or request.POST.get("nam") or dt.date.today().year)
    except ValueError:
        year = dt.date.today().year
    year = min(max(year, 2000), 2100)
    return units, unit, year


@login_required
def target_list(request):
    units, unit, year = _params(request)
    can_manage = request.user.can(Action.MANAGE)
    form = (
        TargetForm(
            request.POST or None,
            user=request.user,
            year=year,
            initial={"unit": unit.pk if unit else None, "period": str(year)},
        )
        if can_manage
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        d = form.cleaned_data
        try:
            t = targets.target_set(
                user=request.user,
                indicator=d["indicator"],
                unit=d["unit"],
                period_key=d["period"],
                value=d["value"],
                note=d["note"].strip(),
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Đã lưu kế hoạch %(i)s của %(u)s.") % {"i": lname(t.indicator), "u": t.unit})
            return redirect(f"{request.path}?don_vi={unit.pk}&nam={year}")
    rows = list(targets.targets_for(user=request.user, unit=unit, year=year)) if unit else []
    for t in rows:
        t.period = parse_period(t.period_key)
    return render(
        request,
        "reporting/targets.html",
        {
            "units": units,
            "unit": unit,
            "year": year,
            "rows": rows,
            "form": form,
            "can_manage": can_manage,
            "import_errors": request.session.pop("target_import_errors", None),
        },
        status=400 if form and form.errors else 200,
    )


@login_required
@require_POST
def target_delete(request, pk: int):
    t = get_for_user_or_404(Target.objects.select_related("indicator", "unit"), request.user, Action.MANAGE, pk=pk)
    back = f"{redirect('reporting:targets').url}?don_vi={request.POST.get('don_vi', t.unit_id)}&nam={t.period_key[:4]}"
    targets.target_delete(user=request.user, target=t, reason=request.POST.get("reason", ""))
    messages.success(request, _("Đã xóa kế hoạch."))
    return redirect(back)


@login_required
def target_template(request):
    _units, unit, year = _params(request)
    if unit is None:
        raise ApplicationError(_("Chọn đơn vị."))
    rows = targets.template_rows(user=request.user, unit=unit, year=year)
    name = f"ke-hoach-{year}-{unit.code or unit.pk}"
    if request.GET.get("dinh_dang") == "csv":
        resp = HttpResponse(targets.template_csv(rows), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return resp
    resp = HttpResponse(
        targets.template_xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return resp


@login_required
@require_POST
def target_import(request):
    _units, unit, year = _params(request)
    back = f"{redirect('reporting:targets').url}?don_vi={unit.pk if unit else ''}&nam={year}"
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Chọn tệp để nhập."))
        return redirect(back)
    try:
        if request.POST.get("background"):
            from .jobs import submit_targets_import

            job = submit_targets_import(user=request.user, uploaded=upload, back_url=back)
            return redirect("jobs:detail", pk=job.pk)
        n = targets.import_targets(user=request.user, uploaded=upload)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        request.session["target_import_errors"] = exc.extra.get("errors", [])
    else:
        messages.success(request, _("Đã lưu %(n)s kế hoạch từ tệp.") % {"n": n})
    return redirect(back)
