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
from .models import (
    DraftComment,
    DraftStatus,
    IssuedReport,
    ReportDraft,
    ReportTemplate,
    ReportTemplateVersion,
)
from .outline import validate_outline


def _require_manage(user) -> None:
    """Report outlines are national reference data: administrators only (core.permissions.REFERENCE)."""
    from borderdesk.core.permissions import Op, can

    if not can(user, ReportTemplate, Op.CHANGE):
        raise NotFoundError(_("Bạn không có quyền sửa mẫu đề cương báo cáo."))


@transaction.atomic
def template_version_save(
    *, user, template: ReportTemplate, summary: str, body: str, recipients: str = "", note: str = ""
) -> ReportTemplateVersion:
    """Validate and save a new version of an outline (unknown placeholder or bad syntax → clear error)."""
    _require_manage(user)
    validate_outline(summary=summary, body=body, recipients=recipients)
    last = template.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ReportTemplateVersion.objects.create(
        template=template,
        number=last + 1,
        summary=summary,
        body=body,
        recipients=recipients,
        note=note,
        created_by=user if getattr(user, "pk", None) else None,
    )
    record_change(user=user, instance=version, action="create", before=None, after=snapshot(version))
    return version


def template_preview(
    *, user, committee, period: Period, report_date: dt.date, summary: str, body: str, recipients: str = ""
):
    """Render an outline being edited (not saved) for a committee and period: (document, warnings).

    An unknown placeholder or broken syntax raises the same clear error as saving; a period with no
    data raises `no_data`. Nothing is written."""
    require_in_scope(committee, user, Action.VIEW)
    validate_outline(summary=summary, body=body, recipients=recipients)
    unsaved = ReportTemplateVersion(summary=summary, body=body, recipients=recipients)
    doc, _data, _summary, _body, warnings = draft_render(
        user=user, committee=committee, period=period, template_version=unsaved, report_date=report_date
    )
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


def draft_render(
    *,
    user,
    committee,
    period: Period,
    template_version: ReportTemplateVersion,
    report_date: dt.date,
    consolidation=None,
    signer_role: str = "head",
    number: int | None = None,
    use_reporting: bool = True,
    agency=None,
    notes: dict | None = None,
):
    """Everything but saving: (document, docx bytes, summary, body text, warnings).

    Figures come from `drafting.sources.gather` (consolidation, submitted reports, registries under one
    precedence rule); `notes`, when given, receives the source notes (rule, one line per figure)."""
    inp = drafting.DraftInput(
        committee=committee,
        period=period,
        report_date=report_date,
        consolidation=consolidation,
        signer_role=signer_role,
        agency=agency,
        codes=drafting.sources.outline_codes(template_version.summary, template_version.body),
    )
    context = drafting.build_context(user=user, inp=inp)
    doc, body_text, warnings = drafting.compose(
        committee=committee,
        summary=template_version.summary,
        body=template_version.body,
        recipients=template_version.recipients,
        context=context,
        report_date=report_date,
        number=number,
        signer_role=signer_role,
        agency=agency,
    )
    if notes is not None:
        notes.update(context["_sources"])
    return doc, build_docx(doc), doc.summary, body_text, warnings


@transaction.atomic
def draft_create(
    *,
    user,
    committee,
    period: Period,
    report_date: dt.date,
    template: ReportTemplate | None = None,
    consolidation=None,
    signer_role: str = "head",
    form_code: str = "",
    agency=None,
) -> ReportDraft:
    """Draft (or re-draft) a report; each run is a new version of the draft.

    With `agency`, the agency's own report for the committee (e.g. the Border Guard's): its registry
    records and its own submissions, its name as the issuing body."""
    require_in_scope(committee, user, Action.VIEW)
    if not user.can(Action.CHANGE):
        raise NotFoundError(_("Bạn không có quyền soạn báo cáo."))
    template = template or template_for(period=period)
    tv = template.current
    if tv is None:
        raise ApplicationError(_("Mẫu đề cương “%s” chưa có nội dung.") % template.name, code="unknown_template")
    notes: dict = {}
    doc, data, summary, body, warnings = draft_render(
        user=user,
        committee=committee,
        period=period,
        template_version=tv,
        report_date=report_date,
        consolidation=consolidation,
        signer_role=signer_role,
        agency=agency,
        notes=notes,
    )
    last = (
        ReportDraft.objects.filter(committee=committee, template_version__template=template, period_key=period.key)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    )
    draft = ReportDraft(
        committee=committee,
        template_version=tv,
        period_key=period.key,
        period_rule=period.rule,
        period_label=period.label_vi,
        form_code=form_code,
        report_date=report_date,
        version=last + 1,
        signer_role=signer_role,
        summary_text=summary,
        body_text=body,
        warnings=warnings,
        document=document_to_dict(doc),
        docx=data,
        source_notes=notes,
        agency=agency,
        created_by=user if getattr(user, "pk", None) else None,
    )
    draft.full_clean(exclude=["docx"])
    draft.save()
    record_change(user=user, instance=draft, action="create", before=None, after=snapshot(draft))
    return draft


