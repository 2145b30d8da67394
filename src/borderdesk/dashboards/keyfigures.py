"""A dashboard's key figure: value, same period last year, plan, the source it comes from and where it links.

The base of the dashboards' modules (selectors, figures, national import it; it imports none of them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
#: slug -> (label, unit of measure, higher is better)
FIGURES = {
    "crossings": (_("Lượt người xuất, nhập cảnh"), "lượt người", None),
    "trade": (_("Kim ngạch xuất nhập khẩu"), "USD", True),
    "patrols": (_("Lượt tuần tra"), "lượt", True),
    "incidents": (_("Vụ việc trên biên giới"), "vụ", False),
    "markers": (_("Mốc cần sửa chữa"), "mốc", False),
    "self_mgmt": (_("Hộ tham gia tự quản đường biên, mốc giới"), "%", True),
    "completeness": (_("Báo cáo đã nhận"), "%", True),
}
#: The source names of `documents.sources` (registry / approved / submitted), in the interface's words.
SOURCE_BADGES = {
    "registry": _("sổ theo dõi"),
    "approved": _("báo cáo đã duyệt"),
    "submitted": _("báo cáo đã gửi, chưa duyệt"),
}


@dataclass
class KeyFigure:
    slug: str
    label: object
    unit: str
    value: Decimal | None = None
    previous: Decimal | None = None
    plan: Decimal | None = None
    url: str = ""
    source: str = ""  # documents.sources: registry / approved / submitted; "mixed" when parts differ
    higher_is_better: bool | None = None
    others: dict = field(default_factory=dict)  # another source → the value it states, when different
    expected: int = 0  # report completeness: reports expected and missing in the period
    missing: int = 0

    @property
    def from_registry(self) -> bool:
        return self.source == "registry"

    @property
    def source_label(self):
        return SOURCE_BADGES.get(self.source, _("nhiều nguồn") if self.source == "mixed" else "")

    @property
    def other_sources(self) -> list[tuple[str, str]]:
        """[(source label, value as that source states it)] for the sources that state it differently."""
        return [(str(SOURCE_BADGES.get(k, k)), v) for k, v in self.others.items()]

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"

    @property
    def trend(self) -> str:
        if self.value is None or self.previous is None or self.value == self.previous or self.higher_is_better is None:
            return ""
        return "good" if (self.value > self.previous) == self.higher_is_better else "bad"

    @property
    def plan_pct(self) -> Decimal | None:
        return self.value * HUNDRED / self.plan if self.value is not None and self.plan else None


def _sum(*values):
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _rate(part, whole):
    return (part * HUNDRED / whole).quantize(Decimal("0.1")) if part is not None and whole else None


def consolidation_url(unit, period, form_code: str = "") -> str:
    q = {"don_vi": unit.pk, "ky": period.key}
    if getattr(period, "window_rule", "decree09") != "decree09":
        q["quy_tac"] = period.window_rule
    if form_code:
        q["bieu"] = form_code
    return reverse("reporting:consolidated") + "?" + urlencode(q)


def completeness_url(unit, period) -> str:
    return (
        reverse("reporting:completeness") + "?" + urlencode({"don_vi": unit.pk, "nam": period.end.year, "bieu": "all"})
    )
