"""The intermediate model: frozen dataclasses describing one resolved stage of an API.

``generator.build`` turns a validated spec into an ``Api``; ``api.stage("v2.1")``
returns the ``StageApi`` every later step (render, diff, mock, openapi) reads. Names,
Python identifiers and types are computed here once, never in templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Literal

from .errors import JsonPath

PRIMITIVES = frozenset(
    {
        "int",
        "long",
        "short",
        "byte",
        "decimal",
        "double",
        "float",
        "bool",
        "string",
        "DateTime",
        "Guid",
    }
)
_TYPE_RE = re.compile(
    r"^(?:List<(?P<item>[A-Za-z][A-Za-z0-9]*)(?P<item_q>\?)?>|(?P<base>[A-Za-z][A-Za-z0-9]*))(?P<q>\?)?$"
)
_DURATION_RE = re.compile(r"^([1-9][0-9]*)(s|m|h|d)$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}

AuthMode = Literal["token", "key", "none"]
ResponseKind = Literal["list", "object", "text", "none"]


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A C#-style type: ``int``, ``int?``, ``List<string>?``, ``Machine``."""

    base: str
    is_list: bool = False
    nullable: bool = False
    item_nullable: bool = False

    @classmethod
    def parse(cls, text: str) -> TypeRef:
        """Parse a type expression the schema already accepted."""
        m = _TYPE_RE.match(text)
        if m is None:
            raise ValueError(f"not a type expression: {text!r}")
        if m.group("item"):
            return cls(
                m.group("item"), True, bool(m.group("q")), bool(m.group("item_q"))
            )
        return cls(m.group("base"), False, bool(m.group("q")))

    @property
    def is_primitive(self) -> bool:
        """True for built-in C# types, False for model and enum references."""
        return self.base in PRIMITIVES

    def __str__(self) -> str:
        inner = (
            f"List<{self.base}{'?' if self.item_nullable else ''}>"
            if self.is_list
            else self.base
        )
        return inner + ("?" if self.nullable else "")


def parse_duration(text: str) -> timedelta:
    """``31d`` -> ``timedelta(days=31)``."""
    m = _DURATION_RE.match(text)
    if m is None:
        raise ValueError(f"not a duration: {text!r}")
    return timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})


def format_duration(value: timedelta) -> str:
    """``timedelta(days=31)`` -> ``31d`` (the spec's own notation)."""
    seconds = int(value.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True, slots=True)
class FilterField:
    """A filter field as one stage has it."""

    name: str  # canonical camelCase key in the spec
    py_name: str
    wire: str  # this stage's wire name
    type: TypeRef
    description: str
    default: str | None
    date_role: Literal["start", "end"] | None
    where: JsonPath
    #: where each resolved property came from (the base key or a stage change)
    origins: tuple[tuple[str, JsonPath], ...] = ()
    #: provenance (spec ``source``, a stage change's own is in ``StageApi.sources``):
    #: "doc: …", "observed: …", "platform: …" or "proposal"
    source: str | None = None

    def origin(self, key: str) -> JsonPath:
        """Spec location of the value of ``key`` in this stage."""
        return dict(self.origins).get(key, self.where)


