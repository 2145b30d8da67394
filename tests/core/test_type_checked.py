"""The type check ([tool.mypy] in pyproject.toml, run by ./bd lint, pre-commit and CI) covers core/ and every
services.py / selectors.py module: a new app's modules cannot slip out of it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_covers_core_and_every_services_and_selectors_module():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    listed = set(config["files"])
    assert "src/borderdesk/core" in listed
    wanted = {
        str(p.relative_to(ROOT))
        for name in ("services.py", "selectors.py")
        for p in (ROOT / "src" / "borderdesk").glob(f"*/{name}")
        if p.parent.name != "core"
    }
    assert sorted(wanted - listed) == []
    assert "mypy_django_plugin.main" in config["plugins"]


def test_ci_and_bd_lint_run_it():
    assert ".venv/bin/mypy" in (ROOT / ".ci" / "run").read_text()
    assert '"$VENV/bin/mypy"' in (ROOT / "bd").read_text()
    assert "mypy" in (ROOT / ".pre-commit-config.yaml").read_text()
