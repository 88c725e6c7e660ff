"""The generated v2.1 package with ``limiter=RedisLimiter.from_url(...)``, sync and async.

Against the mock over loopback and a real redis-server: grants reach ``Hooks.on_limit``
and the ``<api>.limiter`` logger, a sync and an async client of one key share the
quota, and the package imports and works without the ``redis`` package installed.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import generator
from generator.mock import MockConfig, MockServer, create_app
from generator.spec.model import Limits

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generated" / "vendnovation_v2_1"
KEY, USER, PASSWORD = "integration-key", "api@example.com", "integration-password"

if str(PACKAGE) not in sys.path:
    sys.path.insert(0, str(PACKAGE))
import vendnovation_v2_1 as pkg  # noqa: E402


@functools.cache
def _stage() -> Any:
    return generator.build(ROOT / "spec/vendnovation.yaml").stage("v2.1")


@pytest.fixture
def mock_url() -> Iterator[str]:
    """A fresh v2.1 mock enforcing a plan of 50/s, burst 50 and a quota of 6 (strict)."""
    stage = _stage()
    plan = Limits(rate=50, burst=50, quota=6, quota_period=timedelta(days=1))
    config = MockConfig(api_key=KEY, username=USER, password=PASSWORD, records=20, limits=plan)
    with MockServer(create_app(stage, config)) as server:
        yield server.url("v2.1")


class Recorder(pkg.Hooks):
    def __init__(self) -> None:
        self.limits: list[Any] = []

    def on_limit(self, event: Any) -> None:
        self.limits.append(event)


def test_sync_and_async_clients_share_the_quota_and_report_grants(
    mock_url: str, redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    limiter = pkg.RedisLimiter.from_url(redis_url, quota=6)
    hooks = Recorder()
    args = {"base_url": mock_url, "api_key": KEY, "username": USER, "password": PASSWORD}
    with caplog.at_level(logging.DEBUG, logger="vendnovation_v2_1.limiter"):
        with pkg.Client(**args, limiter=limiter, hooks=hooks) as client:
            client.machines.page(size=1)  # the login and the page: two grants

        async def run() -> None:
            async with pkg.AsyncClient(**args, limiter=limiter, hooks=hooks) as aclient:
                for _ in range(3):  # its own login, then pages: six grants in all
                    await aclient.machines.page(size=1)
                with pytest.raises(pkg.QuotaExhausted):
                    await aclient.machines.page(size=1)
            await limiter.aclose()

        asyncio.run(run())
    assert [e.remaining for e in hooks.limits] == [5, 4, 3, 2, 1, 0]  # none for the 7th
    assert all(e.shared and e.wait >= 0 for e in hooks.limits)
    assert [e.route for e in hooks.limits][:2] == ["authenticate", "machines.list"]
    records = [r.getMessage() for r in caplog.records if r.name.endswith(".limiter")]
    assert "machines.list: shared rate limiter waited" in records[1]
    assert records[-1].endswith("0 left today")


def test_fallback_is_logged_as_a_warning(
    mock_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.shared_limiter.redis_support import free_port

    limiter = pkg.RedisLimiter.from_url(f"redis://127.0.0.1:{free_port()}/0", fleet_size=2)
    args = {"base_url": mock_url, "api_key": KEY + "-2", "username": USER}
    hooks = Recorder()
    with caplog.at_level(logging.WARNING, logger="vendnovation_v2_1.limiter"):
        client = pkg.Client(**args, password=PASSWORD, limiter=limiter, hooks=hooks)
        with pytest.raises(pkg.GatewayError):  # unknown key: Forbidden, but paced first
            client.machines.page(size=1)
        client.close()
    assert not hooks.limits[0].shared and "local share (1/2" in hooks.limits[0].notice
    assert any("is unreachable" in r.getMessage() for r in caplog.records)


def test_the_package_imports_and_runs_without_redis_installed(mock_url: str) -> None:
    script = f"""
import sys
sys.modules["redis"] = None  # as if it were not installed
sys.path.insert(0, {str(PACKAGE)!r})
import vendnovation_v2_1 as pkg
with pkg.Client(base_url={mock_url!r}, api_key={KEY!r}, username={USER!r},
                password={PASSWORD!r}, limiter=False) as client:
    client.machines.page(size=1)
try:
    pkg.RedisLimiter.from_url("redis://127.0.0.1:1/0")
except pkg.UsageError as exc:
    print(exc)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "[redis] extra" in done.stdout
