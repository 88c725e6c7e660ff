"""Wiring collisions: two spec slots that would land on one header, key or wire name.

HTTP header names are case-insensitive, so ``Page`` and ``page`` are one header and
the later one silently overwrites the earlier in the request the client builds. A
body key, a token field or a filter's wire name used twice loses a value the same
way. Each collision is reported at the later slot.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from .errors import JsonPath
from .model import StageApi

Found = Iterator[tuple[JsonPath, str]]

# Headers the client's transport sets or httpx owns; a spec header may not replace them.
_TRANSPORT_HEADERS = frozenset(
    {
        "host", "content-length", "content-type", "content-encoding", "transfer-encoding",
        "connection", "user-agent", "accept-encoding", "accept", "cookie", "te", "upgrade",
        "trailer", "keep-alive", "proxy-authorization", "expect",
    }
)  # fmt: skip


def wiring_checks(stage: StageApi) -> Found:
    """Every header, body-key, token-field and wire-name collision of ``stage``."""
    yield from _request_headers(stage)
    yield from _response_headers(stage)
    yield from _token(stage)
    yield from _distinct(
        "body key",
        [
            (("body_keys", k), getattr(stage.body_keys, k))
            for k in ("request_filter", "route_filter", "body")
        ],
    )
    yield from _distinct(
        "error object key",
        [
            (("errors", "object", k), getattr(stage.error_object, k))
            for k in ("code", "message", "pointers", "pointer_name")
        ],
    )
    yield from _wire_names(stage)
    yield from _distinct(
        "gateway error (status, message)",
        [
            (("errors", "gateway", i, "message"), f"{g.status} {g.message}")
            for i, g in enumerate(stage.gateway)
        ],
    )
    yield from _date_range(stage)
    yield from _base_url(stage)


def _distinct(
    kind: str, slots: Iterable[tuple[JsonPath, str]], fold: bool = False
) -> Found:
    """Report each slot whose value (case-folded for headers) an earlier slot holds."""
    seen: dict[str, tuple[JsonPath, str]] = {}
    for where, value in slots:
        key = value.lower() if fold else value
        if key in seen:
            first_where, first = seen[key]
            slot = ".".join(str(p) for p in first_where)
            msg = f"{kind} {value!r} is already used by {slot} ({first!r})"
            yield where, msg + (" (header names are case-insensitive)" if fold else "")
        seen.setdefault(key, (where, value))


def _request_headers(stage: StageApi) -> Found:
    p = stage.pagination
    slots: list[tuple[JsonPath, str]] = []
    if stage.auth.api_key_header is not None:
        slots.append((("auth", "api_key", "header"), stage.auth.api_key_header))
    if stage.auth.token_pair is not None:
        for i, t in enumerate(stage.auth.token_pair.tokens):
            slots.append((("auth", "token_pair", "tokens", i, "header"), t.header))
    if stage.auth.token is not None:
        slots.append((("auth", "token", "header"), stage.auth.token.header))
    if any(r.paged for r in stage.routes):
        slots.append((("pagination", "request", "page"), p.page_header))
        slots.append((("pagination", "request", "size"), p.size_header))
    for where, name in slots:
        if name.lower() in _TRANSPORT_HEADERS:
            yield where, f"header {name!r} is set by the client's transport itself"
    yield from _distinct("request header", slots, fold=True)


def _response_headers(stage: StageApi) -> Found:
    p = stage.pagination
    slots: list[tuple[JsonPath, str]] = [
        (("pagination", "response", "page"), p.response_page_header),
        (("pagination", "response", "size"), p.response_size_header),
        (("pagination", "response", "total_pages"), p.total_pages_header),
    ]
    dr = stage.date_range
    if dr is not None:
        slots.append((("date_range", "response_headers", "start"), dr.start_header))
        slots.append((("date_range", "response_headers", "end"), dr.end_header))
    yield from _distinct("response header", slots, fold=True)


def _token(stage: StageApi) -> Found:
    token = stage.auth.token
    if token is None:
        for r in stage.routes:
            if r.auth == "token":
                msg = (
                    f"route {r.name!r} uses token auth (the default) but the spec "
                    "declares no auth.token; set 'auth: key' or 'auth: none'"
                )
                yield r.origin("auth"), msg
        return
    where: JsonPath = ("auth", "token")
    yield from _distinct(
        "token request field",
        [
            ((*where, "username_field"), token.username_field),
            ((*where, "password_field"), token.password_field),
        ],
    )
    response = [((*where, "token_field"), token.token_field)]
    if token.expires_field:
        response.append(((*where, "expires_field"), token.expires_field))
    yield from _distinct("token response field", response)
    route = next((r for r in stage.routes if r.name == token.route), None)
    if route is not None and route.auth == "token":
        msg = f"token route {route.name!r} cannot itself need a token; set 'auth: key'"
        yield route.origin("auth"), msg


def _wire_names(stage: StageApi) -> Found:
    """Two fields of one filter sent under one wire name: one value is lost."""
    for flt in stage.filters:
        yield from _distinct(
            f"{flt.name}: wire name", [(f.origin("wire"), f.wire) for f in flt.fields]
        )


def _date_range(stage: StageApi) -> Found:
    dr = stage.date_range
    if dr is None:
        return
    if dr.start_field == dr.end_field:
        yield ("date_range", "end_field"), "end_field is the same field as start_field"
    standard = stage.request_filter
    for name in (dr.start_field, dr.end_field):
        f = standard.field(name) if standard else None
        if f is not None and (f.type.base != "DateTime" or f.type.is_list):
            msg = f"date-range field {name!r} must be DateTime (or DateTime?), not {f.type}"
            yield f.origin("type"), msg
    if dr.start_of_day >= dr.end_of_day:
        msg = f"start_of_day {dr.start_of_day} is not before end_of_day {dr.end_of_day}"
        yield ("date_range", "end_of_day"), msg


def _base_url(stage: StageApi) -> Found:
    """The base URL is code (a string literal) and every request's prefix."""
    template = stage.info.base_url
    where: JsonPath = ("api", "base_url")
    rest = template.replace("{stage}", "")
    if any(c in rest for c in "{}\"'\\<>`^|") or not rest.isprintable():
        yield where, "base_url may hold only '{stage}' as a placeholder and URL characters"
        return
    try:
        parts = urlsplit(stage.base_url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        yield where, f"base_url is not a valid URL: {exc}"
        return
    if parts.username is not None or parts.password is not None:
        yield where, "base_url carries credentials; the key belongs in the client, not the URL"
    elif parts.query or parts.fragment or "?" in template or "#" in template:
        yield where, "base_url may not carry a query or fragment (paths are appended to it)"
    elif not parts.hostname:
        yield where, "base_url has no host"
