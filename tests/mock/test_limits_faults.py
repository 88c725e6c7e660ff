"""The usage plan (429 Too Many Requests / Limit Exceeded), fault injection, counters."""

from __future__ import annotations

import pytest
from mock_support import Mock, MockFactory

from generator.mock import ConnectionDropped, Fault, MockConfig
from generator.spec.model import Limits


def statuses(mock: Mock, n: int, path: str = "/token-test") -> list[int]:
    return [mock.call("POST", path, token=False).status_code for _ in range(n)]


def small_plan(rate: float = 0.001, burst: int = 5, quota: int | None = None) -> Limits:
    from datetime import timedelta

    return Limits(rate=rate, burst=burst, quota=quota, quota_period=timedelta(days=1))


def test_burst_then_too_many_requests(make_mock: MockFactory) -> None:
    mock = make_mock(limits=small_plan(burst=5))
    got = statuses(mock, 8)
    assert got == [200] * 5 + [429] * 3
    r = mock.call("POST", "/token-test", token=False)
    assert r.json() == {"message": "Too Many Requests"}


def test_quota_is_limit_exceeded(make_mock: MockFactory) -> None:
    mock = make_mock(limits=small_plan(rate=1000, burst=1000, quota=3))
    assert statuses(mock, 5) == [200, 200, 200, 429, 429]
    r = mock.call("POST", "/token-test", token=False)
    assert r.json() == {"message": "Limit Exceeded"}


def test_limits_can_be_disabled(make_mock: MockFactory) -> None:
    mock = make_mock(limits=small_plan(burst=1), enforce_limits=False)
    assert set(statuses(mock, 10)) == {200}


def test_spec_plan_allows_a_burst_of_100(mock: Mock) -> None:
    got = statuses(mock, 110)
    assert got.count(200) >= 100 and got[:100] == [200] * 100


def test_forbidden_requests_do_not_use_the_plan(make_mock: MockFactory) -> None:
    mock = make_mock(limits=small_plan(burst=2))
    for _ in range(5):
        mock.call("POST", "/token-test", key="wrong", token=False)
    assert statuses(mock, 2) == [200, 200]


def test_fail_next_n_with_5xx(mock: Mock) -> None:
    mock.login()
    mock.app.state.faults.fail_next(2, status=502)
    got = [mock.read("/machines") for _ in range(3)]
    assert [r.status_code for r in got] == [502, 502, 200]
    assert got[0].json() == {"message": "Internal server error"}


def test_faults_can_target_one_route(mock: Mock) -> None:
    mock.login()
    mock.app.state.faults.fail_next(1, status=504, routes=("sites.list",))
    assert mock.read("/machines").status_code == 200
    assert mock.read("/sites").status_code == 504


def test_every_kth_request(mock: Mock) -> None:
    mock.login()
    mock.app.state.faults.add(Fault("error", every=3, status=503))
    got = [mock.read("/machines").status_code for _ in range(6)]
    assert got == [200, 200, 503, 200, 200, 503]


def test_throttle_carries_retry_after(mock: Mock) -> None:
    mock.app.state.faults.throttle_next(1, retry_after=2)
    r = mock.call("POST", "/token-test", token=False)
    assert (r.status_code, r.headers["retry-after"]) == (429, "2")
    assert r.json() == {"message": "Too Many Requests"}


def test_probability_is_seeded(make_mock: MockFactory) -> None:
    def run() -> list[int]:
        mock = make_mock(faults=(Fault("error", probability=0.3),), seed=5)
        return statuses(mock, 30)

    first = run()
    assert first == run()
    assert 0 < first.count(503) < 30


def test_dropped_connection(mock: Mock) -> None:
    mock.app.state.faults.drop_next(1)
    with pytest.raises(ConnectionDropped):
        mock.call("POST", "/token-test", token=False)
    assert mock.call("POST", "/token-test", token=False).status_code == 200
    assert mock.app.state.stats.by_status[0] == 1


def test_latency(mock: Mock) -> None:
    import time

    mock.app.state.faults.add(Fault("latency", next=1, delay=0.2))
    started = time.monotonic()
    assert mock.call("POST", "/token-test", token=False).status_code == 200
    assert time.monotonic() - started >= 0.2


def test_requests_are_counted(mock: Mock) -> None:
    stats = mock.app.state.stats
    mock.read("/machines")
    mock.call("POST", "/nowhere")
    assert stats.requests == 3  # authenticate, machines, unknown
    assert stats.by_route["machines.list"] == 1
    assert stats.by_route["<unknown>"] == 1
    stats.reset()
    assert stats.requests == 0


def test_faults_from_config(make_mock: MockFactory) -> None:
    mock = make_mock(faults=(Fault("error", next=1, status=503),))
    assert statuses(mock, 2) == [503, 200]


def test_config_with_limits() -> None:
    cfg = MockConfig().with_limits(5, 10, quota=100)
    assert cfg.limits is not None and (cfg.limits.rate, cfg.limits.burst) == (5, 10)


def test_token_bucket_refills_at_rate_and_forgives_only_the_slack() -> None:
    from generator.mock.limits import TokenBucket

    now = [0.0]
    strict = TokenBucket(20, 2, clock=lambda: now[0])
    lenient = TokenBucket(20, 2, clock=lambda: now[0], slack=0.05)
    assert [strict.take() for _ in range(3)] == [True, True, False]
    assert [lenient.take() for _ in range(4)] == [True, True, True, False]
    now[0] += 0.05  # one token at 20/s
    assert strict.take() and not strict.take()
