"""The bulk import's column-wise checks (core.registry.column_check, issue 14 part 2) refuse exactly what the
registry's form refuses row by row, with the same messages at the same row and column, and leave the same data:
for every registry on the bulk path (read from the registry list), files with a bad value of each kind the form
checks (missing required, not a number, a number out of range or with too many digits, not a date, an unknown
choice, an unknown or foreign key, too long a text, not yes/no, a copy of a stored row that must be unique)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.urls import get_resolver

from borderdesk.core.permissions import Op
from borderdesk.core.registry import tabular
from borderdesk.core.registry.column_check import fallback_reason
from borderdesk.core.registry.views import REGISTRIES

pytestmark = pytest.mark.django_db

get_resolver().url_patterns  # noqa: B018 - the URL configuration declares every registry
BULK = sorted(key for key, r in REGISTRIES.items() if r.bulk_import)
BOOKKEEPING = {"created_at", "updated_at"}


def _import(registry, user, body: bytes, *, bulk: bool):
    rows = tabular.read_table(SimpleUploadedFile("f.csv", body), filename="f.csv")
    return tabular.import_rows(
        rows=rows,
        form_class=registry.form_class,
        queryset=registry.model._default_manager.for_user(user, registry.action(Op.CHANGE)),
        user=user,
        save=registry.save,
        form_kwargs={"user": user},
        bulk=bulk,
        after_bulk=registry.after_bulk if bulk else None,
        bulk_rules=registry.bulk_rules if bulk else None,
    )


def _state(registry, ids: list[int], last_pk: int):
    """The rows the file names and the rows it created (without their new ids), bookkeeping aside."""
    model = registry.model
    names = [f.attname for f in model._meta.concrete_fields if f.name not in BOOKKEEPING]
    new = [n for n in names if n != model._meta.pk.attname]
    return (
        model._default_manager.count(),
        list(model._default_manager.filter(pk__in=ids).order_by("pk").values_list(*names)),
        sorted(map(repr, model._default_manager.filter(pk__gt=last_pk).values_list(*new))),
    )


def _both(registry, user, header: list[str], rows: list[list], ids: list[int]):
    """The file imported row by row (the form), then in bulk (the column-wise checks), each rolled back."""
    body = tabular.write_csv([header, *rows])
    last_pk = registry.model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
    runs = []
    for bulk in (False, True):
        with transaction.atomic():
            result = _import(registry, user, body, bulk=bulk)
            runs.append(
                (
                    sorted((e.row, e.field, e.column, str(e.message)) for e in result.errors),
                    (result.created, result.updated, result.unchanged),
                    _state(registry, ids, last_pk),
                )
            )
            transaction.set_rollback(True)
    assert runs[0] == runs[1], f"{registry.key}: row by row {runs[0][:2]} != bulk {runs[1][:2]}"
    return runs[1]


def _exported(registry, user, n: int = 12):
    qs = registry.queryset(user, registry.action(Op.CHANGE)).order_by("pk")[:n]
    rows = list(tabular.export_rows(qs, registry.form_class))
    return rows[0], [list(r) for r in rows[1:]]


def _user_for(registry, users):
    """A provincial office where it may import its stored rows back, else the administrator (reference data)."""
    for name in ("vanphong.ls", "admin"):
        header, rows = _exported(registry, users[name])
        if rows and _import(registry, users[name], tabular.write_csv([header, *rows]), bulk=True).ok:
            return users[name], header, rows
    pytest.fail(f"{registry.key}: no stored row to start from")


def _bad_values(name: str, f: forms.Field, model) -> list[str]:
    """Values the form refuses in this field, one of each kind the field checks."""
    out = [""] if f.required else []
    if isinstance(f, forms.ModelChoiceField):
        return [*out, "999999", "abc"]
    if isinstance(f, forms.BooleanField):
        return [*out, "có lẽ"]
    if tabular._choices(f):
        return [*out, "khong-co-lua-chon"]
    if isinstance(f, forms.DateTimeField):
        return [*out, "31/02/2026 08:00", "hôm qua"]
    if isinstance(f, forms.DateField):
        return [*out, "31/02/2026", "1/1/26x"]
    if isinstance(f, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return [*out, "abc", "-5", "1234567890123456,5", "50", "0,0000001"]
    if isinstance(f, forms.CharField):
        limit = getattr(model._meta.get_field(name), "max_length", None) or f.max_length
        return [*out, "x" * (limit + 1)] if limit else out
    return out


@pytest.mark.parametrize("key", BULK)
def test_column_checks_refuse_what_the_form_refuses(key, users):
    registry = REGISTRIES[key]
    user, header, stored = _user_for(registry, users)
    keys = [k for _h, k in tabular.columns(registry.form_class)]
    ids = [int(r[0]) for r in stored]
    proto = registry.form_class(user=user)
    # Each bad value updates a different stored row (an id once per file), as many files as it takes.
    bad = [
        (keys.index(name), value) for name, f in proto.fields.items() for value in _bad_values(name, f, registry.model)
    ]
    assert bad, key
    refused = 0
    for start in range(0, len(bad), len(stored)):
        rows = []
        for row, (col, value) in zip(stored, bad[start : start + len(stored)], strict=False):
            rows.append([*row[:col], value, *row[col + 1 :]])
        errors, counts, _state = _both(registry, user, header, rows, ids)
        refused += len({e[0] for e in errors})
        assert counts == (0, 0, 0) or not errors  # all or nothing
    assert refused >= len(bad) // 2, f"{key}: the bad values were mostly accepted ({refused} of {len(bad)})"


@pytest.mark.parametrize("key", BULK)
def test_column_checks_leave_the_data_the_form_leaves(key, users):
    registry = REGISTRIES[key]
    user, header, stored = _user_for(registry, users)
    ids = [int(r[0]) for r in stored]
    errors, counts, _state = _both(registry, user, header, stored, ids)  # the export imported back: nothing changes
    assert errors == [] and counts == (0, 0, len(stored))
    # Edited text on every row; then a copy of a stored row as a new row (created, or refused as a duplicate of
    # the stored row with the form's uniqueness message). A row that repeats another row of the same file is
    # refused by both, the bulk import naming that row ("Trùng với dòng 2 của tệp"): not compared here.
    proto = registry.form_class(user=user)
    keys = [k for _h, k in tabular.columns(registry.form_class)]
    text = min(
        (
            n
            for n, f in proto.fields.items()
            if type(f) is forms.CharField
            and isinstance(f.widget, forms.TextInput | forms.Textarea)
            and not registry.model._meta.get_field(n).unique
        ),
        key=lambda n: proto.fields[n].required,  # an optional text first
    )
    col = keys.index(text)
    edited = [[*r[:col], f"{r[col]} (sửa)"[: proto.fields[text].max_length or None], *r[col + 1 :]] for r in stored]
    errors, counts, _state = _both(registry, user, header, edited, ids)
    assert errors == [] and counts == (0, len(stored), 0)
    errors, counts, _state = _both(registry, user, header, [["", *stored[0][1:]]], ids)
    assert counts in ((1, 0, 0), (0, 0, 0)) and bool(errors) == (counts == (0, 0, 0)), (counts, errors)


def test_the_registries_validated_by_their_form_are_known(users):
    """The forms with a hook of their own keep the form's row-by-row checks (and say why)."""
    falls_back = {
        key: fallback_reason(REGISTRIES[key].form_class(user=users["admin"]))
        for key in BULK
        if fallback_reason(REGISTRIES[key].form_class(user=users["admin"]))
    }
    assert falls_back == {"frontier:tu-quan": "_post_clean"}
    assert len(BULK) - len(falls_back) >= 15


