"""A mock of a rest-style stage: token pair, offset pages, text search, CRUD and sync.

Routes are matched by method and path template (``/things/{uuid}``); what a route
does follows from its shape in the spec: a sync route serves the session's change
log, a sync-reset route resets it, a paged GET lists (with the text query matched
across the route's ``search_fields``), a GET with a path parameter reads one record,
POST creates, PUT updates, DELETE leaves a tombstone. The session id can be replaced
(``state.new_session()``), after which the old one is refused as the vendor does.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import threading
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route as StarletteRoute

from ..runtime._text_rules import broken_rule
from ..runtime._webhooks import sign
from ..spec.model import Model, Route, StageApi
from .config import MockConfig
from .errors import gateway_response
from .limits import UsagePlan
from .rest_store import RestStore, StoreError
from .stats import Stats
from .writes import constraint_problem, value_fits

__all__ = ["RestState", "create_rest_app"]

_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", path)
    regex = "".join(
        re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^/]+)" for i, p in enumerate(parts)
    )
    return re.compile(f"^{regex}$")


class RestState:
    """Everything the app holds: tokens, store, usage plan, counters."""

    def __init__(self, stage: StageApi, config: MockConfig) -> None:
        pair = stage.auth.token_pair
        assert pair is not None, "a rest mock serves a token-pair stage"
        self.stage, self.config = stage, config
        self.headers = [t.header for t in pair.tokens]
        # The first token plays the api key's part; the session id can be replaced.
        self.tokens = {self.headers[0]: config.api_key, self.headers[1]: "session-1"}
        self.store = RestStore(stage, config.seed, config.now)
        limits = config.limits or stage.limits
        # "N requests per second": the server admits N in any one second, while the
        # client (burst 1 from the spec) paces itself evenly and never gets near it.
        window = dataclasses.replace(
            limits, burst=max(limits.burst, math.ceil(limits.rate))
        )
        clock = lambda: config.now().timestamp()  # noqa: E731 (a test may move "now")
        self.plan = UsagePlan(window, config.now, clock, slack=config.limit_slack)
        self.stats = Stats()
        self._sessions = 1
        self.webhooks: dict[str, tuple[str, str, list[str] | None]] = {}
        self.deliveries: list[tuple[str, int | str]] = []
        self.routes = sorted(
            ((_pattern(r.path), r) for r in stage.routes),
            key=lambda pr: (bool(pr[1].path_params), pr[1].path),
        )
        for model in stage.models:
            self.store.seed(model, config.records)

    def register(self, body: dict[str, Any]) -> dict[str, Any]:
        """Keep a webhook registration; the mock only calls loopback URLs."""
        hooks = self.stage.webhooks
        assert hooks is not None
        url, secret = body.get(hooks.url_field), body.get(hooks.secret_field)
        try:
            host = urlsplit(str(url)).hostname
        except ValueError:  # "http://[" and the like
            host = None
        if not isinstance(url, str) or host not in ("127.0.0.1", "localhost", "::1"):
            raise StoreError(400, f"{hooks.url_field} must be a loopback http URL")
        if not isinstance(secret, str) or not secret:
            raise StoreError(400, f"{hooks.secret_field} is required")
        ident = str(uuid.UUID(int=len(self.webhooks) + 1))
        entities = body.get("entities")
        if entities is not None and not (
            isinstance(entities, list) and all(isinstance(e, str) for e in entities)
        ):
            raise StoreError(400, "entities must be a list of entity names")
        self.webhooks[ident] = (url, secret, entities)
        return {"uuid": ident, "url": url, "entities": entities}

    def notify(self, group: str) -> None:
        """Call every webhook interested in ``group`` (in the background, signed)."""
        hooks = self.stage.webhooks
        if hooks is None:
            return
        body = json.dumps({hooks.entity_key: group}).encode()
        for url, secret, entities in list(self.webhooks.values()):
            if entities is None or group in entities:
                headers = {hooks.signature_header: sign(secret, body)}
                threading.Thread(
                    target=self._deliver, args=(url, body, headers), daemon=True
                ).start()

    def _deliver(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        try:
            status: int | str = httpx.post(
                url, content=body, headers=headers, timeout=10
            ).status_code
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        self.deliveries.append((url, status))

    def new_session(self) -> str:
        """Generate a new session id; the previous one stops working."""
        old = self.tokens[self.headers[1]]
        self._sessions += 1
        self.tokens[self.headers[1]] = f"session-{self._sessions}"
        self.store.forget_session(old)
        return self.tokens[self.headers[1]]

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route serving ``method path`` and its path parameters."""
        for pattern, route in self.routes:
            found = pattern.match(path)
            if found and route.method == method:
                return route, found.groupdict()
        return None


def _error(stage: StageApi, status: int, message: str) -> JSONResponse:
    code = next((e.code for e in stage.errors if e.status == status), "ERROR")
    keys = stage.error_object
    return JSONResponse({keys.code: code, keys.message: message}, status_code=status)


