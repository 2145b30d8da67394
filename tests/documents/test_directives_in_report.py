"""The committee report accounts for last period's directives, including other bodies' conclusions.

A provincial Party Committee's standing board (or the Border Guard party committee with the district
party committees, seed 001) holds a conference without the steering committee; its conclusions on
border work are followed up in the province committee's next report, in their own paragraph.
"""

import datetime as dt

import pytest

from borderdesk.coordination import services as coord_services
from borderdesk.core.periods import parse_period
from borderdesk.documents import drafting, services
from borderdesk.org.models import Agency, Committee
from borderdesk.reporting.consolidation import consolidation_get

from .conftest import all_text, read_docx

pytestmark = pytest.mark.django_db


def _context(user, code: str, period: str, report_date: dt.date) -> dict:
    committee = Committee.objects.get(code=code)
    p = parse_period(period)
    inp = drafting.DraftInput(
        committee=committee,
        period=p,
        report_date=report_date,
        consolidation=consolidation_get(user=user, unit=committee.unit, period=p),
    )
    return drafting.build_context(user=user, inp=inp)


def test_seed_001_party_conclusions_are_followed_up_in_the_2024_report(users):
    ctx = _context(users["vanphong.ls"], "ls-bcdbg", "2024", dt.date(2025, 1, 6))
    party = ctx["directives"]["party_rows"]
    assert [r["date"] for r in party] == ["22/01/2024"] * 3
    assert party[0]["convener"] == "Đảng ủy Bộ đội Biên phòng tỉnh Lạng Sơn và Huyện ủy 5 huyện biên giới"
    assert "hoàn thành đúng hạn" in party[0]["status_text"]
    assert ctx["directives"]["stats"]["total"] == 3
    assert ctx["directives"]["rows"] == []  # the committee's own conferences: none in 2023-2024


def test_standing_board_conclusion_in_the_next_report(users):
    ls = Committee.objects.get(code="ls-bcdbg").unit
    conf = coord_services.conference_create(
        user=users["vanphong.ls"],
        unit=ls,
        kind="regular",
        date=dt.date(2025, 3, 3),
        convener="Ban Thường vụ Tỉnh ủy Lạng Sơn",
        title="Hội nghị Ban Thường vụ Tỉnh ủy nghe báo cáo công tác biên giới",
        directives=["Rà soát, hoàn thiện quy chế phối hợp quản lý cửa khẩu"],
    )
    owner = Agency.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")
    coord_services.task_create(
        user=users["vanphong.ls"],
        directive=conf.directives.get(),
        owner=owner,
        title="Trình dự thảo quy chế phối hợp quản lý cửa khẩu",
        deadline=dt.date(2025, 9, 30),
    )
    draft = services.draft_create(
        user=users["vanphong.ls"],
        committee=Committee.objects.get(code="ls-bcdbg"),
        period=parse_period("2025"),
        report_date=dt.date(2026, 1, 5),
    )
    text = all_text(read_docx(draft.docx))
    assert "Thực hiện kết luận, chỉ đạo của cấp ủy và các hội nghị phối hợp trên địa bàn tỉnh:" in text
    # one colon at most per sentence: the owner is the subject of the task, not a second label
    assert (
        "- Rà soát, hoàn thiện quy chế phối hợp quản lý cửa khẩu (Ban Thường vụ Tỉnh ủy Lạng Sơn, hội nghị "
        "ngày 03/03/2025). Kết quả thực hiện: Sở Ngoại vụ tỉnh Lạng Sơn trình dự thảo quy chế phối hợp quản lý "
        "cửa khẩu (quá hạn chưa hoàn thành)."
    ) in text
    assert "Tổng số 04 nhiệm vụ được giao" in text  # with the three of seed 001's conference (22/01/2024)


def test_other_province_party_conclusions_stay_out(users):
    sl = Committee.objects.get(code="sl-bcdbg").unit
    conf = coord_services.conference_create(
        user=users["vanphong.sl"],
        unit=sl,
        kind="regular",
        date=dt.date(2025, 3, 3),
        convener="Ban Thường vụ Tỉnh ủy Sơn La",
        title="Hội nghị Ban Thường vụ Tỉnh ủy Sơn La",
        directives=["Chỉ đạo riêng của Sơn La"],
    )
    assert conf.committee is None
    ctx = _context(users["vanphong.ls"], "ls-bcdbg", "2025", dt.date(2026, 1, 5))
    texts = [r["text"] for r in ctx["directives"]["party_rows"] + ctx["directives"]["rows"]]
    assert "Chỉ đạo riêng của Sơn La" not in texts
    ctx_sl = _context(users["vanphong.sl"], "sl-bcdbg", "2025", dt.date(2026, 1, 5))
    assert [r["text"] for r in ctx_sl["directives"]["party_rows"]] == ["Chỉ đạo riêng của Sơn La"]


def test_a_report_does_not_follow_up_directives_given_on_or_after_its_date(users):
    """The report presented at the 31/12/2025 review cannot account for that review's conclusions."""
    at_meeting = _context(users["vanphong.ls"], "ls-bcdbg", "C20251231", dt.date(2025, 12, 31))
    assert all(r["date"] != "31/12/2025" for r in at_meeting["directives"]["rows"])
    later = _context(users["vanphong.ls"], "ls-bcdbg", "C20251231", dt.date(2026, 1, 5))
    assert [r["number"] for r in later["directives"]["rows"] if r["date"] == "31/12/2025"] == ["1", "2", "3", "4"]
