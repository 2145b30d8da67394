"""Every write to gates: scope-checked, validated, transactional, logged."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat as statmode
import tempfile
import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from borderdesk.core import archives
from borderdesk.core.bulk import insert_many
from borderdesk.core.changelog import BulkChange, record_change, record_changes_bulk, save_with_log, snapshot
from borderdesk.core.errors import ApplicationError, validation_error_to_application_error
from borderdesk.core.scoping import Action, require_in_scope, require_unit_in_scope
from borderdesk.core.services import bump_version, check_version, require_version
from borderdesk.core.vn import format_date

from . import crossing_log_file
from .choices import ImportStatus, StatChannel
from .models import (
    LOG_FIELDS,
    STAT_VALUE_FIELDS,
    BorderGate,
    CrossingLogImport,
    GateDailyStat,
    GateStatusPeriod,
)

DEFAULT_MAX_LOG_BYTES = 512 * 1024 * 1024


def max_log_bytes() -> int:
    """Largest crossing log accepted (bytes); settings.BORDERDESK_MAX_CROSSING_LOG_BYTES overrides."""
    return int(getattr(settings, "BORDERDESK_MAX_CROSSING_LOG_BYTES", DEFAULT_MAX_LOG_BYTES))


def _save(user, instance, reason=""):
    try:
        return save_with_log(user=user, instance=instance, reason=reason)
    except ValidationError as exc:
        raise validation_error_to_application_error(exc) from None


def _set_fields(instance, fields: dict, allowed: set[str]):
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(_("Trường không được phép sửa: %s") % ", ".join(sorted(unknown)))
    for key, value in fields.items():
        setattr(instance, key, value)


# ---------------------------------------------------------------- gates


def _gate_write(*, user, instance: BorderGate | None, fields: dict, expected_version=None) -> BorderGate:
    """Keyword-style gate writes for scripts and tests: the same form and `gate_save` as the page and API."""
    from borderdesk.core.permissions import Op, require, required_action
    from borderdesk.core.registry.forms import bound_form

    from .forms import BorderGateForm

    data = {k.removesuffix("_id"): getattr(v, "pk", v) for k, v in fields.items()}
    unknown = set(data) - set(BorderGateForm.base_fields)
    if unknown:
        raise ApplicationError(_("Trường không được phép sửa: %s") % ", ".join(sorted(unknown)))
    if instance is not None:
        require(user, instance, Op.CHANGE)
    if "unit" in data or "managing_station" in data or instance is None:
        require_unit_in_scope(
            data.get("unit", getattr(instance, "unit_id", None)),
            data.get("managing_station", getattr(instance, "managing_station_id", None)),
            user,
            required_action(BorderGate, Op.CREATE if instance is None else Op.CHANGE),
        )
    form = bound_form(BorderGateForm, user=user, data=data, instance=instance)
    if not form.is_valid():
        raise ApplicationError(
            _("Dữ liệu chưa hợp lệ."),
            field_errors={("" if k == "__all__" else k): list(v) for k, v in form.errors.items()},
        )
    obj, _changed = gate_save(user=user, form=form, instance=instance, expected_version=expected_version)
    return obj


def gate_create(*, user, reason: str = "", **fields) -> BorderGate:
    return _gate_write(user=user, instance=None, fields=fields)


def gate_update(
    *, user, gate: BorderGate, expected_version: int | None = None, reason: str = "", **fields
) -> BorderGate:
    return _gate_write(user=user, instance=gate, fields=fields, expected_version=expected_version)


# ---------------------------------------------------------------- status periods


def _check_overlap(period: GateStatusPeriod) -> None:
    from .import_rules import overlaps

    for other in GateStatusPeriod.objects.filter(gate_id=period.gate_id).exclude(pk=period.pk):
        if overlaps(period.valid_from, period.valid_to, other.valid_from, other.valid_to):
            raise ApplicationError(
                _("Giai đoạn này trùng với giai đoạn đã có: %s.") % other,
                field_errors={"valid_from": [_("Trùng với giai đoạn khác.")]},
            )


STATUS_FIELDS = {"status", "valid_from", "valid_to", "reason", "source"}


@transaction.atomic
def status_period_add(*, user, gate: BorderGate, reason_for_change: str = "", **fields) -> GateStatusPeriod:
    require_in_scope(gate, user, Action.CHANGE)
    period = GateStatusPeriod(gate=gate)
    _set_fields(period, fields, STATUS_FIELDS)
    try:
        period.full_clean()
    except ValidationError as exc:
        raise validation_error_to_application_error(exc) from None
    _check_overlap(period)
    return _save(user, period, reason_for_change)


@transaction.atomic
def status_period_update(
    *, user, period: GateStatusPeriod, expected_version: int | None = None, reason_for_change: str = "", **fields
) -> GateStatusPeriod:
    require_in_scope(period, user, Action.CHANGE)
    check_version(period, expected_version)
    _set_fields(period, fields, STATUS_FIELDS)
    try:
        period.full_clean()
    except ValidationError as exc:
        raise validation_error_to_application_error(exc) from None
    _check_overlap(period)
    bump_version(period)
    return _save(user, period, reason_for_change)


@transaction.atomic
def status_period_close(
    *, user, gate: BorderGate, status: str, on: dt.date, reason: str = "", source: str = ""
) -> GateStatusPeriod:
    """Open or suspend a gate from `on`: end the open period the day before and start a new one."""
    require_in_scope(gate, user, Action.CHANGE)
    current = GateStatusPeriod.objects.filter(gate=gate, valid_to__isnull=True).first()
    if current is not None:
        if current.valid_from >= on:
            raise ApplicationError(
                _("Giai đoạn hiện tại bắt đầu từ %s; ngày chuyển trạng thái phải sau ngày đó.")
                % format_date(current.valid_from),
                field_errors={"on": ["too early"]},
            )
        status_period_update(user=user, period=current, valid_to=on - dt.timedelta(days=1), reason_for_change=reason)
    return status_period_add(user=user, gate=gate, status=status, valid_from=on, reason=reason, source=source)


# ---------------------------------------------------------------- daily statistics


def _clean_values(values: dict) -> dict:
    """Validate counters: integers ≥ 0, amounts Decimal ≥ 0. Raises ApplicationError with field errors."""
    errors: dict[str, list[str]] = {}
    out = {}
    for name, value in values.items():
        if name not in STAT_VALUE_FIELDS:
            errors[name] = [_("Trường không có trong số liệu ngày.")]
            continue
        if value is None or value == "":
            out[name] = Decimal(0) if name in ("tonnes", "export_usd", "import_usd") else 0
            continue
        try:
            number = Decimal(str(value))
        except Exception:
            errors[name] = [_("Phải là một số.")]
            continue
        if not number.is_finite():
            errors[name] = [_("Phải là một số.")]
        elif number < 0:
            errors[name] = [_("Không được âm (%s).") % value]
        elif name in ("tonnes", "export_usd", "import_usd"):
            places = 3 if name == "tonnes" else 2
            if int(number.as_tuple().exponent) < -places:
                errors[name] = [_("Tối đa %d chữ số thập phân.") % places]
            else:
                out[name] = number
        elif number != number.to_integral_value():
            errors[name] = [_("Phải là số nguyên.")]
        else:
            out[name] = int(number)
    if errors:
        raise ApplicationError(
            _("Số liệu chưa hợp lệ: %s.") % "; ".join(f"{k}: {v[0]}" for k, v in errors.items()), field_errors=errors
        )
    return out


@transaction.atomic
def daily_stat_upsert(
    *,
    user,
    gate: BorderGate,
    date: dt.date,
    values: dict,
    channel: str = StatChannel.FORM,
    expected_version: int | None = None,
    note: str | None = None,
    reason: str = "",
    is_demo: bool | None = None,
    version_required: bool = False,
) -> tuple[GateDailyStat, bool]:
    """Create or update one gate-day. Returns (stat, created). With `version_required` (the API) an update
    must name the version it read."""
    require_in_scope(gate, user, Action.CHANGE)
    clean = _clean_values(values)
    if date > dt.date.today() + dt.timedelta(days=1):
        raise ApplicationError(_("Ngày %s ở tương lai.") % format_date(date), field_errors={"date": ["future"]})
    found = GateDailyStat.objects.select_for_update().filter(gate=gate, date=date).first()
    created = found is None
    stat = GateDailyStat(gate=gate, date=date) if found is None else found
    if not created:
        if version_required:
            require_version(expected_version)
        check_version(stat, expected_version)
        bump_version(stat)
    for k, v in clean.items():
        setattr(stat, k, v)
    stat.channel = channel
    if note is not None:
        stat.note = note
    if is_demo is not None:
        stat.is_demo = is_demo
    _save(user, stat, reason)
    return stat, created


@transaction.atomic
def daily_stat_delete(*, user, stat: GateDailyStat, reason: str = "") -> None:
    from borderdesk.core.changelog import delete_with_log

    require_in_scope(stat, user, Action.CHANGE)
    delete_with_log(user=user, instance=stat, reason=reason)


def _json(value):
    """The change log's JSON form of a stat's field value (as core.changelog.snapshot writes it)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):  # dates and datetimes
        return value.isoformat()
    return value


