"""Drafting a report: figures, narratives, directives and commendations → outline context → document.

The figures come from the reporting engine's consolidation (`borderdesk.reporting.consolidation.
consolidation_get`); commendations and directives from `borderdesk.coordination`. Every figure is
written by `borderdesk.core.vn` with its comparisons, and only comparisons whose base exists.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from borderdesk.coordination import selectors as coord
from borderdesk.coordination.choices import TaskStatus
from borderdesk.core import vn
from borderdesk.core.errors import ApplicationError
from borderdesk.core.periods import CALENDAR, CUTOFF, Period, period_for
from borderdesk.org.selectors import committee_members

from . import narrative, sources
from .figures import LIVE, Figure, Figures, _pct_phrase, growth_phrase, live, strip_live  # noqa: F401
from .layout import ReportDocument, Signature, outline_to_blocks, prune_empty_sections
from .outline import render_outline


@dataclass
class DraftInput:
    committee: object
    period: Period
    report_date: dt.date
    consolidation: object | None = None
    signer_role: str = "head"
    warnings: list[str] = field(default_factory=list)
    agency: object | None = None  # an agency's own report for the committee (None: the committee's report)
    codes: frozenset[str] | None = None  # the indicators the outline names (None: every indicator)


def event_window(period: Period, report_date: dt.date) -> tuple[dt.date, dt.date]:
    """The days whose events (conferences, commendations, agreements) a report of `period` accounts for.

    A periodic report covers its calendar period (a year report: 01/01–31/12, whatever its data window),
    a cut-off report its window; never a day after the report date. Events after the period belong to
    the next report, even when the draft is made later."""
    if period.kind == CUTOFF:
        start, end = period.start, period.end
    else:
        cal = period_for(period.kind, period.year, period.index, CALENDAR)
        start, end = cal.start, cal.end
    return start, min(end, report_date)


def directions_label(period: Period) -> str:
    """The period a report's directions are for: H1 → 6 tháng cuối năm, year → năm sau, 9 tháng → quý IV."""
    if period.kind == "H1":
        return f"6 tháng cuối năm {period.year}"
    if period.kind == "H2":
        return f"năm {period.year + 1}"
    if period.kind == "N9":
        return f"quý IV năm {period.year}"
    if period.kind == "year":
        return f"năm {period.year + 1}"
    if period.kind == CUTOFF:
        return "thời gian tới"
    return period.next().label_vi


def _commendations(*, user, committee, period: Period, report_date: dt.date) -> dict:
    start, end = event_window(period, report_date)
    counts = coord.commendation_counts(user=user, unit=committee.unit, start=start, end=end)
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
        rows.append(
            {
                "kind": c.kind_name,
                "issuer": c.issuer,
                "collectives": vn.zero_pad_count(c.collectives) or "0",
                "individuals": vn.zero_pad_count(c.individuals) or "0",
                "text": text,
            }
        )
        parts.append(text)
    return {
        "rows": rows,
        "text": "; ".join(parts),
        "has": bool(rows),
        "total_collectives": sum(c.collectives for c in counts),
        "total_individuals": sum(c.individuals for c in counts),
    }


def _task_phrase(t: dict) -> str:
    title = t["title"][:1].lower() + t["title"][1:] if t["title"][:2] != t["title"][:2].upper() else t["title"]
    return f"{t['owner']} {title} ({t['status']})"