@transaction.atomic
def report_issue(*, user, draft: ReportDraft, issued_on: dt.date | None = None) -> IssuedReport:
    """Take the next number of the committee's series; freeze the reviewed draft with its number and date."""
    require_in_scope(draft, user, Action.MANAGE)
    if draft.status == DraftStatus.ISSUED or IssuedReport.objects.filter(draft=draft).exists():
        raise ApplicationError(
            _("Dự thảo này đã được ban hành; báo cáo đã ban hành không sửa được."), code="already_issued"
        )
    issued_on = issued_on or draft.report_date
    committee = draft.committee
    symbol = drafting.report_symbol(committee, draft.agency)
    number = document_number_next(user=user, committee=committee, symbol=symbol, year=issued_on.year)
    doc = document_from_dict(draft.document)
    doc.number_line = vn.document_number(number, symbol)
    doc.date_line = vn.date_line(committee.place_name, issued_on)
    data = build_docx(doc)
    summary = doc.summary
    issued = IssuedReport.objects.create(
        draft=draft,
        committee=committee,
        number=number,
        symbol=symbol,
        issued_on=issued_on,
        summary_text=summary,
        docx=data,
        sha256=hashlib.sha256(data).hexdigest(),
        issued_by=user if getattr(user, "pk", None) else None,
    )
    before = snapshot(draft)
    draft.status = DraftStatus.ISSUED
    draft.save(update_fields=["status"])
    record_change(user=user, instance=draft, action="issue", before=before, after=snapshot(draft))
    record_change(user=user, instance=issued, action="create", before=None, after=snapshot(issued))
    return issued


# Editing a draft in the browser -------------------------------------------------------------------
INTRO = "Mở đầu"


def draft_sections(body_text: str) -> list[dict]:
    """The draft's text cut at its part ("# ") and section ("## ") headings: [{index, heading, text}]."""
    sections: list[dict] = [{"index": 0, "heading": INTRO, "line": "", "text": []}]
    for line in body_text.splitlines():
        if line.startswith(("# ", "## ")):
            heading = drafting.strip_live(line.lstrip("# ").strip())
            sections.append(
                {
                    "index": len(sections),
                    "heading": heading.upper() if line.startswith("# ") else heading,
                    "line": line,
                    "text": [],
                }
            )
        else:
            sections[-1]["text"].append(line)
    for s in sections:
        s["text"] = "\n".join(s["text"]).strip("\n")
    return sections


def _join_sections(sections: list[dict]) -> str:
    out = []
    for s in sections:
        if s["line"]:
            out.append(s["line"])
        if s["text"].strip():
            out.append(s["text"].strip("\n"))
    return "\n".join(out)


def _require_editable(user, draft: ReportDraft) -> None:
    require_in_scope(draft, user, Action.CHANGE)
    if draft.status == DraftStatus.ISSUED or IssuedReport.objects.filter(draft=draft).exists():
        raise ApplicationError(
            _("Dự thảo này đã được ban hành; báo cáo đã ban hành không sửa được."), code="already_issued"
        )


def _new_version(*, user, draft: ReportDraft, body_text: str, note: str) -> ReportDraft:
    """A new version of `draft` with `body_text`: same header, summary and recipients; document and .docx
    rebuilt from the text."""
    old = document_from_dict(draft.document)
    doc, _dropped = drafting.assemble(
        committee=draft.committee,
        summary=draft.summary_text,
        body_text=body_text,
        recipients=old.recipients,
        report_date=draft.report_date,
        number=None,
        signer_role=draft.signer_role,
        issuing_body=old.issuing_body,
        parent_body=old.parent_body,
        signature=old.signature,
        symbol=drafting.report_symbol(draft.committee, draft.agency),
    )
    last = (
        ReportDraft.objects.filter(
            committee=draft.committee,
            template_version__template=draft.template_version.template,
            period_key=draft.period_key,
        )
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    )
    new = ReportDraft(
        committee=draft.committee,
        template_version=draft.template_version,
        period_key=draft.period_key,
        period_rule=draft.period_rule,
        period_label=draft.period_label,
        form_code=draft.form_code,
        report_date=draft.report_date,
        version=last + 1,
        signer_role=draft.signer_role,
        summary_text=draft.summary_text,
        body_text=body_text,
        warnings=draft.warnings,
        source_notes=draft.source_notes,
        agency=draft.agency,
        edit_note=note[:300],
        document=document_to_dict(doc),
        docx=build_docx(doc),
        created_by=user if getattr(user, "pk", None) else None,
    )
    new.full_clean(exclude=["docx"])
    new.save()
    record_change(user=user, instance=new, action="create", before=snapshot(draft), after=snapshot(new))
    return new


