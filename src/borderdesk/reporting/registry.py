"""How registry apps offer derived figures to reporting, without reporting importing them.

A registry app (frontier, gates, outreach, ...) registers, in its AppConfig.ready():

    from borderdesk.reporting.registry import register_derived

    @register_derived("PATROLS_BILATERAL", source="frontier", description="Tuần tra song phương")
    def patrols_bilateral(*, unit_ids: frozenset[int], agency_ids: frozenset[int], period) -> Decimal | None:
        ...  # count rows whose unit is in unit_ids (or agency in agency_ids) and date in period

`unit_ids` is the subtree of the reporting unit as it stood during the period (plus predecessors of
those units), `agency_ids` the agencies located in those units (or the reporting agency and its
sub-agencies), `period` a `borderdesk.core.periods.Period`. Return None when there is nothing to
derive (not 0), so a blank stays blank.

Registered values pre-fill a submission; the unit can override a value with a reason and the
difference stays visible.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

DerivedFn = Callable[..., Decimal | int | None]


@dataclass(frozen=True)
class DerivedIndicator:
    code: str
    source: str
    description: str
    compute: DerivedFn


_REGISTRY: dict[str, DerivedIndicator] = {}


def register_derived(code: str, *, source: str, description: str = "") -> Callable[[DerivedFn], DerivedFn]:
    def decorator(fn: DerivedFn) -> DerivedFn:
        existing = _REGISTRY.get(code)
        if existing is not None and existing.compute is not fn and existing.source != source:
            raise ValueError(f"Derived indicator {code} already registered by {existing.source}")
        _REGISTRY[code] = DerivedIndicator(code=code, source=source, description=description, compute=fn)
        return fn

    return decorator


def derived_indicators() -> dict[str, DerivedIndicator]:
    return dict(_REGISTRY)


def compute_derived(code: str, *, unit_ids: frozenset[int], agency_ids: frozenset[int], period) -> Decimal | None:
    entry = _REGISTRY.get(code)
    if entry is None:
        return None
    value = entry.compute(unit_ids=unit_ids, agency_ids=agency_ids, period=period)
    return None if value is None else Decimal(value)
