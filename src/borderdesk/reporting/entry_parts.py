"""The entry page's rows: the parts that do not depend on the report's figures, built once in Python.

The page renders one row per indicator with a 12-word qualifier list, the indicator's name, description and
unit; in the template these cost most of the page's CPU (a loop, a comparison and a translation per word per row).
Here the qualifier list is built once per language and chosen word (kept for the process: the words and their
translations are fixed in the code), the name cell and the unit once per row — the same HTML as the template wrote.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from borderdesk.core import vn
from borderdesk.core.templatetags.vn import lname, qualifier, unitname


@lru_cache(maxsize=64)
def _qualifier_options(language: str, selected: str) -> SafeString:
    words = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (key, mark_safe(" selected") if selected == key else "", qualifier(word))
            for key, word in vn.QUALIFIERS.items()
        ),
    )
    return format_html('<option value=""></option>{}', words)


def qualifier_options(selected) -> SafeString:
    """The ``<option>``s of a row's qualifier list, ``selected`` (a stored qualifier, or "") chosen."""
    return _qualifier_options(get_language() or "", selected or "")


def name_cell(indicator) -> SafeString:
    """The row's label and hint: name in the interface's language, description cut at 90 characters. The code is
    the catalogue's identifier (English words): in the markup (the field's name), not in the text a clerk reads."""
    description = indicator.description
    return format_html(
        '<label for="v_{}">{}</label>{}',
        indicator.code,
        lname(indicator),
        format_html('<div class="hint">{}</div>', Truncator(description).chars(90)) if description else "",
    )


def decorate(sections: list[dict], can_edit: bool) -> None:
    """Give each row of ``selectors.entry_sections`` its name cell, unit and (when editable) qualifier list."""
    for section in sections:
        for row in section["rows"]:
            row.name_cell = name_cell(row.indicator)
            row.unit_name = unitname(row.indicator.unit)
            if can_edit:
                row.qualifier_options = qualifier_options(row.value.qualifier if row.value else "")
