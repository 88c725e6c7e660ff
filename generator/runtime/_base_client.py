"""What the sync and async clients share: credentials, request building, parsing, retries.

Nothing here performs I/O; ``_client.py`` and ``_async_client.py`` add the sending
loops, which differ only in ``await``.

Which failures are retried, and only while attempts, retry delay and the call's total
timeout last:

- reads (idempotent routes): 502, 503, 504, the gateway's 429 Too Many Requests,
  connection errors, read errors and timeouts;
- writes (non-idempotent routes): only errors raised before the request left this
  machine (``ConnectError``, ``ConnectTimeout``, ``PoolTimeout``). Any status, and a
  ``ReadError``, ``RemoteProtocolError``, ``ReadTimeout`` or ``WriteError`` (the
  request may have reached the server and been applied), raises after one request;
- never: the quota gateway message (429 Limit Exceeded), other 4xx, and a failed login.

Redirects are never followed (``follow_redirects=False`` on every send, whatever the
injected ``httpx.Client`` says): the API key, the session token and a write's body stay
on the configured origin, and a 3xx raises ``RedirectError``. Every response is read
within the call's deadline and ``max_response_bytes`` (see ``_receive.py``).
"""

from __future__ import annotations

import functools
import logging
import os
import random
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import httpx
import pydantic

from ._config import ApiConfig, ResponseKind, RouteInfo
from ._dates import clamp_range
from ._decode import ACCEPT_ENCODING
from ._error_map import make_status_error
from ._exceptions import (
    APIConnectionError,
    APIErrorResponse,
    APIStatusError,
    APITimeoutError,
    GatewayError,
    MissingCredentialsError,
    ResponseValidationError,
    UsageError,
)
from ._filters import Filters, FilterValues, build_body, collect_filters
from ._hooks import Hooks, ObservedLimiter, RequestEvent
from ._json import floats_are_exact
from ._limits import Clock, LimiterBackend, RateLimiter, SystemClock
from ._pagination import HEADER_PAGINATION
from ._receive import check_max_bytes
from ._redact import Secret, redact, redact_logger, redact_transport_loggers
from ._retry import RetryConfig, RetryState
from ._timeouts import Deadline, Timeouts
from ._token_pair_auth import TokenPair
from ._transport import JSON_TRANSPORT
from ._types import NotGiven, Timeout

if TYPE_CHECKING:
    from ._auth import _TokenState

__all__ = [
    "DEFAULT_TIMEOUT",
    "BaseClient",
    "Hooks",
    "RequestEvent",
    "resolve_timeout",
]

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
_RETRYABLE_STATUS = frozenset({502, 503, 504})
# Errors raised before the request left this machine: safe to retry even for writes.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_MAYBE_SENT = (
    httpx.ReadError,
    httpx.RemoteProtocolError,
    httpx.ReadTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
)

T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)


def resolve_timeout(
    timeout: Timeout | NotGiven, http_client: httpx.Client | httpx.AsyncClient | None
) -> Timeout:
    """The client's timeout: the one given, else an injected client's, else the default.

    An injected ``httpx.Client`` was configured on purpose; replacing its timeout with
    ``DEFAULT_TIMEOUT`` behind the caller's back would be a silent surprise.
    """
    if not isinstance(timeout, NotGiven):
        return timeout
    if http_client is not None:
        return Timeouts.of(http_client.timeout)
    return DEFAULT_TIMEOUT


@functools.lru_cache(maxsize=256)
def _adapter(kind: type[Any]) -> pydantic.TypeAdapter[Any]:
    # Building a TypeAdapter compiles a validator: do it once per response type.
    return pydantic.TypeAdapter(kind)


def _check_header_value(field: str, value: str) -> None:
    """A credential sent in a header must be printable ASCII (else httpx cannot send it)."""
    if not (value.isascii() and value.isprintable()):
        raise UsageError(
            f"{field} must be printable ASCII: it is sent in an HTTP header"
        )


