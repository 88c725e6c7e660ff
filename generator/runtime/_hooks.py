"""Observing a client: the events hooks receive for each attempt, retry wait and limiter grant."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._config import RouteInfo
    from ._limits import Grant, Limiter

__all__ = ["Hooks", "LimitEvent", "ObservedLimiter", "RequestEvent"]


@dataclass(frozen=True, slots=True)
class RequestEvent:
    """What a hook learns about one attempt; never headers or bodies."""

    route: str
    method: str
    url: str  # without the query string
    attempt: int
    status: int | None = None
    elapsed: float | None = None  # seconds from send to response
    wait: float | None = None  # seconds before the next attempt (on_retry only)


@dataclass(frozen=True, slots=True)
class LimitEvent:
    """What a hook learns about one usage-plan grant (one per attempt sent)."""

    route: str
    wait: float  # seconds the attempt waited for the limiter
    remaining: int | None  # requests left today after this one (None: no quota)
    shared: bool  # counted in a store shared with other processes (Redis)
    notice: str | None = None  # a fallback or lost shared state, also logged as WARNING


class Hooks:
    """Observer of requests; subclass and override what you need (all no-ops here)."""

    def on_request(self, event: RequestEvent) -> None:
        """Called before each attempt is sent."""

    def on_response(self, event: RequestEvent) -> None:
        """Called when an attempt got a response (any status)."""

    def on_retry(self, event: RequestEvent) -> None:
        """Called before waiting ``event.wait`` seconds for the next attempt."""

    def on_limit(self, event: LimitEvent) -> None:
        """Called when the usage-plan limiter granted an attempt, after its wait."""


class ObservedLimiter:
    """A bound limiter whose every grant goes to the client's hooks and logger.

    Records go to the client's logger's ``limiter`` child (``<api name>.limiter``):
    DEBUG for each grant's wait and remaining quota; WARNING for a grant's notice (a
    shared limiter falling back to its local share, or finding its state lost).
    """

    def __init__(self, inner: Limiter, hooks: Hooks, log: logging.Logger) -> None:
        self.inner = inner
        self._hooks = hooks
        self._log = log

    def acquire(
        self, route: RouteInfo | None = None, timeout: float | None = None
    ) -> Grant:
        """Acquire from the inner limiter and report the grant."""
        return self._report(route, self.inner.acquire(route, timeout))

    async def aacquire(
        self, route: RouteInfo | None = None, timeout: float | None = None
    ) -> Grant:
        """Async ``acquire``."""
        return self._report(route, await self.inner.aacquire(route, timeout))

    def _report(self, route: RouteInfo | None, grant: Grant) -> Grant:
        name = route.name if route is not None else "-"
        if grant.notice is not None:
            self._log.warning("%s: rate limiter: %s", name, grant.notice)
        left = (
            "no quota" if grant.remaining is None else f"{grant.remaining} left today"
        )
        where = "shared" if grant.shared else "local"
        self._log.debug(
            "%s: %s rate limiter waited %.3fs, %s", name, where, grant.wait, left
        )
        self._hooks.on_limit(
            LimitEvent(name, grant.wait, grant.remaining, grant.shared, grant.notice)
        )
        return grant