def test_each_distinct_value_of_a_column_is_converted_once(users):
    """A file repeats its dates: 40 inspections on the same day parse that date once, not once a row."""
    registry = REGISTRIES["frontier:kiem-tra-moc"]  # marker inspections
    user, header, stored = _user_for(registry, users)
    keys = [k for _h, k in tabular.columns(registry.form_class)]
    row = ["", *stored[0][1:]]
    row[keys.index("inspected_on")] = dt.date(2026, 3, 1)
    body = tabular.write_csv([header, *[row] * 40])
    with transaction.atomic(), mock.patch.object(forms.DateField, "strptime", autospec=True) as strptime:
        strptime.side_effect = lambda self, value, fmt: dt.datetime.strptime(value, fmt).date()
        result = _import(registry, user, body, bulk=True)
        transaction.set_rollback(True)
    assert result.ok and result.created == 40, result.errors[:3]
    assert strptime.call_count <= 2, strptime.call_count


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_change_log_names_objects_as_str_does(lang, users):
    """bulk_save.reprs (each choice field's labels read once per batch) names every registry's objects as str()."""
    from django.utils import translation

    from borderdesk.core.registry.bulk_save import reprs

    for key in BULK:
        model = REGISTRIES[key].model
        objs = list(model._default_manager.order_by("pk")[:5])
        with translation.override(lang):
            assert reprs(model, objs) == [str(o) for o in objs], key
        assert not any(n.endswith("_display") for o in objs for n in o.__dict__), key  # nothing left behind


