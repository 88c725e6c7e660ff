"""The usage plan the gateway enforces per API key: token bucket and daily quota."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Literal

from ..spec.model import Limits

__all__ = ["Admission", "TokenBucket", "UsagePlan"]

Admission = Literal["ok", "throttled", "quota"]


class TokenBucket:
    """``burst`` tokens, refilled at ``rate`` per second; each request takes one.

    ``slack`` seconds of arrival jitter are forgiven (the bucket may dip that far below
    zero), as a real gateway's best-effort throttling does: a client pacing itself at
    exactly ``rate`` is not refused because one request arrived a few ms early.
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        slack: float = 0.0,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._floor = 1.0 - rate * slack
        self._tokens = float(burst)
        self._last = clock()

    def take(self) -> bool:
        """Take one token; False when the bucket is empty."""
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens >= self._floor:
            self._tokens -= 1.0
            return True
        return False


class UsagePlan:
    """Per-key buckets and quota counters (the quota is counted per UTC day)."""

    def __init__(
        self,
        limits: Limits,
        now: Callable[[], datetime],
        clock: Callable[[], float] = time.monotonic,
        slack: float = 0.0,
    ) -> None:
        self.limits = limits
        self.slack = slack
        self._now = now
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, TokenBucket] = {}
        self._used: dict[tuple[str, date], int] = {}

    def admit(self, key: str) -> Admission:
        """Whether one request of ``key`` may pass now."""
        with self._lock:
            day = (key, self._now().date())
            quota = self.limits.quota
            if quota is not None and self._used.get(day, 0) >= quota:
                return "quota"
            bucket = self._buckets.get(key)
            if bucket is None:
                limits = self.limits
                bucket = TokenBucket(limits.rate, limits.burst, self._clock, self.slack)
                self._buckets[key] = bucket
            if not bucket.take():
                return "throttled"
            self._used[day] = self._used.get(day, 0) + 1
            return "ok"

    def used_today(self, key: str) -> int:
        """Requests of ``key`` counted against today's quota."""
        with self._lock:
            return self._used.get((key, self._now().date()), 0)
