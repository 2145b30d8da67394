"""A small reader for GNU gettext .po files (enough for the consistency tests; no third-party package)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translations(self) -> list[str]:
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)] if self.msgid_plural else [self.msgstr]


def read_po(path: Path) -> tuple[Entry, list[Entry]]:
    """(header entry, other entries) of a .po file; obsolete (``#~``) entries are left out."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int | None] | None = None
    started = False

    def finish():
        nonlocal current, started, target
        if started:
            entries.append(current)
        current, started, target = Entry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            current.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#:"):
            current.references += line[2:].split()
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = None, line
        else:
            if keyword in ("msgctxt", "msgid") and started and target and target[0].startswith("msgstr"):
                finish()
            started = True
            current.line = current.line or number
            if keyword.startswith("msgstr["):
                target = ("msgstr_plural", int(keyword[7:-1]))
            else:
                target = (keyword, None)
        text = ast.literal_eval(rest)
        name, index = target
        if name == "msgstr_plural":
            current.msgstr_plural[index] = current.msgstr_plural.get(index, "") + text
        else:
            setattr(current, name, (getattr(current, name) or "") + text)
    finish()
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    return header, [e for e in entries if e is not header]
