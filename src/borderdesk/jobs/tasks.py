"""The one task the queue knows: run a Job by id (the handler is chosen by the job's kind)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: str) -> str:
    from . import services

    return services.run(job_id)
