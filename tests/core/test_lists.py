"""Every list × every channel (page, API, export): one ListSpec (core.listing) gives the same rows.

For each list declared with core.listing: the same query string (a filter, a sort, a page) gives the same rows,
in the same order, on the page, in the API and in the export (the export: every page); each sortable column
really sorts (checked against the database values in Python, names in Vietnamese order through
``core.collation.sort_key``, empty values last in both directions); a user sees only rows of the scope whatever the
sort or filter; bad parameters are a 400 that says what to fix; a page costs a fixed number of queries.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import borderdesk.urls  # noqa: F401 - mounts the API routers (fills API_PATHS)
from borderdesk.accounts.lists import USERS
from borderdesk.coordination import registries as coordination
from borderdesk.coordination.lists import COMMENDATIONS, CONFERENCES, TASKS
from borderdesk.core.collation import sort_key
from borderdesk.core.listing import ListSpec, is_text_name
from borderdesk.core.permissions import Op
from borderdesk.core.registry.api import API_PATHS
from borderdesk.documents.lists import DRAFTS
from borderdesk.extraction.lists import DOCUMENTS
from borderdesk.frontier import registries as frontier
from borderdesk.gates import registries as gates
from borderdesk.jobs.lists import JOBS
from borderdesk.org.lists import AGENCIES, COMMITTEES, COUNTERPARTS, MEMBERSHIPS, UNITS
from borderdesk.outreach import registries as outreach
from borderdesk.reporting.lists import INDICATORS, SUBMISSIONS

pytestmark = pytest.mark.django_db

REGISTRIES = [*gates.ALL, *frontier.ALL, *frontier.REFERENCE, *outreach.ALL, *coordination.ALL]


@dataclass
class Case:
    name: str
    spec: ListSpec
    page: str
    api: str
    model: type
    export: str = ""
    filters: dict = field(default_factory=dict)  # a filter that keeps several rows
    action: str = "view"
    id_field: str = "pk"  # what identifies a row in the API's answer ("id", or "code" for indicators)
    rows: object = None  # () -> the queryset the test reads sort values from (annotated counts); default: the model


def _cases() -> list[Case]:
    from borderdesk.accounts.models import User
    from borderdesk.coordination.models import Commendation, Conference, Task
    from borderdesk.documents.models import ReportDraft
    from borderdesk.extraction.models import SourceDocument
    from borderdesk.jobs.models import Job
    from borderdesk.org.models import AdministrativeUnit, Agency, Committee, Counterpart, Membership
    from borderdesk.reporting.models import Indicator, Submission

    out = [
        Case(
            r.key,
            r.spec,
            reverse(r.url_name("list")),
            API_PATHS[r.model],
            r.model,
            reverse(r.url_name("export")),
            action=r.action(Op.LIST),
        )
        for r in REGISTRIES
    ]
    out += [
        Case("reporting:submissions", SUBMISSIONS, "/bao-cao/", "/api/reporting/submissions", Submission),
        Case("accounts:users", USERS, reverse("accounts:users"), "/api/accounts/users", User, action="manage"),
        Case("jobs:list", JOBS, reverse("jobs:list"), "/api/jobs/", Job),
        Case("documents:drafts", DRAFTS, reverse("documents:home"), "/api/documents/drafts", ReportDraft),
        Case("coordination:tasks", TASKS, reverse("coordination:tasks"), "/api/coordination/tasks", Task),
        Case(
            "coordination:conferences",
            CONFERENCES,
            reverse("coordination:home"),
            "/api/coordination/conferences",
            Conference,
        ),
        Case(
            "coordination:commendations",
            COMMENDATIONS,
            reverse("coordination:commendations"),
            "/api/coordination/commendations",
            Commendation,
        ),
        Case(
            "reporting:indicators",
            INDICATORS,
            "/bao-cao/chi-tieu/",
            "/api/reporting/indicators",
            Indicator,
            id_field="code",
        ),
        Case(
            "extraction:documents",
            DOCUMENTS,
            "/trich-xuat/",
            "/api/extraction/documents",
            SourceDocument,
            rows=lambda: SourceDocument.objects.annotate(
                n_proposals=Count("proposals"),
                n_open=Count("proposals", filter=Q(proposals__status="proposed")),
                n_accepted=Count("proposals", filter=Q(proposals__status="accepted")),
                n_imported=Count("proposals", filter=Q(proposals__status="imported")),
            ),
        ),
        # API-only lists (their pages are the tree and the committee pages, not lists)
        Case("org:units", UNITS, "", "/api/org/units", AdministrativeUnit),
        Case("org:agencies", AGENCIES, "", "/api/org/agencies", Agency),
        Case("org:committees", COMMITTEES, "", "/api/org/committees", Committee),
        Case("org:memberships", MEMBERSHIPS, "", "/api/org/memberships", Membership),
        Case("org:counterparts", COUNTERPARTS, "", "/api/org/counterparts", Counterpart),
    ]
    return out


def _case_ids() -> list[str]:
    names = [r.key for r in REGISTRIES]
    return [
        *names,
        *("reporting:submissions", "accounts:users", "jobs:list", "documents:drafts", "coordination:tasks"),
        *("coordination:conferences", "coordination:commendations", "reporting:indicators", "extraction:documents"),
        *("org:units", "org:agencies", "org:committees", "org:memberships", "org:counterparts"),
    ]


PAGE_CASES = [n for n in _case_ids() if not n.startswith("org:")]


@pytest.fixture
def case(request, users):
    found = {c.name: c for c in _cases()}[request.param]
    _ensure_rows(found, users["admin"])
    return found


def _ensure_rows(case: Case, admin) -> None:
    """Lists the demonstration data leaves (almost) empty get a few rows, so every sort has something to order."""
    from borderdesk.jobs.models import Job, JobStatus

    if case.name == "jobs:list" and Job.objects.filter(created_by=admin).count() < 3:
        for title, status in [("Nhập tuần tra", JobStatus.DONE), ("Dựng lại số liệu", JobStatus.FAILED), ("Ảnh", "")]:
            Job.objects.create(kind="test", title=title, status=status or JobStatus.QUEUED, created_by=admin)
    if case.name == "extraction:documents":
        from borderdesk.extraction import services as extraction
        from borderdesk.org.models import AdministrativeUnit

        unit = AdministrativeUnit.objects.filter(kind="province").first()
        for title, text in [("Tin tháng 3", "Tuần tra 12 lần."), ("Báo cáo quý", "Tuyên truyền 5 buổi, 300 lượt.")]:
            extraction.document_create(user=admin, title=title, text=text, unit=unit)
    if case.name == "documents:drafts":
        import datetime as dt

        from borderdesk.core.periods import parse_period
        from borderdesk.documents import services
        from borderdesk.org.selectors import committees_for_user

        committees = list(committees_for_user(user=admin)[:2])
        for committee, key in [(committees[0], "2025"), (committees[-1], "2025H1"), (committees[0], "2025Q3")]:
            services.draft_create(
                user=admin, committee=committee, period=parse_period(key), report_date=dt.date(2026, 1, 10)
            )


def _page_ids(client, case: Case, params: dict) -> list:
    if not case.page:  # an API-only list: the API answers for it
        return _api_ids(client, case, params)
    r = client.get(case.page, params)
    assert r.status_code == 200, (case.name, params, r.content[:300])
    return [getattr(obj, case.id_field) for obj in r.context["page"].items]


def _api(client, case: Case, params: dict) -> dict:
    r = client.get(case.api, params)
    assert r.status_code == 200, (case.name, params, r.content[:300])
    return r.json()


def _api_ids(client, case: Case, params: dict) -> list:
    ids = [row["code" if case.id_field == "code" else "id"] for row in _api(client, case, params)["items"]]
    return [uuid.UUID(i) if case.name == "jobs:list" else i for i in ids]


def _export_ids(client, case: Case, params: dict) -> list:
    r = client.get(case.export, params)
    assert r.status_code == 200, (case.name, params)
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    return [int(row[0]) for row in rows[1:]]


def _key(value, vietnamese: bool):
    if value is None:
        return (1, ())  # empty values last, in both directions
    if vietnamese:
        return (0, sort_key(str(value)))
    return (0, value)


def _assert_sorted(case: Case, ids: list, sort_key: str, descending: bool) -> None:
    """The rows ``ids`` are ordered by the sort's first database field (read here, not through the list)."""
    sort = case.spec.sort_named(sort_key)
    first = sort.fields[0]
    flip = descending != first.startswith("-")
    name = first.lstrip("-")
    vietnamese = is_text_name(name.rsplit("__", 1)[-1])  # name, full_name, name_vi, title: Vietnamese order
    rows = case.rows() if case.rows is not None else case.model._default_manager
    values = dict(rows.filter(**{f"{case.id_field}__in": ids}).values_list(case.id_field, name))
    keys = [_key(values[pk], vietnamese) for pk in ids]
    present = [k for k in keys if k[0] == 0]
    assert keys == present + [k for k in keys if k[0] == 1], (case.name, sort_key, "empty values must come last")
    expected = sorted(present, reverse=flip)
    assert present == expected, (case.name, sort_key, descending, [values[pk] for pk in ids])


