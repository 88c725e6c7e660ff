"""Errors as classes, token renewal, faults survived by reads, writes never repeated, limits."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from e2e_support import KEY, Served, fast_retry, serve, spec_api

from generator.mock import Fault


@pytest.mark.timeout(60)
def test_every_error_code_is_raised_as_its_class(served: Served) -> None:
    stage = spec_api().stage(served.stage)
    with served.client(retry=served.pkg.RetryConfig.disabled()) as client:
        client.machines.page()  # authenticate first
        for error in stage.errors:
            # the client renews the token once on API_TOKEN, so that code must come twice
            times = 2 if error.reauth else 1
            served.app.state.faults.add(
                Fault("error", next=times, code=error.code, routes=("machines.list",))
            )
            with pytest.raises(getattr(served.pkg, error.class_name)) as info:
                client.machines.page()
            assert isinstance(info.value, served.pkg.VendNovationError)
            assert (info.value.code, info.value.status_code) == (
                error.code,
                error.status,
            )


@pytest.mark.timeout(60)
def test_real_error_answers(v21: Served) -> None:
    pkg = v21.pkg
    with v21.client() as client:
        with pytest.raises(pkg.DataAccessError) as info:
            client.sites.page(organization_ids=[3])
        assert info.value.pointers == [3]
        site = next(iter(client.sites.list()))
        ghost = site.model_copy(update={"id": 99_999})
        with pytest.raises(pkg.MissingRecordError) as missing:
            client.sites.update([ghost])
        assert (missing.value.pointers, missing.value.pointer_name) == (
            [99_999],
            "Site.Id",
        )
    with v21.client(password="wrong") as client, pytest.raises(pkg.InvalidLoginError):
        client.machines.page()


@pytest.mark.timeout(60)
def test_gateway_errors(v21: Served) -> None:
    pkg = v21.pkg
    with v21.client(api_key="wrong") as client, pytest.raises(pkg.Forbidden):
        client.auth.token_test()
    elsewhere = v21.url.replace("/v2.1", "/v9")
    with (
        v21.client(base_url=elsewhere) as client,
        pytest.raises(pkg.MissingAuthenticationToken) as unknown,
    ):
        client.auth.token_test()
    text = str(unknown.value)
    assert "base URL or stage is probably wrong" in text
    assert f"URL used: {elsewhere}/token-test" in text
    with v21.client(retry=pkg.RetryConfig.disabled()) as client:
        v21.app.state.faults.throttle_next(1)
        with pytest.raises(pkg.TooManyRequests):
            client.auth.token_test()
    assert client.auth is not None


@pytest.mark.timeout(60)
def test_limit_exceeded() -> None:
    mock = serve("v2.1", records=10, enforce_limits=True)
    mock.app.state.mock.plan.limits = mock.app.state.mock.plan.limits.__class__(
        rate=100, burst=100, quota=2, quota_period=timedelta(days=1)
    )
    try:
        with mock.client(limiter=False) as client:
            client.auth.token_test()
            client.auth.token_test()
            with pytest.raises(mock.pkg.LimitExceeded):
                client.auth.token_test()
        assert mock.stats.requests == 3
    finally:
        mock.server.stop()


@pytest.mark.timeout(60)
def test_expired_token_is_renewed_once(v21: Served) -> None:
    with v21.client() as client:
        client.machines.page()
        v21.state.expire_tokens()
        client.machines.page()
        assert v21.stats.by_route["auth.authenticate"] == 2
        v21.state.token_lifetime = timedelta(
            seconds=-1
        )  # every new token is born expired
        v21.state.expire_tokens()
        with pytest.raises(v21.pkg.ApiTokenError):
            client.machines.page()


@pytest.mark.timeout(60)
def test_reads_survive_5xx_drops_and_429s(v21: Served) -> None:
    with v21.client() as client:
        baseline = [m.model_dump() for m in client.sites.list(size=2)]
    v21.stats.reset()
    faults = v21.app.state.faults
    faults.add(Fault("error", every=2, status=503, routes=("sites.list",)))
    faults.add(Fault("error", next=1, status=502))
    faults.add(Fault("drop", every=3, routes=("sites.list",)))
    faults.add(Fault("throttle", next=1, retry_after=0.05, routes=("sites.list",)))
    with v21.client(retry=fast_retry(v21)) as client:
        again = [m.model_dump() for m in client.sites.list(size=2)]
    assert again == baseline
    pages = len(baseline) // 2 + (len(baseline) % 2 > 0)
    assert v21.stats.by_status[200] == pages + 1  # pages and one authenticate
    assert v21.stats.requests == pages + 1 + sum(
        n for status, n in v21.stats.by_status.items() if status != 200
    )
    assert v21.stats.by_status[0] > 0 and v21.stats.by_status[503] > 0
    assert v21.stats.by_status[429] > 0, v21.stats.by_status


@pytest.mark.timeout(60)
def test_writes_fail_clearly_and_are_not_repeated(v21: Served) -> None:
    pkg = v21.pkg
    with v21.client(retry=fast_retry(v21)) as client:
        site = next(iter(client.sites.list()))
        for fault in ("error", "drop", "throttle"):
            v21.stats.reset()
            v21.app.state.faults.add(Fault(fault, next=1, routes=("sites.update",)))  # type: ignore[arg-type]
            with pytest.raises(pkg.VendNovationError):
                client.sites.update([site])
            assert v21.stats.by_route["sites.update"] == 1, fault


@pytest.mark.timeout(60)
def test_atomic_write_is_rolled_back(v21: Served) -> None:
    with v21.client() as client:
        before = [s.model_dump() for s in client.sites.list()]
        good = client.sites.list().__next__().model_copy(update={"name": "Changed"})
        bad = good.model_copy(update={"id": 4242})
        with pytest.raises(v21.pkg.MissingRecordError) as info:
            client.sites.update([good, bad])
        assert info.value.pointers == [4242]
        assert [s.model_dump() for s in client.sites.list()] == before
        client.sites.update([good])
        assert any(s.name == "Changed" for s in client.sites.list())


@pytest.mark.timeout(60)
def test_async_errors_and_retries(v21: Served) -> None:
    async def run() -> tuple[int, Any]:
        async with v21.async_client(retry=fast_retry(v21)) as client:
            v21.app.state.faults.fail_next(2, status=503, routes=("machines.list",))
            page = await client.machines.page(size=5)
            try:
                await client.sites.page(organization_ids=[3])
            except v21.pkg.DataAccessError as exc:
                return len(page.items), exc
            raise AssertionError("no DataAccessError")

    count, error = asyncio.run(run())
    assert count == 5 and error.code == "DATA_ACCESS"
    assert v21.stats.by_route["machines.list"] == 3


@pytest.mark.timeout(60)
def test_burst_of_300_calls_without_429() -> None:
    mock = serve("v2.1", records=10, enforce_limits=True)
    try:
        limits = mock.state.plan.limits
        assert (limits.rate, limits.burst) == (20, 100)
        with mock.client(api_key=KEY) as client:
            for _ in range(300):
                client.auth.token_test()
        assert mock.stats.requests == 300, mock.stats.by_status
        assert mock.stats.by_status[429] == 0
    finally:
        mock.server.stop()