def _directives(*, user, committee, period: Period, report_date: dt.date) -> dict:
    """Last and this period's directives with their tasks' QĐ 42 status on the report date.

    Directives of the committee's own conferences go to `rows`; those of other bodies' conferences in
    the province (party committees, their standing boards) to `party_rows`. A report accounts only for
    directives given before its date and not after its period. Open tasks (in term or overdue) feed
    the directions for the next period (`open`)."""
    prev = period.previous()
    _start, end = event_window(period, report_date - dt.timedelta(days=1))
    reported_until = min(period.end, report_date - dt.timedelta(days=1))
    items = coord.directives_for_report(user=user, committee=committee, start=prev.start, end=end)
    rows, party_rows, stats, open_tasks = [], [], {s.value: 0 for s in TaskStatus}, []
    for d in items:
        if d.conference.date > reported_until:  # given at the period's closing conference: for the next period
            for t in d.tasks.all():
                s = t.status_on(report_date)
                if s in ("open_in_term", "overdue"):
                    open_tasks.append(
                        {
                            "title": t.title.rstrip("."),
                            "owner": t.owner.name,
                            "code": s,
                            "deadline": vn.format_date(t.deadline) if t.deadline else "thường xuyên",
                        }
                    )
            continue
        tasks = []
        for t in d.tasks.all():
            s = t.status_on(report_date)
            stats[s] += 1
            task = {
                "title": t.title.rstrip("."),
                "owner": t.owner.name,
                "status": str(TaskStatus(s).label).lower(),
                "deadline": vn.format_date(t.deadline) if t.deadline else "thường xuyên",
                "done_on": vn.format_date(t.done_on),
                "code": s,
            }
            tasks.append(task)
            if s in ("open_in_term", "overdue"):
                open_tasks.append(task)
        status_text = "; ".join(_task_phrase(t) for t in tasks)
        conf = d.conference
        own = conf.committee_id == committee.pk
        row = {
            "conference": conf.display_title,
            "date": vn.format_date(conf.date),
            "number": str(d.number),
            "text": d.text.rstrip("."),
            "tasks": tasks,
            "status_text": status_text,
            "convener": committee.name_on(conf.date) if own else (conf.convener or conf.display_title),
        }
        (rows if own else party_rows).append(row)
    total = sum(stats.values())
    bits = [f"{vn.zero_pad_count(n)} nhiệm vụ {str(TaskStatus(s).label).lower()}" for s, n in stats.items() if n]
    stats_text = (
        (f"Tổng số {vn.zero_pad_count(total)} nhiệm vụ được giao, trong đó " + "; ".join(bits)) if total else ""
    )
    return {
        "rows": rows,
        "party_rows": party_rows,
        "has": bool(rows or party_rows),
        "text": stats_text,
        "open": open_tasks,
        "stats": {
            "total": total,
            "done_on_time": stats["done_on_time"],
            "done_late": stats["done_late"],
            "open_in_term": stats["open_in_term"],
            "overdue": stats["overdue"],
            "text": stats_text,
        },
    }


def _agreements(*, user, committee, period: Period, report_date: dt.date) -> dict:
    start, end = event_window(period, report_date)
    rows = []
    for a in coord.agreements_for_report(user=user, unit=committee.unit, year=period.year, start=start, end=end):
        if a.year > period.year or (a.signed_on and a.signed_on > end and a.year != period.year):
            continue  # the next period's regulation, signed after this period
        events = []
        if a.review_date and start <= a.review_date <= end:
            events.append(f"sơ kết ngày {vn.format_date(a.review_date)}")
        if a.signed_on and start <= a.signed_on <= end:
            events.append(f"ký kết ngày {vn.format_date(a.signed_on)}")
        rows.append(
            {
                "title": a.title,
                "year": str(a.year),
                "parties": "; ".join(p.name for p in a.parties.all()),
                "signed_on": vn.format_date(a.signed_on) if a.signed_on else "",
                "review_date": vn.format_date(a.review_date) if a.review_date else "",
                "events": ", ".join(events),
                "summary": a.summary,
            }
        )
    return {"rows": rows, "has": bool(rows)}


def _unit_kind(name: str) -> str:
    low = name.lower()
    if low.startswith(("xã", "phường", "thị trấn", "huyện", "thị xã")):
        return "commune"
    if low.startswith("đồn"):
        return "station"
    return name


def _directions(directives: dict, label: str) -> list[str]:
    """Directions for the next period drawn from the tasks still open on the report date."""
    out = []
    for t in directives["open"]:
        title = t["title"][:1].lower() + t["title"][1:]
        dated = t["code"] == "open_in_term" and t["deadline"][:1].isdigit()
        when = f", hoàn thành trước ngày {t['deadline']}" if dated else ""
        lead = "khẩn trương hoàn thành nhiệm vụ quá hạn: " if t["code"] == "overdue" else "tiếp tục "
        out.append(f"{t['owner']} {lead}{title}{when}")
    return out


