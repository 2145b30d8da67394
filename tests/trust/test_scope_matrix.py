"""The scope matrix: every object type × every demo role × every operation × every channel (page, API, export).

Modelled on NetBox's view/API test cases: for each object type the same questions are asked of every
channel, and each answer is compared with an oracle computed from the permission table
(`core.permissions.required_action`) and the user's scope (`core.scoping.scope_for`), following the
object's own scope path in Python (`core.scoping.scope_ids`), not the queryset code under test.

A *leak* is a channel showing or allowing something the oracle refuses; a *mismatch* is a channel
refusing what the oracle allows (one path refusing what another allows). Both must be 0. The size and
the result are written to the terminal at the end of the module.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest
from django.urls import reverse

import borderdesk.urls  # noqa: F401 - mounts the API routers (fills API_PATHS)
from borderdesk.coordination import registries as coordination
from borderdesk.core.permissions import Op, can, required_action
from borderdesk.core.registry.api import API_PATHS
from borderdesk.core.scoping import scope_for, scope_ids
from borderdesk.frontier import registries as frontier
from borderdesk.gates import registries as gates
from borderdesk.outreach import registries as outreach

pytestmark = pytest.mark.django_db

REGISTRIES = [*gates.ALL, *frontier.ALL, *frontier.REFERENCE, *outreach.ALL, *coordination.ALL]
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
OPERATIONS = [Op.LIST, Op.VIEW, Op.CREATE, Op.CHANGE, Op.DELETE, Op.EXPORT]
CHANNELS = ["page", "api", "export"]
SAMPLES_PER_TYPE = 6

TOTALS: Counter = Counter()
PROBLEMS: list[str] = []


def summary(totals) -> str:
    """The matrix's size and result (printed at the end of the run by tests/trust/conftest.py)."""
    types = len({r.model for r in REGISTRIES}) + len(READ_TYPES) + len(CATALOGUE_TYPES)
    return (
        f"scope matrix: {types} object types × {len(ROLES)} roles × {len(OPERATIONS)} operations × "
        f"{len(CHANNELS)} channels — {totals.get('checks', 0)} checks on {totals.get('objects', 0)} sampled "
        f"objects and every listed row: {totals.get('leaks', 0)} leaks, "
        f"{totals.get('mismatches', 0)} refusals of what is allowed"
    )


@pytest.fixture(autouse=True)
def _save_totals(request):
    """After each matrix test, this process's counters go to var/scope-matrix/<worker>.json."""
    import json
    import os

    from tests.trust.conftest import matrix_dir

    yield
    folder = matrix_dir(request.config)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.json").write_text(json.dumps(dict(TOTALS)))


def allowed(user, obj, op) -> bool:
    """The oracle: the permission table's action for `op`, and the object's place inside that scope."""
    scope = scope_for(user, required_action(type(obj), op))
    if scope.everything:
        return True
    if scope.empty:
        return False
    model = type(obj)
    if getattr(model, "scope_unit_field", None) is None and getattr(model, "scope_agency_field", None) is None:
        return op in (Op.LIST, Op.VIEW, Op.EXPORT)  # national reference data: readable by anyone with a scope
    unit_id, agency_id = scope_ids(obj)
    return scope.contains_unit(unit_id) or scope.contains_agency(agency_id)


_SAMPLES: dict[str, list[int]] = {}


def _scope_paths(model) -> list[str]:
    paths = []
    for attr in ("scope_unit_field", "scope_agency_field"):
        path = getattr(model, attr, None)
        if path and "__" in path:
            paths.append(path.rsplit("__", 1)[0])
    return paths


def samples(registry=None, *, model=None, key: str = "") -> list:
    """Objects each role can and cannot see: for every role one visible and one invisible, capped (the same
    objects for every role, chosen once per object type)."""
    from borderdesk.accounts.models import User

    model = model or registry.model
    key = key or f"{registry.app_namespace}:{registry.slug}"
    manager = model._default_manager
    if key in _SAMPLES:
        return list(manager.filter(pk__in=_SAMPLES[key]).select_related(*_scope_paths(model)))
    objs = list(manager.order_by("pk").select_related(*_scope_paths(model))[:300])
    chosen: dict[int, object] = {}
    for name in ROLES:
        user = User.objects.get(username=name)
        vis = next((o for o in objs if allowed(user, o, Op.VIEW)), None)
        inv = next((o for o in objs if not allowed(user, o, Op.VIEW)), None)
        for o in (vis, inv):
            if o is not None and len(chosen) < SAMPLES_PER_TYPE:
                chosen.setdefault(o.pk, o)
    _SAMPLES[key] = list(chosen)
    return list(chosen.values())


