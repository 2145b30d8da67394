"""A digest of the code that renders pages: its modules, templates, translations, scripts and styles.

The shared cache (var/cache/ under `borderdesk serve`, Redis in production) outlives a process: after an upgrade,
kept pages rendered by the old templates and values computed by the old code must not be served. Settings use this
digest as the cache's KEY_PREFIX, so a new version starts with an empty cache and the old entries age out. It is
computed from the files' contents (not their times), so every machine running the same code shares one cache.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SUFFIXES = frozenset({".py", ".html", ".mo", ".js", ".css", ".csv", ".json"})
PACKAGE = Path(__file__).resolve().parent


def _is_code(path: Path) -> bool:
    return path.suffix in SUFFIXES and "__pycache__" not in path.parts


def digest(root: Path = PACKAGE) -> str:
    """sha1 over every code file's path (relative to `root`) and content, in a stable order: 12 hex digits."""
    h = hashlib.sha1()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and _is_code(p)):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:12]
