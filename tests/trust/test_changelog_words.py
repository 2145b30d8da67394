"""The change log: every write path leaves an entry (tokens, catalogue, language), shown in words; the CSV
in local time with the zone stated."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from borderdesk.accounts.models import ApiToken
from borderdesk.core.models import ChangeLogEntry

pytestmark = pytest.mark.django_db


def _entries(model, **kw):
    return ChangeLogEntry.objects.filter(content_type__model=model, **kw)


def test_token_create_and_revoke_are_logged_without_the_secret(client, users):
    client.force_login(users["vanphong.ls"])
    client.post(reverse("accounts:token_create"), {"name": "máy chủ cửa khẩu"})
    token = ApiToken.objects.get(user=users["vanphong.ls"], name="máy chủ cửa khẩu")
    created = _entries("apitoken", object_id=str(token.pk), action="create").get()
    assert created.after["prefix"] == token.prefix and "key_hash" not in created.after
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert _entries("apitoken", object_id=str(token.pk), action="delete").exists()


def test_language_change_is_logged(client, users):
    client.force_login(users["lanhdao.ls"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    entry = _entries("user", object_id=str(users["lanhdao.ls"].pk)).latest("pk")
    assert (entry.before, entry.after) == ({"language": "vi"}, {"language": "en"})


def test_catalogue_load_is_logged(tmp_path, users):
    from borderdesk.core.errors import NotFoundError
    from borderdesk.reporting import services
    from borderdesk.reporting.services import CATALOGUE_CSV

    text = CATALOGUE_CSV.read_text(encoding="utf-8")
    header, first, *rest = text.splitlines()
    cols = header.split(",")
    row = first.split(",")
    row[cols.index("unit")] = "lượt (sửa)"
    changed = tmp_path / "indicators.csv"
    changed.write_text("\n".join([header, ",".join(row), *rest]) + "\n", encoding="utf-8")
    with pytest.raises(NotFoundError):
        services.catalogue_load(path=changed, user=users["vanphong.ls"])
    result = services.catalogue_load(path=changed, user=users["admin"])
    assert result["updated"] == 1
    entry = _entries("indicator", action="update").latest("pk")
    assert entry.user_repr == "admin" and entry.after["unit"] == "lượt (sửa)"


def test_entries_read_in_words(client, users):
    from borderdesk.gates.models import BorderGate, GateDailyStat
    from borderdesk.gates.services import daily_stat_upsert
    from borderdesk.org.models import Agency
    from borderdesk.reporting.models import Submission

    gate = BorderGate.objects.get(code="huu-nghi")
    stat, _c = daily_stat_upsert(
        user=users["vanphong.ls"],
        gate=gate,
        date=dt.date(2023, 3, 3),
        values={"tonnes": Decimal("600"), "persons_exit": 1700},
    )
    daily_stat_upsert(
        user=users["vanphong.ls"],
        gate=gate,
        date=dt.date(2023, 3, 3),
        values={"tonnes": Decimal("650.5")},
        expected_version=stat.version,
    )
    entry = _entries("gatedailystat", object_id=str(stat.pk)).latest("pk")
    words = dict((label, (b, a)) for label, b, a in entry.described_changes())
    assert ("600", "650,5") in words.values()
    created = _entries("gatedailystat", object_id=str(stat.pk), action="create").get()
    text = " ".join(f"{lbl} {b} {a}" for lbl, b, a in created.described_changes())
    assert "1.700" in text and gate.name in text and "03/03/2023" in text and "E+" not in text
    # A foreign key by name, not "agency_id 15"; a period by its label, not its key.
    agency_entry = ChangeLogEntry(
        content_type=entry.content_type.__class__.objects.get_for_model(Agency),
        before={"parent_id": None},
        after={"parent_id": Agency.objects.first().pk},
    )
    assert agency_entry.described_changes()[0][2] == str(Agency.objects.first())
    sub_ct = entry.content_type.__class__.objects.get_for_model(Submission)
    period_entry = ChangeLogEntry(
        content_type=sub_ct, before={"period_key": "2025M11"}, after={"period_key": "2025M12"}
    )
    ((label, b, a),) = period_entry.described_changes()
    assert "2025M12" not in a and "12" in a and "2025" in a
    client.force_login(users["admin"])
    page = client.get(reverse("core:changelog_entry", args=[entry.pk])).content.decode()
    assert "650,5" in page and "tonnes" not in page
    assert GateDailyStat.objects.get(pk=stat.pk).tonnes == Decimal("650.5")


def test_changelog_csv_in_local_time_with_the_zone(client, users):
    client.force_login(users["admin"])
    body = b"".join(client.get(reverse("core:changelog_export")).streaming_content).decode("utf-8-sig")
    header, first = body.splitlines()[:2]
    assert "Asia/Ho_Chi_Minh" in header
    entry = ChangeLogEntry.objects.order_by("-time", "-id").first()
    assert timezone.localtime(entry.time).isoformat(timespec="seconds") in first
    assert "+07:00" in first


def test_a_first_save_lists_only_the_values_entered():
    from django.contrib.contenttypes.models import ContentType

    from borderdesk.reporting.models import Submission

    entry = ChangeLogEntry(
        content_type=ContentType.objects.get_for_model(Submission),
        before={"values": {}},
        after={"values": {"PATROLS_BILATERAL": {"value": "1700", "comment": "", "qualifier": ""}}},
    )
    ((label, before, after),) = entry.described_changes()
    assert label.endswith("giá trị") and "PATROLS_BILATERAL" not in label
    assert (before, after) == ("—", "1.700")
