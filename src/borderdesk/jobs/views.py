"""Pages of background jobs: a user's jobs and one job's progress, result or errors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from borderdesk.core import background
from borderdesk.core.errors import NotFoundError
from borderdesk.core.scoping import Action, get_for_user_or_404
from borderdesk.core.texts import Text

from . import exports, selectors, services
from .lists import JOBS
from .models import Job


def _is_admin(user) -> bool:
    return user.is_superuser or user.has_role("admin")


@login_required
def job_list(request):
    result = JOBS.page(
        request,
        selectors.jobs_for_user(user=request.user),
        columns=[
            (_("Công việc"), "title"),
            (_("Trạng thái"), "status"),
            (_("Tiến độ"), "", "num"),
            (_("Tạo lúc"), "created_at"),
        ],
    )
    return render(
        request,
        "jobs/list.html",
        {
            "page": result.page,
            "jobs": result.rows,
            "headers": result.headers,
            "querystring": result.querystring,
            "list_error": result.error,
            "maintenance": background.admin_kinds() if _is_admin(request.user) else [],
        },
        status=400 if result.error else 200,
    )


@login_required
@require_POST
def job_start(request, kind: str):
    """An administrator starts a maintenance job (one registered with an admin title)."""
    found = next((k for k in background.admin_kinds() if k.code == kind), None)
    if found is None or not _is_admin(request.user):
        raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))
    job = services.submit(user=request.user, kind_code=found.code, title=Text.of(found.admin_title))
    return redirect("jobs:detail", pk=job.pk)


@login_required
def job_detail(request, pk):
    job = get_for_user_or_404(Job.objects, request.user, pk=pk)
    selectors.notice_stale(job)
    return render(request, "jobs/detail.html", {"job": job})


@login_required
@require_POST
def changelog_export(request):
    """The change log page's "Xuất CSV": the filtered log written by a background job (any size; the tab may close)."""
    if not request.user.can(Action.AUDIT):
        raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))
    job = services.submit(
        user=request.user,
        kind_code=exports.CHANGELOG_EXPORT,
        title=Text(gettext_noop("Xuất nhật ký thay đổi (CSV)")),
        params=exports.changelog_params(request.POST),
    )
    return redirect("jobs:detail", pk=job.pk)


@login_required
def job_file(request, pk):
    """The file a finished job wrote (its owner or an administrator)."""
    job = get_for_user_or_404(Job.objects, request.user, pk=pk)
    return exports.file_response(job)
