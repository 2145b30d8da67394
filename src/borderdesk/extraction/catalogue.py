"""The indicator catalogue used for mapping figures.

The default catalogue is ``borderdesk/reporting/data/indicators.csv``. Callers (the Django app)
may pass their own catalogue: any iterable of mappings or objects with ``code``, ``unit`` and
``keywords`` (a ";"-separated string or a list of phrases). A keyword starting with "-" is a
negative keyword: when it occurs near a figure, the indicator is ruled out for that figure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text import key_words
from .vocabulary import SUPPLEMENT

__all__ = ["CatalogueEntry", "DEFAULT_CATALOGUE_PATH", "default_catalogue", "load_catalogue", "prepare_catalogue"]

DEFAULT_CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "reporting" / "data" / "indicators.csv"


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One indicator as the mapper sees it; keywords are :func:`.text.key_words` keys, space-padded."""

    code: str
    unit: str
    keywords: tuple[str, ...]
    negative: tuple[str, ...]
    name_vi: str = ""
    needs: tuple[str, ...] = ()
    negative_before: tuple[str, ...] = ()
    #: negatives that count only in the figure's own noun phrase ("98 mốc chính" is not the markers' total)
    negative_noun: tuple[str, ...] = ()
    split: tuple[tuple[str, str], ...] = ()
    #: units of figures the indicator also counts, beyond its own ("kiểm tra 20 cột mốc": 20 marker checks)
    also_units: tuple[str, ...] = ()


def _split_keywords(raw: object) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [k.strip() for k in raw.split(";") if k.strip()]
    return [str(k).strip() for k in raw if str(k).strip()]  # type: ignore[union-attr]


def _get(item: object, name: str, default: object = "") -> object:
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def prepare_catalogue(items: Iterable[object], *, supplemented: bool = True) -> tuple[CatalogueEntry, ...]:
    """Turn rows (dicts, model instances, CatalogueEntry) into ``CatalogueEntry`` objects with keyword keys.

    With ``supplemented`` (the default) the built-in vocabulary of :mod:`.vocabulary` is added to
    the rows whose code it knows.
    """
    entries = []
    for item in items:
        if isinstance(item, CatalogueEntry):
            entries.append(item)
            continue
        code = str(_get(item, "code") or "").strip()
        if not code:
            continue
        positive, negative = [], []
        supplement = SUPPLEMENT.get(code, {}) if supplemented else {}
        keywords = _split_keywords(_get(item, "keywords", ""))
        split = []
        for keyword in [*keywords, *supplement.get("more", ()), *supplement.get("never", ())]:
            if "…" in keyword:
                before, _sep, after = keyword.partition("…")
                split.append((key_words(before), key_words(after)))
                continue
            target = negative if keyword.startswith("-") else positive
            folded = key_words(keyword.lstrip("-"))
            if folded.strip():
                target.append(folded)
        # a word that is positive for this indicator is never also negative for it
        negative = [n for n in negative if n not in positive]
        entries.append(
            CatalogueEntry(
                code=code,
                unit=str(_get(item, "unit") or "").strip(),
                keywords=tuple(dict.fromkeys(positive)),
                negative=tuple(dict.fromkeys(negative)),
                name_vi=str(_get(item, "name_vi") or ""),
                needs=tuple(dict.fromkeys(key_words(k) for k in supplement.get("needs", ()))),
                negative_before=tuple(dict.fromkeys(key_words(k) for k in supplement.get("never_before", ()))),
                negative_noun=tuple(dict.fromkeys(key_words(k) for k in supplement.get("never_noun", ()))),
                split=tuple(split),
                also_units=tuple(supplement.get("also_units", ())),
            )
        )
    return tuple(entries)


def read_catalogue_rows(path: str | Path) -> list[dict[str, str]]:
    """Rows of a catalogue CSV file as dictionaries."""
    data = Path(path).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(data)))


def load_catalogue(path: str | Path) -> tuple[CatalogueEntry, ...]:
    """Load and prepare a catalogue CSV file (columns at least code, unit, keywords)."""
    rows = read_catalogue_rows(path)
    if rows and not {"code", "unit", "keywords"} <= set(rows[0]):
        raise ValueError(f"{path}: a catalogue needs the columns code, unit and keywords")
    return prepare_catalogue(rows)


@lru_cache(maxsize=1)
def default_catalogue() -> tuple[CatalogueEntry, ...]:
    """The catalogue shipped with BorderDesk (cached)."""
    return load_catalogue(DEFAULT_CATALOGUE_PATH)
