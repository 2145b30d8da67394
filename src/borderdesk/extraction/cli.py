"""``borderdesk extract FILE... [--format jsonl|table] [--catalogue PATH]`` (no Django needed).

Prints one JSON object per figure and line (``--format jsonl``, the default) or a readable
table. A file that cannot be read gets a message on stderr; the other files are still
processed and the exit code is 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .catalogue import load_catalogue
from .errors import ExtractionInputError
from .figures import extract_figures
from .reader import read_document, size_limit

EXIT_OK, EXIT_INPUT_ERROR = 0, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="borderdesk extract",
        description="Propose the figures a Vietnamese narrative states (.txt, .docx, .html) as data values.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="text, Word or HTML files ('-' reads stdin)")
    parser.add_argument("--format", choices=("jsonl", "table"), default="jsonl", help="output format")
    parser.add_argument("--catalogue", metavar="PATH", help="indicator catalogue CSV (default: the built-in one)")
    parser.add_argument("--max-bytes", type=int, default=None, help="refuse files larger than this")
    return parser


def _row(file: str, figure: dict) -> dict:
    return {
        "file": file,
        "quote": figure["quote"],
        "start": figure["start"],
        "end": figure["end"],
        "value": figure["value"],
        "value_text": figure["value_text"],
        "range": figure["range"],
        "vague": figure["vague"],
        "unit": figure["unit"],
        "qualifier": figure["qualifier"],
        "indicator": figure["indicator"],
        "confidence": figure["confidence"],
        "comparison": figure["comparison"],
        "comparisons": figure["comparisons"],
        "change": figure["change"],
        "part_of": figure["part_of"],
        "noun": figure["noun"],
        "context": figure["context"],
    }


def _print_table(rows: list[dict], out) -> None:  # noqa: ANN001 - a text stream
    headers = ("quote", "value", "unit", "qualifier", "indicator", "conf", "comparison")
    table = []
    for row in rows:
        comparison = "; ".join(
            f"{c.get('kind')} {c.get('direction') or ''} "
            f"{c.get('percent') or c.get('amount') or c.get('times') or ''}".strip()
            for c in row["comparisons"]
        )
        value = (
            row["value_text"]
            if row["value_text"] is not None
            else ("–".join(str(v) for v in row["range"]) if row["range"] else "?")
        )
        table.append(
            (
                row["quote"],
                value,
                row["unit"] or "",
                row["qualifier"] or "",
                row["indicator"] or "",
                f"{row['confidence']:.2f}",
                comparison,
            )
        )
    widths = [min(48, max([len(h)] + [len(str(r[i])) for r in table])) for i, h in enumerate(headers)]
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    for r in table:
        out.write("  ".join(str(c)[:w].ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (0, or 2 when some file could not be read)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "extract":
        args_list = args_list[1:]
    args = _parser().parse_args(args_list)
    out, err = sys.stdout, sys.stderr
    catalogue = None
    if args.catalogue:
        try:
            catalogue = load_catalogue(args.catalogue)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            err.write(f"borderdesk extract: không đọc được danh mục chỉ tiêu {args.catalogue}: {exc}\n")
            return EXIT_INPUT_ERROR
    status = EXIT_OK
    for name in args.files:
        try:
            if name == "-":
                # never more than the limit (plus one byte, to tell that it is over) into memory
                data = sys.stdin.buffer.read(size_limit(args.max_bytes) + 1)
                text = read_document(data, "stdin.txt", max_bytes=args.max_bytes)
            else:
                text = read_document(name, max_bytes=args.max_bytes)
            figures = extract_figures(text, catalogue=catalogue)
        except ExtractionInputError as exc:
            err.write(f"borderdesk extract: {name}: {exc.message_vi} ({exc.message_en})\n")
            status = EXIT_INPUT_ERROR
            continue
        rows = [_row(name, f.as_dict()) for f in figures]
        if args.format == "jsonl":
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            out.write(f"== {name} ({len(rows)} figures)\n")
            _print_table(rows, out)
    out.flush()
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
