"""Spreadsheets a civil servant reads, and the round trip: for EVERY registry and EVERY role, the page's
CSV and XLSX exports re-import with nothing changed (no row, no change-log entry); the cell codec keeps
every value (a property test); errors quote the bad value and the allowed ones."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from borderdesk.coordination.registries import ALL as COORDINATION
from borderdesk.core import permissions
from borderdesk.core.changelog import snapshot
from borderdesk.core.models import ChangeLogEntry
from borderdesk.core.registry import tabular
from borderdesk.core.scoping import Action
from borderdesk.core.vn import parse_number
from borderdesk.frontier.registries import ALL as FRONTIER
from borderdesk.frontier.registries import REFERENCE, patrols
from borderdesk.gates.registries import ALL as GATES
from borderdesk.outreach.registries import ALL as OUTREACH

REGISTRIES = [*FRONTIER, *REFERENCE, *GATES, *OUTREACH, *COORDINATION]
ROLES = [
    "admin",
    "vanphong.ls",
    "vanphong.sl",
    "baocao.dongdang",
    "baocao.quockhanh",
    "baocao.huunghi",
    "duyet.ls",
    "lanhdao.ls",
    "kiemtra.ls",
]
#: keep each export to a month where the registry is large (the round trip validates every row)
NARROW = {"tuan-tra": "ky=2025-M03", "kiem-tra-moc": "ky=2025-M03", "so-lieu": "period=2025-M03"}


def _params(reg) -> dict:
    q = NARROW.get(reg.slug, "")
    return dict(p.split("=") for p in q.split("&") if p)


#: Every role round-trips every registry through CSV (what each role may export and re-import is a matter of
#: scope); XLSX, the other codec of the same rows, for three roles of different reach (nation, station, commune).
CASES = [(reg, role, "csv") for reg in REGISTRIES for role in ROLES] + [
    (reg, role, "xlsx") for reg in REGISTRIES for role in ("admin", "baocao.huunghi", "baocao.dongdang")
]


@pytest.mark.django_db
@pytest.mark.parametrize(("reg", "role", "fmt"), CASES, ids=[f"{r.slug}-{u}-{f}" for r, u, f in CASES])
def test_every_registry_and_role_round_trips(client, users, reg, role, fmt):
    user = users[role]
    client.force_login(user)
    params = _params(reg)
    r = client.get(reverse(reg.url_name("export")), {**params, "dinh_dang": fmt})
    assert r.status_code == 200
    body = r.content
    qs = reg.filter(reg.queryset(user), params).order_by("pk")
    before = [snapshot(o) for o in qs]
    import_page = client.get(reverse(reg.url_name("import")))
    if import_page.status_code == 404:  # a role that may not change this registry: nothing to import into
        assert not permissions.can(user, reg.model, permissions.Op.CHANGE)
        return
    log_before = ChangeLogEntry.objects.count()
    result = reg.run_import(user=user, uploaded=SimpleUploadedFile(f"x.{fmt}", body))
    assert result.ok, [(e.row, e.column, e.message) for e in result.errors][:5]
    assert result.unchanged == len(before) and result.created == result.updated == 0
    assert [snapshot(o) for o in qs.all()] == before
    assert ChangeLogEntry.objects.count() == log_before


@pytest.mark.django_db
def test_round_trip_covers_real_rows(users):
    """The parametrised round trip is not vacuous: the station and the commune export rows of their own."""
    station, commune = users["baocao.huunghi"], users["baocao.dongdang"]
    assert patrols.filter(patrols.queryset(station), _params(patrols)).exists()
    assert sum(reg.filter(reg.queryset(commune), _params(reg)).count() for reg in REGISTRIES) > 0
    for role in ("admin", "vanphong.ls"):
        empty = [r.slug for r in REGISTRIES if not r.filter(r.queryset(users[role]), _params(r)).exists()]
        assert not empty or role == "vanphong.ls", empty


@pytest.mark.django_db
def test_station_reimports_its_own_patrols_ending_at_another_stations_marker(users):
    """Reported: a station's own patrol export was refused because a patrol's end marker is outside its scope."""
    station = users["baocao.huunghi"]
    from borderdesk.frontier.models import Marker

    visible = set(Marker.objects.for_user(station, Action.VIEW).values_list("pk", flat=True))
    mine = patrols.queryset(station)
    foreign = [p for p in mine if p.to_marker_id not in visible or p.from_marker_id not in visible]
    assert foreign, "the demo has no such patrol; the test would prove nothing"
    rows = list(tabular.export_rows(mine.filter(pk__in=[p.pk for p in foreign[:5]]), patrols.form_class))
    result = patrols.run_import(user=station, uploaded=SimpleUploadedFile("p.csv", tabular.write_csv(rows)))
    assert result.ok and result.unchanged == min(5, len(foreign)), [e.as_dict() for e in result.errors][:3]
    # ... but it still cannot point a patrol at a marker it does not see
    other = Marker.objects.exclude(pk__in=visible).exclude(pk=foreign[0].to_marker_id).first()
    cols = rows[0]
    rows[1][cols.index("Đến mốc")] = other.pk
    result = patrols.run_import(user=station, uploaded=SimpleUploadedFile("p.csv", tabular.write_csv(rows[:2])))
    assert not result.ok and str(other.pk) in result.errors[0].message


@pytest.mark.django_db
def test_export_reads_like_a_civil_servants_table(users):
    user = users["vanphong.ls"]
    qs = patrols.filter(patrols.queryset(user), _params(patrols)).order_by("pk")
    wb = load_workbook(io.BytesIO(tabular.write_xlsx(tabular.export_rows(qs, patrols.form_class))))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header[:6] == [
        "Mã hệ thống",
        "Hình thức tuần tra",
        "Bắt đầu",
        "Kết thúc",
        "Đơn vị tuần tra",
        "Đơn vị tuần tra (tên)",
    ]
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    from borderdesk.frontier.choices import PatrolKind

    with __import__("django.utils.translation", fromlist=["override"]).override("vi"):
        labels = {str(label) for _k, label in PatrolKind.choices}
    kinds = {r[1].value for r in ws.iter_rows(min_row=2)}
    assert kinds <= labels and not kinds & set(PatrolKind.values)
    assert isinstance(row["Bắt đầu"].value, dt.datetime) and row["Bắt đầu"].number_format == "dd/mm/yyyy hh:mm"
    assert row["Số người tham gia"].data_type == "n" and row["Số người tham gia"].number_format == "#,##0"
    km = row["Quãng đường (km)"]
    assert km.data_type == "n" and km.number_format.startswith("#,##0")
    assert row["Đã ký biên bản"].value in ("Có", "Không")
    text = tabular.write_csv(tabular.export_rows(qs[:1], patrols.form_class)).decode("utf-8-sig")
    first = text.splitlines()[1]
    assert "/2025 " in first and (",Có" in first or ",Không" in first)


@pytest.mark.django_db
def test_errors_quote_the_value_and_the_allowed_ones(users):
    user = users["vanphong.ls"]
    qs = patrols.filter(patrols.queryset(user), _params(patrols)).order_by("pk")[:1]
    rows = list(tabular.export_rows(qs, patrols.form_class))
    cols = rows[0]
    bad = [list(rows[1]), list(rows[1]), list(rows[1]), list(rows[1])]
    bad[0][cols.index("Hình thức tuần tra")] = "bilaterral"
    bad[1][cols.index("Đã ký biên bản")] = "chắc vậy"
    bad[2][cols.index("Số người tham gia")] = "mười hai"
    bad[3][cols.index("Bắt đầu")] = "31/02/2025 08:00"
    for row, value, allowed in (
        (bad[0], "bilaterral", "Song phương"),
        (bad[1], "chắc vậy", "Có"),
        (bad[2], "mười hai", "1.700"),
        (bad[3], "31/02/2025 08:00", "dd/mm/yyyy"),
    ):
        result = patrols.run_import(user=user, uploaded=SimpleUploadedFile("p.csv", tabular.write_csv([cols, row])))
        assert not result.ok
        e = result.errors[0]
        assert value in e.message and allowed in e.message and e.column in cols and e.row == 2
    # technical names and choice codes (a program's file) are read too
    tech = ["id", "kind"]
    result = patrols.run_import(
        user=user,
        uploaded=SimpleUploadedFile(
            "p.csv", tabular.write_csv([tech, [rows[1][0], patrols.model.objects.get(pk=rows[1][0]).kind]])
        ),
    )
    assert result.ok and result.unchanged == 1
    with pytest.raises(tabular.ImportRejected) as exc:
        patrols.run_import(user=user, uploaded=SimpleUploadedFile("p.csv", "Cột lạ\n1\n".encode()))
    assert "Cột lạ" in str(exc.value.message) and "Hình thức tuần tra" in str(exc.value.message)


# ---------------------------------------------------------------- the codec, as a property


def _read_back(rows, fmt):
    body = tabular.write_xlsx(rows) if fmt == "xlsx" else tabular.write_csv(rows)
    return tabular.read_table(SimpleUploadedFile(f"x.{fmt}", body))


decimals = st.decimals(
    min_value=Decimal("-9999999999"), max_value=Decimal("9999999999"), places=4, allow_nan=False, allow_infinity=False
)
texts = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co")), max_size=40).map(str.strip)


@settings(max_examples=60, deadline=None)
@given(
    n=decimals,
    i=st.integers(min_value=-(10**12), max_value=10**12),
    t=texts,
    d=st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2100, 12, 31)),
    ts=st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2100, 1, 1)).map(
        lambda x: x.replace(microsecond=0)
    ),
    fmt=st.sampled_from(["csv", "xlsx"]),
)
def test_cells_keep_every_value(n, i, t, d, ts, fmt):
    (row,) = [r for r in _read_back([["n", "i", "t", "d", "ts"], [n, i, t, d, ts]], fmt) if r]
    assert parse_number(row["n"]) == n
    assert parse_number(row["i"]) == i
    assert row["t"] == t
    assert dt.datetime.strptime(row["d"], "%d/%m/%Y").date() == d
    fmt_ts = "%d/%m/%Y %H:%M:%S" if ts.second else "%d/%m/%Y %H:%M"
    back = dt.datetime.strptime(row["ts"], fmt_ts) if ":" in row["ts"] else dt.datetime.strptime(row["ts"], "%d/%m/%Y")
    assert back == ts


@pytest.mark.django_db
def test_export_is_vietnamese_whatever_the_interface_language(client, users):
    """A user who reads the pages in English still gets the spreadsheet a Vietnamese office files: headers,
    yes/no and the names of linked objects in Vietnamese (seen: "System ID", "Đơn vị tuần tra (name)",
    "Marker 1104", "Yes"/"No" in an English user's export)."""
    client.force_login(users["vanphong.ls"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get(reverse("frontier:tuan-tra_export"), {"format": "csv", "ky": "2025-M03"}).content.decode(
        "utf-8-sig"
    )
    header, *rows = [line.split(",") for line in body.splitlines()]
    assert header[0] == "Mã hệ thống"
    assert "Đơn vị tuần tra (tên)" in header
    assert rows and not any("Marker" in c or c in ("Yes", "No") for r in rows for c in r)
    assert any(c.startswith("Mốc ") for r in rows for c in r)
    assert {r[-1] for r in rows} <= {"Có", "Không"}


def test_import_reads_an_export_made_in_english_before():
    """Files exported by an English-speaking user before the export was Vietnamese in every language."""
    keys = tabular.header_keys(patrols.form_class)
    assert keys[tabular._norm("System ID")] == "id"
    assert keys[tabular._norm("Đơn vị tuần tra (name)")] == "agency" + tabular.LABEL_SUFFIX
