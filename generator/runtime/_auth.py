"""Auth styles (``AuthStyle``); today's is key plus a session token, cached here.

The token is fetched lazily, shared by concurrent callers and renewed early.

The client owns the HTTP call; this module owns when to make it and what to keep.
A token is identified by its value, so when several callers see the same expired
token answered with 401 only the first invalidation drops it and one renewal serves all.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import httpx

if TYPE_CHECKING:
    import asyncio

from ._config import RouteInfo, TokenConfig
from ._exceptions import ResponseValidationError
from ._limits import Clock

__all__ = ["AsyncTokenCache", "AuthStyle", "SyncTokenCache", "token_route"]


def token_route(config: TokenConfig) -> RouteInfo:
    """The route that exchanges username and password for a token."""
    return RouteInfo(
        name="authenticate",
        method="POST",
        path=config.path,
        auth="key",
        response="object",
        idempotent=True,  # a login creates nothing: safe to repeat
    )


@runtime_checkable
class AuthStyle(Protocol):
    """What a client needs from an auth style besides the API key header.

    Today's one style is key plus session token: the token caches below (``_TokenState``
    and its sync and async locks) log in through the token route and send the token in
    one header. Another style (say, a token pair sent in headers, no token route) is
    one more class in this module.
    """

    def secrets(self) -> list[str]:
        """Every credential the style may still see in a request, response or log."""
        ...

    def current(self) -> str | None:
        """The credential to send now; ``None`` when it must be fetched first."""
        ...

    def header(self, token: str) -> tuple[str, str]:
        """The request header that carries ``token``."""
        ...

    def store(self, response: httpx.Response) -> str:
        """Read a new credential from the response of the style's login request."""
        ...

    def invalidate(self, token: str) -> None:
        """Forget ``token`` after the server rejected it."""
        ...


class _TokenState:
    """What both caches share: the token, its expiry and how to read and send it."""

    def __init__(self, config: TokenConfig, clock: Clock) -> None:
        self.config = config
        self._clock = clock
        self._token: str | None = None
        self._expires_at: datetime | None = None
        # The token replaced last: requests still in flight may carry it, so it stays
        # a secret to redact even after it was dropped.
        self._previous: str | None = None

    def secrets(self) -> list[str]:
        """Every token this cache may still see in a request, response or log."""
        return [t for t in (self._token, self._previous) if t]

    def current(self) -> str | None:
        """The cached token, or None when there is none or it is due for renewal."""
        if self._token is None or self._expires_at is None:
            return None
        if self._clock.utcnow() >= self._expires_at - self.config.renew_before:
            return None
        return self._token

    def invalidate(self, token: str) -> None:
        """Drop ``token`` if it is still the cached one (a newer one is kept)."""
        if self._token == token:
            self._previous = token
            self._token = None
            self._expires_at = None

    def login_body(self, username: str, password: str) -> dict[str, str]:
        """The authentication request body."""
        return {
            self.config.username_field: username,
            self.config.password_field: password,
        }

    def header(self, token: str) -> tuple[str, str]:
        """The request header that carries ``token``."""
        scheme = self.config.scheme
        return self.config.header, f"{scheme} {token}" if scheme else token

    def store(self, response: httpx.Response) -> str:
        """Read token and expiry from a successful authentication response."""
        route = token_route(self.config).name
        try:
            data: object = response.json()
        except (ValueError, RecursionError):
            raise ResponseValidationError(
                route, field=None, response=response, detail="body is not JSON"
            ) from None
        token = data.get(self.config.token_field) if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise ResponseValidationError(
                route,
                field=self.config.token_field,
                response=response,
                detail="no token",
            )
        if not (token.isascii() and token.isprintable()) or token != token.strip():
            # It goes back in a request header: httpx cannot send anything else, and
            # surrounding spaces would be stripped on the way (" " is no token at all).
            raise ResponseValidationError(
                route,
                field=self.config.token_field,
                response=response,
                detail="token is not printable ASCII without surrounding spaces",
            )
        if self._token is not None and self._token != token:
            self._previous = self._token
        self._token = token
        self._expires_at = self._expiry(data)
        return token

    def _expiry(self, data: object) -> datetime:
        """The expiry in the body (interpreted as UTC), else now + lifetime."""
        field, fmt = self.config.expires_field, self.config.expires_format
        raw = data.get(field) if isinstance(data, dict) and field else None
        if isinstance(raw, str) and fmt:
            try:
                expires = datetime.strptime(raw.strip(), fmt).replace(tzinfo=UTC)
                _ = expires - self.config.renew_before  # must not overflow in current()
                return expires
            except (ValueError, OverflowError):
                pass  # an unreadable expiry is not fatal: the lifetime is a safe guess
        return self._clock.utcnow() + self.config.lifetime


class SyncTokenCache(_TokenState):
    """Token cache for threads: one renewal at a time under a ``threading.Lock``."""

    def __init__(self, config: TokenConfig, clock: Clock) -> None:
        super().__init__(config, clock)
        self._lock = threading.Lock()

    def get(self, fetch: Callable[[], httpx.Response]) -> str:
        """The cached token, fetching a new one with ``fetch`` when needed."""
        token = self.current()
        if token is not None:
            return token
        with self._lock:
            # Another thread may have renewed while this one waited for the lock.
            token = self.current()
            if token is not None:
                return token
            return self.store(fetch())


class AsyncTokenCache(_TokenState):
    """Token cache for tasks: one renewal at a time under an ``asyncio.Lock``."""

    def __init__(self, config: TokenConfig, clock: Clock) -> None:
        super().__init__(config, clock)
        # One lock per event loop, created on first use: an asyncio.Lock is bound to
        # the loop it first waits on, and a client may outlive one ``asyncio.run``.
        self._locks: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, asyncio.Lock
        ] = weakref.WeakKeyDictionary()

    async def get(self, fetch: Callable[[], Awaitable[httpx.Response]]) -> str:
        """The cached token, fetching a new one with ``fetch`` when needed."""
        token = self.current()
        if token is not None:
            return token
        import asyncio  # here: a sync-only program never imports asyncio

        lock = self._locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
        async with lock:
            token = self.current()
            if token is not None:
                return token
            return self.store(await fetch())
