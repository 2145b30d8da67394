"""Finding the figures a Vietnamese narrative states: see :mod:`.engine` (kept for imports)."""

from .engine import Figure, extract_figures

__all__ = ["Figure", "extract_figures"]
