"""Figures of the reports below a reporter: what communes and border guard stations sent for the window.

A province (or district, or a provincial agency) report shows, beside each indicator, the approved figures
of the reports strictly below its area in the same window (any form, each indicator by its own
aggregation rule, the same rules as consolidation), and can take them into blank cells
(``submission_prefill_from_below``, a service: it writes through ``services.submission_save``).
"""

from __future__ import annotations

from borderdesk.core.scoping import Action, require_in_scope

from .aggregation import _Agg, _finish, _parts_from_values
from .choices import Status, ValueType
from .models import Indicator, Submission
from .reporters import _reporter_names
from .window import root_paths


def values_below(*, submission: Submission) -> dict[str, _Agg]:
    """indicator code → approved figure of the reports strictly below the submission's reporter."""
    unit = submission.unit if submission.unit_id else submission.agency.unit
    paths = root_paths(unit)
    codes = submission.form_version.indicator_codes()
    indicators = {i.pk: i for i in Indicator.objects.filter(code__in=codes).exclude(value_type=ValueType.TEXT)}
    if not indicators:
        return {}
    parts = _parts_from_values(paths, submission.period, [Status.APPROVED], None, indicators, strictly_below=True)
    if parts is None:
        return {}
    per_ind, quals, quoted, rpath, sub_keys = parts
    aggs = _finish(per_ind, quals, quoted, rpath, sub_keys, submission.period, indicators)
    return {indicators[i].code: a for i, a in aggs.items() if a.value is not None}


def contributor_names(aggs: dict[str, _Agg]) -> dict[tuple, str]:
    keys = {k for a in aggs.values() for k in a.contributors}
    return _reporter_names(keys) if keys else {}


def has_below(submission: Submission) -> bool:
    """Whether anything can report below this reporter (a commune's area holds only itself and its stations)."""
    return submission.unit_id is None or submission.unit.kind in ("country", "province", "district")


def submission_prefill_from_below(*, user, submission: Submission, expected_version: int | None = None) -> int:
    """Take the approved figures of the reports below into the blank cells of a draft (entered ones stay).

    Each value taken notes in its provenance the reports it came from; returns how many cells were filled.
    Same checks as saving (scope, editable, lock, version) and one change-log entry.
    """
    from . import services

    require_in_scope(submission, user, Action.CHANGE)
    below = values_below(submission=submission)
    names = contributor_names(below)
    filled = {
        dv.indicator.code
        for dv in submission.values.select_related("indicator")
        if dv.value is not None or dv.text_value
    }
    values = {}
    for code, agg in below.items():
        if code in filled:
            continue
        values[code] = {
            "value": agg.value,
            "qualifier": agg.qualifier,
            "provenance": {"consolidated_from": sorted(names.get(k, str(k)) for k in agg.contributors)},
        }
    if not values:
        return 0
    services.submission_save(user=user, submission=submission, values=values, expected_version=expected_version)
    return len(values)