@dataclass(frozen=True, slots=True)
class Filter:
    """A named filter (the standard request filter or a route filter) in one stage."""

    name: str
    description: str
    standard: bool
    fields: tuple[FilterField, ...]
    where: JsonPath
    #: provenance (spec ``source``, a stage change's own is in ``StageApi.sources``):
    #: "doc: …", "observed: …", "platform: …" or "proposal"
    source: str | None = None

    def field(self, name: str) -> FilterField | None:
        """The field called ``name``, if this stage has it."""
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True, slots=True)
class ModelField:
    """A model field as one stage has it."""

    name: str  # wire name
    py_name: str
    type: TypeRef
    description: str
    read_only: bool = False
    secret: bool = False
    local_time: bool = False  # a wall-clock time of the vendor's site, not UTC
    wire_format: str | None = None  # strptime format of a DateTime sent as non-ISO text
    max_length: int | None = None
    min_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    pattern: str | None = None
    example: str | float | bool | None = None
    renamed_from: str | None = None
    where: JsonPath = ()
    origins: tuple[tuple[str, JsonPath], ...] = ()
    #: values the mock draws this field from (spec ``examples``), none when empty
    examples: tuple[str | float | bool | None, ...] = ()
    #: share of mock records with this bool field true (spec ``true_ratio``)
    true_ratio: float | None = None
    #: provenance (spec ``source``, a stage change's own is in ``StageApi.sources``):
    #: "doc: …", "observed: …", "platform: …" or "proposal"
    source: str | None = None
    #: other wire forms the field takes (spec ``also_accepts``), besides ``type``
    also_accepts: tuple[TypeRef, ...] = ()

    @property
    def types(self) -> tuple[TypeRef, ...]:
        """``type`` followed by every ``also_accepts`` form."""
        return (self.type, *self.also_accepts)
    #: text rules checked before sending (``no_tabs``, ...), in spec order
    text_rules: tuple[str, ...] = ()

    def origin(self, key: str) -> JsonPath:
        """Spec location of the value of ``key`` in this stage."""
        return dict(self.origins).get(key, self.where)


@dataclass(frozen=True, slots=True)
class Model:
    """A data model in one stage."""

    name: str
    description: str
    fields: tuple[ModelField, ...]
    where: JsonPath
    #: provenance (spec ``source``, a stage change's own is in ``StageApi.sources``):
    #: "doc: …", "observed: …", "platform: …" or "proposal"
    source: str | None = None

    def field(self, name: str) -> ModelField | None:
        """The field with wire name ``name``, if present."""
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True, slots=True)
class Enum:
    """An enum in one stage."""

    name: str
    description: str
    values: tuple[str, ...]
    where: JsonPath
    #: provenance (spec ``source``, a stage change's own is in ``StageApi.sources``):
    #: "doc: …", "observed: …", "platform: …" or "proposal"
    source: str | None = None


@dataclass(frozen=True, slots=True)
class DataRef:
    """What a route sends or returns: a list of a model, one model, text, or nothing."""

    kind: ResponseKind
    model: str | None = None

    def __str__(self) -> str:
        if self.kind == "list":
            return f"List<{self.model}>"
        return self.model if self.kind == "object" and self.model else self.kind


@dataclass(frozen=True, slots=True)
class RouteFilterUse:
    """The route filter a route honours, with the honoured fields."""

    filter: str
    fields: tuple[FilterField, ...]


@dataclass(frozen=True, slots=True)
class QueryParam:
    """A query parameter of a rest-style route."""

    name: str  # wire name
    py_name: str
    type: TypeRef
    description: str


@dataclass(frozen=True, slots=True)
class Route:
    """One route as one stage has it."""

    name: str
    group: str
    verb: str
    method: str
    path: str
    summary: str
    description: str
    auth: AuthMode
    request_filter: tuple[FilterField, ...]
    route_filter: RouteFilterUse | None
    body: DataRef | None
    response: DataRef
    status: int
    paged: bool
    max_page_size: int | None
    max_range: timedelta | None
    dates_required: bool
    idempotent: bool
    min_interval: timedelta | None
    errors: tuple[str, ...]
    example: str | None
    renamed_from: str | None
    where: JsonPath
    #: where each resolved property came from (the base key or a stage change)
    origins: tuple[tuple[str, JsonPath], ...] = ()
    #: provenance (spec ``source``, a stage change's own is in ``StageApi.sources``):
    #: "doc: …", "observed: …", "platform: …" or "proposal"
    source: str | None = None
    query: tuple[QueryParam, ...] = ()  # rest style: query parameters
    path_params: tuple[str, ...] = ()  # rest style: ``{uuid}`` in the path, in order
    search_fields: tuple[str, ...] = ()  # fields a text query matches
    sync: bool = False  # a server-cursor synchronisation route
    sync_reset: bool = False  # resets its group's synchronisation cursor

    def origin(self, key: str) -> JsonPath:
        """Spec location of the value of ``key`` in this stage."""
        return dict(self.origins).get(key, self.where)