@pytest.mark.parametrize("case", _case_ids(), indirect=True)
def test_every_sort_gives_the_same_rows_on_the_page_in_the_api_and_in_the_export(client, users, case):
    client.force_login(users["admin"])
    everything = _api(client, case, {"page_size": 500})
    assert everything["count"] >= 2, f"{case.name}: too few rows to test the order"
    assert case.spec.sorts, f"{case.name}: a list without a sortable column"
    for sort in case.spec.sorts:
        for descending in (False, True):
            key = f"-{sort.key}" if descending else sort.key
            all_ids = _api_ids(client, case, {"sort": key, "page_size": 500})
            assert len(all_ids) == len(set(all_ids)) == min(everything["count"], 500)
            _assert_sorted(case, all_ids, sort.key, descending)
            params = {"sort": key, "page_size": 2, "page": 2}
            page_ids = _page_ids(client, case, params)
            assert page_ids == _api_ids(client, case, params) == all_ids[2:4], (case.name, key)
            if case.export and (sort is case.spec.sorts[0] or everything["count"] <= 500):
                exported = _export_ids(client, case, {"sort": key})  # every page, in the list's order
                assert len(exported) == everything["count"] and exported[:500] == all_ids, (case.name, key)


@pytest.mark.parametrize("case", _case_ids(), indirect=True)
def test_a_filter_and_a_search_give_the_same_rows_everywhere(client, users, case):
    """A filter value taken from the options the page offers, and a search term taken from a row."""
    client.force_login(users["admin"])
    spec = case.spec
    tried = 0
    for f in spec.filters:
        options = [v for v, _label in f.options(users["admin"])] if f.kind in ("choice", "model", "bool") else []
        if f.kind == "choice" and f.choices is None:
            continue
        for value in options[:3]:
            params = {f.name: value, "page_size": 3}
            if spec.sorts:
                params["sort"] = f"-{spec.sorts[0].key}"
            api = _api(client, case, params)
            assert _page_ids(client, case, params) == _api_ids(client, case, params)
            if case.export:
                exported = _export_ids(client, case, {k: v for k, v in params.items() if k != "page_size"})
                assert len(exported) == api["count"] and exported[:3] == _api_ids(client, case, params)
            tried += 1
    if spec.search_fields:
        api = _api(client, case, {"page_size": 1})
        first = api["items"][0]["code" if case.id_field == "code" else "id"]
        row = case.model._default_manager.filter(**{case.id_field: first}).values(*spec.search_fields[:1]).first()
        word = next((w for w in str(row[spec.search_fields[0]] or "").split() if len(w) > 2), "")
        if word:
            params = {"q": word, "page_size": 500}
            ids = _api_ids(client, case, params)
            assert first in [str(i) if isinstance(i, uuid.UUID) else i for i in ids]
            assert _page_ids(client, case, {**params, "page_size": 500}) == ids
            tried += 1
    assert tried or not (spec.filters or spec.search_fields), case.name