_STAT_ATTNAMES = None


def _stat_attnames() -> list[str]:
    global _STAT_ATTNAMES
    if _STAT_ATTNAMES is None:
        _STAT_ATTNAMES = [f.attname for f in GateDailyStat._meta.concrete_fields]
    return _STAT_ATTNAMES


def _snap(row: dict) -> dict:
    return {k: _json(row[k]) for k in _stat_attnames()}


def _bulk_log(*, user, changes: list[tuple[dict, dict | None, dict]], reason: str) -> None:
    """Change-log rows for many stats at once. `changes` holds (row after, snapshot before or None, after)."""
    gates = {
        g.pk: g
        for g in BorderGate.objects.filter(pk__in={r["gate_id"] for r, _b, _a in changes}).only(
            "id", "name", "unit_id", "managing_station_id"
        )
    }
    record_changes_bulk(
        user=user,
        model=GateDailyStat,
        reason=reason,
        changes=[
            BulkChange(
                object_id=str(row["id"]),
                object_repr=f"{gates[row['gate_id']].name} {format_date(row['date'])}",
                unit_id=gates[row["gate_id"]].unit_id,
                agency_id=gates[row["gate_id"]].managing_station_id,
                before=before,
                after=after,
            )
            for row, before, after in changes
        ],
    )


