"""Streaming parser and aggregator for raw crossing logs (one row per crossing).

Pure Python, no database: `aggregate_log(stream, gate_lookup)` reads a binary stream in chunks and
returns per (gate id, date) counters, or the rows' errors. Never holds the whole file in memory.

File format (CSV, UTF-8, comma-separated, one record per line, header first)::

    time,gate,direction,kind,nationality,cargo_usd,tonnes
    2025-03-01T08:15:00,huu-nghi,exit,cargo_vehicle,VN,12500.00,18.5

- time: ``YYYY-MM-DD[THH:MM[:SS]]`` (local time, Asia/Ho_Chi_Minh), an ISO time with an offset
  (converted to local time), or ``dd/mm/yyyy[ HH:MM[:SS]]``.
- gate: the gate's code or its exact name.
- direction: ``exit``/``entry`` (also ``xuat``/``nhap``, ``xuất``/``nhập``, ``X``/``N``).
- kind: ``person``, ``vehicle``, ``cargo_vehicle``, ``rail_car`` (also ``nguoi``, ``xe``,
  ``xe_hang``, ``toa``).
- nationality: free text (optional). cargo_usd, tonnes: optional non-negative decimals.
Vietnamese column names are accepted too (thoi_gian, cua_khau, huong, loai, quoc_tich,
gia_tri_usd, tan). Extra columns are ignored.

Files go through `crossing_log_file.aggregate_file`, which lets DuckDB read a regular file and falls back
to this streaming parser, the reference for what is accepted and for the exact per-line errors.

Streaming parser speed: when the header is in the canonical order, each chunk is split and counted
at C speed (`str.split`, `collections.Counter`); a chunk with any irregular line (quotes, other date
formats, bad values, unknown gates) is re-read line by line, which gives exact errors.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import compress
from operator import itemgetter
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

CHUNK_BYTES = 128 * 1024  # small chunks keep the working set in the CPU cache
MAX_REPORTED_ERRORS = 200
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

CANONICAL = ("time", "gate", "direction", "kind", "nationality", "cargo_usd", "tonnes")
REQUIRED = ("time", "gate", "direction", "kind")
HEADER_ALIASES = {
    "time": "time",
    "thoi_gian": "time",
    "thời gian": "time",
    "thoi gian": "time",
    "datetime": "time",
    "gate": "gate",
    "cua_khau": "gate",
    "cửa khẩu": "gate",
    "cua khau": "gate",
    "gate_code": "gate",
    "direction": "direction",
    "huong": "direction",
    "hướng": "direction",
    "kind": "kind",
    "loai": "kind",
    "loại": "kind",
    "type": "kind",
    "nationality": "nationality",
    "quoc_tich": "nationality",
    "quốc tịch": "nationality",
    "cargo_usd": "cargo_usd",
    "gia_tri_usd": "cargo_usd",
    "giá trị (usd)": "cargo_usd",
    "value_usd": "cargo_usd",
    "tonnes": "tonnes",
    "tan": "tonnes",
    "tấn": "tonnes",
}
DIRECTIONS = {
    "exit": "exit",
    "entry": "entry",
    "xuat": "exit",
    "nhap": "entry",
    "xuất": "exit",
    "nhập": "entry",
    "x": "exit",
    "n": "entry",
    "out": "exit",
    "in": "entry",
}
KINDS = {
    "person": "person",
    "vehicle": "vehicle",
    "cargo_vehicle": "cargo_vehicle",
    "rail_car": "rail_car",
    "nguoi": "person",
    "người": "person",
    "xe": "vehicle",
    "xe_hang": "cargo_vehicle",
    "xe hàng": "cargo_vehicle",
    "toa": "rail_car",
}

# Fast path: a chunk whose cells all look canonical is counted with C-level list slicing and Counter.
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
FAST_KINDS = frozenset({"person", "vehicle", "cargo_vehicle", "rail_car"})
FAST_DIRECTIONS = frozenset({"exit", "entry"})
_DATE_PART = itemgetter(slice(0, 10))
_CHAR10 = itemgetter(10)
_CHAR13 = itemgetter(13)
_CENT = Decimal("0.01")
_MILLI = Decimal("0.001")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d\d)(?::(\d\d))?)?$")


@dataclass
class RowError:
    line: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class LogResult:
    """Aggregates per (gate_id, date) and what went wrong."""

    rows: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    stats: dict[tuple[int, dt.date], dict] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.file_error and self.error_count == 0

    def add_error(self, line: int, fld: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(line, fld, message))


class _Acc:
    """Accumulates counts and value strings; values become Decimals once, at the end."""

    def __init__(self):
        self.counts: Counter = Counter()  # (date_str|date, gate_id, direction, kind) -> n
        self.usd: dict[tuple, Decimal] = {}  # (date, gate, direction) -> sum; gate is a code (fast) or an id
        self.tonnes: dict[tuple, Decimal] = {}  # (date, gate) -> sum


#: the years a crossing log can be dated in (older logs are kept by no gate system; 0001 or 2999 is a typing
#: or export error)
MIN_LOG_YEAR = 2000
MAX_LOG_YEAR = 2100


def plausible_year(year: int) -> bool:
    return MIN_LOG_YEAR <= year <= MAX_LOG_YEAR


def _parse_date_text(text: str) -> dt.date | None:
    """A date (local) from a time cell, or None when the cell is not a date/time we accept."""
    text = text.strip()
    m = _DMY.match(text)
    if m:
        try:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(LOCAL_TZ)
    return value.date()


def _parse_amount(text: str, places: int) -> str | None:
    """A non-negative decimal with at most `places` decimals as a string ('' for blank), else None."""
    text = text.strip()
    if not text:
        return ""
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    if not d.is_finite() or d < 0 or d.as_tuple().exponent < -places or d >= Decimal(10) ** 15:
        return None
    return text


class _Parser:
    def __init__(self, gate_lookup: dict[str, int], result: LogResult):
        self.lookup = gate_lookup
        self.lookup_lower = {k.strip().lower(): v for k, v in gate_lookup.items()}
        self.result = result
        self.acc = _Acc()
        self.columns: dict[str, int] | None = None
        self.width = 0
        self.fast = False
        self.valid_dates: dict[str, dt.date | None] = {}

    # ------------------------------------------------------------------ header
    def header(self, line: str) -> bool:
        cells = next(csv.reader([line]))
        names = [HEADER_ALIASES.get(c.strip().lstrip("\ufeff").lower()) for c in cells]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            self.result.file_error = _(
                "Dòng tiêu đề thiếu cột: %(cols)s. Cần các cột time, gate, direction, kind "
                "(tùy chọn: nationality, cargo_usd, tonnes)."
            ) % {"cols": ", ".join(missing)}
            return False
        # An unknown column is refused, not skipped: "cargo_value_usd" for cargo_usd would otherwise lose
        # the trade value of the whole file without a word.
        unknown = [c.strip().lstrip("\ufeff") for c, n in zip(cells, names, strict=True) if n is None and c.strip()]
        if unknown:
            self.result.file_error = _(
                "Dòng tiêu đề có cột không nhận ra: %(cols)s. Các cột được nhận: time, gate, direction, kind, "
                "nationality, cargo_usd, tonnes (hoặc tên tiếng Việt tương ứng); hãy đổi tên hoặc bỏ các cột đó."
            ) % {"cols": ", ".join(f"“{c}”" for c in unknown)}
            return False
        self.columns = {n: i for i, n in reversed(list(enumerate(names))) if n}
        self.width = len(cells)
        self.fast = tuple(c.strip().lstrip("\ufeff").lower() for c in cells) == CANONICAL
        return True

    # ------------------------------------------------------------------ fast path
    def chunk(self, text: str, first_line: int, n_lines: int) -> None:
        """Lines first_line.. of complete lines (text ends with a newline)."""
        if self.fast and self._fast(text, n_lines):
            self.result.rows += n_lines
            return
        self._slow(text.splitlines(), first_line)

    def _fast(self, text: str, n: int) -> bool:
        """Count a regular chunk at C speed; False (nothing counted) when any line is irregular."""
        if "\r" in text:
            text = text.replace("\r\n", "\n")
            if "\r" in text:
                return False
        if '"' in text or text.count(",") != 6 * n:
            return False
        cells = text.replace("\n", ",").split(",")
        m = 7 * n
        times, gates, dirs, kinds = cells[0:m:7], cells[1:m:7], cells[2:m:7], cells[3:m:7]
        usd, tonnes = cells[5:m:7], cells[6:m:7]
        if not FAST_DIRECTIONS.issuperset(dirs) or not FAST_KINDS.issuperset(kinds):
            return False
        lookup = self.lookup
        gate_set = set(gates)
        if not all(g in lookup for g in gate_set):
            return False
        dates = list(map(_DATE_PART, times))
        for d in set(dates):
            if d not in self.valid_dates:
                ok = _ISO_DATE.fullmatch(d) is not None
                try:
                    self.valid_dates[d] = dt.date.fromisoformat(d) if ok else None
                except ValueError:
                    self.valid_dates[d] = None
                if self.valid_dates[d] is not None and not plausible_year(self.valid_dates[d].year):
                    self.valid_dates[d] = None
            if self.valid_dates[d] is None:
                return False
        # Only the date is used; the time of day is checked for its shape (length and separators).
        lengths = set(map(len, times))
        if not lengths <= {10, 16, 19}:
            return False
        if lengths != {10}:
            if 10 in lengths or not {"T", " "}.issuperset(map(_CHAR10, times)) or set(map(_CHAR13, times)) != {":"}:
                return False
        try:
            usd_values = list(map(Decimal, compress(usd, usd)))
            tonne_values = list(map(Decimal, compress(tonnes, tonnes)))
            for values, quantum in ((usd_values, _CENT), (tonne_values, _MILLI)):
                if values:
                    total = sum(values)
                    if min(values) < 0 or not total.is_finite() or total.quantize(quantum) != total:
                        return False
        except (InvalidOperation, ValueError):
            return False
        acc = self.acc
        if len(gate_set) == 1:
            gid = lookup[gates[0]]
            for (d, direction, kind), k in Counter(zip(dates, dirs, kinds, strict=True)).items():
                acc.counts[(d, gid, direction, kind)] += k
        else:
            for (d, g, direction, kind), k in Counter(zip(dates, gates, dirs, kinds, strict=True)).items():
                acc.counts[(d, lookup[g], direction, kind)] += k
        sums = acc.usd
        for key, value in zip(compress(zip(dates, gates, dirs, strict=True), usd), usd_values, strict=True):
            sums[key] = sums.get(key, 0) + value
        sums = acc.tonnes
        for key, value in zip(compress(zip(dates, gates, strict=True), tonnes), tonne_values, strict=True):
            sums[key] = sums.get(key, 0) + value
        return True

    # ------------------------------------------------------------------ slow path (exact errors)
    def _slow(self, lines: list[str], first_line: int) -> None:
        cols, res, acc = self.columns, self.result, self.acc
        i_time, i_gate, i_dir, i_kind = cols["time"], cols["gate"], cols["direction"], cols["kind"]
        i_usd, i_t = cols.get("cargo_usd"), cols.get("tonnes")
        for offset, line in enumerate(lines):
            no = first_line + offset
            if not line.strip():
                continue
            res.rows += 1
            try:
                cells = next(csv.reader([line]))
            except csv.Error as exc:
                res.add_error(no, "", _("Dòng không đọc được (%s).") % exc)
                continue
            if len(cells) < self.width:
                res.add_error(no, "", _("Thiếu cột: có %(n)d cột, cần %(w)d.") % {"n": len(cells), "w": self.width})
                continue
            self._slow_row(no, cells, i_time, i_gate, i_dir, i_kind, i_usd, i_t, acc)

    def _slow_row(self, no, cells, i_time, i_gate, i_dir, i_kind, i_usd, i_t, acc) -> None:
        res = self.result
        ok = True
        day = _parse_date_text(cells[i_time])
        if day is None:
            res.add_error(
                no,
                "time",
                _("Thời gian không hợp lệ: “%s” (dùng YYYY-MM-DD HH:MM hoặc dd/mm/yyyy HH:MM).") % cells[i_time][:40],
            )
            ok = False
        elif not plausible_year(day.year):
            res.add_error(
                no,
                "time",
                _("Năm %(y)s không hợp lý cho nhật ký xuất nhập cảnh (nhận từ %(a)s đến %(b)s).")
                % {"y": day.year, "a": MIN_LOG_YEAR, "b": MAX_LOG_YEAR},
            )
            ok = False
        gate_text = cells[i_gate].strip()
        gate_id = self.lookup.get(gate_text) or self.lookup_lower.get(gate_text.lower())
        if gate_id is None:
            res.add_error(no, "gate", _("Không có cửa khẩu “%s” (mã hoặc tên) trong phạm vi của bạn.") % gate_text[:60])
            ok = False
        direction = DIRECTIONS.get(cells[i_dir].strip().lower())
        if direction is None:
            res.add_error(
                no, "direction", _("Hướng phải là exit (xuất) hoặc entry (nhập), không phải “%s”.") % cells[i_dir][:20]
            )
            ok = False
        kind = KINDS.get(cells[i_kind].strip().lower())
        if kind is None:
            res.add_error(
                no,
                "kind",
                _("Loại phải là person, vehicle, cargo_vehicle hoặc rail_car, không phải “%s”.") % cells[i_kind][:20],
            )
            ok = False
        value = _parse_amount(cells[i_usd], 2) if i_usd is not None and i_usd < len(cells) else ""
        if value is None:
            res.add_error(
                no,
                "cargo_usd",
                _("Giá trị hàng (USD) phải là số không âm, tối đa 2 chữ số thập phân, không phải “%s”.")
                % cells[i_usd][:30],
            )
            ok = False
        t = _parse_amount(cells[i_t], 3) if i_t is not None and i_t < len(cells) else ""
        if t is None:
            res.add_error(
                no,
                "tonnes",
                _("Khối lượng (tấn) phải là số không âm, tối đa 3 chữ số thập phân, không phải “%s”.")
                % cells[i_t][:30],
            )
            ok = False
        if not ok:
            return
        acc.counts[(day, gate_id, direction, kind)] += 1
        if value:
            key = (day, gate_id, direction)
            acc.usd[key] = acc.usd.get(key, 0) + Decimal(value)
        if t:
            acc.tonnes[(day, gate_id)] = acc.tonnes.get((day, gate_id), 0) + Decimal(t)

    # ------------------------------------------------------------------ result
    def finish(self) -> None:
        """Turn the accumulators into per (gate_id, date) field dicts."""
        res, acc, lookup = self.result, self.acc, self.lookup
        stats: dict[tuple[int, dt.date], dict] = {}
        date_cache: dict = {}

        def as_date(d):
            if isinstance(d, dt.date):
                return d
            v = date_cache.get(d)
            if v is None:
                v = date_cache[d] = dt.date.fromisoformat(d)
            return v

        def row(gate_id, d):
            key = (gate_id, as_date(d))
            r = stats.get(key)
            if r is None:
                r = stats[key] = {
                    "persons_exit": 0,
                    "persons_entry": 0,
                    "vehicles_exit": 0,
                    "vehicles_entry": 0,
                    "cargo_vehicles_export": 0,
                    "cargo_vehicles_import": 0,
                    "rail_cars": 0,
                    "tonnes": Decimal(0),
                    "export_usd": Decimal(0),
                    "import_usd": Decimal(0),
                }
            return r

        for (d, gate_id, direction, kind), n in acc.counts.items():
            r = row(gate_id, d)
            if kind == "person":
                r["persons_exit" if direction == "exit" else "persons_entry"] += n
            elif kind == "rail_car":
                r["rail_cars"] += n
            else:
                r["vehicles_exit" if direction == "exit" else "vehicles_entry"] += n
                if kind == "cargo_vehicle":
                    r["cargo_vehicles_export" if direction == "exit" else "cargo_vehicles_import"] += n
        for (d, g, direction), total in acc.usd.items():
            gate_id = g if isinstance(g, int) else lookup[g]
            row(gate_id, d)["export_usd" if direction == "exit" else "import_usd"] += total
        for (d, g), total in acc.tonnes.items():
            gate_id = g if isinstance(g, int) else lookup[g]
            row(gate_id, d)["tonnes"] += total
        for r in stats.values():  # the stored scale, whichever engine summed (so re-imports compare equal)
            r["tonnes"] = r["tonnes"].quantize(_MILLI)
            r["export_usd"] = r["export_usd"].quantize(_CENT)
            r["import_usd"] = r["import_usd"].quantize(_CENT)
        res.stats = stats


def _decode_lines(data: bytes, first_line: int, result: LogResult) -> str | None:
    """Decode complete lines; on bad bytes report each offending line and return None."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for offset, raw in enumerate(data.split(b"\n")[:-1]):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            result.add_error(
                first_line + offset,
                "",
                _(
                    "Dòng không phải UTF-8 (byte 0x%(byte)02X ở vị trí %(pos)d): tệp lẫn bảng mã khác "
                    "(ví dụ TCVN3 hoặc Windows-1258). Hãy lưu lại tệp dưới dạng CSV UTF-8."
                )
                % {"byte": raw[exc.start], "pos": exc.start + 1},
            )
    return None


def aggregate_log(stream, gate_lookup: dict[str, int], *, chunk_bytes: int = CHUNK_BYTES, progress=None) -> LogResult:
    """Read a crossing log from a binary stream in chunks and aggregate it per gate and day.

    `gate_lookup` maps gate codes and names to gate ids (only gates the user may change);
    `progress(bytes_read)` is called after each chunk when given.
    """
    result = LogResult()
    parser = _Parser(gate_lookup, result)
    tail = b""
    line_no = 1  # number of the first line in the next complete block
    header_done = False
    read = 0
    while True:
        block = stream.read(chunk_bytes)
        if not block:
            break
        read += len(block)
        if progress is not None:
            progress(read)
        data = tail + block
        cut = data.rfind(b"\n")
        if cut < 0:
            tail = data
            continue
        complete, tail = data[: cut + 1], data[cut + 1 :]
        if not header_done:
            if complete.startswith(b"\xef\xbb\xbf"):
                complete = complete[3:]
            nl = complete.index(b"\n")
            head_raw, complete = complete[: nl + 1], complete[nl + 1 :]
            try:
                head = head_raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                result.file_error = _("Dòng tiêu đề không phải UTF-8. Hãy lưu lại tệp dưới dạng CSV UTF-8.")
                return result
            if not parser.header(head):
                return result
            header_done = True
            line_no += 1
        n_lines = complete.count(b"\n")
        if n_lines:
            text = _decode_lines(complete, line_no, result)
            if text is not None:
                parser.chunk(text, line_no, n_lines)
            else:
                result.rows += n_lines
        line_no += n_lines
    if not header_done:
        if tail.strip():
            # A one-line file: the header without a newline and no data.
            result.file_error = _("Tệp chỉ có dòng tiêu đề, không có dữ liệu.")
        else:
            result.file_error = _("Tệp rỗng.")
        return result
    if tail.strip(b"\r\n \t"):
        _last_line(parser, tail, line_no)
    if result.rows == 0 and not result.error_count:
        result.file_error = _("Tệp không có dòng dữ liệu nào.")
    if result.ok:
        parser.finish()
    return result


def _last_line(parser: _Parser, raw: bytes, line_no: int) -> None:
    """The last line has no newline: accept it if complete, else report it as truncated."""
    result = parser.result
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        result.rows += 1
        result.add_error(line_no, "", _("Dòng cuối bị cắt cụt hoặc không phải UTF-8 (tệp tải lên chưa trọn vẹn?)."))
        return
    before = result.error_count
    probe = LogResult()
    parser.result = probe
    saved = parser.acc
    parser.acc = _Acc()
    parser._slow([text], line_no)
    parser.result, probe_acc = result, parser.acc
    parser.acc = saved
    result.rows += probe.rows
    if probe.error_count:
        result.add_error(
            line_no, "", _("Dòng cuối bị cắt cụt (thiếu dữ liệu hoặc không có ký tự xuống dòng): “%s”.") % text[:80]
        )
        for e in probe.errors:
            result.add_error(e.line, e.field, e.message)
        return
    assert result.error_count == before
    for k, v in probe_acc.counts.items():
        saved.counts[k] += v
    for k, v in probe_acc.usd.items():
        saved.usd[k] = saved.usd.get(k, 0) + v
    for k, v in probe_acc.tonnes.items():
        saved.tonnes[k] = saved.tonnes.get(k, 0) + v
