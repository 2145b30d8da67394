"""Every read of the extraction app, narrowed to the user's scope."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from borderdesk.core.collation import vi_order
from borderdesk.core.scoping import Action, get_for_user_or_404

from .choices import ProposalStatus
from .models import FigureProposal, SourceDocument


def documents_for_user(*, user, action: str = Action.VIEW):
    """Documents in the user's scope, newest first, with proposal counts (one query)."""
    return (
        SourceDocument.objects.for_user(user, action)
        .select_related("unit", "agency", "uploaded_by")
        .defer("text")
        .annotate(
            n_proposals=Count("proposals"),
            n_accepted=Count("proposals", filter=Q(proposals__status=ProposalStatus.ACCEPTED)),
            n_imported=Count("proposals", filter=Q(proposals__status=ProposalStatus.IMPORTED)),
            n_open=Count("proposals", filter=Q(proposals__status=ProposalStatus.PROPOSED)),
        )
        .order_by("-created_at", "-id")
    )


def document_get(*, user, pk: int, action: str = Action.VIEW) -> SourceDocument:
    return get_for_user_or_404(
        SourceDocument.objects.select_related("unit", "agency", "uploaded_by"), user, action, pk=pk
    )


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
    return get_for_user_or_404(FigureProposal.objects.select_related("document", "decided_by"), user, action, **lookup)


def indicator_choices() -> list[tuple[str, str]]:
    """(code, label) of the reporting catalogue; the shipped CSV when the catalogue table is empty."""
    from borderdesk.reporting.models import Indicator

    rows = [
        (code, f"{code} — {name}") for code, name in Indicator.objects.order_by("code").values_list("code", "name_vi")
    ]
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
    units = AdministrativeUnit.objects.for_user(user, Action.CHANGE).valid_on(today).order_by("path")[:500]
    agencies = (
        Agency.objects.for_user(user, Action.CHANGE)
        .valid_on(today)
        .select_related("unit")
        .order_by(*vi_order("name", "pk"))[:500]
    )
    return list(units), list(agencies)


def forms_for_import():
    from borderdesk.reporting.models import ReportForm

    return list(ReportForm.objects.filter(versions__isnull=False).distinct().order_by("code"))


@dataclass
class Segment:
    text: str
    proposal: FigureProposal | None = None


_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


def _plain(text: str) -> str:
    """Escaped text whose numbers are marked as not taken (dates, ids... or a figure the reader missed)."""
    out: list[str] = []
    pos = 0
    for match in _NUMBER_RE.finditer(text):
        out.append(escape(text[pos : match.start()]))
        out.append(f'<span class="num-left">{escape(match.group())}</span>')
        pos = match.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def highlighted_text(*, document: SourceDocument, proposals) -> SafeString:
    """The document text, HTML-escaped, with each proposal's quote wrapped in a <mark> linking to its row.

    The mark's classes say whether the figure has an indicator (``fig-mapped``), is a change of
    another figure (``fig-change``) and its review status; the comparison it carries is underlined
    (``cmp``); every other number is marked ``num-left`` so a reader sees at a glance which numbers
    were not taken as figures.
    """
    text = document.text
    spans: list[tuple[int, int, str, FigureProposal]] = []
    for p in proposals:
        if 0 <= p.start < p.end <= len(text):
            spans.append((p.start, p.end, "fig", p))
        c = p.comparison or {}
        start, end = c.get("start"), c.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            spans.append((start, end, "cmp", p))
    out: list[str] = []
    pos = 0
    for start, end, kind, p in sorted(spans, key=lambda s: (s[0], s[2] != "fig", s[3].position)):
        if start < pos:
            continue
        out.append(_plain(text[pos:start]))
        if kind == "fig":
            classes = ["fig", f"fig-{p.status}", "fig-mapped" if p.final_indicator_code else "fig-unmapped"]
            if p.is_change:
                classes.append("fig-change")
            title = " · ".join(x for x in (p.final_indicator_code or _("chưa gắn chỉ tiêu"), p.unit) if x)
            out.append(
                f'<mark id="q{p.pk}" class="{" ".join(classes)}" title="{escape(title)}">'
                f'<a href="#p{p.pk}">{escape(text[start:end])}</a></mark>'
            )
        else:
            out.append(f'<span class="cmp" title="{escape(_("so sánh"))}">{_plain(text[start:end])}</span>')
        pos = end
    out.append(_plain(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def latest_ended_period(spec, today):
    """The last period of the form's kind that has ended by ``today`` (a report is written after its
    period): in December 2026 the last half-year is 2026H1, not 2025H1; the last month is November."""
    from borderdesk.core.periods import CUTOFF, MONTH, QUARTER

    if spec.kind == CUTOFF:
        return spec.cutoff(today)
    if spec.kind in (MONTH, QUARTER):
        current = spec.period_containing(today)
        return current if current.end < today else current.previous()
    this_year = spec.period(today.year)
    return this_year if this_year.end < today else spec.period(today.year - 1)


def import_defaults(*, document: SourceDocument, forms) -> tuple[object | None, str]:
    """(form, period key) proposed for importing ``document``: the period the text itself reports on
    (``document.period_key``), for the first form of that kind of period, else the first form; when
    the form counts periods of another kind, the one of its kind that holds the end of the text's
    period. Without a period read from the text, the form's usual default (the last period)."""
    from borderdesk.core.periods import CUTOFF, parse_period
    from borderdesk.reporting.window import default_period_for

    if not forms:
        return None, ""
    text_period = None
    if document.period_key:
        try:
            text_period = parse_period(document.period_key)
        except ValueError:
            text_period = None
    if text_period is None:
        version = forms[0].current_version()
        if version is None:
            return forms[0], ""
        try:
            return forms[0], latest_ended_period(version.spec, timezone.localdate()).key
        except (ValueError, AttributeError):
            return forms[0], default_period_for(forms[0]).key
    from borderdesk.reporting.models import FormVersion

    latest: dict[int, FormVersion] = {}
    for version in FormVersion.objects.filter(form__in=forms).order_by("form_id", "-number"):
        latest.setdefault(version.form_id, version)
    specs = [(form, latest[form.pk].spec if form.pk in latest else None) for form in forms]
    for form, spec in specs:
        if spec is not None and spec.kind == text_period.kind:
            return form, text_period.key
    form, spec = specs[0]
    if spec is None:
        return form, text_period.key
    try:
        if spec.kind == CUTOFF:
            return form, spec.cutoff(text_period.end).key
        return form, spec.period_containing(text_period.end).key
    except ValueError:
        return form, text_period.key


def unit_within_province(*, unit, province: str) -> bool:
    """Whether ``unit`` or one of the units above it is named after ``province`` (one query)."""
    if unit is None or not province:
        return False
    from borderdesk.org.models import AdministrativeUnit

    ids = [int(part) for part in (unit.path or "").strip("/").split("/") if part.isdigit()]
    names = AdministrativeUnit.objects.filter(pk__in=ids).values_list("name", flat=True) if ids else [unit.name]
    return any(province.lower() in name.lower() for name in names)
