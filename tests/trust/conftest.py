"""The scope matrix's counters (tests/trust/test_scope_matrix.py); tests/conftest.py prints their sum at the
end of the run (it is the conftest the xdist controller loads).

Each process (xdist workers too) writes its counters to var/scope-matrix/<worker>.json after each matrix
test; the controlling process adds them up in the terminal summary.
"""

from pathlib import Path


def matrix_dir(config) -> Path:
    return Path(config.rootpath) / "var" / "scope-matrix"
