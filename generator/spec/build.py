"""Build the frozen model (``Api`` with one ``StageApi`` per stage) from schema-valid data.

Building never raises on a meaningful mistake: a reference it cannot resolve is
recorded as a ``Problem`` (path + message + stage) and skipped, so one run reports
every problem. ``generator.checks`` adds the checks that need whole stages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from . import naming
from .errors import JsonPath
from .hints import did_you_mean
from .model import (
    Api,
    ApiInfo,
    Auth,
    BodyKeys,
    DataRef,
    DateRange,
    Enum,
    ErrorCode,
    ErrorObject,
    Filter,
    FilterField,
    GatewayError,
    Limits,
    Model,
    ModelField,
    Pagination,
    PairToken,
    QueryParam,
    Route,
    RouteFilterUse,
    StageApi,
    StageInfo,
    SyncStyle,
    TokenAuth,
    TokenPair,
    TypeRef,
    Webhooks,
    parse_duration,
)
from .resolve import alive, cascade, resolve

_PATH_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """A meaning error found while building one stage."""

    where: JsonPath
    message: str
    stage: str
    first: JsonPath | None = None  # a duplicate's first declaration: its line is reported


class _Ctx:
    """Per-stage build context: the raw spec, stage order and collected problems."""

    def __init__(
        self, raw: Mapping[str, Any], stage: str, order: Sequence[str]
    ) -> None:
        self.raw = raw
        self.stage = stage
        self.order = order
        self.problems: list[Problem] = []

    def problem(self, where: JsonPath, message: str) -> None:
        self.problems.append(Problem(where, message, self.stage))


def build_api(raw: Mapping[str, Any], file: str) -> tuple[Api, list[Problem]]:
    """Build every stage of a schema-valid spec."""
    stages = tuple(
        StageInfo(
            s["name"],
            s["description"],
            s.get("breaking", True),
            s.get("prerelease", False),
            i,
        )
        for i, s in enumerate(raw["stages"])
    )
    order = [s.name for s in stages]
    info = _api_info(raw["api"])
    resolved, problems = [], []
    for stage in stages:
        if order.count(stage.name) > 1:
            continue  # reported by checks; projecting it twice would double every error
        ctx = _Ctx(raw, stage.name, order)
        resolved.append(_build_stage(ctx, info, stage))
        problems.extend(ctx.problems)
    return Api(file, info, stages, tuple(resolved)), problems


def _api_info(api: Mapping[str, Any]) -> ApiInfo:
    return ApiInfo(
        name=api["name"],
        title=api["title"],
        description=api.get("description", ""),
        version=str(api.get("version", "")),
        base_url=api["base_url"],
        error_root=api.get("error_root") or naming.class_name(api["name"]) + "Error",
        api_key_env=api.get("api_key_env"),
        username_env=api.get("username_env"),
        password_env=api.get("password_env"),
        case_insensitive_names=bool(api.get("case_insensitive_names", False)),
    )


def _build_stage(ctx: _Ctx, info: ApiInfo, stage: StageInfo) -> StageApi:
    raw = ctx.raw
    filters = _filters(ctx)
    models, enums = _models(ctx)
    return StageApi(
        info=info,
        stage=stage,
        package=naming.package_name(info.name, stage.name),
        base_url=info.base_url.replace("{stage}", stage.name),
        auth=_auth(ctx),
        limits=_limits(raw["limits"]),
        pagination=_pagination(raw["pagination"]),
        date_range=_date_range(raw.get("date_range")),
        body_keys=BodyKeys(**{k: v for k, v in (raw.get("body_keys") or {}).items()}),
        error_object=ErrorObject(
            **{k: v for k, v in (raw["errors"].get("object") or {}).items()}
        ),
        filters=filters,
        models=models,
        enums=enums,
        errors=_error_codes(ctx),
        gateway=_gateway(raw["errors"].get("gateway") or []),
        routes=_routes(ctx, filters),
        sources=_sources(raw, ()),
        request_style=raw.get("request_style", "standard-body"),
        sync=_sync(raw.get("sync")),
        webhooks=_webhooks(raw.get("webhooks")),
    )


def _webhooks(raw: Mapping[str, Any] | None) -> Webhooks | None:
    if raw is None:
        return None
    return Webhooks(
        register_route=raw["register_route"],
        unregister_route=raw.get("unregister_route"),
        signature_header=raw["signature_header"],
        url_field=raw.get("url_field", "url"),
        secret_field=raw.get("secret_field", "secret"),
        entity_key=raw.get("entity_key", "entity"),
    )


def _sources(node: Any, path: JsonPath) -> tuple[tuple[JsonPath, str], ...]:
    """Every ``source:`` in the raw spec with the JSON path of the mapping holding it."""
    found: list[tuple[JsonPath, str]] = []
    if isinstance(node, Mapping):
        if isinstance(node.get("source"), str):
            found.append((path, node["source"]))
        for key, value in node.items():
            found.extend(_sources(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_sources(value, (*path, index)))
    return tuple(found)


def _auth(ctx: _Ctx) -> Auth:
    auth = ctx.raw["auth"]
    token = None
    if auth.get("token"):
        t = resolve(auth["token"], ("auth", "token"), ctx.stage, ctx.order).values
        token = TokenAuth(
            route=t["route"],
            username_field=t["username_field"],
            password_field=t["password_field"],
            token_field=t["token_field"],
            expires_field=t.get("expires_field"),
            expires_format=t.get("expires_format"),
            header=t["header"],
            scheme=t.get("scheme"),
            lifetime=parse_duration(t["lifetime"]),
            renew_before=_renew_before(t),
            expired_error=t["expired_error"],
            invalid_error=t.get("invalid_error"),
            source=auth["token"].get("source"),
        )
    key = auth.get("api_key")
    return Auth(key["header"] if key else None, token, _token_pair(auth))


def _token_pair(auth: Mapping[str, Any]) -> TokenPair | None:
    pair = auth.get("token_pair")
    if pair is None:
        return None
    tokens = tuple(
        PairToken(t["header"], t["param"], t.get("env")) for t in pair["tokens"]
    )
    hint = " ".join(pair.get("rejected_hint", "").split())
    return TokenPair(tokens, pair.get("rejected_error"), hint)


def _sync(raw: Mapping[str, Any] | None) -> SyncStyle | None:
    if raw is None:
        return None
    sizes = {"default_size": 100, "max_size": 1000}
    keys = {k: raw[k] for k in SyncStyle.__dataclass_fields__ if k not in sizes}
    return SyncStyle(**keys, **{k: raw.get(k, v) for k, v in sizes.items()})


def _renew_before(token: Mapping[str, Any]) -> timedelta:
    """The declared margin, else an hour, but never more than a tenth of the lifetime."""
    if "renew_before" in token:
        return parse_duration(token["renew_before"])
    return min(timedelta(hours=1), parse_duration(token["lifetime"]) / 10)


def _limits(raw: Mapping[str, Any]) -> Limits:
    period = parse_duration(raw.get("quota_period", "1d"))
    return Limits(float(raw["rate"]), raw["burst"], raw.get("quota"), period)


def _pagination(raw: Mapping[str, Any]) -> Pagination:
    req, resp = raw.get("request") or {}, raw.get("response") or {}
    base = Pagination()
    return Pagination(
        style=raw["style"],
        page_header=req.get("page", base.page_header),
        size_header=req.get("size", base.size_header),
        response_page_header=resp.get("page", base.response_page_header),
        response_size_header=resp.get("size", base.response_size_header),
        total_pages_header=resp.get("total_pages", base.total_pages_header),
        first_page=raw.get("first_page", base.first_page),
        offset_param=raw.get("offset_param", base.offset_param),
        size_param=raw.get("size_param", base.size_param),
        default_size=raw.get("default_size", base.default_size),
        max_size=raw.get("max_size", base.max_size),
    )


def _date_range(raw: Mapping[str, Any] | None) -> DateRange | None:
    if raw is None:
        return None
    headers = raw.get("response_headers") or {}
    base = DateRange()
    return DateRange(
        start_field=raw["start_field"],
        end_field=raw["end_field"],
        clamping=raw.get("clamping", base.clamping),
        start_header=headers.get("start", base.start_header),
        end_header=headers.get("end", base.end_header),
        start_of_day=time.fromisoformat(raw.get("start_of_day", "00:00:00")),
        end_of_day=time.fromisoformat(raw.get("end_of_day", "23:59:59")),
    )


def _filters(ctx: _Ctx) -> tuple[Filter, ...]:
    dr = ctx.raw.get("date_range") or {}
    roles = {dr.get("start_field"): "start", dr.get("end_field"): "end"}
    out = []
    for name, raw in sorted((ctx.raw.get("filters") or {}).items()):
        where: JsonPath = ("filters", name)
        if not alive(raw, ctx.stage, ctx.order):
            continue
        case = cascade(raw.get("wire_case"), ctx.stage, ctx.order) or "camelCase"
        fields = []
        for key, fraw in raw["fields"].items():
            if not alive(fraw, ctx.stage, ctx.order):
                continue
            f = resolve(fraw, (*where, "fields", key), ctx.stage, ctx.order)
            wire = f.get("wire") or (
                key[:1].upper() + key[1:] if case == "PascalCase" else key
            )
            role = roles.get(key) if raw.get("standard") else None
            fields.append(
                FilterField(
                    key,
                    naming.param_name(key),
                    wire,
                    TypeRef.parse(f.get("type")),
                    f.get("description", ""),
                    f.get("default"),
                    role,  # type: ignore[arg-type]
                    (*where, "fields", key),
                    tuple(sorted(f.origins.items())),
                    fraw.get("source") or raw.get("source"),
                )
            )
        out.append(
            Filter(
                name,
                raw.get("description", ""),
                bool(raw.get("standard")),
                tuple(fields),
                where,
                raw.get("source"),
            )
        )
    return tuple(out)


def _models(ctx: _Ctx) -> tuple[tuple[Model, ...], tuple[Enum, ...]]:
    models, enums = [], []
    for name, raw in sorted((ctx.raw.get("models") or {}).items()):
        where: JsonPath = ("models", name)
        if not alive(raw, ctx.stage, ctx.order):
            continue
        if "enum" in raw:
            enums.append(
                Enum(
                    name,
                    raw.get("description", ""),
                    tuple(raw["enum"]),
                    where,
                    raw.get("source"),
                )
            )
            continue
        fields = [
            _model_field(ctx, key, fraw, (*where, "fields", key), raw.get("source"))
            for key, fraw in raw["fields"].items()
            if alive(fraw, ctx.stage, ctx.order)
        ]
        models.append(
            Model(
                name,
                raw.get("description", ""),
                tuple(fields),
                where,
                raw.get("source"),
            )
        )
    return tuple(models), tuple(enums)


def _model_field(
    ctx: _Ctx,
    key: str,
    raw: Mapping[str, Any],
    where: JsonPath,
    model_source: str | None = None,
) -> ModelField:
    """One field in this stage; without its own ``source`` it has its model's."""
    f = resolve(raw, where, ctx.stage, ctx.order)
    return ModelField(
        name=key,
        py_name=naming.snake_case(key),
        type=TypeRef.parse(f.get("type")),
        description=f.get("description", ""),
        read_only=bool(f.get("read_only", False)),
        secret=bool(f.get("secret", False)),
        local_time=bool(f.get("local_time", False)),
        wire_format=f.get("wire_format"),
        max_length=f.get("max_length"),
        min_length=f.get("min_length"),
        minimum=f.get("minimum"),
        maximum=f.get("maximum"),
        exclusive_minimum=f.get("exclusive_minimum"),
        pattern=f.get("pattern"),
        example=f.get("example"),
        renamed_from=f.get("renamed_from"),
        where=where,
        origins=tuple(sorted(f.origins.items())),
        examples=tuple(f.get("examples") or ()),
        true_ratio=f.get("true_ratio"),
        also_accepts=tuple(TypeRef.parse(t) for t in f.get("also_accepts") or ()),
        source=raw.get("source") or model_source,
        text_rules=tuple(f.get("text_rules") or ()),
    )