class _Handler:
    def __init__(self, state: RestState) -> None:
        self.state = state

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        response = await self.respond(request)
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        """The answer to one request: route match, gate, then the route's action."""
        state, stage = self.state, self.state.stage
        prefix = f"/{stage.stage.name}"
        path = request.url.path
        found = (
            state.match(request.method, path[len(prefix) :])
            if path.startswith(prefix + "/")
            else None
        )
        if found is None:
            return _error(stage, 404, f"no route {request.method} {path}")
        route, params = found
        response = self.gate(request)
        if response is None:
            try:
                response = await _serve(state, route, params, request)
            except StoreError as exc:
                response = _error(stage, exc.status, exc.message)
        state.stats.record(route.name, response.status_code)
        return response

    def gate(self, request: Request) -> Response | None:
        """The refusal of a request (tokens, rate), or None to go on."""
        state = self.state
        if any(request.headers.get(h) != v for h, v in state.tokens.items()):
            pair = state.stage.auth.token_pair
            status = next(
                (
                    e.status
                    for e in state.stage.errors
                    if pair and e.code == pair.rejected_error
                ),
                401,
            )
            return _error(state.stage, status, "User not authorised")
        limited = state.config.enforce_limits
        if limited and state.plan.admit(state.tokens[state.headers[0]]) != "ok":
            return gateway_response(state.stage, "TooManyRequests")
        return None


Serve = Callable[[RestState, Route, dict[str, str], Request], Awaitable[Response]]


def _model(state: RestState, route: Route) -> Model:
    name = (route.body or route.response).model
    if name is None:  # a sync reset: the group's sync route names the model
        sync = next(r for r in state.stage.routes if r.sync and r.group == route.group)
        name = sync.response.model
    model = state.stage.model(str(name))
    assert model is not None
    return model


def _int(request: Request, name: str, default: int, low: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < low:
        raise StoreError(400, f"{name} must be an integer of at least {low}")
    return int(raw)


async def _serve(
    state: RestState, route: Route, params: dict[str, str], request: Request
) -> Response:
    hooks = state.stage.webhooks
    if hooks is not None and route.name == hooks.register_route:
        try:
            body = await request.json()
        except ValueError:  # a bad body is the caller's error, never a 500
            raise StoreError(400, "the body is not JSON") from None
        if not isinstance(body, dict):
            raise StoreError(400, "the body must be one registration")
        return JSONResponse(state.register(body), status_code=route.status)
    if hooks is not None and route.name == hooks.unregister_route:
        if state.webhooks.pop(params.get(route.path_params[0], ""), None) is None:
            raise StoreError(404, "no such webhook")
        return Response(status_code=route.status)
    response = await _crud(state, route, params, request)
    if route.method in ("POST", "PUT", "DELETE") and not route.sync_reset:
        state.notify(route.group)
    return response


async def _crud(
    state: RestState, route: Route, params: dict[str, str], request: Request
) -> Response:
    model = _model(state, route)
    store, sync = state.store, state.store.sync
    session = state.tokens[state.headers[1]]
    if route.sync:
        size = min(_int(request, sync.size_param, sync.default_size, 1), sync.max_size)
        items, cursor = store.sync_page(
            session, model.name, request.query_params.get(sync.ack_param), size
        )
        return JSONResponse({sync.items_key: items, sync.cursor_key: cursor})
    if route.sync_reset:
        store.reset(session, model.name)
        return Response(status_code=route.status)
    if route.paged:
        return _list(state, route, model, request)
    ident = params.get(route.path_params[0]) if route.path_params else None
    if route.method == "GET" and ident is not None:
        return JSONResponse(store.get(model.name, ident))
    if route.method == "DELETE" and ident is not None:
        store.delete(model, ident)
        return Response(status_code=route.status)
    body = await _body(state.stage, model, request)
    if route.method == "POST":
        return JSONResponse(store.create(model, body), status_code=route.status)
    if ident is None:
        raise StoreError(400, f"{route.name} needs an id")
    return JSONResponse(store.update(model, ident, body), status_code=route.status)


def _list(state: RestState, route: Route, model: Model, request: Request) -> Response:
    paging = state.stage.pagination
    offset = _int(request, paging.offset_param, 0, 0)
    size = _int(request, paging.size_param, paging.default_size, 1)
    size = min(size, route.max_page_size or paging.max_size, paging.max_size)
    records = state.store.live(model.name)
    # The text match is the route's first string query parameter.
    names = [q.name for q in route.query if q.type.base == "string"]
    text = (request.query_params.get(names[0]) or "") if names else ""
    text = text.strip().lower()
    if text and route.search_fields:
        records = [
            r
            for r in records
            if any(text in str(r.get(f) or "").lower() for f in route.search_fields)
        ]
    return JSONResponse(records[offset : offset + size])


async def _body(model_stage: StageApi, model: Model, request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise StoreError(400, "the body is not JSON") from None
    if not isinstance(body, dict):
        raise StoreError(400, "the body must be one record")
    for f in model.fields:
        value = body.get(f.name)
        if f.read_only:
            continue
        if value is None and not f.type.nullable:
            raise StoreError(400, f"{f.name} is required")
        # A value of the wrong type is refused, as the vendor's deserializer does,
        # rather than stored and served back against the model's schema.
        fits = value is None or any(value_fits(model_stage, t, value) for t in f.types)
        if not fits:
            raise StoreError(400, f"{f.name} is not a {f.type}")
        problem = constraint_problem(f, value)
        if problem is not None:
            raise StoreError(400, problem)
        rule = (
            broken_rule(value, list(f.text_rules)) if isinstance(value, str) else None
        )
        if rule is not None:
            raise StoreError(400, f"{f.name} breaks the text rule {rule}")
    return body


def create_rest_app(stage: StageApi, config: MockConfig) -> Starlette:
    """A Starlette app serving a rest-style ``stage`` under ``/{stage}``."""
    state = RestState(stage, config)
    handler = _Handler(state)
    app = Starlette(routes=[StarletteRoute("/{path:path}", handler, methods=_METHODS)])
    app.state.mock = state
    app.state.stats = state.stats
    app.state.store = state.store
    return app
