"""Year-to-date buckets in the consolidation roll-up (the year to the end of months 2, 4, 5, 7, 8, 10 and 11;
the others are the month, first quarter, first half, nine months and year already there): add them for the
reports approved so far, so a cut-off reads one bucket and the days after its last whole month.

Self-contained (no live code): the windows of the Decree 09 and calendar rules, the outermost reports of
each reporter and form in each window, and the same aggregate insert as ``reporting.rollup``. New approvals
maintain them from now on.
"""

import calendar
import datetime as dt
from collections import defaultdict

from django.db import migrations

RULES = ("decree09", "calendar")
SPANS = [(1, m) for m in (2, 4, 5, 7, 8, 10, 11)]  # months first–last of the year


def _window(rule, year, first, last):
    if rule == "calendar":
        return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])
    start = dt.date(year - 1, 12, 15) if first == 1 else dt.date(year, first - 1, 15)
    return start, dt.date(year, last, 14)


def _windows(start, end, rule):
    out = []
    for year in range(start.year - 1, end.year + 2):
        if not 1900 < year < 2200:
            continue
        for first, last in SPANS:
            w = _window(rule, year, first, last)
            if w[0] <= start and end <= w[1] and w not in out:
                out.append(w)
    return out


def _outermost(rows):
    ordered = sorted(sorted(rows, key=lambda r: r[2], reverse=True), key=lambda r: r[1])
    kept, best = set(), None
    for pk, start, end in ordered:
        if best is not None and best[0] >= end and best != (end, start):
            continue
        kept.add(pk)
        if best is None or end > best[0]:
            best = (end, start)
    return kept


def forwards(apps, schema_editor):
    Submission = apps.get_model("reporting", "Submission")
    FormVersion = apps.get_model("reporting", "FormVersion")
    RollupMember = apps.get_model("reporting", "RollupMember")
    rules = {
        pk: (spec or {}).get("rule", "") if isinstance(spec, dict) else ""
        for pk, spec in FormVersion.objects.values_list("pk", "period_spec")
    }
    groups = defaultdict(list)
    for pk, form_id, uid, aid, path, start, end, version_id in Submission.objects.filter(status="approved").values_list(
        "pk", "form_id", "unit_id", "agency_id", "unit_path", "period_start", "period_end", "form_version_id"
    ):
        rule = rules.get(version_id, "")
        if rule not in RULES:
            continue
        rkey = uid if uid else -int(aid or 0)
        for w in _windows(start, end, rule):
            groups[(w, form_id, rkey)].append((pk, path, start, end))
    if not groups:
        return
    first_new = (RollupMember.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    members = []
    for (w, form_id, rkey), rows in groups.items():
        keep = _outermost([(r[0], r[2], r[3]) for r in rows])
        for pk, path, start, end in rows:
            if pk in keep:
                members.append(
                    RollupMember(
                        bucket_start=w[0],
                        bucket_end=w[1],
                        submission_id=pk,
                        form_id=form_id,
                        rkey=rkey,
                        unit_path=path,
                        period_start=start,
                        period_end=end,
                    )
                )
    RollupMember.objects.bulk_create(members, batch_size=5000)
    q = schema_editor.connection.ops.quote_name
    keys = "x.bucket_start, x.bucket_end, x.form_id, x.rkey, x.unit_path, x.indicator_id"
    sql = (
        f"INSERT INTO {q('reporting_rollupvalue')} (bucket_start, bucket_end, form_id, rkey, unit_path, "  # noqa: S608
        "indicator_id, s, n, mx, mn, q1, q2, nq, latest_end, latest_s) "
        f"SELECT {keys}, ROUND(SUM(x.value), 4), COUNT(x.value), MAX(x.value), MIN(x.value), MIN(x.q), MAX(x.q), "
        "SUM(x.quoted), MAX(x.period_end), ROUND(SUM(CASE WHEN x.period_end = x.last_end THEN x.value END), 4) "
        "FROM (SELECT m.bucket_start, m.bucket_end, m.form_id, m.rkey, m.unit_path, m.period_end, v.indicator_id, "
        "v.value, NULLIF(v.qualifier, '') AS q, CASE WHEN v.source_quote <> '' THEN 1 ELSE 0 END AS quoted, "
        "MAX(m.period_end) OVER (PARTITION BY m.bucket_start, m.bucket_end, m.form_id, m.rkey, v.indicator_id) "
        f"AS last_end FROM {q('reporting_rollupmember')} m JOIN {q('reporting_datavalue')} v "
        "ON v.submission_id = m.submission_id WHERE v.value IS NOT NULL AND m.id >= %s) x "
        f"GROUP BY {keys}"
    )
    with schema_editor.connection.cursor() as cur:
        cur.execute(sql, [first_new])


def backwards(apps, schema_editor):
    """Drop the year-to-date buckets added here."""
    RollupMember = apps.get_model("reporting", "RollupMember")
    RollupValue = apps.get_model("reporting", "RollupValue")
    for model in (RollupValue, RollupMember):
        for s, e in model.objects.values_list("bucket_start", "bucket_end").distinct():
            if any(_window(rule, e.year, first, last) == (s, e) for rule in RULES for first, last in SPANS):
                model.objects.filter(bucket_start=s, bucket_end=e).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0009_datavalue_quoted_index")]

    operations = [migrations.RunPython(forwards, backwards)]
