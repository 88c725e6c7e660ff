"""Hostile spec text cannot inject code: it stays inside string literals and docstrings.

The hostile spec is generated next to a benign twin that differs only in its free
text; every module must have the same AST once string constants are blanked, so no
spec text can add an import, a call or a statement. Docstrings and descriptions
must still carry the original text (modulo escaping).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

import generator
from generator.emit.formatting import Formatter
from generator.emit.tree import Tree, build_tree

from .conftest import cwd
from .hostile_spec import (
    BENIGN,
    ENUM_VALUES,
    HOSTILE,
    HOSTILE_SHORT,
    PATTERN,
    hostile_spec,
)

PACKAGES = ["hostile_v1", "hostile_v2_1"]
ALLOWED_IMPORTS = {
    "__future__",
    "builtins",
    "collections.abc",
    "datetime",
    "enum",
    "functools",
    "typing",
    "pydantic",
    "httpx",
}
FORBIDDEN_NAMES = {
    "os",
    "__import__",
    "eval",
    "exec",
    "system",
    "alert",
    "compile",
    "open",
}
SAFE_TITLE = "Hostile ''' {{ title }} {% raw %} # c \\ </script>"


def norm(text: str) -> str:
    """Whitespace-insensitive form (docstrings are re-indented; \\u2028 becomes a space)."""
    return " ".join(text.split())


def _write_spec(spec: dict[str, Any], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    dumped = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=10_000)
    (directory / "spec.yaml").write_text(dumped, "utf-8")


def _build(spec: dict[str, Any], directory: Path, formatter: Formatter) -> Tree:
    _write_spec(spec, directory)
    with cwd(directory):
        return build_tree(generator.build("spec.yaml"), formatter=formatter)


def _spec(text: str, short: str, title: str) -> dict[str, Any]:
    spec = hostile_spec(text, short)
    spec["api"]["title"] = title
    return spec


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> tuple[Tree, Tree, Path]:
    """(hostile tree, benign twin tree, directory the hostile tree was written to)."""
    base = tmp_path_factory.mktemp("hostile")
    formatter = Formatter(base / "cache")
    hostile = _build(
        _spec(HOSTILE, HOSTILE_SHORT, SAFE_TITLE), base / "hostile", formatter
    )
    benign = _build(_spec(BENIGN, BENIGN, BENIGN), base / "benign", formatter)
    out = base / "out"
    for rel, data in hostile.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return hostile, benign, out


def _modules(tree: Tree) -> dict[str, ast.Module]:
    """Every generated (non-runtime) module, parsed; compile() must accept each."""
    out = {}
    for rel, data in sorted(tree.items()):
        if rel.endswith(".py") and "/_runtime/" not in rel:
            compile(data, rel, "exec")
            out[rel] = ast.parse(data, rel)
    return out


def _class(module: ast.Module, name: str) -> ast.ClassDef:
    return next(
        n for n in module.body if isinstance(n, ast.ClassDef) and n.name == name
    )


class _BlankStrings(ast.NodeTransformer):
    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        return ast.Constant("") if isinstance(node.value, str) else node


def _shape(module: ast.Module) -> str:
    return ast.dump(_BlankStrings().visit(module))


# -- the spec itself -----------------------------------------------------------------------


def test_hostile_spec_is_accepted(tmp_path: Path) -> None:
    _write_spec(hostile_spec(), tmp_path)
    api, errors = generator.validate(tmp_path / "spec.yaml")
    assert errors == []
    assert api is not None and api.stage_names == ("v1", "v2.1")


def test_every_python_file_compiles(trees: tuple[Tree, Tree, Path]) -> None:
    hostile, _, _ = trees
    assert {p.split("/", 1)[0] for p in hostile} == {*PACKAGES, "STAGES.md"}
    for rel, data in hostile.items():
        if rel.endswith(".py"):
            compile(data, rel, "exec")


# -- nothing from the spec became code -----------------------------------------------------


def test_only_expected_imports_and_no_injected_names(
    trees: tuple[Tree, Tree, Path],
) -> None:
    hostile, _, _ = trees
    for rel, module in _modules(hostile).items():
        for node in ast.walk(module):
            if isinstance(node, ast.Import):
                names = {a.name for a in node.names}
                assert names <= ALLOWED_IMPORTS, f"{rel}: import {names}"
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                assert (
                    node.module in ALLOWED_IMPORTS
                ), f"{rel}: from {node.module} import"
            elif isinstance(node, ast.Name):
                assert (
                    node.id not in FORBIDDEN_NAMES
                ), f"{rel}:{node.lineno}: name {node.id}"
            elif isinstance(node, ast.Attribute):
                assert (
                    node.attr not in FORBIDDEN_NAMES
                ), f"{rel}:{node.lineno}: .{node.attr}"


def test_code_shape_does_not_depend_on_spec_text(
    trees: tuple[Tree, Tree, Path],
) -> None:
    hostile, benign, _ = trees
    hostile_modules, benign_modules = _modules(hostile), _modules(benign)
    assert sorted(hostile_modules) == sorted(benign_modules)
    different = [
        rel
        for rel in hostile_modules
        if _shape(hostile_modules[rel]) != _shape(benign_modules[rel])
    ]
    assert different == [], "spec text changed the structure of these modules"


def test_pyproject_is_valid_toml(trees: tuple[Tree, Tree, Path]) -> None:
    hostile, _, _ = trees
    for pkg in PACKAGES:
        meta = tomllib.loads(hostile[f"{pkg}/pyproject.toml"].decode("utf-8"))
        assert meta["project"]["name"] == pkg.replace("_", "-")
        assert norm(SAFE_TITLE) in meta["project"]["description"]


# -- the text is still there, escaped ------------------------------------------------------


def test_docstrings_round_trip(trees: tuple[Tree, Tree, Path]) -> None:
    hostile, _, _ = trees
    for pkg in PACKAGES:
        modules = _modules(hostile)
        models = modules[f"{pkg}/{pkg}/models.py"]
        for name in ("Thing", "Mood"):
            doc = ast.get_docstring(_class(models, name)) or ""
            assert norm(HOSTILE) in norm(doc), f"{pkg}.{name}"
        doc = (
            ast.get_docstring(
                _class(modules[f"{pkg}/{pkg}/filters.py"], "RequestFilter")
            )
            or ""
        )
        assert norm(HOSTILE) in norm(doc)
        doc = (
            ast.get_docstring(
                _class(modules[f"{pkg}/{pkg}/_errors.py"], "BadThingError")
            )
            or ""
        )
        assert norm(HOSTILE) in norm(doc)
        resources = _class(modules[f"{pkg}/{pkg}/resources/things.py"], "ThingsResource")
        method = next(
            n
            for n in resources.body
            if isinstance(n, ast.FunctionDef) and n.name == "list"
        )
        doc = ast.get_docstring(method) or ""
        assert norm(HOSTILE_SHORT) in norm(doc)
        assert norm(HOSTILE) in norm(doc)


def test_field_descriptions_and_pattern_are_exact(
    trees: tuple[Tree, Tree, Path],
) -> None:
    hostile, _, _ = trees
    models = _modules(hostile)["hostile_v2_1/hostile_v2_1/models.py"]
    strings = {n.value for n in ast.walk(models) if isinstance(n, ast.Constant)}
    assert HOSTILE in strings
    assert PATTERN in strings
    assert set(ENUM_VALUES) <= strings


# -- names, and the package works ----------------------------------------------------------


def test_reserved_filter_names_are_renamed(trees: tuple[Tree, Tree, Path]) -> None:
    hostile, _, _ = trees
    module = _modules(hostile)["hostile_v2_1/hostile_v2_1/resources/things.py"]
    for cls in ("ThingsResource", "AsyncThingsResource"):
        node = _class(module, cls)
        method = next(
            n
            for n in node.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            and n.name == "list"
        )
        kwargs = [a.arg for a in method.args.kwonlyargs]
        assert {"page_", "size_", "self_", "start_date", "end_date", "mood"} <= set(
            kwargs
        )
        assert len(kwargs) == len(set(kwargs))


IMPORT_CHECK = """
import inspect, json, sys
import {pkg} as m
from {pkg}.resources.things import ThingsResource
out = {{
    "enum": [e.value for e in m.Mood],
    "dump": m.Thing.model_validate(
        {{"id": 1, "class": "a", "from": None, "self": 2, "mood": m.Mood("import os")}}
    ).model_dump(by_alias=True, mode="json"),
    "params": list(inspect.signature(ThingsResource.list).parameters),
    "filter": list(inspect.signature(m.RequestFilter).parameters),
    "public": [n for n in ("Client", "AsyncClient", "HostileError") if hasattr(m, n)],
    "stage": m._api.API.stage if hasattr(m._api, "API") else None,
    "os": "os" in vars(m) or "os" in vars(m.models),
}}
print(json.dumps(out))
"""


@pytest.mark.parametrize("pkg", PACKAGES)
def test_hostile_package_imports_and_round_trips(
    pkg: str, trees: tuple[Tree, Tree, Path]
) -> None:
    _, _, out = trees
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_CHECK.format(pkg=pkg)],
        cwd=out / pkg,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    import json

    got = json.loads(result.stdout)
    assert got["enum"] == ENUM_VALUES
    assert got["dump"] == {
        "class": "a",
        "from": None,
        "id": 1,
        "mood": "import os",
        "self": 2,
    }
    assert {"page_", "size_", "self_", "size"} <= set(got["params"])
    assert {"page_", "size_", "self_"} <= set(got["filter"])
    assert got["public"] == ["Client", "AsyncClient", "HostileError"]
    assert got["os"] is False


def test_stage_v2_1_package(trees: tuple[Tree, Tree, Path]) -> None:
    hostile, _, _ = trees
    api_module = hostile["hostile_v2_1/hostile_v2_1/_api.py"].decode("utf-8")
    assert "stage='v2.1'" in api_module.replace('"', "'")
    assert "https://api.hostile.test/v2.1" in api_module


# -- the api title reaches module docstrings -----------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        HOSTILE_SHORT,
        '"""+__import__("builtins").print("INJECTED")+"""',
        'ends with a quote"',
        "ends with a backslash \\",
    ],
    ids=["hostile", "injection", "quote", "backslash"],
)
def test_hostile_api_title(title: str, tmp_path: Path) -> None:
    tree = _build(
        _spec(BENIGN, BENIGN, title), tmp_path / "spec", Formatter(tmp_path / "cache")
    )
    for rel, module in _modules(tree).items():
        if rel.endswith(
            "/models.py"
        ):  # datamodel-code-generator writes no module docstring
            continue
        first = module.body[0]
        assert isinstance(first, ast.Expr) and isinstance(
            first.value, ast.Constant
        ), rel
        for node in ast.walk(module):
            assert not (isinstance(node, ast.Name) and node.id == "__import__"), rel
    client = _modules(tree)["hostile_v1/hostile_v1/_client.py"]
    assert norm(title) in norm(ast.get_docstring(client) or "")


def test_hostile_packages_pass_mypy_strict(trees: tuple[Tree, Tree, Path]) -> None:
    """Compiling is not enough: the hostile tree must also type-check."""
    _, _, out = trees
    packages = sorted(p / p.name for p in out.iterdir() if (p / p.name).is_dir())
    assert packages
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *map(str, packages)],
        capture_output=True,
        text=True,
        cwd=out,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
