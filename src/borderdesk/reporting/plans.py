"""The plan (kế hoạch) of a unit for any period, from targets set for the year or the first half-year.

Targets are entered per unit, indicator and year (``2026``) — or half-year (``2026H1``/``2026H2``) where
the office plans by half-year. The plan of a period is taken from the smallest target period that
contains it (the period itself, its half-year, its year), under the period's own calendar rule:

- a **flow** (an indicator summed over time: patrols, crossings, sessions) is planned *pro rata* —
  the target times the share of the target window's days that the period covers (Q1 of a Decree 09
  year: 90/365 of the year's plan);
- a **stock** (a level read at a date: households, markers; every indicator not summed over time, and
  percentages) is planned *as of the date*: the figure at the period's end is compared with the target
  itself.

A unit's own target wins; without one, the targets of the units under it are added up (flows summed
over the tree only). Consolidation (page, API, Excel) and the drafted reports read the result.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from borderdesk.core.periods import CALENDAR, YEAR, Period, parse_period, period_containing

from .choices import Aggregation, ValueType
from .models import Target

EXACT, PRO_RATA, AS_OF = "exact", "pro_rata", "as_of"


@dataclass(frozen=True)
class Plan:
    value: Decimal
    method: str  # exact | pro_rata | as_of
    basis: Period  # the target's period
    full_value: Decimal  # the target for the basis period (before pro-rating)
    share: Decimal  # days covered / days of the basis window (1 for exact and as_of)


def is_flow(indicator) -> bool:
    return indicator.aggregation == Aggregation.SUM and indicator.value_type != ValueType.PERCENT


def candidate_periods(period: Period) -> list[Period]:
    """Target periods that may give the plan of ``period``, smallest first (the period itself first)."""
    rule = period.window_rule if period.window_rule in ("decree09", CALENDAR) else "decree09"
    year = period_containing(period.end, YEAR, rule).year
    out = [period]
    for key in (f"{year}H1", f"{year}H2", f"{year}"):
        try:
            p = parse_period(key, rule)
        except ValueError:
            continue
        if p.key != period.key and p.start <= period.start and period.end <= p.end:
            out.append(p)
    return out


def _share(period: Period, basis: Period) -> Decimal:
    return Decimal(period.days) / Decimal(basis.days)


def plans_for(*, unit, paths: list[str], period: Period, indicators: dict) -> dict[int, Plan]:
    """Plan per indicator id for ``unit`` (whose subtree is ``paths``) in ``period`` — one query."""
    candidates = candidate_periods(period)
    rank = {p.key: i for i, p in enumerate(candidates)}
    by_key = {p.key: p for p in candidates}
    tree = Q()
    for p in paths:
        tree |= Q(unit__path__startswith=p)
    rows = (
        Target.objects.filter(period_key__in=list(rank), indicator_id__in=list(indicators))
        .filter(tree | Q(unit_id=unit.pk))
        .values_list("indicator_id", "unit_id", "period_key", "value")
    )
    best: dict[tuple[int, int], tuple[int, Decimal]] = {}
    for ind_id, unit_id, key, value in rows:
        r = rank[key]
        if (ind_id, unit_id) not in best or r < best[(ind_id, unit_id)][0]:
            best[(ind_id, unit_id)] = (r, value)
    own: dict[int, Plan] = {}
    summed: dict[int, list] = defaultdict(list)
    for (ind_id, unit_id), (r, value) in best.items():
        ind = indicators[ind_id]
        basis = candidates[r]
        if r == 0:
            plan = Plan(value, EXACT, basis, value, Decimal(1))
        elif is_flow(ind):
            share = _share(period, basis)
            plan = Plan(value * share, PRO_RATA, basis, value, share)
        else:
            plan = Plan(value, AS_OF, basis, value, Decimal(1))
        if unit_id == unit.pk:
            own[ind_id] = plan
        elif ind.aggregation == Aggregation.SUM:
            summed[ind_id].append(plan)
    out: dict[int, Plan] = {}
    for ind_id, plans in summed.items():
        methods = {p.method for p in plans}
        bases = {p.basis.key for p in plans}
        first = plans[0]
        out[ind_id] = Plan(
            sum((p.value for p in plans), Decimal(0)),
            first.method if len(methods) == 1 else PRO_RATA,
            by_key[first.basis.key] if len(bases) == 1 else by_key[candidates[-1].key],
            sum((p.full_value for p in plans), Decimal(0)),
            first.share if len(bases) == 1 else Decimal(0),
        )
    out.update(own)
    return out
