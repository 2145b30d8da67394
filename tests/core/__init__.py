"""Tests of borderdesk.core.

Makes ``src/`` importable when the project is not installed in the environment, so that the pure
modules' tests run with plain ``python -m pytest tests/core/... -p no:django``.
"""

import sys
from pathlib import Path

_SRC = Path(__file__).resolve().parents[2] / "src"
if _SRC.is_dir() and str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))
