"""Who reports: the reporters a form expects in a subtree for a period (for the missing ones), reporters'
names, and the reporters a successor's figure replaces at the end of a window (stocks)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _

from borderdesk.core import vn
from borderdesk.core.periods import Period
from borderdesk.org.models import AdministrativeUnit, Agency, UnitSuccession, valid_on_q

from .models import FormVersion
from .window import _path_q


def _closed_reporters(keys, day: dt.date, rpath: dict[tuple, str] | None = None) -> set[tuple]:
    """Reporters among ``keys`` that closed before ``day`` and whose stock a successor counted in the same
    consolidation reports (a successor unit or agency among ``keys``, or a reporter inside a successor
    unit's area). A unit that ended with no successor counted here keeps its last reported stock: Huyện
    Cao Lộc (ended 30/06/2025) shows its communes' households for 2025, not 0."""
    uids = [k[1] for k in keys if k[0] == "u"]
    aids = [k[1] for k in keys if k[0] == "a"]
    closed_u = set(AdministrativeUnit.objects.filter(pk__in=uids, valid_to__lt=day).values_list("pk", flat=True))
    closed_a = set(Agency.objects.filter(pk__in=aids, valid_to__lt=day).values_list("pk", flat=True))
    out: set[tuple] = set()
    if closed_u:
        paths = set((rpath or {}).values())
        succ: dict[int, set[int]] = defaultdict(set)  # closed unit → its successors, transitively
        frontier = {pk: {pk} for pk in closed_u}
        while frontier:
            rows = UnitSuccession.objects.filter(predecessor_id__in={p for s in frontier.values() for p in s})
            step = defaultdict(set)
            for pred, nxt in rows.values_list("predecessor_id", "successor_id"):
                step[pred].add(nxt)
            new = {}
            for pk, preds in frontier.items():
                found = {n for p in preds for n in step.get(p, ())} - succ[pk] - {pk}
                if found:
                    succ[pk] |= found
                    new[pk] = found
            frontier = new
        succ_paths = dict(
            AdministrativeUnit.objects.filter(pk__in={n for s in succ.values() for n in s}).values_list("pk", "path")
        )
        unit_keys = set(uids)
        for pk, nexts in succ.items():
            if nexts & unit_keys or any(r.startswith(succ_paths[n]) for n in nexts for r in paths):
                out.add(("u", pk))
    if closed_a:
        successor = dict(Agency.objects.filter(successor__isnull=False).values_list("pk", "successor_id"))
        agency_keys = set(aids)
        for pk in closed_a:
            seen, node = {pk}, successor.get(pk)
            while node is not None and node not in seen:
                if node in agency_keys:
                    out.add(("a", pk))
                    break
                seen.add(node)
                node = successor.get(node)
    return out


def _reporter_names(keys, span: tuple[dt.date, dt.date] | None = None) -> dict[tuple, str]:
    """Reporter key → name. With ``span``, a reporter that opened or closed inside it gets its dates
    ("Xã Quốc Khánh (đến 30/06/2025)", "Xã Quốc Khánh (từ 01/07/2025)"): the 2025 reform kept many names."""
    uids = [k[1] for k in keys if k[0] == "u"]
    aids = [k[1] for k in keys if k[0] == "a"]
    rows = [
        (("u", pk), n, f, t)
        for pk, n, f, t in AdministrativeUnit.objects.filter(pk__in=uids).values_list(
            "pk", "name", "valid_from", "valid_to"
        )
    ]
    rows += [
        (("a", pk), n, f, t)
        for pk, n, f, t in Agency.objects.filter(pk__in=aids).values_list("pk", "name", "valid_from", "valid_to")
    ]
    names = {}
    for key, name, start, end in rows:
        if span is not None and start and span[0] < start <= span[1]:
            name = _("%(name)s (từ %(date)s)") % {"name": name, "date": vn.format_date(start)}
        elif span is not None and end and span[0] <= end < span[1]:
            name = _("%(name)s (đến %(date)s)") % {"name": name, "date": vn.format_date(end)}
        names[key] = name
    return names


def expected_reporters(*, paths: list[str], period: Period, versions: list[FormVersion]) -> dict[tuple, dict]:
    """Reporters a form expects in a subtree for a period: those that exist on the cut-off date.

    A unit that opened during the period is expected; one that closed during it is not (its successor
    reports). Returns reporter key → {"name", "path", "version_ids"}.
    """
    from .replacements import replaced_on, replacements_by_form

    out: dict[tuple, dict] = {}
    if not versions:
        return out
    # One query for the units and one for the agencies of every version (then matched per version), so the
    # number of queries does not grow with the forms.
    specs = [(v, v.reporter_spec or {}) for v in versions]
    replaced = replacements_by_form({v.form_id for v in versions})
    unit_ids = {pk for _v, spec in specs for pk in spec.get("units", [])}
    unit_kinds = {k for _v, spec in specs for k in spec.get("unit_kinds", [])}
    units = []
    if unit_ids or unit_kinds:
        units = list(
            AdministrativeUnit.objects.filter(_path_q(paths, "path"))
            .filter(valid_on_q(period.end))
            .filter(Q(pk__in=unit_ids) | Q(kind__in=unit_kinds))
            .values_list("pk", "name", "path", "kind", "is_border")
        )
    agency_ids = {pk for _v, spec in specs for pk in spec.get("agencies", [])}
    agency_kinds = {k for _v, spec in specs for k in spec.get("agency_kinds", [])}
    agencies = []
    if agency_ids or agency_kinds:
        agencies = list(
            Agency.objects.filter(_path_q(paths, "unit__path"))
            .filter(valid_on_q(period.end))
            .filter(Q(pk__in=agency_ids) | Q(kind__code__in=agency_kinds))
            .values_list("pk", "name", "unit__path", "kind__code")
        )
    for v, spec in specs:
        found = replaced[v.form_id]
        ids, kinds, border_only = set(spec.get("units", [])), set(spec.get("unit_kinds", [])), spec.get("border_only")
        for pk, name, path, kind, is_border in units:
            if not (pk in ids or kind in kinds) or (border_only and is_border is False):
                continue
            if found and replaced_on(found, ("u", pk), period.end):
                continue  # reports on its province's own form
            out.setdefault(("u", pk), {"name": name, "path": path, "version_ids": set()})["version_ids"].add(v.pk)
        ids, kinds = set(spec.get("agencies", [])), set(spec.get("agency_kinds", []))
        for pk, name, path, kind in agencies:
            if not (pk in ids or kind in kinds):
                continue
            if found and replaced_on(found, ("a", pk), period.end):
                continue
            out.setdefault(("a", pk), {"name": name, "path": path, "version_ids": set()})["version_ids"].add(v.pk)
    return out


def expected_reporters_by_period(
    *, paths: list[str], periods: list[Period], versions: list[FormVersion]
) -> list[dict[tuple, dict]]:
    """:func:`expected_reporters` for each of ``periods`` (same rule), with two queries per form version instead
    of two per period and version: the candidates valid at some period's cut-off are read once, then kept per
    period by their validity on its cut-off."""
    from borderdesk.org.models import overlaps_q

    out: list[dict[tuple, dict]] = [{} for _p in periods]
    if not periods:
        return out
    days = [p.end for p in periods]
    window = overlaps_q(min(days), max(days))
    version_forms = {v.pk: v.form_id for v in versions}

    from .replacements import replaced_on, replacements_by_form

    replaced = replacements_by_form({v.form_id for v in versions})

    def add(key, name, path, start, end, version_id):
        found = replaced[version_forms[version_id]]
        for i, day in enumerate(days):
            if found and replaced_on(found, key, day):
                continue  # reports on its province's own form from that day
            if (start is None or start <= day) and (end is None or end >= day):
                out[i].setdefault(key, {"name": name, "path": path, "version_ids": set()})["version_ids"].add(
                    version_id
                )

    pq = _path_q(paths, "path")
    for v in versions:
        spec = v.reporter_spec or {}
        uq = Q(pk__in=spec.get("units", [])) | Q(kind__in=spec.get("unit_kinds", []))
        units = AdministrativeUnit.objects.filter(pq).filter(window).filter(uq)
        if spec.get("border_only"):
            units = units.exclude(is_border=False)
        for pk, name, path, start, end in units.values_list("pk", "name", "path", "valid_from", "valid_to"):
            add(("u", pk), name, path, start, end, v.pk)
        aq = Q(pk__in=spec.get("agencies", [])) | Q(kind__code__in=spec.get("agency_kinds", []))
        if spec.get("agencies") or spec.get("agency_kinds"):
            agencies = Agency.objects.filter(_path_q(paths, "unit__path")).filter(window).filter(aq)
            for pk, name, path, start, end in agencies.values_list(
                "pk", "name", "unit__path", "valid_from", "valid_to"
            ):
                add(("a", pk), name, path, start, end, v.pk)
    return out
