"""``routegen openapi``: an OpenAPI 3.1 document of one stage, for tools that speak OpenAPI.

The document is derived from the same ``StageApi`` the client is rendered from: the
standardized request body with this stage's wire names, header pagination, the
date-range headers, and the error object list. Models reuse ``emit.models``.
"""

from __future__ import annotations

from typing import Any

from ..emit.models import stage_schema, type_schema
from ..spec.model import FilterField, Route, StageApi
from . import openapi_ext as ext
from . import openapi_rest

# Error answers reference object schemas and spell the list inline: openapi-python-client
# (and other generators) resolve a ``$ref`` only to an object or enum, never to an array.
_ERROR_LIST = {
    "type": "array",
    "items": {"$ref": "#/components/schemas/ErrorObject"},
}
_ERROR_REF = {"$ref": "#/components/schemas/ErrorObject"}
_GATEWAY_REF = {"$ref": "#/components/schemas/GatewayMessage"}


def _filter_object(
    stage: StageApi, name: str, fields: tuple[FilterField, ...]
) -> dict[str, Any]:
    """The fields a route honours of filter ``name``, named for the importer."""
    props = {}
    for f in fields:
        schema = {**type_schema(f.type), "description": f.description}
        schema.pop("default", None)
        props[f.wire] = ext.filter_property(f, schema)
    out: dict[str, Any] = {
        "type": "object",
        "properties": props,
        "additionalProperties": False,
        "x-routegen-filter": name,
    }
    found = stage.filter(name)
    if found is not None and found.description:
        out["description"] = found.description
    return out


def _request_body(stage: StageApi, route: Route) -> dict[str, Any] | None:
    keys, props = stage.body_keys, {}
    standard = stage.request_filter
    if route.request_filter and standard is not None:
        props[keys.request_filter] = _filter_object(
            stage, standard.name, route.request_filter
        )
    if route.route_filter and route.route_filter.fields:
        use = route.route_filter
        props[keys.route_filter] = _filter_object(stage, use.filter, use.fields)
    if route.body is not None and route.body.model:
        ref = {"$ref": f"#/components/schemas/{route.body.model}"}
        props[keys.body] = {"type": "array", "items": ref}
    if not props:
        return None
    schema = {"type": "object", "properties": props}
    return {
        "required": route.body is not None,
        "content": {"application/json": {"schema": schema}},
    }


def _success(stage: StageApi, route: Route) -> dict[str, Any]:
    ref = (
        {"$ref": f"#/components/schemas/{route.response.model}"}
        if route.response.model
        else None
    )
    schemas = {
        "list": {"type": "array", "items": ref},
        "object": ref,
        "text": {"type": "string"},
    }
    out: dict[str, Any] = {"description": route.summary}
    synced = openapi_rest.sync_schema(stage, route)
    if synced is not None:
        schemas["list"] = synced
    if route.response.kind in schemas:
        # A text answer is plain text on the wire (the client also takes a JSON string).
        media = "text/plain" if route.response.kind == "text" else "application/json"
        out["content"] = {media: {"schema": schemas[route.response.kind]}}
    headers = {}
    if route.paged and not stage.rest:
        p = stage.pagination
        for name in (
            p.response_page_header,
            p.response_size_header,
            p.total_pages_header,
        ):
            headers[name] = {"schema": {"type": "integer", "minimum": 0}}
    if route.max_range is not None and stage.date_range is not None:
        for name in (stage.date_range.start_header, stage.date_range.end_header):
            headers[name] = {"schema": {"type": "string", "format": "date-time"}}
    if headers:
        out["headers"] = headers
    return out


def _operation(stage: StageApi, route: Route) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": route.name,
        "summary": route.summary,
        "description": route.description,
        "tags": [route.group],
        "responses": {str(route.status): _success(stage, route)},
        "security": _security(stage, route),
    }
    op["responses"].update(_error_responses(stage))
    if stage.rest:
        return _rest_operation(stage, route, op)
    op["x-routegen-route"] = ext.route_extension(stage, route)
    if route.paged:
        p = stage.pagination
        largest = route.max_page_size or p.max_size
        op["parameters"] = [
            {
                "name": p.page_header,
                "in": "header",
                "description": "Page to serve.",
                "schema": {"type": "integer", "minimum": p.first_page},
            },
            {
                "name": p.size_header,
                "in": "header",
                "description": f"Page size (default {p.default_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": largest},
            },
        ]
    body = _request_body(stage, route)
    if body is not None:
        op["requestBody"] = body
    return op


