"""Every write of the extraction app: reading a document into proposals, deciding them, importing them.

Bad input never half-saves: a document is read and checked completely before anything is stored,
and an import of accepted figures into a draft submission is all or nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderdesk.core import archives, vn
from borderdesk.core.changelog import record_change, save_with_log, snapshot
from borderdesk.core.errors import ApplicationError
from borderdesk.core.scoping import Action, require_in_scope, require_unit_in_scope
from borderdesk.core.services import bump_version, check_version

from . import limits
from .choices import DocumentKind, ProposalStatus
from .errors import ExtractionInputError
from .facts import text_facts
from .figures import extract_figures
from .models import FigureProposal, SourceDocument
from .reader import read_document
from .text import normalise_text

MAX_CONFIDENCE = Decimal("1.00")
_HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}


def input_error(exc: ExtractionInputError) -> ApplicationError:
    """The library's error as the application's one error type (Vietnamese message, same code)."""
    return ApplicationError(exc.message_vi, code=exc.code, extra={"message_en": exc.message_en})


def _too_large(size: int, limit: int) -> ApplicationError:
    return ApplicationError(
        _(
            "Tệp quá lớn (%(size)s MB); chỉ nhận tệp đến %(limit)s MB. Hãy tách tài liệu hoặc chỉ dán phần nội "
            "dung bài viết."
        )
        % {"size": archives.megabytes(size), "limit": archives.megabytes(limit)},
        code="too_large",
    )


def read_upload(*, upload) -> bytes:
    """The bytes of an uploaded file, refusing it by its declared size before reading anything."""
    limit = limits.file_limit()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(size, limit)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(len(data), limit)
    return data


def _kind_for(filename: str, data: bytes | None) -> str:
    if data is None:
        return DocumentKind.PASTE
    ext = Path(filename or "").suffix.lower()
    if ext in (".docx", ".docm", ".dotx"):
        return DocumentKind.DOCX
    if ext in _HTML_EXT or data[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return DocumentKind.HTML
    if ext in (".txt", ".text", ".md", ""):
        return DocumentKind.TXT
    return DocumentKind.OTHER


def read_input(*, text: str | None = None, data: bytes | None = None, filename: str = "") -> tuple[str, str, int]:
    """(normalised text, kind, size in bytes) of pasted text or a file's bytes; ApplicationError otherwise."""
    limit = limits.file_limit()
    if data is not None:
        if len(data) > limit:
            raise _too_large(len(data), limit)
        try:
            return read_document(data, filename or None, max_bytes=limit), _kind_for(filename, data), len(data)
        except ExtractionInputError as exc:
            raise input_error(exc) from None
    raw = text or ""
    size = len(raw.encode("utf-8"))
    if size > limit:
        raise _too_large(size, limit)
    if raw.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        # pasted page source: read it like a saved page (scripts and styles are dropped)
        try:
            return read_document(raw.encode("utf-8"), "pasted.html", max_bytes=limit), DocumentKind.HTML, size
        except ExtractionInputError as exc:
            raise input_error(exc) from None
    normalised = normalise_text(raw)
    if not normalised:
        raise ApplicationError(_("Chưa có nội dung: hãy dán văn bản hoặc chọn một tệp."), code="empty")
    return normalised, DocumentKind.PASTE, size


