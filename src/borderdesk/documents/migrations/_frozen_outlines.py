"""The default outlines as data migrations 0002–0004 ship them: a frozen copy (frozen_outline_*.md, as of
2026-12-06) and a frozen copy of the reader, so these migrations never change with documents/defaults.py
or templates_default/ (a later change to the outlines ships in a new migration with its own copy).

Django's migration loader skips modules whose name starts with "_"; this one is imported by the migrations.
"""

from __future__ import annotations

import re
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_SECTION = re.compile(r"^=== (\w+) ===$", re.M)


def _read(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    parts = _SECTION.split(text)
    data = {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    return {"code": path.stem.removeprefix("frozen_outline_").replace("_", "-"), "name": data["name"].strip(),
            "kind": data["kind"].strip(), "summary": data["summary"].strip(), "body": data["body"],
            "recipients": data.get("recipients", "")}


def outlines(folder: str = "") -> list[dict[str, str]]:
    """The frozen outlines of 0002–0004 (this folder), or of a later migration (its own subfolder, e.g.
    "frozen_0007" for 0007, a copy of documents/templates_default/ as that migration shipped it)."""
    return [_read(p) for p in sorted((_HERE / folder if folder else _HERE).glob("frozen_outline_*.md"))]
