"""No Python module under src/ outgrows its name: 600 lines at most (migrations are generated, not read)."""

from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
LIMIT = 600


def too_long(root: Path, limit: int = LIMIT) -> dict[str, int]:
    out = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        with path.open(encoding="utf-8") as fh:
            lines = sum(1 for _ in fh)
        if lines > limit:
            out[str(path.relative_to(root))] = lines
    return out


def test_no_module_over_600_lines():
    assert too_long(SRC) == {}, "split these modules by what they do (docs/development.md)"


def test_the_check_sees_a_long_module_and_skips_migrations(tmp_path):
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "big.py").write_text("x = 1\n" * 601)
    (tmp_path / "app" / "ok.py").write_text("x = 1\n" * 600)
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 5000)
    assert too_long(tmp_path) == {"app/big.py": 601}
