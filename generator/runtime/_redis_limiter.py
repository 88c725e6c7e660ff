"""One API key's usage plan shared by a fleet of processes, kept in Redis.

The plan belongs to the key, not to a process: four workers with in-process limiters
send four times the allowed rate. ``RedisLimiter`` keeps the token bucket and the daily
quota of each key in one Redis hash, updated by one server-side Lua script, so a grant
is atomic across every process and host. The script reads Redis's ``TIME`` for the
refill and for the UTC day, so the workers' clocks never matter. Keys are named by a
fingerprint of the API key (a SHA-256 prefix), never the key itself::

    limiter = RedisLimiter.from_url("redis://cache:6379/0")   # pip install <package>[redis]
    client = Client(api_key=KEY, limiter=limiter)             # AsyncClient takes it too

A grant reserves a slot (possibly in the future, leaving the bucket in debt) and the
caller sleeps until it, exactly like the in-process ``RateLimiter``. The ``redis``
package is imported lazily: without it the generated package still imports and
type-checks, and only building a ``RedisLimiter`` asks for it.

When Redis is unreachable (``on_failure``):

- ``"local"`` (default): each process paces itself by its share of the plan: rate,
  burst and today's remaining quota divided by the number of processes seen using the
  key in the last minute (or ``fleet_size`` if larger), retrying Redis every
  ``retry_interval`` seconds. Grants made meanwhile are added to the shared count when
  Redis is back. A process that never reached Redis and has no ``fleet_size`` cannot
  size its share, and fails closed.
- ``"raise"``: fail closed with ``LimiterUnavailable``; nothing is sent.

When Redis restarts: with AOF persistence (``appendonly yes``, ``appendfsync
everysec``, recommended) it loses at most the last second of updates. Each process
remembers the newest state it saw; when the state is missing or older than that, the
script restores today's count to the highest count any process reports, adds one
second of rate as a margin (once), empties the bucket (the vendor's may be empty),
and the grant carries a notice the client logs as a WARNING. So a restart costs at
most a second's tokens and the quota is never overrun silently. Only a restart
without persistence *and* without any surviving process loses the count; the
vendor's 429 Limit Exceeded is then raised (never retried), not hidden.
"""

from __future__ import annotations

import hashlib
import importlib
import math
import threading
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import asyncio

from ._config import LimitsConfig, RouteInfo
from ._exceptions import LimiterUnavailable, QuotaExhausted, UsageError
from ._limits import (
    Clock,
    Grant,
    RateLimiter,
    Reservation,
    SystemClock,
    _min_interval,
    check_deadline,
    client_plan,
)

__all__ = ["FailurePolicy", "RedisLimiter", "SharedLimiter"]

FailurePolicy = Literal["local", "raise"]

_DAY_US = 86_400_000_000
_TTL_MS = 2 * 86_400_000  # an idle key's state outlives its day, then goes
_EXTRA = 9  # index of ARGV[10], the local share's unreported grants, in the arguments

# KEYS[1]: the plan hash, KEYS[2]: the fleet (zset of process ids by last call; one
#   not heard from for a minute has left).
# ARGV: rate, burst, quota (0: none), route field ('' : none), route interval (us),
#   process id, newest state time this process saw (us, 0: never), its day and count,
#   grants made by its local share while Redis was unreachable, restart margin, ttl.
# Returns {status (1 granted, 0 route not ready, -1 quota spent), wait (us), count
#   today, Redis time (us), fleet size, 1 if the state was found lost or rewound}.
_SCRIPT = """
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local day = math.floor(tonumber(t[1]) / 86400)
local rate, burst, quota = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local route, interval = ARGV[4], tonumber(ARGV[5])
local seen, seen_day, seen_used = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local s = redis.call('HMGET', KEYS[1], 'tokens', 'ts', 'day', 'used', 'born', 'healed')
local tokens, ts, sday, used = tonumber(s[1]), tonumber(s[2]), tonumber(s[3]), tonumber(s[4])
local born, healed = tonumber(s[5]), tonumber(s[6])
if tokens == nil or ts == nil then
  tokens, ts, sday, used, born, healed = burst, now, day, 0, now, 0
end
local lost = 0
if seen > 0 and (ts < seen or born > seen) then
  lost = 1
  if ts < seen then born = now end
  tokens = math.min(tokens, 0)
  if now > ts then ts = now end
end
if sday ~= day then sday, used = day, 0 end
if seen_day == day and seen_used > used then used = seen_used end
if lost == 1 and healed ~= born then
  if quota > 0 then used = used + tonumber(ARGV[11]) end
  healed = born
end
used = used + tonumber(ARGV[10])
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate / 1000000)
  ts = now
end
redis.call('ZADD', KEYS[2], now, ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 60000000)
redis.call('PEXPIRE', KEYS[2], ARGV[12])
local fleet = redis.call('ZCARD', KEYS[2])
local status, wait = 1, 0
local ready = 0
if interval > 0 then ready = tonumber(redis.call('HGET', KEYS[1], route) or '0') end
if quota > 0 and used >= quota then
  status = -1
elseif ready > now then
  status, wait = 0, ready - now
else
  tokens = tokens - 1
  if tokens < 0 then wait = math.ceil(-tokens * 1000000 / rate) end
  used = used + 1
  if interval > 0 then redis.call('HSET', KEYS[1], route, now + wait + interval) end
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', ts, 'day', sday, 'used', used,
  'born', born, 'healed', healed)
redis.call('PEXPIRE', KEYS[1], ARGV[12])
return {status, wait, used, now, fleet, lost}
"""