def indicator_catalogue() -> list[dict] | None:
    """The reporting catalogue (codes, units, keywords) for mapping; None means the shipped CSV."""
    from borderdesk.reporting.models import Indicator

    rows = [
        {"code": i.code, "unit": i.unit, "keywords": i.extraction_keywords, "name_vi": i.name_vi}
        for i in Indicator.objects.only("code", "unit", "extraction_keywords", "name_vi").order_by("code")
    ]
    return rows or None


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _proposal_from_figure(document: SourceDocument, position: int, figure) -> FigureProposal:
    low, high = figure.range if figure.range else (None, None)
    confidence = min(MAX_CONFIDENCE, max(Decimal(0), Decimal(str(figure.confidence)).quantize(Decimal("0.01"))))
    return FigureProposal(
        document=document,
        position=position,
        quote=figure.quote,
        start=figure.start,
        end=figure.end,
        value=_decimal(figure.value),
        range_low=_decimal(low),
        range_high=_decimal(high),
        unit=(figure.unit or "")[:60],
        qualifier=(figure.qualifier or "")[:40],
        noun=figure.noun or "",
        vague=bool(figure.vague),
        indicator_code=figure.indicator or "",
        confidence=confidence,
        comparison=figure.comparison,
        context=dict(figure.context or {}),
        change_direction=((figure.change or {}).get("direction") or "")[:8] if figure.change else "",
        change_of=(figure.change or {}).get("of"),
        part_of=figure.part_of,
    )


def _period_guess(figures) -> str:
    counts: dict[str, int] = {}
    for f in figures:
        period = (f.context or {}).get("period")
        if period:
            counts[period] = counts.get(period, 0) + 1
    if not counts:
        return ""
    return max(sorted(counts), key=lambda p: counts[p])[:120]


def document_create(
    *,
    user,
    title: str = "",
    text: str | None = None,
    data: bytes | None = None,
    filename: str = "",
    unit=None,
    agency=None,
) -> SourceDocument:
    """Read a narrative (pasted text or a file's bytes), store it and its proposed figures.

    The unit or agency the document reports for must be in the user's change scope. Unreadable input
    raises ``ApplicationError`` with a Vietnamese message and nothing is stored.
    """
    if unit is None and agency is None:
        raise ApplicationError(
            _("Hãy chọn đơn vị hoặc cơ quan mà văn bản báo cáo."),
            field_errors={"unit": [_("Chưa chọn đơn vị.")]},
            code="no_owner",
        )
    require_unit_in_scope(getattr(unit, "pk", None), getattr(agency, "pk", None), user, Action.CHANGE)
    normalised, kind, size = read_input(text=text, data=data, filename=filename)
    figures = extract_figures(normalised, catalogue=indicator_catalogue())
    given_title = (title or "").strip()
    title = given_title or (Path(filename).stem if filename else "") or normalised.split("\n", 1)[0]
    facts = text_facts(normalised, title=given_title, uploaded=timezone.localdate())
    with transaction.atomic():
        document = SourceDocument(
            title=title[:300],
            filename=(filename or "")[:255],
            kind=kind,
            text=normalised,
            size_bytes=size,
            sha256=hashlib.sha256(normalised.encode("utf-8")).hexdigest(),
            unit=unit,
            agency=agency,
            uploaded_by=user if getattr(user, "pk", None) else None,
            period_guess=(facts.period_label or _period_guess(figures))[:120],
            period_key=facts.period_key,
            province_guess=facts.province[:80],
        )
        save_with_log(user=user, instance=document)
        FigureProposal.objects.bulk_create([_proposal_from_figure(document, i, f) for i, f in enumerate(figures)])
    return document


def _known_indicator_codes(codes: set[str]) -> set[str]:
    from borderdesk.reporting.models import Indicator

    found = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
    if found == codes or Indicator.objects.exists():
        return found
    from .catalogue import default_catalogue

    return codes & {e.code for e in default_catalogue()}


def _parse_edit_value(raw) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = vn.parse_number(raw) if isinstance(raw, str) else vn.to_decimal(raw)
    except (ValueError, TypeError):
        raise ApplicationError(
            _("“%s” không phải là số (dùng 1.700 hoặc 6,73).") % raw,
            field_errors={"value": [_("Không phải là số.")]},
            code="invalid_value",
        ) from None
    if value is None or value < 0 or abs(value) >= Decimal(10) ** 19 or value != value.quantize(Decimal("0.0001")):
        raise ApplicationError(
            _("Giá trị không hợp lệ (không âm, tối đa 4 chữ số thập phân)."),
            field_errors={"value": [_("Giá trị không hợp lệ.")]},
            code="invalid_value",
        )
    return value


