"""Python code run in a fresh process with production settings (no test settings, no collected static files)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_with_production_settings(code: str, tmp_path: Path, **env_vars: str) -> subprocess.CompletedProcess:
    """Run `code` with DEBUG off, its own SQLite file under `tmp_path` and `env_vars` added; output captured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "BORDERDESK_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="borderdesk.settings",
        BORDERDESK_SECRET_KEY="p" * 60,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env_vars,
    )
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
