"""Semantic checks of the rest request style, offset pagination, sync and token pairs.

Kept beside ``checks.py`` so the standard-body checks stay as they are; each check
yields ``(json path, message)`` like the others.
"""

from __future__ import annotations

from collections.abc import Iterator

from .errors import JsonPath
from .model import Route, StageApi

Found = Iterator[tuple[JsonPath, str]]


def rest_checks(stage: StageApi) -> Found:
    """Every check of the styles a rest API declares; nothing for a standard-body API."""
    yield from _style(stage)
    for r in stage.routes:
        yield from _route(stage, r)
    yield from _auth_pair(stage)
    yield from _webhooks(stage)
    for m in stage.models:
        for f in m.fields:
            if f.text_rules and f.type.base != "string":
                yield f.origin(
                    "text_rules"
                ), f"{m.name}.{f.name}: text_rules on a non-string field"


def _style(stage: StageApi) -> Found:
    if stage.pagination.style == "offset" and not stage.rest:
        yield ("pagination", "style"), "offset pagination needs request_style: rest"
    if stage.sync is not None and not stage.rest:
        yield ("sync",), "sync needs request_style: rest"


def _route(stage: StageApi, r: Route) -> Found:
    name = f"route {r.name!r}"
    if not stage.rest:
        for key, used in (
            ("query", r.query),
            ("path", r.path_params),
            ("sync", r.sync),
        ):
            if used:
                yield r.origin(
                    key
                ), f"{name}: {key} parameters need request_style: rest"
        return
    if r.body is not None and r.body.kind != "object":
        yield r.origin("body"), f"{name}: a rest body is one model ({{model: ...}})"
    if r.request_filter or r.route_filter:
        yield r.origin(
            "request_filter"
        ), f"{name}: filters need request_style: standard-body"
    if r.sync and (stage.sync is None or r.response.kind != "list"):
        yield r.origin(
            "sync"
        ), f"{name}: a sync route needs top-level sync and a list response"
    if r.sync_reset and not any(o.sync and o.group == r.group for o in stage.routes):
        yield r.origin("sync_reset"), f"{name}: no sync route in group {r.group!r}"
    yield from _search_fields(stage, r)


def _search_fields(stage: StageApi, r: Route) -> Found:
    model = stage.model(r.response.model) if r.response.model else None
    for field in r.search_fields:
        if model is None or model.field(field) is None:
            yield r.origin(
                "search_fields"
            ), f"route {r.name!r}: no response field {field!r}"


def _auth_pair(stage: StageApi) -> Found:
    pair = stage.auth.token_pair
    if pair is None:
        return
    if stage.auth.api_key_header is not None or stage.auth.token is not None:
        yield (
            "auth",
            "token_pair",
        ), "token_pair cannot be combined with api_key or token"
    code = pair.rejected_error
    if code is not None and stage.error(code) is None:
        yield ("auth", "token_pair", "rejected_error"), f"unknown error code {code!r}"


def _webhooks(stage: StageApi) -> Found:
    hooks = stage.webhooks
    if hooks is None:
        return
    names = {r.name: r for r in stage.routes}
    for key in ("register_route", "unregister_route"):
        name = getattr(hooks, key)
        if name is not None and name not in names:
            yield ("webhooks", key), f"{key} {name!r} is not a route of this stage"
    register = names.get(hooks.register_route)
    body = register.body.model if register and register.body else None
    model = stage.model(body) if body else None
    for key in ("url_field", "secret_field"):
        if register is not None and (
            model is None or model.field(getattr(hooks, key)) is None
        ):
            yield (
                "webhooks",
                key,
            ), f"the register route's body has no field {getattr(hooks, key)!r}"
