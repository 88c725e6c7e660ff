"""The standard-body half of ``import-openapi``: filter bodies, header paging, a token route.

A standard-body API reads with a POST whose JSON body holds a request filter, maybe a
route filter, and writes a list of records under a body key. Everything is inferred
from the document first (the body schemas, the paging headers and response headers, the
security schemes); the ``x-routegen-*`` extensions of ``routegen openapi`` (README,
"OpenAPI extensions"), when present, then name what OpenAPI cannot say: filter names and
field order, date-range clamping, the token route, page-size limits. What neither says
gets a placeholder and a note for the user.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from ..spec import naming
from .models import Schema, ref_name, type_expr

__all__ = [
    "is_standard",
    "settle_token_guess",
    "standard_auth",
    "standard_blocks",
    "standard_route",
]

_BODY_KEYS = {
    "request_filter": "requestFilter",
    "route_filter": "routeFilter",
    "body": "body",
}


class Doc(Protocol):
    """What this module reads of the importer's document (``openapi._Doc``)."""

    data: Mapping[str, Any]
    stage: str
    filters: dict[str, dict[str, Any]]

    def note(self, where: str, what: str) -> None:
        """Record something the user must check or fill in."""


def _body_schema(op: Mapping[str, Any]) -> Schema:
    content = ((op.get("requestBody") or {}).get("content") or {}).get(
        "application/json"
    )
    schema = (content or {}).get("schema") or {}
    return schema if isinstance(schema, Mapping) else {}


def is_standard(data: Mapping[str, Any]) -> bool:
    """Whether reads send an inline body object of filters (not one model, not a query)."""
    if "x-routegen-body-keys" in data:
        return True
    for item in (data.get("paths") or {}).values():
        for op in item.values():
            props = _body_schema(op).get("properties") or {}
            if any(
                (p.get("type") == "object" and "properties" in p)
                for p in props.values()
            ):
                return True
    return False


def _body_keys(doc: Doc) -> dict[str, str]:
    found = doc.data.get("x-routegen-body-keys")
    return {**_BODY_KEYS, **found} if isinstance(found, Mapping) else dict(_BODY_KEYS)


def _canonical(wire: str) -> str:
    """The spec's camelCase key of a wire name (``StartDate`` -> ``startDate``)."""
    return wire[:1].lower() + wire[1:]


def _read_filter(
    doc: Doc, name: str, schema: Schema, standard: bool, order: list[str]
) -> list[str]:
    """Merge a route's filter object into ``doc.filters``; its canonical field names.

    Fields are taken in ``order`` (the route's own, from ``x-routegen-route``) first:
    a document's properties may come sorted, and a filter's field order is the order
    of the generated keyword arguments.
    """
    entry = doc.filters.setdefault(name, {"fields": {}})
    if standard:
        entry["standard"] = True
    if schema.get("description"):
        entry["description"] = " ".join(str(schema["description"]).split())
    names = []
    props = schema.get("properties") or {}
    rank = {key: i for i, key in enumerate(order)}
    for wire in sorted(
        props, key=lambda w: (rank.get(_canonical(str(w)), len(rank)), w)
    ):
        prop = props[wire]
        key = _canonical(str(wire))
        field: dict[str, Any] = {"type": type_expr(prop)}
        if prop.get("description"):
            field["description"] = " ".join(str(prop["description"]).split())
        if isinstance(prop.get("x-routegen-default"), str):
            field["default"] = prop["x-routegen-default"]
        entry["fields"].setdefault(key, field)
        if wire != key:
            entry["wire_case"] = {doc.stage: "PascalCase"}
        names.append(key)
    return names


def _filters(
    doc: Doc,
    route: dict[str, Any],
    group: str,
    props: Mapping[str, Any],
    x: Mapping[str, Any],
) -> None:
    keys = _body_keys(doc)
    request = props.get(keys["request_filter"])
    if isinstance(request, Mapping):
        name = str(request.get("x-routegen-filter") or "RequestFilter")
        order = list(x.get("request_filter") or [])
        names = _read_filter(doc, name, request, True, order)
        route["request_filter"] = order or names
    found = props.get(keys["route_filter"])
    if isinstance(found, Mapping):
        guess = naming.class_name(group) + "Filter"
        name = str(found.get("x-routegen-filter") or guess)
        use = x.get("route_filter")
        order = list(use.get("fields") or []) if isinstance(use, Mapping) else []
        names = _read_filter(doc, name, found, False, order)
        if not found.get("x-routegen-filter"):
            doc.note(f"$.filters.{name}", "route filter name guessed from the group")
        route["route_filter"] = {"use": name, "fields": order or names}


def _body(
    doc: Doc, route: dict[str, Any], props: Mapping[str, Any], x: Mapping[str, Any]
) -> None:
    body = props.get(_body_keys(doc)["body"]) or {}
    item = ref_name(body.get("items") or {}) if body.get("type") == "array" else None
    if item is not None:
        route["body"] = {"list_of": item}
    elif ref_name(body):
        route["body"] = {"model": ref_name(body)}
    elif x.get("body") == "none":
        route["body"] = "none"


def _paging(
    doc: Doc, route: dict[str, Any], op: Mapping[str, Any], x: Mapping[str, Any]
) -> None:
    paging = _pagination(doc)
    headers = {
        p.get("name"): p for p in op.get("parameters") or [] if p.get("in") == "header"
    }
    if paging["request"]["page"] in headers:
        route["paged"] = True
        size = (headers.get(paging["request"]["size"]) or {}).get("schema") or {}
        largest = x.get("max_page_size") or size.get("maximum")
        if isinstance(largest, int):
            route["max_page_size"] = largest


