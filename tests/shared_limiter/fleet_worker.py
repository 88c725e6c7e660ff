"""One process of a fleet: several threads share one generated client against the mock.

    python fleet_worker.py CONFIG_JSON

CONFIG_JSON: url, key, username, password, limiter ("redis" or "local"), redis_url,
rate, burst, quota, threads, max_seconds. The process imports, builds its client,
prints ``ready``, waits for a line on stdin (the common start), then every thread
pages ``machines`` until the plan's quota is spent (``QuotaExhausted`` from the client,
or the server's 429 Limit Exceeded) or ``max_seconds`` pass, and prints one JSON line
of what its clients saw.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "generated" / "vendnovation_v2_1"))

import vendnovation_v2_1 as pkg  # noqa: E402
from vendnovation_v2_1._runtime import LimitsConfig  # noqa: E402


def build_limiter(config: dict[str, Any]) -> Any:
    """The shared Redis limiter, or each process's own in-process one (the problem)."""
    rate, burst, quota = config["rate"], config["burst"], config["quota"]
    if config["limiter"] == "redis":
        return pkg.RedisLimiter.from_url(
            config["redis_url"], rate=rate, burst=burst, quota=quota, on_failure="raise"
        )
    return pkg.RateLimiter.from_config(LimitsConfig(rate=rate, burst=burst, quota=quota))


def drive(client: Any, stop_at: float, seen: Counter[str], lock: threading.Lock) -> None:
    """Page until the quota is spent or time is up; count every outcome."""
    while time.monotonic() < stop_at:
        try:
            client.machines.page(size=1)
            outcome = "ok"
        except pkg.QuotaExhausted:
            outcome = "quota_exhausted"
        except pkg.LimitExceeded:
            outcome = "limit_exceeded"
        except pkg.TooManyRequests:
            outcome = "too_many_requests"
        except pkg.VendNovationError as exc:
            outcome = type(exc).__name__
        with lock:
            seen[outcome] += 1
        if outcome in ("quota_exhausted", "limit_exceeded"):
            return


def main() -> int:
    """Run one worker process as configured by ``sys.argv[1]``."""
    config = json.loads(sys.argv[1])
    limiter = build_limiter(config)
    client = pkg.Client(
        base_url=config["url"],
        api_key=config["key"],
        username=config["username"],
        password=config["password"],
        limiter=limiter,
        retry=pkg.RetryConfig(max_attempts=1),  # every 429 shows, none is hidden
    )
    print("ready", flush=True)
    sys.stdin.readline()
    stop_at = time.monotonic() + config["max_seconds"]
    seen: Counter[str] = Counter()
    lock = threading.Lock()
    threads = [
        threading.Thread(target=drive, args=(client, stop_at, seen, lock))
        for _ in range(config["threads"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.close()
    print(json.dumps(dict(seen)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
