"""RedisLimiter against a real redis-server: sharing, quota, keys, failures and restarts.

Each ``RedisLimiter`` here stands for one process of a fleet (its own connection, its
own memory of what it saw). Sleeps are recorded, not slept, where the wait itself is
what the test checks.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from generator.runtime._config import LimitsConfig, RouteInfo
from generator.runtime._exceptions import LimiterUnavailable, QuotaExhausted, UsageError
from generator.runtime._limits import Grant, SystemClock
from generator.runtime._redis_limiter import RedisLimiter, SharedLimiter, fingerprint
from tests.shared_limiter.redis_support import RedisServer, free_port

KEY = "secret-api-key-0123456789"


class NoSleep(SystemClock):
    """Real time, but sleeps are only recorded (the grant's wait is what is checked)."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def bound(
    url: str,
    *,
    rate: float = 10,
    burst: int = 5,
    quota: int | None = None,
    **options: object,
) -> SharedLimiter:
    """One process's limiter for ``KEY`` (the client keeps 0.25 s of headroom)."""
    backend = RedisLimiter.from_url(url, clock=NoSleep(), **options)
    return backend.bind(LimitsConfig(rate=rate, burst=burst, quota=quota), KEY)


def test_two_processes_share_one_bucket(redis_url: str) -> None:
    # 1/s, burst 5: 4 tokens after the headroom (a quarter second, rounded up to one).
    first, second = bound(redis_url, rate=1), bound(redis_url, rate=1)
    grants = [first.acquire(), second.acquire(), first.acquire(), second.acquire()]
    assert [g.wait for g in grants] == [0, 0, 0, 0] and all(g.shared for g in grants)
    # The shared bucket is empty: the fifth call, from either, waits for the next
    # token (1 s, less whatever time has passed since), the sixth queues behind it.
    assert 0 < first.acquire().wait <= 1.0
    assert 1.0 < second.acquire().wait <= 2.0


def test_the_quota_is_counted_once_for_the_fleet(redis_url: str) -> None:
    first = bound(redis_url, rate=1000, burst=1000, quota=6)
    second = bound(redis_url, rate=1000, burst=1000, quota=6)
    remaining = [lim.acquire().remaining for lim in (first, second) * 3]
    assert remaining == [5, 4, 3, 2, 1, 0]
    for limiter in (first, second):
        with pytest.raises(QuotaExhausted) as caught:
            limiter.acquire()
        midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        assert caught.value.reset_at == midnight + timedelta(days=1)


def test_async_and_sync_share_the_plan(redis_url: str) -> None:
    backend = RedisLimiter.from_url(redis_url, clock=NoSleep())
    limiter = backend.bind(LimitsConfig(rate=1000, burst=1000, quota=3), KEY)

    async def run() -> list[Grant]:
        grants = [await limiter.aacquire(), await limiter.aacquire()]
        await backend.aclose()
        return grants

    assert [g.remaining for g in asyncio.run(run())] == [2, 1]
    assert limiter.acquire().remaining == 0
    with pytest.raises(QuotaExhausted):
        asyncio.run(limiter.aacquire())


def test_route_min_interval_is_spaced_on_the_redis_clock(redis_url: str) -> None:
    slow = RouteInfo("reports.run", "POST", "/reports", min_interval=timedelta(seconds=5))
    first = bound(redis_url, rate=1000, burst=1000)
    second = bound(redis_url, rate=1000, burst=1000)
    assert first.acquire(slow).wait == 0
    clock = second._clock
    assert isinstance(clock, NoSleep)
    second.acquire(slow)  # not ready: told to wait about 5 s, then granted
    assert 3.0 < clock.sleeps[0] <= 5.0  # 5 s less the time between the two calls


def test_keys_name_a_fingerprint_never_the_api_key(
    redis_url: str, redis_server: RedisServer
) -> None:
    bound(redis_url).acquire()
    client = redis_server.client()
    names = sorted(name.decode() for name in client.keys("*"))
    client.close()
    assert names == [
        f"routegen:limiter:{{{fingerprint(KEY)}}}:fleet",
        f"routegen:limiter:{{{fingerprint(KEY)}}}:plan",
    ]
    assert all(KEY not in name for name in names)


def test_fail_closed_raises_without_sending_and_hides_the_password() -> None:
    url = f"redis://user:hunter2@127.0.0.1:{free_port()}/0"
    limiter = bound(url, on_failure="raise")
    with pytest.raises(LimiterUnavailable) as caught:
        limiter.acquire()
    assert "hunter2" not in str(caught.value)
    assert caught.value.store.startswith("redis://127.0.0.1:")


def test_local_share_needs_a_known_fleet_size() -> None:
    limiter = bound(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(LimiterUnavailable, match="fleet_size"):
        limiter.acquire()
    declared = bound(f"redis://127.0.0.1:{free_port()}/0", fleet_size=4, quota=100)
    grant = declared.acquire()
    assert not grant.shared and grant.notice and "1/4 of the plan" in grant.notice
    assert grant.remaining == 24  # a quarter of the quota, one spent


def test_outage_falls_back_to_the_local_share_then_reports_its_grants(
    redis_url: str, redis_server: RedisServer
) -> None:
    # Two processes seen on the key: during the outage each takes half the plan.
    first = bound(redis_url, quota=100, retry_interval=0.0)
    second = bound(redis_url, quota=100)
    second.acquire(), first.acquire()  # first has now seen both
    redis_server.stop()
    try:
        outage = [first.acquire() for _ in range(3)]
    finally:
        redis_server.restart(wipe=False)
    assert [g.shared for g in outage] == [False] * 3
    assert outage[0].notice and "1/2 of the plan" in outage[0].notice
    assert outage[0].remaining == 48  # (100 - 2 seen) // 2, one spent
    back = first.acquire()
    assert back.shared and back.notice and "reachable again" in back.notice
    assert back.remaining == 100 - 2 - 3 - 1  # the outage's grants were reported


def test_restart_with_aof_keeps_the_count(redis_url: str, redis_server: RedisServer) -> None:
    limiter = bound(redis_url, rate=1000, burst=1000, quota=50)
    for _ in range(30):
        limiter.acquire()
    time.sleep(1.1)  # appendfsync everysec: the last second is on disk
    redis_server.restart(wipe=False)
    grant = limiter.acquire()
    assert grant.remaining == 19 and grant.notice is None


def test_restart_losing_the_state_never_overruns_the_quota(
    redis_url: str, redis_server: RedisServer
) -> None:
    limiter = bound(redis_url, rate=20, burst=1000, quota=60)
    for _ in range(30):
        limiter.acquire()
    redis_server.restart(wipe=True)
    newcomer = bound(redis_url, rate=20, burst=1000, quota=60)
    assert newcomer.acquire().remaining == 59  # it never saw the old state
    restored = limiter.acquire()
    # The higher of the two views (30 it had seen), plus one second at 20/s as a
    # margin (which absorbs the newcomer's grant), plus this one.
    assert restored.notice and "restored to 51" in restored.notice
    assert restored.remaining == 60 - 51 and restored.wait > 0  # bucket emptied
    granted = 0
    with pytest.raises(QuotaExhausted):
        for _ in range(60):
            newcomer.acquire()
            granted += 1
    assert granted == 9  # the real total: 30 + 1 + 1 + 9 = 41, never above 60


def test_missing_redis_package_is_a_clear_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(UsageError, match=r"\[redis\] extra"):
        RedisLimiter.from_url("redis://127.0.0.1:6379/0")
