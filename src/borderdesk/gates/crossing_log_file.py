"""Aggregating a crossing-log file: two engines, one result.

`aggregate_file(path, gate_lookup)` first lets DuckDB read and group the file (vectorised, on every core)
with strict checks on every cell it relies on: ISO times, exact gate codes or names, canonical directions
and kinds, plain decimals. Only when every row passes does its result stand. Anything else (Vietnamese
aliases, other date formats, quotes, bad values, bad bytes, a truncated last line, DuckDB missing) goes to
the streaming parser (crossing_log.py), which is the reference for what is accepted and gives the exact
per-line errors; both produce the same figures.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import threading

from .crossing_log import FAST_DIRECTIONS, FAST_KINDS, LogResult, _Parser, aggregate_log, plausible_year

# What the DuckDB engine accepts without the streaming parser's opinion; anything else falls back.
_TIME_RE = r"\d{4}-\d\d-\d\d([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?)?"
_USD_RE = r"\d{1,15}(\.\d{1,2})?"
_TONNES_RE = r"\d{1,15}(\.\d{1,3})?"
DUCKDB_MEMORY_LIMIT = "1GB"


def aggregate_file(path: str, gate_lookup: dict[str, int], *, progress=None) -> LogResult:
    """Aggregate a crossing-log file: DuckDB when every row is regular, else the streaming parser.

    `progress(bytes_read)` is called as the streaming parser reads (DuckDB reads the file in one go).
    """
    result = aggregate_file_duckdb(path, gate_lookup)
    if result is None:
        with open(path, "rb") as fh:
            result = aggregate_log(fh, gate_lookup, progress=progress)
    return result


def _read_header(path: str) -> tuple[str, int] | None:
    """The header line (BOM stripped) and the byte length of the first line, or None if unreadable."""
    with open(path, "rb") as fh:
        raw = fh.readline(64 * 1024)
    if not raw.endswith(b"\n"):
        return None
    try:
        return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8").rstrip("\r\n"), len(raw)
    except UnicodeDecodeError:
        return None


_local = threading.local()


def _duckdb_connection(duckdb):
    """This thread's in-memory DuckDB (made once per process and thread: no shared state, no fork reuse).

    Bounded memory and no spilling to disk: a pathological file (millions of distinct gates) fails
    and is then reported line by line by the streaming parser.
    """
    cached = getattr(_local, "duckdb", None)
    if cached is None or cached[0] != os.getpid():
        con = duckdb.connect(
            config={
                "memory_limit": DUCKDB_MEMORY_LIMIT,
                "temp_directory": "",
                "autoload_known_extensions": False,
                "autoinstall_known_extensions": False,
            }
        )
        cached = _local.duckdb = (os.getpid(), con)
    return cached[1]


def _drop_duckdb_connection() -> None:
    cached = getattr(_local, "duckdb", None)
    _local.duckdb = None
    if cached is not None and cached[0] == os.getpid():
        try:
            cached[1].close()
        except Exception:  # noqa: BLE001 - closing a failed connection must not hide the fallback
            pass


def _is_utf8(path: str) -> bool:
    """Whether the whole file is valid UTF-8 (ASCII blocks are skipped without decoding)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(1024 * 1024):
                if block.isascii() and not decoder.getstate()[0]:
                    continue
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def aggregate_file_duckdb(path: str, gate_lookup: dict[str, int]) -> LogResult | None:
    """DuckDB's read_csv + GROUP BY with strict checks; None when any row needs the streaming parser.

    Every cell is read as text (no type sniffing, no quoting: a quote is just a character, so quoted
    cells fail the checks), a row with the wrong number of cells or bad UTF-8 stops DuckDB, and each
    used cell must match the canonical form exactly. Grouped values (day, gate, direction, kind) are
    checked afterwards on the few distinct groups. Invalid calendar dates (2025-02-30) fall back too.
    """
    try:
        import duckdb
    except ImportError:  # pragma: no cover - duckdb is a dependency; the streaming parser still works
        return None
    head = _read_header(path)
    if head is None or os.path.getsize(path) <= head[1]:
        return None
    probe = _Parser(gate_lookup, LogResult())
    if not probe.header(head[0]):
        return None
    cols, width = probe.columns, probe.width

    def col(name: str) -> str:
        return f"c{cols[name]}" if name in cols else "CAST(NULL AS VARCHAR)"

    # DuckDB checks UTF-8 only in the columns a query reads; the others (nationality, extras) are
    # checked here, at memory speed, rather than by making DuckDB read them.
    if not _is_utf8(path):
        return None
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    # Column names and patterns are constants of ours (constant patterns compile once); the path is a parameter.
    sql = f"""
        SELECT substr(t, 1, 10) AS day, g, d, k, count(*) AS n,
               count(*) FILTER (WHERE NOT coalesce(regexp_full_match(t, '{_TIME_RE}')
                                AND (u IS NULL OR regexp_full_match(u, '{_USD_RE}'))
                                AND (w IS NULL OR regexp_full_match(w, '{_TONNES_RE}')), false)) AS bad,
               sum(TRY_CAST(u AS DECIMAL(18, 2))) AS usd, sum(TRY_CAST(w AS DECIMAL(18, 3))) AS tonnes
        FROM (SELECT {col("time")} AS t, {col("gate")} AS g, {col("direction")} AS d, {col("kind")} AS k,
                     {col("cargo_usd")} AS u, {col("tonnes")} AS w
              FROM read_csv($1, header = false, skip = 1, columns = {columns}, delim = ',', quote = '',
                            escape = '', strict_mode = true, null_padding = false, auto_detect = false))
        GROUP BY ALL"""  # noqa: S608 - only our own constants are interpolated
    try:
        groups = _duckdb_connection(duckdb).execute(sql, [path]).fetchall()
    except duckdb.Error:
        _drop_duckdb_connection()
        return None
    result = LogResult()
    parser = _Parser(gate_lookup, result)
    acc, lookup, valid_dates = parser.acc, gate_lookup, parser.valid_dates
    for day, gate, direction, kind, n, bad, usd, tonnes in groups:
        if bad or gate not in lookup or direction not in FAST_DIRECTIONS or kind not in FAST_KINDS:
            return None
        if day not in valid_dates:
            try:
                valid_dates[day] = dt.date.fromisoformat(day)
            except ValueError:
                return None
            if not plausible_year(valid_dates[day].year):
                return None  # the streaming parser names the row
        gate_id = lookup[gate]
        acc.counts[(day, gate_id, direction, kind)] += n
        if usd is not None:
            key = (day, gate_id, direction)
            acc.usd[key] = acc.usd.get(key, 0) + usd
        if tonnes is not None:
            key = (day, gate_id)
            acc.tonnes[key] = acc.tonnes.get(key, 0) + tonnes
        result.rows += n
    if not result.rows:
        return None
    parser.finish()
    return result
