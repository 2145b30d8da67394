"""The extraction engine: masking (spans that never hold a figure), amounts (numbers, units,
qualifiers), comparisons (changes and ratios bound to their base figure) and figures (putting it
together: nouns, clauses, indicators)."""

from .figures import Figure, clear_caches, extract_figures

__all__ = ["Figure", "clear_caches", "extract_figures"]
