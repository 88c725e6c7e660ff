"""Template views: every name, type string and docstring a template prints, computed here.

Templates only loop and substitute. Anything that comes from the spec reaches them
either as a Python literal made by ``repr`` (``lit``) or as an escaped docstring
(``docstring``), so no spec text can change the meaning of generated code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time, timedelta

from ..spec import naming
from ..spec.model import FilterField, Route, StageApi, TypeRef
from ..spec.naming import CONTROL_CHARS, one_line
from .layout import Brackets, call, kwargs, literal, tuple_of

_FILTER_TYPES = {
    "int": "int",
    "long": "int",
    "short": "int",
    "byte": "int",
    "decimal": "float",
    "double": "float",
    "float": "float",
    "bool": "bool",
    "string": "str",
    # date first: pydantic's smart union then keeps "2024-01-02" a date (end of day)
    "DateTime": "date | datetime",
    "Guid": "str",
}


def isort_names(names: Iterable[str]) -> list[str]:
    """Names of one ``from x import (...)`` in isort/ruff order: CONSTANTS, Classes, others."""

    def key(name: str) -> tuple[int, str]:
        kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
        return kind, name.lower()

    return sorted(set(names), key=key)


def lit(value: object) -> str:
    """A Python literal for ``value`` (strings, numbers, bools, None, tuples of those),
    spelled as black would spell it."""
    return literal(value)


def frozenset_lit(items: Iterable[object]) -> str | Brackets:
    """A ``frozenset`` literal with sorted members (a set's repr order varies by run)."""
    members = tuple(sorted(lit(i) for i in items))
    return call("frozenset", [Brackets("{", members, "}")]) if members else "frozenset()"


def docstring(text: str, indent: str = "    ") -> str:
    """A safely escaped triple-quoted docstring; spec text cannot close it early.

    ``indent`` is the indentation of the statement the docstring opens. The result is
    what black would make of it: continuation lines dedented by their common
    indentation (leading tabs as four columns), a space between a quote at either end
    of a one-line docstring and the triple quotes.
    """
    clean = CONTROL_CHARS.sub(" ", text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = _dedented([ln.rstrip() for ln in clean.strip().splitlines()] or [""])
    last = lines[-1]
    backslashes = len(last[:-1]) - len(last[:-1].rstrip("\\"))
    if last.endswith('"') and backslashes % 2 == 0:
        # An unescaped quote right before the closing quotes would merge with them.
        lines[-1] = last[:-1] + '\\"'
    if lines[0].startswith('"'):
        lines[0] = " " + lines[0]  # black's padding: """" would read as four quotes
    if len(lines) == 1:
        pad = " " if lines[0].endswith('"') else ""
        return f'"""{lines[0]}{pad}"""'
    body = "\n".join((indent + ln) if ln else "" for ln in lines[1:])
    return f'"""{lines[0]}\n{body}\n{indent}"""'


def _dedented(lines: list[str]) -> list[str]:
    """``lines`` after the first without their common indentation (PEP 257, as black)."""
    rest = [_expand_leading_tabs(ln) for ln in lines[1:]]
    depth = min((len(ln) - len(ln.lstrip()) for ln in rest if ln.strip()), default=0)
    return [lines[0], *(ln[depth:] for ln in rest)]


def _expand_leading_tabs(line: str) -> str:
    stripped = line.lstrip()
    if not stripped or stripped == line:
        return line
    return line[: len(line) - len(stripped)].expandtabs(4) + stripped


def filter_annotation(t: TypeRef) -> str:
    """Annotation of a filter keyword argument; every filter is optional."""
    base = _FILTER_TYPES.get(t.base, t.base)
    # SequenceNotStr: a str is a Sequence[str], and "M1" for ["M1"] is a classic slip.
    inner = f"SequenceNotStr[{base}]" if t.is_list else base
    return f"{inner} | None"


@dataclass(frozen=True, slots=True)
class Param:
    """One keyword parameter of a generated method."""

    name: str
    annotation: str
    default: str
    value: str  # how the body passes it on
    type: TypeRef  # what the annotation names (for imports)


@dataclass(frozen=True, slots=True)
class RouteView:
    """A route as the templates print it."""

    const: str  # constant in _api.py
    name: str
    method: str
    path: str
    py_verb: str
    page_verb: str | None
    paged: bool
    summary: str
    doc: str
    request_params: tuple[Param, ...]
    route_params: tuple[Param, ...]
    route_filter_class: str | None  # the route filter's class, when it has fields
    body_model: str | None
    response_kind: str
    response_model: str | None
    return_type: str
    split_range: bool
    is_token_route: bool
    route: Route
    rest: bool = False  # path/query parameters and one model body (rest_methods.py)

    @property
    def has_filters(self) -> bool:
        """Whether the route takes any filter arguments."""
        return bool(self.request_params or self.route_params)


def _params(fields: tuple[FilterField, ...]) -> tuple[Param, ...]:
    return tuple(
        Param(f.py_name, filter_annotation(f.type), "None", f.py_name, f.type)
        for f in fields
    )


def _return_type(route: Route) -> str:
    kind, model = route.response.kind, route.response.model
    if kind == "list":
        return f"list[{model}]"
    return {"object": str(model), "text": "str", "none": "None"}[kind]


def _doc(stage: StageApi, route: Route) -> str:
    parts = [route.summary.strip() or route.name, ""]
    if route.description:
        parts += [route.description.strip(), ""]
    parts.append(f"``{route.method} {route.path}`` (spec route ``{route.name}``).")
    if route.max_page_size:
        parts.append(f"Max page size: {route.max_page_size}.")
    if route.max_range is not None:
        days = route.max_range.days or route.max_range
        required = " Both dates are required." if route.dates_required else ""
        parts.append(
            f"Max date range: {days} days; the server clamps longer ranges, so list() "
            f"walks them in {days}-day windows (split_range=False turns that off).{required}"
        )
    if route.errors:
        parts.append(
            "Route errors: "
            + ", ".join(_error_class(stage, c) for c in route.errors)
            + "."
        )
    if route.source:
        parts.append(f"Source: {route.source}.")
    for source, keys in stage.change_sources(route.where, route.origins).items():
        parts.append(f"Stage changes ({', '.join(keys)}): {source}.")
    return "\n".join(parts)


def _error_class(stage: StageApi, code: str) -> str:
    found = stage.error(code)
    return found.class_name if found else code


def route_view(stage: StageApi, route: Route) -> RouteView:
    """The view of one route."""
    token = stage.auth.token
    verb = naming.snake_case(route.verb)
    page_verb = None
    if route.paged:
        page_verb = (
            "page" if route.verb == "list" else naming.snake_case(f"{route.verb}_page")
        )
    rf = route.route_filter.fields if route.route_filter else ()
    return RouteView(
        const=naming.snake_case(route.name.replace(".", "_")).upper(),
        name=route.name,
        method=route.method,
        path=route.path,
        py_verb=verb,
        page_verb=page_verb,
        paged=route.paged,
        summary=one_line(route.summary),
        doc=_doc(stage, route),
        request_params=_params(route.request_filter),
        route_params=_params(rf),
        route_filter_class=(
            route.route_filter.filter if rf and route.route_filter else None
        ),
        body_model=route.body.model if route.body else None,
        response_kind=route.response.kind,
        response_model=route.response.model,
        return_type=_return_type(route),
        split_range=route.max_range is not None,
        is_token_route=token is not None and token.route == route.name,
        route=route,
        rest=stage.rest,
    )


@dataclass(frozen=True, slots=True)
class GroupView:
    """A resource group: one attribute of the client, one class per flavour."""

    attr: str
    class_name: str
    routes: tuple[RouteView, ...]


def group_views(stage: StageApi) -> tuple[GroupView, ...]:
    """Resource groups of a stage, sorted by attribute name."""
    by_group: dict[str, list[RouteView]] = {}
    for r in stage.routes:  # one pass: linear in routes, whatever the number of groups
        by_group.setdefault(r.group, []).append(route_view(stage, r))
    out = []
    for group in stage.groups:
        routes = tuple(by_group.get(group, ()))
        attr = naming.snake_case(group)
        out.append(GroupView(attr, naming.class_name(group) + "Resource", routes))
    return tuple(sorted(out, key=lambda g: g.attr))


def _td(value: timedelta | None) -> str:
    return (
        "None" if value is None else f"timedelta(seconds={int(value.total_seconds())})"
    )


def _filter_fields(fields: tuple[FilterField, ...]) -> Brackets:
    items: list[str | Brackets] = [
        call(
            "FilterField",
            [lit(f.py_name), lit(f.wire), lit(f.date_role)]
            + (["is_list=True"] if f.type.is_list else []),
        )
        for f in fields
    ]
    return tuple_of(items)


def route_info_args(stage: StageApi, route: Route) -> list[tuple[str, str | Brackets]]:
    """Keyword arguments of the route's ``RouteInfo(...)`` as (name, literal) pairs."""
    rf = route.route_filter.fields if route.route_filter else ()
    return [
        ("name", lit(route.name)),
        ("method", lit(route.method)),
        ("path", lit(route.path)),
        ("request_filter", _filter_fields(route.request_filter)),
        ("route_filter", _filter_fields(rf)),
        ("paged", lit(route.paged)),
        ("max_page_size", lit(route.max_page_size)),
        ("max_range", _td(route.max_range)),
        ("dates_required", lit(route.dates_required)),
        ("idempotent", lit(route.idempotent)),
        ("auth", lit(route.auth)),
        ("has_body", lit(route.body is not None)),
        ("response", lit(route.response.kind)),
        ("success_status", lit(route.status)),
        ("min_interval", _td(route.min_interval)),
    ]


def _time(value: time) -> str:
    return f"time({value.hour}, {value.minute}, {value.second})"


def token_args(stage: StageApi) -> list[tuple[str, str | Brackets]]:
    """Keyword arguments of ``TokenConfig(...)``; empty when the API has no token."""
    t = stage.auth.token
    if t is None:
        return []
    path = stage.route(t.route).path
    return [
        ("path", lit(path)),
        ("username_field", lit(t.username_field)),
        ("password_field", lit(t.password_field)),
        ("token_field", lit(t.token_field)),
        ("expires_field", lit(t.expires_field)),
        ("expires_format", lit(t.expires_format)),
        ("header", lit(t.header)),
        ("scheme", lit(t.scheme)),
        ("lifetime", _td(t.lifetime)),
        ("renew_before", _td(t.renew_before)),
        ("expired_code", lit(t.expired_error)),
    ]


def api_config_args(stage: StageApi) -> list[tuple[str, str | Brackets]]:
    """Keyword arguments of the stage's ``ApiConfig(...)``."""
    p, lim, dr, keys = stage.pagination, stage.limits, stage.date_range, stage.body_keys
    pagination = kwargs(
        "PaginationConfig",
        [
            ("page_header", lit(p.page_header)),
            ("size_header", lit(p.size_header)),
            ("response_page_header", lit(p.response_page_header)),
            ("response_size_header", lit(p.response_size_header)),
            ("total_pages_header", lit(p.total_pages_header)),
            ("first_page", lit(p.first_page)),
            ("default_size", lit(p.default_size)),
            ("max_size", lit(p.max_size)),
        ],
    )
    limits = kwargs(
        "LimitsConfig",
        [
            ("rate", lit(lim.rate)),
            ("burst", lit(lim.burst)),
            ("quota", lit(lim.quota)),
            ("quota_period", _td(lim.quota_period)),
        ],
    )
    args: list[tuple[str, str | Brackets]] = [
        ("name", lit(stage.package)),
        ("title", lit(one_line(stage.info.title))),
        ("stage", lit(stage.stage.name)),
        ("base_url", lit(stage.base_url)),
        ("api_key_header", lit(stage.auth.api_key_header)),
        ("api_key_env", lit(stage.info.api_key_env)),
        ("username_env", lit(stage.info.username_env)),
        ("password_env", lit(stage.info.password_env)),
        ("request_filter_key", lit(keys.request_filter)),
        ("route_filter_key", lit(keys.route_filter)),
        ("body_key", lit(keys.body)),
        (
            "token",
            kwargs("TokenConfig", token_args(stage)) if stage.auth.token else "None",
        ),
        ("pagination", pagination),
        ("limits", limits),
        ("errors", "ERROR_CONFIG"),
        ("user_agent", lit(f"{stage.package}/{stage.info.version or '0'} (routegen)")),
    ]
    if dr is not None:
        dates = kwargs(
            "DateRangeConfig",
            [
                ("start_header", lit(dr.start_header)),
                ("end_header", lit(dr.end_header)),
                ("start_of_day", _time(dr.start_of_day)),
                ("end_of_day", _time(dr.end_of_day)),
            ],
        )
        args.insert(11, ("dates", dates))
    return args


def used_models(routes: Iterable[RouteView]) -> list[str]:
    """Models the routes send or return, sorted: what a group's module imports."""
    used = set()
    for r in (v.route for v in routes):
        for ref in (r.body, r.response):
            if ref is not None and ref.model:
                used.add(ref.model)
    return sorted(used)