def _update_many(rows: list[dict], fields: tuple[str, ...]) -> None:
    """Update many rows by id without bulk_update's slow CASE chains: on PostgreSQL one UPDATE … FROM
    unnest(arrays), elsewhere one parameterised UPDATE per row sent with executemany.

    Column names and types come from the model (never from input); values are bound parameters.
    """
    from django.db import connection

    meta: Any = GateDailyStat._meta  # concrete fields only (column, db_type)
    names = (*fields, "channel", "version", "updated_at")
    columns = [meta.get_field(f).column for f in names]
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    stamp = meta.get_field("updated_at").get_db_prep_save(rows[0]["updated_at"], connection)
    params = [[r[n] for n in names[:-1]] + [stamp, r["id"]] for r in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one statement: typed arrays zipped by unnest()
            types = [meta.get_field(f).db_type(connection) for f in names] + [meta.pk.rel_db_type(connection)]
            aliases = [f"v{i}" for i in range(len(types))]
            cursor.execute(
                "UPDATE {t} SET {sets} FROM unnest({arrays}) AS v({aliases}) WHERE {t}.{pk} = v.{last}".format(  # noqa: S608
                    t=table,
                    pk=pk,
                    sets=", ".join(f"{qn(c)} = v.{a}" for c, a in zip(columns, aliases, strict=False)),
                    arrays=", ".join(f"%s::{db_type}[]" for db_type in types),
                    aliases=", ".join(aliases),
                    last=aliases[-1],
                ),
                [list(column) for column in zip(*params, strict=True)],
            )
        else:
            cursor.executemany(
                "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - identifiers only
                    table, ", ".join(f"{qn(c)} = %s" for c in columns), pk
                ),
                params,
            )