class Decision:
    ACCEPT = "accept"
    REJECT = "reject"
    RESET = "reset"
    ALL = (ACCEPT, REJECT, RESET)


def proposal_decide(
    *,
    user,
    proposal: FigureProposal,
    decision: str,
    value=None,
    indicator_code: str | None = None,
    expected_version: int | None = None,
) -> FigureProposal:
    """Accept (optionally with an edited value or indicator), reject, or reopen one proposal.

    ``value``/``indicator_code`` given with "accept" replace the proposed ones (blank = keep the
    proposal's own). An imported proposal can no longer change.
    """
    require_in_scope(proposal, user, Action.CHANGE)
    if decision not in Decision.ALL:
        raise ApplicationError(
            _("Quyết định không hợp lệ (chấp nhận, loại hoặc xem lại)."),
            field_errors={"decision": [_("Không hợp lệ.")]},
            code="invalid_decision",
        )
    with transaction.atomic():
        p = FigureProposal.objects.select_for_update().get(pk=proposal.pk)
        check_version(p, expected_version)
        if p.status == ProposalStatus.IMPORTED:
            raise ApplicationError(
                _("Số liệu này đã được đưa vào báo cáo; không thay đổi được nữa."), code="already_imported"
            )
        before = snapshot(p)
        if decision == Decision.ACCEPT:
            edited_value = _parse_edit_value(value)
            code = (indicator_code or "").strip()
            if code and code not in _known_indicator_codes({code}):
                raise ApplicationError(
                    _("Chỉ tiêu %s không có trong danh mục.") % code,
                    field_errors={"indicator": [_("Không có trong danh mục.")]},
                    code="unknown_indicator",
                )
            p.edited_value = edited_value if edited_value != p.value else None
            p.edited_indicator_code = code if code != p.indicator_code else ""
            if not p.final_indicator_code:
                raise ApplicationError(
                    _("Hãy chọn chỉ tiêu cho số liệu “%s” trước khi chấp nhận.") % p.quote,
                    field_errors={"indicator": [_("Chưa chọn chỉ tiêu.")]},
                    code="no_indicator",
                )
            if p.final_value is None:
                message = (
                    _(
                        "“%s” là số ước lượng, không có giá trị chính xác: hãy nhập giá trị trước khi chấp "
                        "nhận, hoặc loại số liệu này."
                    )
                    if p.vague
                    else _("Hãy nhập giá trị cho số liệu “%s” trước khi chấp nhận.")
                ) % p.quote
                raise ApplicationError(message, field_errors={"value": [_("Chưa có giá trị.")]}, code="no_value")
            p.status = ProposalStatus.ACCEPTED
        elif decision == Decision.REJECT:
            p.status = ProposalStatus.REJECTED
        else:
            p.status = ProposalStatus.PROPOSED
            p.edited_value, p.edited_indicator_code = None, ""
        p.decided_by = user if getattr(user, "pk", None) else None
        p.decided_at = timezone.now() if decision != Decision.RESET else None
        bump_version(p)
        p.full_clean()
        p.save()
        record_change(user=user, instance=p, action=decision, before=before, after=snapshot(p))
    return p


def reporting_qualifier(qualifier: str) -> str:
    """The qualifier as the reporting engine knows it ("trên", "hơn", ...), or "" when it has none."""
    words = set(vn.QUALIFIERS.values())
    q = " ".join((qualifier or "").lower().split())
    if q in words:
        return q
    for word in sorted(words, key=len, reverse=True):
        if q.startswith(word + " ") or q.endswith(" " + word):
            return word
    return ""


@dataclass
class ImportResult:
    submission: object
    imported: list[FigureProposal] = field(default_factory=list)
    findings: list = field(default_factory=list)


