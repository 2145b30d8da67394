"""Prints the scope matrix's size and result at the end of the run (tests/trust/test_scope_matrix.py).

Each process (xdist workers too) writes its counters to var/scope-matrix/<worker>.json after each matrix
test; the controlling process adds them up in the terminal summary.
"""

import json
import shutil
from pathlib import Path


def matrix_dir(config) -> Path:
    return Path(config.rootpath) / "var" / "scope-matrix"


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controlling process starts from zero
        shutil.rmtree(matrix_dir(session.config), ignore_errors=True)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    files = sorted(matrix_dir(config).glob("*.json"))
    if not files:
        return
    totals: dict[str, int] = {}
    for f in files:
        for k, v in json.loads(f.read_text()).items():
            totals[k] = totals.get(k, 0) + v
    from tests.trust.test_scope_matrix import summary

    terminalreporter.write_line(summary(totals))