@dataclass(frozen=True, slots=True)
class ErrorCode:
    """An application error code."""

    code: str
    status: int
    description: str
    class_name: str
    reauth: bool
    retry: bool
    where: JsonPath
    #: provenance (spec ``source``, a stage change's own is in ``StageApi.sources``):
    #: "doc: …", "observed: …", "platform: …" or "proposal"
    source: str | None = None


@dataclass(frozen=True, slots=True)
class GatewayError:
    """A gateway error: ``{"message": ...}`` with a fixed status."""

    name: str
    status: int
    message: str
    description: str
    retry: bool
    quota: bool
    unknown_path: bool = False  # the answer for a path no route matches
    #: provenance (spec ``source``, a stage change's own is in ``StageApi.sources``):
    #: "doc: …", "observed: …", "platform: …" or "proposal"
    source: str | None = None


@dataclass(frozen=True, slots=True)
class TokenAuth:
    """Session-token authentication."""

    route: str
    username_field: str
    password_field: str
    token_field: str
    expires_field: str | None
    expires_format: str | None
    header: str
    scheme: str | None
    lifetime: timedelta
    renew_before: timedelta
    expired_error: str
    invalid_error: str | None
    #: provenance (spec ``source``, a stage change's own is in ``StageApi.sources``):
    #: "doc: …", "observed: …", "platform: …" or "proposal"
    source: str | None = None


@dataclass(frozen=True, slots=True)
class PairToken:
    """One token of a token pair: its header, client keyword and environment variable."""

    header: str
    param: str
    env: str | None


@dataclass(frozen=True, slots=True)
class TokenPair:
    """Two tokens the caller holds, sent as headers on every call (no token route)."""

    tokens: tuple[PairToken, ...]
    rejected_error: str | None
    rejected_hint: str


@dataclass(frozen=True, slots=True)
class Auth:
    """How calls authenticate in one stage."""

    api_key_header: str | None
    token: TokenAuth | None
    token_pair: TokenPair | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    """The usage plan."""

    rate: float
    burst: int
    quota: int | None
    quota_period: timedelta


@dataclass(frozen=True, slots=True)
class Pagination:
    """Header pagination."""

    style: str = "headers"
    page_header: str = "page"
    size_header: str = "size"
    response_page_header: str = "page"
    response_size_header: str = "size"
    total_pages_header: str = "total-pages"
    first_page: int = 1
    default_size: int = 50
    max_size: int = 2000
    offset_param: str = "offset"  # offset style: query parameter names
    size_param: str = "pageSize"


@dataclass(frozen=True, slots=True)
class SyncStyle:
    """Server-cursor synchronisation: response keys, query parameters, record fields."""

    items_key: str
    cursor_key: str
    ack_param: str
    size_param: str
    id_field: str
    version_field: str
    deleted_field: str
    default_size: int
    max_size: int


@dataclass(frozen=True, slots=True)
class Webhooks:
    """Synchronisation webhooks: registration routes and how a call is signed."""

    register_route: str
    unregister_route: str | None
    signature_header: str
    url_field: str
    secret_field: str
    entity_key: str


@dataclass(frozen=True, slots=True)
class DateRange:
    """Date-range filter fields and clamping."""

    start_field: str = "startDate"
    end_field: str = "endDate"
    clamping: str = "keep-start"
    start_header: str = "search-range-start-date"
    end_header: str = "search-range-end-date"
    start_of_day: time = time(0, 0, 0)
    end_of_day: time = time(23, 59, 59)


@dataclass(frozen=True, slots=True)
class BodyKeys:
    """Keys of the standardized request body."""

    request_filter: str = "requestFilter"
    route_filter: str = "routeFilter"
    body: str = "body"


@dataclass(frozen=True, slots=True)
class ErrorObject:
    """Keys of the application error object."""

    code: str = "code"
    message: str = "message"
    pointers: str = "pointers"
    pointer_name: str = "pointerName"


@dataclass(frozen=True, slots=True)
class StageInfo:
    """A deployment stage."""

    name: str
    description: str
    breaking: bool
    prerelease: bool
    index: int


