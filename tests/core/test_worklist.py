"""The home page is a work list per role: due, late, returned, awaiting my approval, overdue tasks, reminders."""

import datetime as dt

import pytest

from borderdesk.core.worklist import collect
from borderdesk.org.models import AdministrativeUnit
from borderdesk.reporting import services, workflow
from borderdesk.reporting.models import ReportForm, Submission

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 5, 20)  # decree09 May 2026 runs 15/04–14/05; its deadline is 18/05 (two working days)


def _sections(user, day=DAY):
    return {kind: items for kind, _h, items in collect(user, day)}


def _dd():
    return AdministrativeUnit.objects.valid_on(DAY).get(name="Xã Đồng Đăng")


def test_reporter_sees_late_due_and_coming_reports_with_a_way_to_act(users, client):
    reporter = users["baocao.dongdang"]
    s = _sections(reporter)
    late = [i for i in s["late"] if "Xã Đồng Đăng" in i.detail]
    assert [i.detail for i in late][-1] == "Xã Đồng Đăng — tháng 5/2026"
    assert late[-1].day == dt.date(2026, 5, 18) and late[-1].post == {
        "form": "bc-xa-thang",
        "period": "2026M05",
        "reporter": f"u:{_dd().pk}",
    }
    assert "reminder" not in s  # June's deadline (16/06) is more than two weeks away
    reminders = _sections(reporter, dt.date(2026, 6, 5))["reminder"]
    assert [(i.detail, i.day) for i in reminders] == [("Xã Đồng Đăng — tháng 6/2026", dt.date(2026, 6, 16))]
    assert "approve" not in s and "missing" not in s
    # Following the item opens the report; once it is sent, the item goes.
    client.force_login(reporter)
    r = client.post(late[-1].url, late[-1].post)
    assert r.status_code == 302 and "/bao-cao/nhap/" in r["Location"]
    sub = Submission.objects.get(form__code="bc-xa-thang", unit=_dd(), period_key="2026M05")
    assert any(i.url.endswith(f"/nhap/{sub.pk}/") for i in _sections(reporter)["late"])
    services.submission_save(user=reporter, submission=sub, values={"PATROLS_BILATERAL": {"value": "4"}})
    workflow.submission_submit(user=reporter, submission=sub, enforce_lock=False)
    assert not any("tháng 5/2026" in i.detail for i in _sections(reporter)["late"])
    # Before the deadline the same report is "due", not late.
    due = _sections(reporter, dt.date(2026, 6, 16))["due"]
    assert [i.detail for i in due] == ["Xã Đồng Đăng — tháng 6/2026"]


def test_approver_sees_reports_waiting_and_units_not_reporting(users):
    s = _sections(users["duyet.ls"])
    assert s["approve"] and all(i.action == "Duyệt" and "/bao-cao/nhap/" in i.url for i in s["approve"])
    missing = s["missing"]
    assert missing[0].url.startswith("/bao-cao/day-du/?don_vi=") and "chưa gửi" in missing[0].detail
    assert "late" not in s  # an approver reports nothing itself
    assert "approve" not in _sections(users["baocao.dongdang"])


def test_returned_report_is_the_reporters_work_only(users):
    office, reporter = users["vanphong.ls"], users["baocao.dongdang"]
    form = ReportForm.objects.get(code="bc-xa-thang")
    sub = services.submission_get_or_create(user=reporter, form=form, period_key="2026M04", unit=_dd())
    services.submission_save(user=reporter, submission=sub, values={"PATROLS_BILATERAL": {"value": "4"}})
    workflow.submission_submit(user=reporter, submission=sub, enforce_lock=False)
    workflow.submission_return(user=office, submission=sub, reason="Thiếu số lượt tuần tra")
    returned = _sections(reporter)["returned"]
    assert [i.detail for i in returned] == ["Xã Đồng Đăng — tháng 4/2026. Lý do: Thiếu số lượt tuần tra"]
    assert "returned" not in _sections(users["baocao.quockhanh"])
    assert "returned" not in _sections(office)


def test_overdue_tasks_and_coming_task_deadlines(users):
    s = _sections(users["vanphong.ls"], dt.date(2026, 6, 25))
    assert s["task_overdue"] and all("/hoi-nghi/nhiem-vu/" in i.url for i in s["task_overdue"])
    assert any(i.day == dt.date(2026, 6, 30) for i in s["reminder"])  # due within the week


def test_home_page_lists_the_work_in_both_languages(login, users, django_assert_max_num_queries):
    c = login(users["baocao.dongdang"])
    with django_assert_max_num_queries(40):
        page = c.get("/").content.decode()
    # Demo reports stop in 2025: whatever today is, the last months' reports are overdue.
    assert 'id="viec-can-lam"' in page and "Quá hạn báo cáo" in page and "Lập báo cáo" in page
    c.cookies["django_language"] = "en"
    page = c.get("/").content.decode()
    assert "Overdue reports" in page and "Start the report" in page
    c = login(users["vanphong.ls"])
    with django_assert_max_num_queries(80):
        assert c.get("/").status_code == 200


def test_a_draft_long_past_its_deadline_is_late_not_being_written(users):
    """A draft whose deadline passed more than LATE_DAYS ago was listed under "Đang soạn" with its period's end:
    it is late, listed with its deadline."""
    reporter = users["baocao.dongdang"]
    form = ReportForm.objects.get(code="bc-xa-thang")
    sub = Submission.objects.get(form=form, period_key="2026M01", unit=_dd())  # the demo's (deadline 16/01)
    assert sub.status == "draft"
    s = _sections(reporter)
    mine = [i for k in s for i in s[k] if i.url.endswith(f"/nhap/{sub.pk}/")]
    assert [(i.kind, i.detail, i.day) for i in mine] == [("late", "Xã Đồng Đăng — tháng 1/2026", dt.date(2026, 1, 16))]
    # A draft of a period still running stays "being written".
    running = services.submission_get_or_create(user=reporter, form=form, period_key="2026M06", unit=_dd())
    s = _sections(reporter)
    assert [i.kind for k in s for i in s[k] if i.url.endswith(f"/nhap/{running.pk}/")] == ["draft"]
