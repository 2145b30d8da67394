// BorderDesk: small behaviours for every page (no inline script: the Content-Security-Policy forbids it).
// A link marked data-back returns to the previous page when there is one (its href is the fallback).
document.addEventListener('click', function (e) {
  var link = e.target.closest && e.target.closest('a[data-back]');
  if (link && window.history.length > 1 && document.referrer) { e.preventDefault(); window.history.back(); }
});

// A list (table.stack) reads as cards on a phone: each cell but the first gets its column's name (shown by the CSS
// under 640 px; wider screens keep the table). Without this script the list scrolls sideways instead.
function labelListCells() {
  document.querySelectorAll('table.stack').forEach(function (table) {
    if (!table.tHead || !table.tHead.rows.length) return;
    var names = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      var copy = th.cloneNode(true);
      copy.querySelectorAll('[aria-hidden]').forEach(function (el) { el.remove(); });
      return copy.textContent.trim();
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        if (row.cells.length !== names.length) return; // an empty list's single message cell
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (i > 0 && names[i] && !cell.hasAttribute('data-label')) cell.setAttribute('data-label', names[i]);
        });
      });
    });
  });
}
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', labelListCells);
else labelListCells();
