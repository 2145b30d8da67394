"""Every read of the extraction app, narrowed to the user's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from borderdesk.core.scoping import Action, get_for_user_or_404

from .choices import ProposalStatus
from .models import FigureProposal, SourceDocument


def documents_for_user(*, user, action: str = Action.VIEW):
    """Documents in the user's scope, newest first, with proposal counts (one query)."""
    return (SourceDocument.objects.for_user(user, action)
            .select_related("unit", "agency", "uploaded_by")
            .defer("text")
            .annotate(n_proposals=Count("proposals"),
                      n_accepted=Count("proposals", filter=Q(proposals__status=ProposalStatus.ACCEPTED)),
                      n_imported=Count("proposals", filter=Q(proposals__status=ProposalStatus.IMPORTED)),
                      n_open=Count("proposals", filter=Q(proposals__status=ProposalStatus.PROPOSED)))
            .order_by("-created_at", "-id"))


def document_get(*, user, pk: int, action: str = Action.VIEW) -> SourceDocument:
    return get_for_user_or_404(SourceDocument.objects.select_related("unit", "agency", "uploaded_by"),
                               user, action, pk=pk)


def proposals_for_document(*, document: SourceDocument):
    """The proposals of a document already fetched in scope, in text order."""
    return FigureProposal.objects.filter(document=document).select_related("decided_by").order_by("position", "id")


def proposals_for_user(*, user, document_id: int, action: str = Action.VIEW):
    document = document_get(user=user, pk=document_id, action=action)
    return proposals_for_document(document=document)


def proposal_get(*, user, pk: int, document_id: int | None = None, action: str = Action.VIEW) -> FigureProposal:
    lookup = {"pk": pk}
    if document_id is not None:
        lookup["document_id"] = document_id
    return get_for_user_or_404(FigureProposal.objects.select_related("document", "decided_by"), user, action,
                               **lookup)


def indicator_choices() -> list[tuple[str, str]]:
    """(code, label) of the reporting catalogue; the shipped CSV when the catalogue table is empty."""
    from borderdesk.reporting.models import Indicator

    rows = [(code, f"{code} — {name}") for code, name in
            Indicator.objects.order_by("code").values_list("code", "name_vi")]
    if rows:
        return rows
    from .catalogue import default_catalogue

    return sorted((e.code, f"{e.code} — {e.name_vi}" if e.name_vi else e.code) for e in default_catalogue())


def indicator_names(codes) -> dict[str, str]:
    from borderdesk.reporting.models import Indicator

    codes = {c for c in codes if c}
    names = dict(Indicator.objects.filter(code__in=codes).values_list("code", "name_vi"))
    missing = codes - set(names)
    if missing:
        from .catalogue import default_catalogue

        names.update({e.code: e.name_vi for e in default_catalogue() if e.code in missing and e.name_vi})
    return names


def units_for_upload(*, user):
    """Units and agencies the user may attach a document to (change scope), valid today."""
    from borderdesk.org.models import AdministrativeUnit, Agency

    today = timezone.localdate()
    units = (AdministrativeUnit.objects.for_user(user, Action.CHANGE).valid_on(today)
             .order_by("path")[:500])
    agencies = Agency.objects.for_user(user, Action.CHANGE).valid_on(today).select_related("unit").order_by("name", "pk")[:500]
    return list(units), list(agencies)


def forms_for_import():
    from borderdesk.reporting.models import ReportForm

    return list(ReportForm.objects.filter(versions__isnull=False).distinct().order_by("code"))


@dataclass
class Segment:
    text: str
    proposal: FigureProposal | None = None


def highlighted_text(*, document: SourceDocument, proposals) -> SafeString:
    """The document text, HTML-escaped, with each proposal's quote wrapped in a <mark> linking to its row."""
    text = document.text
    out: list[str] = []
    pos = 0
    for p in sorted(proposals, key=lambda p: (p.start, p.position)):
        if p.start < pos or p.end > len(text):
            continue
        out.append(escape(text[pos:p.start]))
        out.append(f'<mark id="q{p.pk}" class="fig fig-{escape(p.status)}" title="{escape(p.final_indicator_code)}">'
                   f'<a href="#p{p.pk}">{escape(text[p.start:p.end])}</a></mark>')
        pos = p.end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped
