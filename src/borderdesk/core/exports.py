"""One helper for every export (CSV and Excel): no cell becomes a live formula, no control character breaks a file.

- CSV: a text that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``, ``@``, TAB or CR,
  OWASP's list) gets a leading apostrophe, as Excel itself shows a text typed with one; plain numbers such as
  ``-12,5`` stay as they are. :func:`csv_restore` removes that apostrophe when the file is read back, so
  export → import gives the same values.
- XLSX: such a text is written as a text cell (openpyxl would otherwise store it as a formula); the value is
  kept exactly.
- Both: control characters stored before the edge refused them are dropped (they make openpyxl and Word fail).
"""

from __future__ import annotations

import csv
import re

from openpyxl.cell.cell import Cell

from .edge import strip_control_characters

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_RE = re.compile(r"^[+-]?\d[\d.,\s]*(?:[eE][+-]?\d+)?%?$")


def _looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START) and not _NUMBER_RE.match(text)


def csv_cell(value):
    """The value as a CSV cell: text that a spreadsheet would evaluate gets a leading apostrophe."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = strip_control_characters(value)
    if _looks_like_formula(text) or (text.startswith("'") and _looks_like_formula(text[1:])):
        return "'" + text
    return text


def csv_restore(text: str) -> str:
    """Undo :func:`csv_cell` on a value read back from an exported CSV."""
    if (
        isinstance(text, str)
        and text.startswith("'")
        and (_looks_like_formula(text[1:]) or (text[1:].startswith("'") and _looks_like_formula(text[2:])))
    ):
        return text[1:]
    return text


def csv_row(values) -> list:
    return [csv_cell(v) for v in values]


def safe_csv_writer(stream, **kwargs):
    """A ``csv.writer`` whose rows pass through :func:`csv_cell`."""
    writer = csv.writer(stream, **kwargs)

    class _Writer:
        def writerow(self, row):
            return writer.writerow(csv_row(row))

        def writerows(self, rows):
            for row in rows:
                writer.writerow(csv_row(row))

    return _Writer()


def safe_dict_writer(stream, fieldnames, **kwargs):
    """A ``csv.DictWriter`` whose values pass through :func:`csv_cell`."""
    writer = csv.DictWriter(stream, fieldnames=fieldnames, **kwargs)

    class _Writer:
        def writeheader(self):
            return writer.writeheader()

        def writerow(self, row: dict):
            return writer.writerow({k: csv_cell(v) for k, v in row.items()})

    return _Writer()


def xlsx_value(value):
    """A value for an openpyxl cell without the formula risk (use :func:`set_xlsx_cell` where a cell exists)."""
    if isinstance(value, str):
        return strip_control_characters(value)
    return value


def set_xlsx_cell(cell: Cell, value) -> Cell:
    """Put ``value`` in ``cell``; a text that looks like a formula stays text (never evaluated)."""
    value = xlsx_value(value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def xlsx_row(ws, values) -> list:
    """Cells for ``ws.append`` (also in write-only workbooks) holding ``values`` safely."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for v in values:
        v = xlsx_value(v)
        if isinstance(v, str) and v.startswith("="):
            cell = WriteOnlyCell(ws, value=v)
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(v)
    return out


def neutralise_workbook(wb) -> None:
    """Every text cell of a (normal, not write-only) workbook made safe: no formula, no control character.
    Call it just before saving a workbook whose cells hold user data."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    set_xlsx_cell(cell, cell.value)