@pytest.mark.parametrize("fmt", ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d"])
def test_the_quick_date_reading_reads_what_strptime_reads(fmt):
    from borderdesk.core.registry.cells import strptime

    texts = ["05/01/2026 08:30", "31/12/1999 23:59", "31/02/2026 08:30", "05/01/2026 24:00", "05/01/2026 08:60"]
    texts += ["00/01/2026 08:30", "5/1/2026 8:30", "05/01/2026", "29/02/2024", "29/02/2023", "05/13/2026", "2026-01-05"]
    texts += ["05/01/0000", "٠٥/٠١/٢٠٢٦", "05/01/2026 0830", "05-01-2026", " 05/01/2026", "05/01/2026 08:30 "]
    for text in texts:
        try:
            expected: object = dt.datetime.strptime(text, fmt)
        except ValueError:
            expected = ValueError
        try:
            got: object = strptime(text, fmt)
        except ValueError:
            got = ValueError
        assert got == expected, (text, fmt)


@pytest.mark.parametrize("zone", ["Asia/Ho_Chi_Minh", "Europe/Berlin", "UTC"])
def test_the_quick_date_time_reading_cleans_what_the_form_field_cleans(zone, settings):
    """cells.fast_temporal's date-time field (the zone read once per file) gives the form field's value, zone
    and error for each layout, around midnight, and at times a zone with summer time skips or repeats."""
    from django.utils import timezone

    from borderdesk.core.inputs import DATETIME_INPUTS, vn_first
    from borderdesk.core.registry.cells import fast_temporal

    texts = ["05/01/2026 08:30", "31/12/2025 23:59", "01/01/2026 00:00", "31/12/2025 24:00", "05/01/2026 08:30:15"]
    texts += ["2026-01-05 08:30", "2026-01-05T08:30:00", "2026-01-05T08:30:00+07:00", "2026-01-05 08:30:00Z"]
    texts += ["05/01/2026", "2026-01-05", " 05/01/2026 08:30 ", "29/02/2024 00:00", "29/02/2023 00:00", ""]
    texts += ["29/03/2026 02:30", "25/10/2026 02:30", "2026-03-29 02:30", "2026-10-25T02:30", "hôm qua", "2026-13-01"]
    values: list = [*texts, None, dt.datetime(2026, 1, 5, 8, 30), dt.date(2026, 1, 5)]

    def clean(f, value):
        try:
            got = f.clean(value)
        except forms.ValidationError as exc:
            return ("error", exc.code, [str(m) for m in exc.messages])
        return got, None if got is None else (got.tzinfo, got.utcoffset(), got.fold)

    for required in (True, False):
        with timezone.override(zone):
            plain = forms.DateTimeField(required=required)
            plain.input_formats = vn_first(DATETIME_INPUTS)
            quick = forms.DateTimeField(required=required)
            quick.input_formats = vn_first(DATETIME_INPUTS)
            fast_temporal(quick)
            for value in values:
                assert clean(quick, value) == clean(plain, value), (zone, value)


def test_a_new_rows_instance_is_what_the_model_builds():
    """bulk_import.new_objects: a copy of one blank instance where that is the model's own blank instance."""
    from borderdesk.core.registry.bulk_import import new_objects
    from borderdesk.frontier.models import Patrol

    def state(obj):
        return {k: v for k, v in obj.__dict__.items() if k != "_state"}, obj._state.adding, obj._state.db

    assert new_objects(Patrol) is not Patrol  # the copy is used for the common registries
    for key in BULK:
        model = REGISTRIES[key].model
        new = new_objects(model)
        a, b = new(), new()
        assert type(a) is model and state(a) == state(model()), key
        assert a._state is not b._state and a.__dict__ is not b.__dict__, key
        a.pk = 1
        assert b.pk is None and new().pk is None, key


def test_a_snapshot_holds_what_each_field_reads(users):
    """changelog.snapshot (its field list kept per model, plain values as they are) gives for every registry's
    objects, a user (password left out) and an object with a deferred field what reading each field gives."""
    from borderdesk.accounts.models import User
    from borderdesk.core.changelog import _json_value, snapshot

    def reference(obj):
        exclude = getattr(obj, "changelog_exclude", ())
        return {
            f.attname: _json_value(getattr(obj, f.attname)) for f in obj._meta.concrete_fields if f.name not in exclude
        }

    objs = [o for key in BULK for o in REGISTRIES[key].model._default_manager.order_by("pk")[:3]]
    objs += [users["admin"], User.objects.defer("email").get(pk=users["admin"].pk)]
    assert len(objs) > len(BULK)
    for obj in objs:
        assert snapshot(obj) == reference(obj), type(obj)
        assert list(snapshot(obj)) == list(reference(obj)), type(obj)
    assert "password" not in snapshot(users["admin"])


def test_the_model_checks_left_out_return_the_value_unchanged():
    """column_check._unchecked: the registries' model fields whose clean() is left out for a value of that type
    return that value itself, without error (a date-time, a non-empty text), whatever the field's null/blank."""
    from borderdesk.core.registry.column_check import _unchecked

    samples = {dt.datetime: [dt.datetime(2026, 1, 5, 8, 30, tzinfo=dt.UTC)], str: ["x", " ", "Tuần tra\n" * 300]}
    seen = set()
    for key in BULK:
        for mf in REGISTRIES[key].model._meta.fields:
            same = _unchecked(mf)
            if same is None:
                continue
            seen.add(type(mf))
            for value in samples[same]:
                assert mf.clean(value, None) is value, (key, mf.name)
    assert seen == {models.DateTimeField, models.TextField}
    assert _unchecked(models.CharField(max_length=5)) is None
    assert _unchecked(models.TextField(choices=[("a", "A")])) is None
