"""Conferences, directives and tasks (QĐ 42 statuses), commendations and agreements."""

import datetime as dt

import pytest

from borderdesk.coordination import selectors, services
from borderdesk.coordination.choices import TaskStatus
from borderdesk.coordination.models import Agreement, Conference, Task, task_status
from borderdesk.core.errors import ApplicationError, NotFoundError
from borderdesk.core.models import ChangeLogEntry
from borderdesk.org.models import Agency, Committee

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    "deadline,regular,done,today,expected",
    [
        (D(2026, 1, 31), False, D(2026, 1, 30), D(2026, 2, 5), TaskStatus.DONE_ON_TIME),
        (D(2026, 1, 31), False, D(2026, 1, 31), D(2026, 2, 5), TaskStatus.DONE_ON_TIME),
        (D(2026, 1, 31), False, D(2026, 2, 1), D(2026, 2, 5), TaskStatus.DONE_LATE),
        (D(2026, 1, 31), False, None, D(2026, 1, 31), TaskStatus.OPEN_IN_TERM),
        (D(2026, 1, 31), False, None, D(2026, 2, 1), TaskStatus.OVERDUE),
        (None, True, None, D(2030, 1, 1), TaskStatus.OPEN_IN_TERM),
        (None, True, D(2026, 3, 1), D(2026, 3, 2), TaskStatus.DONE_ON_TIME),
        (D(2026, 1, 31), False, D(2026, 3, 1), D(2026, 2, 15), TaskStatus.OVERDUE),  # done later than "today"
    ],
)
def test_qd42_status(deadline, regular, done, today, expected):
    assert task_status(deadline=deadline, is_regular=regular, done_on=done, today=today) == expected


def test_status_filter_in_database_matches_python(users):
    today = D(2024, 8, 1)
    all_tasks = list(selectors.tasks_for_user(user=users["admin"]))
    for status in TaskStatus:
        in_db = set(
            selectors.tasks_for_user(user=users["admin"], status=status, today=today).values_list("pk", flat=True)
        )
        in_py = {t.pk for t in all_tasks if t.status_on(today) == status}
        assert in_db == in_py, status


def test_seed_conferences_and_directives(users):
    c = Conference.objects.get(date=D(2025, 12, 31))
    assert c.chair == "Đinh Hữu Học" and c.kind == "review_year"
    assert "cửa khẩu thông minh" in c.directives.get(number=4).text
    assert "seed 004" in c.source
    sl = Conference.objects.get(date=D(2020, 6, 26))
    recon = sl.decisions.get(kind="reconstitute")
    assert recon.memberships.filter(person__full_name="Tráng Thị Xuân").exists()


def test_commendation_counts_seed_004(users):
    conf = Conference.objects.get(date=D(2025, 12, 31))
    counts = selectors.commendation_counts(user=users["vanphong.ls"], conference=conf)
    assert [(c.collectives, c.individuals) for c in counts] == [(4, 6), (7, 7)]
    assert counts[0].kind_name == "Bằng khen của Chủ tịch UBND tỉnh"
    # Sơn La's standing office sees none of them.
    assert selectors.commendation_counts(user=users["vanphong.sl"], conference=conf) == []


def test_agreement_seed_001(users):
    a2024 = Agreement.objects.get(year=2024)
    assert a2024.signed_on == D(2024, 1, 22)
    assert a2024.parties.count() == 6
    assert a2024.previous.year == 2023 and a2024.previous.review_date == D(2024, 1, 22)
    assert a2024.previous.review_conference == a2024.signing_conference


def test_task_deadline_before_conference_is_refused_and_nothing_saved(users):
    conf = Conference.objects.get(date=D(2025, 12, 31))
    owner = Agency.objects.get(name="Sở Ngoại vụ tỉnh Lạng Sơn")
    before = Task.objects.count()
    with pytest.raises(ApplicationError, match="trước ngày hội nghị giao nhiệm vụ \\(31/12/2025\\)"):
        services.task_create(
            user=users["vanphong.ls"],
            directive=conf.directives.first(),
            title="X",
            owner=owner,
            deadline=D(2025, 12, 1),
        )
    with pytest.raises(ApplicationError, match="thường xuyên"):
        services.task_create(user=users["vanphong.ls"], directive=conf.directives.first(), title="X", owner=owner)
    assert Task.objects.count() == before


def test_progress_update_with_evidence_completes_task_and_logs(users):
    task = Task.objects.get(title__startswith="Xây dựng kế hoạch giao lưu")
    with pytest.raises(ApplicationError, match="minh chứng"):
        services.task_update_add(user=users["vanphong.ls"], task=task, text="Xong", marks_done=True)
    services.task_update_add(
        user=users["vanphong.ls"],
        task=task,
        text="Đã ban hành kế hoạch",
        date=D(2026, 2, 3),
        evidence_note="Kế hoạch số 12/KH-SNGV ngày 03/02/2026",
        marks_done=True,
    )
    task.refresh_from_db()
    assert task.done_on == D(2026, 2, 3)
    assert task.status_on(D(2026, 3, 1)) == TaskStatus.DONE_LATE
    assert ChangeLogEntry.objects.filter(object_id=str(task.pk), action="complete").exists()


def test_scope_other_province_cannot_write(users):
    conf = Conference.objects.get(date=D(2025, 12, 31))
    with pytest.raises(NotFoundError):
        services.directive_create(user=users["vanphong.sl"], conference=conf, text="X")
    with pytest.raises(NotFoundError):
        services.conference_create(
            user=users["lanhdao.ls"],
            committee=Committee.objects.get(code="ls-bcdbg"),
            kind="regular",
            title="Họp",
            date=D(2026, 2, 1),
        )


def test_conference_create_with_directives(users):
    c = services.conference_create(
        user=users["vanphong.ls"],
        committee=Committee.objects.get(code="ls-bcdbg"),
        kind="briefing",
        title="Hội nghị giao ban công tác biên giới",
        session_number=15,
        date=D(2026, 3, 10),
        directives=["Một", "", "Hai"],
    )
    assert c.unit.name == "Tỉnh Lạng Sơn"
    assert c.display_title.endswith("lần thứ XV")
    assert list(c.directives.values_list("number", "text")) == [(1, "Một"), (2, "Hai")]


def test_statistics_and_reminders(users):
    stats = selectors.task_statistics(
        user=users["vanphong.ls"], start=D(2024, 1, 1), end=D(2024, 12, 31), today=D(2025, 1, 5)
    )
    assert stats.total == 3
    assert stats.count(TaskStatus.DONE_ON_TIME) == 1 and stats.count(TaskStatus.DONE_LATE) == 1
    assert stats.count(TaskStatus.OVERDUE) == 1
    due, overdue = selectors.reminders(user=users["vanphong.ls"], today=D(2026, 1, 25), within_days=10)
    assert [t.title for t in due] == ["Xây dựng kế hoạch giao lưu, hợp tác với Quảng Tây năm 2026"]
    assert any("buôn lậu" in t.title for t in overdue)


def test_send_reminders_by_email(users, settings):
    from django.core import mail
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    u = users["vanphong.ls"]
    u.email = "vp@example.org"
    u.save()
    call_command("send_reminders", "--date", "2026-01-25", "--days", "10")
    assert len(mail.outbox) == 1 and "Quảng Tây" in mail.outbox[0].body