@pytest.mark.parametrize("case", _case_ids(), indirect=True)
def test_bad_parameters_are_refused_with_a_message_on_every_channel(client, users, case):
    client.force_login(users["admin"])
    bad = [{"sort": "khong_co_cot_nay"}, {"page": "hai"}, {"page_size": "0"}]
    choice = next((f for f in case.spec.filters if f.kind == "choice" and f.choices is not None), None)
    if choice is not None:
        bad.append({choice.name: "khong-co-gia-tri-nay"})
    for params in bad:
        r = client.get(case.api, params)
        assert r.status_code in (400, 422), (case.name, params, r.status_code)
        assert r.json()["message"], (case.name, params)
        if case.page:
            page = client.get(case.page, params)
            assert page.status_code == 400 and page.context["list_error"], (case.name, params)
        if case.export:
            assert client.get(case.export, params).status_code == 400, (case.name, params)
    r = client.get(case.api, {"sort": "khong_co_cot_nay"})
    assert r.status_code == 400 and "Không sắp xếp được theo “khong_co_cot_nay”" in r.json()["message"]


SCOPED = ["vanphong.sl", "baocao.dongdang"]


@pytest.mark.parametrize("case", _case_ids(), indirect=True)
def test_no_sort_or_filter_shows_a_row_outside_the_scope(client, users, case):
    for username in SCOPED:
        user = users[username]
        client.force_login(user)
        if client.get(case.api).status_code in (403, 404):  # the list itself is refused (accounts: no manager)
            continue
        if case.name == "reporting:indicators":  # the catalogue: everyone reads every indicator
            allowed = set(case.model._default_manager.values_list("code", flat=True))
        elif case.name == "accounts:users":
            from borderdesk.accounts.selectors import users_for

            allowed = set(users_for(user).values_list("pk", flat=True))
        else:
            allowed = set(case.model._default_manager.for_user(user, case.action).values_list("pk", flat=True))
        # A sort orders the rows of the user's queryset (the spec applies it after ``for_user``): every sort in
        # the API, and the page under the default and each sort's reverse; both directions of every sort give the
        # same rows on every channel (the test above), so this needs no more.
        for sort in case.spec.sorts:
            ids = _api_ids(client, case, {"sort": sort.key, "page_size": 500})
            assert set(ids) <= allowed, (case.name, username, sort.key)
        for params in [{}] + [{"sort": f"-{sort.key}"} for sort in case.spec.sorts[:2]]:
            assert set(_page_ids(client, case, params | {"page_size": 500})) <= allowed, (case.name, username, params)


