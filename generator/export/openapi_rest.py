"""OpenAPI pieces of the rest styles: path, query, offset and sync parameters, token pairs.

``openapi.py`` asks this module for a rest-style route's parameters, request body and
success schema, and for the security schemes of a token pair; a standard-body stage
never reaches it.
"""

from __future__ import annotations

from typing import Any

from ..emit.models import type_schema
from ..spec.model import Route, StageApi


def _ref(model: str | None) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{model}"}


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    param: dict[str, Any] = {"name": name, "in": "query", "schema": schema}
    if description:
        param["description"] = description
    return param


def rest_parameters(stage: StageApi, route: Route) -> list[dict[str, Any]]:
    """Path parameters, declared query parameters, then paging or sync parameters."""
    params: list[dict[str, Any]] = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in route.path_params
    ]
    for q in route.query:
        schema = type_schema(q.type)
        schema.pop("default", None)
        params.append(_query(q.name, schema, q.description))
    count = {"type": "integer", "minimum": 1}
    if route.sync and stage.sync is not None:
        s = stage.sync
        params.append(_query(s.size_param, {**count, "maximum": s.max_size}))
        params.append(
            _query(s.ack_param, {"type": "string"}, "Cursor of the last stored page.")
        )
    elif route.paged:
        p = stage.pagination
        params.append(_query(p.offset_param, {"type": "integer", "minimum": 0}))
        params.append(_query(p.size_param, {**count, "maximum": p.max_size}))
    return params


def rest_request_body(route: Route) -> dict[str, Any] | None:
    """One model as the JSON body of a write."""
    if route.body is None or not route.body.model:
        return None
    schema = _ref(route.body.model)
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def sync_schema(stage: StageApi, route: Route) -> dict[str, Any] | None:
    """The ``{items: [...], cursor: ...}`` page of a sync route; None for others."""
    if not route.sync or stage.sync is None:
        return None
    s = stage.sync
    return {
        "type": "object",
        "required": [s.items_key, s.cursor_key],
        "properties": {
            s.items_key: {"type": "array", "items": _ref(route.response.model)},
            s.cursor_key: {"type": ["string", "null"]},
        },
    }


def pair_schemes(stage: StageApi) -> dict[str, Any]:
    """One header apiKey scheme per token of a token pair (both required together)."""
    pair = stage.auth.token_pair
    if pair is None:
        return {}
    return {
        t.param: {"type": "apiKey", "in": "header", "name": t.header}
        for t in pair.tokens
    }
