"""Drafting a report: figures, narratives, directives and commendations → outline context → document.

The figures come from the reporting engine's consolidation (`borderdesk.reporting.selectors.
consolidation_get`); commendations and directives from `borderdesk.coordination`. Every figure is
written by `borderdesk.core.vn` with its comparisons, and only comparisons whose base exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from borderdesk.coordination import selectors as coord
from borderdesk.coordination.choices import TaskStatus
from borderdesk.core import vn
from borderdesk.core.errors import ApplicationError
from borderdesk.core.periods import Period
from borderdesk.org.selectors import committee_members

from .layout import ReportDocument, Signature, outline_to_blocks, prune_empty_sections
from .outline import MISSING, render_outline


def _pct_phrase(pct, noun: str = "cùng kỳ", qualifier: str | None = None) -> str:
    """A growth phrase from a percentage alone: never "tăng -5%" nor "tăng 0%"."""
    d = vn.to_decimal(pct)
    if d is None:
        return ""
    rounded = abs(d).quantize(Decimal("0.1"))
    if rounded == 0:
        return f"tương đương {noun}"
    word = "tăng" if d > 0 else "giảm"
    q = vn.QUALIFIERS.get(qualifier or "", qualifier or "")
    return f"{word} {q + ' ' if q else ''}{vn.format_percent(rounded, 1)} so với {noun}"


def growth_phrase(value, base, noun: str = "cùng kỳ", *, approximate: bool = False) -> str:
    """Growth against a base, rounded as reports write it.

    Below 10% one decimal ("tăng 7,2%"); from 10% whole percents, with "gần"/"trên" when rounding moved
    the figure ("tăng gần 30%", "tăng 44%"); "gấp 2,5 lần" from double; nothing without a positive base.
    When either figure is approximate ("hơn 300 buổi"), a decimal would be false precision, so small
    changes are written in whole percents too ("tăng trên 7%").
    """
    cur, b = vn.to_decimal(value), vn.to_decimal(base)
    if cur is None or b is None or b <= 0:
        return ""
    pct = (cur / b - 1) * 100
    if cur >= 2 * b or (abs(pct) < 10 and not approximate):
        return vn.compare_phrase(cur, b, kind="same_period" if noun == "cùng kỳ" else "previous")
    whole = pct.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if whole == 0:
        return f"tương đương {noun}"
    word = "tăng" if pct > 0 else "giảm"
    diff = abs(pct) - abs(whole)
    q = "" if abs(diff) < Decimal("0.05") else ("gần " if diff < 0 else "trên ")
    return f"{word} {q}{vn.format_number(abs(whole))}% so với {noun}"


class Figure(dict):
    """One indicator as the outline sees it: value, comparisons, full sentence part."""

    @classmethod
    def from_row(cls, row) -> Figure:
        ind = row.indicator
        value = row.value
        unit = getattr(ind, "unit", "") or ""
        qualifier = getattr(row, "qualifier", None) or None
        text = vn.format_with_qualifier(value, unit, qualifier) if (value is not None or qualifier) else ""
        has = bool(text)
        plan = ""
        if value is not None and getattr(row, "plan_value", None) is not None:
            plan = vn.compare_phrase(value, row.plan_value, kind="plan")
        elif getattr(row, "plan_pct", None) is not None and (vn.to_decimal(row.plan_pct) or 0) > 0:
            plan = f"đạt {vn.format_percent(row.plan_pct, 1)} kế hoạch"  # never "đạt -3% kế hoạch"
        compare = ""
        change_q = getattr(row, "change_qualifier", None)
        if value is not None and getattr(row, "previous_value", None) is not None and not change_q:
            approximate = bool(qualifier or getattr(row, "previous_qualifier", None))
            compare = growth_phrase(value, row.previous_value, approximate=approximate)
        elif getattr(row, "change_pct", None) is not None:
            compare = _pct_phrase(row.change_pct, qualifier=change_q)
        full = ", ".join(p for p in (text, plan, compare) if p)
        count = ""
        if value is not None and qualifier is None:
            try:
                count = vn.zero_pad_count(value)
            except ValueError:
                count = vn.format_number(value)
        return cls(value=text or MISSING, full=full or MISSING, compare=compare, plan=plan, has=has,
                   name=getattr(ind, "name_vi", ""), unit=unit, count=count or MISSING,
                   raw=value if value is not None else MISSING,
                   previous=vn.format_with_qualifier(row.previous_value, unit)
                   if getattr(row, "previous_value", None) is not None else MISSING,
                   missing_units=", ".join(getattr(row, "missing", None) or []))

    @classmethod
    def missing(cls, code: str) -> Figure:
        return cls(value=MISSING, full=MISSING, compare="", plan="", has=False, name=code, unit="", count=MISSING,
                   raw=MISSING, previous=MISSING, missing_units="")


class Figures(dict):
    """Indicator code → Figure; a code without data gives a missing Figure (its line is dropped)."""

    def __missing__(self, key):
        return Figure.missing(key)


def get_consolidation(*, user, unit, period: Period, form=None):
    """The reporting engine's consolidation, or None while that engine is not installed."""
    try:
        from borderdesk.reporting.selectors import consolidation_get  # noqa: PLC0415
    except ImportError:
        return None
    return consolidation_get(user=user, unit=unit, period=period, form=form)


