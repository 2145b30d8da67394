"""The offline map: markers, border line, gates, incidents and patrol tracks as server-rendered SVG.

Coordinates are projected with Web Mercator at a zoom level chosen so the data's bounding box fits
about 1000 px; the SVG viewBox is in those pixel coordinates. Nothing is fetched from the internet.
When settings.BORDERDESK_MAP_TILE_URL is set (e.g. a local tile server "http://tiles.lan/{z}/{x}/{y}.png")
the tiles covering the box are drawn underneath, aligned because they use the same projection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderdesk.core.periods import parse_period
from borderdesk.core.scoping import Action

from .choices import BAD_STATES, GOOD_STATES, PatrolKind
from .models import BorderSection, Incident, IncidentCategory, Marker, Patrol

TILE = 256
TARGET_PX = 1000
# Lazy: built at import time, translated when shown (plain gettext froze them in Vietnamese).
LAYERS = [("moc", gettext_lazy("Mốc")), ("duong-bien", gettext_lazy("Đường biên giới")),
          ("cua-khau", gettext_lazy("Cửa khẩu")), ("vu-viec", gettext_lazy("Vụ việc")),
          ("tuan-tra", gettext_lazy("Tuần tra"))]
STATE_COLOURS = {"intact": "#2e7d32", "repaired": "#2e7d32", "damaged": "#c62828", "displaced": "#ef6c00",
                 "lost": "#6a1b9a", "unknown": "#757575"}
PATROL_COLOURS = {PatrolKind.BILATERAL: "#1565c0", PatrolKind.UNILATERAL: "#00838f", PatrolKind.JOINT: "#5d4037",
                  PatrolKind.CLOSED_LOOP: "#ad1457"}


def mercator(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    scale = TILE * (2 ** zoom)
    x = (lon + 180.0) / 360.0 * scale
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale
    return x, y


@dataclass
class Feature:
    kind: str
    label: str
    url: str
    x: float = 0
    y: float = 0
    points: list[tuple[float, float]] = field(default_factory=list)
    colour: str = "#333"
    detail: str = ""
    count: int = 1
    show_label: bool = True

    @property
    def path(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


def _f(v) -> float:
    return float(v) if isinstance(v, Decimal) else v


def map_context(*, user, params) -> dict:
    layers = params.getlist("lop") if hasattr(params, "getlist") else params.get("lop", [])
    layers = [lay for lay in layers if lay in dict(LAYERS)] or [k for k, _l in LAYERS]
    if "ky" in params:
        period_key = (params.get("ky") or "").strip()
    else:
        from django.utils import timezone

        from borderdesk.core.periods import period_containing

        period_key = period_containing(timezone.localdate(), "year").key
    period = None
    period_error = ""
    if period_key:
        try:
            period = parse_period(period_key)
        except (ValueError, TypeError):
            period_error = _("Kỳ “%(k)s” không hợp lệ (ví dụ: 2025, 2025Q1, 2025M03).") % {"k": period_key}
    category = (params.get("loai") or "").strip()
    patrol_kind = (params.get("hinh_thuc") or "").strip()

    points: list[tuple[str, dict]] = []   # (kind, attrs with lat/lon)

    markers = list(Marker.objects.for_user(user, Action.VIEW).filter(latitude__isnull=False)
                   .select_related("section").order_by("section_id", "sort_key", "id"))
    marker_by_id = {m.pk: m for m in markers}
    for m in markers:
        points.append(("moc", {"lat": _f(m.latitude), "lon": _f(m.longitude), "obj": m}))

    gates = []
    if "cua-khau" in layers and apps.is_installed("borderdesk.gates"):
        try:
            Gate = apps.get_model("gates", "BorderGate")
        except LookupError:
            Gate = None
        if Gate is not None:
            qs = Gate._default_manager
            qs = qs.for_user(user, Action.VIEW) if hasattr(qs, "for_user") else qs.all()
            gates = list(qs.filter(latitude__isnull=False, longitude__isnull=False).order_by("name", "pk"))
            for g in gates:
                points.append(("cua-khau", {"lat": _f(g.latitude), "lon": _f(g.longitude), "obj": g}))

    incidents = []
    if "vu-viec" in layers:
        qs = (Incident.objects.for_user(user, Action.VIEW).filter(merged_into__isnull=True)
              .select_related("category", "marker").order_by("-occurred_at", "-id"))
        if period is not None:
            from .derived import _bounds

            start, end = _bounds(period)
            qs = qs.filter(occurred_at__gte=start, occurred_at__lt=end)
        if category:
            qs = qs.filter(category__code=category)
        for inc in qs[:2000]:
            lat, lon = inc.latitude, inc.longitude
            if lat is None and inc.marker_id and inc.marker.latitude is not None:
                lat, lon = inc.marker.latitude, inc.marker.longitude
            if lat is None:
                continue
            incidents.append(inc)
            points.append(("vu-viec", {"lat": _f(lat), "lon": _f(lon), "obj": inc}))

    patrols = []
    if "tuan-tra" in layers:
        qs = (Patrol.objects.for_user(user, Action.VIEW).filter(from_marker__isnull=False)
              .select_related("agency").order_by("-started_at", "-id"))
        if period is not None:
            from .derived import _bounds

            start, end = _bounds(period)
            qs = qs.filter(started_at__gte=start, started_at__lt=end)
        if patrol_kind:
            qs = qs.filter(kind=patrol_kind)
        patrols = list(qs[:2000])

    if not points:
        return {"empty": True, "layers": LAYERS, "active_layers": layers, "period_key": period_key,
                "period_error": period_error, "categories": IncidentCategory.objects.all(), "category": category,
                "patrol_kinds": PatrolKind.choices, "patrol_kind": patrol_kind}

    lats = [p[1]["lat"] for p in points]
    lons = [p[1]["lon"] for p in points]
    lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)
    pad = max(lat1 - lat0, lon1 - lon0, 0.05) * 0.08
    lat0, lat1, lon0, lon1 = lat0 - pad, lat1 + pad, lon0 - pad, lon1 + pad
    zoom = 0
    for z in range(18, -1, -1):
        x0, y1 = mercator(lat0, lon0, z)
        x1, y0 = mercator(lat1, lon1, z)
        if max(x1 - x0, y1 - y0) <= TARGET_PX:
            zoom = z
            break
    ox, oy = mercator(lat1, lon0, zoom)        # top-left
    ex, ey = mercator(lat0, lon1, zoom)        # bottom-right
    width, height = ex - ox, ey - oy

    def proj(lat, lon):
        x, y = mercator(_f(lat), _f(lon), zoom)
        return x - ox, y - oy

    features: list[Feature] = []
    # border line: markers of each section joined in number order
    if "duong-bien" in layers:
        by_section: dict[int, list[Marker]] = {}
        for m in markers:
            by_section.setdefault(m.section_id, []).append(m)
        for sid, ms in by_section.items():
            if len(ms) < 2:
                continue
            sec = ms[0].section
            features.append(Feature("duong-bien", str(sec), reverse("frontier:doan_detail", args=[sid]),
                                    points=[proj(m.latitude, m.longitude) for m in ms], colour="#b71c1c",
                                    detail=_("%(n)s mốc") % {"n": len(ms)}))
    if "tuan-tra" in layers:
        for p in patrols:
            a = marker_by_id.get(p.from_marker_id)
            b = marker_by_id.get(p.to_marker_id) if p.to_marker_id else None
            if a is None:
                continue
            track = [a]
            if b is not None and b.section_id == a.section_id:
                lo, hi = sorted([a.sort_key, b.sort_key])
                track = [m for m in markers if m.section_id == a.section_id and lo <= m.sort_key <= hi]
            elif b is not None:
                track = [a, b]
            pts = [proj(m.latitude, m.longitude) for m in track]
            if len(pts) == 1:
                pts = [pts[0], (pts[0][0] + 0.01, pts[0][1])]
            features.append(Feature("tuan-tra", str(p), reverse("frontier:tuan-tra_detail", args=[p.pk]), points=pts,
                                    colour=PATROL_COLOURS.get(p.kind, "#333"),
                                    detail=f"{p.agency} · {a.number}" + (f"–{b.number}" if b else "")))
    if "moc" in layers:
        placed: list[tuple[float, float]] = []
        for m in markers:
            x, y = proj(m.latitude, m.longitude)
            show = all(abs(x - px) > 34 or abs(y - py) > 14 for px, py in placed)
            if show:
                placed.append((x, y))
            features.append(Feature("moc", str(m), reverse("frontier:moc_detail", args=[m.pk]), x=x, y=y,
                                    colour=STATE_COLOURS.get(m.state, "#757575"),
                                    detail=f"{m.get_state_display()} · {m.section}"
                                    + (" · " + _("tọa độ minh họa") if m.coords_are_demo else "")))
            features[-1].show_label = show
    for g in gates:
        x, y = proj(g.latitude, g.longitude)
        url = _gate_url(g.pk)
        features.append(Feature("cua-khau", g.name, url, x=x, y=y, colour="#0d47a1",
                                detail=str(g.get_kind_display()) if hasattr(g, "get_kind_display") else ""))
    groups: dict[tuple[int, int], list[Incident]] = {}
    for inc in incidents:
        lat, lon = (inc.latitude, inc.longitude) if inc.latitude is not None else (inc.marker.latitude,
                                                                                   inc.marker.longitude)
        x, y = proj(lat, lon)
        groups.setdefault((round(x), round(y)), []).append(inc)
    for (x, y), incs in groups.items():
        first = incs[0]
        n = len(incs)
        label = str(first) if n == 1 else _("%(n)s vụ việc") % {"n": n}
        detail = "; ".join(f"#{i.pk} {i.category} ({i.get_status_display()})" for i in incs[:8])
        url = reverse("frontier:vu-viec_detail", args=[first.pk]) if n == 1 else \
            reverse("frontier:vu-viec_list") + (f"?q=&ky={period_key}" if period_key else "?ky=")
        # drawn up and to the right of the point so the marker under it stays visible
        features.append(Feature("vu-viec", label, url, x=x + 9, y=y - 11, colour="#d50000", detail=detail,
                                points=[(x, y)]))
        features[-1].count = n

    tiles = []
    tile_url = getattr(settings, "BORDERDESK_MAP_TILE_URL", "") or ""
    if tile_url and zoom > 0:
        for tx in range(int(ox // TILE), int((ox + width) // TILE) + 1):
            for ty in range(int(oy // TILE), int((oy + height) // TILE) + 1):
                tiles.append({"x": tx * TILE - ox, "y": ty * TILE - oy,
                              "href": tile_url.format(z=zoom, x=tx, y=ty)})

    # scale bar: km per 100 px at the box's middle latitude
    mid = math.radians((lat0 + lat1) / 2)
    km_per_px = 40075.016 * math.cos(mid) / (TILE * 2 ** zoom)
    bar_km = _nice(km_per_px * 150)
    bar_px = bar_km / km_per_px if km_per_px else 0

    return {
        "empty": False, "width": round(width, 1), "height": round(height, 1), "features": features,
        "tiles": tiles, "zoom": zoom, "layers": LAYERS, "active_layers": layers, "period_key": period_key,
        "period": period, "period_error": period_error, "categories": IncidentCategory.objects.all(),
        "category": category, "patrol_kinds": PatrolKind.choices, "patrol_kind": patrol_kind,
        "bar_km": bar_km, "bar_px": round(bar_px, 1), "state_colours": _legend_states(),
        "patrol_colours": [(PatrolKind(k).label, c) for k, c in PATROL_COLOURS.items()],
        "counts": {k: sum(1 for f in features if f.kind == k) for k, _l in LAYERS},
        "bbox": (round(lat0, 4), round(lon0, 4), round(lat1, 4), round(lon1, 4)),
    }


def _gate_url(pk) -> str:
    from django.urls import NoReverseMatch

    for name, args in (("gates:danh-sach_detail", [pk]), ("gates:home", [])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""


def _nice(x: float) -> float:
    if x <= 0:
        return 1
    exp = 10 ** math.floor(math.log10(x))
    for m in (5, 2, 1):
        if m * exp <= x:
            return m * exp
    return exp


def _legend_states():
    from .choices import MarkerState

    seen = []
    for s in [*GOOD_STATES, *BAD_STATES, MarkerState.UNKNOWN]:
        seen.append((MarkerState(s).label, STATE_COLOURS[s]))
    return seen


__all__ = ["map_context", "BorderSection"]
