"""Reads of the leaders' dashboards: key figures, trends, lists. Everything narrowed to the user's scope.

Key figures are the report's (`figures`: the source rule of ``documents.sources``, registry first for the
figures the registries keep, approved reports for the others; the same period last year within the source, and
the plan), each marked with its source; the national table's per-province figures follow the same rule with a
fixed number of grouped queries (`national`). Trends are one grouped query per series over the registries (gate
daily
statistics, patrols, incidents), by calendar month; a month without any record is a gap (None), not a zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borderdesk.core import vn
from borderdesk.core.collation import vi_order
from borderdesk.core.periods import Period, period_containing
from borderdesk.core.scoping import Action, scope_for
from borderdesk.org.models import AdministrativeUnit
from borderdesk.reporting import completeness, window

from .keyfigures import (  # noqa: F401 (the dashboards' key figure, re-exported for views and tests)
    FIGURES,
    HUNDRED,
    KeyFigure,
    _rate,
    _sum,
    completeness_url,
    consolidation_url,
)

BORDERS = [
    ("cn", _("Biên giới Việt Nam – Trung Quốc")),
    ("la", _("Biên giới Việt Nam – Lào")),
    ("kh", _("Biên giới Việt Nam – Campuchia")),
    ("", _("Chưa rõ tuyến biên giới")),
]
OPEN_INCIDENT_STATES = ("reported", "verified", "handling")


# Periods -----------------------------------------------------------------------------------------------
def default_period(today: dt.date | None = None) -> Period:
    """The last complete Decree 09 year."""
    return period_containing(today or timezone.localdate(), "year").previous()


# Key figures -------------------------------------------------------------------------------------------
def key_figures(*, user, unit, period: Period) -> dict[str, KeyFigure]:
    """The unit's key figures as its report states them (`figures.apply_sources`: the reports' source rule);
    report completeness as the consolidation counts it (`national.unit_completeness`)."""
    from .figures import apply_sources, sourced_rows
    from .national import unit_completeness

    url = consolidation_url(unit, period)
    figs = {
        slug: KeyFigure(slug, label, unit_of, url=url, higher_is_better=better)
        for slug, (label, unit_of, better) in FIGURES.items()
    }
    apply_sources(figs, sourced_rows(user=user, unit=unit, period=period), unit=unit, period=period)
    expected, missing = unit_completeness(unit=unit, period=period)
    comp = figs["completeness"]
    comp.value = _rate(Decimal(expected - missing), Decimal(expected)) if expected else None
    comp.url = completeness_url(unit, period)
    return figs


# Trends ------------------------------------------------------------------------------------------------
def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    out, d = [], dt.date(start.year, start.month, 1)
    while d <= end:
        out.append(d)
        d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def last_full_month_end(day: dt.date) -> dt.date:
    """``day`` when it ends its month, else the last day of the month before (no half month in a trend)."""
    if (day + dt.timedelta(days=1)).day == 1:
        return day
    return day.replace(day=1) - dt.timedelta(days=1)


def _month_index(months: list[dt.date]) -> dict[tuple[int, int], int]:
    return {(m.year, m.month): i for i, m in enumerate(months)}


def _monthly_counts(qs, field: str, months: list[dt.date]) -> list:
    """Rows per local calendar month of a datetime column; None for a month without rows (a gap).

    PostgreSQL groups by month itself; elsewhere (SQLite's month function is a Python callback per row) the
    column's values in the window are read and counted here, which is faster there."""
    from django.db import connection

    index = _month_index(months)
    out: list = [None] * len(months)
    tz = timezone.get_current_timezone()
    t0 = dt.datetime.combine(months[0], dt.time.min, tzinfo=tz)
    last = months[-1]
    t1 = dt.datetime.combine(dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1), dt.time.min, tzinfo=tz)
    qs = qs.filter(**{f"{field}__gte": t0, f"{field}__lt": t1}).order_by()
    if connection.vendor == "postgresql":
        from django.db.models.functions import TruncMonth

        for m, n in qs.annotate(m=TruncMonth(field)).values("m").annotate(n=Count("pk")).values_list("m", "n"):
            local = timezone.localtime(m) if timezone.is_aware(m) else m
            i = index.get((local.year, local.month))
            if i is not None:
                out[i] = n
        return out
    for value in qs.values_list(field, flat=True).iterator(chunk_size=5000):
        local = timezone.localtime(value, tz)
        i = index.get((local.year, local.month))
        if i is not None:
            out[i] = (out[i] or 0) + 1
    return out


def _monthly_gates(qs, months: list[dt.date]) -> tuple[list, list]:
    """Persons crossing and cargo vehicles per month: the database sums per day, the days are added here."""
    index = _month_index(months)
    persons: list = [None] * len(months)
    cargo: list = [None] * len(months)
    last = months[-1]
    end = dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    rows = (
        qs.filter(date__gte=months[0], date__lt=end)
        .order_by()
        .values("date")
        .annotate(
            p=Sum(F("persons_exit") + F("persons_entry")),
            c=Sum(F("cargo_vehicles_export") + F("cargo_vehicles_import")),
        )
        .values_list("date", "p", "c")
    )
    for day, p, c in rows:
        i = index.get((day.year, day.month))
        if i is not None:
            persons[i] = (persons[i] or 0) + (p or 0)
            cargo[i] = (cargo[i] or 0) + (c or 0)
    return persons, cargo


