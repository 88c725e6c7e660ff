"""The ``x-routegen-*`` extensions of ``routegen openapi``: what OpenAPI cannot say natively.

OpenAPI carries the request body schemas, the paging headers, the response headers and
the security schemes; these extensions carry the rest of a stage (filter names and field
order, date-range clamping, the token route, the usage plan, error statuses), so that
``routegen import-openapi`` reads a spec back whole. Every key mirrors the spec key of
the same name (README, "OpenAPI extensions"); tools that do not know them ignore them.
"""

from __future__ import annotations

from typing import Any

from ..spec.model import (
    DateRange,
    FilterField,
    Route,
    StageApi,
    TokenAuth,
    format_duration,
)

__all__ = [
    "api_extension",
    "date_range_extension",
    "error_codes_extension",
    "filter_property",
    "gateway_extension",
    "limits_extension",
    "mark_number_formats",
    "pagination_extension",
    "route_extension",
    "token_extension",
]


def api_extension(stage: StageApi) -> dict[str, Any]:
    """``info.x-routegen-api``: the spec's ``api`` keys a document has no place for."""
    info = stage.info
    keys = {
        "name": info.name,
        "error_root": info.error_root,
        "api_key_env": info.api_key_env,
        "username_env": info.username_env,
        "password_env": info.password_env,
        "case_insensitive_names": info.case_insensitive_names or None,
    }
    return {k: v for k, v in keys.items() if v is not None}


def limits_extension(stage: StageApi) -> dict[str, Any]:
    """``x-routegen-limits``: the usage plan (rate, burst, quota)."""
    plan = stage.limits
    out: dict[str, Any] = {"rate": plan.rate, "burst": plan.burst}
    if plan.quota is not None:
        out["quota"] = plan.quota
        out["quota_period"] = format_duration(plan.quota_period)
    return out


def pagination_extension(stage: StageApi) -> dict[str, Any]:
    """``x-routegen-pagination``: header paging's names, first page and sizes."""
    p = stage.pagination
    return {
        "style": p.style,
        "request": {"page": p.page_header, "size": p.size_header},
        "response": {
            "page": p.response_page_header,
            "size": p.response_size_header,
            "total_pages": p.total_pages_header,
        },
        "first_page": p.first_page,
        "default_size": p.default_size,
        "max_size": p.max_size,
    }


def date_range_extension(dates: DateRange) -> dict[str, Any]:
    """``x-routegen-date-range``: the range fields and how the server clamps them."""
    return {
        "start_field": dates.start_field,
        "end_field": dates.end_field,
        "clamping": dates.clamping,
        "response_headers": {"start": dates.start_header, "end": dates.end_header},
        "start_of_day": dates.start_of_day.isoformat(),
        "end_of_day": dates.end_of_day.isoformat(),
        "timezone": "UTC",
    }


def token_extension(token: TokenAuth) -> dict[str, Any]:
    """``x-routegen-token`` on the token's security scheme: the route that issues it."""
    keys = {
        "route": token.route,
        "username_field": token.username_field,
        "password_field": token.password_field,
        "token_field": token.token_field,
        "expires_field": token.expires_field,
        "expires_format": token.expires_format,
        "scheme": token.scheme,
        "lifetime": format_duration(token.lifetime),
        "renew_before": format_duration(token.renew_before),
        "expired_error": token.expired_error,
        "invalid_error": token.invalid_error,
    }
    return {k: v for k, v in keys.items() if v is not None}


def error_codes_extension(stage: StageApi) -> dict[str, Any]:
    """``x-routegen-codes`` on the error object: each code's status and retry rules."""
    out: dict[str, Any] = {}
    for e in stage.errors:
        out[e.code] = {
            "status": e.status,
            "description": e.description,
            "reauth": e.reauth,
            "retry": e.retry,
        }
    return out


def gateway_extension(stage: StageApi) -> list[dict[str, Any]]:
    """``x-routegen-gateway`` on the gateway message: the gateway's fixed answers."""
    out = []
    for g in stage.gateway:
        entry: dict[str, Any] = {
            "name": g.name,
            "status": g.status,
            "message": g.message,
            "description": g.description,
        }
        for key in ("retry", "quota", "unknown_path"):
            if getattr(g, key):
                entry[key] = True
        out.append(entry)
    return out


def filter_property(f: FilterField, schema: dict[str, Any]) -> dict[str, Any]:
    """A filter field's property schema with its documented server-side default."""
    if f.default is not None:
        schema["x-routegen-default"] = f.default
    return schema


def route_extension(stage: StageApi, route: Route) -> dict[str, Any]:
    """``x-routegen-route`` on an operation: the route keys OpenAPI has no word for."""
    out: dict[str, Any] = {"auth": route.auth, "idempotent": route.idempotent}
    if route.request_filter:
        out["request_filter"] = [f.name for f in route.request_filter]
    if route.route_filter is not None:
        out["route_filter"] = {
            "use": route.route_filter.filter,
            "fields": [f.name for f in route.route_filter.fields],
        }
    if route.body is not None and route.body.kind == "none":
        out["body"] = "none"
    if route.max_page_size is not None:
        out["max_page_size"] = route.max_page_size
    if route.max_range is not None:
        out["max_range"] = format_duration(route.max_range)
    if route.dates_required:
        out["dates_required"] = True
    if route.min_interval is not None:
        out["min_interval"] = format_duration(route.min_interval)
    if route.errors:
        out["errors"] = list(route.errors)
    return out


# OpenAPI's own formats for the C# number types JSON Schema's integer/number merge.
_NUMBER_FORMATS = {"long": "int64", "double": "double", "float": "float"}


def mark_number_formats(stage: StageApi, schemas: dict[str, Any]) -> None:
    """Give ``long``, ``double`` and ``float`` model fields their OpenAPI ``format``."""
    for model in stage.models:
        props = (schemas.get(model.name) or {}).get("properties") or {}
        for f in model.fields:
            fmt = _NUMBER_FORMATS.get(f.type.base)
            if fmt is None or f.name not in props:
                continue
            target = props[f.name]
            for option in target.get("anyOf", [target]):
                found = option.get("items", option) if f.type.is_list else option
                if "$ref" not in found:
                    found["format"] = fmt