def _assessment(
    *,
    figures: dict,
    directives: dict,
    period: Period,
    missing_units: list[str],
    shortcomings: list[dict],
    reporter: str = "",
) -> list[str]:
    """Part III: what went well (from the figures), what fell short (declines, open tasks, missing reports)."""
    good, weak = [], []
    inc, res = figures.get("INCIDENTS_TOTAL"), figures.get("INCIDENTS_RESOLVED")
    if inc and inc.get("has") and inc.get("raw"):
        if res and res.get("has") and res["raw"] == inc["raw"]:
            good.append(
                f"các vụ việc phát sinh trên biên giới ({inc['count']} vụ) đều được phát hiện và phối hợp "
                "giải quyết kịp thời"
            )
    if figures.get("MARKERS_TOTAL", {}).get("has") and figures.get("MARKERS_INTACT", {}).get("has"):
        good.append(
            f"{figures['MARKERS_INTACT']['value']} trên tổng số {figures['MARKERS_TOTAL']['value']} được "
            "kiểm tra giữ nguyên trạng"
        )
    stats = directives["stats"]
    done = stats["done_on_time"] + stats["done_late"]
    if done:
        good.append(
            f"các cơ quan, đơn vị thành viên đã hoàn thành {vn.zero_pad_count(done)}/"
            f"{vn.zero_pad_count(stats['total'])} nhiệm vụ được giao"
        )
    declines = []
    for code, f in figures.items():
        ind_better = f.get("higher_is_better")
        if code in ("INCIDENTS_RESOLVED",) or not (f.get("has") and f.get("compare", "")):
            continue
        if "giảm" in strip_live(f["compare"]) and ind_better:
            declines.append(f"{f['name'][:1].lower() + f['name'][1:]} {strip_live(f['compare'])}")
    if declines:
        weak.append("một số chỉ tiêu giảm so với cùng kỳ (" + "; ".join(declines[:4]) + ")")
    if stats["overdue"]:
        weak.append(f"còn {vn.zero_pad_count(stats['overdue'])} nhiệm vụ quá hạn chưa hoàn thành")
    if missing_units:
        weak.append("một số đơn vị chưa gửi báo cáo đúng hạn, gồm " + ", ".join(missing_units[:5]))
    who = (
        f"{reporter} triển khai đồng bộ, có sự phối hợp chặt chẽ với các cơ quan, đơn vị liên quan"
        if reporter
        else "các cơ quan, đơn vị thành viên Ban Chỉ đạo triển khai đồng bộ, có sự phối hợp chặt chẽ"
    )
    out = [
        f"Công tác biên giới {period.label_vi} được {who}; tình hình an ninh chính trị, trật tự an toàn xã hội khu "
        "vực biên giới được giữ vững."
    ]
    if good:
        out.append("Kết quả nổi bật: " + "; ".join(good) + ".")
    out += [p["text"] for p in shortcomings]
    if weak:
        out.append("Bên cạnh đó, " + "; ".join(weak) + ".")
    return out


def _proposals(*, directives: dict, missing_units: list[str], committee_name: str, narratives: list[dict]) -> list[str]:
    out = [p["text"] for p in narratives]
    overdue = sorted({t["owner"] for t in directives["open"] if t["code"] == "overdue"})
    if overdue:
        out.append(
            f"Đề nghị {committee_name} chỉ đạo {', '.join(overdue)} khẩn trương hoàn thành các nhiệm vụ "
            "quá hạn, báo cáo kết quả về Thường trực Ban Chỉ đạo."
        )
    if missing_units:
        out.append(
            "Đề nghị các đơn vị chưa gửi báo cáo bổ sung số liệu để tổng hợp đầy đủ, gồm "
            + ", ".join(missing_units[:5])
            + "."
        )
    return out


