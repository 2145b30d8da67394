// Clicking a map feature shows its details in the side panel; the link still opens the detail page.
(function () {
  "use strict";
  var map = document.getElementById("bd-map");
  var panel = document.getElementById("bd-map-details");
  if (!map || !panel) { return; }
  var selected = null;
  map.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a.feat") : null;
    if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey) { return; }
    ev.preventDefault();
    if (selected) { selected.classList.remove("selected"); }
    selected = a;
    a.classList.add("selected");
    panel.textContent = "";
    var kind = document.createElement("p");
    kind.className = "muted";
    kind.textContent = a.getAttribute("data-kind");
    var h = document.createElement("h2");
    h.textContent = a.getAttribute("data-label");
    var d = document.createElement("p");
    d.textContent = a.getAttribute("data-detail");
    panel.appendChild(kind);
    panel.appendChild(h);
    panel.appendChild(d);
    var href = a.getAttribute("href");
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.textContent = panel.getAttribute("data-open") || "Mở trang chi tiết »";
      panel.appendChild(link);
    }
  });
})();
