"""The map's data: markers, gates, incidents, patrol routes and roads as plain JSON for the Leaflet page.

Leaflet (pan, zoom), leaflet.markercluster (nearby markers such as 1116–1120 gather into a numbered cluster
that opens at higher zoom) and the Natural Earth boundaries of world-atlas (TopoJSON, drawn with
topojson-client) are installed from npm at setup and served by the application: nothing is fetched from the
internet. Every object without coordinates is listed under the map instead of being guessed.

A patrol route follows the patrol road of its border section: the section's markers in number order from the
patrol's first marker to its last. Patrols over the same stretch, of the same kind, are one route with a
count (a thousand patrols are not a thousand stacked lines); the page offsets routes sideways by kind.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderdesk.core.collation import vi_order
from borderdesk.core.periods import parse_period
from borderdesk.core.scoping import Action
from borderdesk.core.vn import format_date, format_number
from borderdesk.frontier.choices import IncidentStatus, MarkerState, PatrolKind, RoadKind
from borderdesk.frontier.models import Incident, IncidentCategory, Marker, Patrol, PatrolRoad

LAYERS = [
    ("moc", gettext_lazy("Mốc")),
    ("duong-bien", gettext_lazy("Đường biên giới")),
    ("cua-khau", gettext_lazy("Cửa khẩu")),
    ("vu-viec", gettext_lazy("Vụ việc")),
    ("tuan-tra", gettext_lazy("Tuần tra")),
]
#: One distinct colour per marker state (the old map gave "Nguyên trạng" and "Đã sửa chữa" the same one).
STATE_COLOURS = {
    MarkerState.INTACT: "#2e7d32",
    MarkerState.REPAIRED: "#0277bd",
    MarkerState.DAMAGED: "#c62828",
    MarkerState.DISPLACED: "#ef6c00",
    MarkerState.LOST: "#6a1b9a",
    MarkerState.UNKNOWN: "#757575",
}
PATROL_COLOURS = {
    PatrolKind.BILATERAL: "#1565c0",
    PatrolKind.UNILATERAL: "#00838f",
    PatrolKind.JOINT: "#5d4037",
    PatrolKind.CLOSED_LOOP: "#ad1457",
}
GATE_SHAPES = {
    "international": "gate-intl",
    "main": "gate-main",
    "auxiliary": "gate-aux",
    "opening": "gate-open",
    "border_market": "gate-open",
    "goods_lane": "gate-open",
}
STATUS_COLOURS = {
    "reported": "#d50000",
    "verified": "#ff6d00",
    "handling": "#ffab00",
    "resolved": "#00897b",
    "closed": "#546e7a",
}
LIMIT = 3000


def _f(v) -> float | None:
    return float(v) if isinstance(v, Decimal) else v


def _url(name, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def map_context(*, user, params) -> dict:
    layers = params.getlist("lop") if hasattr(params, "getlist") else params.get("lop", [])
    layers = [lay for lay in layers if lay in dict(LAYERS)] or [k for k, _l in LAYERS]
    period_key = (params.get("ky") or "").strip() if "ky" in params else ""
    period, period_error = None, ""
    if period_key:
        try:
            period = parse_period(period_key)
        except (ValueError, TypeError):
            period_error = _("Kỳ “%(k)s” không hợp lệ (ví dụ: 2025, 2025Q1, 2025M03).") % {"k": period_key[:40]}
    category = (params.get("loai") or "").strip()
    patrol_kind = (params.get("hinh_thuc") or "").strip()

    all_markers = list(
        Marker.objects.for_user(user, Action.VIEW).select_related("section").order_by("section_id", "sort_key", "id")
    )
    placed = [m for m in all_markers if m.latitude is not None and m.longitude is not None]
    roads = list(PatrolRoad.objects.for_user(user, Action.VIEW).order_by(*vi_order("name", "id")))
    data: dict = {"markers": [], "gates": [], "incidents": [], "routes": [], "roads": []}
    missing: dict[str, list] = {"moc": [], "cua-khau": [], "vu-viec": []}
    counts: Counter = Counter()

    inspection_roads = defaultdict(list)
    for r in roads:
        if r.kind == RoadKind.INSPECTION and r.marker_id:
            inspection_roads[r.marker_id].append(
                f"{r.name} ({format_number(r.length_km)} km)" if r.length_km else r.name
            )
    if "moc" in layers:
        for m in placed:
            data["markers"].append(
                {
                    "n": m.number,
                    "lat": _f(m.latitude),
                    "lon": _f(m.longitude),
                    "s": m.state,
                    "sl": str(m.get_state_display()),
                    "c": STATE_COLOURS.get(m.state, "#757575"),
                    "sec": str(m.section),
                    "u": _url("frontier:moc_detail", m.pk),
                    "demo": m.coords_are_demo,
                    "roads": inspection_roads.get(m.pk, []),
                }
            )
        missing["moc"] = [(str(m), _url("frontier:moc_detail", m.pk)) for m in all_markers if m.latitude is None]
        counts["moc"] = len(data["markers"])

    if "cua-khau" in layers:
        from borderdesk.gates.models import BorderGate

        for g in BorderGate.objects.for_user(user, Action.VIEW).order_by(*vi_order("name", "pk")):
            url = _url("gates:danh-sach_detail", g.pk)
            if g.latitude is None or g.longitude is None:
                missing["cua-khau"].append((g.name, url))
                continue
            data["gates"].append(
                {
                    "name": g.name,
                    "k": g.kind,
                    "kl": str(g.get_kind_display()),
                    "shape": GATE_SHAPES.get(g.kind, "gate-open"),
                    "lat": _f(g.latitude),
                    "lon": _f(g.longitude),
                    "u": url,
                }
            )
        counts["cua-khau"] = len(data["gates"])

    if "vu-viec" in layers:
        qs = (
            Incident.objects.for_user(user, Action.VIEW)
            .filter(merged_into__isnull=True)
            .select_related("category", "marker")
            .order_by("-occurred_at", "-id")
        )
        if period is not None:
            qs = qs.filter(occurred_at__gte=_start(period), occurred_at__lt=_end(period))
        if category:
            qs = qs.filter(category__code=category)
        for inc in qs[:LIMIT]:
            lat, lon = inc.latitude, inc.longitude
            if lat is None and inc.marker_id and inc.marker.latitude is not None:
                lat, lon = inc.marker.latitude, inc.marker.longitude
            url = _url("frontier:vu-viec_detail", inc.pk)
            if lat is None:
                missing["vu-viec"].append((str(inc), url))
                continue
            data["incidents"].append(
                {
                    "t": inc.title,
                    "cat": inc.category.code,
                    "catl": str(inc.category),
                    "st": inc.status,
                    "stl": str(inc.get_status_display()),
                    "c": STATUS_COLOURS.get(inc.status, "#d50000"),
                    "d": format_date(inc.occurred_at),
                    "lat": _f(lat),
                    "lon": _f(lon),
                    "u": url,
                }
            )
        counts["vu-viec"] = len(data["incidents"])

    by_section: dict[int, list[Marker]] = defaultdict(list)
    for m in placed:
        by_section[m.section_id].append(m)
    if "duong-bien" in layers:
        for r in roads:
            if r.kind == RoadKind.PATROL and r.section_id and len(by_section.get(r.section_id, [])) > 1:
                data["roads"].append(
                    {
                        "name": r.name,
                        "km": _f(r.length_km),
                        "pts": [[_f(m.latitude), _f(m.longitude)] for m in by_section[r.section_id]],
                        "u": _url("frontier:duong_detail", r.pk),
                    }
                )
        counts["duong-bien"] = len(data["roads"])
    if "tuan-tra" in layers:
        data["routes"] = _routes(user, by_section, period, patrol_kind)
        counts["tuan-tra"] = sum(r["n"] for r in data["routes"])

    return {
        "layers": LAYERS,
        "active_layers": layers,
        "period_key": period_key,
        "period": period,
        "period_error": period_error,
        "categories": IncidentCategory.objects.all(),
        "category": category,
        "patrol_kinds": PatrolKind.choices,
        "patrol_kind": patrol_kind,
        "map_data": data,
        "counts": counts,
        "missing": missing,
        "empty": not any(data[k] for k in ("markers", "gates", "incidents", "routes")),
        "state_legend": [(s, MarkerState(s).label) for s in STATE_COLOURS],
        "patrol_legend": [(k, PatrolKind(k).label) for k in PATROL_COLOURS],
        "status_legend": [(s, IncidentStatus(s).label) for s in STATUS_COLOURS],
        "gate_legend": _gate_legend(),
        "map_labels": _labels(),
    }


def _labels() -> dict:
    """The words the map's script writes (popups, layer list), in the page's language."""
    return {
        "markers": _("Mốc"),
        "gates": _("Cửa khẩu"),
        "incidents": _("Vụ việc"),
        "patrols": _("Tuần tra"),
        "roads": _("Đường tuần tra"),
        "boundary": _("Đường biên giới quốc gia"),
        "countries": _("Các nước láng giềng"),
        "open": _("Mở trang chi tiết »"),
        "marker": _("Mốc"),
        "state": _("Hiện trạng"),
        "section": _("Đoạn"),
        "demo": _("tọa độ minh họa"),
        "inspection_roads": _("Đường kiểm tra"),
        "trips": _("chuyến"),
        "from_to": _("mốc"),
        "cluster": _("%(n)s đối tượng, bấm để xem"),
        "zoom_in": _("Phóng to"),
        "zoom_out": _("Thu nhỏ"),
        "vietnam": _("Việt Nam"),
        "china": _("Trung Quốc"),
        "laos": _("Lào"),
        "cambodia": _("Campuchia"),
    }


def _gate_legend():
    from borderdesk.gates.choices import GateKind

    seen, out = set(), []
    for k in GateKind:
        shape = GATE_SHAPES.get(k.value, "gate-open")
        if shape not in seen:
            seen.add(shape)
            out.append((shape, k.label if shape != "gate-open" else _("Lối mở, đường chuyên dụng")))
    return out


def _start(period):
    from borderdesk.frontier.derived import _bounds

    return _bounds(period)[0]


def _end(period):
    from borderdesk.frontier.derived import _bounds

    return _bounds(period)[1]


def _routes(user, by_section, period, patrol_kind) -> list[dict]:
    """Patrols grouped by stretch and kind (one grouped query), each drawn along its section's markers."""
    from django.db.models import Count

    qs = Patrol.objects.for_user(user, Action.VIEW).filter(from_marker__isnull=False)
    if period is not None:
        qs = qs.filter(started_at__gte=_start(period), started_at__lt=_end(period))
    if patrol_kind:
        qs = qs.filter(kind=patrol_kind)
    rows = qs.order_by().values("from_marker_id", "to_marker_id", "kind").annotate(n=Count("id"))
    marker_at = {m.pk: (sid, i) for sid, ms in by_section.items() for i, m in enumerate(ms)}
    out = []
    kind_labels = dict(PatrolKind.choices)
    for r in rows:
        a = marker_at.get(r["from_marker_id"])
        b = marker_at.get(r["to_marker_id"]) if r["to_marker_id"] else a
        if a is None:
            continue
        sid = a[0]
        if b is None or b[0] != sid:
            b = a
        lo, hi = sorted([a[1], b[1]])
        chain = by_section[sid][lo : hi + 1]
        if len(chain) < 2:  # a patrol at one marker: a short stretch to its neighbour keeps it visible
            chain = by_section[sid][max(lo - 1, 0) : lo + 2][:2]
        if len(chain) < 2:
            continue
        out.append(
            {
                "k": r["kind"],
                "kl": str(kind_labels.get(r["kind"], r["kind"])),
                "c": PATROL_COLOURS.get(r["kind"], "#333"),
                "n": r["n"],
                "from": chain[0].number,
                "to": chain[-1].number,
                "pts": [[_f(m.latitude), _f(m.longitude)] for m in chain],
            }
        )
    out.sort(key=lambda r: (r["k"], r["from"], r["to"]))
    return out
