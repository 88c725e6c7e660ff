"""Property: every random spec ``validate`` accepts generates packages that work.

Hypothesis builds specs from the schema's building blocks (models with primitive,
list, enum and model-typed fields; an enum; a standard filter; a paged read and a
write), naming them from adversarial lists: Python keywords and soft keywords,
builtins, pydantic ``BaseModel`` members, typing names, names the generated modules
import, and names the runtime's methods use. Each spec is either rejected with
located errors, or accepted, and then every generated package must compile, import,
build a correct request through ``httpx.MockTransport`` and pass ``mypy --strict``.
mypy is slow, so every accepted package of a run is checked in one mypy process.

``make test`` runs a few examples; ``make hostile-specs`` (``ROUTEGEN_HOSTILE=full``)
runs many more.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generator
from generator.emit.formatting import Formatter
from generator.emit.tree import build_tree

from .conftest import cwd

FULL = os.environ.get("ROUTEGEN_HOSTILE") == "full"
EXAMPLES = 60 if FULL else 8

FIELD_NAMES = [
    # keywords and soft keywords
    "class", "def", "lambda", "from", "import", "return", "async", "await", "match",
    "case", "type", "_", "None", "True",
    # builtins
    "id", "list", "dict", "str", "int", "float", "bool", "print", "format", "hash",
    "filter", "map", "object", "len", "max", "range", "vars", "open", "bytes",
    # pydantic BaseModel members and namespace
    "copy", "json", "schema", "validate", "construct", "modelConfig", "modelDump",
    "modelFields", "modelNumber", "model_validate_json", "fields", "Config",
    # typing names and what generated modules import
    "Any", "Optional", "Literal", "ClassVar", "cast", "date", "datetime", "time",
    "Field", "BaseModel", "Decimal", "UUID", "annotations",
    # what generated methods and the runtime use
    "page", "size", "self", "cls", "timeout", "body", "requestFilter", "routeFilter",
    "splitRange", "client", "http_client",
]  # fmt: skip
PLAIN_FIELDS = [
    "name",
    "siteIds",
    "price",
    "createdAt",
    "statusCode",
    "x1",
    "label",
    "total",
]
CLASS_NAMES = [
    "None", "True", "False", "Any", "Optional", "List", "Field", "BaseModel",
    "RootModel", "UUID", "SecretStr", "Decimal", "Enum", "Exception", "Client",
    "Page", "Iterator", "Sequence", "Literal", "Type", "Str", "Date", "Json",
]  # fmt: skip
PLAIN_CLASSES = [
    "Widget",
    "Gadget",
    "Thing",
    "Item2",
    "Record",
    "Data",
    "Order",
    "Shop",
]
ENUM_VALUES = [
    "None", "class", "mro", "name", "value", "_missing_", "a b", "1st", "\u00c4\u00d6",
    "\ufb01", "fi", "x-y", "X_Y", "\u00e9", "e\u0301", "self", "__init__", "a\u202eb",
]  # fmt: skip
PRIMITIVES = ["int", "long", "decimal", "double", "bool", "string", "DateTime", "Guid"]

_counter = itertools.count()
BIDI_OR_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _type(refs: list[str]) -> st.SearchStrategy[str]:
    base = st.sampled_from(PRIMITIVES + refs)
    return st.builds(
        lambda b, lst, q: (f"List<{b}>" if lst else b) + ("?" if q else ""),
        base,
        st.booleans(),
        st.booleans(),
    )


def _mixed(adversarial: list[str], plain: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(adversarial), st.sampled_from(plain), st.sampled_from(plain)
    )


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    """A spec dict built from the schema's blocks with adversarial names."""
    # One adversarial name in three: a spec with several is almost always rejected,
    # and the property is about the ones that are accepted.
    class_names = _mixed(CLASS_NAMES, PLAIN_CLASSES)
    classes = draw(st.lists(class_names, min_size=2, max_size=4, unique=True))
    enum, models = classes[0], classes[1:]
    names = _mixed(FIELD_NAMES, PLAIN_FIELDS)
    model_defs = {
        m: {
            "description": draw(
                st.sampled_from(["A record.", "Bidi \u202e\u2066 and \x1b[31m."])
            ),
            "fields": draw(
                st.dictionaries(
                    names,
                    st.builds(lambda t: {"type": t}, _type([enum, *models[:i]])),
                    min_size=1,
                    max_size=4,
                )
            ),
        }
        for i, m in enumerate(models)
    }
    values = draw(
        st.lists(st.sampled_from(ENUM_VALUES), min_size=1, max_size=5, unique=True)
    )
    filter_types = st.sampled_from(
        ["int?", "string?", "DateTime?", "List<int>?", "bool?", f"{enum}?"]
    )
    filter_fields = draw(
        st.dictionaries(
            names,
            st.builds(lambda t: {"type": t}, filter_types),
            min_size=1,
            max_size=4,
        )
    )
    return _assemble(models, model_defs, enum, values, filter_fields)


