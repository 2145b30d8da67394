"""Accounts created from a spreadsheet as a background job (the page's "Chạy nền", `POST
/api/accounts/users/bulk?background=true`): the same `bulk.bulk_create`, all or nothing, progress in rows.

The temporary passwords go to the job's file (`core.background.output_dir()`), written in the same
transaction as the accounts and handed over once: the first download removes it. The accounts app sits
beside the jobs app in the layers, so it offers the job through `core.background`, not by importing jobs.
"""

from __future__ import annotations

import csv
import os

from django.core.files import File
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from borderdesk.core import background, vn
from borderdesk.core.errors import ApplicationError
from borderdesk.core.exports import safe_csv_writer
from borderdesk.core.texts import Text

from . import bulk, services
from .models import User

BULK_CREATE = "accounts.bulk_create"


def submit_bulk_create(*, user, uploaded, reason: str = ""):
    """Check the caller may create accounts, keep the file and queue the job; returns the Job."""
    from borderdesk.core.registry.tabular import check_size

    services.require_manager(user)
    check_size(getattr(uploaded, "size", None))
    name = (getattr(uploaded, "name", "") or "tai-khoan.csv")[:255]
    if not name.lower().endswith((".csv", ".txt", ".xlsx")):
        raise bulk.BulkRejected(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    return background.submit(
        user=user,
        kind_code=BULK_CREATE,
        title=Text(gettext_noop("Tạo tài khoản hàng loạt từ tệp %(file)s"), {"file": name[:150]}),
        params={"file_name": name, "reason": reason[:500]},
        upload=uploaded,
    )


def bulk_create_job(job, progress) -> dict:
    user = job.created_by
    if user is None or not user.is_active:
        raise background.JobError(_("Tài khoản gửi tệp không còn hoạt động."))
    name = job.params.get("file_name") or "tai-khoan.csv"
    out_name = f"{job.pk}.csv"
    final, partial = background.output_dir() / out_name, background.output_dir() / f"{out_name}.part"
    if final.exists():  # a run of this job got as far as its file: did its transaction commit?
        with open(final, encoding="utf-8-sig", newline="") as fh:
            names = [row[0] for row in csv.reader(fh)][1:]
        if names and User.objects.filter(username__in=names).count() == len(names):
            return _result(job, out_name, names)  # killed after the commit: the accounts and their file are whole
        final.unlink()  # killed before the commit: nothing was created, the file is stale

    def keep(created):  # inside the accounts' transaction: both are written, or neither is kept
        with open(partial, "w", encoding="utf-8", newline="") as fh:
            fh.write("\ufeff")
            writer = safe_csv_writer(fh)
            writer.writerow(["Tên đăng nhập", "Mật khẩu tạm"])
            for account, password in created:
                writer.writerow([account.username, password])
        os.replace(partial, final)

    try:
        with open(job.input_path, "rb") as fh:
            result = bulk.bulk_create(
                user=user,
                uploaded=File(fh, name=name),
                filename=name,
                reason=job.params.get("reason", ""),
                progress=progress,
                keep=keep,
            )
    except ApplicationError as exc:
        partial.unlink(missing_ok=True)
        rows = exc.extra.get("errors", []) if exc.extra else []
        raise background.JobError(
            exc.message,
            errors=[
                {
                    "line": e.get("row"),
                    "field": e.get("field", ""),
                    "column": e.get("column", ""),
                    "message": e.get("message"),
                }
                for e in rows
            ],
        ) from None
    return _result(job, out_name, [account.username for account, _p in result.created])


def _result(job, out_name: str, usernames: list[str]) -> dict:
    return {
        "message": _(
            "Đã tạo %(n)s tài khoản. Tải tệp mật khẩu tạm (chỉ tải được một lần); người dùng phải đổi mật khẩu "
            "ở lần đăng nhập đầu tiên."
        )
        % {"n": vn.format_number(len(usernames))},
        "url": reverse("jobs:file", args=[job.pk]),
        "file": out_name,
        "file_name": "mat-khau-tam.csv",
        "content_type": "text/csv; charset=utf-8",
        "download_once": True,
        "created": usernames,
    }


def register_jobs() -> None:
    background.register(BULK_CREATE, bulk_create_job)