def _redis_module(name: str) -> Any:
    """Import ``redis`` (or a submodule) only when a shared limiter is built."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise UsageError(
            "RedisLimiter needs the redis package: install this client with its "
            "[redis] extra (pip install '<package>[redis]')"
        ) from exc


def fingerprint(api_key: str) -> str:
    """A stable, non-reversible name for an API key (never the key itself)."""
    return hashlib.sha256(b"routegen-limiter\0" + api_key.encode()).hexdigest()[:24]


def _display(url: str) -> str:
    """The store's address for messages: no user name or password."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"


class RedisLimiter:
    """A ``LimiterBackend`` keeping each API key's plan in Redis for a whole fleet.

    ``rate``, ``burst`` and ``quota`` replace the spec's plan (the server's numbers).
    ``headroom`` seconds of rate are kept below the server's burst: a fleet's requests
    reach the gateway with more jitter than one process's (several hosts, schedulers,
    networks), so the default is 0.25 s where the in-process limiter keeps 0.1 s; it
    costs burst only, never sustained rate. One instance may serve sync and async
    clients and several keys; close it with ``close``/``aclose``.
    """

    def __init__(
        self,
        url: str,
        *,
        rate: float | None = None,
        burst: int | None = None,
        quota: int | None = None,
        on_failure: FailurePolicy = "local",
        fleet_size: int | None = None,
        retry_interval: float = 1.0,
        headroom: float = 0.25,
        prefix: str = "routegen:limiter",
        clock: Clock | None = None,
        redis_options: Mapping[str, Any] | None = None,
    ) -> None:
        if on_failure not in ("local", "raise"):
            raise ValueError(
                f"on_failure must be 'local' or 'raise', got {on_failure!r}"
            )
        self._redis = _redis_module("redis")
        self._async = _redis_module("redis.asyncio")
        exceptions = _redis_module("redis.exceptions")
        self.unavailable: tuple[type[BaseException], ...] = (
            exceptions.ConnectionError,
            exceptions.TimeoutError,
        )
        self.url = url
        self.store = _display(url)
        self.overrides = (rate, burst, quota)
        self.on_failure: FailurePolicy = on_failure
        self.fleet_size = fleet_size
        self.retry_interval = retry_interval
        self.headroom = headroom
        self.prefix = prefix
        self.clock: Clock = clock if clock is not None else SystemClock()
        # Short timeouts: an unreachable store must not stall every call for long.
        self._options = {"socket_timeout": 2.0, "socket_connect_timeout": 1.0}
        self._options.update(redis_options or {})
        self._lock = threading.Lock()
        self._sync: tuple[Any, Any] | None = None
        self._aio: tuple[asyncio.AbstractEventLoop, Any, Any] | None = None
        self._bound: dict[tuple[str, float, int, int | None], SharedLimiter] = {}

    @classmethod
    def from_url(cls, url: str, **options: Any) -> RedisLimiter:
        """A shared limiter on the Redis at ``url`` (``redis://``, ``rediss://``, ``unix://``)."""
        return cls(url, **options)

    def bind(self, limits: LimitsConfig, api_key: str) -> SharedLimiter:
        """The shared limiter of ``api_key``; clients of one key in a process share it."""
        rate, burst, quota = self.overrides
        plan = LimitsConfig(
            rate=limits.rate if rate is None else rate,
            burst=limits.burst if burst is None else burst,
            quota=limits.quota if quota is None else quota,
            quota_period=limits.quota_period,
        )
        numbers = client_plan(plan, self.headroom)
        key = (fingerprint(api_key), *numbers)
        with self._lock:
            if key not in self._bound:
                self._bound[key] = SharedLimiter(self, key[0], *numbers)
            return self._bound[key]

    def run(self, keys: list[str], args: list[object]) -> list[int]:
        """Run the script on the sync connection (made on first use)."""
        with self._lock:
            if self._sync is None:
                client = self._redis.Redis.from_url(self.url, **self._options)
                self._sync = (client, client.register_script(_SCRIPT))
            script = self._sync[1]
        return [int(value) for value in script(keys=keys, args=args)]

    async def arun(self, keys: list[str], args: list[object]) -> list[int]:
        """Run the script on the async connection of the running event loop."""
        import asyncio  # here: a sync-only program never imports asyncio

        loop = asyncio.get_running_loop()
        with self._lock:
            if self._aio is None or self._aio[0] is not loop:
                # Async connections belong to the loop that made them.
                client = self._async.Redis.from_url(self.url, **self._options)
                self._aio = (loop, client, client.register_script(_SCRIPT))
            script = self._aio[2]
        return [int(value) for value in await script(keys=keys, args=args)]

    def close(self) -> None:
        """Close the sync connection pool."""
        with self._lock:
            sync, self._sync = self._sync, None
        if sync is not None:
            sync[0].close()

    async def aclose(self) -> None:
        """Close the async connection pool (and the sync one)."""
        with self._lock:
            aio, self._aio = self._aio, None
        if aio is not None:
            await aio[1].aclose()
        self.close()

    def __repr__(self) -> str:
        return f"RedisLimiter({self.store!r}, on_failure={self.on_failure!r})"