class Check:
    def __init__(self, registry, username, name: str = ""):
        self.where = f"{name or registry.slug} × {username}"

    def expect(self, what: str, ok_expected: bool, ok_seen: bool, detail: str = ""):
        TOTALS["checks"] += 1
        if ok_seen and not ok_expected:
            TOTALS["leaks"] += 1
            PROBLEMS.append(f"LEAK {self.where}: {what} {detail}")
        elif ok_expected and not ok_seen:
            TOTALS["mismatches"] += 1
            PROBLEMS.append(f"REFUSED {self.where}: {what} {detail}")


def _ids_in_page(html: str, registry) -> set[int]:
    prefix = reverse(registry.url_name("detail"), args=[0]).rsplit("0/", 1)[0]
    return {int(m) for m in re.findall(re.escape(prefix) + r"(\d+)/\"", html)}


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("registry", REGISTRIES, ids=lambda r: f"{r.app_namespace}:{r.slug}")
def test_scope_matrix(client, users, registry, username):
    user = users[username]
    client.force_login(user)
    check = Check(registry, username)
    model = registry.model
    api = API_PATHS[model]
    objects = samples(registry)
    TOTALS["objects"] += len(objects)

    # list — page, API, export: nothing outside the list scope; the API and the export agree on the count
    page = client.get(reverse(registry.url_name("list")) + "?page_size=100")
    check.expect("list page", True, page.status_code == 200, str(page.status_code))
    related = _scope_paths(model)
    listed = model._default_manager.filter(pk__in=_ids_in_page(page.content.decode(), registry)).select_related(
        *related
    )
    for obj in listed:
        check.expect(f"list page shows #{obj.pk}", allowed(user, obj, Op.LIST), True)
    r = client.get(f"{api}?page_size=100")
    check.expect("list api", True, r.status_code == 200, str(r.status_code))
    api_count = r.json()["count"]
    for obj in model._default_manager.filter(pk__in=[i["id"] for i in r.json()["items"]]).select_related(*related):
        check.expect(f"list api shows #{obj.pk}", allowed(user, obj, Op.LIST), True)
    export = client.get(reverse(registry.url_name("export")))
    check.expect("export", True, export.status_code == 200, str(export.status_code))
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    exported = [int(row["id"]) for row in rows if (row.get("id") or "").isdigit()]
    for obj in model._default_manager.filter(pk__in=exported[:200]).select_related(*related):
        check.expect(f"export shows #{obj.pk}", allowed(user, obj, Op.EXPORT), True)
    check.expect(f"api count {api_count} = export rows {len(rows)}", True, api_count == len(rows))

    # create — page form and API: offered exactly when the table allows it somewhere in the user's scope
    may_create = can(user, model, Op.CREATE)
    r = client.get(reverse(registry.url_name("create")))
    check.expect("create page", may_create, r.status_code == 200, str(r.status_code))
    assert r.status_code in (200, 404)
    r = client.post(api, {}, content_type="application/json")
    check.expect("create api (empty body)", may_create, r.status_code in (400, 422), str(r.status_code))
    assert r.status_code != 201

    for obj in objects:
        # view — detail page and API detail
        v = allowed(user, obj, Op.VIEW)
        r = client.get(reverse(registry.url_name("detail"), args=[obj.pk]))
        check.expect(f"view page #{obj.pk}", v, r.status_code == 200, str(r.status_code))
        r = client.get(f"{api}/{obj.pk}")
        check.expect(f"view api #{obj.pk}", v, r.status_code == 200, str(r.status_code))
        # change — edit page and API update naming the version (no field changed: nothing is written)
        c = allowed(user, obj, Op.CHANGE)
        r = client.get(reverse(registry.url_name("edit"), args=[obj.pk]))
        check.expect(f"edit page #{obj.pk}", c, r.status_code == 200, str(r.status_code))
        r = client.put(f"{api}/{obj.pk}", {"version": getattr(obj, "version", 1)}, content_type="application/json")
        check.expect(f"update api #{obj.pk}", c, r.status_code in (200, 400), f"{r.status_code} {r.content[:120]}")
        # delete — confirmation page and API delete with a stale version (409 when allowed: nothing deleted)
        if registry.deletable:
            d = allowed(user, obj, Op.DELETE)
            r = client.get(reverse(registry.url_name("delete"), args=[obj.pk]))
            check.expect(f"delete page #{obj.pk}", d, r.status_code == 200, str(r.status_code))
            r = client.delete(f"{api}/{obj.pk}?version=-7")
            check.expect(f"delete api #{obj.pk}", d, r.status_code == 409, str(r.status_code))
        assert model._default_manager.filter(pk=obj.pk).exists()

    problems = [p for p in PROBLEMS if f"{registry.slug} × {username}:" in p]
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- object types outside the registries


