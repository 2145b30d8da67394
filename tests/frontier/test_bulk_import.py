"""Registry imports at bulk speed and as background jobs (issue 14): queries independent of the row count,
unchanged rows write and log nothing, updates logged with before/after, all or nothing (also when the
job dies in the middle of the write), progress in rows, errors naming row and value."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from borderdesk.core.models import ChangeLogEntry
from borderdesk.core.registry import bulk_save as registry_bulk
from borderdesk.frontier.models import Incident, IncidentUpdate, Patrol
from borderdesk.frontier.registries import incidents, patrols
from borderdesk.jobs import services as job_services
from borderdesk.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db

HEADER = "kind,started_at,ended_at,agency,counterpart_unit,participants,km,findings\n"


def _rows(n, agency, start=0):
    return "".join(
        f"unilateral,{1 + (i % 28):02d}/03/2025 08:00,{1 + (i % 28):02d}/03/2025 12:00,{agency},,"
        f'{3 + i % 9},"{i % 7},5",Tuần tra thử {i}\n'
        for i in range(start, start + n)
    )


def _file(text, name="p.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"))


def _count_queries(user, text):
    with CaptureQueriesContext(connection) as q:
        result = patrols.run_import(user=user, uploaded=_file(text))
    assert result.ok, result.errors[:3]
    return len(q.captured_queries), result


def test_queries_do_not_grow_with_rows(users, world, station):
    user = users["vanphong.ls"]
    small, r1 = _count_queries(user, HEADER + _rows(20, station.pk))
    large, r2 = _count_queries(user, HEADER + _rows(200, station.pk, start=20))
    assert (r1.created, r2.created) == (20, 200)
    # Per table and per batch, never per row: SQLite splits a bulk INSERT by its 999-parameter limit (~45 patrols).
    assert large <= small + 200 // 45, (small, large)
    assert large < 40


def test_update_by_id_logs_before_after_and_unchanged_rows_write_nothing(users, world, station):
    user = users["vanphong.ls"]
    patrols.run_import(user=user, uploaded=_file(HEADER + _rows(3, station.pk)))
    ids = sorted(Patrol.objects.filter(findings__startswith="Tuần tra thử").values_list("pk", flat=True))
    versions = dict(Patrol.objects.filter(pk__in=ids).values_list("pk", "version"))
    text = "id,participants,findings\n" + "".join(
        f"{pk},{40 if n == 0 else Patrol.objects.get(pk=pk).participants},{Patrol.objects.get(pk=pk).findings}\n"
        for n, pk in enumerate(ids)
    )
    log = ChangeLogEntry.objects.count()
    result = patrols.run_import(user=user, uploaded=_file(text))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert ChangeLogEntry.objects.count() == log + 1
    entry = ChangeLogEntry.objects.order_by("-pk").first()
    assert entry.action == "update" and entry.object_id == str(ids[0])
    assert entry.after["participants"] == 40 and entry.before["participants"] != 40
    assert Patrol.objects.get(pk=ids[0]).version == versions[ids[0]] + 1
    assert Patrol.objects.get(pk=ids[1]).version == versions[ids[1]]


def test_errors_name_row_and_value_and_nothing_is_written(users, world, station):
    user = users["vanphong.ls"]
    n = Patrol.objects.count()
    text = (
        HEADER
        + _rows(5, station.pk)
        + f"unilateral,31/02/2025,,{station.pk},,3,1,x\n"
        + "unilateral,02/03/2025 08:00,,999999,,3,1,x\n"
    )
    result = patrols.run_import(user=user, uploaded=_file(text))
    errors = {(e.row, e.field): e.message for e in result.errors}
    assert "31/02/2025" in errors[(7, "started_at")]
    assert "999999" in errors[(8, "agency")]
    assert Patrol.objects.count() == n


def test_new_incidents_start_their_timeline_in_bulk(users, world):
    user = users["vanphong.ls"]
    from borderdesk.core.registry import tabular

    template = tabular.write_csv(tabular.export_rows(incidents.queryset(user).order_by("pk")[:2], incidents.form_class))
    lines = template.decode("utf-8-sig").splitlines()
    new_rows = ["," + line.split(",", 1)[1] for line in lines[1:]]  # the same incidents without their id: new ones
    n = Incident.objects.count()
    result = incidents.run_import(user=user, uploaded=_file("\n".join([lines[0], *new_rows]) + "\n"))
    assert result.ok and result.created == len(new_rows), result.errors[:3]
    created = Incident.objects.order_by("-pk")[: len(new_rows)]
    assert Incident.objects.count() == n + len(new_rows)
    assert all(IncidentUpdate.objects.filter(incident=i, status="reported").count() == 1 for i in created)


def test_page_runs_the_import_as_a_job_with_progress(client, users, world, station):
    user = users["vanphong.ls"]
    client.force_login(user)
    n = Patrol.objects.count()
    r = client.post("/bien-gioi/tuan-tra/nhap/", {"file": _file(HEADER + _rows(450, station.pk)), "background": "1"})
    assert r.status_code == 302 and "/cong-viec/" in r["Location"]
    job = Job.objects.order_by("-created_at").first()
    assert job.status == JobStatus.DONE, (job.message, job.errors[:3])
    assert (job.done, job.total) == (450, 450) and job.result["created"] == 450
    assert Patrol.objects.count() == n + 450
    page = client.get(r["Location"]).content.decode()
    assert "450 dòng thêm mới" in page


def test_job_with_errors_fails_with_rows_and_values(client, users, world, station):
    client.force_login(users["vanphong.ls"])
    n = Patrol.objects.count()
    client.post(
        "/bien-gioi/tuan-tra/nhap/",
        {"file": _file(HEADER + _rows(3, station.pk) + "khong-co,02/03/2025 08:00,,1,,3,1,x\n"), "background": "1"},
    )
    job = Job.objects.order_by("-created_at").first()
    assert job.status == JobStatus.FAILED and Patrol.objects.count() == n
    assert any(e["line"] == 5 and "khong-co" in e["message"] for e in job.errors), job.errors


def test_a_job_dying_in_the_write_leaves_nothing_and_its_retry_is_safe(client, users, world, station, monkeypatch):
    client.force_login(users["vanphong.ls"])
    n, log = Patrol.objects.count(), ChangeLogEntry.objects.count()
    real = registry_bulk.record_changes_bulk

    def dies(**kwargs):  # after the rows were inserted, before the change log: the worker is killed here
        raise SystemExit("killed")

    monkeypatch.setattr(registry_bulk, "record_changes_bulk", dies)
    user = users["vanphong.ls"]
    job = Job.objects.create(
        kind="jobs.registry_import",
        title="Nhập thử",
        created_by=user,
        params={"registry": patrols.key, "file_name": "p.csv"},
        input_path=job_services.store_input(_file(HEADER + _rows(30, station.pk))),
    )
    with pytest.raises(SystemExit):
        job_services.run(str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # what a killed worker leaves behind
    assert Patrol.objects.count() == n  # the transaction never committed
    monkeypatch.setattr(registry_bulk, "record_changes_bulk", real)
    assert job_services.run(str(job.pk)) == JobStatus.DONE  # the retry (recover_stale runs it again)
    assert Patrol.objects.count() == n + 30
    assert ChangeLogEntry.objects.filter(content_type__model="patrol").count() >= 30
    assert ChangeLogEntry.objects.count() > log


def test_api_import_in_the_background_and_in_the_request(client, users, world, station):
    client.force_login(users["vanphong.ls"])
    n = Patrol.objects.count()
    r = client.post(
        "/api/frontier/patrols/import?file_name=p.csv&background=true",
        data=(HEADER + _rows(12, station.pk)).encode(),
        content_type="text/csv",
    )
    assert r.status_code == 202, r.content
    job = client.get(r.json()["url"]).json()
    assert job["status"] == "done" and job["done"] == 12 and job["total"] == 12 and job["result"]["created"] == 12
    bad = client.post(
        "/api/frontier/patrols/import?file_name=p.csv", data=(HEADER + "x,,,,,,,\n").encode(), content_type="text/csv"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["row"] == 2
    assert Patrol.objects.count() == n + 12