def stats_bulk_upsert(
    *,
    user,
    rows: dict[tuple[int, dt.date], dict],
    channel: str,
    fields: tuple[str, ...],
    reason: str = "",
    is_demo: bool = False,
    log: bool = True,
) -> tuple[int, int]:
    """Upsert many gate-days in the caller's transaction: `rows[(gate_id, date)] = {field: value}`.

    Existing rows get the given fields replaced (others kept) and their version bumped; rows whose
    values and channel are already equal are left untouched (no write, no version bump, no log row).
    Returns (created, updated), "updated" counting those too. Scope must already be checked by the
    caller.
    """
    from django.utils import timezone

    if not rows:
        return 0, 0
    gate_ids = {g for g, _d in rows}
    dates = [d for _g, d in rows]
    existing = {
        (r["gate_id"], r["date"]): r
        for r in GateDailyStat.objects.filter(gate_id__in=gate_ids, date__gte=min(dates), date__lte=max(dates)).values(
            *_stat_attnames()
        )
    }
    now = timezone.now()
    to_create: list[dict] = []
    updates: list[dict] = []
    changes: list[tuple[dict, dict | None, dict]] = []
    updates_skipped = 0
    for (gate_id, day), values in rows.items():
        row = existing.get((gate_id, day))
        if row is None:
            to_create.append({"gate_id": gate_id, "date": day, "channel": channel, "is_demo": is_demo, **values})
        elif row["channel"] == channel and all(row[f] == v for f, v in values.items()):
            updates_skipped += 1  # already equal: no write, no version bump, no log row
        else:
            before = _snap(row)
            row.update(values)
            row.update(channel=channel, version=row["version"] + 1, updated_at=now)
            updates.append(row)
            changes.append((row, before, _snap(row)))
    if to_create:  # one executemany INSERT (defaults filled into the rows), then the new ids by (gate, date)
        insert_many(GateDailyStat, to_create)
        ids = {
            (g, d): pk
            for g, d, pk in GateDailyStat.objects.filter(
                gate_id__in=gate_ids, date__gte=min(dates), date__lte=max(dates)
            ).values_list("gate_id", "date", "id")
        }
        for row in to_create:
            row["id"] = ids[(row["gate_id"], row["date"])]
            changes.append((row, None, _snap(row)))
    if updates:
        _update_many(updates, tuple(fields))
    if log:
        _bulk_log(user=user, changes=changes, reason=reason)
    return len(to_create), len(updates) + updates_skipped


# ---------------------------------------------------------------- crossing logs


def gate_lookup_for(user) -> dict[str, int]:
    """Codes and names of the gates the user may change → gate id."""
    lookup: dict[str, int] = {}
    for pk, code, name in BorderGate.objects.for_user(user, Action.CHANGE).values_list("pk", "code", "name"):
        lookup[code] = pk
        lookup[name] = pk
    return lookup


def _reject(*, user, file_name: str, size: int, rows: int, errors: list[dict], started: float) -> CrossingLogImport:
    agency = None
    unit = None
    for a in user.active_assignments() if getattr(user, "pk", None) else []:
        unit = unit or a.unit
        agency = agency or a.agency
    return CrossingLogImport.objects.create(
        file_name=file_name[:255],
        size_bytes=size,
        rows=rows,
        rejected_rows=len(errors),
        status=ImportStatus.REJECTED,
        errors=errors,
        user=user if getattr(user, "pk", None) else None,
        unit=unit,
        agency=agency,
        seconds=Decimal(str(round(time.perf_counter() - started, 3))),
    )


def crossing_log_import(*, user, stream, file_name: str, size: int | None, progress=None) -> CrossingLogImport:
    """Aggregate a crossing log into daily statistics, all or nothing.

    `stream` is a binary file object read in chunks; `size` its length in bytes, checked before
    anything is read. Each (gate, date) in the log replaces the log-derived counters of that
    gate-day (persons, vehicles, rail cars, tonnes, trade value); vehicles waiting are kept. A
    rejected log saves no statistics; the returned record carries the per-row errors.
    `progress(done, total=None, step=None)` (a background job's) is told how far reading has got.
    """
    started = time.perf_counter()
    limit = max_log_bytes()
    if size is not None and size > limit:
        raise ApplicationError(
            _("Tệp quá lớn: %(size)s MB, tối đa %(max)s MB. Hãy chia nhật ký theo tháng rồi nhập từng phần.")
            % {"size": archives.megabytes(size), "max": archives.megabytes(limit)},
            code="too_large",
            field_errors={"file": [_("Tệp quá lớn.")]},
        )
    lookup = gate_lookup_for(user)
    if not lookup:
        raise ApplicationError(_("Bạn không có quyền nhập số liệu cho cửa khẩu nào."), code="forbidden")
    with _log_path(stream, limit) as path:
        total = os.path.getsize(path)
        read = (lambda n: progress(n, total, _("Đang đọc và kiểm tra nhật ký"))) if progress else None
        if read:
            read(0)
        result = crossing_log_file.aggregate_file(path, lookup, progress=read)
    if progress:
        progress(total, total, _("Đang ghi số liệu") if result.ok else _("Đang ghi danh sách lỗi"), force=True)
    if not result.ok:
        errors = [e.as_dict() for e in result.errors]
        if result.file_error:
            errors.insert(0, {"line": 0, "field": "", "message": result.file_error})
        if result.error_count > len(result.errors):
            errors.append(
                {"line": 0, "field": "", "message": _("… và %d lỗi khác.") % (result.error_count - len(result.errors))}
            )
        with transaction.atomic():
            return _reject(
                user=user, file_name=file_name, size=size or 0, rows=result.rows, errors=errors, started=started
            )
    stats = result.stats
    with transaction.atomic():
        stats_bulk_upsert(
            user=user,
            rows=stats,
            channel=StatChannel.LOG,
            fields=LOG_FIELDS,
            reason=_("Nhập nhật ký qua lại: %s") % file_name[:200],
        )
        first_gate = BorderGate.objects.only("unit_id", "managing_station_id").get(pk=next(iter(stats))[0])
        dates = [d for _g, d in stats]
        record = CrossingLogImport.objects.create(
            file_name=file_name[:255],
            size_bytes=size or 0,
            rows=result.rows,
            rejected_rows=0,
            gate_days=len(stats),
            date_from=min(dates),
            date_to=max(dates),
            status=ImportStatus.DONE,
            user=user if getattr(user, "pk", None) else None,
            unit_id=first_gate.unit_id,
            agency_id=first_gate.managing_station_id,
            seconds=Decimal(str(round(time.perf_counter() - started, 3))),
        )
        record_change(user=user, instance=record, action="import", before=None, after=snapshot(record))
    return record


