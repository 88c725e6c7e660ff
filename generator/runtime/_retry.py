"""When and how long to wait before retrying a failed request.

Only the timing lives here; *whether* a failure is retryable (429 Too Many Requests,
5xx, connection errors, and only on idempotent routes) is the client's decision. The
delay honours the server's ``Retry-After`` when it is valid and otherwise uses
exponential backoff with full jitter, so clients that failed together do not retry
together. Every delay is bounded: a hostile or buggy ``Retry-After`` never hangs a call.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

__all__ = ["RetryConfig", "RetryState", "parse_retry_after", "retry_delay"]

# delta-seconds per RFC 9110 is an integer; decimals are accepted because some gateways
# send them. No sign, exponent, "nan" or "inf": anything else is malformed.
_DELTA_SECONDS = re.compile(r"\d+(\.\d+)?")
# 2 ** 64 already dwarfs any max_delay; a larger exponent would overflow the float.
_MAX_EXPONENT = 64


@dataclass(frozen=True, slots=True)
class RetryConfig:
    """Retry budget of a client: attempts, backoff and the caps on every wait."""

    max_attempts: int = 4  # including the first attempt; 1 disables retries
    base_delay: float = 0.5  # seconds; the backoff ceiling doubles from here
    max_delay: float = 30.0  # ceiling of one backoff delay
    max_total_delay: float = 120.0  # give up rather than wait longer than this in all
    max_retry_after: float = 300.0  # a longer Retry-After is cut down to this

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(
                f"max_attempts must be at least 1, got {self.max_attempts!r}"
            )
        for name in ("base_delay", "max_delay", "max_total_delay", "max_retry_after"):
            value = getattr(self, name)
            if not (value >= 0 and math.isfinite(value)):
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")

    @classmethod
    def disabled(cls) -> RetryConfig:
        """A config that never retries."""
        return cls(max_attempts=1)


def parse_retry_after(value: str, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP-date).

    Returns None when the value is malformed. A date in the past means "now" (0.0).
    """
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        seconds = float(value)
        return seconds if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    seconds = (_as_utc(when) - _as_utc(now)).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _as_utc(moment: datetime) -> datetime:
    """Naive datetimes are UTC (HTTP dates are always GMT)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def retry_delay(
    config: RetryConfig,
    attempt: int,
    response: httpx.Response | None,
    *,
    rng: random.Random | None = None,
    now: datetime | None = None,
) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based).

    A valid ``Retry-After`` wins, capped at ``config.max_retry_after``; otherwise
    full-jitter backoff: uniform(0, min(max_delay, base_delay * 2 ** (attempt - 1))).
    """
    if attempt < 1:
        raise ValueError(f"attempt is 1-based, got {attempt!r}")
    header = response.headers.get("retry-after") if response is not None else None
    if header is not None:
        waited = parse_retry_after(
            header, now if now is not None else datetime.now(UTC)
        )
        if waited is not None:
            return min(waited, config.max_retry_after)
    ceiling = min(
        config.max_delay, config.base_delay * 2 ** min(attempt - 1, _MAX_EXPONENT)
    )
    return (rng if rng is not None else random).uniform(0.0, ceiling)


class RetryState:
    """The retry budget of one call: counts the delay spent so far across attempts."""

    def __init__(
        self, config: RetryConfig, *, rng: random.Random | None = None
    ) -> None:
        self.config = config
        self._rng = rng
        self.total_delay = 0.0  # seconds already granted to this call's retries

    def next_delay(
        self,
        attempt: int,
        response: httpx.Response | None = None,
        *,
        now: datetime | None = None,
    ) -> float | None:
        """Delay before the next attempt after ``attempt`` failed, or None to give up.

        None when ``attempt`` was the last allowed one, or when waiting would push the
        total delay of this call past ``config.max_total_delay``.
        """
        if attempt >= self.config.max_attempts:
            return None
        delay = retry_delay(self.config, attempt, response, rng=self._rng, now=now)
        if self.total_delay + delay > self.config.max_total_delay:
            return None
        self.total_delay += delay
        return delay
