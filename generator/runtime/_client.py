"""The synchronous client core that generated ``Client`` classes subclass."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Literal, Self, TypeVar

import httpx
import pydantic

from ._auth import SyncTokenCache, token_route
from ._base_client import BaseClient, Hooks, _Call, resolve_timeout
from ._config import ApiConfig, RouteInfo
from ._exceptions import UsageError
from ._filters import Filters, FilterValues
from ._limits import Clock, LimiterBackend
from ._pagination import Page, make_page
from ._receive import cap_stream_trace, collect_body, reads_within
from ._retry import RetryConfig
from ._timeouts import Deadline
from ._types import NOT_GIVEN, NotGiven, Timeout
from ._walk import Walk, plan_walks

__all__ = ["SyncAPIClient"]

T = TypeVar("T")


class SyncAPIClient(BaseClient[httpx.Client]):
    """Sends requests for one API stage over an ``httpx.Client``; safe to share by threads.

    ``timeout`` (here, and per call on every route method) takes seconds, an
    ``httpx.Timeout`` or ``Timeouts(connect=10, read=30, total=None)``. ``total`` bounds
    a whole call: its token fetch, rate-limit waits, every attempt and every retry
    wait. Each attempt's httpx timeouts are cut to the time left, a retry wait that
    would cross the deadline is not taken, and the call raises ``APITimeoutError``
    naming the route. Per-call values replace the client's.

    Which timeout the client uses, first match wins: the ``timeout`` passed here; else
    the timeout of the injected ``http_client`` (kept as configured); else
    ``DEFAULT_TIMEOUT`` (connect 10 s, read/write/pool 30 s).

    ``max_response_bytes`` (default 64 MiB, counted after decompression) caps every
    response body; a longer one raises ``ResponseTooLargeError``. Redirects are never
    followed (a 3xx raises ``RedirectError``), so credentials stay on ``base_url``'s
    origin even with an injected ``httpx.Client(follow_redirects=True)``.

    ``limiter``: None builds the stage's usage plan, ``False`` turns limiting off, and
    one ``RateLimiter`` may be shared by clients that use the same API key;
    ``RedisLimiter.from_url("redis://…")`` shares the plan across processes. Records go
    to the logger named ``config.name`` (DEBUG per attempt, INFO per retry wait) with
    every live client's key, password and tokens masked.
    """

    _tokens: SyncTokenCache | None

    def __init__(
        self,
        config: ApiConfig,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        http_client: httpx.Client | None = None,
        limiter: LimiterBackend | Literal[False] | None = None,
        retry: RetryConfig | None = None,
        hooks: Hooks | None = None,
        clock: Clock | None = None,
        max_response_bytes: int | None = None,
        tokens: Mapping[str, str | None] | None = None,
    ) -> None:
        super().__init__(
            config,
            base_url=base_url,
            api_key=api_key,
            username=username,
            password=password,
            timeout=resolve_timeout(timeout, http_client),
            limiter=limiter,
            retry=retry,
            hooks=hooks,
            clock=clock,
            max_response_bytes=max_response_bytes,
            tokens=tokens,
        )
        self._owns_http = http_client is None
        self._http = (
            http_client
            if http_client is not None
            else httpx.Client(timeout=self._timeouts.for_attempt())
        )
        self._tokens = (
            SyncTokenCache(config.token, self._clock) if config.token else None
        )

    def close(self) -> None:
        """Close the HTTP client if this client created it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- used by generated resources -------------------------------------------------

    def _request(
        self,
        route: RouteInfo,
        *,
        request_filter: Mapping[str, object] | None = None,
        route_filter: Mapping[str, object] | None = None,
        filters: Filters = None,
        body: Sequence[pydantic.BaseModel] | None = None,
        cast_to: type[T] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Any:
        """Call ``route`` once and return its parsed body (list, object, text or None)."""
        values = self._prepare(route, request_filter, route_filter, filters)
        response = self._send(route, self._body(route, values, body), timeout=timeout)
        return self._parse(route, response, cast_to)

    def _get_page(
        self,
        route: RouteInfo,
        item_type: type[T],
        *,
        request_filter: Mapping[str, object] | None = None,
        route_filter: Mapping[str, object] | None = None,
        filters: Filters = None,
        page: int | None = None,
        size: int | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Page[T]:
        """Fetch one page of a paged route."""
        values = self._prepare(route, request_filter, route_filter, filters)
        headers = self._page_headers(route, page, size)
        return self._fetch_page(route, item_type, values, headers, timeout)

    def _iterate(
        self,
        route: RouteInfo,
        item_type: type[T],
        *,
        request_filter: Mapping[str, object] | None = None,
        route_filter: Mapping[str, object] | None = None,
        filters: Filters = None,
        size: int | None = None,
        split_range: bool = True,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Iterator[T]:
        """Iterate every record across pages (and range windows), fetching lazily.

        ``split_range`` (default True) walks a range longer than the route's
        ``max_range`` in windows and raises if the server clamps one; False sends the
        range as given and lets the server clamp it. See ``_walk.py``. Arguments are
        checked now, so a bad call fails here rather than on first use.
        """
        values = self._prepare(route, request_filter, route_filter, filters)
        self._page_headers(route, None, size)
        plan = plan_walks(self._config, route, values, split_range)
        return self._walk(route, item_type, plan, size, timeout)

    def _authenticate(self, cast_to: type[T]) -> T:
        """Log in now through the token route, cache the new token and return its body."""
        if self._tokens is None:
            raise UsageError("this API declares no token route")
        response = self._fetch_token()
        self._tokens.store(response)
        route = token_route(self._tokens.config)
        parsed: T = self._parse(route, response, cast_to, "object")
        return parsed

    # -- internals -------------------------------------------------------------------

    def _walk(
        self,
        route: RouteInfo,
        item_type: type[T],
        plan: list[Walk],
        size: int | None,
        timeout: Timeout | NotGiven,
    ) -> Iterator[T]:
        for walk in plan:
            while True:
                headers = self._page_headers(route, walk.page_no, size)
                page = self._fetch_page(route, item_type, walk.values, headers, timeout)
                walk.check(page)
                yield from page.items
                if not walk.advance(page):
                    break

    def _fetch_page(
        self,
        route: RouteInfo,
        item_type: type[T],
        values: FilterValues,
        headers: dict[str, str],
        timeout: Timeout | NotGiven,
    ) -> Page[T]:
        payload = self._body(route, values, None)
        # Clamped before sending: the server clamps to its "now" when it receives the
        # request, not when the response has arrived.
        fallback = self._fallback_range(route, values)
        response = self._send(route, payload, headers=headers, timeout=timeout)
        items: list[T] = self._parse(route, response, item_type, "list")
        asked = (values.start, values.end)
        return make_page(self._config, route, response, items, fallback, asked)

    def _auth(
        self, route: RouteInfo, call: _Call
    ) -> tuple[str | None, tuple[str, str] | None]:
        """The token a route needs (fetched or cached) and the header that carries it."""
        if route.auth != "token" or self._tokens is None:
            return None, None
        token = self._tokens.get(lambda: self._fetch_token(call))
        return token, self._tokens.header(token)

    def _forget(self, token: str) -> None:
        if self._tokens is not None:
            self._tokens.invalidate(token)

    def _fetch_token(self, call: _Call | None = None) -> httpx.Response:
        """Log in; a login made for a call shares that call's timeouts and deadline."""
        assert self._tokens is not None
        login = self._tokens.login_body(*self._credentials())
        route = token_route(self._tokens.config)
        if call is None:
            return self._send(route, login)
        return self._send(route, login, timeout=call.timeouts, deadline=call.deadline)

    def _send(
        self,
        route: RouteInfo,
        payload: object,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        deadline: Deadline | None = None,
    ) -> httpx.Response:
        """Send with rate limiting, retries and one token renewal; return a 2xx response."""
        self._check_open(route)
        call = self._start(timeout, deadline)
        while True:
            call.attempt += 1
            token, auth = self._auth(route, call)
            request = self._build_request(
                route, payload, auth=auth, headers=headers, timeout=call.timeouts
            )
            try:
                response = self._attempt(route, request, call)
            except httpx.TransportError as exc:
                self._log_response(route, type(exc).__name__, call.attempt)
                wait = self._next_wait(route, call, exc=exc)
                self._pause(route, request, call.attempt, wait, type(exc).__name__)
                continue
            except httpx.RequestError as exc:
                # Not a transport failure (an undecodable body, too many redirects):
                # repeating the request would fail the same way.
                self._log_response(route, type(exc).__name__, call.attempt)
                raise self._request_error(route, exc) from exc
            if response.is_success:
                return response
            error = self._status_error(route, response, token)
            if token and self._renews(call, error, token):
                self._forget(token)
                continue
            wait = self._next_wait(route, call, error=error)
            self._pause(route, request, call.attempt, wait, f"HTTP {error.status_code}")

    def _attempt(
        self, route: RouteInfo, request: httpx.Request, call: _Call
    ) -> httpx.Response:
        if self._limiter is not None:
            self._limiter.acquire(route, call.deadline.remaining())
        self._arm(route, request, call)
        request.extensions["trace"] = cap_stream_trace
        if self._observed:
            self._hooks.on_request(self._event(route, request, call.attempt))
        started = self._clock.now()
        with reads_within(call.deadline):
            # Never follow a redirect: credentials must not reach another origin.
            response = self._http.send(request, stream=True, follow_redirects=False)
            try:
                collect_body(response, self._max_bytes, call.deadline, route.name)
            finally:
                response.close()
        elapsed = self._clock.now() - started
        status = response.status_code
        if self._observed:
            self._hooks.on_response(
                self._event(
                    route, request, call.attempt, status=status, elapsed=elapsed
                )
            )
        self._log_response(route, status, call.attempt)
        return response

    def _pause(
        self,
        route: RouteInfo,
        request: httpx.Request,
        attempt: int,
        wait: float,
        reason: str,
    ) -> None:
        if self._observed:
            self._hooks.on_retry(self._event(route, request, attempt, wait=wait))
        self._log_retry(route, reason, wait, attempt)
        self._clock.sleep(wait)
