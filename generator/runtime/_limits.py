"""Client-side usage plan: a token bucket, a daily quota and per-route minimum intervals.

The vendor's gateway answers 429 once the plan is exceeded; pacing calls here keeps a
client under the plan and turns a spent quota into a clear ``QuotaExhausted`` before a
request is wasted. Every method is safe across threads and asyncio tasks, so one
``RateLimiter`` may be shared by several clients that use the same API key.

How waiting works: a caller takes the lock, *reserves* its slot (a token, possibly
borrowed from the future, which leaves the bucket negative) and computes how long it
must wait, then sleeps outside the lock. Later callers see the debt and queue behind
it, so grant times never bunch up, and the async path needs no ``asyncio.Lock``
because nothing awaits while the lock is held.

Backends: a client takes any ``LimiterBackend`` (``limiter=``) and binds it to its
API key and usage plan; the bound ``Limiter`` is what every call acquires from.
``RateLimiter`` is the in-process backend (it binds to itself); ``RedisLimiter``
(``_redis_limiter.py``) keeps one key's bucket and quota in Redis for a whole fleet of
processes. Every grant is reported as a ``Grant`` (wait, remaining quota), which the
client passes to ``Hooks.on_limit`` and its logger.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    pass

from ._config import LimitsConfig, RouteInfo
from ._exceptions import APITimeoutError, QuotaExhausted

__all__ = [
    "Clock",
    "Grant",
    "Limiter",
    "LimiterBackend",
    "RateLimiter",
    "Reservation",
    "SystemClock",
    "check_deadline",
    "client_plan",
]


@dataclass(frozen=True, slots=True)
class Grant:
    """What one acquire cost and left: reported to hooks and the client's log."""

    wait: float  # seconds the caller waited for the limiter
    remaining: int | None  # requests left today after this one (None: no quota)
    shared: bool = False  # counted in a store shared by other processes
    notice: str | None = None  # a change worth a WARNING (fallback, lost shared state)


@dataclass(frozen=True, slots=True)
class Reservation:
    """One step of an acquire: wait ``wait`` seconds, then send if ``granted``."""

    wait: float
    granted: bool
    remaining: int | None = None
    shared: bool = False  # decided by a store shared with other processes
    notice: str | None = None  # see ``Grant.notice``


class Limiter(Protocol):
    """A usage plan bound to one API key: every call of a client acquires from it."""

    def acquire(
        self, route: RouteInfo | None = None, timeout: float | None = None
    ) -> Grant:
        """Block until a call may be sent; raise ``QuotaExhausted`` when the quota is spent.

        A wait longer than ``timeout`` (the call's time left) raises ``APITimeoutError``.
        """
        ...

    async def aacquire(
        self, route: RouteInfo | None = None, timeout: float | None = None
    ) -> Grant:
        """Async ``acquire``."""
        ...


class LimiterBackend(Protocol):
    """What ``limiter=`` takes: binds itself to a client's API key and usage plan."""

    def bind(self, limits: LimitsConfig, api_key: str) -> Limiter:
        """The limiter a client with ``api_key`` and the plan ``limits`` acquires from."""
        ...


class Clock(Protocol):
    """Time source of a limiter; tests inject a fake one that never really sleeps."""

    def now(self) -> float:
        """Monotonic seconds, used for pacing."""
        ...

    def utcnow(self) -> datetime:
        """Aware UTC wall-clock time, used for the daily quota."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block the calling thread."""
        ...

    async def asleep(self, seconds: float) -> None:
        """Suspend the calling task."""
        ...


class SystemClock:
    """The real clock: ``time.monotonic``, ``datetime.now(UTC)`` and real sleeps."""

    def now(self) -> float:
        """Monotonic seconds."""
        return time.monotonic()

    def utcnow(self) -> datetime:
        """Aware UTC wall-clock time."""
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        """Block the calling thread for ``seconds``."""
        time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        """Suspend the calling task for ``seconds``."""
        import asyncio  # here: a sync-only program never imports asyncio

        await asyncio.sleep(seconds)


def client_plan(
    limits: LimitsConfig, headroom: float = 0.1
) -> tuple[float, int, int | None]:
    """Rate, burst and quota a client paces itself by, for the server's plan ``limits``.

    The burst keeps ``headroom`` seconds of rate below the server's bucket: requests
    reach the gateway with jitter, and one arriving a few ms early against an exactly
    matched bucket gets a 429. 100 ms (2 requests at 20/s) absorbs one process's.
    """
    if limits.quota is not None and limits.quota_period != timedelta(days=1):
        # The vendor counts per UTC day; another period would be silently wrong.
        raise ValueError(f"only a daily quota is supported, got {limits.quota_period}")
    spare = min(limits.burst - 1, math.ceil(limits.rate * headroom))
    return limits.rate, limits.burst - spare, limits.quota