@contextlib.contextmanager
def _log_path(stream, limit: int):
    """A path to the log on disk: the stream's own file when it is one (an upload Django spooled to a
    temporary file, an opened file), else a temporary copy written in chunks up to the size limit."""
    path = _file_path_of(stream)
    if path is not None:
        if os.path.getsize(path) > limit:
            raise ApplicationError(_("Tệp vượt quá dung lượng cho phép."), code="too_large")
        yield path
        return
    reader = _LimitedReader(stream, limit)
    with tempfile.NamedTemporaryFile(prefix="crossing-log-", suffix=".csv") as tmp:
        while block := reader.read(1024 * 1024):
            tmp.write(block)
        tmp.flush()
        yield tmp.name


def _file_path_of(stream) -> str | None:
    """The path of an unread regular file that `stream` is (same inode), else None."""
    name = getattr(stream, "name", None)
    if not isinstance(name, str) or not os.path.isabs(name):
        return None
    try:
        opened, on_disk = os.fstat(stream.fileno()), os.stat(name)
        unread = stream.tell() == 0
    except (AttributeError, OSError, ValueError):
        return None
    same = (opened.st_dev, opened.st_ino) == (on_disk.st_dev, on_disk.st_ino)
    return name if same and unread and statmode.S_ISREG(on_disk.st_mode) else None


class _LimitedReader:
    """Refuses to read past the size limit even when the declared size was missing or wrong."""

    def __init__(self, stream, limit: int):
        self.stream, self.limit, self.read_bytes = stream, limit, 0

    def read(self, n: int) -> bytes:
        block = self.stream.read(n)
        self.read_bytes += len(block)
        if self.read_bytes > self.limit:
            raise ApplicationError(_("Tệp vượt quá dung lượng cho phép."), code="too_large")
        return block


# ---------------------------------------------------------------- registry saves (forms, CSV/XLSX rows)


def gate_save(*, user, form, instance=None, expected_version=None):
    from borderdesk.core.registry.services import save_form

    return save_form(user=user, form=form, instance=instance, expected_version=expected_version)


def status_period_save(*, user, form, instance=None, expected_version=None):
    from borderdesk.core.registry.services import save_form

    _check_overlap(form.instance)
    return save_form(user=user, form=form, instance=instance, expected_version=expected_version)


def _stat_saver(channel: str):
    def save(*, user, form, instance=None, expected_version=None):
        from borderdesk.core.registry.services import save_form

        obj = form.instance
        current = GateDailyStat.objects.filter(pk=obj.pk).values(*STAT_VALUE_FIELDS).first() if obj.pk else None
        if current is None or any(current[f] != getattr(obj, f) for f in STAT_VALUE_FIELDS):
            obj.channel = channel
        return save_form(user=user, form=form, instance=instance, expected_version=expected_version)

    return save


daily_stat_save = _stat_saver(StatChannel.FORM)
daily_stat_import_save = _stat_saver(StatChannel.IMPORT)
daily_stat_api_save = _stat_saver(StatChannel.API)