@dataclass(frozen=True, slots=True)
class ApiInfo:
    """The API as a whole."""

    name: str
    title: str
    description: str
    version: str
    base_url: str  # template with {stage}
    error_root: str
    api_key_env: str | None
    username_env: str | None = None
    password_env: str | None = None
    #: JSON property names bind ignoring case (``Id`` = ``id``), as ASP.NET does
    case_insensitive_names: bool = False


@dataclass(frozen=True, slots=True)
class StageApi:
    """Everything one stage has, resolved: what render, diff, mock and openapi read."""

    info: ApiInfo
    stage: StageInfo
    package: str
    base_url: str
    auth: Auth
    limits: Limits
    pagination: Pagination
    date_range: DateRange | None
    body_keys: BodyKeys
    error_object: ErrorObject
    filters: tuple[Filter, ...]
    models: tuple[Model, ...]
    enums: tuple[Enum, ...]
    errors: tuple[ErrorCode, ...]
    gateway: tuple[GatewayError, ...]
    routes: tuple[Route, ...]
    #: every ``source:`` of the spec by JSON path, whatever the stage (diff tags with it)
    sources: tuple[tuple[JsonPath, str], ...] = ()
    #: "standard-body" (filter bodies) or "rest" (path and query parameters)
    request_style: str = "standard-body"
    sync: SyncStyle | None = None
    webhooks: Webhooks | None = None

    @property
    def rest(self) -> bool:
        """Whether routes take path and query parameters and one model as the body."""
        return self.request_style == "rest"

    @property
    def request_filter(self) -> Filter | None:
        """The standard request filter."""
        return next((f for f in self.filters if f.standard), None)

    def route(self, name: str) -> Route:
        """The route called ``name``; KeyError if this stage lacks it."""
        for route in self.routes:
            if route.name == name:
                return route
        raise KeyError(f"stage {self.stage.name} has no route {name!r}")

    def model(self, name: str) -> Model | None:
        """The model called ``name``, if present."""
        return next((m for m in self.models if m.name == name), None)

    def enum(self, name: str) -> Enum | None:
        """The enum called ``name``, if present."""
        return next((e for e in self.enums if e.name == name), None)

    def filter(self, name: str) -> Filter | None:
        """The filter called ``name``, if present."""
        return next((f for f in self.filters if f.name == name), None)

    def source_at(self, where: JsonPath) -> str | None:
        """The ``source`` of the innermost element at or above ``where`` that has one."""
        best: tuple[int, str | None] = (-1, None)
        for path, source in self.sources:
            if len(path) > best[0] and where[: len(path)] == path:
                best = (len(path), source)
        return best[1]

    def change_sources(
        self, where: JsonPath, origins: tuple[tuple[str, JsonPath], ...]
    ) -> dict[str, tuple[str, ...]]:
        """Source -> keys, for the stage changes (under ``where``) that shaped an element
        in this stage and declare a ``source`` of their own."""
        found: dict[str, list[str]] = {}
        for key, path in origins:
            head = path[: len(where) + 2]
            if key == "source" or len(path) <= len(where) + 2:
                continue
            if path[len(where)] != "changes":
                continue
            own = dict(self.sources).get(head)
            if own is not None:
                found.setdefault(own, []).append(key)
        return {src: tuple(sorted(keys)) for src, keys in sorted(found.items())}

    def error(self, code: str) -> ErrorCode | None:
        """The error code ``code``, if present."""
        return next((e for e in self.errors if e.code == code), None)

    @property
    def groups(self) -> tuple[str, ...]:
        """Resource group names, sorted."""
        return tuple(sorted({r.group for r in self.routes}))


@dataclass(frozen=True, slots=True)
class Api:
    """A whole spec: API info plus every stage resolved."""

    file: str
    info: ApiInfo
    stages: tuple[StageInfo, ...]
    resolved: tuple[StageApi, ...] = field(repr=False)

    @property
    def stage_names(self) -> tuple[str, ...]:
        """Stage names, oldest first."""
        return tuple(s.name for s in self.stages)

    def stage(self, name: str) -> StageApi:
        """The resolved stage ``name``; KeyError naming the known stages otherwise."""
        for stage in self.resolved:
            if stage.stage.name == name:
                return stage
        known = ", ".join(self.stage_names)
        raise KeyError(f"unknown stage {name!r} (known: {known})")
