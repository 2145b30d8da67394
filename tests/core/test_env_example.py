"""Every environment variable the code reads is documented in .env.example."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Set by the test tooling and CI, not by operators.
INTERNAL = {"BORDERDESK_TESTING"}
READ = re.compile(r"""(?:os\.environ\.get|os\.getenv|os\.environ\[|env_bool|env_list)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")


def test_env_example_lists_every_variable_the_code_reads():
    used = set()
    for path in (ROOT / "src" / "borderdesk").rglob("*.py"):
        used |= set(READ.findall(path.read_text(encoding="utf-8")))
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    missing = sorted(used - documented - INTERNAL)
    assert not missing, f"add these to .env.example with a comment saying what they do: {missing}"
