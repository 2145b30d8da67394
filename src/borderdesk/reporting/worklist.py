"""Work list items of periodic reporting, per role.

- Reporters (a role with *change* over a unit or agency that a form expects): each closed period whose
  report is not sent yet — *due* while the deadline is ahead, *late* after it (up to `LATE_DAYS` back);
  the running period as a *reminder* when its deadline is within `REMIND_DAYS`; returned reports;
  drafts (late once their deadline has passed).
- Approvers: the reports waiting for their level (the review queue).
- Standing office and approvers: per form, the units of their area that have not sent the last closed
  period's report after its deadline (*missing*), linking to the completeness page.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from borderdesk.accounts.choices import ROLE_ACTIONS
from borderdesk.core import tables, vn
from borderdesk.core.scoping import Action
from borderdesk.core.worklist import WorkItem

from . import completeness, selectors
from .choices import Status
from .models import ReportForm, Submission
from .replacements import replaced_on, replacements_by_form
from .services import _reporter_allowed
from .window import deadline_for

LATE_DAYS = 92
REMIND_DAYS = 14
SENT = (Status.SUBMITTED, Status.APPROVED)


def _label(period) -> str:
    """The period in the interface language ("tháng 11/2026" / "November 2026")."""
    return period.label(vn.current_lang())


def _versions():
    out = []
    for f in ReportForm.objects.prefetch_related("versions").order_by("code"):
        v = max(f.versions.all(), key=lambda x: x.number, default=None)
        if v is not None and v.spec.kind != "cutoff":
            out.append((f, v))
    return out


def _own_reporters(user, today) -> list:
    """Units and agencies the user reports for: those named in their roles that allow changes."""
    out, seen = [], set()
    for a in user.active_assignments(today):
        if Action.CHANGE not in ROLE_ACTIONS[a.role]:
            continue
        for key, obj in ((("u", a.unit_id), a.unit), (("a", a.agency_id), a.agency)):
            if obj is not None and key not in seen and obj.is_valid_on(today):
                seen.add(key)
                out.append((key, obj))
    return out


def _periods(version, today):
    """Closed periods with a deadline at most LATE_DAYS ago, and the running period."""
    spec = version.spec
    try:
        current = spec.period_containing(today)
    except ValueError:  # H1/N9 forms: today may fall outside every period of the kind
        current = None
    closed, p = [], (current.previous() if current else spec.period(today.year))
    for _i in range(13):
        if p.end >= today:
            p = p.previous()
            continue
        if deadline_for(version, p) < today - dt.timedelta(days=LATE_DAYS):
            break
        closed.append(p)
        p = p.previous()
    return closed, current


def _reporter_items(user, today, versions) -> tuple[list[WorkItem], set[int]]:
    """Due, late and coming reports of the user's own units and agencies; also the drafts they point to."""
    reporters = _own_reporters(user, today)
    if not reporters:
        return [], set()
    plan = []
    replaced = replacements_by_form([form.pk for form, _v in versions])  # province forms replacing these
    for form, v in versions:
        closed, current = _periods(v, today)
        found = replaced[form.pk]
        for key, obj in reporters:
            unit, agency = (obj, None) if key[0] == "u" else (None, obj)
            if not _reporter_allowed(v, unit, agency):
                continue
            plan += [
                (form, v, key, obj, p, False)
                for p in closed
                if obj.is_valid_on(p.end) and not replaced_on(found, key, p.end)
            ]
            if (
                current is not None
                and (deadline_for(v, current) - today).days <= REMIND_DAYS
                and not replaced_on(found, key, current.end)
            ):
                plan.append((form, v, key, obj, current, True))
    if not plan:
        return [], set()
    q = Q(pk__in=[])
    for form, _v, key, _obj, p, _r in plan:
        q |= Q(form=form, period_key=p.key, **({"unit_id": key[1]} if key[0] == "u" else {"agency_id": key[1]}))
    subs = {
        (s.form_id, s.period_key, ("u", s.unit_id) if s.unit_id else ("a", s.agency_id)): s
        for s in Submission.objects.filter(q).only("pk", "form_id", "period_key", "unit_id", "agency_id", "status")
    }
    out, used = [], set()
    for form, v, key, obj, p, running in plan:
        sub = subs.get((form.pk, p.key, key))
        if sub is not None and (sub.status in SENT or sub.status == Status.RETURNED):
            continue  # sent, or listed among the returned reports
        deadline = deadline_for(v, p)
        kind = "reminder" if running else ("late" if deadline < today else "due")
        detail = _("%(r)s — %(p)s") % {"r": obj, "p": _label(p)}
        item = WorkItem(kind, form.name, detail=detail, day=deadline)
        if sub is not None:
            used.add(sub.pk)
            item.url, item.action = reverse("reporting:entry", args=[sub.pk]), _("Tiếp tục nhập")
        else:
            item.url, item.action = reverse("reporting:open"), _("Lập báo cáo")
            item.post = {"form": form.code, "period": p.key, "reporter": f"{key[0]}:{key[1]}"}
        out.append(item)
    return out, used


