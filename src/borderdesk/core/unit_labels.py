"""English labels for the units of measure used by the indicator catalogue (interface only).

Indicator units are data in Vietnamese ("lượt người", "xã"); the English interface shows them through
the message catalogue with the context "unit". Documents keep the Vietnamese unit. A unit not listed
here is shown as it is stored.
"""

from django.utils.translation import pgettext_lazy

UNIT_LABELS = {
    "buổi": pgettext_lazy("unit", "buổi"),
    "bánh": pgettext_lazy("unit", "bánh"),
    "bộ": pgettext_lazy("unit", "bộ"),
    "chợ": pgettext_lazy("unit", "chợ"),
    "cuộc": pgettext_lazy("unit", "cuộc"),
    "cá nhân": pgettext_lazy("unit", "cá nhân"),
    "cái": pgettext_lazy("unit", "cái"),
    "cặp": pgettext_lazy("unit", "cặp"),
    "cửa khẩu": pgettext_lazy("unit", "cửa khẩu"),
    "huyện": pgettext_lazy("unit", "huyện"),
    "hộ": pgettext_lazy("unit", "hộ"),
    "lượt": pgettext_lazy("unit", "lượt"),
    "lượt người": pgettext_lazy("unit", "lượt người"),
    "lượt xe/ngày": pgettext_lazy("unit", "lượt xe/ngày"),
    "lần": pgettext_lazy("unit", "lần"),
    "mốc": pgettext_lazy("unit", "mốc"),
    "người": pgettext_lazy("unit", "người"),
    "nhà": pgettext_lazy("unit", "nhà"),
    "nhân khẩu": pgettext_lazy("unit", "nhân khẩu"),
    "suất": pgettext_lazy("unit", "suất"),
    "tin": pgettext_lazy("unit", "tin"),
    "toa/ngày": pgettext_lazy("unit", "toa/ngày"),
    "tấn": pgettext_lazy("unit", "tấn"),
    "tập thể": pgettext_lazy("unit", "tập thể"),
    "tỉnh": pgettext_lazy("unit", "tỉnh"),
    "tổ": pgettext_lazy("unit", "tổ"),
    "tờ": pgettext_lazy("unit", "tờ"),
    "tờ khai": pgettext_lazy("unit", "tờ khai"),
    "viên": pgettext_lazy("unit", "viên"),
    "văn bản": pgettext_lazy("unit", "văn bản"),
    "văn kiện": pgettext_lazy("unit", "văn kiện"),
    "vụ": pgettext_lazy("unit", "vụ"),
    "xe": pgettext_lazy("unit", "xe"),
    "xã": pgettext_lazy("unit", "xã"),
    "đoàn": pgettext_lazy("unit", "đoàn"),
    "đường": pgettext_lazy("unit", "đường"),
    "đối tượng": pgettext_lazy("unit", "đối tượng"),
    "đồn": pgettext_lazy("unit", "đồn"),
    "đồng": pgettext_lazy("unit", "đồng"),
}


def unit_label(unit: str) -> str:
    """The unit in the current language ("lượt người" → "people" in English)."""
    label = UNIT_LABELS.get(unit)
    return str(label) if label is not None else unit
