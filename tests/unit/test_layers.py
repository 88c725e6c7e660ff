"""The layers of ``generator/``: no import cycle, and no lower package importing a higher one.

Every ``import`` in every module counts, including imports inside functions and under
``TYPE_CHECKING``: a late import hides a cycle from the interpreter, not from a reader.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parents[2] / "generator"

# The pipeline's order: a package may import itself and lower ranks only.
# ``pipeline`` (load/validate/build) composes spec checks with the diff engine's.
RANKS = {
    "runtime": 0,  # copied into generated packages: imports nothing of the generator
    "spec": 1,
    "diff": 2,
    "emit": 3,
    "export": 4,
    "importer": 4,  # OpenAPI -> spec YAML: the reverse of export, needs only spec names
    "pipeline": 4,
    "cli": 5,
    "": 6,  # generator/__init__.py, the library's front door
}
# Packages that may import less than their rank allows.
ONLY = {"mock": {"spec", "runtime"}}
RANKS["mock"] = 2


def module_name(path: Path, root: Path = GENERATOR) -> str:
    """``generator/spec/model.py`` -> ``spec.model``; a package's ``__init__`` -> its name."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(node: ast.ImportFrom, current: str, is_package: bool, known: set[str]) -> list[str]:
    """The generator modules one ``from ... import ...`` statement loads."""
    if node.level == 0:
        if not (node.module or "").startswith("generator"):
            return []
        base = (node.module or "").split(".")[1:]
    else:
        here = current.split(".") if current else []
        package = here if is_package else here[:-1]
        base = package[: len(package) - (node.level - 1)] + (
            node.module.split(".") if node.module else []
        )
    prefix = ".".join(base)
    found = []
    for alias in node.names:
        child = f"{prefix}.{alias.name}" if prefix else alias.name
        found.append(child if child in known else prefix)
    return found


def import_graph(root: Path = GENERATOR) -> dict[str, set[str]]:
    """Module -> the generator modules it imports (parent ``__init__`` runs not counted)."""
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    known = set(files)
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                edges.update(_resolve(node, name, is_package, known))
            elif isinstance(node, ast.Import):
                edges.update(
                    ".".join(a.name.split(".")[1:])
                    for a in node.names
                    if a.name.startswith("generator.")
                )
        graph[name] = {e for e in edges if e in known and e != name}
    return graph


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one node, or with a self-loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(cycles)


def package_of(module: str) -> str:
    """The top package of a module: ``spec.model`` -> ``spec``; ``pipeline`` -> itself."""
    return module.split(".")[0]


def layer_violations(graph: Mapping[str, Iterable[str]]) -> list[str]:
    """``a -> b`` for every import of a higher (or same-rank other) package, or a forbidden one."""
    bad = []
    for module, targets in sorted(graph.items()):
        mine = package_of(module)
        for target in sorted(targets):
            theirs = package_of(target)
            if theirs == mine:
                continue
            allowed = RANKS[theirs] < RANKS[mine] and theirs in ONLY.get(mine, {theirs})
            if not allowed:
                bad.append(f"{module} -> {target}")
    return bad


def test_every_package_has_a_rank() -> None:
    graph = import_graph()
    assert {package_of(m) for m in graph} <= set(RANKS)
    assert {"runtime", "spec", "diff", "emit", "export", "importer", "cli", "mock"} <= {
        package_of(m) for m in graph
    }


def test_generator_has_no_import_cycle() -> None:
    assert find_cycles(import_graph()) == []


def test_no_lower_package_imports_a_higher_one() -> None:
    assert layer_violations(import_graph()) == []


def test_the_graph_sees_relative_and_late_imports() -> None:
    graph = import_graph()
    assert "pipeline" in graph["cli.common"]  # from ..pipeline import validate
    assert "emit.render" in graph["emit.tree"]  # from .render import ..., inside a function
    assert "mock.app" in graph["cli.mock"]  # imported inside run()
    assert "runtime._config" in graph["runtime._error_map"]


@pytest.mark.parametrize(
    ("graph", "cycles"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"a"}}, [["a"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set(), "d": {"b", "c"}}, []),
        ({"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}}, [["a", "b"], ["c", "d"]]),
    ],
)
def test_cycle_detector_on_synthetic_graphs(
    graph: dict[str, set[str]], cycles: list[list[str]]
) -> None:
    assert find_cycles(graph) == cycles


def test_layer_rule_on_a_synthetic_graph() -> None:
    graph = {
        "spec.model": {"emit.views"},  # lower imports higher
        "emit.views": {"spec.model"},  # fine
        "mock.app": {"diff.engine", "spec.model"},  # mock may not import diff
        "export.openapi": {"pipeline"},  # same rank, other package
    }
    assert layer_violations(graph) == [
        "export.openapi -> pipeline",
        "mock.app -> diff.engine",
        "spec.model -> emit.views",
    ]