def build_context(*, user, inp: DraftInput) -> dict:
    committee, period, report_date = inp.committee, inp.period, inp.report_date
    figures = Figures()
    gathered = sources.gather(user=user, unit=committee.unit, period=period, agency=inp.agency, codes=inp.codes)
    for code, row in gathered.rows.items():
        fig = Figure.from_row(row)
        fig["higher_is_better"] = getattr(row.indicator, "higher_is_better", None)
        figures[code] = fig
    missing_units = [u for u in gathered.missing_units if u != committee.unit.name]  # the report being written
    own_names = {committee.unit.name, str(committee.unit)} | ({inp.agency.name} if inp.agency is not None else set())
    pieces = {
        s: [
            {"unit": getattr(p, "unit_name", None) or str(getattr(p, "unit", "")), "text": getattr(p, "text", "")}
            for p in ps
            if getattr(p, "text", "").strip()
        ]
        for s, ps in (gathered.narratives or {}).items()
    }
    kinds = {p["unit"]: _unit_kind(p["unit"]) for ps in pieces.values() for p in ps}
    narratives = narrative.summarise(pieces, own_units=own_names, unit_kinds=kinds)
    # State figures (markers held, registrations in force) exist in every period: alone they are no report.
    has_figures = any(f["has"] for c, f in figures.items() if c not in sources.STATE_CODES)
    commendations = _commendations(user=user, committee=committee, period=period, report_date=report_date)
    directives = _directives(user=user, committee=committee, period=period, report_date=report_date)
    ev_start, ev_end = event_window(period, report_date)
    conferences = [
        {
            "title": c.display_title,
            "date": vn.format_date(c.date),
            "chair": c.chair,
            "kind": c.get_kind_display(),
            "convener": c.convener if c.committee_id is None else "",
        }
        for c in coord.conferences_for_report(user=user, committee=committee, start=ev_start, end=ev_end)
    ]
    agreements = _agreements(user=user, committee=committee, period=period, report_date=report_date)
    if not (has_figures or any(narratives.values()) or commendations["has"] or directives["has"] or conferences):
        raise ApplicationError(
            _(
                "Kỳ %(p)s (%(w)s) chưa có số liệu nào cho %(c)s: chưa có số liệu tổng hợp, hội nghị, nhiệm vụ hay khen "
                "thưởng. Không tạo dự thảo rỗng."
            )
            % {"p": period.label_vi, "w": period.window_label(), "c": committee.name},
            code="no_data",
        )
    label = directions_label(period)
    reporter = inp.agency.name if inp.agency is not None else committee.name_on(report_date)
    return {
        "committee": {
            "name": reporter,
            "code": committee.code,
            "place_name": committee.place_name,
            "parent_body": committee.parent_body,
            "abbreviation": committee.abbreviation,
            "province": committee.unit.name.removeprefix("Tỉnh ").strip(),
            "standing_office": str(committee.standing_office or ""),
        },
        "period": {
            "label": period.label_vi,
            "key": period.key,
            "year": str(period.year),
            "start": vn.format_date(period.start),
            "end": vn.format_date(period.end),
            "window": period.window_label(),
            "next_label": label,
            "previous_label": period.previous().label_vi,
            "next_year": str(period.year + 1),
        },
        "report_date": vn.format_date(report_date),
        "f": figures,
        "narratives": narratives,
        "commendations": commendations,
        "directives": directives,
        "conferences": conferences,
        "agreements": agreements,
        "missing_units": missing_units,
        "assessment": _assessment(
            figures=figures,
            directives=directives,
            period=period,
            missing_units=missing_units,
            shortcomings=narratives.get("shortcomings", []),
            reporter=inp.agency.name if inp.agency is not None else "",
        ),
        "directions": {"label": label, "rows": _directions(directives, label)},
        "proposals": _proposals(
            directives=directives,
            missing_units=missing_units,
            committee_name=committee.name,
            narratives=narratives.get("proposals", []),
        ),
        "_sources": {"rule": sources.PRECEDENCE_RULE, "notes": gathered.notes, "submitted": gathered.used_submitted},
    }


ROLE_TITLES = {
    "head": ("TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN"),
    "standing_deputy": ("KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC"),
}


def signature_for(*, committee, report_date: dt.date, role: str = "head") -> Signature:
    authority, title = ROLE_TITLES.get(role, ROLE_TITLES["head"])
    members = [m for m in committee_members(committee=committee, as_of=report_date) if m.role == role]
    if not members:  # the latest holder before the date, unless that membership is known to have ended
        members = [
            m
            for m in committee_members(committee=committee)
            if m.role == role and (m.valid_from is None or m.valid_from <= report_date)
        ]
        members = [m for m in members[-1:] if m.valid_to is None or m.valid_to >= report_date]
    if not members:
        return Signature(authority=authority, title=title)
    m = members[-1]
    post = m.post.split(",")[-1].strip() if m.post else ""
    return Signature(authority=authority, title=title, post=post, name=m.person.full_name)


def recipient_lines(recipients_text: str, abbreviation: str) -> list[str]:
    lines = [ln.strip() for ln in recipients_text.splitlines() if ln.strip()]
    lines = [ln if ln.startswith("-") else f"- {ln}" for ln in lines]
    lines = [ln if ln.endswith((";", ".")) else ln + ";" for ln in lines]
    if lines and not lines[-1].startswith("- Lưu"):
        lines.append(f"- Lưu: VT, {abbreviation}.")
    if lines and lines[-1].endswith(";") and lines[-1].startswith("- Lưu"):
        lines[-1] = lines[-1][:-1] + "."
    return lines


AGENCY_HEADS = (
    ("bộ chỉ huy", "CHỈ HUY TRƯỞNG"),
    ("đồn", "ĐỒN TRƯỞNG"),
    ("sở", "GIÁM ĐỐC"),
    ("công an", "GIÁM ĐỐC"),
    ("ban", "TRƯỞNG BAN"),
    ("ủy ban", "CHỦ TỊCH"),
    ("ubnd", "CHỦ TỊCH"),
)