class SharedLimiter:
    """One API key's plan in Redis, as seen by this process (made by ``RedisLimiter.bind``)."""

    def __init__(
        self,
        backend: RedisLimiter,
        key_id: str,
        rate: float,
        burst: int,
        quota: int | None,
    ) -> None:
        self._backend = backend
        self._clock = backend.clock
        self.rate, self.burst, self.quota = rate, burst, quota
        self._keys = [f"{backend.prefix}:{{{key_id}}}:plan"]
        self._keys.append(f"{backend.prefix}:{{{key_id}}}:fleet")
        self._id = uuid.uuid4().hex
        self._lock = threading.Lock()
        self._seen = (0, -1, 0)  # newest Redis time seen (us), its day, the count then
        self._fleet = 0
        self._unreported = 0  # grants of the local share not yet in the shared count
        self._local: RateLimiter | None = None
        self._retry_at = 0.0

    def acquire(
        self, route: RouteInfo | None = None, timeout: float | None = None
    ) -> Grant:
        """Block until a call may be sent; raise ``QuotaExhausted`` when the quota is spent.

        A wait longer than ``timeout`` (the call's time left) raises ``APITimeoutError``.
        """
        ends = None if timeout is None else self._clock.now() + timeout
        waited, notices = 0.0, list[str]()
        while True:
            step = self._step(route)
            if step.notice:
                notices.append(step.notice)
            check_deadline(route, step.wait, ends, self._clock.now())
            if step.wait > 0:
                self._clock.sleep(step.wait)
                waited += step.wait
            if step.granted:
                return self._grant(step, waited, notices)

    async def aacquire(
        self, route: RouteInfo | None = None, timeout: float | None = None
    ) -> Grant:
        """Async ``acquire``: the same steps, waiting with ``asleep``."""
        ends = None if timeout is None else self._clock.now() + timeout
        waited, notices = 0.0, list[str]()
        while True:
            step = await self._astep(route)
            if step.notice:
                notices.append(step.notice)
            check_deadline(route, step.wait, ends, self._clock.now())
            if step.wait > 0:
                await self._clock.asleep(step.wait)
                waited += step.wait
            if step.granted:
                return self._grant(step, waited, notices)

    @property
    def fallback_active(self) -> bool:
        """Whether this process is pacing by its local share (Redis unreachable)."""
        return self._local is not None

    # -- one step ---------------------------------------------------------------------

    def _step(self, route: RouteInfo | None) -> Reservation:
        """One reservation: from Redis, or from the local share while it is down."""
        args = self._args(route)
        if args is None:
            return self._local_step(route, None)
        try:
            reply = self._backend.run(self._keys, args)
        except self._backend.unavailable as exc:
            return self._failed(exc, route, args)
        return self._read(reply)

    async def _astep(self, route: RouteInfo | None) -> Reservation:
        """Async ``_step``."""
        args = self._args(route)
        if args is None:
            return self._local_step(route, None)
        try:
            reply = await self._backend.arun(self._keys, args)
        except self._backend.unavailable as exc:
            return self._failed(exc, route, args)
        return self._read(reply)

    def _grant(self, step: Reservation, waited: float, notices: list[str]) -> Grant:
        notice = "; ".join(notices) if notices else None
        return Grant(waited, step.remaining, shared=step.shared, notice=notice)

    def _args(self, route: RouteInfo | None) -> list[object] | None:
        """The script's arguments, or None while the local share is in charge."""
        with self._lock:
            if self._local is not None and self._clock.now() < self._retry_at:
                return None
            extra, self._unreported = self._unreported, 0
            seen_ts, seen_day, seen_used = self._seen
        interval = _min_interval(route)
        field = f"route:{route.name}" if route is not None and interval > 0 else ""
        margin = math.ceil(self.rate)  # what one second of lost updates can hold
        return [
            repr(self.rate),
            self.burst,
            self.quota or 0,
            field,
            round(interval * 1_000_000),
            self._id,
            seen_ts,
            seen_day,
            seen_used,
            extra,
            margin,
            _TTL_MS,
        ]

    def _read(self, reply: list[int]) -> Reservation:
        """Remember what Redis said, then turn its answer into a reservation."""
        status, wait_us, used, now_us, fleet, lost = reply
        day = now_us // _DAY_US
        notices: list[str] = []
        with self._lock:
            old_ts, old_day, old_used = self._seen
            if now_us > old_ts:
                self._seen = (
                    now_us,
                    day,
                    used if day != old_day else max(used, old_used),
                )
            self._fleet = fleet
            if self._local is not None:
                self._local = None
                notices.append(f"{self._backend.store} is reachable again: shared plan")
        if lost:
            notices.append(
                f"the shared state at {self._backend.store} was lost or rewound "
                f"(a restart?): today's count restored to {used}, bucket emptied"
            )
        if status < 0:
            reset = datetime.fromtimestamp((day + 1) * 86_400, UTC)
            raise QuotaExhausted(reset, quota=self.quota)
        remaining = None if self.quota is None else max(0, self.quota - used)
        notice = "; ".join(notices) or None
        return Reservation(wait_us / 1e6, status > 0, remaining, True, notice)

    def _failed(
        self, exc: BaseException, route: RouteInfo | None, args: list[object]
    ) -> Reservation:
        """Redis is unreachable: fail closed, or pace by this process's local share."""
        reason = f"{type(exc).__name__}: {exc}"
        with self._lock:
            self._unreported += int(str(args[_EXTRA]))  # not counted: report them later
            self._retry_at = self._clock.now() + self._backend.retry_interval
        if self._backend.on_failure == "raise":
            raise LimiterUnavailable(self._backend.store, reason) from exc
        notice = None
        with self._lock:
            if self._local is None:
                self._local, share = self._local_share(reason)
                notice = (
                    f"{self._backend.store} is unreachable ({reason}); pacing by this "
                    f"process's local share (1/{share} of the plan) until it is back"
                )
        return self._local_step(route, notice)

    def _local_share(self, reason: str) -> tuple[RateLimiter, int]:
        """A local limiter with this process's share of the plan, and the fleet size.

        Called with the lock held. The share divides by the most processes seen on
        the key in the last minute (or ``fleet_size``), so the fleet stays under plan.
        """
        fleet = max(self._fleet, self._backend.fleet_size or 0)
        if fleet < 1:
            raise LimiterUnavailable(
                self._backend.store,
                f"{reason}; no fleet size is known to share the plan by "
                "(pass fleet_size= to RedisLimiter)",
            )
        now = self._clock.utcnow()
        quota = None
        if self.quota is not None:
            _, seen_day, seen_used = self._seen
            used = seen_used if seen_day == now.timestamp() // 86_400 else 0
            quota = (self.quota - used) // fleet
            if quota < 1:
                midnight = datetime.combine(now.date(), datetime.min.time(), UTC)
                raise QuotaExhausted(midnight + timedelta(days=1), quota=self.quota)
        burst = max(1, self.burst // fleet)
        return RateLimiter(self.rate / fleet, burst, quota, clock=self._clock), fleet

    def _local_step(self, route: RouteInfo | None, notice: str | None) -> Reservation:
        local = self._local
        if local is None:  # Redis came back meanwhile (another thread)
            return Reservation(0.0, False, None, False, notice)
        step = local.reserve(route)
        if step.granted:
            with self._lock:
                self._unreported += 1
        return Reservation(step.wait, step.granted, step.remaining, False, notice)

    def __repr__(self) -> str:
        return (
            f"SharedLimiter({self._backend.store!r}, rate={self.rate!r}, "
            f"burst={self.burst!r}, quota={self.quota!r})"
        )
