"""The Starlette app: gateway checks, faults, token auth, then the route's behaviour.

Every request walks the same path as at the vendor: the gateway matches the path
(unknown: 403 Missing Authentication Token), checks ``x-api-key`` (403 Forbidden) and
the usage plan (429), then the API checks the session token (401 ``API_TOKEN``) and
answers reads, writes and actions from the in-memory store. Injected faults fire at
the gateway (nothing applied) or, with ``Fault(after_handler=True)``, after the API
handled the request (applied, then the answer is lost or replaced).
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route as StarletteRoute
from starlette.types import Receive, Scope, Send

from ..spec.model import FilterField, Route, StageApi
from .config import Faults, MockConfig
from .data import ValueMaker
from .errors import MockError, MockErrors, error_response, gateway_response
from .limits import UsagePlan
from .request import (
    MAX_BODY_BYTES,
    Query,
    binder,
    lower_keys,
    paging,
    parse_payload,
    read_query,
)
from .select import check_organizations, filter_stem, select
from .stats import Stats
from .store import Store
from .writes import apply_write

__all__ = ["ConnectionDropped", "MockState", "Stats", "create_app", "us_date"]

_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
_FIVE_XX = {
    502: "Internal server error",
    503: "Service Unavailable",
    504: "Endpoint request timed out",
}
TOKEN_TEST_TEXT = "Access token was valid"


class ConnectionDropped(Exception):
    """Raised after the response head so the server closes the connection mid-answer."""


def us_date(moment: datetime) -> str:
    """US culture format without leading zeros: ``9/3/2020 11:17:40 PM``."""
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return f"{moment.month}/{moment.day}/{moment.year} {hour}:{moment:%M:%S} {half}"


class MockState:
    """Everything one app holds: the stage, its data, tokens, limits, faults and counts."""

    def __init__(self, stage: StageApi, config: MockConfig) -> None:
        self.stage = stage
        self.config = config
        self.store = Store(stage, config)
        self.faults = Faults(config.faults, seed=config.seed)
        self.stats = Stats()
        self.plan = UsagePlan(
            config.limits or stage.limits, config.now, slack=config.limit_slack
        )
        self.tokens: dict[str, datetime] = {}
        #: life of new tokens; tests may shorten it (negative: issued already expired)
        self.token_lifetime = config.token_lifetime
        self.prefix = f"/{stage.stage.name}"
        self.routes = {(r.method, r.path.rstrip("/")): r for r in stage.routes}
        self._cache: dict[tuple[Any, ...], list[Any]] = {}

    def match(self, method: str, path: str) -> Route | None:
        """The stage route for a request path under ``/{stage}``."""
        if not path.startswith(self.prefix + "/"):
            return None
        return self.routes.get((method, path[len(self.prefix) :].rstrip("/")))

    def expire_tokens(self) -> None:
        """Make every issued token expired (the next token call gets 401 API_TOKEN)."""
        past = self.config.now() - timedelta(seconds=1)
        self.tokens = dict.fromkeys(self.tokens, past)

    # -- the gateway --------------------------------------------------------------------

    async def gate(self, request: Request, route: Route | None) -> Response | None:
        """The gateway's answer (path, key, usage plan, faults), or None to go on."""
        stage = self.stage
        if route is None:
            return gateway_response(stage, "MissingAuthenticationToken")
        header = stage.auth.api_key_header or ""
        if request.headers.get(header) != self.config.api_key:
            return gateway_response(stage, "Forbidden")
        if self.config.enforce_limits:
            admission = self.plan.admit(self.config.api_key)
            if admission == "throttled":
                return gateway_response(stage, "TooManyRequests")
            if admission == "quota":
                return gateway_response(stage, "LimitExceeded")
        return await self._faults(route)

    async def after_handler(self, route: Route, response: Response) -> Response:
        """The answer to a handled request, after the faults of the after phase.

        They may replace the answer or drop the connection; what the handler applied
        stays applied.
        """
        answer = await self._faults(route, after_handler=True)
        return response if answer is None else answer

    async def _faults(
        self, route: Route, after_handler: bool = False
    ) -> Response | None:
        answer: Response | None = None
        for fault in self.faults.fire(route.name, after_handler):
            if fault.kind == "latency":
                await asyncio.sleep(fault.delay)
            elif fault.kind == "drop":
                raise ConnectionDropped(route.name)
            elif fault.kind == "error" and answer is None:
                answer = self._injected_error(fault.status, fault.code)
            elif fault.kind == "throttle" and answer is None:
                after = fault.retry_after
                headers = {} if after is None else {"Retry-After": f"{after:g}"}
                answer = gateway_response(self.stage, "TooManyRequests", headers)
        return answer

    def _injected_error(self, status: int, code: str | None) -> Response:
        if code is not None:
            return error_response(
                self.stage, [MockError(code, "Injected by the mock.")]
            )
        message = _FIVE_XX.get(status, "Internal server error")
        return JSONResponse({"message": message}, status_code=status)

    # -- the API ------------------------------------------------------------------------

    async def handle(self, request: Request, route: Route) -> Response:
        """The API's answer to a request that passed the gateway."""
        try:
            raw = await _read_body(request)
            token = self.stage.auth.token
            if route.auth == "token":
                self._check_token(request)
            if token is not None and route.name == token.route:
                return self._authenticate(route, raw)
            payload = parse_payload(raw, binder(self.stage))
            query = read_query(self.stage, route, payload, self.config.now())
            return self._dispatch(request, route, query)
        except MockError as error:
            return error_response(self.stage, [error])
        except MockErrors as errors:
            return error_response(self.stage, errors.errors)

    def _check_token(self, request: Request) -> None:
        token = self.stage.auth.token
        if token is None:
            return
        value = request.headers.get(token.header, "").strip()
        if token.scheme:
            scheme, _, rest = value.partition(" ")
            value = rest.strip() if scheme.lower() == token.scheme.lower() else ""
        expires = self.tokens.get(value)
        if expires is None or expires <= self.config.now():
            raise MockError(
                token.expired_error,
                "Your api token was not present or has expired. Call /authenticate to get one.",
            )

    def _authenticate(self, route: Route, raw: bytes) -> Response:
        token = self.stage.auth.token
        assert token is not None
        bind = binder(self.stage)
        payload = parse_payload(raw, bind)
        nested = payload.get(bind(self.stage.body_keys.body))
        given = lower_keys(nested, bind) if isinstance(nested, dict) else payload
        user = given.get(bind(token.username_field))
        if user != self.config.username or given.get(bind(token.password_field)) != (
            self.config.password
        ):
            raise MockError(
                token.invalid_error or "INVALID_LOGIN",
                "The username or password was incorrect.",
            )
        issued = self.config.now()
        life = (
            self.token_lifetime if self.token_lifetime is not None else token.lifetime
        )
        expires = issued + life
        value = str(uuid.uuid4())
        self.tokens[value] = expires
        body = {
            token.token_field: value,
            token.expires_field or "expires": us_date(expires),
        }
        model = self.stage.model(route.response.model or "")
        for item in model.fields if model else ():
            if "issued" in item.name.lower():
                body[item.name] = us_date(issued)
            elif "user" in item.name.lower():
                body[item.name] = self.config.username
        return JSONResponse(body)

    def _dispatch(self, request: Request, route: Route, query: Query) -> Response:
        if route.body is not None and route.body.kind != "none":
            apply_write(self.store, route, query.body, self.config.now())
            self._cache.clear()
            return Response(status_code=route.status)
        kind = route.response.kind
        if kind == "text":
            # The key-test page documents a plain string, not a JSON string.
            return PlainTextResponse(TOKEN_TEST_TEXT, status_code=route.status)
        if kind == "list":
            return self._read(request, route, query)
        self._check_ids(route, query)
        if kind == "object":
            return JSONResponse(self._object(route), status_code=route.status)
        return Response(status_code=route.status)

    def _read(self, request: Request, route: Route, query: Query) -> Response:
        model = self.stage.model(route.response.model or "")
        if model is None:
            return JSONResponse([], headers=query.range_headers)
        key = (
            route.name,
            json.dumps(query.filters, sort_keys=True),
            query.start,
            query.end,
        )
        rows = self._cache.get(key)
        if rows is None:
            rows = [row.data for row in select(self.store, model, query)]
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = rows
        headers = dict(query.range_headers)
        if route.paged:
            page, size = paging(self.stage, route, request.headers)
            rules = self.stage.pagination
            first = (page - rules.first_page) * size
            headers[rules.response_page_header] = str(page)
            headers[rules.response_size_header] = str(size)
            headers[rules.total_pages_header] = str(math.ceil(len(rows) / size))
            rows = rows[first : first + size]
        return JSONResponse(rows, status_code=route.status, headers=headers)

    def _check_ids(self, route: Route, query: Query) -> None:
        """Actions and single reads: named ids must exist and be yours."""
        if "UNEXPECTED_RESULT_COUNT" in route.errors:
            self._check_single(route, query)
        for name, value in sorted(query.filters.items()):
            stem, is_id = filter_stem(name)
            if not is_id or not isinstance(value, list):
                continue
            if stem == "organization":
                check_organizations(self.store, value, "Organization.Id")
            table = stem[:1].upper() + stem[1:]
            if self.stage.model(table) is None:
                continue
            missing = [v for v in value if self._find(table, v) is None]
            if missing:
                raise MockError(
                    "MISSING_RECORD",
                    "Some records do not exist.",
                    missing,
                    f"{table}.Id",
                )

    def _check_single(self, route: Route, query: Query) -> None:
        """The id filters that must name exactly one record (absent counts as none)."""
        keys = self.stage.body_keys
        for key, item in _single_id_fields(route, keys.request_filter, keys.route_filter):
            value = query.filters.get(item.name)
            if not isinstance(value, list) or len(value) != 1:
                raise MockError(
                    "UNEXPECTED_RESULT_COUNT",
                    f"{item.wire} must name exactly one record.",
                    [f"{key}.{item.wire}"],
                    "field",
                )

    def _find(self, table: str, value: Any) -> Any:
        if table == "Machine":
            value = self.store.machine_id(str(value))
        return self.store.find(table, value)

    def _object(self, route: Route) -> Any:
        model = self.stage.model(route.response.model or "")
        if model is None:
            return {}
        rng = random.Random(f"{self.config.seed}:{route.name}")
        return ValueMaker(self.stage, rng, self.store.anchor).record(model, 1, {}, {})