def _dates(
    doc: Doc, route: dict[str, Any], op: Mapping[str, Any], x: Mapping[str, Any]
) -> None:
    for key in ("max_range", "dates_required", "min_interval", "errors", "idempotent"):
        if key in x:
            route[key] = x[key]
    if "max_range" in route:
        return
    dates = _date_range(doc)
    answer = (op.get("responses") or {}).get(str(route.get("status", 200))) or {}
    if dates and dates["response_headers"]["start"] in (answer.get("headers") or {}):
        route["max_range"] = "31d"
        doc.note(
            f"$.routes[{route['name']}].max_range",
            "the range is clamped: give its length",
        )


def _auth_mode(op: Mapping[str, Any], x: Mapping[str, Any]) -> str:
    if x.get("auth") in ("token", "key", "none"):
        return str(x["auth"])
    security = op.get("security")
    if security is None:
        return "token"
    schemes = {name for req in security for name in req}
    return "none" if not schemes else ("key" if len(schemes) == 1 else "token")


def standard_route(
    doc: Doc, route: dict[str, Any], op: Mapping[str, Any], group: str
) -> dict[str, Any]:
    """Fill a standard-body route (name, method, path, response already set)."""
    x = op.get("x-routegen-route") or {}
    auth = _auth_mode(op, x)
    if auth != "token":
        route["auth"] = auth
    props = _body_schema(op).get("properties") or {}
    _filters(doc, route, group, props, x)
    _body(doc, route, props, x)
    _paging(doc, route, op, x)
    _dates(doc, route, op, x)
    return route


def _pagination(doc: Doc) -> dict[str, Any]:
    found = doc.data.get("x-routegen-pagination")
    if isinstance(found, Mapping):
        return dict(found)
    return {
        "style": "headers",
        "request": {"page": "page", "size": "size"},
        "response": {"page": "page", "size": "size", "total_pages": "total-pages"},
    }


def _date_range(doc: Doc) -> dict[str, Any] | None:
    found = doc.data.get("x-routegen-date-range")
    if isinstance(found, Mapping):
        return dict(found)
    for item in (doc.data.get("paths") or {}).values():
        for op in item.values():
            for answer in (op.get("responses") or {}).values():
                dated = [
                    n
                    for n, h in (answer.get("headers") or {}).items()
                    if (h.get("schema") or {}).get("format") == "date-time"
                ]
                if len(dated) == 2:
                    start, end = sorted(dated, key=lambda n: "end" in n)
                    doc.note(
                        "$.date_range", "range fields and clamping rules are guesses"
                    )
                    return {
                        "start_field": "startDate",
                        "end_field": "endDate",
                        "response_headers": {"start": start, "end": end},
                    }
    return None


def standard_blocks(doc: Doc, routes: list[dict[str, Any]]) -> dict[str, Any]:
    """The top-level blocks of a standard-body spec: paging, dates, body keys, filters."""
    out: dict[str, Any] = {"request_style": "standard-body"}
    out["pagination"] = _pagination(doc)
    if "x-routegen-pagination" not in doc.data and any(r.get("paged") for r in routes):
        doc.note("$.pagination", "header names, first page and sizes are guesses")
    dates = _date_range(doc)
    if dates is not None:
        out["date_range"] = dates
    out["body_keys"] = _body_keys(doc)
    out["filters"] = doc.filters
    return out


def standard_auth(doc: Doc, schemes: Mapping[str, Any]) -> dict[str, Any]:
    """An api key plus a session token (``x-routegen-token`` or a scheme named token)."""
    headers = {
        name: s
        for name, s in sorted(schemes.items())
        if s.get("type") == "apiKey" and s.get("in") == "header"
    }
    token = next((n for n, s in headers.items() if "x-routegen-token" in s), None)
    token = token or next((n for n in headers if "token" in n.lower()), None)
    keys = [n for n in headers if n != token]
    out: dict[str, Any] = {}
    if keys:
        out["api_key"] = {"header": headers[keys[0]]["name"]}
    if token is not None:
        found = headers[token].get("x-routegen-token")
        block = dict(found) if isinstance(found, Mapping) else _token_guess(doc)
        out["token"] = {**block, "header": headers[token]["name"]}
    return out


def _token_guess(doc: Doc) -> dict[str, Any]:
    doc.note("$.auth.token", "the token route, its fields and lifetime are guesses")
    return {
        "route": "auth.authenticate",
        "username_field": "username",
        "password_field": "password",
        "token_field": "accessToken",
        "lifetime": "1d",
        "expired_error": "ERROR",
    }


def settle_token_guess(spec: dict[str, Any]) -> None:
    """Point a guessed token block at a route and a code the imported spec has.

    The token route is the first key-only route answering one model; the expiry code
    is the first 401 code, else the first code. The note on ``$.auth.token`` stands.
    """
    token = (spec.get("auth") or {}).get("token")
    if token is None:
        return
    routes = spec.get("routes") or []
    if not any(r["name"] == token["route"] for r in routes):
        issuer = next(
            (r for r in routes if r.get("auth") == "key" and "model" in r["response"]),
            None,
        )
        if issuer is not None:
            token["route"] = issuer["name"]
    codes = (spec.get("errors") or {}).get("codes") or {}
    if codes and token["expired_error"] not in codes:
        unauthorised = [c for c, e in codes.items() if e.get("status") == 401]
        token["expired_error"] = (unauthorised or list(codes))[0]
