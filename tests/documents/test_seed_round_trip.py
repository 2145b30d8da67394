"""Issue 13, point 6: the seeds round trip.

For each of the five seed articles, every figure the demo records from it (the data values of the
submissions whose source names the seed) and every point of its narratives is looked up in the report
drafted for that committee and period, read back from the .docx. The test builds the table "seed,
indicator, figure as written, paragraph of the report" and fails listing every figure it cannot find.
"""

import datetime as dt
import re

import pytest

from borderdesk.core import vn
from borderdesk.core.periods import parse_period
from borderdesk.documents import services
from borderdesk.documents.narrative import points
from borderdesk.org.models import Committee
from borderdesk.reporting.models import DataValue, Narrative, Submission

from .conftest import read_docx

pytestmark = pytest.mark.django_db

#: seed → (committee code, period key, report date): the report each article's figures end up in.
SEEDS = {
    "seed 000": ("ls-bcdbg", "2021H1", dt.date(2021, 6, 24)),
    "seed 001": ("ls-bcdbg", "2023", dt.date(2024, 1, 22)),
    "seed 002": ("sl-bcdbg", "2020H1", dt.date(2020, 6, 26)),
    "seed 003": ("sl-bcdbg", "C20230804", dt.date(2023, 8, 4)),
    "seed 004": ("ls-bcdbg", "2025", dt.date(2026, 1, 5)),
}


def _written_forms(dv) -> list[str]:
    """How a report may write the figure: "hơn 300 buổi", "trên 86 tỷ USD", "05 huyện", "03 văn kiện"."""
    unit = dv.indicator.unit or ""
    forms = [vn.format_with_qualifier(dv.value, unit, dv.qualifier or None)]
    if not dv.qualifier and dv.value == dv.value.to_integral_value() and dv.value < 10:
        forms.insert(0, f"{vn.zero_pad_count(dv.value)} ")  # counts below ten: "05 huyện", "03 văn kiện"
    return forms


def _paragraphs(draft) -> list[str]:
    d = read_docx(draft.docx)
    return [p.text for p in d.paragraphs if p.text.strip()]


def _table(users) -> tuple[list[tuple], list[str]]:
    rows, missing = [], []
    for seed, (code, key, date) in SEEDS.items():
        subs = Submission.objects.filter(source__startswith=seed)
        assert subs.exists(), f"{seed}: the demo records nothing from it"
        committee = Committee.objects.get(code=code)
        user = users["vanphong.ls"] if code.startswith("ls") else users["vanphong.sl"]
        draft = services.draft_create(user=user, committee=committee, period=parse_period(key), report_date=date)
        paras = _paragraphs(draft)
        for dv in (
            DataValue.objects.filter(submission__in=subs, value__isnull=False)
            .select_related("indicator")
            .order_by("indicator__code")
        ):
            found = next(((form, p) for form in _written_forms(dv) for p in paras if form in p), None)
            if found is None:
                missing.append(f"{seed} {dv.indicator.code} = {_written_forms(dv)[0]}")
            else:
                rows.append((seed, dv.indicator.code, found[0].strip(), found[1]))
        for n in Narrative.objects.filter(submission__in=subs).exclude(text=""):
            for point in points(n.text):
                words = re.sub(r"[“”\"]", "", point)[:60].lower()  # a merged point may lose its capital
                p = next((p for p in paras if words in re.sub(r"[“”\"]", "", p).lower()), None)
                if p is None:
                    missing.append(f"{seed} narrative {n.section}: {point[:60]}…")
                else:
                    rows.append((seed, f"narrative/{n.section}", point[:40], p))
    return rows, missing


def test_every_seed_figure_is_in_the_drafted_report(users):
    rows, missing = _table(users)
    assert not missing, "\n".join(missing)
    by_seed = {s: [r for r in rows if r[0] == s] for s in SEEDS}
    assert all(by_seed.values()), {s: len(r) for s, r in by_seed.items()}
    figures = {(r[0], r[1]): r[2] for r in rows}
    # a few of the table's rows, as the articles state them
    assert figures[("seed 001", "SELF_MGMT_HOUSEHOLDS")] == "885 hộ"
    assert figures[("seed 001", "PROPAGANDA_SESSIONS")] == "hơn 300 buổi"
    assert figures[("seed 003", "PERSONS_EXIT")] == "trên 23.000 lượt người"
    assert figures[("seed 004", "TRADE_VALUE_TOTAL_USD")] == "trên 86 tỷ USD"
    assert figures[("seed 000", "LEGAL_DOCUMENTS_IMPLEMENTED")] == "03"
