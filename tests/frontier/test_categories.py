"""Incident categories: national reference data — everyone reads, administrators write (page and API),
indicator link checked against the reporting catalogue, change log, optimistic locking, protected delete."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from borderdesk.core.models import ChangeLogEntry
from borderdesk.frontier import forms
from borderdesk.frontier.models import IncidentCategory

from .conftest import aware

pytestmark = pytest.mark.django_db

API = "/api/frontier/incident-categories"


def _log(obj, action):
    return ChangeLogEntry.objects.filter(content_type__model="incidentcategory", object_id=str(obj.pk), action=action)


def _new(**extra):
    data = {
        "code": "drug_trafficking",
        "name": "Ma túy qua biên giới",
        "sort_order": 55,
        "indicator_code": "INCIDENTS_CROSS_BORDER_CRIME",
    }
    return data | extra


# ---------------------------------------------------------------- seeded data and its indicator links


def test_seeded_categories_link_to_catalogue_indicators():
    links = dict(IncidentCategory.objects.values_list("code", "indicator_code"))
    assert links["marker_damage"] == "INCIDENTS_MARKER_DAMAGE"
    assert links["illegal_crossing"] == "ILLEGAL_CROSSING_CASES"
    assert all(links.values()), links


# ---------------------------------------------------------------- pages


def test_everyone_reads_list_and_detail(client, users):
    cat = IncidentCategory.objects.get(code="smuggling")
    for name in ("lanhdao.ls", "baocao.dongdang", "vanphong.ls", "admin"):
        client.force_login(users[name])
        page = client.get(reverse("frontier:loai-vu-viec_list"))
        assert page.status_code == 200 and cat.name in page.content.decode()
        assert client.get(reverse("frontier:loai-vu-viec_detail", args=[cat.pk])).status_code == 200


@pytest.mark.parametrize("name", ["vanphong.ls", "baocao.dongdang", "lanhdao.ls"])
def test_non_admins_cannot_write_from_pages(client, users, name):
    cat = IncidentCategory.objects.get(code="other")
    client.force_login(users[name])
    body = client.get(reverse("frontier:loai-vu-viec_list")).content.decode()
    assert reverse("frontier:loai-vu-viec_create") not in body
    detail = client.get(reverse("frontier:loai-vu-viec_detail", args=[cat.pk])).content.decode()
    assert reverse("frontier:loai-vu-viec_edit", args=[cat.pk]) not in detail
    assert reverse("frontier:loai-vu-viec_delete", args=[cat.pk]) not in detail
    assert client.get(reverse("frontier:loai-vu-viec_create")).status_code == 404
    assert client.post(reverse("frontier:loai-vu-viec_create"), _new()).status_code == 404
    assert (
        client.post(
            reverse("frontier:loai-vu-viec_edit", args=[cat.pk]), {"code": "other", "name": "Đổi tên", "sort_order": 1}
        ).status_code
        == 404
    )
    assert client.post(reverse("frontier:loai-vu-viec_delete", args=[cat.pk])).status_code == 404
    assert client.get(reverse("frontier:loai-vu-viec_import")).status_code == 404
    cat.refresh_from_db()
    assert cat.name == "Vụ việc khác" and not IncidentCategory.objects.filter(code="drug_trafficking").exists()


def test_admin_creates_edits_deletes_from_pages_with_change_log(client, users):
    client.force_login(users["admin"])
    assert client.get(reverse("frontier:loai-vu-viec_create")).status_code == 200
    r = client.post(reverse("frontier:loai-vu-viec_create"), _new())
    assert r.status_code == 302, r.content.decode()
    cat = IncidentCategory.objects.get(code="drug_trafficking")
    assert cat.indicator_code == "INCIDENTS_CROSS_BORDER_CRIME" and cat.version == 1
    assert _log(cat, "create").get().user == users["admin"]

    r = client.post(
        reverse("frontier:loai-vu-viec_edit", args=[cat.pk]), _new(name="Vận chuyển ma túy qua biên giới", _version=1)
    )
    assert r.status_code == 302
    cat.refresh_from_db()
    assert cat.version == 2
    entry = _log(cat, "update").get()
    assert entry.before["name"] == "Ma túy qua biên giới" and entry.after["name"] == "Vận chuyển ma túy qua biên giới"

    # A stale form (version 1) does not overwrite the newer edit.
    r = client.post(reverse("frontier:loai-vu-viec_edit", args=[cat.pk]), _new(name="Cũ", _version=1))
    assert r.status_code == 400 and "phiên bản" in r.content.decode()
    cat.refresh_from_db()
    assert cat.name == "Vận chuyển ma túy qua biên giới"

    r = client.post(reverse("frontier:loai-vu-viec_delete", args=[cat.pk]), {"reason": "Gộp vào loại khác"})
    assert r.status_code == 302
    assert not IncidentCategory.objects.filter(pk=cat.pk).exists()
    assert _log(cat, "delete").get().reason == "Gộp vào loại khác"


def test_indicator_link_checked_against_catalogue(client, users):
    client.force_login(users["admin"])
    for bad in ("PATROLS_BILATERAL", "INCIDENTS_NOT_A_THING"):
        r = client.post(reverse("frontier:loai-vu-viec_create"), _new(indicator_code=bad))
        assert r.status_code == 400 and bad in r.content.decode()
    assert not IncidentCategory.objects.filter(code="drug_trafficking").exists()
    # Known to the derived figures but missing from the catalogue: refused too.
    from borderdesk.reporting.models import Indicator

    Indicator.objects.filter(code="INCIDENTS_OTHER").delete()
    r = client.post(reverse("frontier:loai-vu-viec_create"), _new(indicator_code="INCIDENTS_OTHER"))
    assert r.status_code == 400 and "danh mục" in r.content.decode()
    # No link at all is allowed (the category is then counted only in the total).
    r = client.post(reverse("frontier:loai-vu-viec_create"), _new(indicator_code=""))
    assert r.status_code == 302


def test_delete_page_refuses_a_category_in_use(client, users, world, save):
    cat = IncidentCategory.objects.get(code="illegal_crossing")
    save(
        forms.IncidentForm,
        {
            "title": "Vượt biên",
            "category": cat.pk,
            "occurred_at": aware(2025, 3, 1).strftime("%Y-%m-%d %H:%M"),
            "marker": world["markers"]["T900"].pk,
            "persons_involved": 1,
            "vehicles_involved": 0,
        },
    )
    client.force_login(users["admin"])
    page = client.get(reverse("frontier:loai-vu-viec_delete", args=[cat.pk]))
    assert page.status_code == 200 and "Không thể xóa" in page.content.decode()
    r = client.post(reverse("frontier:loai-vu-viec_delete", args=[cat.pk]))
    assert r.status_code == 409
    assert IncidentCategory.objects.filter(pk=cat.pk).exists() and not _log(cat, "delete").exists()


def test_list_page_query_count_is_bounded(client, users):
    client.force_login(users["lanhdao.ls"])
    url = reverse("frontier:loai-vu-viec_list")
    client.get(url)
    counts = []
    for extra in range(2):
        if extra:
            for i in range(30):
                IncidentCategory.objects.create(code=f"extra_{i}", name=f"Loại thêm {i}", sort_order=200 + i)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"page_size": 500}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_categories_link_on_frontier_home(client, users):
    client.force_login(users["lanhdao.ls"])
    assert reverse("frontier:loai-vu-viec_list") in client.get(reverse("frontier:home")).content.decode()


# ---------------------------------------------------------------- API


def test_api_read_for_everyone(client, users):
    client.force_login(users["baocao.dongdang"])
    items = client.get(API, {"page_size": 50}).json()["items"]
    assert {"id", "code", "name", "sort_order", "indicator_code", "version"} <= set(items[0])
    assert len(items) == IncidentCategory.objects.count()
    cat = IncidentCategory.objects.get(code="epidemic")
    assert client.get(f"{API}/{cat.pk}").json()["indicator_code"] == "INCIDENTS_EPIDEMIC"


@pytest.mark.parametrize("name", ["vanphong.ls", "baocao.dongdang", "lanhdao.ls"])
def test_api_writes_refused_for_non_admins(client, users, name):
    cat = IncidentCategory.objects.get(code="other")
    client.force_login(users[name])
    r = client.post(API, _new(), content_type="application/json")
    assert r.status_code in (403, 404)
    r = client.put(f"{API}/{cat.pk}", {"name": "Đổi tên"}, content_type="application/json")
    assert r.status_code == 404
    assert client.delete(f"{API}/{cat.pk}").status_code == 404
    cat.refresh_from_db()
    assert cat.name == "Vụ việc khác" and not IncidentCategory.objects.filter(code="drug_trafficking").exists()


def test_api_standing_office_create_is_forbidden(client, users):
    client.force_login(users["vanphong.ls"])
    r = client.post(API, _new(), content_type="application/json")
    assert r.status_code == 404 and r.json()["error"] == "not_found"  # the same answer as the page


def test_api_admin_writes_with_log_locking_and_errors(client, users, world, save):
    client.force_login(users["admin"])
    r = client.post(API, _new(), content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    cat = IncidentCategory.objects.get(pk=pk)
    assert _log(cat, "create").exists()

    r = client.post(API, _new(code="x2", indicator_code="PATROLS_BILATERAL"), content_type="application/json")
    assert r.status_code == 400 and "indicator_code" in r.json()["fields"]
    r = client.post(API, _new(), content_type="application/json")  # duplicate code
    assert r.status_code == 400 and "code" in r.json()["fields"]

    r = client.put(f"{API}/{pk}", {"sort_order": 56, "version": 1}, content_type="application/json")
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["sort_order"] == 56
    assert _log(cat, "update").get().after["sort_order"] == 56
    r = client.put(f"{API}/{pk}", {"sort_order": 57, "version": 1}, content_type="application/json")
    assert r.status_code == 409

    # In use by an incident: 409, kept, nothing logged; unused: 204 and logged.
    incident = save(
        forms.IncidentForm,
        {
            "title": "Ma túy",
            "category": pk,
            "occurred_at": aware(2025, 3, 1).strftime("%Y-%m-%d %H:%M"),
            "marker": world["markers"]["T900"].pk,
            "persons_involved": 1,
            "vehicles_involved": 0,
        },
    )
    r = client.delete(f"{API}/{pk}")
    assert r.status_code == 409 and r.json()["error"] == "protected"
    assert IncidentCategory.objects.filter(pk=pk).exists() and not _log(cat, "delete").exists()
    incident.delete()
    assert client.delete(f"{API}/{pk}?version=1").status_code == 409  # stale version
    assert client.delete(f"{API}/{pk}?version=2").status_code == 204
    assert _log(cat, "delete").exists()


def test_api_list_query_count_is_bounded(client, users):
    client.force_login(users["lanhdao.ls"])
    client.get(API)
    counts = []
    for size in (2, 500):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(API, {"page_size": size}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# ---------------------------------------------------------------- derived figures follow the link


def test_new_category_counts_in_its_linked_indicator(users, world, save, ls):
    from borderdesk.core.periods import parse_period
    from borderdesk.org.models import AdministrativeUnit, Agency
    from borderdesk.reporting.registry import compute_derived

    unit_ids = frozenset(AdministrativeUnit.objects.filter(path__startswith=ls.path).values_list("pk", flat=True))
    scope = {
        "unit_ids": unit_ids,
        "agency_ids": frozenset(Agency.objects.filter(unit_id__in=unit_ids).values_list("pk", flat=True)),
    }
    period = parse_period("2025")
    before = {
        c: compute_derived(c, **scope, period=period) or 0
        for c in ("INCIDENTS_CROSS_BORDER_CRIME", "INCIDENTS_OTHER", "INCIDENTS_TOTAL")
    }
    cat = IncidentCategory.objects.create(
        code="drug_trafficking", name="Ma túy", indicator_code="INCIDENTS_CROSS_BORDER_CRIME"
    )
    save(
        forms.IncidentForm,
        {
            "title": "Ma túy",
            "category": cat.pk,
            "occurred_at": aware(2025, 3, 1).strftime("%Y-%m-%d %H:%M"),
            "marker": world["markers"]["T900"].pk,
            "persons_involved": 1,
            "vehicles_involved": 0,
        },
    )
    after = {c: compute_derived(c, **scope, period=period) or 0 for c in before}
    assert {c: after[c] - before[c] for c in before} == {
        "INCIDENTS_CROSS_BORDER_CRIME": 1,
        "INCIDENTS_OTHER": 0,
        "INCIDENTS_TOTAL": 1,
    }


def test_the_list_names_each_categorys_indicator_not_its_code(client, users):
    from borderdesk.reporting.models import Indicator

    client.force_login(users["vanphong.ls"])
    html = client.get(reverse("frontier:loai-vu-viec_list")).content.decode()
    main = html.split("<main", 1)[-1]
    name = Indicator.objects.get(code="INCIDENTS_MARKER_DAMAGE").name_vi
    assert name in main and "INCIDENTS_MARKER_DAMAGE" not in main
    cat = IncidentCategory.objects.get(code="marker_damage")
    detail = client.get(reverse("frontier:loai-vu-viec_detail", args=[cat.pk])).content.decode()
    assert name in detail.split("<main", 1)[-1]


# ---------------------------------------------------------------- English names


def test_categories_read_in_english_in_the_english_interface(client, users):
    """The seeded categories carry an English name; the English interface shows it (the list, the dashboard's
    incidents by category), the Vietnamese one the Vietnamese name; an administrator sets it from the page and the
    API like any other field."""
    smuggling = IncidentCategory.objects.get(code="smuggling")
    assert smuggling.name_en == "Smuggling and trafficking in prohibited goods"
    client.force_login(users["vanphong.ls"])
    client.cookies["django_language"] = "en"
    listing = client.get(reverse("frontier:loai-vu-viec_list")).content.decode()
    assert "Smuggling and trafficking in prohibited goods" in listing
    overview = client.get("/tong-quan/tinh/?ky=2025").content.decode()
    assert "Illegal exit and entry" in overview and "Xuất cảnh, nhập cảnh trái phép" not in overview
    client.cookies["django_language"] = "vi"
    assert "Buôn lậu, vận chuyển hàng cấm" in client.get(reverse("frontier:loai-vu-viec_list")).content.decode()

    client.force_login(users["admin"])
    created = client.post(API, _new(name_en="Drug trafficking across the border"), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["name_en"] == "Drug trafficking across the border"
    assert IncidentCategory.objects.get(code="drug_trafficking").name_en == "Drug trafficking across the border"


def test_a_file_without_the_english_column_keeps_the_english_names(users):
    """A category file written before the English names (no `name_en` column) updates what it has and leaves the
    English names as they are, row by row and in bulk."""
    from django.db import transaction

    from borderdesk.frontier.registries import categories
    from tests.core.test_bulk_columns import _import

    pk = IncidentCategory.objects.get(code="smuggling").pk
    text = f"id,code,name,sort_order,indicator_code\n{pk},smuggling,Buôn lậu qua biên giới,20,SMUGGLING_CASES\n"
    for bulk in (False, True):
        with transaction.atomic():
            result = _import(categories, users["admin"], text.encode("utf-8"), bulk=bulk)
            assert result.ok and result.updated == 1, result.errors
            smuggling = IncidentCategory.objects.get(code="smuggling")
            assert smuggling.name == "Buôn lậu qua biên giới"
            assert smuggling.name_en == "Smuggling and trafficking in prohibited goods", bulk
            transaction.set_rollback(True)
