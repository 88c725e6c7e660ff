"""Four processes, three threads each, one API key, against the mock's strict plan.

The mock enforces a reduced plan (40 requests/s, burst 40, 300 a day) as a strict token
bucket (slack 0) and records when each request arrived and what it answered. With one
``RedisLimiter`` shared by the fleet the server answers no 429 at all, serves the whole
quota and no more, at >= 95 % of the allowed rate. With each process's own in-process
limiter (the default before this) the same fleet is throttled and runs into the quota:
the test proves the difference. Assertions are on what the server counted; the only
timing used is the span of arrivals, for the rate, which load can only lower slightly.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import generator
from generator.mock import MockConfig, MockServer, create_app
from generator.spec.model import Limits

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("fleet_worker.py")
KEY, USER, PASSWORD = "fleet-key", "fleet@example.com", "fleet-password"
MAX_SECONDS = 60.0  # a bound, never reached when the plan is shared: the quota ends it


@dataclass(frozen=True)
class Fleet:
    """The plan the mock enforces (strict) and the fleet's shape."""

    rate: float = 40.0
    burst: int = 40
    quota: int = 300
    processes: int = 4
    threads: int = 3


FLEET = Fleet()


@dataclass
class Arrivals:
    """ASGI wrapper recording each request's arrival time and answer status."""

    app: Any
    log: list[tuple[float, int]] = field(default_factory=list)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        arrived = time.monotonic()
        status: list[int] = []

        async def record(message: Any) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await self.app(scope, receive, record)
        self.log.append((arrived, status[0] if status else 0))


@dataclass(frozen=True)
class FleetRun:
    """What the server saw and what the workers reported."""

    ok: int
    throttled: int  # 429 answers of any kind
    span: float  # seconds from the first arrival to the last served one
    workers: Counter[str]

    sustained: float  # served requests/s once the burst is through (see _summary)
    rate: float  # the allowed rate

    @property
    def ratio(self) -> float:
        """Sustained rate over the allowed rate."""
        return self.sustained / self.rate


@functools.cache
def _stage() -> Any:
    return generator.build(ROOT / "spec/vendnovation.yaml").stage("v2.1")


def run_fleet(limiter: str, redis_url: str, fleet: Fleet = FLEET) -> FleetRun:
    """Serve the reduced plan, start the fleet, release it at once, collect the counts."""
    stage = _stage()
    plan = Limits(
        rate=fleet.rate, burst=fleet.burst, quota=fleet.quota, quota_period=timedelta(days=1)
    )
    config = MockConfig(api_key=KEY, username=USER, password=PASSWORD, records=50, limits=plan)
    assert config.limit_slack == 0.0  # strict: not one request early is forgiven
    arrivals = Arrivals(create_app(stage, config))
    with MockServer(arrivals) as server:  # type: ignore[arg-type]
        worker = {
            "url": server.url("v2.1"),
            "key": KEY,
            "username": USER,
            "password": PASSWORD,
            "limiter": limiter,
            "redis_url": redis_url,
            "rate": fleet.rate,
            "burst": fleet.burst,
            "quota": fleet.quota,
            "threads": fleet.threads,
            "max_seconds": MAX_SECONDS,
        }
        processes = [_spawn(worker) for _ in range(fleet.processes)]
        try:
            for process in processes:
                assert process.stdout is not None
                assert process.stdout.readline().strip() == "ready"
            for process in processes:  # the common start
                assert process.stdin is not None
                process.stdin.write("go\n")
                process.stdin.flush()
            reports = [p.communicate(timeout=MAX_SECONDS + 60)[0] for p in processes]
        finally:
            for process in processes:
                process.kill() if process.poll() is None else None
    assert all(p.returncode == 0 for p in processes), reports
    workers: Counter[str] = Counter()
    for report in reports:
        workers.update(json.loads(report.strip().splitlines()[-1]))
    return _summary(arrivals.log, workers, fleet.rate)


def _spawn(worker: dict[str, Any]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), json.dumps(worker)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _summary(log: list[tuple[float, int]], workers: Counter[str], rate: float) -> FleetRun:
    served = sorted(t for t, status in log if status == 200)
    throttled = sum(1 for _, status in log if status == 429)
    first = min(t for t, _ in log)
    span = served[-1] - first
    # After the burst the bucket refills at RATE: what the fleet sustains is the rate
    # of served arrivals from two seconds in (the burst and its backlog are through)
    # to the last one.
    steady = [t for t in served if t >= first + 2.0]
    sustained = (len(steady) - 1) / (steady[-1] - steady[0])
    return FleetRun(len(served), throttled, span, workers, sustained, rate)


def test_a_fleet_sharing_one_redis_limiter_uses_the_plan_without_a_429(
    redis_url: str,
) -> None:
    run = run_fleet("redis", redis_url)
    assert run.throttled == 0, run
    assert run.ok == FLEET.quota, run  # the whole quota, served, and not one more
    everyone = FLEET.processes * FLEET.threads
    assert run.workers["quota_exhausted"] == everyone, run  # told, not sent
    assert run.ratio >= 0.95, run


def test_the_same_fleet_with_in_process_limiters_overruns_the_plan(
    redis_url: str,
) -> None:
    run = run_fleet("local", redis_url)
    # Each process believes it owns the plan: four bursts and four times the rate.
    assert run.workers["too_many_requests"] > 0 and run.throttled > 0, run
    # ... and the fleet tries to spend the quota four times over: the server refuses.
    assert run.ok == FLEET.quota and run.workers["limit_exceeded"] > 0, run
    sent = sum(run.workers[k] for k in ("ok", "too_many_requests", "limit_exceeded"))
    assert sent > FLEET.quota, run  # the fleet sent more than the day allows