def _assemble(
    models: list[str],
    model_defs: dict[str, Any],
    enum: str,
    values: list[str],
    filter_fields: dict[str, Any],
) -> dict[str, Any]:
    return {
        "routespec": 1,
        "api": {
            "name": f"hs{next(_counter)}",
            "title": "Random \U0001d54a API",
            "version": "1.0.0",
            "base_url": "https://api.random.test/{stage}",
        },
        "stages": [{"name": "v1", "description": "Only."}],
        "auth": {"api_key": {"header": "x-api-key"}},
        "limits": {"rate": 10, "burst": 10},
        "pagination": {"style": "headers"},
        "filters": {"SearchFilter": {"standard": True, "fields": filter_fields}},
        "models": {enum: {"enum": values}, **model_defs},
        "errors": {"codes": {"GENERIC_ERROR": {"status": 400, "description": "Bad."}}},
        "routes": [
            {
                "name": "probe.list",
                "method": "POST",
                "path": "/probe",
                "summary": "List.",
                "paged": True,
                "request_filter": sorted(filter_fields),
                "response": {"list_of": models[0]},
            },
            {
                "name": "probe.update",
                "method": "PATCH",
                "path": "/probe",
                "summary": "Update.",
                "body": {"list_of": models[0]},
                "response": "none",
            },
        ],
    }


REQUEST_CHECK = """
import importlib, json, sys
import httpx

out = {}
for directory, pkg in json.loads(sys.argv[1]):
    sys.path.insert(0, directory)
    m = importlib.import_module(pkg)
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json=[], headers={"page": "1", "size": "7", "total-pages": "1"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with m.Client(api_key="key-1", http_client=http) as client:
        page = client.probe.page(size=7)
    r = seen[0]
    out[pkg] = {
        "method": r.method, "path": r.url.path, "key": r.headers.get("x-api-key"),
        "page": r.headers.get("page"), "size": r.headers.get("size"),
        "body": type(json.loads(r.content)).__name__, "items": list(page.items),
    }
print(json.dumps(out))
"""


def _generate(spec: dict[str, Any], base: Path, formatter: Formatter) -> list[Path]:
    """Accepted: the written package directories; rejected: [] after checking the errors."""
    import yaml

    directory = base / spec["api"]["name"]
    directory.mkdir(parents=True)
    (directory / "spec.yaml").write_text(
        yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=10_000), "utf-8"
    )
    with cwd(directory):
        api, errors = generator.validate("spec.yaml")
        if api is None:
            assert errors and all(e.line >= 1 and e.column >= 1 for e in errors)
            return []
        tree = build_tree(api, formatter=formatter)
    for rel, data in tree.items():
        if rel.endswith(".py"):
            compile(data, rel, "exec")
            # Trojan Source: no bidi or control character reaches code, raw.
            assert not BIDI_OR_CONTROL.search(data.decode("utf-8")), rel
        if rel.endswith("pyproject.toml"):
            meta = tomllib.loads(data.decode("utf-8"))  # the non-BMP title survives
            assert "\U0001d54a" in meta["project"]["description"], rel
        target = base / "out" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return [
        base / "out" / p
        for p in {rel.split("/", 1)[0] for rel in tree}
        if p != "STAGES.md"
    ]


def _run(args: list[str], cwd_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        args, cwd=cwd_dir, env=env, capture_output=True, text=True, timeout=1200
    )


def test_accepted_random_specs_generate_working_packages(tmp_path: Path) -> None:
    formatter = Formatter(tmp_path / "cache")
    packages: list[Path] = []
    outcomes = {"accepted": 0, "rejected": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not FULL,  # make test: the same examples every run
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(specs())
    def one(spec: dict[str, Any]) -> None:
        found = _generate(spec, tmp_path, formatter)
        outcomes["accepted" if found else "rejected"] += 1
        packages.extend(found)

    one()
    assert packages, f"no random spec was accepted ({outcomes})"
    pairs = [(str(p), p.name) for p in sorted(packages)]
    result = _run([sys.executable, "-c", REQUEST_CHECK, json.dumps(pairs)], tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    for pkg, got in json.loads(result.stdout).items():
        assert got == {
            "method": "POST", "path": "/v1/probe", "key": "key-1", "page": "1",
            "size": "7", "body": "dict", "items": [],
        }, pkg  # fmt: skip
    inner = [str(p / p.name) for p in sorted(packages)]
    mypy = _run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *inner], tmp_path
    )
    assert mypy.returncode == 0, mypy.stdout[-4000:]


def test_the_name_lists_are_adversarial() -> None:
    """The lists really hold the names the property is about (a guard against pruning)."""
    import builtins
    import keyword

    import pydantic

    assert {"class", "lambda", "match"} <= set(FIELD_NAMES) & set(
        keyword.kwlist + keyword.softkwlist
    )
    assert len(set(FIELD_NAMES) & set(dir(builtins))) >= 10
    assert {"copy", "json", "schema"} <= set(FIELD_NAMES) & set(dir(pydantic.BaseModel))
    assert {"None", "True", "False", "UUID", "SecretStr"} <= set(CLASS_NAMES)


pytestmark = pytest.mark.timeout(3000)
