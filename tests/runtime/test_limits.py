"""RateLimiter: bucket bounds, quota, per-route spacing, threads and tasks, on fake clocks.

No test really sleeps: every clock here advances its own time when asked to sleep.
The thread and task clocks are small discrete-event simulations: time only moves when
every participant is asleep, and then jumps to the earliest wake-up, so the time a
participant records right after ``acquire`` is exactly the time it was granted.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import random
import threading
from datetime import UTC, datetime, timedelta

import pytest

from generator.runtime._config import LimitsConfig, RouteInfo
from generator.runtime._exceptions import QuotaExhausted
from generator.runtime._limits import Clock, RateLimiter, SystemClock

# A failure inside a worker thread must fail the test, not just warn.
pytestmark = pytest.mark.filterwarnings(
    "error::pytest.PytestUnhandledThreadExceptionWarning"
)

EPOCH = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


class FakeClock:
    """Single-participant clock: sleeping just advances time."""

    def __init__(self, start: datetime = EPOCH) -> None:
        self.t = 0.0
        self.start = start
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def utcnow(self) -> datetime:
        return self.start + timedelta(seconds=self.t)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        self.t += seconds


class ThreadSimClock(FakeClock):
    """Thread-safe simulation: time jumps only when all ``participants`` threads sleep."""

    def __init__(self, participants: int) -> None:
        super().__init__()
        self.participants = participants
        self.cond = threading.Condition()
        self.sleepers: dict[int, float] = {}

    def now(self) -> float:
        with self.cond:
            return self.t

    def sleep(self, seconds: float) -> None:
        me = threading.get_ident()
        with self.cond:
            target = self.t + seconds
            self.sleepers[me] = target
            self._advance()
            while self.t < target:
                self.cond.wait()
            del self.sleepers[me]

    def done(self) -> None:
        with self.cond:
            self.participants -= 1
            self._advance()

    def _advance(self) -> None:
        # Woken threads stay in ``sleepers`` (target <= t) until they run, which
        # holds time still until they have recorded their grant.
        targets = self.sleepers.values()
        all_asleep = self.sleepers and len(self.sleepers) == self.participants
        if all_asleep and all(x > self.t for x in targets):
            self.t = min(targets)
            self.cond.notify_all()


class TaskSimClock(FakeClock):
    """The same simulation for asyncio tasks on one event loop."""

    def __init__(self, participants: int) -> None:
        super().__init__()
        self.participants = participants
        self.sleepers: list[tuple[float, asyncio.Future[None]]] = []

    async def asleep(self, seconds: float) -> None:
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.sleepers.append((self.t + seconds, fut))
        self._advance()
        await fut

    def done(self) -> None:
        self.participants -= 1
        self._advance()

    def _advance(self) -> None:
        if self.sleepers and len(self.sleepers) == self.participants:
            self.t = min(target for target, _ in self.sleepers)
            due = [fut for target, fut in self.sleepers if target <= self.t]
            self.sleepers = [(x, f) for x, f in self.sleepers if x > self.t]
            for fut in due:
                fut.set_result(None)


def max_in_window(times: list[float], width: float = 1.0) -> int:
    """Largest number of grants in any half-open window ``[t, t + width)``."""
    ordered = sorted(times)
    return max(
        (bisect.bisect_left(ordered, t + width) - i for i, t in enumerate(ordered)),
        default=0,
    )


def assert_within_plan(times: list[float], rate: float, burst: int) -> None:
    assert max_in_window(times) <= burst + rate
    # Tighter, for every width: a bucket never grants more than burst + rate * width.
    for width in (0.25, 0.5, 2.0, 5.0):
        assert max_in_window(times, width) <= burst + rate * width + 1e-9


def route(name: str, seconds: float | None) -> RouteInfo:
    interval = None if seconds is None else timedelta(seconds=seconds)
    return RouteInfo(name=name, method="POST", path=f"/{name}", min_interval=interval)


# --- bucket -----------------------------------------------------------------------


def test_system_clock_satisfies_protocol() -> None:
    clock: Clock = SystemClock()
    assert clock.utcnow().tzinfo is UTC
    assert clock.now() <= clock.now()
    clock.sleep(0)
    asyncio.run(clock.asleep(0))


def test_full_burst_is_available_at_start() -> None:
    clock = FakeClock()
    limiter = RateLimiter(20, 100, clock=clock)
    for _ in range(100):
        limiter.acquire()
    assert clock.t == 0 and clock.sleeps == []


def test_refill_rate_paces_calls_after_the_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(20, 100, clock=clock)
    times = []
    for _ in range(140):
        limiter.acquire()
        times.append(clock.t)
    assert times[99] == 0
    assert times[100] == pytest.approx(0.05)
    assert times[139] == pytest.approx(2.0)
    assert all(b - a == pytest.approx(0.05) for a, b in itertools.pairwise(times[100:]))


def test_idle_time_refills_the_bucket_up_to_burst_only() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, 3, clock=clock)
    for _ in range(3):
        limiter.acquire()
    clock.advance(100)  # far more than needed: still capped at 3 tokens
    for _ in range(3):
        limiter.acquire()
    assert clock.sleeps == []
    limiter.acquire()
    assert clock.sleeps == [pytest.approx(0.5)]


@pytest.mark.parametrize("seed", range(8))
def test_any_call_sequence_stays_within_burst_plus_rate(seed: int) -> None:
    rng = random.Random(seed)
    rate, burst = rng.choice([(20.0, 100), (2.0, 3), (5.5, 1), (50.0, 10)])
    clock = FakeClock()
    limiter = RateLimiter(rate, burst, clock=clock)
    times = []
    for _ in range(600):
        # Mix bursts (no gap) with idle gaps of up to a few seconds.
        if rng.random() < 0.1:
            clock.advance(rng.uniform(0, 3))
        limiter.acquire()
        times.append(clock.t)
    assert_within_plan(times, rate, burst)


# --- quota ------------------------------------------------------------------------


def test_quota_raises_before_sleeping_with_next_utc_midnight() -> None:
    clock = FakeClock(start=datetime(2024, 3, 1, 23, 59, 0, tzinfo=UTC))
    limiter = RateLimiter(1, 1, quota=3, clock=clock)
    for _ in range(3):
        limiter.acquire()
    assert limiter.remaining_quota == 0
    t, sleeps = clock.t, len(clock.sleeps)
    with pytest.raises(QuotaExhausted) as info:
        limiter.acquire()
    assert info.value.reset_at == datetime(2024, 3, 2, tzinfo=UTC)
    assert (clock.t, len(clock.sleeps)) == (t, sleeps)  # no sleep, no token spent
    with pytest.raises(QuotaExhausted):
        asyncio.run(limiter.aacquire())


def test_quota_resets_on_the_next_utc_day() -> None:
    clock = FakeClock(start=datetime(2024, 3, 1, 23, 59, 59, tzinfo=UTC))
    limiter = RateLimiter(100, 100, quota=2, clock=clock)
    limiter.acquire()
    limiter.acquire()
    with pytest.raises(QuotaExhausted):
        limiter.acquire()
    clock.advance(1.0)  # 2024-03-02T00:00:00Z
    assert limiter.remaining_quota == 2
    limiter.acquire()
    assert limiter.remaining_quota == 1


def test_quota_is_never_exceeded_under_many_calls() -> None:
    clock = FakeClock()
    limiter = RateLimiter(20, 100, quota=250, clock=clock)
    granted = 0
    with pytest.raises(QuotaExhausted):
        for _ in range(1000):
            limiter.acquire()
            granted += 1
    assert granted == 250


def test_no_quota_means_unlimited() -> None:
    limiter = RateLimiter(1000, 10, None, clock=FakeClock())
    for _ in range(50):
        limiter.acquire()
    assert limiter.remaining_quota is None


def test_from_config_uses_the_usage_plan() -> None:
    limiter = RateLimiter.from_config(LimitsConfig(), FakeClock())
    # two requests (100 ms at 20/s) of headroom below the server's burst of 100
    assert (limiter.rate, limiter.burst, limiter.quota) == (20.0, 98, 5000)
    tiny = RateLimiter.from_config(LimitsConfig(rate=1.0, burst=1), FakeClock())
    assert tiny.burst == 1  # never below one
    assert limiter.remaining_quota == 5000
    with pytest.raises(ValueError, match="daily"):
        RateLimiter.from_config(LimitsConfig(quota_period=timedelta(hours=1)))


# --- per-route minimum interval ---------------------------------------------------


def test_route_min_interval_spaces_calls_to_that_route_only() -> None:
    clock = FakeClock()
    limiter = RateLimiter(100, 100, clock=clock)
    slow, other = route("reports.run", 2.0), route("machines.list", None)
    limiter.acquire(slow)
    assert clock.t == 0
    limiter.acquire(other)
    limiter.acquire(route("unrelated", 2.0))
    assert clock.t == 0
    limiter.acquire(slow)
    assert clock.t == pytest.approx(2.0)
    clock.advance(5)
    limiter.acquire(slow)  # long since the previous call: no wait
    assert clock.t == pytest.approx(7.0)


def test_route_interval_counts_from_the_grant_not_the_reservation() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, 1, clock=clock)
    slow = route("slow", 0.5)
    limiter.acquire()  # drains the bucket
    limiter.acquire(slow)  # granted at 1.0 by the bucket
    assert clock.t == pytest.approx(1.0)
    clock.advance(0.2)
    limiter.acquire(slow)  # the bucket (2.0) dominates the route (1.5)
    assert clock.t == pytest.approx(2.0)


def test_async_route_interval() -> None:
    clock = FakeClock()
    limiter = RateLimiter(100, 100, clock=clock)
    slow = route("slow", 1.5)

    async def main() -> list[float]:
        times = []
        for _ in range(3):
            await limiter.aacquire(slow)
            times.append(clock.t)
        return times

    assert asyncio.run(main()) == [0, pytest.approx(1.5), pytest.approx(3.0)]


# --- validation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "burst", "quota", "message"),
    [
        (0, 1, None, "rate"),
        (-1, 1, None, "rate"),
        (float("nan"), 1, None, "rate"),
        (float("inf"), 1, None, "rate"),
        (1, 0, None, "burst"),
        (1, 1, 0, "quota"),
        (1, 1, -5, "quota"),
    ],
)
def test_invalid_arguments(
    rate: float, burst: int, quota: int | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        RateLimiter(rate, burst, quota)


def test_repr_shows_the_plan() -> None:
    assert (
        repr(RateLimiter(20, 100, 5000))
        == "RateLimiter(rate=20.0, burst=100, quota=5000)"
    )


# --- concurrency ------------------------------------------------------------------


def test_threads_never_exceed_the_bounds() -> None:
    threads, calls, rate, burst, quota = 8, 50, 20.0, 100, 390
    clock = ThreadSimClock(participants=threads)
    limiter = RateLimiter(rate, burst, quota, clock=clock)
    times: list[float] = []
    refused: list[QuotaExhausted] = []
    record = threading.Lock()

    def worker() -> None:
        try:
            for _ in range(calls):
                limiter.acquire()
                with record:
                    times.append(clock.now())
        except QuotaExhausted as exc:
            refused.append(exc)
        finally:
            clock.done()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in pool)
    assert len(times) == quota and refused  # every call past the quota was refused
    assert {exc.reset_at for exc in refused} == {datetime(2024, 3, 2, tzinfo=UTC)}
    assert_within_plan(times, rate, burst)
    # Reservations queue: the last grant is exactly when the bucket allows it.
    assert max(times) == pytest.approx((quota - burst) / rate)


def sync_grant_times(count: int, rate: float, burst: int) -> list[float]:
    clock = FakeClock()
    limiter = RateLimiter(rate, burst, clock=clock)
    times = []
    for _ in range(count):
        limiter.acquire()
        times.append(clock.t)
    return times


def test_async_sequential_matches_sync() -> None:
    clock = FakeClock()
    limiter = RateLimiter(5, 4, clock=clock)

    async def main() -> list[float]:
        times = []
        for _ in range(30):
            await limiter.aacquire()
            times.append(clock.t)
        return times

    assert asyncio.run(main()) == pytest.approx(sync_grant_times(30, 5, 4))


def test_gathered_tasks_behave_like_sync_calls() -> None:
    tasks, calls, rate, burst = 6, 40, 20.0, 100
    clock = TaskSimClock(participants=tasks)
    limiter = RateLimiter(rate, burst, clock=clock)
    times: list[float] = []

    async def worker() -> None:
        try:
            for _ in range(calls):
                await limiter.aacquire()
                times.append(clock.t)
        finally:
            clock.done()

    async def main() -> None:
        await asyncio.gather(*(worker() for _ in range(tasks)))

    asyncio.run(main())
    assert len(times) == tasks * calls
    assert_within_plan(times, rate, burst)
    # The same grant times as one caller making all the calls in a row.
    assert sorted(times) == pytest.approx(sync_grant_times(tasks * calls, rate, burst))


def test_one_limiter_shared_by_threads_and_tasks_with_routes() -> None:
    clock = ThreadSimClock(participants=3)
    limiter = RateLimiter(10, 5, clock=clock)
    slow = route("slow", 1.0)
    slow_times: list[float] = []
    all_times: list[float] = []
    record = threading.Lock()

    def worker(target: RouteInfo | None) -> None:
        try:
            for _ in range(20):
                limiter.acquire(target)
                with record:
                    all_times.append(clock.now())
                    if target is slow:
                        slow_times.append(clock.now())
        finally:
            clock.done()

    pool = [threading.Thread(target=worker, args=(r,)) for r in (slow, slow, None)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in pool)
    assert_within_plan(all_times, 10, 5)
    ordered = sorted(slow_times)
    assert len(ordered) == 40
    assert all(b - a >= 1.0 - 1e-9 for a, b in itertools.pairwise(ordered))


def test_grants_report_wait_and_remaining_and_bind_returns_itself() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate=2, burst=1, quota=3, clock=clock)
    assert limiter.bind(LimitsConfig(), "any-key") is limiter
    first, second = limiter.acquire(), limiter.acquire()
    assert (first.wait, first.remaining, first.shared) == (0, 2, False)
    assert (second.wait, second.remaining) == (0.5, 1)


def test_observed_limiter_reports_each_grant_to_hooks_and_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import logging

    from generator.runtime._hooks import Hooks, LimitEvent, ObservedLimiter

    events: list[LimitEvent] = []

    class Recorder(Hooks):
        def on_limit(self, event: LimitEvent) -> None:
            events.append(event)

    inner = RateLimiter(rate=1, burst=1, quota=None, clock=FakeClock())
    observed = ObservedLimiter(inner, Recorder(), logging.getLogger("api.limiter"))
    slow = RouteInfo("reports.run", "POST", "/reports")
    with caplog.at_level(logging.DEBUG, logger="api.limiter"):
        observed.acquire(slow)
        asyncio.run(observed.aacquire(slow))
    assert [(e.route, e.wait, e.remaining) for e in events] == [
        ("reports.run", 0, None),
        ("reports.run", 1.0, None),
    ]
    assert caplog.messages[-1] == "reports.run: local rate limiter waited 1.000s, no quota"
