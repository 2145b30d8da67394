"""Writes of documents: outline versions, drafts, issuing (number + date frozen)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from borderdesk.core import vn
from borderdesk.core.changelog import record_change, snapshot
from borderdesk.core.errors import ApplicationError, NotFoundError
from borderdesk.core.periods import Period
from borderdesk.core.scoping import Action, require_in_scope
from borderdesk.org.services import document_number_next

from . import drafting
from .layout import build_docx, document_from_dict, document_to_dict
from .models import DraftStatus, IssuedReport, ReportDraft, ReportTemplate, ReportTemplateVersion
from .outline import validate_outline


def _require_manage(user) -> None:
    """Report outlines are national reference data: administrators only (core.permissions.REFERENCE)."""
    from borderdesk.core.permissions import Op, can

    if not can(user, ReportTemplate, Op.CHANGE):
        raise NotFoundError(_("Bạn không có quyền sửa mẫu đề cương báo cáo."))


@transaction.atomic
def template_version_save(*, user, template: ReportTemplate, summary: str, body: str, recipients: str = "",
                          note: str = "") -> ReportTemplateVersion:
    """Validate and save a new version of an outline (unknown placeholder or bad syntax → clear error)."""
    _require_manage(user)
    validate_outline(summary=summary, body=body, recipients=recipients)
    last = template.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ReportTemplateVersion.objects.create(template=template, number=last + 1, summary=summary, body=body,
                                                   recipients=recipients, note=note,
                                                   created_by=user if getattr(user, "pk", None) else None)
    record_change(user=user, instance=version, action="create", before=None, after=snapshot(version))
    return version


def template_preview(*, user, committee, period: Period, report_date: dt.date, summary: str, body: str,
                     recipients: str = ""):
    """Render an outline being edited (not saved) for a committee and period: (document, warnings).

    An unknown placeholder or broken syntax raises the same clear error as saving; a period with no
    data raises `no_data`. Nothing is written."""
    require_in_scope(committee, user, Action.VIEW)
    validate_outline(summary=summary, body=body, recipients=recipients)
    unsaved = ReportTemplateVersion(summary=summary, body=body, recipients=recipients)
    doc, _data, _summary, _body, warnings = draft_render(user=user, committee=committee, period=period,
                                                         template_version=unsaved, report_date=report_date)
    return doc, warnings


def template_for(*, period: Period, code: str = "") -> ReportTemplate:
    qs = ReportTemplate.objects.all()
    if code:
        t = qs.filter(code=code).first()
        if t is None:
            raise ApplicationError(_("Không có mẫu đề cương “%s”.") % code, code="unknown_template")
        return t
    kind = "year" if period.kind == "year" else "H1" if period.kind in ("H1", "H2") else "other"
    t = qs.filter(kind=kind, is_default=True).first() or qs.filter(kind="year", is_default=True).first()
    if t is None:
        raise ApplicationError(_("Chưa có mẫu đề cương báo cáo nào."), code="unknown_template")
    return t


def draft_render(*, user, committee, period: Period, template_version: ReportTemplateVersion,
                 report_date: dt.date, consolidation=None, signer_role: str = "head", number: int | None = None,
                 use_reporting: bool = True):
    """Everything but saving: (document, docx bytes, summary, body text, warnings)."""
    if consolidation is None and use_reporting:
        consolidation = drafting.get_consolidation(user=user, unit=committee.unit, period=period)
    inp = drafting.DraftInput(committee=committee, period=period, report_date=report_date,
                              consolidation=consolidation, signer_role=signer_role)
    context = drafting.build_context(user=user, inp=inp)
    doc, body_text, warnings = drafting.compose(
        committee=committee, summary=template_version.summary, body=template_version.body,
        recipients=template_version.recipients, context=context, report_date=report_date, number=number,
        signer_role=signer_role)
    return doc, build_docx(doc), doc.summary, body_text, warnings


@transaction.atomic
def draft_create(*, user, committee, period: Period, report_date: dt.date, template: ReportTemplate | None = None,
                 consolidation=None, signer_role: str = "head", form_code: str = "") -> ReportDraft:
    """Draft (or re-draft) a report; each run is a new version of the draft."""
    require_in_scope(committee, user, Action.VIEW)
    if not user.can(Action.CHANGE):
        raise NotFoundError(_("Bạn không có quyền soạn báo cáo."))
    template = template or template_for(period=period)
    tv = template.current
    if tv is None:
        raise ApplicationError(_("Mẫu đề cương “%s” chưa có nội dung.") % template.name, code="unknown_template")
    doc, data, summary, body, warnings = draft_render(
        user=user, committee=committee, period=period, template_version=tv, report_date=report_date,
        consolidation=consolidation, signer_role=signer_role)
    last = (ReportDraft.objects.filter(committee=committee, template_version__template=template,
                                       period_key=period.key).order_by("-version")
            .values_list("version", flat=True).first() or 0)
    draft = ReportDraft(committee=committee, template_version=tv, period_key=period.key, period_rule=period.rule,
                        period_label=period.label_vi, form_code=form_code, report_date=report_date,
                        version=last + 1, signer_role=signer_role, summary_text=summary, body_text=body,
                        warnings=warnings, document=document_to_dict(doc), docx=data, created_by=user if getattr(user, "pk", None) else None)
    draft.full_clean(exclude=["docx"])
    draft.save()
    record_change(user=user, instance=draft, action="create", before=None, after=snapshot(draft))
    return draft


@transaction.atomic
def report_issue(*, user, draft: ReportDraft, issued_on: dt.date | None = None) -> IssuedReport:
    """Take the next number of the committee's series; freeze the reviewed draft with its number and date."""
    require_in_scope(draft, user, Action.MANAGE)
    if draft.status == DraftStatus.ISSUED or IssuedReport.objects.filter(draft=draft).exists():
        raise ApplicationError(_("Dự thảo này đã được ban hành; báo cáo đã ban hành không sửa được."),
                               code="already_issued")
    issued_on = issued_on or draft.report_date
    committee = draft.committee
    symbol = f"BC-{committee.abbreviation}"
    number = document_number_next(user=user, committee=committee, symbol=symbol, year=issued_on.year)
    doc = document_from_dict(draft.document)
    doc.number_line = vn.document_number(number, symbol)
    doc.date_line = vn.date_line(committee.place_name, issued_on)
    data = build_docx(doc)
    summary = doc.summary
    issued = IssuedReport.objects.create(draft=draft, committee=committee, number=number, symbol=symbol,
                                         issued_on=issued_on, summary_text=summary, docx=data,
                                         sha256=hashlib.sha256(data).hexdigest(),
                                         issued_by=user if getattr(user, "pk", None) else None)
    before = snapshot(draft)
    draft.status = DraftStatus.ISSUED
    draft.save(update_fields=["status"])
    record_change(user=user, instance=draft, action="issue", before=before, after=snapshot(draft))
    record_change(user=user, instance=issued, action="create", before=None, after=snapshot(issued))
    return issued
