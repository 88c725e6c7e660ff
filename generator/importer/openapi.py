"""A rest-style routegen spec bootstrapped from an OpenAPI 3.0/3.1 document.

Routes (method, path, path and query parameters, one-model bodies, list/object/none
responses), models and enums, header api keys (one: an api key; two: a token pair),
offset paging and server-cursor sync pages are inferred. What an OpenAPI document
does not say (the usage plan, error statuses, the stage name, which record fields a
sync relies on) gets a placeholder and a ``TODO(import)`` comment naming its place,
so ``routegen validate`` passes and the user knows what to check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..spec import naming
from .models import Schema, import_schemas, ref_name, type_expr
from .standard import (
    is_standard,
    settle_token_guess,
    standard_auth,
    standard_blocks,
    standard_route,
)

_ROUTE_NAME = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_OFFSETS = ("offset", "skip", "start")
_SIZES = ("pageSize", "limit", "size", "per_page", "page_size")
_API_KEYS = (
    "error_root",
    "api_key_env",
    "username_env",
    "password_env",
    "case_insensitive_names",
)
_VERBS = {"post": "create", "put": "update", "patch": "update", "delete": "delete"}


class OpenApiImportError(Exception):
    """The document cannot be imported (not OpenAPI 3.x, no paths)."""


class _Doc:
    """The document plus the notes collected while reading it."""

    def __init__(self, data: Mapping[str, Any], name: str | None, stage: str) -> None:
        self.data, self.stage = data, stage
        self.notes: list[str] = []
        self.standard = is_standard(data)
        self.filters: dict[str, dict[str, Any]] = {}
        info = data.get("info") or {}
        title = str(info.get("title") or "Imported API")
        self.title = re.sub(r"\s*\([^)]*\)\s*$", "", title) or title
        known = info.get("x-routegen-api") or {}
        self.name = str(
            name
            or known.get("name")
            or (naming.snake_case(self.title) or "imported")[:40]
        )
        self.schemas: Mapping[str, Schema] = (data.get("components") or {}).get(
            "schemas"
        ) or {}

    def note(self, where: str, what: str) -> None:
        """Record something the user must check or fill in, at a spec path (once)."""
        if f"{where}: {what}" not in self.notes:
            self.notes.append(f"{where}: {what}")


def _success(op: Mapping[str, Any]) -> tuple[int, Schema | None]:
    for code in ("200", "201", "202", "204"):
        answer = (op.get("responses") or {}).get(code)
        if answer is not None:
            media = answer.get("content") or {}
            if "application/json" not in media and "text/plain" in media:
                return int(code), {"type": "string"}
            return int(code), (media.get("application/json") or {}).get("schema")
    return 200, None


def _response(doc: _Doc, schema: Schema | None) -> tuple[Any, str | None]:
    """(response data ref, items key when it is a sync page)."""
    if schema is None:
        return "none", None
    if ref_name(schema):
        return {"model": ref_name(schema)}, None
    if schema.get("type") == "array" and ref_name(schema.get("items") or {}):
        return {"list_of": ref_name(schema["items"])}, None
    props = schema.get("properties") or {}
    for key, prop in props.items():
        if prop.get("type") == "array" and ref_name(prop.get("items") or {}):
            return {"list_of": ref_name(prop["items"])}, key
    if schema.get("type") == "string":
        return "text", None
    return "none", None


def _params(op: Mapping[str, Any], where: str) -> list[Mapping[str, Any]]:
    return [p for p in op.get("parameters") or [] if p.get("in") == where]


def _route_name(path: str, method: str, op: Mapping[str, Any], paged: bool) -> str:
    op_id = str(op.get("operationId") or "")
    if _ROUTE_NAME.match(op_id):
        return op_id
    tags = op.get("tags") or [path.strip("/").split("/")[0] or "root"]
    group = naming.snake_case(str(tags[0])) or "root"
    if method == "get":
        verb = "list" if paged or "{" not in path else "get"
    else:
        verb = _VERBS.get(method, method)
    return f"{group}.{naming.snake_case(op_id) if op_id else verb}"


class _Paging:
    """Offset and size parameter names found, and the sync page shape found."""

    def __init__(self) -> None:
        self.offset: str | None = None
        self.size: str | None = None
        self.max_size = 0
        self.sync: dict[str, Any] = {}


def _query_names(
    paging: _Paging, op: Mapping[str, Any], sync_key: str | None
) -> tuple[dict[str, Any], bool]:
    """The route's own query parameters, and whether it is offset-paged."""
    names = {str(p["name"]): p for p in _params(op, "query")}
    offset = next((n for n in _OFFSETS if n in names), None)
    size = next((n for n in _SIZES if n in names), None)
    own = dict(names)
    if sync_key is not None and size is not None:
        ack = next((n for n, p in names.items() if n != size), None)
        paging.sync.setdefault("size_param", size)
        if ack is not None:
            paging.sync.setdefault("ack_param", ack)
        return {}, False
    if offset is not None and size is not None:
        paging.offset, paging.size = offset, size
        limit = (names[size].get("schema") or {}).get("maximum")
        paging.max_size = max(paging.max_size, int(limit or 0))
        own = {n: p for n, p in names.items() if n not in (offset, size)}
    query = {
        n: {
            "type": _nullable(type_expr(p.get("schema") or {})),
            **({"description": p["description"]} if p.get("description") else {}),
        }
        for n, p in own.items()
    }
    return query, offset is not None and size is not None


