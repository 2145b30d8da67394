"""The roll-up of approved + submitted values: a scope on every roll-up row ('a' approved, the group having no
submitted report; 'x' approved, the group having one; 's' approved and submitted). Existing rows are approved
ones ('a'); for every (bucket, form, reporter) group holding a submitted report, the approved rows become 'x' and
the 's' rows (the outermost approved and submitted reports, aggregated) are added, so a consolidation with the
submitted values reads them like the approved ones (the plan cannot tell a missing group from an empty one).

Self-contained (no live code): the bucket windows of the Decree 09 and calendar rules (year, halves, nine months,
quarters, months, the year to the end of each month), the outermost reports of a group, the same aggregate insert
as ``reporting.rollup``. Submit, return, approve, reopen and delete maintain the rows from now on.
"""

import calendar
import datetime as dt
from collections import defaultdict

from django.db import migrations, models

RULES = ("decree09", "calendar")
# (first month, last month) of every bucket window in a year
SPANS = sorted(
    {(1, 12), (1, 6), (7, 12), (1, 9), (1, 3), (4, 6), (7, 9), (10, 12)}
    | {(m, m) for m in range(1, 13)}
    | {(1, m) for m in range(1, 13)}
)


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
    submitted = Submission.objects.filter(status="submitted")
    pairs = set(submitted.values_list("form_id", "unit_id", "agency_id").distinct())
    if not pairs:
        return
    groups = defaultdict(list)  # (window, form, rkey) → [(pk, path, start, end, approved)]
    touched = set()  # the groups holding a submitted report
    for pk, form_id, uid, aid, path, start, end, version_id, status in Submission.objects.filter(
        status__in=["approved", "submitted"]
    ).values_list("pk", "form_id", "unit_id", "agency_id", "unit_path", "period_start", "period_end", "form_version_id", "status"):
        rule = rules.get(version_id, "")
        if rule not in RULES or (form_id, uid, aid) not in pairs:
            continue
        rkey = uid if uid else -int(aid or 0)
        for w in _windows(start, end, rule):
            groups[(w, form_id, rkey)].append((pk, path, start, end, status == "approved"))
            if status == "submitted":
                touched.add((w, form_id, rkey))
    if not touched:
        return
    first_new = (RollupMember.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    members = []
    for g in touched:
        (bs, be), form_id, rkey = g
        rows = groups[g]
        keep = _outermost([(r[0], r[2], r[3]) for r in rows])
        members += [
            RollupMember(
                bucket_start=bs,
                bucket_end=be,
                submission_id=pk,
                form_id=form_id,
                rkey=rkey,
                unit_path=path,
                period_start=start,
                period_end=end,
                scope="s",
            )
            for pk, path, start, end, _a in rows
            if pk in keep
        ]
    RollupMember.objects.bulk_create(members, batch_size=5000)
    q = schema_editor.connection.ops.quote_name
    members_t, values_t = q("reporting_rollupmember"), q("reporting_rollupvalue")
    keys = "x.bucket_start, x.bucket_end, x.form_id, x.rkey, x.unit_path, x.indicator_id"
    insert = (
        f"INSERT INTO {values_t} (bucket_start, bucket_end, form_id, rkey, unit_path, "  # noqa: S608
        "indicator_id, s, n, mx, mn, q1, q2, nq, latest_end, latest_s, scope) "
        f"SELECT {keys}, ROUND(SUM(x.value), 4), COUNT(x.value), MAX(x.value), MIN(x.value), MIN(x.q), MAX(x.q), "
        "SUM(x.quoted), MAX(x.period_end), ROUND(SUM(CASE WHEN x.period_end = x.last_end THEN x.value END), 4), 's' "
        "FROM (SELECT m.bucket_start, m.bucket_end, m.form_id, m.rkey, m.unit_path, m.period_end, v.indicator_id, "
        "v.value, NULLIF(v.qualifier, '') AS q, CASE WHEN v.source_quote <> '' THEN 1 ELSE 0 END AS quoted, "
        "MAX(m.period_end) OVER (PARTITION BY m.bucket_start, m.bucket_end, m.form_id, m.rkey, v.indicator_id) "
        f"AS last_end FROM {members_t} m JOIN {q('reporting_datavalue')} v "
        "ON v.submission_id = m.submission_id WHERE v.value IS NOT NULL AND m.id >= %s) x "
        f"GROUP BY {keys}"
    )
    with schema_editor.connection.cursor() as cur:
        cur.execute(insert, [first_new])
        # the approved rows of the groups that now have 's' rows: read for the approved values only
        for table in (members_t, values_t):
            cur.execute(
                f"UPDATE {table} SET scope = 'x' WHERE scope = 'a' AND EXISTS (SELECT 1 FROM {members_t} s "  # noqa: S608
                f"WHERE s.scope = 's' AND s.rkey = {table}.rkey AND s.form_id = {table}.form_id "
                f"AND s.bucket_start = {table}.bucket_start AND s.bucket_end = {table}.bucket_end)"
            )


def backwards(apps, schema_editor):
    """Drop the approved + submitted rows; the approved rows are all 'a' again (as before the column)."""
    for name in ("RollupValue", "RollupMember"):
        model = apps.get_model("reporting", name)
        model.objects.filter(scope="s").delete()
        model.objects.filter(scope="x").update(scope="a")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0010_rollup_year_to_date_buckets")]

    operations = [
        migrations.AddField(
            model_name="rollupmember",
            name="scope",
            field=models.CharField(db_default="a", default="a", max_length=1),
        ),
        migrations.AddField(
            model_name="rollupvalue",
            name="scope",
            field=models.CharField(db_default="a", default="a", max_length=1),
        ),
        migrations.RunPython(forwards, backwards),
    ]