def _error_codes(ctx: _Ctx) -> tuple[ErrorCode, ...]:
    out = []
    for code, raw in sorted(ctx.raw["errors"]["codes"].items()):
        if alive(raw, ctx.stage, ctx.order):
            # API_TOKEN -> ApiTokenError, but UNKNOWN_ERROR -> UnknownError (not ...ErrorError)
            cls = naming.class_name(code.lower())
            cls = cls if cls.endswith("Error") else cls + "Error"
            out.append(
                ErrorCode(
                    code,
                    raw["status"],
                    raw["description"],
                    cls,
                    bool(raw.get("reauth")),
                    bool(raw.get("retry")),
                    ("errors", "codes", code),
                    raw.get("source"),
                )
            )
    return tuple(out)


def _gateway(raw: Sequence[Mapping[str, Any]]) -> tuple[GatewayError, ...]:
    return tuple(
        GatewayError(
            g["name"],
            g["status"],
            g["message"],
            g.get("description", ""),
            bool(g.get("retry")),
            bool(g.get("quota")),
            bool(g.get("unknown_path")),
            source=g.get("source"),
        )
        for g in raw
    )


def _routes(ctx: _Ctx, filters: tuple[Filter, ...]) -> tuple[Route, ...]:
    out = []
    for i, raw in enumerate(ctx.raw["routes"]):
        if alive(raw, ctx.stage, ctx.order):
            out.append(
                _route(ctx, resolve(raw, ("routes", i), ctx.stage, ctx.order), filters)
            )
    return tuple(sorted(out, key=lambda r: (r.name, r.method, r.path)))


