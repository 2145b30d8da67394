"""Every gates registry (gates, status periods, daily statistics): the CSV and XLSX exports of the page
re-import unchanged — same rows, nothing logged, the same export again (NetBox's complaint)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from borderdesk.core.changelog import snapshot
from borderdesk.core.models import ChangeLogEntry
from borderdesk.gates.registries import ALL

pytestmark = pytest.mark.django_db
QUERY = {"danh-sach": "", "trang-thai": "", "so-lieu": "period=2025-M03"}


@pytest.mark.parametrize("reg", ALL, ids=[r.slug for r in ALL])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimports_unchanged(client, users, reg, fmt):
    user = users["vanphong.ls"]
    client.force_login(user)
    url = f"/cua-khau/{reg.slug}/xuat/?dinh_dang={fmt}&{QUERY[reg.slug]}"
    body = client.get(url).content
    qs = reg.filter(reg.queryset(user), dict(p.split("=") for p in QUERY[reg.slug].split("&") if p))
    before = [snapshot(o) for o in qs.order_by("pk")]
    assert before, "nothing exported"
    log_before = ChangeLogEntry.objects.count()
    result = reg.run_import(user=user, uploaded=SimpleUploadedFile(f"x.{fmt}", body))
    assert result.ok, [(e.row, e.field, e.message) for e in result.errors][:5]
    assert result.unchanged == len(before) and result.created == result.updated == 0
    assert [snapshot(o) for o in qs.all().order_by("pk")] == before
    assert ChangeLogEntry.objects.count() == log_before
    assert client.get(url).content == body or fmt == "xlsx"  # xlsx carries a timestamp


@pytest.mark.parametrize(
    "key,same_as", [("2025-M03", "2025M03"), ("2025m03", "2025M03"), ("2025-q1", "2025Q1"), ("tháng ba", None)]
)
def test_period_filter_reads_the_keys_its_label_shows(client, users, key, same_as):
    """The list's label offers "2025-Q1, 2025-M03"; an unreadable key is refused (400), never everything."""
    from borderdesk.core.periods import parse_period
    from borderdesk.gates.models import BorderGate, GateDailyStat

    client.force_login(users["vanphong.ls"])
    hn = BorderGate.objects.get(code="huu-nghi")
    expected = 0
    if same_as:
        p = parse_period(same_as)
        expected = GateDailyStat.objects.filter(gate=hn, date__range=(p.start, p.end)).count()
        assert expected >= 28
    r = client.get("/cua-khau/so-lieu/", {"gate": hn.pk, "period": key})
    if same_as is None:
        assert r.status_code == 400 and r.context["page"].paginator.count == 0 and "Kỳ không hợp lệ" in r.text
        assert client.get("/cua-khau/so-lieu/xuat/", {"gate": hn.pk, "period": key}).status_code == 400
        assert client.get("/api/gates/stats", {"gate": hn.pk, "period": key}).status_code == 400
        return
    assert r.status_code == 200 and r.context["page"].paginator.count == expected
    body = client.get("/cua-khau/so-lieu/xuat/", {"gate": hn.pk, "period": key}).content.decode()
    assert len(body.strip().splitlines()) == expected + 1
    assert client.get("/api/gates/stats", {"gate": hn.pk, "period": key}).json()["count"] == expected