def _next_utc_midnight(day: date) -> datetime:
    """The instant the quota of ``day`` resets."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=UTC)


class RateLimiter:
    """Token bucket (``burst`` capacity, refilled at ``rate``/s, starting full) plus quota.

    ``quota`` counts calls per UTC calendar day (None: unlimited). A route whose
    ``RouteInfo.min_interval`` is set is also spaced at least that far from its own
    previous call.
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        quota: int | None = None,
        *,
        clock: Clock | None = None,
    ) -> None:
        if not (rate > 0 and math.isfinite(rate)):
            raise ValueError(
                f"rate must be a positive number of requests per second, got {rate!r}"
            )
        if burst < 1:
            raise ValueError(f"burst must be at least 1 request, got {burst!r}")
        if quota is not None and quota < 1:
            raise ValueError(
                f"quota must be at least 1 request per day or None, got {quota!r}"
            )
        self._rate = float(rate)
        self._burst = burst
        self._quota = quota
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._lock = threading.Lock()
        self._tokens = float(
            burst
        )  # may go negative: reservations borrowed from the future
        self._updated = self._clock.now()
        self._day = self._clock.utcnow().date()
        self._used = 0
        self._route_next: dict[str, float] = {}  # route name -> earliest next call

    @classmethod
    def from_config(
        cls, limits: LimitsConfig, clock: Clock | None = None
    ) -> RateLimiter:
        """Build the limiter of a stage's usage plan (see ``client_plan``)."""
        rate, burst, quota = client_plan(limits)
        return cls(rate, burst, quota, clock=clock)

    def bind(self, limits: LimitsConfig, api_key: str) -> RateLimiter:
        """Itself: an in-process limiter already holds its numbers and serves one key."""
        return self

    @property
    def rate(self) -> float:
        """Requests per second refilled into the bucket."""
        return self._rate

    @property
    def burst(self) -> int:
        """Bucket capacity."""
        return self._burst

    @property
    def quota(self) -> int | None:
        """Requests allowed per UTC day (None: unlimited)."""
        return self._quota

    @property
    def remaining_quota(self) -> int | None:
        """Requests left today (None when there is no quota)."""
        with self._lock:
            self._roll_day()
            return None if self._quota is None else self._quota - self._used

    def acquire(
        self, route: RouteInfo | None = None, timeout: float | None = None
    ) -> Grant:
        """Block until a call may be sent; raise ``QuotaExhausted`` if today's quota is spent.

        ``timeout`` (a call's time left, None: no limit) caps the wait: a longer one
        raises ``APITimeoutError`` at once, without sleeping or reserving a token.
        """
        ends = None if timeout is None else self._clock.now() + timeout
        waited = 0.0
        while True:
            step = self.reserve(route, ends)
            if step.wait > 0:
                self._clock.sleep(step.wait)
                waited += step.wait
            if step.granted:
                return Grant(waited, step.remaining)

    async def aacquire(
        self, route: RouteInfo | None = None, timeout: float | None = None
    ) -> Grant:
        """Async ``acquire``: the same reservation, waiting with ``asleep``."""
        ends = None if timeout is None else self._clock.now() + timeout
        waited = 0.0
        while True:
            step = self.reserve(route, ends)
            if step.wait > 0:
                await self._clock.asleep(step.wait)
                waited += step.wait
            if step.granted:
                return Grant(waited, step.remaining)

    def reserve(
        self, route: RouteInfo | None = None, ends: float | None = None
    ) -> Reservation:
        """Under the lock: check the quota, then reserve a token or report the route wait.

        When the result is not ``granted`` the route is not ready yet: nothing was
        reserved, so the bucket is not held hostage by a slow route, and the caller
        retries after ``wait``. A granted reservation must be waited out, then sent.
        """
        with self._lock:
            self._roll_day()
            if self._quota is not None and self._used >= self._quota:
                raise QuotaExhausted(_next_utc_midnight(self._day), quota=self._quota)
            now = self._clock.now()
            interval = _min_interval(route)
            if route is not None and interval > 0:
                ready = self._route_next.get(route.name, now)
                if ready > now:
                    check_deadline(route, ready - now, ends, now)
                    return Reservation(ready - now, False)
            check_deadline(route, self._token_wait(now), ends, now)
            wait = self._take_token(now)
            self._used += 1
            if route is not None and interval > 0:
                # Spaced from the grant time, not the reservation time.
                self._route_next[route.name] = now + wait + interval
            left = None if self._quota is None else self._quota - self._used
            return Reservation(wait, True, left)

    def _token_wait(self, now: float) -> float:
        """How long the next token is away, without taking it."""
        elapsed = max(0.0, now - self._updated)
        tokens = min(float(self._burst), self._tokens + elapsed * self._rate)
        return max(0.0, (1.0 - tokens) / self._rate)

    def _take_token(self, now: float) -> float:
        """Refill, debit one token and return how long until that token exists."""
        elapsed = max(0.0, now - self._updated)  # guard against a clock that steps back
        self._tokens = min(float(self._burst), self._tokens + elapsed * self._rate)
        self._updated = now
        self._tokens -= 1.0
        return max(0.0, -self._tokens / self._rate)

    def _roll_day(self) -> None:
        """Start a fresh quota count when the UTC date has changed."""
        today = self._clock.utcnow().date()
        if today != self._day:
            self._day = today
            self._used = 0

    def __repr__(self) -> str:
        return f"RateLimiter(rate={self._rate!r}, burst={self._burst!r}, quota={self._quota!r})"


def check_deadline(
    route: RouteInfo | None, wait: float, ends: float | None, now: float
) -> None:
    """Raise before a wait that would end after ``ends`` (a call's deadline)."""
    if ends is not None and wait > 0 and now + wait > ends:
        name = route.name if route is not None else "rate limiter"
        left = max(0.0, ends - now)
        raise APITimeoutError(
            name, f"the rate limit needs a {wait:.3g}s wait, only {left:.3g}s are left"
        )


def _min_interval(route: RouteInfo | None) -> float:
    """The route's minimum spacing in seconds (0 when it has none)."""
    if route is None or route.min_interval is None:
        return 0.0
    return max(0.0, route.min_interval.total_seconds())