def _nullable(expr: str) -> str:
    return expr if expr.endswith("?") else expr + "?"


def _route(
    doc: _Doc, paging: _Paging, path: str, method: str, op: Mapping[str, Any]
) -> dict[str, Any]:
    status, schema = _success(op)
    response, sync_key = _response(doc, schema)
    if doc.standard:
        route = _route_head(path, method, op, False)
        route["response"] = response
        if status != (204 if response == "none" else 200):
            route["status"] = status
        return standard_route(doc, route, op, route["name"].split(".")[0])
    query, paged = _query_names(paging, op, sync_key)
    route = _route_head(path, method, op, paged)
    if paged:
        route["paged"] = True
    if query:
        route["query"] = query
    if sync_key is not None:
        route["sync"] = True
        paging.sync.setdefault("items_key", sync_key)
        others = [k for k in (schema or {}).get("properties", {}) if k != sync_key]
        if others:
            paging.sync.setdefault("cursor_key", others[0])
    body = ((op.get("requestBody") or {}).get("content") or {}).get("application/json")
    if body and ref_name(body.get("schema") or {}):
        route["body"] = {"model": ref_name(body["schema"])}
        route["idempotent"] = method == "put"
    route["response"] = response
    if status != (204 if response == "none" else 200):
        route["status"] = status
    return route


def _route_head(
    path: str, method: str, op: Mapping[str, Any], paged: bool
) -> dict[str, Any]:
    """Name, method, path, summary and description of a route."""
    route: dict[str, Any] = {
        "name": _route_name(path, method, op, paged),
        "method": method.upper(),
        "path": path,
        "summary": " ".join(
            str(op.get("summary") or op.get("operationId") or path).split()
        ),
    }
    if op.get("description"):
        route["description"] = " ".join(str(op["description"]).split())
    return route


def _routes(doc: _Doc, paging: _Paging) -> list[dict[str, Any]]:
    out = []
    for path, item in sorted((doc.data.get("paths") or {}).items()):
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                out.append(_route(doc, paging, path, method, item[method]))
    syncs = {r["path"] for r in out if r.get("sync")}
    for r in out:
        parent = r["path"].rsplit("/", 1)[0]
        if r["method"] == "DELETE" and parent in syncs and r["response"] == "none":
            r["sync_reset"] = True
    return out


def _auth(doc: _Doc) -> dict[str, Any]:
    schemes = (doc.data.get("components") or {}).get("securitySchemes") or {}
    if doc.standard:
        found = standard_auth(doc, schemes)
        if found:
            return found
    headers = [
        (name, s["name"])
        for name, s in sorted(schemes.items())
        if s.get("type") == "apiKey" and s.get("in") == "header"
    ]
    if len(headers) == 2 and not any("token" in n.lower() for n, _ in headers):
        tokens = [{"header": h, "param": naming.snake_case(n)} for n, h in headers]
        return {"token_pair": {"tokens": tokens}}
    if headers:
        if len(headers) > 1:
            doc.note(
                "$.auth", "several header keys; only the first is kept (a token route?)"
            )
        return {"api_key": {"header": headers[0][1]}}
    doc.note("$.auth", "no header api key in securitySchemes; x-api-key assumed")
    return {"api_key": {"header": "x-api-key"}}


def _errors(doc: _Doc) -> tuple[dict[str, Any], set[str]]:
    """The error object keys and codes, and the schema names that describe errors."""
    gateway = {
        n: s
        for n, s in doc.schemas.items()
        if isinstance(s.get("x-routegen-gateway"), list)
    }
    for name, schema in doc.schemas.items():
        if isinstance(schema.get("x-routegen-codes"), Mapping):
            block: dict[str, Any] = {"codes": dict(schema["x-routegen-codes"])}
            keys = schema.get("x-routegen-keys")
            if isinstance(keys, Mapping):
                block = {"object": dict(keys), **block}
            for found in gateway.values():
                block["gateway"] = list(found["x-routegen-gateway"])
            return block, {name, *gateway}
    for name, schema in doc.schemas.items():
        item = schema.get("items") if schema.get("type") == "array" else schema
        props = (item or {}).get("properties") or {}
        codes = next((p.get("enum") for p in props.values() if p.get("enum")), None)
        if codes and not ref_name(item or {}):
            keys = list(props)
            doc.note(
                "$.errors.codes",
                "HTTP statuses of the codes are not in the document; 400 assumed",
            )
            table = {str(c): {"status": 400, "description": str(c)} for c in codes}
            return {"object": {"code": keys[0], "message": keys[1]}, "codes": table}, {
                name
            }
    doc.note("$.errors", "no error schema with a code enum found; one placeholder code")
    return {"codes": {"ERROR": {"status": 400, "description": "Any error."}}}, set()