@dataclass
class DraftInput:
    committee: object
    period: Period
    report_date: dt.date
    consolidation: object | None = None
    signer_role: str = "head"
    warnings: list[str] = field(default_factory=list)


def _commendations(*, user, committee, period: Period, report_date: dt.date) -> dict:
    counts = coord.commendation_counts(user=user, unit=committee.unit, start=period.start, end=report_date)
    rows, parts = [], []
    for c in counts:
        bits = []
        if c.collectives:
            bits.append(f"{vn.zero_pad_count(c.collectives)} tập thể")
        if c.individuals:
            bits.append(f"{vn.zero_pad_count(c.individuals)} cá nhân")
        who = " và ".join(bits)
        short = c.kind_name.split(" của ")[0]
        text = f"{who} được {c.issuer} tặng {short}" if c.issuer else f"{who} được tặng {c.kind_name}"
        rows.append({"kind": c.kind_name, "issuer": c.issuer, "collectives": vn.zero_pad_count(c.collectives) or "0",
                     "individuals": vn.zero_pad_count(c.individuals) or "0", "text": text})
        parts.append(text)
    return {"rows": rows, "text": "; ".join(parts), "has": bool(rows),
            "total_collectives": sum(c.collectives for c in counts),
            "total_individuals": sum(c.individuals for c in counts)}


def _directives(*, user, committee, period: Period, report_date: dt.date) -> dict:
    """Last and this period's directives with their tasks' QĐ 42 status on the report date.

    Directives of the committee's own conferences go to `rows`; those of other bodies' conferences in
    the province (party committees, their standing boards) to `party_rows`. A report accounts only for
    directives given before its date."""
    prev = period.previous()
    end = min(period.end, report_date - dt.timedelta(days=1))
    items = coord.directives_for_report(user=user, committee=committee, start=prev.start, end=end)
    rows, party_rows, stats = [], [], {s.value: 0 for s in TaskStatus}
    for d in items:
        tasks = []
        for t in d.tasks.all():
            s = t.status_on(report_date)
            stats[s] += 1
            tasks.append({"title": t.title, "owner": t.owner.name, "status": str(TaskStatus(s).label).lower(),
                          "deadline": vn.format_date(t.deadline) if t.deadline else "thường xuyên",
                          "done_on": vn.format_date(t.done_on)})
        status_text = "; ".join(f"{t['owner']}: {t['title']} ({t['status']})" for t in tasks)
        conf = d.conference
        own = conf.committee_id == committee.pk
        row = {"conference": conf.display_title, "date": vn.format_date(conf.date), "number": str(d.number),
               "text": d.text, "tasks": tasks, "status_text": status_text,
               "convener": committee.name_on(conf.date) if own else (conf.convener or conf.display_title)}
        (rows if own else party_rows).append(row)
    total = sum(stats.values())
    bits = [f"{vn.zero_pad_count(n)} nhiệm vụ {str(TaskStatus(s).label).lower()}" for s, n in stats.items() if n]
    stats_text = (f"Tổng số {vn.zero_pad_count(total)} nhiệm vụ được giao, trong đó: " + "; ".join(bits)) if total \
        else ""
    return {"rows": rows, "party_rows": party_rows, "has": bool(rows or party_rows), "text": stats_text,
            "stats": {"total": total, "done_on_time": stats["done_on_time"], "done_late": stats["done_late"],
                      "open_in_term": stats["open_in_term"], "overdue": stats["overdue"], "text": stats_text}}


def _agreements(*, user, committee, period: Period, report_date: dt.date) -> dict:
    rows = []
    for a in coord.agreements_for_report(user=user, unit=committee.unit, year=period.year, start=period.start,
                                         end=report_date):
        events = []
        if a.review_date and a.review_date <= report_date:
            events.append(f"sơ kết ngày {vn.format_date(a.review_date)}")
        if a.signed_on and period.start <= a.signed_on <= report_date:
            events.append(f"ký kết ngày {vn.format_date(a.signed_on)}")
        rows.append({"title": a.title, "year": str(a.year), "parties": "; ".join(p.name for p in a.parties.all()),
                     "signed_on": vn.format_date(a.signed_on) if a.signed_on else "",
                     "review_date": vn.format_date(a.review_date) if a.review_date else "",
                     "events": ", ".join(events), "summary": a.summary})
    return {"rows": rows, "has": bool(rows)}


