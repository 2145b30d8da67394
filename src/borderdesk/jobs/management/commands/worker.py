"""`borderdesk worker`: run background jobs (several workers, on several machines, may share a database)."""

from __future__ import annotations

import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection


class Command(BaseCommand):
    help = "Chạy các công việc nền (nhập tệp lớn, dựng lại số liệu tổng hợp...). Run background jobs."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of an empty queue")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")

    def handle(self, *args, interval: float, batch: bool, **options):
        from borderdesk.jobs.services import STALE_AFTER, recover_stale, schedule_due

        recovered = recover_stale()
        if recovered:
            self.stdout.write(f"restarted {len(recovered)} interrupted job(s)")
        if not batch:
            schedule_due()
        stop = threading.Event()

        def watch():
            while not stop.wait(min(30.0, max(10.0, STALE_AFTER.total_seconds() / 4))):
                try:
                    close_old_connections()
                    recover_stale()
                    schedule_due()  # daily jobs (reminders) whose time has come
                except Exception:  # noqa: BLE001 — the next round tries again
                    pass
            connection.close()

        watcher = threading.Thread(target=watch, name="job-recovery", daemon=True)
        watcher.start()
        try:
            call_command(
                "db_worker",
                interval=interval,
                batch=batch,
                reload=False,
                startup_delay=not batch,
                verbosity=options.get("verbosity", 1),
            )
        finally:
            stop.set()
