"""Checks for specs the schema accepts but that would generate broken or wrong packages.

Every spec ``validate`` accepts must give packages that compile, import, type-check
and send correct requests. The JSON Schema cannot see NaN (it passes every bound),
a regular expression Rust's engine refuses, two headers that differ only in case,
a model that can only be infinite, or ``/x`` and ``/x//`` being one endpoint; these
checks can. ``check_hostile`` is the one entry point ``checks.check_api`` calls.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

from .build import Problem
from .errors import JsonPath
from .hostile_names import name_checks
from .hostile_wiring import wiring_checks
from .model import Api, ModelField, StageApi

Found = Iterator[tuple[JsonPath, str]]

_NUMERIC = frozenset({"int", "long", "short", "byte", "decimal", "double", "float"})
_MAX_MAGNITUDE = 2.0**63  # beyond a 64-bit integer no vendor bound means anything
_MIN_MAGNITUDE = 1e-12  # a non-zero bound this small is a typo, and renders as noise
_MIN_RATE = 1 / 86400  # fewer than one call a day: the limiter would wait "forever"


def check_hostile(raw: Mapping[str, Any], api: Api) -> list[Problem]:
    """Every problem of this module over the raw spec and each resolved stage."""
    found = [Problem(w, m, "") for w, m in _raw_checks(raw)]
    for stage in api.resolved:
        checks = (
            name_checks,
            wiring_checks,
            _constraints,
            _cycles,
            _paths,
            _get_bodies,
        )
        for check in checks:
            found += [Problem(w, m, stage.stage.name) for w, m in check(stage)]
    return found


def _raw_checks(raw: Mapping[str, Any]) -> Found:
    yield from _numbers(raw, ())
    yield from _version(raw["api"].get("version"))
    limits = raw["limits"]
    rate = limits.get("rate")
    if isinstance(rate, int | float) and math.isfinite(rate) and rate < _MIN_RATE:
        yield ("limits", "rate"), f"rate {rate!r}/s is less than one call a day"
    period = limits.get("quota_period")
    if isinstance(period, str) and _duration(period) != timedelta(days=1):
        msg = (
            f"quota_period {period!r}: the client enforces a daily quota only (use 1d)"
        )
        yield ("limits", "quota_period"), msg


def _duration(text: str) -> timedelta | None:
    from .model import parse_duration

    try:
        return parse_duration(text)
    except ValueError:
        return None


def _numbers(node: Any, path: JsonPath) -> Found:
    """NaN and infinities anywhere (PyYAML reads ``.nan``; NaN passes every bound)."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _numbers(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _numbers(value, (*path, i))
    elif isinstance(node, float) and not math.isfinite(node):
        yield path, f"{node!r} is not a finite number"
    elif isinstance(node, int | float) and not isinstance(node, bool):
        if abs(node) > _MAX_MAGNITUDE:
            yield path, f"number {_short(node)} is out of range (beyond 2**63)"
        elif node and abs(node) < _MIN_MAGNITUDE:
            yield path, f"number {node!r} is too small to mean anything (use 0)"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 24 else f"{text[:10]}…{text[-6:]} ({len(text)} digits)"


def _version(version: object) -> Found:
    """``api.version`` lands in pyproject.toml and the User-Agent: PEP 440 only."""
    if not isinstance(version, str):
        return
    from packaging.version import InvalidVersion, Version

    where = ("api", "version")
    if version != version.strip() or any(not c.isprintable() for c in version):
        yield where, "version holds whitespace or control characters"
        return
    try:
        Version(version)
    except InvalidVersion:
        yield where, f"version {version!r} is not a PEP 440 version (e.g. 1.2.0)"


def _constraints(stage: StageApi) -> Found:
    for m in stage.models:
        for f in m.fields:
            for problem in _field_constraints(f):
                yield f.where, f"{m.name}.{f.name}: {problem}"


def _field_constraints(f: ModelField) -> Iterator[str]:
    numeric = (f.minimum, f.maximum, f.exclusive_minimum)
    if any(v is not None for v in numeric) and f.type.base not in _NUMERIC:
        yield f"minimum/maximum on a non-numeric field ({f.type})"
    if f.min_length is not None and f.type.base != "string":
        yield f"min_length on a non-string field ({f.type})"
    low = f.minimum if f.minimum is not None else f.exclusive_minimum
    strict = f.exclusive_minimum is not None
    top = f.maximum
    if low is not None and top is not None and (low >= top if strict else low > top):
        yield f"no value fits: lower bound {low!r} is not below maximum {f.maximum!r}"
    if (
        f.min_length is not None
        and f.max_length is not None
        and f.min_length > f.max_length
    ):
        yield f"no value fits: min_length {f.min_length} exceeds max_length {f.max_length}"
    if f.pattern is not None:
        problem = pattern_problem(f.pattern)
        if problem:
            yield f"pattern {f.pattern!r} {problem}"


def pattern_problem(pattern: str) -> str | None:
    """Why Python's ``re`` or pydantic's Rust regex engine refuses ``pattern``, or None."""
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"is not a valid regular expression: {exc}"
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError as exc:
        detail = " ".join(str(exc).split())[:160]
        return f"is refused by pydantic's regex engine: {detail}"
    return None


def _cycles(stage: StageApi) -> Found:
    """A required field of model type back to itself: no finite instance exists."""
    edges = {
        m.name: [
            (f, f.type.base)
            for f in m.fields
            if not f.type.nullable and not f.type.is_list and stage.model(f.type.base)
        ]
        for m in stage.models
    }
    reported: set[frozenset[str]] = set()
    for m in stage.models:
        cycle = _cycle_from(m.name, edges)
        if not cycle or frozenset(cycle) in reported:
            continue
        reported.add(frozenset(cycle))
        step = cycle[1] if len(cycle) > 1 else m.name
        first = next(f for f, target in edges[m.name] if target == step)
        what = (
            "refers to its own model"
            if len(cycle) == 1
            else "closes the cycle " + " -> ".join([*cycle, m.name])
        )
        msg = (
            f"{m.name}.{first.name}: a required (non-nullable) field {what}; "
            f"no finite {m.name} exists (make it nullable or a list)"
        )
        yield first.origin("type"), msg


def _cycle_from(
    start: str, edges: Mapping[str, list[tuple[ModelField, str]]]
) -> list[str]:
    """The models of a required-reference cycle through ``start``, or []."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        name, trail = stack.pop()
        for _, target in edges.get(name, ()):
            if target == start:
                return trail
            if target not in seen:
                seen.add(target)
                stack.append((target, [*trail, target]))
    return []


def normalized_path(path: str) -> str:
    """``/x//y/`` -> ``/x/y``: the path a server routes (empty segments dropped)."""
    return "/" + "/".join(part for part in path.split("/") if part and part != ".")


def _paths(stage: StageApi) -> Found:
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for r in sorted(stage.routes, key=lambda r: r.where):
        key = (r.method, normalized_path(r.path))
        first = seen.setdefault(key, (r.name, r.path))
        if first[1] != r.path:
            msg = (
                f"{r.method} {r.path} is the same endpoint as "
                f"{r.method} {first[1]} (route {first[0]!r})"
            )
            yield r.origin("path"), msg


def _get_bodies(stage: StageApi) -> Found:
    """Filters and bodies travel in the JSON body, which a GET must not carry."""
    for r in stage.routes:
        if r.method == "GET" and (r.body or r.request_filter or r.route_filter):
            msg = (
                f"route {r.name!r}: a GET sends no body, so it can take no filters or "
                "body (gateways and proxies drop or refuse one); use POST"
            )
            yield r.origin("method"), msg
