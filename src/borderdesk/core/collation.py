"""Vietnamese order and accent-insensitive search, in the database, on PostgreSQL and SQLite alike.

Ordering names: ``vi("name")`` is ``Collate("name", "vi-x-icu")``. PostgreSQL uses its ICU collation of
that name (a ă â b c d đ e ê …; tones compared last). SQLite has no ICU, so every SQLite connection
registers a collation with the same name, implemented by ``sort_key`` below (the Python definition of
the same order, tested against the ICU one in tests/core/test_collation.py). Models put ``vi(...)`` in
``Meta.ordering``; lists use ``vi_order("name", "-unit__name")``.

Searching: the ``__vsearch`` lookup (registered on CharField and TextField) matches a term anywhere in
the text ignoring case and diacritics: "huu nghi" finds "Hữu Nghị", "dong dang" finds "Đồng Đăng".
PostgreSQL: ``unaccent(lower(column)) LIKE '%' || unaccent(lower(term)) || '%'`` (the unaccent extension,
created by core's migration 00xx_unaccent). SQLite: the same with a registered function ``bd_fold``
(``fold``, below). The term's % and _ are escaped, so they match themselves.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from django.db import models
from django.db.backends.signals import connection_created
from django.db.models.functions import Collate

VI = "vi-x-icu"

# đ/Đ do not decompose in Unicode; everything else loses its combining marks.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def fold(text: str | None) -> str | None:
    """Lower case without diacritics: "Hữu Nghị" → "huu nghi" (None stays None, as SQL NULL)."""
    if text is None:
        return None
    return _fold(str(text))


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def vi(field: str) -> Collate:
    """Order by `field` in Vietnamese alphabetical order."""
    return Collate(field, VI)


def vi_order(*fields: str) -> list:
    """order_by() arguments: name fields ("name", "-unit__name") in Vietnamese order; "id", "-pk" as given."""
    out: list = []
    for f in fields:
        name = f.lstrip("-")
        if name in ("id", "pk") or not (name.endswith("name") or name.endswith("title")):
            out.append(f)
        else:
            out.append(vi(name).desc() if f.startswith("-") else vi(name).asc())
    return out


@lru_cache(maxsize=65536)
def _key(text: str) -> tuple:
    return sort_key(text)


def _compare(a: str, b: str) -> int:
    """SQLite calls this for every comparison of a sort: keys are cached (a list of names repeats them)."""
    ka, kb = _key(a), _key(b)
    return (ka > kb) - (ka < kb)


def _on_sqlite_connect(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_collation(VI, _compare)
    raw.create_function("bd_fold", 1, fold, deterministic=True)


def install() -> None:
    """Register the SQLite collation and function for connections opened from now on (CoreConfig.ready)."""
    connection_created.connect(_on_sqlite_connect, dispatch_uid="borderdesk.core.collation")
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if conn.vendor == "sqlite" and conn.connection is not None:
            _on_sqlite_connect(None, conn)


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@models.CharField.register_lookup
@models.TextField.register_lookup
class VSearch(models.Lookup):
    """``name__vsearch="huu nghi"``: contains, ignoring case and Vietnamese diacritics."""

    lookup_name = "vsearch"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        # Folded in Python on both databases, so the rules for the term are identical everywhere.
        return ("%s", [f"%{_like_escape(fold(str(value)) or '')}%"])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            # unaccent() maps đ→d and drops the marks (it is the same fold as ours for Vietnamese text).
            return f"unaccent(lower({lhs})) LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]
        return f"bd_fold({lhs}) LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]


# Vietnamese order in Python ---------------------------------------------------------------------------
# The Vietnamese alphabet with the Latin letters it lacks (f j w z) where ICU's "vi" collation puts them.
_VN_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_VN_ORDER = {ch: 1000 + i for i, ch in enumerate(_VN_ALPHABET)}
# Tones in the order of ICU's "vi" collation (CLDR): ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_ORDER = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_VOWEL_MARKS = "\u0306\u0302\u031b"  # breve, circumflex, horn: part of the letter (ă â ơ ư ê ô)


def _char_rank(ch: str) -> int:
    """Spaces, then punctuation and symbols, then digits, then letters (as ICU orders them)."""
    if ch in _VN_ORDER:
        return _VN_ORDER[ch]
    if ch.isspace():
        return 0
    if ch.isdigit():
        return 900 + int(ch) if ch in "0123456789" else 899
    if ch.isalpha():
        return 2000 + ord(ch)  # other scripts after the Vietnamese alphabet
    return 100 + min(ord(ch), 700)


def sort_key(text: str) -> tuple:
    """Vietnamese alphabetical order (a ă â b c d đ e ê …), tones ignored first, then compared.

    Python's default ordering puts "Đồng Đăng" after "Xuất Lễ"; this puts it after "Dục". It is the order
    of PostgreSQL's ICU collation "vi-x-icu", and SQLite uses it as the collation of that name
    (``_register`` below), so lists sort the same on both databases.
    """
    base_chars, tones, cases = [], [], []
    for original in text or "":
        ch = original.lower()
        cases.append(original != ch)  # lower case first, as ICU's third level
        decomposed = unicodedata.normalize("NFD", ch)
        letter = decomposed[0]
        marks = decomposed[1:]
        # Keep the vowel-forming marks (breve, circumflex, horn); the others are tones.
        keep = "".join(m for m in marks if m in _VOWEL_MARKS)
        tone = "".join(m for m in marks if m not in _VOWEL_MARKS)
        composed = unicodedata.normalize("NFC", letter + keep)
        base_chars.append(_char_rank(composed))
        tones.append(_TONE_ORDER.get(tone, 9))
    return tuple(base_chars), tuple(tones), tuple(cases)
