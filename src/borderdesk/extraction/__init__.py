"""Figures from Vietnamese narrative text: read documents, extract figures, map them to indicators.

Pure Python (no Django import): the Django app and the ``borderdesk extract`` command both use it.
"""

from .errors import ExtractionInputError
from .figures import Figure, extract_figures
from .numbers import format_vn_number, parse_number_token, parse_vn_amount

__all__ = [
    "ExtractionInputError",
    "Figure",
    "extract_figures",
    "format_vn_number",
    "parse_number_token",
    "parse_vn_amount",
    "read_document",
]


def read_document(source, filename=None, **kwargs):  # noqa: ANN001, ANN201 - thin lazy wrapper
    """Read a .txt/.docx/.html document into normalised text (see :mod:`.reader`)."""
    from .reader import read_document as _read

    return _read(source, filename, **kwargs)
