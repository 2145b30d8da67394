"""Templates hold no inline script, style element, style attribute or event handler: the
Content-Security-Policy (no 'unsafe-inline') would block them in the browser. Cheaper than the browser
test and it sees every template, not only the pages a test opens."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "borderdesk"
INLINE = re.compile(
    r"<style\b|\sstyle=\"|<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+=\"", re.I
)


def test_no_template_has_inline_script_or_style():
    found = []
    for path in SRC.rglob("*.html"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                found.append(f"{path.relative_to(SRC)}:{n}: {line.strip()[:120]}")
    assert not found, "move these into the app's static CSS/JS files:\n" + "\n".join(found)
