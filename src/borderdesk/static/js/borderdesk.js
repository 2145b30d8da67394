// BorderDesk: small behaviours for every page (no inline script: the Content-Security-Policy forbids it).
// A link marked data-back returns to the previous page when there is one (its href is the fallback).
document.addEventListener('click', function (e) {
  var link = e.target.closest && e.target.closest('a[data-back]');
  if (link && window.history.length > 1 && document.referrer) { e.preventDefault(); window.history.back(); }
});