def agency_signature(agency) -> Signature:
    """The head of a member agency signs its own report (the person is left for the agency to fill in)."""
    low = agency.name.lower()
    title = next((t for prefix, t in AGENCY_HEADS if low.startswith(prefix)), "THỦ TRƯỞNG CƠ QUAN")
    return Signature(authority="", title=title)


def report_symbol(committee, agency=None) -> str:
    """The report's symbol: "BC-BCĐ" for the committee's; an agency's own report carries the agency's
    abbreviation (its short name, else the initials of its name: "BC-BCHBĐBP"), never the committee's."""
    if agency is None:
        return f"BC-{committee.abbreviation}"
    if agency.short_name:
        return f"BC-{agency.short_name.replace(' ', '')}"
    name = re.split(r"\s+(?:tỉnh|thành phố|huyện|xã)\b|\s*\(", agency.name)[0]
    return "BC-" + "".join(w[0].upper() for w in name.split() if w[:1].isalpha())


def assemble(
    *,
    committee,
    summary: str,
    body_text: str,
    recipients: list[str],
    report_date: dt.date,
    number: int | None,
    signer_role: str = "head",
    issuing_body: str = "",
    parent_body: str | None = None,
    signature: Signature | None = None,
    symbol: str = "",
) -> tuple[ReportDocument, list[str]]:
    """The document from a draft's text (live figures printed as written). Returns (document, dropped headings)."""
    symbol = symbol or report_symbol(committee)
    blocks, empty_sections = prune_empty_sections(outline_to_blocks(strip_live(body_text)))
    doc = ReportDocument(
        parent_body=committee.parent_body if parent_body is None else parent_body,
        issuing_body=issuing_body or committee.name_on(report_date),
        number_line=vn.document_number(number, symbol),
        date_line=vn.date_line(committee.place_name, report_date),
        summary=" ".join(summary.split()),
        blocks=blocks,
        signature=signature or signature_for(committee=committee, report_date=report_date, role=signer_role),
        recipients=recipients,
    )
    return doc, empty_sections


def compose(
    *,
    committee,
    summary: str,
    body: str,
    recipients: str,
    context: dict,
    report_date: dt.date,
    number: int | None,
    signer_role: str = "head",
    agency=None,
) -> tuple[ReportDocument, str, list[str]]:
    """Render the outline pieces and assemble the document. Returns (document, body text, warnings).

    The body text keeps its figures live (``⟪CODE~field|…⟫``) so the draft can be edited and refreshed;
    a clause repeated word for word later in the report is dropped."""
    summary_text, dropped_s = render_outline(summary, context)
    body_text, dropped = render_outline(body, context)
    body_text = narrative.remove_repeats(body_text, normalise=strip_live)
    recipients_text, dropped_r = render_outline(recipients, context)
    if agency is not None:  # an agency reports to the committee
        recipients_text = f"{committee.name_on(report_date)} (báo cáo)\nThường trực Ban Chỉ đạo (để tổng hợp)\nLưu: VT"
    lines = recipient_lines(recipients_text, committee.abbreviation)
    doc, empty_sections = assemble(
        committee=committee,
        summary=strip_live(summary_text),
        body_text=body_text,
        recipients=lines,
        report_date=report_date,
        number=number,
        signer_role=signer_role,
        issuing_body=agency.name.upper() if agency is not None else "",
        parent_body=(agency.parent.name.upper() if agency.parent_id else "") if agency is not None else None,
        signature=agency_signature(agency) if agency is not None else None,
        symbol=report_symbol(committee, agency),
    )
    warnings = [_("Bỏ câu vì thiếu số liệu: %s") % d for d in dropped + dropped_s + dropped_r if d]
    warnings += [_("Bỏ mục không có nội dung: %s") % h for h in empty_sections]
    submitted = (context.get("_sources") or {}).get("submitted") or []
    if submitted:
        warnings.append(_("Số liệu lấy từ báo cáo đã gửi nhưng chưa được duyệt: %s") % ", ".join(submitted))
    if not doc.signature.name:
        warnings.append(
            _(
                "Chưa xác định được người ký vào ngày %(d)s (không có thành viên giữ chức vụ này vào "
                "ngày báo cáo): để trống họ tên người ký."
            )
            % {"d": vn.format_date(report_date)}
        )
    return doc, body_text, warnings
