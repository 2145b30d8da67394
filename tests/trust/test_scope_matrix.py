"""The scope matrix: every object type × every demo role × every operation × every channel (page, API, export).

Modelled on NetBox's view/API test cases: for each object type the same questions are asked of every
channel, and each answer is compared with an oracle computed from the permission table
(`core.permissions.required_action`) and the user's scope (`core.scoping.scope_for`), following the
object's own scope path in Python (`_scope_ids`), not the queryset code under test.

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
from borderdesk.core.changelog import _scope_ids
from borderdesk.core.permissions import Op, can, required_action
from borderdesk.core.registry_api import API_PATHS
from borderdesk.core.scoping import scope_for
from borderdesk.frontier import registries as frontier
from borderdesk.gates import registries as gates
from borderdesk.outreach import registries as outreach

pytestmark = pytest.mark.django_db

REGISTRIES = [*gates.ALL, *frontier.ALL, *frontier.REFERENCE, *outreach.ALL, *coordination.ALL]
ROLES = ["admin", "vanphong.ls", "vanphong.sl", "baocao.dongdang", "baocao.quockhanh", "baocao.huunghi",
         "duyet.ls", "lanhdao.ls", "kiemtra.ls"]
OPERATIONS = [Op.LIST, Op.VIEW, Op.CREATE, Op.CHANGE, Op.DELETE, Op.EXPORT]
CHANNELS = ["page", "api", "export"]
SAMPLES_PER_TYPE = 6

TOTALS: Counter = Counter()
PROBLEMS: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    types = len({r.model for r in REGISTRIES})
    line = (f"scope matrix: {types} object types × {len(ROLES)} roles × {len(OPERATIONS)} operations × "
            f"{len(CHANNELS)} channels — {TOTALS['checks']} checks ({TOTALS['objects']} object probes), "
            f"{TOTALS['leaks']} leaks, {TOTALS['mismatches']} mismatches")
    if reporter is not None:
        reporter.write_line("")
        reporter.write_line(line)


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
    unit_id, agency_id = _scope_ids(obj)
    return scope.contains_unit(unit_id) or scope.contains_agency(agency_id)


_SAMPLES: dict[str, list[int]] = {}


def _scope_paths(model) -> list[str]:
    paths = []
    for attr in ("scope_unit_field", "scope_agency_field"):
        path = getattr(model, attr, None)
        if path and "__" in path:
            paths.append(path.rsplit("__", 1)[0])
    return paths


def samples(registry) -> list:
    """Objects each role can and cannot see: for every role one visible and one invisible, capped (the same
    objects for every role, chosen once per object type)."""
    from borderdesk.accounts.models import User

    key = f"{registry.app_namespace}:{registry.slug}"
    manager = registry.model._default_manager
    if key in _SAMPLES:
        return list(manager.filter(pk__in=_SAMPLES[key]).select_related(*_scope_paths(registry.model)))
    objs = list(manager.order_by("pk").select_related(*_scope_paths(registry.model))[:300])
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
    def __init__(self, registry, username):
        self.where = f"{registry.slug} × {username}"

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
    listed = model._default_manager.filter(pk__in=_ids_in_page(page.content.decode(), registry)).select_related(*related)
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

    mine = [p for p in PROBLEMS if p.split(" ", 2)[1] == f"{registry.slug}"]
    assert not [p for p in PROBLEMS if f"{registry.slug} × {username}:" in p], "\n".join(
        p for p in PROBLEMS if f"{registry.slug} × {username}:" in p) or mine