@transaction.atomic
def draft_revise(*, user, draft: ReportDraft, index: int, text: str) -> ReportDraft:
    """Replace the text of one section of the draft (headings stay); saved as a new version."""
    _require_editable(user, draft)
    sections = draft_sections(draft.body_text)
    if not 0 <= index < len(sections):
        raise ApplicationError(_("Không có mục số %(n)s trong dự thảo.") % {"n": index}, code="unknown_section")
    lines = [ln.rstrip() for ln in (text or "").replace("\r\n", "\n").split("\n")]
    if any(ln.startswith("#") for ln in lines):
        raise ApplicationError(
            _("Nội dung một mục không được chứa tiêu đề (dòng bắt đầu bằng “#”)."),
            field_errors={"text": [_("Bỏ dấu “#” ở đầu dòng.")]},
            code="invalid_section",
        )
    sections[index]["text"] = "\n".join(ln for ln in lines if ln.strip())
    return _new_version(
        user=user, draft=draft, body_text=_join_sections(sections), note=_("Sửa mục: %s") % sections[index]["heading"]
    )


@transaction.atomic
def draft_refresh(*, user, draft: ReportDraft) -> ReportDraft:
    """Re-read every live figure of the draft (⟪CODE~field|…⟫) from the sources; the text around stays."""
    _require_editable(user, draft)
    from borderdesk.core.periods import parse_period  # noqa: PLC0415

    period = parse_period(draft.period_key, draft.period_rule)
    gathered = drafting.sources.gather(
        user=user,
        unit=draft.committee.unit,
        period=period,
        agency=draft.agency,
        codes=drafting.sources.outline_codes(draft.body_text),
    )
    figures = {code: drafting.Figure.from_row(row) for code, row in gathered.rows.items()}

    def fresh(m):
        fig = figures.get(m.group(1))
        value = fig.get(m.group(2)) if fig else None
        if not isinstance(value, str) or not drafting.LIVE.fullmatch(value):
            return m.group(0)
        return value

    body = drafting.LIVE.sub(fresh, draft.body_text)
    notes = {"rule": drafting.sources.PRECEDENCE_RULE, "notes": gathered.notes, "submitted": gathered.used_submitted}
    new = _new_version(user=user, draft=draft, body_text=body, note=_("Cập nhật số liệu"))
    new.source_notes = notes
    new.save(update_fields=["source_notes"])
    return new


def draft_compare(*, older: ReportDraft, newer: ReportDraft) -> list[dict]:
    """Section by section, the lines removed and added between two versions of a draft."""
    import difflib  # noqa: PLC0415

    a = {s["heading"]: drafting.strip_live(s["text"]) for s in draft_sections(older.body_text)}
    b = {s["heading"]: drafting.strip_live(s["text"]) for s in draft_sections(newer.body_text)}
    out = []
    for heading in list(b) + [h for h in a if h not in b]:
        old_lines, new_lines = a.get(heading, "").splitlines(), b.get(heading, "").splitlines()
        if old_lines == new_lines:
            continue
        lines = [{"op": ln[0], "text": ln[2:]} for ln in difflib.ndiff(old_lines, new_lines) if ln[:1] in "+-"]
        out.append({"heading": heading, "lines": lines})
    return out


@transaction.atomic
def comment_add(*, user, draft: ReportDraft, text: str, section: str = "") -> DraftComment:
    """A member's comment on a draft (any user who can see the draft)."""
    require_in_scope(draft, user, Action.VIEW)
    text = (text or "").strip()
    if not text:
        raise ApplicationError(
            _("Ý kiến góp ý không được để trống."), field_errors={"text": [_("Nhập nội dung.")]}, code="empty_comment"
        )
    comment = DraftComment(
        draft=draft, section=section[:300], text=text, author=user if getattr(user, "pk", None) else None
    )
    comment.full_clean()
    comment.save()
    record_change(user=user, instance=comment, action="create", before=None, after=snapshot(comment))
    return comment
