"""Prints the scope matrix's size and result at the end of the run (tests/trust/test_scope_matrix.py)."""


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    import sys

    module = sys.modules.get("tests.trust.test_scope_matrix")
    if module is None or not module.TOTALS["checks"]:
        return
    terminalreporter.write_line(module.summary())