def _route(ctx: _Ctx, r: Any, filters: tuple[Filter, ...]) -> Route:
    group, verb = r.get("name").split(".", 1)
    body = _data_ref(r.get("body")) if r.get("body") not in (None, "none") else None
    response = _data_ref(r.get("response", "none"))
    paged = bool(r.get("paged", False))
    return Route(
        name=r.get("name"),
        group=group,
        verb=verb,
        method=r.get("method"),
        path=r.get("path"),
        summary=r.get("summary"),
        description=r.get("description", ""),
        # Token auth by default only where a token is declared: a token-less spec's
        # routes would otherwise all raise "needs a token" at call time.
        auth=r.get("auth", "token" if ctx.raw["auth"].get("token") else "key"),
        request_filter=_request_filter(ctx, r, filters),
        route_filter=_route_filter(ctx, r, filters),
        body=body,
        response=response,
        status=r.get("status", 204 if response.kind == "none" else 200),
        paged=paged,
        max_page_size=r.get("max_page_size"),
        max_range=parse_duration(r.get("max_range")) if r.get("max_range") else None,
        dates_required=bool(r.get("dates_required", False)),
        idempotent=bool(r.get("idempotent", body is None)),
        min_interval=(
            parse_duration(r.get("min_interval")) if r.get("min_interval") else None
        ),
        errors=tuple(r.get("errors") or ()),
        example=r.get("example"),
        renamed_from=r.get("renamed_from"),
        where=r.where,
        origins=tuple(sorted(r.origins.items())),
        source=ctx.raw["routes"][r.where[1]].get("source"),
        query=_query(r.get("query") or {}),
        path_params=tuple(_PATH_PARAM.findall(r.get("path"))),
        search_fields=tuple(r.get("search_fields") or ()),
        sync=bool(r.get("sync", False)),
        sync_reset=bool(r.get("sync_reset", False)),
    )


