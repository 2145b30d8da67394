"""Pages of background jobs: a user's jobs and one job's progress, result or errors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from borderdesk.core.scoping import get_for_user_or_404

from . import selectors
from .models import Job


@login_required
def job_list(request):
    return render(request, "jobs/list.html", {"jobs": selectors.jobs_for_user(user=request.user)[:100]})


@login_required
def job_detail(request, pk):
    job = get_for_user_or_404(Job.objects, request.user, pk=pk)
    selectors.notice_stale(job)
    return render(request, "jobs/detail.html", {"job": job})