def document_import_accepted(*, user, document: SourceDocument, form, period_key: str) -> ImportResult:
    """Put the document's accepted figures into the draft submission of its unit/agency for a form and period.

    Uses the reporting engine's services (``submission_get_or_create``, ``submission_save``); each value
    keeps its provenance (document, exact quote and offsets, who accepted it and when). All or nothing:
    when any figure cannot be stored, nothing is imported and the error names the figures.
    """
    from borderdesk.reporting import services as reporting_services
    from borderdesk.reporting.models import DataValue

    require_in_scope(document, user, Action.CHANGE)
    with transaction.atomic():
        accepted = list(
            FigureProposal.objects.select_for_update(of=("self",))
            .filter(document=document, status=ProposalStatus.ACCEPTED)
            .select_related("decided_by")
            .order_by("position")
        )
        if not accepted:
            raise ApplicationError(_("Chưa có số liệu nào được chấp nhận để đưa vào báo cáo."), code="nothing_accepted")
        by_code: dict[str, list[FigureProposal]] = {}
        for p in accepted:
            by_code.setdefault(p.final_indicator_code, []).append(p)
        duplicates = {c: ps for c, ps in by_code.items() if len(ps) > 1}
        if duplicates:
            raise ApplicationError(
                _("Mỗi chỉ tiêu chỉ nhận một số liệu; hãy loại bớt: %s")
                % "; ".join(f"{c} ({', '.join('“' + p.quote + '”' for p in ps)})" for c, ps in duplicates.items()),
                field_errors={c: [p.quote for p in ps] for c, ps in duplicates.items()},
                code="duplicate_indicator",
            )
        submission = reporting_services.submission_get_or_create(
            user=user,
            form=form,
            period_key=period_key,
            unit=document.unit,
            agency=None if document.unit_id else document.agency,
        )
        values = {}
        for code, (p,) in by_code.items():
            values[code] = {
                "value": p.final_value,
                "qualifier": reporting_qualifier(p.qualifier),
                "source_quote": p.quote,
                "source_document": document.title[:300],
                "provenance": {
                    "kind": "extraction",
                    "source_document_id": document.pk,
                    "source_document_title": document.title,
                    "source_document_sha256": document.sha256,
                    "proposal_id": p.pk,
                    "quote": p.quote,
                    "start": p.start,
                    "end": p.end,
                    "proposed_value": None if p.value is None else str(p.value.normalize()),
                    "proposed_indicator": p.indicator_code,
                    "confidence": str(p.confidence),
                    "edited": p.is_edited,
                    "accepted_by": p.decided_by.get_username() if p.decided_by else "",
                    "accepted_by_id": p.decided_by_id,
                    "accepted_at": p.decided_at.isoformat() if p.decided_at else None,
                    "imported_by": user.get_username() if getattr(user, "pk", None) else "",
                },
            }
        try:
            result = reporting_services.submission_save(user=user, submission=submission, values=values)
        except ApplicationError as exc:
            if exc.field_errors:
                quoted = {
                    c: [f"“{by_code[c][0].quote}”: {m}" for m in msgs] if c in by_code else msgs
                    for c, msgs in exc.field_errors.items()
                }
                raise ApplicationError(
                    _("Chưa đưa vào báo cáo: %s") % "; ".join(m for msgs in quoted.values() for m in msgs),
                    field_errors=quoted,
                    code=exc.code,
                ) from None
            raise
        stored = dict(
            DataValue.objects.filter(submission=submission, indicator__code__in=list(by_code)).values_list(
                "indicator__code", "pk"
            )
        )
        now = timezone.now()
        for code, (p,) in by_code.items():
            before = snapshot(p)
            p.status = ProposalStatus.IMPORTED
            p.imported_value_id = stored.get(code)
            p.imported_submission_id = submission.pk
            p.imported_at = now
            bump_version(p)
            p.save()
            record_change(user=user, instance=p, action="import", before=before, after=snapshot(p))
    return ImportResult(
        submission=result.submission, imported=[ps[0] for ps in by_code.values()], findings=result.findings
    )
