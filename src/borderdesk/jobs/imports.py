"""Registry imports (CSV/XLSX) as background jobs: progress in rows, all or nothing, safe to run again.

The page's "Chạy nền" and `POST /api/<registry>/import?background=true` keep the file and submit a job; the
job runs the registry's own import (`Registry.run_import`: the same validation and save path as the page)
inside one transaction, so a job killed midway has written nothing and its retry starts from scratch.
"""

from __future__ import annotations

from django.core.files import File
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from borderdesk.core import vn
from borderdesk.core.background import JobError, register
from borderdesk.core.errors import ApplicationError
from borderdesk.core.registry import views as registry_views
from borderdesk.core.texts import Text

from . import services

REGISTRY_IMPORT = "jobs.registry_import"


def submit_registry_import(*, user, registry, uploaded) -> str:
    """Keep the upload and queue the job; returns the job page's address."""
    job = services.submit(
        user=user,
        kind_code=REGISTRY_IMPORT,
        title=Text(
            gettext_noop("Nhập %(what)s từ tệp %(file)s"), {"what": registry.title, "file": uploaded.name[:150]}
        ),
        params={"registry": registry.key, "file_name": uploaded.name[:255]},
        input_path=services.store_input(uploaded),
    )
    return reverse("jobs:detail", args=[job.pk])


def registry_import(job, progress) -> dict:
    user = job.created_by
    if user is None or not user.is_active:
        raise JobError(_("Tài khoản gửi tệp không còn hoạt động."))
    registry = registry_views.registry_by_key(job.params.get("registry", ""))
    if registry is None:
        raise JobError(_("Không tìm thấy danh mục cần nhập."))
    name = job.params.get("file_name", "") or "import.csv"
    try:
        with open(job.input_path, "rb") as fh:
            result = registry.run_import(user=user, uploaded=File(fh, name=name), filename=name, progress=progress)
    except ApplicationError as exc:  # the whole file refused (columns, size, format)
        raise JobError(exc.message) from None
    if not result.ok:
        raise JobError(
            _("Có %(n)s lỗi; không dòng nào được lưu. Sửa tệp rồi nhập lại.")
            % {"n": vn.format_number(len(result.errors))},
            errors=[{"line": e.row, "field": e.column or e.field, "message": e.message} for e in result.errors],
        )
    return {
        "message": _("Đã nhập: %(c)s dòng thêm mới, %(u)s dòng cập nhật, %(n)s dòng không đổi.")
        % {
            "c": vn.format_number(result.created),
            "u": vn.format_number(result.updated),
            "n": vn.format_number(result.unchanged),
        },
        "url": reverse(registry.url_name("list")),
        **result.as_dict(),
    }


def register_jobs() -> None:
    register(REGISTRY_IMPORT, registry_import)
    registry_views.IMPORT_JOBS["submit"] = submit_registry_import