def monthly_trends(*, user, unit, end: dt.date, years: int = 4) -> dict:
    """Crossings, cargo vehicles, patrols and incidents by calendar month over ``years`` years up to ``end``."""
    from borderdesk.frontier.models import Incident, Patrol
    from borderdesk.gates.selectors import stats_for_user

    start = dt.date(end.year - years + 1, 1, 1)
    months = month_starts(start, end)
    persons, cargo = _monthly_gates(stats_for_user(user=user).filter(gate__unit__path__startswith=unit.path), months)
    patrols = _monthly_counts(
        Patrol.objects.for_user(user, Action.VIEW).filter(province__path__startswith=unit.path), "started_at", months
    )
    incidents = _monthly_counts(
        Incident.objects.for_user(user, Action.VIEW).filter(
            province__path__startswith=unit.path, merged_into__isnull=True
        ),
        "occurred_at",
        months,
    )
    labels = [f"{m.month:02d}/{m.year}" for m in months]
    return {
        "gates": chart(labels, [(_("Lượt người xuất, nhập cảnh"), persons), (_("Lượt xe hàng thông quan"), cargo)]),
        "frontier": chart(labels, [(_("Lượt tuần tra"), patrols), (_("Vụ việc"), incidents)]),
        "start": start,
        "end": end,
    }


# Lists -------------------------------------------------------------------------------------------------
def incidents_by_category(*, user, unit, period: Period) -> list[dict]:
    from borderdesk.frontier.derived import _bounds
    from borderdesk.frontier.models import Incident

    start, end = _bounds(period)
    rows = (
        Incident.objects.for_user(user, Action.VIEW)
        .filter(
            province__path__startswith=unit.path, merged_into__isnull=True, occurred_at__gte=start, occurred_at__lt=end
        )
        .order_by()
        .values("category__name", "category__name_en", "category__code", "category__sort_order")
        .annotate(n=Count("id"), open=Count("id", filter=Q(status__in=OPEN_INCIDENT_STATES)))
    )
    return sorted(
        (
            {
                "name": vn.in_language(r["category__name"], r["category__name_en"]),
                "code": r["category__code"],
                "n": r["n"],
                "open": r["open"],
            }
            for r in rows
        ),
        key=lambda r: (-r["n"], r["name"]),
    )


def incidents_awaiting(*, user, unit, limit: int = 10):
    from borderdesk.frontier.models import Incident

    qs = (
        Incident.objects.for_user(user, Action.VIEW)
        .filter(province__path__startswith=unit.path, merged_into__isnull=True, status__in=OPEN_INCIDENT_STATES)
        .select_related("category", "province")
        .order_by("occurred_at", "id")
    )
    return qs.count(), list(qs[:limit])


def overdue_tasks(*, user, unit, today: dt.date, limit: int = 10):
    from borderdesk.coordination.choices import TaskStatus
    from borderdesk.coordination.selectors import tasks_for_user

    qs = (
        tasks_for_user(user=user, status=TaskStatus.OVERDUE, today=today)
        .filter(directive__conference__unit__path__startswith=unit.path)
        .prefetch_related(None)
        .order_by("deadline", "id")
    )
    return qs.count(), list(qs[:limit])


def agreements_past_review(*, user, unit, today: dt.date, limit: int = 10):
    from borderdesk.coordination.models import Agreement

    qs = (
        Agreement.objects.for_user(user, Action.VIEW)
        .filter(unit__path__startswith=unit.path, review_date__lt=today, review_conference__isnull=True)
        .select_related("unit")
        .order_by("review_date", "id")
    )
    return qs.count(), list(qs[:limit])


@dataclass
class UnitCompleteness:
    name: str
    expected: int = 0
    received: int = 0
    on_time: int = 0

    @property
    def pct(self):
        return _rate(Decimal(self.received), Decimal(self.expected)) if self.expected else None

    @property
    def timely_pct(self):
        return _rate(Decimal(self.on_time), Decimal(self.expected)) if self.expected else None


def completeness_by_unit(*, user, unit, period: Period, kind: str) -> tuple[object, list[UnitCompleteness]]:
    """Per reporting unit: reports expected, received and on time in the period, for the form of ``kind``
    (month for a province's communes and stations, year for the provinces)."""
    from borderdesk.reporting.models import ReportForm

    form = None
    for f in ReportForm.objects.prefetch_related("versions").order_by("code"):
        v = f.current_version()
        if v is not None and v.spec.kind == kind:
            form = f
            break
    if form is None:
        return None, []
    periods = [
        p for p in window.form_periods(form, period.end.year) if p.start >= period.start and p.end <= period.end
    ] or window.form_periods(form, period.end.year)
    comp = completeness.completeness_get(user=user, unit=unit, form=form, periods=periods)
    rows = []
    for rep in comp.reporters:
        r = UnitCompleteness(rep["name"])
        for c in rep["cells"]:
            if c.status == "not_expected":
                continue
            r.expected += 1
            if c.status in ("submitted", "approved"):
                r.received += 1
                r.on_time += bool(c.on_time)
        if r.expected:
            rows.append(r)
    return form, rows


