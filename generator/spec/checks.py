"""Semantic checks: what the JSON Schema cannot say about a spec's meaning.

Each check returns ``Problem`` values; nothing raises. Problems found in several
stages at the same place are merged into one message naming the stages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .build import Problem
from .checks_rest import rest_checks
from .collisions import collisions, field_names
from .errors import JsonPath
from .hints import did_you_mean
from .hostile_checks import check_hostile
from .model import PRIMITIVES, Api, ModelField, Route, StageApi, TypeRef

MAX_RANGE_DAYS = 366
STAGES = "{stages}"  # placeholder in a message: replaced by the stages it was found in


def check_api(raw: Mapping[str, Any], api: Api) -> list[Problem]:
    """Every semantic check over the raw spec and its resolved stages."""
    problems = list(_stage_references(raw, api.stage_names))
    for stage in api.resolved:
        problems += _stage_checks(stage)
    return problems + check_hostile(raw, api)


def _stage_checks(stage: StageApi) -> list[Problem]:
    found: list[Problem] = []
    for check in (_route_refs, _limits, _models, _filters, _auth, collisions, rest_checks):
        found += [Problem(w, m, stage.stage.name) for w, m in check(stage)]
    found += [Problem(w, m, stage.stage.name, first) for w, m, first in _routes(stage)]
    return found


def merge_stages(problems: Iterable[Problem], order: tuple[str, ...]) -> list[tuple[JsonPath, str]]:
    """One message per place: ``message (in stages v2, v2.1)`` when not every stage has it."""
    by_place: dict[tuple[JsonPath, str], set[str]] = defaultdict(set)
    for p in problems:
        by_place[(p.where, p.message)].add(p.stage)
    out = []
    for (where, message), stages in sorted(
        by_place.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])
    ):
        if STAGES in message:  # the message names its stages itself
            names = ", ".join(s for s in order if s in stages)
            message = message.replace(STAGES, f"stage{'s' if len(stages) > 1 else ''} {names}")
        elif stages and len(stages) < len(order) and "" not in stages:
            names = ", ".join(s for s in order if s in stages)
            message = f"{message} (in stage{'s' if len(stages) > 1 else ''} {names})"
        out.append((where, message))
    return out


def _stage_references(raw: Mapping[str, Any], order: tuple[str, ...]) -> Iterator[Problem]:
    """Unknown stage names, duplicate stages and ``until`` not after ``since`` anywhere."""
    seen: set[str] = set()
    for i, stage in enumerate(raw["stages"]):
        if stage["name"] in seen:
            first = order.index(stage["name"])
            yield Problem(
                ("stages", i, "name"),
                f"duplicate stage {stage['name']!r}",
                "",
                ("stages", first, "name"),
            )
        seen.add(stage["name"])
    yield from _walk_lifecycles(raw, (), order)


def _walk_lifecycles(node: Any, path: JsonPath, order: tuple[str, ...]) -> Iterator[Problem]:
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk_lifecycles(item, (*path, i), order)
        return
    if not isinstance(node, Mapping):
        return
    for key in ("since", "until"):
        if isinstance(node.get(key), str) and node[key] not in order:
            yield Problem((*path, key), _unknown_stage(node[key], key, order), "")
    since, until = node.get("since"), node.get("until")
    if since in order and until in order and order.index(until) <= order.index(since):
        yield Problem((*path, "until"), f"'until: {until}' is not after 'since: {since}'", "")
    for key in ("changes", "wire_case"):
        if isinstance(node.get(key), Mapping) and path[:1] != ("errors",):
            for stage in node[key]:
                where = (*path, key, stage)
                if stage not in order:
                    yield Problem(where, _unknown_stage(stage, key, order), "")
                else:
                    yield from _outside_lifetime(node, where, stage, order)
    for key, value in node.items():
        if key not in ("changes",) and isinstance(value, Mapping | list):
            yield from _walk_lifecycles(value, (*path, key), order)


def _unknown_stage(name: str, key: str, order: tuple[str, ...]) -> str:
    hint = did_you_mean(name, order)
    return f"unknown stage {name!r} in {key!r}{hint or ''} (stages: {', '.join(order)})"


def _outside_lifetime(
    node: Mapping[str, Any], where: JsonPath, stage: str, order: tuple[str, ...]
) -> Iterator[Problem]:
    """A change for a stage the element does not exist in would be silently lost."""
    idx = order.index(stage)
    since, until = node.get("since"), node.get("until")
    if since in order and idx < order.index(since):
        yield Problem(where, f"change for stage {stage!r} is before 'since: {since}'", "")
    if until in order and idx >= order.index(until):
        yield Problem(where, f"change for stage {stage!r} is not before 'until: {until}'", "")


def _routes(stage: StageApi) -> Iterator[tuple[JsonPath, str, JsonPath]]:
    """Duplicates, each with the path of the first declaration (its line is added later)."""
    names: dict[str, JsonPath] = {}
    endpoints: dict[tuple[str, str], Route] = {}
    # In declaration order, so the later declaration is the one reported.
    for r in sorted(stage.routes, key=lambda r: r.where):
        if r.name in names and names[r.name] != r.where:
            yield r.where, f"duplicate route name {r.name!r}", names[r.name]
        names.setdefault(r.name, r.where)
        key = (r.method, r.path)
        other = endpoints.setdefault(key, r)
        if other.name != r.name:
            msg = f"{r.method} {r.path} is already declared by route {other.name!r}"
            yield r.origin("path"), msg, other.origin("path")


def _secret_bodies(stage: StageApi) -> Iterator[tuple[JsonPath, str]]:
    """A SecretStr would be sent as its mask, so a written model may hold no secret."""
    for r in stage.routes:
        model = stage.model(r.body.model) if r.body and r.body.model else None
        if model is None:
            continue
        for f in model.fields:
            if f.secret:
                msg = f"route {r.name!r}: body model {model.name} has secret field {f.name!r}"
                yield r.origin("body"), msg


def _route_refs(stage: StageApi) -> Iterator[tuple[JsonPath, str]]:
    yield from _secret_bodies(stage)
    for r in stage.routes:
        for key, ref in (("body", r.body), ("response", r.response)):
            if ref is not None and ref.model is not None and stage.model(ref.model) is None:
                models = (m.name for m in stage.models)
                what = (
                    "an enum, not a model"
                    if stage.enum(ref.model)
                    else f"not declared in {STAGES}{did_you_mean(ref.model, models)}"
                )
                yield r.origin(key), f"route {r.name!r}: {key} model {ref.model!r} is {what}"
        for code in r.errors:
            if stage.error(code) is None:
                yield (
                    r.origin("errors"),
                    f"route {r.name!r}: unknown error code {code!r} in {STAGES}"
                    + did_you_mean(code, (e.code for e in stage.errors)),
                )
        if r.status == 204 and r.response.kind != "none":
            msg = f"route {r.name!r}: status 204 (No Content) with a {r.response.kind} response"
            yield r.origin("status"), msg
        if r.paged and r.response.kind != "list":
            yield r.origin(
                "paged"
            ), f"route {r.name!r}: a paged route must return a list (list_of)"
        if r.body is not None and r.body.kind != "list" and not stage.rest:
            yield r.origin(
                "body"
            ), f"route {r.name!r}: a write body must be a list (list_of)"


def _limits(stage: StageApi) -> Iterator[tuple[JsonPath, str]]:
    p = stage.pagination
    if p.default_size > p.max_size:
        yield (
            (
                "pagination",
                "default_size",
            ),
            f"default_size {p.default_size} exceeds max_size {p.max_size}",
        )
    for r in stage.routes:
        if r.max_page_size is not None:
            if not r.paged:
                yield (
                    r.origin("max_page_size"),
                    f"route {r.name!r}: max_page_size on a route that is not paged",
                )
            elif r.max_page_size > p.max_size:
                msg = (
                    f"route {r.name!r}: max_page_size {r.max_page_size} "
                    f"exceeds the global max {p.max_size}"
                )
                yield r.origin("max_page_size"), msg
        yield from _range_limits(stage, r)
        if r.min_interval is not None and r.min_interval.total_seconds() > 86400:
            yield r.origin("min_interval"), f"route {r.name!r}: min_interval is longer than a day"


def _range_limits(stage: StageApi, r: Any) -> Iterator[tuple[JsonPath, str]]:
    if r.max_range is not None:
        if r.max_range.days > MAX_RANGE_DAYS:
            msg = f"route {r.name!r}: max_range {r.max_range.days}d exceeds {MAX_RANGE_DAYS}d"
            yield r.origin("max_range"), msg
        roles = {f.date_role for f in r.request_filter}
        if stage.date_range is None or not {"start", "end"} <= roles:
            msg = f"route {r.name!r}: max_range needs the route to honour both date-range fields"
            yield r.origin("max_range"), msg
    if r.dates_required and r.max_range is None:
        yield r.origin("dates_required"), f"route {r.name!r}: dates_required without max_range"


def _types_in(stage: StageApi, t: TypeRef) -> str | None:
    if t.is_primitive or stage.model(t.base) or stage.enum(t.base):
        return None
    names = [*PRIMITIVES, *(m.name for m in stage.models), *(e.name for e in stage.enums)]
    return f"unknown type {t.base!r} in {STAGES}{did_you_mean(t.base, names)}"


def _models(stage: StageApi) -> Iterator[tuple[JsonPath, str]]:
    for m in stage.models:
        for f in m.fields:
            keys = ("type", *["also_accepts"] * len(f.also_accepts))
            for t, key in zip(f.types, keys, strict=True):
                problem = _types_in(stage, t)
                if problem:
                    yield f.origin(key), f"{m.name}.{f.name}: {problem}"
            if f.exclusive_minimum is not None and f.minimum is not None:
                yield f.where, f"{m.name}.{f.name}: both minimum and exclusive_minimum"
            if f.secret and (f.type.base != "string" or f.type.is_list):
                yield f.origin("secret"), f"{m.name}.{f.name}: secret on a non-string field"
            for key in ("local_time", "wire_format") if f.type.base != "DateTime" else ():
                if getattr(f, key):
                    yield f.origin(key), f"{m.name}.{f.name}: {key} on a non-DateTime field"
            if (f.max_length is not None or f.pattern) and f.type.base != "string":
                yield f.where, f"{m.name}.{f.name}: max_length/pattern on a non-string field"
            yield from _mock_hints(stage, m.name, f)


def _mock_hints(stage: StageApi, model: str, f: ModelField) -> Iterator[tuple[JsonPath, str]]:
    """``examples`` must fit the field's type; ``true_ratio`` needs a bool field."""
    if f.true_ratio is not None and (f.type.base != "bool" or f.type.is_list):
        yield f.origin("true_ratio"), f"{model}.{f.name}: true_ratio on a non-bool field"
    for value in f.examples:
        if not _example_fits(stage, f.type, value):
            msg = f"{model}.{f.name}: example {value!r} does not fit {f.type}"
            yield f.origin("examples"), msg


