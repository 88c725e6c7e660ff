"""Sustained throughput of a generated client against the mock's enforced usage plan.

Runs the mock for stage v2.1 with its usage plan enforced (rate 20/s, burst 100 unless
overridden), drives ``vendnovation_v2_1.Client`` for ``--seconds`` with ``--threads``
threads sharing one client, and prints requests per second as a ratio of the allowed
rate plus the number of 429s the server answered. Not a test: run it by hand.

    .venv/bin/python bench/bench_throughput.py --seconds 20
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "generated" / "vendnovation_v2_1"))

import generator  # noqa: E402
from generator.mock import MockConfig, MockServer, create_app  # noqa: E402
from generator.spec.model import Limits  # noqa: E402

KEY, USER, PASSWORD = "bench-key", "bench@example.com", "bench-password"


def main() -> int:
    """Parse arguments, run the benchmark, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--burst", type=int, default=100)
    parser.add_argument(
        "--slack", type=float, default=0.0, help="mock's jitter slack (s)"
    )
    parser.add_argument(
        "--json", action="store_true", help="one JSON line (for bench/run.py)"
    )
    args = parser.parse_args()

    import vendnovation_v2_1 as pkg

    stage = generator.build(ROOT / "spec/vendnovation.yaml").stage("v2.1")
    limits = Limits(
        rate=args.rate, burst=args.burst, quota=None, quota_period=timedelta(days=1)
    )
    config = MockConfig(
        api_key=KEY,
        username=USER,
        password=PASSWORD,
        records=100,
        limits=limits,
        limit_slack=args.slack,
    )
    app = create_app(stage, config)
    stop = time.monotonic() + args.seconds
    errors: list[BaseException] = []
    with MockServer(app) as server:
        # The client's own limiter, built from the spec's usage plan (as users get it);
        # --rate/--burst only change what the server enforces.
        url = server.url("v2.1")
        client = pkg.Client(base_url=url, api_key=KEY, username=USER, password=PASSWORD)

        def drive() -> None:
            try:
                while time.monotonic() < stop:
                    client.machines.page(size=10)
            except BaseException as exc:  # report, do not hide
                errors.append(exc)

        started = time.monotonic()
        workers = [threading.Thread(target=drive) for _ in range(args.threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.monotonic() - started
        client.close()
    stats = app.state.stats
    served = stats.by_status[200]
    allowed = args.burst + args.rate * elapsed
    steady = max(served - args.burst, 0) / elapsed
    if args.json:
        figures = {"sustained": steady, "rate": args.rate, "429": stats.by_status[429]}
        print(json.dumps({**figures, "errors": len(errors)}))
        return 1 if errors else 0
    print(
        f"duration          {elapsed:.1f} s, {args.threads} threads sharing one client"
    )
    print(f"requests          {stats.requests} ({served} answered 200)")
    print(f"overall           {served / elapsed:.2f} req/s (burst included)")
    print(
        f"sustained         {steady:.2f} req/s = {steady / args.rate:.3f} x the allowed rate"
    )
    print(
        f"of allowed        {served / allowed:.3f} (burst {args.burst} + {args.rate:g}/s x time)"
    )
    print(f"429 answers       {stats.by_status[429]}")
    print(
        f"client errors     {len(errors)} {sorted({type(e).__name__ for e in errors})}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