def _read_types():
    from borderdesk.coordination.models import Commendation, Conference
    from borderdesk.org.models import AdministrativeUnit, Agency, Committee
    from borderdesk.reporting.models import Submission

    return {
        "reporting.submission": (
            Submission,
            "/api/reporting/submissions",
            "/api/reporting/submissions/{pk}",
            "reporting:entry",
            "/api/reporting/dataValueSets?submission={pk}",
        ),
        "org.administrativeunit": (AdministrativeUnit, "/api/org/units", "/api/org/units/{pk}", "org:unit", None),
        "org.agency": (Agency, "/api/org/agencies", None, "org:agency", None),
        "org.committee": (Committee, "/api/org/committees", "/api/org/committees/{pk}", "org:committee", None),
        "coordination.conference": (
            Conference,
            "/api/coordination/conferences",
            "/api/coordination/conferences/{pk}",
            "coordination:conference",
            None,
        ),
        "coordination.commendation": (
            Commendation,
            "/api/coordination/commendations",
            "/api/coordination/commendations/{pk}",
            None,
            None,
        ),
    }


READ_TYPES = [
    "reporting.submission",
    "org.administrativeunit",
    "org.agency",
    "org.committee",
    "coordination.conference",
    "coordination.commendation",
]


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("name", READ_TYPES)
def test_scope_matrix_reads(client, users, name, username):
    """The other object types through their pages, API and exports: list, view and export."""
    model, api_list, api_detail, page_detail, export = _read_types()[name]
    user = users[username]
    client.force_login(user)
    check = Check(None, username, name)
    objects = samples(model=model, key=name)
    TOTALS["objects"] += len(objects)
    related = _scope_paths(model)
    r = client.get(f"{api_list}?page_size=100")
    check.expect("list api", True, r.status_code == 200, str(r.status_code))
    ids = [i["id"] for i in r.json()["items"]]
    for obj in model._default_manager.filter(pk__in=ids).select_related(*related):
        check.expect(f"list api shows #{obj.pk}", allowed(user, obj, Op.LIST), True)
    for obj in objects:
        v = allowed(user, obj, Op.VIEW)
        if page_detail:
            r = client.get(reverse(page_detail, args=[obj.pk]))
            check.expect(f"view page #{obj.pk}", v, r.status_code == 200, str(r.status_code))
        if api_detail:
            r = client.get(api_detail.format(pk=obj.pk))
            check.expect(f"view api #{obj.pk}", v, r.status_code == 200, str(r.status_code))
        if export:
            r = client.get(export.format(pk=obj.pk))
            rows = r.json()["dataValues"] if r.status_code == 200 else []
            check.expect(
                f"export #{obj.pk}",
                allowed(user, obj, Op.EXPORT) or not obj.values.exists(),
                bool(rows) or not obj.values.exists(),
                str(r.status_code),
            )
    problems = [p for p in PROBLEMS if f"{name} × {username}:" in p]
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the catalogue: national and province-owned rows

CATALOGUE_TYPES = ["reporting.indicator", "reporting.reportform", "reporting.formversion"]


def catalogue_allowed(user, model, op, province_id) -> bool:
    """The oracle for province-owned reference rows: the national action for a national row (no province),
    the table's action over the row's province otherwise."""
    national = province_id is None
    scope = scope_for(user, required_action(model, op, national=national))
    return scope.everything or (not national and province_id in scope.unit_ids)


