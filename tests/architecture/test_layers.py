"""The picture of the apps in docs/architecture.md, the layers contract in pyproject.toml and the imports the
code really makes (grimp, the graph import-linter uses) say the same thing."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "borderdesk"


def picture_layers(text: str) -> list[list[str]]:
    """The layers of the Mermaid picture, top first: each subgraph's nodes, in the order the chain links them."""
    block = re.search(r"<!-- layers:begin.*?```mermaid\n(.*?)```.*?<!-- layers:end -->", text, re.S)
    assert block, "docs/architecture.md has no layers picture between <!-- layers:begin --> and <!-- layers:end -->"
    groups: dict[str, list[str]] = {}
    current = None
    chain: list[str] = []
    for line in block.group(1).splitlines():
        line = line.strip()
        if m := re.fullmatch(r"subgraph (\w+)(\[.*\])?", line):
            current = groups.setdefault(m.group(1), [])
        elif line == "end":
            current = None
        elif "-->" in line:
            chain = [part.strip() for part in line.split("-->")]
        elif current is not None and re.fullmatch(r"\w+", line):
            current.append(line)
    assert chain and sorted(chain) == sorted(groups), "the chain must link every layer once"
    return [groups[name] for name in chain]


def contract_layers(config: dict) -> tuple[list[list[str]], list[bool]]:
    """The layers of the "apps in layers" contract, top first, and whether each is independent ("|")."""
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    layers = [[name.strip() for name in re.split(r"[|:]", layer)] for layer in contract["layers"]]
    return layers, ["|" in layer or ":" not in layer for layer in contract["layers"]]


def app_imports(graph) -> set[tuple[str, str]]:
    """(importer, imported) between the top-level modules and packages of borderdesk."""
    tops = {m.split(".")[1] for m in graph.modules if m.count(".") >= 1}
    return {
        (a, b)
        for a in tops
        for b in tops
        if a != b
        and graph.direct_import_exists(importer=f"borderdesk.{a}", imported=f"borderdesk.{b}", as_packages=True)
    }


def layer_violations(layers: list[list[str]], independent: list[bool], imports: set[tuple[str, str]]) -> list[str]:
    level = {app: i for i, layer in enumerate(layers) for app in layer}
    out = []
    for a, b in sorted(imports):
        if a not in level or b not in level:
            continue
        if level[a] > level[b]:
            out.append(f"{a} (layer {level[a] + 1}) imports {b} (layer {level[b] + 1}), a layer above it")
        elif level[a] == level[b] and independent[level[a]]:
            out.append(f"{a} imports {b}, beside it in the same layer")
    return out


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("borderdesk", cache_dir=None)


@pytest.fixture(scope="module")
def picture():
    return picture_layers((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def contract():
    return contract_layers(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8")))


def test_the_picture_is_the_layers_contract(picture, contract):
    layers, _independent = contract
    assert [sorted(layer) for layer in picture] == [sorted(layer) for layer in layers]


def test_every_app_and_project_module_is_in_the_picture(picture):
    drawn = {app for layer in picture for app in layer}
    present = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name not in ("locale",)}
    present |= {p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "settings", "code_version")}
    present -= {"static", "templates"}
    assert present == drawn


def test_the_real_imports_keep_to_the_picture(picture, contract, graph):
    _layers, independent = contract
    assert layer_violations(picture, independent, app_imports(graph)) == []


def test_the_check_sees_an_upward_and_a_sideways_import():
    layers, independent = [["dashboards"], ["frontier", "gates"], ["core"]], [True, True, True]
    found = layer_violations(layers, independent, {("core", "frontier"), ("frontier", "gates"), ("gates", "core")})
    assert found == [
        "core (layer 3) imports frontier (layer 2), a layer above it",
        "frontier imports gates, beside it in the same layer",
    ]


def test_a_picture_out_of_order_is_caught(contract):
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    swapped = text.replace("demodata --> engine", "engine --> demodata")
    assert [sorted(x) for x in picture_layers(swapped)] != [sorted(x) for x in contract[0]]


def test_no_service_or_selector_imports_a_views_module(graph):
    found = sorted(
        (m, v)
        for m in graph.modules
        if m.rsplit(".", 1)[-1] in ("services", "selectors")
        for v in graph.find_upstream_modules(m)
        if v.rsplit(".", 1)[-1].endswith("views")
    )
    assert found == []
