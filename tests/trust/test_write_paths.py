"""Enforced, not just written: views and API modules never write or fetch by id themselves.

Every write goes through a service (scope from core.permissions, transaction, change log); every read of
one object through `get_for_user_or_404` or a selector. This test reads the source of every views and API
module and fails on `.save()`, `.create()`, `.delete()` (and their bulk cousins) and on
`<Model>.objects….get(pk=…)`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import borderdesk

ROOT = Path(borderdesk.__file__).parent
WRITES = {"save", "create", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
#: receivers whose .delete()/.create() are not ORM writes (ninja route decorators)
ROUTERS = {"router", "api"}


def view_and_api_modules() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if p.name in ("views.py", "api.py") or p.name.endswith("_views.py") or p.name.startswith("api_")
    )


def _chain_has_objects(node) -> bool:
    while isinstance(node, ast.Attribute | ast.Call):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def _receiver_name(func: ast.Attribute) -> str:
    return func.value.id if isinstance(func.value, ast.Name) else ""


def violations(source: str, filename: str = "<source>") -> list[str]:
    """Each dangerous construct in `source`, as "file:line: code"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        keywords = {k.arg for k in node.keywords}
        if name in WRITES and _receiver_name(node.func) not in ROUTERS and "user" not in keywords:
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)[:90]}")
        elif name == "get" and keywords & {"pk", "id"} and _chain_has_objects(node.func.value):
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)[:90]}")
    return found


def test_the_check_catches_each_construct():
    bad = """
def view(request, pk):
    obj = Marker.objects.get(pk=pk)
    obj.note = "x"
    obj.save()
    Marker.objects.create(number="1")
    Marker.objects.select_related("section").get(id=pk).delete()
    Patrol.objects.bulk_create([])
"""
    assert len(violations(bad)) == 6
    good = """
@router.delete("/x/{pk}")
def view(request, pk):
    obj = get_for_user_or_404(Marker, request.user, pk=pk)
    services.marker_save(user=request.user, form=form)
    self.save(user=request.user, form=form, instance=obj)
    ctx.update({"a": 1})
"""
    assert violations(good) == []


def test_no_view_or_api_module_writes_or_fetches_by_id_itself():
    modules = view_and_api_modules()
    assert len(modules) >= 15, [str(m) for m in modules]
    found = [v for p in modules for v in violations(p.read_text(encoding="utf-8"), str(p.relative_to(ROOT)))]
    assert found == [], "\n".join(found)
