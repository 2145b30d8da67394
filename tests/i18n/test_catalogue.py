"""The English catalogue: complete, not fuzzy, placeholders intact, .mo compiled from the current .po,
and every translatable string in the source present in it."""

from __future__ import annotations

import gettext
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

import borderdesk

from .po import read_po

PACKAGE = Path(borderdesk.__file__).resolve().parent
MESSAGES = PACKAGE / "locale" / "en" / "LC_MESSAGES"
PO, MO = MESSAGES / "django.po", MESSAGES / "django.mo"
FIX = (
    "run `cd src/borderdesk && ../../.venv/bin/borderdesk makemessages -l en --no-obsolete`, translate the "
    "new entries in src/borderdesk/locale/en/LC_MESSAGES/django.po, then `../../.venv/bin/borderdesk "
    "compilemessages` (see docs/development.md, Translations)"
)

# printf-style (%(name)s, %s, %d, %02X; %% is a literal) and str.format-style ({name}, {0}) placeholders.
_PRINTF = re.compile(r"%(?:\([^)]+\))?[-+ #0]*\d*(?:\.\d+)?[sdifFeExXgGrc]|%%")
_BRACE = re.compile(r"\{[A-Za-z_0-9][A-Za-z0-9_.]*\}")


def _placeholders(text: str) -> Counter:
    return Counter(_PRINTF.findall(text)) + Counter(_BRACE.findall(text))


@pytest.fixture(scope="module")
def catalogue():
    return read_po(PO)


def test_header_declares_utf8_and_english_plural_forms(catalogue):
    header, _ = catalogue
    assert "fuzzy" not in header.flags
    assert "charset=UTF-8" in header.msgstr
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr
    assert "Language: en" in header.msgstr


def test_every_entry_translated_and_not_fuzzy(catalogue):
    _, entries = catalogue
    assert len(entries) > 1000
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in entries if "fuzzy" in e.flags]
    empty = [
        f"line {e.line}: {e.msgid!r}"
        for e in entries
        if not all(t.strip() for t in e.translations) or (e.msgid_plural and len(e.msgstr_plural) != 2)
    ]
    assert not fuzzy, "fuzzy entries in django.po:\n" + "\n".join(fuzzy)
    assert not empty, "untranslated entries in django.po:\n" + "\n".join(empty)


def test_placeholders_match(catalogue):
    _, entries = catalogue
    wrong = []
    for e in entries:
        for i, text in enumerate(e.translations):
            source = e.msgid_plural if (e.msgid_plural and i > 0) else e.msgid
            if _placeholders(text) != _placeholders(source):
                wrong.append(f"line {e.line}: {source!r} → {text!r}")
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_no_vietnamese_left_in_translations(catalogue):
    """An English msgstr with Vietnamese letters is usually a forgotten copy of the msgid."""
    _, entries = catalogue
    vietnamese = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯạ-ỹẠ-Ỹàáảãèéẻẽìíỉĩòóỏõùúủũỳýỷỹ]")
    # Proper nouns and Vietnamese data words that the English interface quotes on purpose.
    # Spreadsheets stay Vietnamese in both interfaces, so the import help quotes their words (Có, Không, ...).
    allowed = re.compile(
        r"Lạng Sơn|UBND TỈNH LẠNG SƠN|BCĐ|QĐ-[A-Z]+|NĐ-CP|trên, hơn, gần, khoảng|__ten|Tiếng Việt"
        r"|“Mã hệ thống”|“\(tên\)”|Song phương|Có \(yes\)|Không \(no\)"
    )
    left = [f"line {e.line}: {t!r}" for e in entries for t in e.translations if vietnamese.search(allowed.sub("", t))]
    assert not left, "Vietnamese text in English translations:\n" + "\n".join(left)


def test_mo_is_compiled_from_this_po(catalogue):
    """The committed .mo holds exactly the .po's translations (a stale .mo fails here)."""
    _, entries = catalogue
    expected = {}
    for e in entries:
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt is not None else e.msgid
        if e.msgid_plural:
            for i, text in e.msgstr_plural.items():
                expected[(key, i)] = text
        else:
            expected[key] = e.msgstr
    with MO.open("rb") as fh:
        compiled = dict(gettext.GNUTranslations(fh)._catalog)
    compiled.pop("", None)
    missing = sorted(str(k) for k in expected.keys() - compiled.keys())
    extra = sorted(str(k) for k in compiled.keys() - expected.keys())
    changed = sorted(str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k])
    assert not (missing or extra or changed), (
        f"django.mo is out of date with django.po ({len(missing)} missing, {len(extra)} extra, "
        f"{len(changed)} changed, e.g. {(missing + extra + changed)[:3]}); run compilemessages"
    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) not installed")
def test_every_source_string_is_in_the_catalogue(catalogue, tmp_path, monkeypatch):
    """makemessages over a copy of the package finds no msgid that the committed catalogue lacks."""
    _, entries = catalogue
    copy = tmp_path / "borderdesk"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns(
            "locale", "static", "__pycache__", "*.pyc", "migrations", "data", "*.csv", "*.json", "*.docx"
        ),
    )
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["en"], verbosity=0, no_obsolete=True)
    _, fresh = read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    known = {e.key for e in entries}
    missing = [f"{e.msgid!r} ({' '.join(e.references[:2])})" for e in fresh if e.key not in known]
    assert not missing, f"{len(missing)} translatable strings are not in the English catalogue; {FIX}:\n" + "\n".join(
        missing
    )


def test_gettext_switches_language():
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("Nhật ký thay đổi") == "Change log"
        assert translation.pgettext("change log", "Trước") == "Before"
        assert translation.ngettext("%(n)s dòng", "%(n)s dòng", 1) == "%(n)s row"
    with translation.override("vi"):
        assert translation.gettext("Nhật ký thay đổi") == "Nhật ký thay đổi"
