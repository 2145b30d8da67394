"""The API's answer for a report (``SubmissionOut``) and its kept list (``/api/reporting/submissions``).

A report's row shows its version, which every saved figure of an open report changes (``core.tables.open_edit``);
the rest of the row — form, place, period, status, times sent and approved — and which reports the list shows in
which order do not change with an open edit. So the list's rows and count are kept as a page part
(``core.fragments``) computed ignoring open edits, and only the listed reports' versions are read afresh, as the
rows of exactly those reports (``core.tables.reading_open_reports``): a figure saved in one report costs the lists
showing it one statement, and leaves the lists that do not show it kept whole (``core.pagecache``).
"""

from __future__ import annotations

from collections.abc import Callable

from borderdesk.core import fragments, tables

from .models import Submission


def submission_row(sub: Submission) -> dict:
    """``SubmissionOut``'s fields of one report (form, version, place, period, status...)."""
    return {
        "id": sub.pk,
        "form": sub.form.code,
        "form_version": sub.form_version.number,
        "unit_id": sub.unit_id,
        "agency_id": sub.agency_id,
        "reporter": sub.reporter_name,
        "period": sub.period_key,
        "status": sub.status,
        "version": sub.version,
        "submitted_at": sub.submitted_at,
        "approved_at": sub.approved_at,
        "return_reason": sub.return_reason,
    }


def kept_page(request, page: Callable[[], dict]) -> dict:
    """``page()`` (ninja's ``{"items": [reports], "count": n}`` for the request's filters, sort and page) as rows,
    kept per user and query string ignoring open edits, with the listed reports' current versions."""

    def compute() -> dict:
        with tables.ignoring_open_edits():
            found = page()
            return {"items": [submission_row(s) for s in found["items"]], "count": found["count"]}

    kept = fragments.cached(request.user, "api-submissions", tuple(sorted(request.GET.lists())), compute)
    ids = [row["id"] for row in kept["items"]]
    if not ids:
        return kept
    with tables.reading_open_reports(ids):
        versions = dict(Submission.objects.filter(pk__in=ids).values_list("pk", "version"))
    return {
        "items": [{**row, "version": versions.get(row["id"], row["version"])} for row in kept["items"]],
        "count": kept["count"],
    }