def _rest_operation(
    stage: StageApi, route: Route, op: dict[str, Any]
) -> dict[str, Any]:
    params = openapi_rest.rest_parameters(stage, route)
    if params:
        op["parameters"] = params
    body = openapi_rest.rest_request_body(route)
    if body is not None:
        op["requestBody"] = body
    return op


def _error_responses(stage: StageApi) -> dict[str, Any]:
    """Error lists and the gateway's answers, declared on every route.

    The error codes are one table shared by every route (a server answers, say, a data
    access error on any route naming foreign records), and the gateway sits in front of
    every route; a route's own ``errors`` only documents which it expects most.
    """
    api = {e.status for e in stage.errors} or {400}
    # A standard-body API answers a list of error objects, a rest-style one a single one.
    error = _ERROR_REF if stage.rest else _ERROR_LIST
    gateway = {g.status for g in stage.gateway}
    out: dict[str, Any] = {}
    for status in sorted(api | gateway):
        schemas = ([error] if status in api else []) + (
            [_GATEWAY_REF] if status in gateway else []
        )
        names = [g.message for g in stage.gateway if g.status == status]
        described = "An error object." if stage.rest else "A list of error objects."
        described = described if status in api else ""
        if names:
            gate = "Gateway: " + ", ".join(names) + "."
            described = f"{described} {gate}".strip()
        schema = schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
        out[str(status)] = {
            "description": described,
            "content": {"application/json": {"schema": schema}},
        }
    return out


def _security(stage: StageApi, route: Route) -> list[dict[str, list[str]]]:
    if route.auth == "none":
        return []
    if stage.auth.token_pair is not None:
        return [{key: [] for key in openapi_rest.pair_schemes(stage)}]
    return [{"apiKey": [], "token": []} if route.auth == "token" else {"apiKey": []}]


def openapi_document(stage: StageApi) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``stage``."""
    doc = stage_schema(stage)
    doc["info"] = {
        "title": f"{stage.info.title} ({stage.stage.name})",
        "version": stage.info.version or stage.stage.name,
        "description": stage.stage.description,
    }
    doc["info"]["x-routegen-api"] = ext.api_extension(stage)
    doc["servers"] = [{"url": stage.base_url}]
    doc["x-routegen-limits"] = ext.limits_extension(stage)
    if not stage.rest:
        doc["x-routegen-pagination"] = ext.pagination_extension(stage)
        keys = stage.body_keys
        doc["x-routegen-body-keys"] = {
            "request_filter": keys.request_filter,
            "route_filter": keys.route_filter,
            "body": keys.body,
        }
    if stage.date_range is not None:
        doc["x-routegen-date-range"] = ext.date_range_extension(stage.date_range)
    paths: dict[str, dict[str, Any]] = {}
    for route in stage.routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(
            stage, route
        )
    doc["paths"] = dict(sorted(paths.items()))
    schemas = doc["components"]["schemas"]
    ext.mark_number_formats(stage, schemas)
    schemas["ErrorObject"] = _error_object(stage)
    if stage.gateway:
        schemas["GatewayMessage"] = {
            "type": "object",
            "description": "The API gateway's answer, before the request reaches the API.",
            "properties": {"message": {"type": "string"}},
            "required": ["message"],
            "x-routegen-gateway": ext.gateway_extension(stage),
        }
    doc["components"]["securitySchemes"] = _security_schemes(stage)
    return doc


def _error_object(stage: StageApi) -> dict[str, Any]:
    """One object of the API's error list, with this stage's key names and codes."""
    eo = stage.error_object
    return {
        "type": "object",
        "description": "One error of an error list.",
        "properties": {
            eo.code: {"type": "string", "enum": [e.code for e in stage.errors]},
            eo.message: {"type": "string"},
            eo.pointers: {"anyOf": [{"type": "array", "items": {}}, {"type": "null"}]},
            eo.pointer_name: {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
        "required": [eo.code, eo.message],
        "x-routegen-keys": {
            "code": eo.code,
            "message": eo.message,
            "pointers": eo.pointers,
            "pointer_name": eo.pointer_name,
        },
        "x-routegen-codes": ext.error_codes_extension(stage),
    }


def _security_schemes(stage: StageApi) -> dict[str, Any]:
    if stage.auth.token_pair is not None:
        return openapi_rest.pair_schemes(stage)
    schemes: dict[str, Any] = {
        "apiKey": {"type": "apiKey", "in": "header", "name": stage.auth.api_key_header}
    }
    token = stage.auth.token
    if token is not None:
        schemes["token"] = {
            "type": "apiKey",
            "in": "header",
            "name": token.header,
            "x-routegen-token": ext.token_extension(token),
        }
    return schemes
