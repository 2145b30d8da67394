"""core.texts.Text: a text kept as the catalogue's text and its parameters, translated when read."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy, pgettext_lazy

from borderdesk.core.texts import Text


def test_a_text_reads_in_the_active_language_after_a_round_trip_through_json():
    text = Text("Nhập %(what)s từ tệp %(file)s", {"what": gettext_lazy("Cửa khẩu"), "file": "ck.csv"})
    stored = Text.from_json(text.as_json())
    assert stored.as_json() == {
        "msgid": "Nhập %(what)s từ tệp %(file)s",
        "params": {"what": {"msgid": "Cửa khẩu"}, "file": "ck.csv"},
    }
    with translation.override("vi"):
        assert str(stored) == "Nhập Cửa khẩu từ tệp ck.csv"
    with translation.override("en"):
        assert str(stored).endswith("ck.csv") and "Nhập" not in str(stored) and "Cửa khẩu" not in str(stored)
    assert stored.in_vietnamese() == "Nhập Cửa khẩu từ tệp ck.csv"


def test_a_lazy_string_keeps_its_msgid_and_context():
    assert Text.of(gettext_lazy("Xuất nhật ký thay đổi (CSV)")) == Text("Xuất nhật ký thay đổi (CSV)")
    assert Text.of(pgettext_lazy("change log", "đối tượng")) == Text("đối tượng", context="change log")
    assert Text.of("một câu không có trong danh mục").in_vietnamese() == "một câu không có trong danh mục"


def test_a_period_parameter_reads_in_the_readers_language():
    from borderdesk.core.periods import parse_period

    text = Text.from_json(
        Text("Soạn báo cáo %(period)s cho %(n)s ban chỉ đạo", {"period": parse_period("2025Q3"), "n": 2}).as_json()
    )
    assert text.as_json()["params"] == {"period": {"period": "2025Q3"}, "n": 2}
    assert text.in_vietnamese() == "Soạn báo cáo quý III/2025 cho 2 ban chỉ đạo"
    with translation.override("en"):
        assert str(text) == "Draft the Q3 2025 report for 2 steering committees"