def build_context(*, user, inp: DraftInput) -> dict:
    committee, period, report_date = inp.committee, inp.period, inp.report_date
    cons = inp.consolidation
    figures = Figures()
    narratives: dict[str, list[dict]] = {}
    missing_units: list[str] = []
    if cons is not None:
        for row in getattr(cons, "rows", []) or []:
            figures[row.indicator.code] = Figure.from_row(row)
        for section, pieces in (getattr(cons, "narratives", None) or {}).items():
            narratives[section] = [{"unit": getattr(p, "unit_name", None) or str(getattr(p, "unit", "")), "text": getattr(p, "text", "")}
                                   for p in pieces if getattr(p, "text", "").strip()]
        missing_units = [str(u) for u in (getattr(cons, "missing_units", None) or [])]
    has_figures = any(f["has"] for f in figures.values())
    commendations = _commendations(user=user, committee=committee, period=period, report_date=report_date)
    directives = _directives(user=user, committee=committee, period=period, report_date=report_date)
    conferences = [{"title": c.display_title, "date": vn.format_date(c.date), "chair": c.chair,
                    "kind": c.get_kind_display(), "convener": c.convener if c.committee_id is None else ""}
                   for c in coord.conferences_for_report(user=user, committee=committee, start=period.start,
                                                         end=report_date)]
    agreements = _agreements(user=user, committee=committee, period=period, report_date=report_date)
    if not (has_figures or any(narratives.values()) or commendations["has"] or directives["has"] or conferences):
        raise ApplicationError(
            _("Kỳ %(p)s (%(w)s) chưa có số liệu nào cho %(c)s: chưa có số liệu tổng hợp, hội nghị, nhiệm vụ hay khen "
              "thưởng. Không tạo dự thảo rỗng.")
            % {"p": period.label_vi, "w": period.window_label(), "c": committee.name}, code="no_data")
    nxt = period.next()
    return {
        "committee": {"name": committee.name_on(report_date), "code": committee.code, "place_name": committee.place_name,
                      "parent_body": committee.parent_body, "abbreviation": committee.abbreviation,
                      "province": committee.unit.name.removeprefix("Tỉnh ").strip(),
                      "standing_office": str(committee.standing_office or "")},
        "period": {"label": period.label_vi, "key": period.key, "year": str(period.year),
                   "start": vn.format_date(period.start), "end": vn.format_date(period.end),
                   "window": period.window_label(), "next_label": nxt.label_vi,
                   "previous_label": period.previous().label_vi, "next_year": str(period.year + 1)},
        "report_date": vn.format_date(report_date),
        "f": figures, "narratives": narratives, "commendations": commendations, "directives": directives,
        "conferences": conferences, "agreements": agreements, "missing_units": missing_units,
    }


ROLE_TITLES = {"head": ("TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN"),
               "standing_deputy": ("KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC")}


def signature_for(*, committee, report_date: dt.date, role: str = "head") -> Signature:
    authority, title = ROLE_TITLES.get(role, ROLE_TITLES["head"])
    members = [m for m in committee_members(committee=committee, as_of=report_date) if m.role == role]
    if not members:  # the latest holder before the date, unless that membership is known to have ended
        members = [m for m in committee_members(committee=committee) if m.role == role
                   and (m.valid_from is None or m.valid_from <= report_date)]
        members = [m for m in members[-1:] if m.valid_to is None or m.valid_to >= report_date]
    if not members:
        return Signature(authority=authority, title=title)
    m = members[-1]
    post = m.post.split(",")[-1].strip() if m.post else ""
    return Signature(authority=authority, title=title, post=post, name=m.person.full_name)


def compose(*, committee, summary: str, body: str, recipients: str, context: dict, report_date: dt.date,
            number: int | None, signer_role: str = "head") -> tuple[ReportDocument, str, list[str]]:
    """Render the outline pieces and assemble the document. Returns (document, body text, warnings)."""
    summary_text, dropped_s = render_outline(summary, context)
    body_text, dropped = render_outline(body, context)
    recipients_text, dropped_r = render_outline(recipients, context)
    lines = [ln.strip() for ln in recipients_text.splitlines() if ln.strip()]
    lines = [ln if ln.startswith("-") else f"- {ln}" for ln in lines]
    lines = [ln if ln.endswith((";", ".")) else ln + ";" for ln in lines]
    if lines and not lines[-1].startswith("- Lưu"):
        lines.append(f"- Lưu: VT, {committee.abbreviation}.")
    if lines and lines[-1].endswith(";") and lines[-1].startswith("- Lưu"):
        lines[-1] = lines[-1][:-1] + "."
    symbol = f"BC-{committee.abbreviation}"
    blocks, empty_sections = prune_empty_sections(outline_to_blocks(body_text))
    doc = ReportDocument(
        parent_body=committee.parent_body, issuing_body=committee.name_on(report_date),
        number_line=vn.document_number(number, symbol), date_line=vn.date_line(committee.place_name, report_date),
        summary=" ".join(summary_text.split()), blocks=blocks,
        signature=signature_for(committee=committee, report_date=report_date, role=signer_role), recipients=lines)
    warnings = [_("Bỏ câu vì thiếu số liệu: %s") % d for d in dropped + dropped_s + dropped_r if d]
    warnings += [_("Bỏ mục không có nội dung: %s") % h for h in empty_sections]
    if not doc.signature.name:
        warnings.append(_("Chưa xác định được người ký vào ngày %(d)s (không có thành viên giữ chức vụ này vào "
                          "ngày báo cáo): để trống họ tên người ký.") % {"d": vn.format_date(report_date)})
    return doc, body_text, warnings
