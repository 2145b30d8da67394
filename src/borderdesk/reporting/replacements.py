"""A province's own form replaces the national form it was made from, for that province's reporters.

Once a standing office has made its province's form from a national one (reporting/province_forms.py), the
province's communes and stations report on it instead: the national form no longer expects them (completeness,
the work list) from the day the province's form was first published, nor lets them open a new report.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import ReportForm


def replacements_by_form(form_ids) -> dict[int, list[tuple[dt.date, set[tuple[str, int]]]]]:
    """National form id → (first day, reporter keys) of each province form replacing it (two queries)."""
    out: dict[int, list] = {fid: [] for fid in form_ids}
    for g in ReportForm.objects.filter(replaces_id__in=list(out)).prefetch_related("versions"):
        versions = sorted(g.versions.all(), key=lambda v: v.number)
        if not versions:
            continue
        spec = versions[-1].reporter_spec or {}
        keys = {("u", pk) for pk in spec.get("units", [])} | {("a", pk) for pk in spec.get("agencies", [])}
        out[g.replaces_id].append((timezone.localdate(versions[0].created_at), keys))
    return out


def replacements(form_id: int) -> list[tuple[dt.date, set[tuple[str, int]]]]:
    """(first day, reporter keys) of each province form replacing national form ``form_id``."""
    return replacements_by_form([form_id])[form_id]


def replaced_on(found: list[tuple[dt.date, set]], key: tuple[str, int], day: dt.date | None) -> bool:
    """Whether ``key`` reports on a province form instead on ``day`` (any day when None)."""
    return any(key in keys and (day is None or day >= start) for start, keys in found)