def _mine(user, status, limit, today):
    """The user's own units' and agencies' reports in a status (not every report of their area)."""
    keys = [k for k, _obj in _own_reporters(user, today)]
    if not keys:
        return []
    q = Q(pk__in=[])
    for kind, pk in keys:
        q |= Q(unit_id=pk) if kind == "u" else Q(agency_id=pk)
    return (
        Submission.objects.for_user(user, Action.CHANGE)
        .filter(q, status=status)
        .select_related("form", "form_version", "unit", "agency")
        .order_by("-period_end", "pk")[:limit]
    )


def _missing_items(user, today, versions) -> list[WorkItem]:
    roots = []
    for a in user.active_assignments(today):
        if (
            a.unit_id
            and (Action.MANAGE in ROLE_ACTIONS[a.role] or Action.APPROVE in ROLE_ACTIONS[a.role])
            and a.unit.kind in ("country", "province")
            and a.unit not in roots
        ):
            roots.append(a.unit)
    out = []
    for unit in roots:
        for form, v in versions:
            closed, _current = _periods(v, today)
            late = [p for p in closed if deadline_for(v, p) < today]
            if not late:
                continue
            p = late[0]
            comp = completeness.completeness_get(user=user, unit=unit, form=form, periods=[p])
            rate = comp.rates[0]
            missing = rate["expected"] - rate["received"]
            if missing > 0:
                out.append(
                    WorkItem(
                        "missing",
                        form.name,
                        day=deadline_for(v, p),
                        action=_("Xem tình hình nộp"),
                        detail=_("%(u)s — %(p)s: %(m)s/%(e)s đơn vị chưa gửi")
                        % {"u": unit, "p": _label(p), "m": missing, "e": rate["expected"]},
                        url=f"{reverse('reporting:completeness')}?don_vi={unit.pk}&bieu={form.code}&nam={p.year}",
                    )
                )
    return out


@tables.ignoring_open_edits()  # the reports' status, period, place, return reason and approval level only
def items(user, today) -> list[WorkItem]:
    versions = _versions()
    out, used = _reporter_items(user, today, versions)
    for sub in _mine(user, Status.RETURNED, 50, today):
        out.append(
            WorkItem(
                "returned",
                sub.form.name,
                url=reverse("reporting:entry", args=[sub.pk]),
                day=sub.period_end,
                action=_("Sửa và gửi lại"),
                detail=_("%(r)s — %(p)s. Lý do: %(why)s")
                % {"r": sub.reporter_name, "p": _label(sub.period), "why": sub.return_reason or "—"},
            )
        )
    for sub in _mine(user, Status.DRAFT, 20, today):
        if sub.pk in used:
            continue
        # A draft past its deadline (beyond the LATE_DAYS the closed periods cover) is late, listed by its deadline.
        deadline = deadline_for(sub.form_version, sub.period)
        late = deadline < today
        out.append(
            WorkItem(
                "late" if late else "draft",
                sub.form.name,
                url=reverse("reporting:entry", args=[sub.pk]),
                day=deadline if late else sub.period_end,
                action=_("Tiếp tục nhập"),
                detail=_("%(r)s — %(p)s") % {"r": sub.reporter_name, "p": _label(sub.period)},
            )
        )
    if user.can(Action.APPROVE):
        for sub in selectors.review_queue(user=user)[:50]:
            out.append(
                WorkItem(
                    "approve",
                    sub.form.name,
                    url=reverse("reporting:entry", args=[sub.pk]),
                    day=sub.submitted_at.date() if sub.submitted_at else None,
                    action=_("Duyệt"),
                    detail=_("%(r)s — %(p)s (cấp duyệt: %(l)s)")
                    % {"r": sub.reporter_name, "p": _label(sub.period), "l": sub.pending_level},
                )
            )
        out += _missing_items(user, today, versions)
    return out