def _example_fits(stage: StageApi, t: TypeRef, value: object) -> bool:
    if value is None or t.is_list:
        return value is None and t.nullable
    if t.base == "bool":
        return isinstance(value, bool)
    if t.base in ("int", "long", "short", "byte"):
        return isinstance(value, int) and not isinstance(value, bool)
    if t.base in ("decimal", "double", "float"):
        return isinstance(value, int | float) and not isinstance(value, bool)
    enum = stage.enum(t.base)
    if enum is not None:
        return value in enum.values
    return isinstance(value, str) and stage.model(t.base) is None


def _filters(stage: StageApi) -> Iterator[tuple[JsonPath, str]]:
    standard = [f for f in stage.filters if f.standard]
    if len(standard) > 1:
        yield standard[1].where, "more than one filter is marked standard"
    for flt in stage.filters:
        yield from field_names(flt.name, flt.fields)
        for f in flt.fields:
            if not f.type.is_primitive and stage.enum(f.type.base) is None:
                hint = did_you_mean(f.type.base, [*PRIMITIVES, *(e.name for e in stage.enums)])
                msg = f"{flt.name}.{f.name}: unknown type {f.type.base!r} in {STAGES}{hint}"
                yield f.origin("type"), msg
    dr = stage.date_range
    if dr is not None and standard:
        for name in (dr.start_field, dr.end_field):
            if standard[0].field(name) is None and stage.stage.index == 0:
                yield (
                    ("date_range",),
                    f"date_range field {name!r} is not a field of {standard[0].name}",
                )


def _auth(stage: StageApi) -> Iterator[tuple[JsonPath, str]]:
    token = stage.auth.token
    if token is None:
        return
    if token.renew_before >= token.lifetime:
        msg = "renew_before must be shorter than the token lifetime"
        yield ("auth", "token", "renew_before"), msg
    names = {r.name for r in stage.routes}
    if token.route not in names:
        yield (
            (
                "auth",
                "token",
                "route",
            ),
            f"token route {token.route!r} is not a route of this stage",
        )
    for key, code in (
        ("expired_error", token.expired_error),
        ("invalid_error", token.invalid_error),
    ):
        if code is not None and stage.error(code) is None:
            hint = did_you_mean(code, (e.code for e in stage.errors))
            yield ("auth", "token", key), f"unknown error code {code!r} in {STAGES}{hint}"
