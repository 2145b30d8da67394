"""The default outlines shipped as data (templates_default/*.md). Data migrations ship frozen copies of them
(documents/migrations/_frozen_outlines.py): a change here needs a new migration with its own copy."""

from __future__ import annotations

import re
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent / "templates_default"
_SECTION = re.compile(r"^=== (\w+) ===$", re.M)


def read_default(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    parts = _SECTION.split(text)
    data = {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    return {
        "code": path.stem.replace("_", "-"),
        "name": data["name"].strip(),
        "kind": data["kind"].strip(),
        "summary": data["summary"].strip(),
        "body": data["body"],
        "recipients": data.get("recipients", ""),
    }


def default_outlines() -> list[dict[str, str]]:
    return [read_default(p) for p in sorted(DEFAULT_DIR.glob("*.md"))]