@pytest.fixture
def catalogue_rows(users, unit):
    """A national indicator and form, and one indicator and one form of Lạng Sơn and of Sơn La."""
    from borderdesk.reporting.models import Indicator, ReportForm
    from borderdesk.reporting.province_forms import form_copy_for_province

    rows = {"national": (Indicator.objects.get(code="PATROLS_TOTAL"), ReportForm.objects.get(code="bc-xa-thang"))}
    for key, office, province in (("ls", "vanphong.ls", "Tỉnh Lạng Sơn"), ("sl", "vanphong.sl", "Tỉnh Sơn La")):
        ind = Indicator.objects.create(
            code=f"MATRIX_{key.upper()}", name_vi=f"Chỉ tiêu riêng {key}", province=unit(province)
        )
        form = form_copy_for_province(user=users[office], code="bc-xa-thang").form
        rows[key] = (ind, form)
    return rows


@pytest.mark.parametrize("username", ROLES)
def test_scope_matrix_catalogue(client, users, catalogue_rows, username):
    """Indicators and forms × roles × create/change × page and API: national rows only for administrators,
    a province's rows for that province's standing office (and administrators)."""
    import json

    from borderdesk.reporting.models import FormVersion, Indicator, ReportForm

    user = users[username]
    client.force_login(user)
    check = Check(None, username, "catalogue")
    # create an indicator: offered when some province (or the nation) is the user's
    may = any(
        catalogue_allowed(user, Indicator, Op.CREATE, p)
        for p in [None, *(ind.province_id for ind, _f in catalogue_rows.values())]
    )
    r = client.get(reverse("reporting:indicator_create"))
    check.expect("indicator create page", may, r.status_code == 200, str(r.status_code))
    r = client.post("/api/reporting/indicators", json.dumps({"code": "MATRIX_NEW"}), content_type="application/json")
    check.expect("indicator create api (no name)", may, r.status_code == 400, str(r.status_code))
    assert r.status_code != 201
    for key, (ind, form) in catalogue_rows.items():
        TOTALS["objects"] += 2
        for what, province_id in ((f"indicator {key}", ind.province_id),):
            ok = catalogue_allowed(user, Indicator, Op.CHANGE, province_id)
            r = client.get(reverse("reporting:indicator_edit", args=[ind.code]))
            check.expect(f"{what} edit page", ok, r.status_code == 200, str(r.status_code))
            r = client.patch(
                f"/api/reporting/indicators/{ind.code}", json.dumps({"version": -3}), content_type="application/json"
            )
            check.expect(f"{what} update api (stale)", ok, r.status_code == 409, str(r.status_code))
            for other in ("national", "ls", "sl"):  # a province's row may be written for its own province only
                p = catalogue_rows[other][0].province_id
                r = client.post(
                    "/api/reporting/indicators",
                    json.dumps({"code": "MATRIX_X", "province": p}),
                    content_type="application/json",
                )
                check.expect(
                    f"indicator create for {other}",
                    catalogue_allowed(user, Indicator, Op.CREATE, p),
                    r.status_code == 400,
                    str(r.status_code),
                )
        ok = catalogue_allowed(user, ReportForm, Op.CHANGE, form.province_id)
        assert ok == catalogue_allowed(user, FormVersion, Op.CREATE, form.province_id)
        r = client.get(reverse("reporting:form_new_version", args=[form.code]))
        check.expect(f"form {key} builder page", ok, r.status_code == 200, str(r.status_code))
        n = form.versions.count()
        r = client.post(
            f"/api/reporting/forms/{form.code}/versions", json.dumps({"based_on": 999}), content_type="application/json"
        )
        check.expect(f"form {key} publish api (stale)", ok, r.status_code == 409, str(r.status_code))
        r = client.get(reverse("reporting:rule_create", args=[form.code]))
        check.expect(f"form {key} rule page", ok, r.status_code == 200, str(r.status_code))
        assert form.versions.count() == n
    assert not Indicator.objects.filter(code__in=["MATRIX_NEW", "MATRIX_X"]).exists()
    problems = [p for p in PROBLEMS if f"catalogue × {username}:" in p]
    assert not problems, "\n".join(problems)
