"""Retry timing: Retry-After parsing and capping, jittered backoff, and the retry budget."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from generator.runtime._retry import (
    RetryConfig,
    RetryState,
    parse_retry_after,
    retry_delay,
)

NOW = datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC)


def response(retry_after: str | None = None, status: int = 429) -> httpx.Response:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    return httpx.Response(status, headers=headers)


# --- RetryConfig ------------------------------------------------------------------


def test_defaults_and_disabled() -> None:
    config = RetryConfig()
    assert (config.max_attempts, config.base_delay, config.max_delay) == (4, 0.5, 30.0)
    assert (config.max_total_delay, config.max_retry_after) == (120.0, 300.0)
    assert RetryConfig.disabled().max_attempts == 1
    assert RetryState(RetryConfig.disabled()).next_delay(1, response("1")) is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"max_attempts": 0}, "max_attempts"),
        ({"base_delay": -0.1}, "base_delay"),
        ({"max_delay": -1}, "max_delay"),
        ({"max_total_delay": float("nan")}, "max_total_delay"),
        ({"max_retry_after": float("inf")}, "max_retry_after"),
    ],
)
def test_invalid_config(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        RetryConfig(**kwargs)  # type: ignore[arg-type]


# --- parse_retry_after ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        ("7", 7.0),
        (" 120 ", 120.0),
        ("1.5", 1.5),
        ("Fri, 01 Mar 2024 12:00:30 GMT", 30.0),
        ("Fri, 01 Mar 2024 13:00:00 +0000", 3600.0),
        ("Fri, 01 Mar 2024 11:00:00 GMT", 0.0),  # already past: retry now
        ("Fri, 01 Mar 2024 12:00:10 -0000", 10.0),  # naive result, read as UTC
    ],
)
def test_parse_retry_after_valid(value: str, expected: float) -> None:
    assert parse_retry_after(value, NOW) == pytest.approx(expected)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "-1",
        "-0.5",
        "soon",
        "nan",
        "inf",
        "1e3",
        "+5",
        "5s",
        "9" * 400,
        "Fri, 99 Foo",
    ],
)
def test_parse_retry_after_malformed(value: str) -> None:
    assert parse_retry_after(value, NOW) is None


def test_parse_retry_after_naive_now_is_utc() -> None:
    assert (
        parse_retry_after("Fri, 01 Mar 2024 12:01:00 GMT", NOW.replace(tzinfo=None))
        == 60
    )


# --- retry_delay ------------------------------------------------------------------


def test_retry_after_seconds_wins_over_backoff() -> None:
    assert retry_delay(RetryConfig(), 1, response("3")) == 3.0


def test_retry_after_http_date() -> None:
    later = "Fri, 01 Mar 2024 12:00:45 GMT"
    assert retry_delay(RetryConfig(), 2, response(later), now=NOW) == pytest.approx(
        45.0
    )


def test_huge_retry_after_is_capped() -> None:
    config = RetryConfig(max_retry_after=300.0)
    assert retry_delay(config, 1, response(str(24 * 3600))) == 300.0
    next_year = (NOW + timedelta(days=365)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert retry_delay(config, 1, response(next_year), now=NOW) == 300.0


@pytest.mark.parametrize("value", ["garbage", "-3", "nan"])
def test_malformed_retry_after_falls_back_to_backoff(value: str) -> None:
    config = RetryConfig(base_delay=1.0, max_delay=30.0)
    for _ in range(50):
        assert 0.0 <= retry_delay(config, 3, response(value)) <= 4.0


def test_backoff_without_a_response() -> None:
    assert 0.0 <= retry_delay(RetryConfig(), 1, None) <= 0.5


def test_full_jitter_bounds_with_seeded_rng() -> None:
    config = RetryConfig(base_delay=0.5, max_delay=30.0)
    rng = random.Random(1234)
    for attempt, ceiling in [
        (1, 0.5),
        (2, 1.0),
        (3, 2.0),
        (4, 4.0),
        (7, 30.0),
        (500, 30.0),
    ]:
        delays = [retry_delay(config, attempt, None, rng=rng) for _ in range(200)]
        assert all(0.0 <= d <= ceiling for d in delays)
        # Full jitter spreads over the whole range, not just near the ceiling.
        assert min(delays) < ceiling * 0.1 and max(delays) > ceiling * 0.9


def test_seeded_rng_is_reproducible() -> None:
    config = RetryConfig()
    first = [retry_delay(config, 3, None, rng=random.Random(7)) for _ in range(3)]
    again = [retry_delay(config, 3, None, rng=random.Random(7)) for _ in range(3)]
    assert first == again


def test_attempt_is_one_based() -> None:
    with pytest.raises(ValueError, match="1-based"):
        retry_delay(RetryConfig(), 0, None)


# --- RetryState -------------------------------------------------------------------


def test_attempts_are_exhausted() -> None:
    state = RetryState(RetryConfig(max_attempts=3), rng=random.Random(0))
    first, second = state.next_delay(1), state.next_delay(2)
    assert first is not None and second is not None
    assert state.next_delay(3) is None
    assert state.total_delay == pytest.approx(first + second)


def test_total_delay_budget_is_never_exceeded() -> None:
    state = RetryState(RetryConfig(max_attempts=10, max_total_delay=10.0))
    assert state.next_delay(1, response("4")) == 4.0
    assert state.next_delay(2, response("6")) == 6.0  # exactly at the budget
    assert state.next_delay(3, response("0.5")) is None
    assert state.total_delay == 10.0


def test_capped_retry_after_beyond_the_budget_gives_up() -> None:
    state = RetryState(RetryConfig(max_total_delay=120.0, max_retry_after=300.0))
    assert state.next_delay(1, response("86400")) is None
    assert state.total_delay == 0.0


def test_backoff_budget_over_many_attempts() -> None:
    config = RetryConfig(
        max_attempts=100, base_delay=1.0, max_delay=8.0, max_total_delay=20.0
    )
    state = RetryState(config, rng=random.Random(3))
    delays = []
    attempt = 1
    while (delay := state.next_delay(attempt)) is not None:
        delays.append(delay)
        attempt += 1
    assert sum(delays) <= 20.0 and attempt < 100
    assert state.total_delay == pytest.approx(sum(delays))


def test_next_delay_passes_now_for_http_dates() -> None:
    state = RetryState(RetryConfig())
    when = "Fri, 01 Mar 2024 12:00:20 GMT"
    assert state.next_delay(1, response(when, status=503), now=NOW) == pytest.approx(
        20.0
    )
