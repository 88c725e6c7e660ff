"""A fleet on one API key: processes x threads sharing one RedisLimiter, or not.

Starts a real redis-server (Debian's ``redis-server``) on a free loopback port and the
v2.1 mock enforcing a strict plan (slack 0), then runs the fleet of
``tests/shared_limiter/test_fleet.py`` until the plan's quota is spent: once with one
``RedisLimiter`` shared by every process, once with each process's own in-process
``RateLimiter``. Prints what the server saw: requests served, 429 answers, and the rate
sustained after the burst as a ratio of the allowed rate. Not a test: run it by hand.

    .venv/bin/python bench/bench_fleet.py --rate 20 --burst 100 --quota 700
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.shared_limiter.redis_support import RedisServer, require_redis_server  # noqa: E402
from tests.shared_limiter.test_fleet import Fleet, run_fleet  # noqa: E402


def main() -> int:
    """Parse arguments, run both fleets, print one row each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--burst", type=int, default=100)
    parser.add_argument("--quota", type=int, default=700)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=3)
    args = parser.parse_args()
    fleet = Fleet(args.rate, args.burst, args.quota, args.processes, args.threads)
    with tempfile.TemporaryDirectory() as scratch:
        server = RedisServer(require_redis_server(), Path(scratch))
        server.start()
        try:
            for kind in ("redis", "local"):
                started = time.monotonic()
                run = run_fleet(kind, server.url, fleet)
                print(
                    f"{kind:5}  {fleet.processes} processes x {fleet.threads} threads  "
                    f"served {run.ok} in {run.span:.1f}s  sustained {run.sustained:.2f} "
                    f"req/s  ratio {run.ratio:.3f}  429s {run.throttled}  "
                    f"(whole run {time.monotonic() - started:.0f}s)",
                    flush=True,
                )
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
