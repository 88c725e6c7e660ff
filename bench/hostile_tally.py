"""The tally of ``make hostile``: every hostile-server attack, both clients, counted.

For each group: attacks tried, documented errors (a subclass of the root error),
tracebacks (anything else escaping), hangs past the total budget (elapsed > total +
1 s), credentials that reached another origin, and the peak RSS of a subprocess
under the decompression bombs. Run: ``ROUTEGEN_HOSTILE=full python bench/hostile_tally.py``.
"""

from __future__ import annotations

import asyncio
import functools
import subprocess
import sys
import time
from collections import Counter
from typing import Any

import httpx

from generator.runtime import RetryConfig, Timeouts, VendorError
from tests.runtime import hostile_server as hs
from tests.runtime import test_hostile_server as t

GRACE = 1.0


def outcome(run: Any) -> tuple[str, float]:
    started = time.monotonic()
    try:
        run()
        result = "no error"
    except VendorError:
        result = "documented"
    except BaseException as exc:  # counting escapes is the point
        result = f"escape {type(exc).__name__}"
    return result, time.monotonic() - started


def deadline_group(tally: Counter[str]) -> None:
    for name, answer in t.DEADLINE_ATTACKS.items():
        for mode in t.MODES:
            server = hs.Hostile()
            server.answers["/v2/ping"] = answer
            api = t.client(mode, server.url + "/v2", timeout=Timeouts(read=5, total=0.5))
            result, elapsed = outcome(lambda api=api: t.call(api, t.PING))
            tally["deadline attacks"] += 1
            tally[f"deadline {result}"] += 1
            tally["deadline hangs past budget"] += elapsed > 0.5 + GRACE
            tally["deadline worst overshoot ms"] = max(
                tally["deadline worst overshoot ms"], int((elapsed - 0.5) * 1000)
            )
            server.close()
            print(f"  deadline {mode:5} {name:32} {result:12} {elapsed:.2f}s")


def redirect_group(tally: Counter[str]) -> None:
    for status in t.REDIRECTS:
        for target in t.TARGETS:
            for route in (t.MACHINES, t.SITES_UPDATE):
                for mode in t.MODES:
                    seen: list[httpx.Request] = []
                    transport = httpx.MockTransport(t.redirecting(status, target, seen))
                    http: Any = (
                        httpx.Client(transport=transport, follow_redirects=True)
                        if mode == "sync"
                        else httpx.AsyncClient(transport=transport, follow_redirects=True)
                    )
                    api = t.client(mode, "https://api.example.test/v2", http_client=http)
                    kwargs: dict[str, Any] = (
                        {"body": [t.Machine(id=1, name="a")]}
                        if route.has_body
                        else {"cast_to": t.Machine}
                    )
                    result, _ = outcome(functools.partial(t.call, api, route, **kwargs))
                    tally["redirect attacks"] += 1
                    tally[f"redirect {result}"] += 1
                    tally["credentials sent to another origin"] += sum(
                        1
                        for r in seen
                        if r.url.host != "api.example.test" or r.url.port not in (None, 443)
                    )


def size_group(tally: Counter[str]) -> None:
    for make in t.SIZE_ATTACKS.values():
        for mode in t.MODES:
            server = hs.Hostile()
            server.answers["/v2/ping"] = make()
            api = t.client(mode, server.url + "/v2", max_response_bytes=t.LIMIT)
            result, _ = outcome(lambda api=api: t.call(api, t.PING))
            tally["size attacks"] += 1
            tally[f"size {result}"] += 1
            server.close()
    for inflated, layers in ((1 << 30, 1), (1 << 30, 2), (1 << 30, 3)):
        out = subprocess.run(
            [sys.executable, "-c", t.BOMB_SCRIPT, str(inflated), str(layers), "sync"],
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        ).stdout.split()
        before, after, payload, raised = map(int, out)
        tally["size attacks"] += 1
        tally["size documented" if raised else "size no error"] += 1
        print(
            f"  bomb {inflated >> 20} MiB x{layers} ({payload} B on the wire): "
            f"peak RSS {after} MiB (imports {before} MiB)"
        )
        tally["bomb peak RSS MiB"] = max(tally["bomb peak RSS MiB"], after)


def tree_group(tally: Counter[str]) -> None:
    for name, (route, handler) in t.TREE_ATTACKS.items():
        for mode in t.MODES:
            transport = httpx.MockTransport(handler)
            http: Any = (
                httpx.Client(transport=transport)
                if mode == "sync"
                else httpx.AsyncClient(transport=transport)
            )
            api = t.client(
                mode,
                "https://api.example.test/v2",
                http_client=http,
                retry=RetryConfig(max_attempts=2, base_delay=0.0, max_retry_after=0.0),
            )
            result, _ = outcome(functools.partial(_tree_call, api, mode, route))
            tally["tree attacks"] += 1
            tally[f"tree {result}"] += 1
            if result.startswith("escape"):
                print(f"  ESCAPE {name!r} {mode}: {result}")


def _tree_call(api: Any, mode: str, route: Any) -> None:
    if route is t.MACHINES and mode == "sync":
        api._get_page(route, t.Machine)
    elif route is t.MACHINES:
        asyncio.run(api._get_page(route, t.Machine))
    elif route is t.PING:
        t.call(api, route)
    else:
        t.call(api, route, body=[t.Machine(id=1, name="a")], cast_to=t.Machine)


def main() -> None:
    tally: Counter[str] = Counter()
    for group in (deadline_group, redirect_group, size_group, tree_group):
        group(tally)
    print()
    for key in sorted(tally):
        print(f"{key:40} {tally[key]}")
    escapes = sum(v for k, v in tally.items() if "escape" in k)
    print(f"{'tracebacks / escapes from the tree':40} {escapes}")


if __name__ == "__main__":
    main()
