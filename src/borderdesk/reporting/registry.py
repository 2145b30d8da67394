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

An app may also register a **batch** (`register_batch`): one function that computes several of its codes
with one aggregate query (patrols by kind, incidents by category, gate sums). `compute_many` uses the
batches and falls back to the single functions, so a caller asking for thirty figures makes one query
per register, not one per indicator.

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
_BATCHES: list[tuple[frozenset[str], Callable[..., dict]]] = []


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


def register_batch(codes, *, source: str) -> Callable[[Callable[..., dict]], Callable[..., dict]]:
    """Register ``fn(codes=, unit_ids=, agency_ids=, period=) -> {code: value or None}`` for ``codes``
    (each also registered one by one with `register_derived`: the batch must give the same values)."""

    def decorator(fn):
        key = frozenset(codes)
        if not any(k == key and f is fn for k, f in _BATCHES):
            _BATCHES.append((key, fn))
        return fn

    return decorator


def compute_many(codes, *, unit_ids: frozenset[int], agency_ids: frozenset[int], period) -> dict[str, Decimal]:
    """The registered figures of ``codes`` (None left out): batches first, then one function per code left."""
    wanted = {c for c in codes if c in _REGISTRY}
    out: dict[str, Decimal] = {}
    for key, fn in _BATCHES:
        asked = wanted & key
        if not asked:
            continue
        for code, value in fn(codes=asked, unit_ids=unit_ids, agency_ids=agency_ids, period=period).items():
            if code in asked and value is not None:
                out[code] = Decimal(value)
        wanted -= asked
    for code in sorted(wanted):
        value = compute_derived(code, unit_ids=unit_ids, agency_ids=agency_ids, period=period)
        if value is not None:
            out[code] = value
    return out