async def _read_body(request: Request) -> bytes:
    """The request body, refused past ``MAX_BODY_BYTES`` without buffering the rest."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise MockError(
                "GENERIC_ERROR",
                "We encountered an error processing your request: it is larger "
                f"than {MAX_BODY_BYTES // (1024 * 1024)} MB.",
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _single_id_fields(
    route: Route, request_key: str, route_key: str
) -> list[tuple[str, FilterField]]:
    """Which id filters of a single-record action need exactly one value.

    The vendor's rule, as its documentation states it per route: applying a template
    needs one template id (its machines are the many targets), downloading a file one
    file id, provisioning one organization and one machine. In spec terms: the id
    fields of the route filter when it has any, else those of the request filter.
    """
    own = [f for f in route.route_filter.fields] if route.route_filter else []
    fields = [(route_key, f) for f in own if filter_stem(f.name)[1]]
    if not fields:
        fields = [(request_key, f) for f in route.request_filter if filter_stem(f.name)[1]]
    return fields


class _Handler:
    """The raw ASGI endpoint (raw so a fault can drop the connection mid-response)."""

    def __init__(self, state: MockState) -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = self.state
        request = Request(scope, receive)
        route = state.match(request.method, request.url.path)
        name = route.name if route is not None else "<unknown>"
        try:
            response = await state.gate(request, route)
            if response is None and route is not None:
                response = await state.handle(request, route)
                response = await state.after_handler(route, response)
        except ConnectionDropped:
            state.stats.record(name, 0)
            await send({"type": "http.response.start", "status": 200, "headers": []})
            raise
        except Exception:
            # Last line of defence, never reached by a known request: the vendor's
            # documented UNKNOWN_ERROR as JSON, not a text/plain 500 that resets the
            # keep-alive connection. The tests send hostile requests to prove no
            # handler gets here.
            response = error_response(
                state.stage,
                [MockError("UNKNOWN_ERROR", "Something went wrong on our end.")],
            )
        assert response is not None
        state.stats.record(name, response.status_code)
        await response(scope, receive, send)


def create_app(stage: StageApi, config: MockConfig | None = None) -> Starlette:
    """A Starlette app serving ``stage`` under ``/{stage}``; state on ``app.state``."""
    if stage.rest:
        from .rest_app import create_rest_app  # the rest styles' mock, beside this one

        return create_rest_app(stage, config or MockConfig())
    state = MockState(stage, config or MockConfig())
    handler = _Handler(state)
    app = Starlette(routes=[StarletteRoute("/{path:path}", handler, methods=_METHODS)])
    app.state.mock = state
    app.state.faults = state.faults
    app.state.stats = state.stats
    app.state.store = state.store
    return app
