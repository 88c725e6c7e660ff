"""Names that would collide once a stage is rendered as Python.

Spec names are converted (``siteIds`` -> ``site_ids``, ``a_1`` and ``a1`` -> ``a1``)
and then share namespaces with what the generated modules import and what the client
classes already define. Any clash would render a package that does not import or
type-check, so each is reported as a spec error at the later declaration.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from . import naming
from .errors import JsonPath
from .model import FilterField, ModelField, Route, StageApi

Found = Iterator[tuple[JsonPath, str]]

# Names the generated modules import or define next to the spec's classes.
_TEMPLATE_NAMES = frozenset(
    {
        "API", "ERROR_CONFIG", "AsyncClient", "AsyncIterator", "AsyncPage", "BaseModel",
        "ClassVar", "Client", "ConfigDict", "Enum", "Field", "Iterator", "Literal",
        "Sequence", "StrEnum", "VendorModel", "VendorModelBase",
    }
)  # fmt: skip


# Module names ``_client.py`` uses inside the client classes' bodies: a group property
# of the same name, defined there, would hide them from the groups defined after it.
_CLIENT_BODY_NAMES = frozenset({"cached_property"})


# The runtime is read, not imported: importing it loads httpx and pydantic, half a
# second of every cold ``validate`` and ``generate`` for two sets of names.
_RUNTIME = Path(__file__).resolve().parents[1] / "runtime"


@lru_cache(maxsize=1)
def reserved_class_names() -> frozenset[str]:
    """Every class-like name a generated package binds besides the spec's own."""
    init = ast.parse((_RUNTIME / "__init__.py").read_text(encoding="utf-8"))
    exported = next(
        ast.literal_eval(node.value)
        for node in init.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
    )
    return _TEMPLATE_NAMES | frozenset(exported)


@lru_cache(maxsize=1)
def client_members() -> frozenset[str]:
    """Attributes of the client classes (public names of ``dir()``, inherited ones
    included); a resource group may not shadow them."""
    classes = _runtime_classes()
    return frozenset(
        n
        for cls in ("SyncAPIClient", "AsyncAPIClient")
        for n in _members(cls, classes)
        if not n.startswith("_")
    )


def _runtime_classes() -> dict[str, ast.ClassDef]:
    """Every top-level class of the runtime's modules, by name."""
    out: dict[str, ast.ClassDef] = {}
    for path in sorted(_RUNTIME.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        out.update((n.name, n) for n in tree.body if isinstance(n, ast.ClassDef))
    return out


def _members(name: str, classes: dict[str, ast.ClassDef]) -> set[str]:
    """Class attributes of runtime class ``name`` and its runtime bases (what ``dir``
    lists besides ``object``'s and ``Generic``'s dunders)."""
    cls = classes.get(name)
    if cls is None:
        return set()
    found: set[str] = set()
    for node in cls.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.Assign):
            found.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif (
            isinstance(node, ast.AnnAssign)
            and node.value is not None  # an annotation alone is not in dir()
            and isinstance(node.target, ast.Name)
        ):
            found.add(node.target.id)
    for base in cls.bases:
        base_name = base.value if isinstance(base, ast.Subscript) else base
        if isinstance(base_name, ast.Name):
            found |= _members(base_name.id, classes)
    return found


def collisions(stage: StageApi) -> Found:
    """Every naming collision of ``stage``."""
    yield from _methods(stage)
    yield from _groups(stage)
    yield from _classes(stage)
    for m in stage.models:
        yield from field_names(m.name, m.fields)
    for r in stage.routes:
        yield from _params(r)


def describe(owner: str, first: str, second: str, py_name: str) -> str:
    """The message for two spec names that become one Python name."""
    return f"{owner} {first!r} and {second!r} both become {py_name!r}"


def _methods(stage: StageApi) -> Found:
    methods: dict[tuple[str, str], str] = {}
    for r in sorted(stage.routes, key=lambda r: r.where):
        verbs = [r.verb]
        if r.paged:
            verbs.append("page" if r.verb == "list" else f"{r.verb}_page")
        for verb in verbs:
            key = (naming.snake_case(r.group), naming.snake_case(verb))
            if key in methods and methods[key] != r.name:
                method = ".".join(key)
                yield r.where, f"route {r.name!r}: method {method}() collides with {methods[key]!r}"
            methods.setdefault(key, r.name)


def _groups(stage: StageApi) -> Found:
    seen: dict[str, str] = {}
    for r in sorted(stage.routes, key=lambda r: r.where):
        attr = naming.snake_case(r.group)
        if attr in client_members():
            yield r.where, f"route {r.name!r}: group {r.group!r} would hide client.{attr}"
        elif attr in _CLIENT_BODY_NAMES:
            yield r.where, (
                f"route {r.name!r}: group {r.group!r} would hide the name {attr!r} the "
                "client class uses to define its groups; rename the group"
            )
        elif seen.setdefault(attr, r.group) != r.group:
            yield r.where, describe(
                f"route {r.name!r}: groups", seen[attr], r.group, attr
            )


def _classes(stage: StageApi) -> Found:
    owners: dict[str, str] = {
        n: "a name the generated code uses" for n in reserved_class_names()
    }
    owners[stage.info.error_root] = "the root error"
    for kind, name, where in _class_names(stage):
        if name in owners and owners[name] != f"{kind} {name!r}":
            yield where, f"{kind} {name!r} collides with {owners[name]} in the generated package"
        owners.setdefault(name, f"{kind} {name!r}")


def _class_names(stage: StageApi) -> Iterator[tuple[str, str, JsonPath]]:
    for m in stage.models:
        yield "model", m.name, m.where
    for e in stage.enums:
        yield "enum", e.name, e.where
    for f in stage.filters:
        yield "filter", f.name, f.where
    for code in stage.errors:
        yield "error code", code.class_name, code.where
    for i, g in enumerate(stage.gateway):
        yield "gateway error", g.name, ("errors", "gateway", i, "name")
    for r in sorted(stage.routes, key=lambda r: r.where):
        base = naming.class_name(r.group) + "Resource"
        yield "resource group", base, r.where
        yield "resource group", "Async" + base, r.where


def field_names(owner: str, fields: Iterable[ModelField | FilterField]) -> Found:
    """Fields of one model or filter that become the same Python name."""
    seen: dict[str, str] = {}
    for f in fields:
        if f.py_name in seen:
            yield f.where, describe(
                f"{owner}: fields", seen[f.py_name], f.name, f.py_name
            )
        seen.setdefault(f.py_name, f.name)


def _params(route: Route) -> Found:
    """Request- and route-filter fields of one route that become the same keyword."""
    seen: dict[str, str] = {}
    routed = route.route_filter.fields if route.route_filter else ()
    for f in route.request_filter + routed:
        # Point at the route's own list, where the clash is introduced.
        where = route.origin("route_filter" if f in routed else "request_filter")
        if f.py_name in seen and seen[f.py_name] == f.name:
            msg = f"route {route.name!r}: field {f.name!r} is in both its filters"
            yield where, msg
        elif f.py_name in seen:
            owner = f"route {route.name!r}: filter fields"
            yield where, describe(owner, seen[f.py_name], f.name, f.py_name)
        seen.setdefault(f.py_name, f.name)