#: statements one list page costs once the shared caches are warm (session, user, count, rows, related rows, the
#: filters' options …): pinned, and the same for 2 rows as for 50 (no N+1)
PAGE_QUERIES = {
    "gates:danh-sach": 6,
    "gates:trang-thai": 6,
    "gates:so-lieu": 6,
    "frontier:doan": 6,
    "frontier:moc": 6,
    "frontier:kiem-tra-moc": 5,
    "frontier:duong": 5,
    "frontier:tuan-tra": 5,
    "frontier:vu-viec": 6,
    "frontier:tu-quan": 6,
    "frontier:loai-vu-viec": 5,
    "outreach:tuyen-truyen": 5,
    "outreach:cam-ket": 5,
    "outreach:chuong-trinh": 5,
    "outreach:nguoi-duoc-ho-tro": 6,
    "coordination:quy-che": 9,
    "reporting:submissions": 5,  # the generations read once per request (session 8)
    "accounts:users": 6,
    "jobs:list": 5,
    "documents:drafts": 9,
    "coordination:tasks": 7,
    "coordination:conferences": 8,
    "coordination:commendations": 6,
    "reporting:indicators": 6,
    "extraction:documents": 5,
}


@pytest.mark.parametrize("case", PAGE_CASES, indirect=True)
def test_a_list_page_costs_a_fixed_number_of_queries(client, users, case):
    client.force_login(users["admin"])
    client.get(case.page)  # warm the caches every page shares (scope, fragments)
    counts = []
    for size in (2, 50):
        params = {"page_size": size}
        if case.spec.sorts:
            params["sort"] = f"-{case.spec.sorts[-1].key}"
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(case.page, params).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], (case.name, counts)
    assert counts[0] == PAGE_QUERIES[case.name], (case.name, counts)


def test_names_sort_in_vietnamese_order_on_every_channel(client, users):
    """Đ comes after D and before E (not after Z, as in code-point order); ư after u; tones last."""
    from borderdesk.frontier.models import SelfManagementRegistration

    admin = users["admin"]
    client.force_login(admin)
    registry = frontier.self_management
    template = SelfManagementRegistration.objects.for_user(admin, "view").first()
    names = ["Yên Khoái", "Đồng Đăng", "Dương Văn A", "Duy Tân", "Ea Súp"]
    made = []
    for name in names:
        obj = SelfManagementRegistration.objects.get(pk=template.pk)
        obj.pk = obj.id = None
        obj.registrant_name = f"ZZ-test {name}"
        obj.save()
        made.append(obj.pk)
    expected = ["Duy Tân", "Dương Văn A", "Đồng Đăng", "Ea Súp", "Yên Khoái"]
    page = client.get(reverse(registry.url_name("list")), {"q": "zz-test", "sort": "registrant_name"})
    shown = [o.registrant_name.removeprefix("ZZ-test ") for o in page.context["page"].items]
    assert shown == expected
    api = client.get(API_PATHS[registry.model], {"q": "zz-test", "sort": "-registrant_name"}).json()
    assert [i["registrant_name"].removeprefix("ZZ-test ") for i in api["items"]] == expected[::-1]
    body = page.content.decode()
    assert 'aria-sort="ascending"' in body and "?q=zz-test&amp;sort=-registrant_name" in body
    assert "sort=registrant_name" in body.split("Xuất CSV")[0]  # the export link keeps the sort


def test_the_api_schema_documents_sort_and_filters():
    from borderdesk.api import api

    schema = api.get_openapi_schema()
    params = {p["name"]: p for p in schema["paths"]["/api/frontier/patrols"]["get"]["parameters"]}
    assert {"page", "page_size", "sort", "q", "ky", "hinh_thuc", "bien_ban"} <= set(params)
    assert "started_at" in params["sort"]["description"] and "-" in params["sort"]["description"]
    users_params = {p["name"] for p in schema["paths"]["/api/accounts/users"]["get"]["parameters"]}
    assert {"sort", "q", "vai_tro", "role", "hoat_dong", "active"} <= users_params