def _loc(error: pydantic.ValidationError) -> str:
    """Pydantic's location of the first error, e.g. ``0.name``; ``body`` for the root."""
    loc = error.errors()[0]["loc"] if error.error_count() else ()
    return ".".join(str(part) for part in loc) or "body"


def _env(name: str | None) -> str | None:
    """The environment variable ``name`` when one is declared and set non-empty."""
    return (os.environ.get(name) or None) if name else None


class _Call:
    """One call's state across its attempts: count, token renewal and both budgets."""

    def __init__(self, timeouts: Timeouts, deadline: Deadline, retry: RetryState):
        self.timeouts = timeouts
        self.deadline = deadline
        self.retry = retry
        self.attempt = 0
        self.renewed = False


class BaseClient(Generic[HttpT]):
    """State and pure helpers shared by ``SyncAPIClient`` and ``AsyncAPIClient``."""

    _http: HttpT
    _tokens: _TokenState | None = None

    def __init__(
        self,
        config: ApiConfig,
        *,
        base_url: str | None,
        api_key: str | None,
        username: str | None,
        password: str | None,
        timeout: Timeout,
        limiter: LimiterBackend | Literal[False] | None,
        retry: RetryConfig | None,
        hooks: Hooks | None,
        clock: Clock | None,
        max_response_bytes: int | None = None,
        tokens: Mapping[str, str | None] | None = None,
    ) -> None:
        self._config = config
        self.base_url = (base_url or config.base_url).rstrip("/")
        # A token-pair API has no api key: its two tokens are the credentials.
        self._pair = (
            TokenPair(config.token_pair, tokens or {}) if config.token_pair else None
        )
        self._api_key = self._key(config, api_key) if self._pair is None else None
        self._username = username or _env(config.username_env)
        password = password or _env(config.password_env)
        self._password = Secret(password) if password is not None else None
        self.timeout = timeout
        self._timeouts = Timeouts.of(timeout)
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._retry = retry if retry is not None else RetryConfig()
        self._hooks = hooks if hooks is not None else Hooks()
        # The default hooks do nothing: then no event is built per attempt (the URL
        # without its query is a parse of the whole URL, a tenth of a small request).
        self._observed = type(self._hooks) is not Hooks
        self._max_bytes = check_max_bytes(max_response_bytes)
        self._log = logging.getLogger(config.name)
        redact_logger(self._log, self)
        redact_transport_loggers(self)
        self._limiter = self._bind_limiter(limiter, self._limit_identity())
        self._rng = random.Random()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, stage={self._config.stage!r})"

    def _bind_limiter(
        self, limiter: LimiterBackend | Literal[False] | None, key: str
    ) -> ObservedLimiter | None:
        """The stage's plan (None), no limiting (False) or the given backend, observed."""
        if limiter is False:
            return None
        if limiter is None:
            limiter = RateLimiter.from_config(self._config.limits, clock=self._clock)
        bound = limiter.bind(self._config.limits, key)
        # A child logger: grants are frequent, so they can be enabled on their own.
        return ObservedLimiter(bound, self._hooks, self._log.getChild("limiter"))

    @property
    def config(self) -> ApiConfig:
        """The stage description this client calls."""
        return self._config

    def _limit_identity(self) -> str:
        """The credential a usage plan is counted on: the api key, or the first token."""
        if self._api_key is not None:
            return self._api_key.get()
        return self._pair.secrets()[0] if self._pair is not None else ""

    @staticmethod
    def _key(config: ApiConfig, api_key: str | None) -> Secret:
        """The api key passed or read from the environment, checked for a header."""
        key = api_key or _env(config.api_key_env)
        if not key:
            hint = (
                f"pass api_key= or set {config.api_key_env}"
                if config.api_key_env
                else ""
            )
            raise MissingCredentialsError("api_key", hint)
        _check_header_value("api_key", key)
        return Secret(key)

    # -- building requests ---------------------------------------------------------

    def _secrets(self) -> list[str]:
        """Every credential this client holds now: key, password and session tokens."""
        values = [self._api_key.get()] if self._api_key is not None else []
        values += self._pair.secrets() if self._pair is not None else []
        if self._password is not None:
            values.append(self._password.get())
        if self._tokens is not None:
            values.extend(self._tokens.secrets())
        return values

    def _credentials(self) -> tuple[str, str]:
        """Username and password for the token route; missing ones fail before sending."""
        if not self._username:
            raise MissingCredentialsError("username", self._needs("username"))
        if self._password is None or not self._password.get():
            raise MissingCredentialsError("password", self._needs("password"))
        return self._username, self._password.get()

    def _needs(self, argument: str) -> str:
        """``the token routes need username= (or set X_USERNAME)``."""
        env = getattr(self._config, f"{argument}_env")
        return f"the token routes need {argument}=" + (
            f" (or set {env})" if env else ""
        )

    def _prepare(
        self,
        route: RouteInfo,
        request_filter: Mapping[str, object] | None,
        route_filter: Mapping[str, object] | None,
        filters: Filters,
    ) -> FilterValues:
        """Validate filters for ``route``; raises a ``UsageError`` before any request."""
        if route.auth == "token" and self._config.token is None:
            raise UsageError(
                f"{route.name} needs a token but the API declares no token route"
            )
        return collect_filters(
            self._config,
            route,
            request_filter=request_filter,
            route_filter=route_filter,
            filters=filters,
        )

    def _page_headers(
        self, route: RouteInfo, page: int | None, size: int | None
    ) -> dict[str, str]:
        """``page`` / ``size`` request headers, size clamped to the route's maximum."""
        return HEADER_PAGINATION.request_headers(self._config, route, page, size)

    def _build_request(
        self,
        route: RouteInfo,
        payload: object,
        *,
        auth: tuple[str, str] | None,
        headers: Mapping[str, str] | None,
        timeout: Timeouts,
    ) -> httpx.Request:
        """One attempt's request: auth headers, user agent, JSON body and timeout."""
        merged = {
            "User-Agent": self._config.user_agent,
            "Accept-Encoding": ACCEPT_ENCODING,
            **(headers or {}),
        }
        if route.auth != "none" and self._api_key is not None:
            merged[self._config.api_key_header or "x-api-key"] = self._api_key.get()
        if route.auth != "none" and self._pair is not None:
            merged.update(self._pair.headers())
        if auth is not None:
            merged[auth[0]] = auth[1]
        return JSON_TRANSPORT.build_request(
            self._http,
            route.method,
            self.base_url + route.path,
            payload,
            headers=merged,
            timeout=timeout.for_attempt(),
        )

    def _body(
        self,
        route: RouteInfo,
        values: FilterValues,
        body: Sequence[pydantic.BaseModel] | None,
    ) -> dict[str, object]:
        """The standardized JSON body of one request."""
        return build_body(self._config, route, values, body)

    def _fallback_range(
        self, route: RouteInfo, values: FilterValues
    ) -> tuple[datetime | None, datetime | None]:
        """The range the server should use when it sends no ``search-range-*`` headers."""
        if route.max_range is None:
            return values.start, values.end
        return clamp_range(
            values.start, values.end, route.max_range, self._clock.utcnow()
        )

    # -- reading responses ---------------------------------------------------------

    def _parse(
        self,
        route: RouteInfo,
        response: httpx.Response,
        cast_to: type[T] | None,
        kind: ResponseKind | None = None,
    ) -> Any:
        """Decode and validate a successful response as ``kind`` (default: the route's)."""
        kind = kind or route.response
        if kind == "none":
            return None
        if kind == "text" and "json" not in response.headers.get("content-type", ""):
            return response.text
        if kind == "text":
            target: Any = str
        elif cast_to is None:
            return self._decode(route, response)
        else:
            target = list[cast_to] if kind == "list" else cast_to  # type: ignore[valid-type]
        content = response.content
        if floats_are_exact(content):
            # One pass in pydantic-core over the raw bytes (the paging hot path). On a
            # failure the exact path below runs again and names the error as before.
            try:
                return _adapter(target).validate_json(content)
            except pydantic.ValidationError:
                pass
        data = self._decode(route, response)
        try:
            return _adapter(target).validate_python(data)
        except pydantic.ValidationError as exc:
            detail = exc.errors()[0]["msg"] if exc.error_count() else "invalid"
            raise ResponseValidationError(
                route.name, field=_loc(exc), response=response, detail=detail
            ) from None

    def _decode(self, route: RouteInfo, response: httpx.Response) -> object:
        """The JSON body as Python data, every fractional number a ``Decimal``."""
        try:
            return JSON_TRANSPORT.decode(response)
        except (ValueError, RecursionError):  # RecursionError: nested too deep
            raise ResponseValidationError(
                route.name,
                field="body",
                response=response,
                detail="body is not valid JSON",
            ) from None

    def _status_error(
        self, route: RouteInfo, response: httpx.Response, token: str | None
    ) -> APIStatusError:
        """Map a non-2xx response; credentials a server echoed are scrubbed everywhere.

        Scrubbed while the exception is built (messages, pointers, pointer names,
        gateway messages), and once more in its args as a last line of defence.
        """
        secrets = [*self._secrets(), *([token] if token else [])]
        error = make_status_error(
            self._config.errors,
            route,
            response,
            scrub=lambda text: redact(text, secrets),
        )
        error.args = tuple(
            redact(arg, secrets) if isinstance(arg, str) else arg for arg in error.args
        )
        return self._pair.explain(error) if self._pair is not None else error

    def _is_expired_token(self, error: APIStatusError, token: str | None) -> bool:
        """A 401 with the expired-token code, for a request that carried a token."""
        token_config = self._config.token
        return (
            token is not None
            and token_config is not None
            and isinstance(error, APIErrorResponse)
            and error.status_code == 401
            and error.code == token_config.expired_code
        )

    # -- retries -------------------------------------------------------------------

    def _retry_state(self) -> RetryState:
        """A fresh retry budget for one call."""
        return RetryState(self._retry, rng=self._rng)

    def _start(self, timeout: Timeout | NotGiven, deadline: Deadline | None) -> _Call:
        """A call's state; a token fetch made for a call passes on its ``deadline``."""
        timeouts = (
            self._timeouts if isinstance(timeout, NotGiven) else Timeouts.of(timeout)
        )
        if deadline is None:
            deadline = Deadline(self._clock, timeouts.total)
        return _Call(timeouts, deadline, self._retry_state())

    def _arm(self, route: RouteInfo, request: httpx.Request, call: _Call) -> None:
        """Cap the attempt's httpx timeouts by the time left; raise if none is left."""
        remaining = call.deadline.check(route.name)
        # Set after the rate limiter's wait, so that wait is already deducted.
        request.extensions["timeout"] = call.timeouts.for_attempt(remaining).as_dict()

    def _renews(self, call: _Call, error: APIStatusError, token: str | None) -> bool:
        """Whether to renew the token and repeat: once per call, on an expired token."""
        if call.renewed or not self._is_expired_token(error, token):
            return False
        call.renewed = True  # a second 401 is a real error
        return True

    def _next_wait(
        self,
        route: RouteInfo,
        call: _Call,
        *,
        error: APIStatusError | None = None,
        exc: httpx.TransportError | None = None,
    ) -> float:
        """Seconds to wait before the next attempt; raises the call's error to give up."""
        if isinstance(exc, httpx.TimeoutException) and call.deadline.expired():
            detail = "while waiting for the response"
            raise call.deadline.error(route.name, detail) from exc
        wait = self._retry_wait(route, call.attempt, call.retry, error=error, exc=exc)
        if wait is None:
            if exc is not None:
                raise self._transport_error(route, exc) from exc
            assert error is not None
            raise error
        if not call.deadline.allows(wait):
            detail = f"instead of a {wait:g}s retry wait"
            raise call.deadline.error(route.name, detail) from (exc or error)
        return wait

    def _retry_wait(
        self,
        route: RouteInfo,
        attempt: int,
        budget: RetryState,
        *,
        error: APIStatusError | None = None,
        exc: httpx.TransportError | None = None,
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None to give up."""
        if exc is not None and not self._retryable_transport(route, exc):
            return None
        if error is not None and not self._retryable_status(route, error):
            return None
        response = error.response if error is not None else None
        return budget.next_delay(attempt, response, now=self._clock.utcnow())

    def _retryable_transport(self, route: RouteInfo, exc: httpx.TransportError) -> bool:
        if isinstance(exc, _NOT_SENT):
            return True
        return route.idempotent and isinstance(exc, _MAYBE_SENT)

    def _retryable_status(self, route: RouteInfo, error: APIStatusError) -> bool:
        if not route.idempotent:
            return False  # bulk writes are atomic server-side but may have been applied
        errors = self._config.errors
        if isinstance(error, GatewayError):
            key = (error.status_code, error.message)
            if key == errors.quota_gateway:
                return False  # the daily quota: retrying only burns tomorrow's budget
            if key in errors.retryable_gateway:
                return True
        return error.status_code in _RETRYABLE_STATUS

    def _scrub_httpx_error(self, exc: httpx.RequestError) -> str:
        """The error's text with every secret masked (its args are masked in place)."""
        secrets = self._secrets()
        # The httpx error stays attached as __cause__, so its own text is scrubbed too.
        exc.args = tuple(
            redact(arg, secrets) if isinstance(arg, str) else arg for arg in exc.args
        )
        return redact(f"{type(exc).__name__}: {exc}", secrets)

    def _transport_error(
        self, route: RouteInfo, exc: httpx.TransportError
    ) -> APIConnectionError:
        """Map an httpx transport error, with any secret scrubbed from its text."""
        text = self._scrub_httpx_error(exc)
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(route.name, text)
        return APIConnectionError(route.name, text)

    def _request_error(
        self, route: RouteInfo, exc: httpx.RequestError
    ) -> ResponseValidationError | APIConnectionError:
        """Map any other httpx request error; an undecodable body is a bad response."""
        text = self._scrub_httpx_error(exc)
        if isinstance(exc, httpx.DecodingError):
            return ResponseValidationError(
                route.name, field="body", detail=f"body could not be decoded ({text})"
            )
        return APIConnectionError(route.name, text)

    def _check_open(self, route: RouteInfo) -> None:
        """Fail with a clear error instead of httpx's RuntimeError on a closed client."""
        if self._http.is_closed:
            raise UsageError(
                f"{route.name}: the client is closed; create a new client to send "
                "more requests"
            )

    # -- observing -----------------------------------------------------------------

    def _event(
        self, route: RouteInfo, request: httpx.Request, attempt: int, **extra: Any
    ) -> RequestEvent:
        url = str(request.url.copy_with(query=None))
        return RequestEvent(route.name, route.method, url, attempt, **extra)

    def _log_response(self, route: RouteInfo, status: int | str, attempt: int) -> None:
        """One DEBUG record per attempt: its status, or the transport error's name."""
        self._log.debug(
            "%s %s -> %s (attempt %d)", route.method, route.path, status, attempt
        )

    def _log_retry(
        self, route: RouteInfo, reason: str, wait: float, attempt: int
    ) -> None:
        self._log.info(
            "%s %s: %s; retrying in %.2fs (attempt %d)",
            route.method,
            route.path,
            reason,
            wait,
            attempt + 1,
        )
