// Enter moves to the next number field instead of submitting the form (keyboard-friendly entry).
document.querySelectorAll('#entry-form input.v').forEach(function (el, i, all) {
  el.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') { e.preventDefault(); var n = all[i + (e.shiftKey ? -1 : 1)]; if (n) { n.focus(); n.select(); } }
  });
});
