"""Data migrations run what they were written with, not today's code (issue 16).

A RunPython function that imports an app module (borderdesk.documents.defaults, a model's helper, a service)
changes meaning whenever that code changes: an old migration then writes today's data, or breaks. Data
migrations use apps.get_model() and frozen copies (documents/migrations/_frozen_outlines.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "borderdesk"


def _live_imports(path: Path, text: str | None = None) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8") if text is None else text)
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        for name in names:
            # A schema migration may name a model module for a callable field default (Django requires it);
            # anything else from the project (defaults, services, helpers) is live code.
            if name.startswith("borderdesk") and not name.endswith(".models"):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: {name}")
            if (
                name.startswith("borderdesk")
                and name.endswith(".models")
                and any(isinstance(f, ast.FunctionDef) and node in ast.walk(f) for f in tree.body)
            ):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: {name} (inside a data migration)")
    return found


def test_no_migration_imports_live_code():
    offenders = [hit for path in sorted(SRC.glob("*/migrations/*.py")) for hit in _live_imports(path)]
    assert offenders == []


def test_the_guard_sees_an_import_inside_a_data_migration():
    path = SRC / "documents" / "migrations" / "0002_default_outlines.py"
    text = path.read_text(encoding="utf-8")
    assert _live_imports(path, text) == []
    live = text.replace(
        "from ._frozen_outlines import outlines as default_outlines",
        "from borderdesk.documents.defaults import default_outlines",
    )
    assert len(_live_imports(path, live)) == 1
    assert (
        len(
            _live_imports(
                path,
                text.replace(
                    "def forwards(apps, schema_editor):\n",
                    "def forwards(apps, schema_editor):\n    import borderdesk.org.models\n",
                ),
            )
        )
        == 1
    )


def test_the_shipped_outlines_are_the_ones_a_migration_ships():
    """Editing templates_default/*.md needs a new data migration with its own frozen copy (else existing
    databases never receive the edit); then point this test at that copy."""
    from borderdesk.documents.defaults import default_outlines
    from borderdesk.documents.migrations._frozen_outlines import outlines

    assert outlines("frozen_0007") == default_outlines()  # the latest migration shipping them: 0007