def _query(raw: Mapping[str, Any]) -> tuple[QueryParam, ...]:
    return tuple(
        QueryParam(
            name,
            naming.param_name(name),
            TypeRef.parse(q["type"]),
            q.get("description", ""),
        )
        for name, q in raw.items()
    )


def _data_ref(raw: Any) -> DataRef:
    if isinstance(raw, Mapping):
        if "list_of" in raw:
            return DataRef("list", raw["list_of"])
        return DataRef("object", raw["model"])
    return DataRef("text" if raw == "text" else "none")


def _request_filter(
    ctx: _Ctx, r: Any, filters: tuple[Filter, ...]
) -> tuple[FilterField, ...]:
    names = r.get("request_filter") or []
    if not names:
        return ()
    standard = next((f for f in filters if f.standard), None)
    if standard is None:
        ctx.problem(
            r.origin("request_filter"),
            "no standard request filter is declared in this stage",
        )
        return ()
    out = []
    for name in names:
        found = standard.field(name)
        if found is None:
            msg = f"route {r.get('name')!r}: request filter has no field {name!r}"
            ctx.problem(r.origin("request_filter"), msg)
        else:
            out.append(found)
    return tuple(out)


def _route_filter(
    ctx: _Ctx, r: Any, filters: tuple[Filter, ...]
) -> RouteFilterUse | None:
    use = r.get("route_filter")
    if use is None:
        return None
    name, wanted = (
        (use, None) if isinstance(use, str) else (use["use"], use.get("fields"))
    )
    found = next((f for f in filters if f.name == name), None)
    if found is None:
        hint = did_you_mean(name, (f.name for f in filters))
        ctx.problem(
            r.origin("route_filter"),
            f"route {r.get('name')!r}: unknown filter {name!r} in {{stages}}{hint}",
        )
        return None
    fields = (
        found.fields
        if wanted is None
        else tuple(f for f in found.fields if f.name in wanted)
    )
    for missing in sorted(set(wanted or ()) - {f.name for f in fields}):
        ctx.problem(
            r.origin("route_filter"),
            f"route {r.get('name')!r}: filter {name!r} has no field {missing!r}",
        )
    return RouteFilterUse(name, fields)
