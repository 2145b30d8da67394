"""A province's own form, started from a national one (the standing office's reporting regime).

A national form (no province) is written by administrators only. A standing office that wants its
communes and stations to report something more (its own indicator, another outline) makes the
province's own form from a national one: version 1 is a copy of the national form's current version,
its reporters narrowed to the province (the units and agencies of the national reporter kinds inside
the province, listed by id), and from then on the office publishes its versions
(:func:`borderdesk.reporting.catalogue.form_publish`). The national form is untouched.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from borderdesk.core.changelog import record_change, snapshot
from borderdesk.core.errors import ApplicationError

from . import catalogue
from .models import FormVersion, ReportForm


def province_slug(province) -> str:
    """ "Tỉnh Lạng Sơn" → "lang-son" (the suffix of the province's form codes)."""
    name = province.name.replace("Đ", "D").replace("đ", "d")
    for prefix in ("Tỉnh ", "Thành phố "):
        name = name.removeprefix(prefix)
    return slugify(name)[:20].strip("-")


def province_code(code: str, province) -> str:
    return f"{code}-{province_slug(province)}"[:64]


def narrowed_reporters(spec: dict, province) -> dict:
    """The national reporter spec, narrowed to the province's subtree (units and agencies by id)."""
    from borderdesk.org.models import AdministrativeUnit, Agency

    inside = Q(path__startswith=province.path)
    units = AdministrativeUnit.objects.filter(inside).filter(
        Q(pk__in=spec.get("units", [])) | Q(kind__in=spec.get("unit_kinds", []))
    )
    if spec.get("border_only"):
        units = units.exclude(is_border=False)
    agencies = Agency.objects.filter(unit__path__startswith=province.path).filter(
        Q(pk__in=spec.get("agencies", [])) | Q(kind__code__in=spec.get("agency_kinds", []))
    )
    return {
        "units": sorted(units.values_list("pk", flat=True)),
        "agencies": sorted(agencies.values_list("pk", flat=True)),
    }


def form_copy_for_province(*, user, code: str, province=None) -> FormVersion:
    """Make the province's own form from national form ``code`` (version 1, same content and period rule).

    ``province``: a unit id (default: the standing office's own province). Refused when the source is
    itself a province's form, when the province's form already exists, or for a user who may not add
    forms of that province (the permission table, through ``form_publish``)."""
    from borderdesk.org.models import AdministrativeUnit

    source = catalogue.form_get(code)
    if source.province_id is not None:
        raise ApplicationError(
            _("“%s” đã là biểu mẫu riêng của một tỉnh; hãy công bố phiên bản mới của nó.") % source.name
        )
    province_id = catalogue._province_for_new(user, province)
    province_obj = AdministrativeUnit.objects.filter(pk=province_id, kind="province").first() if province_id else None
    if province_obj is None:
        raise ApplicationError(_("Cần chọn tỉnh của biểu mẫu riêng."), field_errors={"province": [_("Bắt buộc.")]})
    new_code = province_code(source.code, province_obj)
    if ReportForm.objects.filter(code=new_code).exists():
        raise ApplicationError(_("Tỉnh đã có biểu mẫu riêng “%s”.") % new_code, code="exists")
    current = source.current_version()
    if current is None:
        raise ApplicationError(_("Biểu mẫu “%s” chưa có phiên bản nào.") % source.name)
    version = catalogue.form_publish(
        user=user,
        code=new_code,
        province=province_obj.pk,
        name=f"{source.name} — {province_obj.name}",
        description=source.description,
        sections=current.sections,
        narrative_sections=current.narrative_sections,
        period_spec=current.period_spec,
        reporter_spec=narrowed_reporters(current.reporter_spec or {}, province_obj),
        deadline_working_days=current.deadline_working_days,
        lock_days=current.lock_days,
        approval_top_kind=current.approval_top_kind,
    )
    # The province's reporters now report on this form, not on the national one (reporting/replacements.py).
    form = version.form
    before = snapshot(form)
    ReportForm.objects.filter(pk=form.pk).update(replaces=source)
    form.replaces = source
    record_change(user=user, instance=form, action="update", before=before, after=snapshot(form))
    return version
