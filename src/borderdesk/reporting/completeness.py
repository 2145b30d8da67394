"""Completeness: which expected reports arrived (on time) for a form and its periods, and the year's
overview of every form for a unit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from borderdesk.core import tables
from borderdesk.core.periods import Period
from borderdesk.org.models import AdministrativeUnit

from .aggregation import _rkey
from .choices import Status
from .consolidation import HUNDRED, _require_unit_view
from .models import (
    ReportForm,
    Submission,
)
from .reporters import _reporter_names, expected_reporters_by_period
from .window import _path_q, form_periods, root_paths


# Completeness ----------------------------------------------------------------------------------------
class CompletenessRate(TypedDict):
    """One period's counts of a completeness table (percentages None when nothing was expected)."""

    period: Period
    expected: int
    received: int
    on_time: int
    pct: Decimal | None
    timely_pct: Decimal | None


@dataclass
class CompletenessCell:
    status: str  # approved | submitted | draft | returned | missing | not_expected
    on_time: bool | None = None
    submission_id: int | None = None  # the report, when the reader may open it (else its status only)


@dataclass
class Completeness:
    unit: AdministrativeUnit
    form: ReportForm
    periods: list[Period]
    reporters: list[dict]  # {"key", "name", "cells": [CompletenessCell per period]}
    rates: list[CompletenessRate]  # per period


@tables.ignoring_open_edits()  # reads the reports' status, time sent, period and place: no open edit changes them
def completeness_get(*, user, unit, form: ReportForm, periods: list[Period]) -> Completeness:
    """Reporters × periods for one form: who was expected (existing on the cut-off), who reported, on time."""
    from .window import deadline_for

    _require_unit_view(user, unit)
    version = form.current_version()
    paths = root_paths(unit)
    expected_by_period = expected_reporters_by_period(paths=paths, periods=periods, versions=[version])
    keys = {k: v for e in expected_by_period for k, v in e.items()}
    subs = (
        Submission.objects.filter(form=form, period_key__in=[p.key for p in periods])
        .filter(_path_q(paths, "unit_path"))
        .values_list("pk", "unit_id", "agency_id", "period_key", "status", "submitted_at", "unit_path")
    )
    rows = list(subs)
    # The cells link the reports the reader may open; the others (a border station's, for a commune's reporter in
    # whose area it lies) show their status only.
    readable = None
    if user is not None:
        readable = set(
            Submission.objects.for_user(user).filter(pk__in=[r[0] for r in rows]).values_list("pk", flat=True)
        )
    by = {}
    for pk, uid, aid, key, status, at, path in rows:
        k = _rkey(uid, aid)
        by[(k, key)] = (pk, status, at)
        if k not in keys:
            keys[k] = {"name": None, "path": path}
    names = _reporter_names(keys, span=(periods[0].start, periods[-1].end) if periods else None)
    reporters = []
    rates: list[CompletenessRate] = [
        {"period": p, "expected": 0, "received": 0, "on_time": 0, "pct": None, "timely_pct": None} for p in periods
    ]
    for k in sorted(keys, key=lambda k: (keys[k]["path"], names.get(k, ""))):
        cells = []
        for i, p in enumerate(periods):
            found = by.get((k, p.key))
            is_expected = k in expected_by_period[i]
            if found:
                pk, status, at = found
                on_time = None
                if status in (Status.SUBMITTED, Status.APPROVED) and at is not None:
                    on_time = at.date() <= deadline_for(version, p)
                cells.append(CompletenessCell(status, on_time, pk if readable is None or pk in readable else None))
            else:
                cells.append(CompletenessCell("missing" if is_expected else "not_expected"))
            if is_expected:
                rates[i]["expected"] += 1
                if found and found[1] in (Status.SUBMITTED, Status.APPROVED):
                    rates[i]["received"] += 1
                    if cells[-1].on_time:
                        rates[i]["on_time"] += 1
        reporters.append({"key": k, "name": names.get(k, str(k)), "cells": cells})
    for r in rates:
        r["pct"] = (Decimal(r["received"]) * HUNDRED / r["expected"]) if r["expected"] else None
        r["timely_pct"] = (Decimal(r["on_time"]) * HUNDRED / r["expected"]) if r["expected"] else None
    return Completeness(unit=unit, form=form, periods=periods, reporters=reporters, rates=rates)


@dataclass
class OverviewCell:
    form: ReportForm
    expected: int = 0
    received: int = 0
    on_time: int = 0

    @property
    def status(self) -> str:
        if not self.expected:
            return "not_expected"
        return "approved" if self.received >= self.expected else ("submitted" if self.received else "missing")


@dataclass
class CompletenessOverview:
    unit: AdministrativeUnit
    year: int
    forms: list[ReportForm]
    reporters: list[dict]  # {"key", "name", "cells": [OverviewCell per form]}
    totals: list[OverviewCell]


def completeness_overview(*, user, unit, year: int) -> CompletenessOverview:
    """Units × forms for a year: for each reporter and form, the reports expected, received and on time."""
    _require_unit_view(user, unit)
    forms = [f for f in ReportForm.objects.prefetch_related("versions").order_by("code") if form_periods(f, year)]
    rows: dict[tuple, dict] = {}
    totals = [OverviewCell(form=f) for f in forms]
    for i, f in enumerate(forms):
        comp = completeness_get(user=user, unit=unit, form=f, periods=form_periods(f, year))
        for rep in comp.reporters:
            row = rows.setdefault(
                rep["key"], {"key": rep["key"], "name": rep["name"], "cells": [OverviewCell(form=g) for g in forms]}
            )
            cell = row["cells"][i]
            for c in rep["cells"]:
                if c.status == "not_expected":
                    continue
                cell.expected += 1
                if c.status in (Status.SUBMITTED, Status.APPROVED):
                    cell.received += 1
                    cell.on_time += bool(c.on_time)
        for r in comp.rates:
            totals[i].expected += r["expected"]
            totals[i].received += r["received"]
            totals[i].on_time += r["on_time"]
    reporters = [r for r in rows.values() if any(c.expected or c.received for c in r["cells"])]
    return CompletenessOverview(unit=unit, year=year, forms=forms, reporters=reporters, totals=totals)