def _sync_block(
    doc: _Doc, paging: _Paging, models: Mapping[str, Any]
) -> dict[str, Any]:
    fields = {f for m in models.values() for f in (m.get("fields") or {})}
    block = {
        "items_key": "items",
        "cursor_key": "cursor",
        "ack_param": "ack",
        "size_param": "pageSize",
        **paging.sync,
    }
    for key, guess in (
        ("id_field", "uuid"),
        ("version_field", "versionNumber"),
        ("deleted_field", "deletedTimestamp"),
    ):
        block[key] = guess
        if guess not in fields:
            doc.note(f"$.sync.{key}", f"{guess!r} is a guess: name the record field")
    return block


def import_document(
    data: Mapping[str, Any], name: str | None = None, stage: str | None = None
) -> tuple[dict[str, Any], list[str]]:
    """A routegen spec (as data) from an OpenAPI document, and the TODO notes."""
    version = str(data.get("openapi") or "")
    if not version.startswith(("3.0", "3.1")) or not data.get("paths"):
        raise OpenApiImportError(
            f"not an OpenAPI 3.0/3.1 document with paths (openapi: {version!r})"
        )
    title = str((data.get("info") or {}).get("title") or "")
    found = re.search(r"\(([^)]+)\)\s*$", title)
    doc = _Doc(data, name, stage or (found.group(1) if found else "v1"))
    paging = _Paging()
    routes = _routes(doc, paging)
    errors, error_schemas = _errors(doc)
    models, notes = import_schemas(doc.schemas, error_schemas)
    for note in notes:
        doc.note(*note.split(": ", 1))
    spec: dict[str, Any] = {"routespec": 1, "api": _api(doc), "stages": _stages(doc)}
    spec["auth"] = _auth(doc)
    spec["limits"] = _limits(doc)
    if doc.standard:
        spec.update(standard_blocks(doc, routes))
    else:
        spec["request_style"] = "rest"
        spec["pagination"] = {
            "style": "offset",
            "offset_param": paging.offset or "offset",
            "size_param": paging.size or "pageSize",
            **({"max_size": paging.max_size} if paging.max_size else {}),
        }
    if any(r.get("sync") for r in routes):
        spec["sync"] = _sync_block(doc, paging, models)
    spec["models"] = models
    spec["errors"] = errors
    spec["routes"] = routes
    settle_token_guess(spec)
    return spec, doc.notes


def _limits(doc: _Doc) -> dict[str, Any]:
    found = doc.data.get("x-routegen-limits")
    if isinstance(found, Mapping):
        return dict(found)
    doc.note("$.limits", "the usage plan is not in the document; 1 request/s assumed")
    return {"rate": 1, "burst": 1}


def _api(doc: _Doc) -> dict[str, Any]:
    servers = doc.data.get("servers") or []
    url = str(servers[0].get("url")) if servers else ""
    if not url.startswith(("http://", "https://")):
        doc.note("$.api.base_url", "no absolute server URL; a placeholder is used")
        url = "https://api.example.invalid/{stage}"
    elif url.rstrip("/").endswith("/" + doc.stage):
        url = url.rstrip("/")[: -len(doc.stage)] + "{stage}"
    else:
        url = url.rstrip("/") + "/{stage}"
    info = doc.data.get("info") or {}
    api = {"name": doc.name, "title": doc.title, "base_url": url}
    known = info.get("x-routegen-api")
    if isinstance(known, Mapping):  # the name given on the command line wins
        api.update({k: v for k, v in known.items() if k != "name" and k in _API_KEYS})
    if info.get("version"):
        api["version"] = str(info["version"])
    return api


def _stages(doc: _Doc) -> list[dict[str, Any]]:
    description = " ".join(
        str((doc.data.get("info") or {}).get("description") or "").split()
    )
    if not description:
        doc.note("$.stages[0].description", "describe the stage")
    return [{"name": doc.stage, "description": description or "Imported from OpenAPI."}]


def render(spec: Mapping[str, Any], notes: list[str], source: str) -> str:
    """The spec as YAML, headed by the TODO notes."""
    head = [f"# Imported by routegen import-openapi from {Path(source).name}."]
    head += ["# Every element below is inferred; check the TODO(import) notes:"]
    head += [f"# TODO(import) {n}" for n in notes] or ["# (nothing left to fill in)"]
    body = yaml.safe_dump(dict(spec), sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(head) + "\n" + body
