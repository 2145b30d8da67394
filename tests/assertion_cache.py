"""Write pytest's assertion-rewritten bytecode for the test modules once, before the workers start (./bd test).

pytest rewrites the ``assert`` statements of every test module, conftest and plugin when it imports them, and
keeps the result in ``__pycache__/*-pytest-<version>.pyc``, unless ``PYTHONDONTWRITEBYTECODE`` is set (as on this
project's machines): then every worker rewrote all ~160 modules again, ~6,5 s of CPU each, two thirds of its
collection. A pyc written here is pytest's own (``_rewrite_test`` and ``_write_pyc``, the same code, checked by a
hash of the source), so a worker reads it and rewrites nothing; a module changed later is rewritten as before. The
files are split between two processes (the suite's machines have two cores). Any failure only means pytest
rewrites the modules itself, as it always did.

    python -m tests.assertion_cache
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _write(paths: list[Path]) -> int:
    from types import SimpleNamespace

    from _pytest.assertion.rewrite import PYC_TAIL, _read_pyc, _rewrite_test, _write_pyc

    def trace(*args) -> None:
        pass

    state = SimpleNamespace(trace=trace)  # all _write_pyc uses of pytest's AssertionState
    written = 0
    for path in paths:
        pyc = path.parent / "__pycache__" / (path.name[:-3] + PYC_TAIL)
        if _read_pyc(path, pyc, trace) is not None:
            continue
        pyc.parent.mkdir(exist_ok=True)
        # config=None: the assertion-pass hook (enable_assertion_pass_hook) is off, as in this project's pytest
        # settings; a pyc written with other settings would differ only by that hook.
        source_hash, code = _rewrite_test(path, None)  # type: ignore[arg-type]
        written += _write_pyc(state, code, source_hash, pyc)  # type: ignore[arg-type]
    return written


def main() -> int:
    paths = sorted(p for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts)
    halves = [paths[0::2], paths[1::2]]
    try:
        with ProcessPoolExecutor(max_workers=2) as pool:
            written = sum(pool.map(_write, halves))
    except Exception as exc:  # noqa: BLE001 - pytest rewrites the modules itself
        print(f"assertion cache: not written ({exc!r})", file=sys.stderr)
        return 0
    print(f"assertion cache: {written} of {len(paths)} test modules rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