# National ----------------------------------------------------------------------------------------------
def _border_of(name: str) -> str:
    n = (name or "").lower()
    if "trung" in n or "china" in n:
        return "cn"
    if "lào" in n or "lao" in n:
        return "la"
    if "campuchia" in n or "cambodia" in n:
        return "kh"
    return ""


def border_provinces(*, user, day: dt.date) -> tuple[dict[int, set[str]], dict[int, AdministrativeUnit]]:
    """Border provinces in scope (existing on ``day``) and the borders they lie on (from their border sections
    and counterpart provinces)."""
    from borderdesk.frontier.models import BorderSection
    from borderdesk.org.models import Counterpart, valid_on_q

    provinces = {
        u.pk: u
        for u in AdministrativeUnit.objects.for_user(user, Action.VIEW)
        .filter(valid_on_q(day), kind="province", is_border=True)
        .order_by(*vi_order("name"))
    }
    borders: dict[int, set[str]] = {pk: set() for pk in provinces}
    for pk, country in BorderSection.objects.filter(province_id__in=list(provinces)).values_list(
        "province_id", "neighbour_country"
    ):
        borders[pk].add(_border_of(country))
    for pk, country in Counterpart.objects.filter(unit_id__in=list(provinces)).values_list("unit_id", "country"):
        borders[pk].add(_border_of(country))
    return {pk: ({b for b in bs if b} or {""}) for pk, bs in borders.items()}, provinces


@dataclass
class BorderGroup:
    code: str
    label: object
    rows: list = field(default_factory=list)  # (province, figures)
    totals: dict = field(default_factory=dict)


ADDITIVE = ("crossings", "trade", "patrols", "incidents", "markers")


def national_groups(*, user, period: Period) -> list[BorderGroup]:
    """Border provinces grouped by border, each with its key figures (`national.province_figures`: a fixed
    number of grouped queries, whatever the number of provinces); a group's totals sum its provinces."""
    return national_overview(user=user, unit=None, period=period)[1]


def national_overview(*, user, unit, period: Period) -> tuple[dict[str, KeyFigure] | None, list[BorderGroup]]:
    """The national level's key figures (for ``unit``, the user's widest unit) and the border groups, from ONE
    pass of the grouped queries: the same source rule as the reports over the whole area (no report is drafted
    for the country, and a country-wide gathering would read every value twice)."""
    from .national import province_figures

    borders, provinces = border_provinces(user=user, day=period.end)
    areas = dict(provinces)
    if unit is not None:
        areas[unit.pk] = unit
    per_province = province_figures(provinces=areas, period=period) if areas else {}
    groups = []
    for code, label in BORDERS:
        members = [(provinces[pk], per_province[pk]) for pk in provinces if code in borders[pk]]
        if not members:
            continue
        g = BorderGroup(code, label, rows=members)
        for slug in ADDITIVE:
            g.totals[slug] = _sum(*(figs[slug].value for _u, figs in members))
        expected = sum(figs["completeness"].expected for _u, figs in members)
        missing = sum(figs["completeness"].missing for _u, figs in members)
        g.totals["completeness"] = _rate(Decimal(expected - missing), Decimal(expected)) if expected else None
        groups.append(g)
    return (per_province[unit.pk] if unit is not None else None), groups


def national_unit(user) -> AdministrativeUnit | None:
    """The country when the user sees it all, else the widest unit of the user's scope."""
    scope = scope_for(user, Action.VIEW)
    qs = AdministrativeUnit.objects.for_user(user, Action.VIEW)
    if scope.everything:
        return qs.filter(kind="country").order_by("path").first() or qs.order_by("path").first()
    units = list(qs.order_by("path")[:50])
    return min(units, key=lambda u: (u.path.count("/"), u.path)) if units else None


def chart(labels, series) -> dict:
    """A chart's data for the page: labels, series [(label, values)] as JSON-ready numbers, and table rows."""

    def plain(v):
        if v is None:
            return None
        d = Decimal(v)
        return int(d) if d == d.to_integral_value() else float(d)

    lang = vn.current_lang()

    def shown(v):  # the table's cell, formatted once here (a template filter per cell costs more)
        return None if v is None else vn.format_number(v, lang=lang)

    series = [{"label": str(label), "values": [plain(v) for v in values]} for label, values in series]
    labels = [str(x) for x in labels]
    return {
        "labels": labels,
        "series": series,
        "rows": [(label, [shown(s["values"][i]) for s in series]) for i, label in enumerate(labels)],
    }
