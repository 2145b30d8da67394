// The border map: Leaflet + leaflet.markercluster + Natural Earth (world-atlas TopoJSON via topojson-client),
// all served by BorderDesk itself. Data comes from the page (json_script); text is set with textContent.
(function () {
  "use strict";
  var nojs = document.getElementById("bd-map-nojs");
  if (nojs) { nojs.hidden = true; }
  var el = document.getElementById("bd-map");
  if (!el || !window.L || !window.topojson || !L.markerClusterGroup) {
    if (el) { el.hidden = true; }
    return;
  }
  var data = JSON.parse(document.getElementById("bd-map-data").textContent);
  var T = JSON.parse(document.getElementById("bd-map-labels").textContent);
  var VN = "704", NEIGHBOURS = { "156": T.china, "418": T.laos, "116": T.cambodia, "764": "", "104": "" };

  var map = L.map(el, { zoomSnap: 0.5, minZoom: 4, maxZoom: 17, attributionControl: false, worldCopyJump: false });
  el.bdMap = map;  // for the browser test and the console; not a global
  map.zoomControl.getContainer().querySelector(".leaflet-control-zoom-in").title = T.zoom_in;
  map.zoomControl.getContainer().querySelector(".leaflet-control-zoom-out").title = T.zoom_out;
  L.control.scale({ imperial: false }).addTo(map);
  L.control.attribution({ prefix: false }).addAttribution("Natural Earth · Leaflet").addTo(map);

  function node(tag, text, cls) {
    var n = document.createElement(tag);
    if (text !== undefined && text !== null) { n.textContent = text; }
    if (cls) { n.className = cls; }
    return n;
  }
  function popup(title, lines, url) {
    var box = node("div");
    box.appendChild(node("h3", title));
    lines.forEach(function (l) { if (l) { box.appendChild(node("div", l)); } });
    if (url) { var a = node("a", T.open); a.href = url; box.appendChild(a); }
    return box;
  }
  function clusterGroup(kind) {
    return L.markerClusterGroup({
      maxClusterRadius: 36, showCoverageOnHover: false, spiderfyOnMaxZoom: true, disableClusteringAtZoom: 15,
      iconCreateFunction: function (c) {
        var n = c.getChildCount();
        var span = "<span>" + n + "</span>";
        // Incidents sit up and to the right of their place, so the marker under them stays visible and clickable.
        var size = kind === "inc" ? 26 : 34;
        var anchor = kind === "inc" ? L.point(-4, 34) : L.point(17, 17);
        return L.divIcon({ html: span, className: "bd-cluster bd-cluster-" + kind, iconSize: L.point(size, size),
                           iconAnchor: anchor });
      }
    });
  }
  var bounds = L.latLngBounds([]);

  // Markers by state, numbered; nearby ones (1116–1120) cluster until zoomed in.
  var markers = clusterGroup("moc");
  data.markers.forEach(function (m) {
    var icon = L.divIcon({ className: "", html: '<div class="bd-pin st-' + String(m.s).replace(/\W/g, "") + '"></div>',
                           iconSize: [14, 14], iconAnchor: [7, 7] });
    var mk = L.marker([m.lat, m.lon], { icon: icon, title: T.marker + " " + m.n, alt: T.marker + " " + m.n, riseOnHover: true });
    mk.bindTooltip(node("span", m.n), { permanent: true, direction: "right", offset: [6, 0], className: "bd-label" });
    var lines = [T.state + ": " + m.sl, T.section + ": " + m.sec];
    if (m.roads && m.roads.length) { lines.push(T.inspection_roads + ": " + m.roads.join("; ")); }
    if (m.demo) { lines.push("(" + T.demo + ")"); }
    mk.bindPopup(function () { return popup(T.marker + " " + m.n, lines, m.u); });
    markers.addLayer(mk);
    bounds.extend([m.lat, m.lon]);
  });

  var gates = clusterGroup("gate");
  data.gates.forEach(function (g) {
    var icon = L.divIcon({ className: "", html: '<div class="bd-gate ' + String(g.shape).replace(/[^\w-]/g, "") + '"></div>',
                           iconSize: [16, 16], iconAnchor: [8, 8] });
    var mk = L.marker([g.lat, g.lon], { icon: icon, title: g.name, alt: g.name, zIndexOffset: 500 });
    mk.bindPopup(function () { return popup(g.name, [g.kl], g.u); });
    gates.addLayer(mk);
    bounds.extend([g.lat, g.lon]);
  });

  var incidents = clusterGroup("inc");
  data.incidents.forEach(function (i) {
    var icon = L.divIcon({ className: "", html: '<div class="bd-inc is-' + String(i.st).replace(/\W/g, "") + '"></div>',
                           iconSize: [16, 15], iconAnchor: [-3, 22] });
    var mk = L.marker([i.lat, i.lon], { icon: icon, title: i.t, alt: i.t, zIndexOffset: 1000 });
    mk.bindPopup(function () { return popup(i.t, [i.catl, i.stl + " · " + i.d], i.u); });
    incidents.addLayer(mk);
    bounds.extend([i.lat, i.lon]);
  });

  // Patrol roads along their section's markers; patrol routes on them, offset sideways by kind.
  var roads = L.layerGroup();
  data.roads.forEach(function (r) {
    L.polyline(r.pts, { color: "#795548", weight: 3, dashArray: "6 5", opacity: 0.9 })
      .bindPopup(function () { return popup(r.name, [r.km ? r.km + " km" : ""], r.u); }).addTo(roads);
  });
  var OFFSETS = { bilateral: -7, unilateral: 7, joint: -13, closed_loop: 13 };
  var routes = L.layerGroup();
  var routeLines = [];
  data.routes.forEach(function (r) {
    var line = L.polyline(r.pts, { color: r.c, weight: Math.min(2 + Math.log(r.n + 1) * 1.4, 8), opacity: 0.85,
                                   lineCap: "butt" });
    line.bindPopup(function () {
      return popup(T.patrols + " " + r.kl.toLowerCase(), [T.from_to + " " + r.from + "–" + r.to + ": " + r.n + " " + T.trips]);
    });
    line.bd = r;
    routeLines.push(line);
    routes.addLayer(line);
  });
  function offsetRoutes() {
    routeLines.forEach(function (line) {
      var px = OFFSETS[line.bd.k] || 0;
      var pts = line.bd.pts.map(function (p) { return map.latLngToLayerPoint(p); });
      var out = pts.map(function (p, i) {
        var a = pts[Math.max(i - 1, 0)], b = pts[Math.min(i + 1, pts.length - 1)];
        var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
        return map.layerPointToLatLng(L.point(p.x - dy / len * px, p.y + dx / len * px));
      });
      line.setLatLngs(out);
    });
  }

  var boundary = L.layerGroup();
  var countries = L.layerGroup();
  var overlays = {};
  overlays[T.countries] = countries;
  overlays[T.boundary] = boundary;
  overlays[T.roads] = roads;
  overlays[T.patrols] = routes;
  overlays[T.markers] = markers;
  overlays[T.gates] = gates;
  overlays[T.incidents] = incidents;
  Object.keys(overlays).forEach(function (k) { overlays[k].addTo(map); });
  L.control.layers(null, overlays, { collapsed: window.innerWidth < 700 }).addTo(map);

  if (bounds.isValid()) { map.fitBounds(bounds.pad(0.15), { maxZoom: 12 }); }
  else { map.fitBounds([[8.2, 102.1], [23.4, 109.5]]); }
  offsetRoutes();
  map.on("zoomend", offsetRoutes);

  fetch(el.getAttribute("data-boundaries"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (topo) {
      var obj = topo.objects.countries;
      var near = { type: "GeometryCollection", geometries: obj.geometries.filter(function (g) {
        return g.id === VN || Object.prototype.hasOwnProperty.call(NEIGHBOURS, g.id);
      }) };
      L.geoJSON(topojson.feature(topo, near), { interactive: false, style: function (f) {
        return f.id === VN ? { color: "#8d6e63", weight: 0.6, fillColor: "#fbf7ea", fillOpacity: 1 }
                           : { color: "#9e9e9e", weight: 0.6, fillColor: "#e8e8e3", fillOpacity: 1 };
      } }).addTo(countries);
      var mesh = topojson.mesh(topo, obj, function (a, b) { return a !== b && (a.id === VN || b.id === VN); });
      L.geoJSON(mesh, { interactive: false, style: { color: "#b71c1c", weight: 3, opacity: 0.9 } }).addTo(boundary);
      [[VN, T.vietnam, [21.0, 105.8]], ["156", T.china, [23.6, 106.2]], ["418", T.laos, [20.3, 102.6]],
       ["116", T.cambodia, [12.9, 104.8]]].forEach(function (c) {
        L.tooltip({ permanent: true, direction: "center", className: "bd-country", interactive: false })
          .setLatLng(c[2]).setContent(node("span", c[1])).addTo(countries);
      });
      countries.eachLayer(function (l) { if (l.bringToBack) { l.bringToBack(); } });
      el.setAttribute("data-boundaries-loaded", "1");
    })
    .catch(function () { el.setAttribute("data-boundaries-loaded", "error"); });
})();
