"""The entry page's rows built in Python (reporting.entry_parts): the qualifier list with the stored word chosen,
the name cell and the unit, in Vietnamese and in English — what the template wrote before."""

from __future__ import annotations

import re

import pytest

from borderdesk.reporting import entry_parts, services
from borderdesk.reporting.models import Indicator
from tests.web.test_page_cache import _save_value

pytestmark = pytest.mark.django_db


def _row(html: str, code: str) -> str:
    start = html.index(f'<label for="v_{code}">')
    return html[start : html.index("</tr>", start)]


def test_the_entry_rows_show_the_stored_qualifier_chosen_and_the_indicator_s_name_and_unit(users, client):
    draft = _save_value(users, 40)
    services.submission_save(
        user=users["baocao.dongdang"], submission=draft, values={"PATROLS_BILATERAL": {"qualifier": "trên"}}
    )
    indicator = Indicator.objects.get(code="PATROLS_BILATERAL")
    client.force_login(users["baocao.dongdang"])
    row = _row(client.get(f"/bao-cao/nhap/{draft.pk}/").content.decode(), "PATROLS_BILATERAL")
    assert f'<label for="v_PATROLS_BILATERAL">{indicator.name_vi}</label>' in row
    assert f'<td data-label="Đơn vị tính">{indicator.unit}</td>' in row
    assert re.findall(r"<option [^>]*selected>([^<]*)<", row) == ["trên"]
    assert row.count("<option") == 13 and 'aria-label="Từ định lượng"' in row and 'aria-label="Ghi chú"' in row
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _row(client.get(f"/bao-cao/nhap/{draft.pk}/").content.decode(), "PATROLS_BILATERAL")
    assert re.findall(r"<option [^>]*selected>([^<]*)<", english) == ["over"]
    assert 'aria-label="Notes"' in english and "Bilateral patrols" in english


def test_a_long_description_is_cut_at_90_characters_and_escaped():
    indicator = Indicator(code="X_1", name_vi="Số <lượt>", description="Mô tả " + "dài " * 40)
    cell = entry_parts.name_cell(indicator)
    assert cell.startswith('<label for="v_X_1">Số &lt;lượt&gt;</label><div class="hint">Mô tả dài')
    assert len(cell.split('<div class="hint">', 1)[1].removesuffix("</div>")) == 90


def test_the_entry_page_shows_no_indicator_code(users, client):
    """Codes (PATROLS_BILATERAL...) are English words of the catalogue, not something a clerk reads: the page names
    each indicator in the interface's language and keeps the code in the markup only (field names, anchors)."""
    draft = _save_value(users, 40)
    client.force_login(users["baocao.dongdang"])
    html = client.get(f"/bao-cao/nhap/{draft.pk}/").content.decode()
    text = re.sub(r"<[^>]*>", " ", html[html.index("<main") :])
    codes = set(Indicator.objects.values_list("code", flat=True))
    assert not codes & set(re.findall(r"[A-Z][A-Z0-9_]{2,}", text))
