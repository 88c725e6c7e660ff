"""Per-attempt timeouts and the total budget of one call.

httpx times each phase of one attempt (connect, read, write, pool) but has no limit
on a whole call. ``Timeouts.total`` adds one: a ``Deadline`` started when a call begins
covers its token fetch, rate-limiter waits, every attempt, every retry wait and the
whole read of each response (headers and body, however slowly a server dribbles them:
see ``_receive.py``). Each attempt's httpx timeouts are cut down to the time left, a
rate-limit or retry wait that would end past the deadline is not taken, and either way
the call raises ``APITimeoutError``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import httpx

from ._exceptions import APITimeoutError
from ._limits import Clock

__all__ = ["Deadline", "Timeouts"]


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds allowed per phase of one attempt, and for a whole call (None: no limit).

    ``total`` spans every attempt, rate-limit wait and retry wait of one call (one
    page of a ``list()`` walk is one call).
    """

    connect: float | None = 10.0
    read: float | None = 30.0
    write: float | None = 30.0
    pool: float | None = 30.0
    total: float | None = None

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if value is not None and not (value >= 0 and math.isfinite(value)):
                raise ValueError(
                    f"{item.name} timeout must be None or a finite number >= 0, "
                    f"got {value!r}"
                )

    @classmethod
    def of(cls, value: float | httpx.Timeout | Timeouts | None) -> Timeouts:
        """Normalize any accepted timeout value; plain values set no total budget."""
        if isinstance(value, Timeouts):
            return value
        if value is None or isinstance(value, int | float):
            seconds = None if value is None else float(value)
            return cls(seconds, seconds, seconds, seconds)
        return cls(value.connect, value.read, value.write, value.pool)

    def for_attempt(self, remaining: float | None = None) -> httpx.Timeout:
        """httpx's timeouts for one attempt, none longer than ``remaining`` seconds."""

        def cap(value: float | None) -> float | None:
            if remaining is None:
                return value
            return remaining if value is None else min(value, remaining)

        return httpx.Timeout(
            connect=cap(self.connect),
            read=cap(self.read),
            write=cap(self.write),
            pool=cap(self.pool),
        )


class Deadline:
    """The end of one call's ``total`` budget on ``clock`` (never ends when None)."""

    def __init__(self, clock: Clock, total: float | None) -> None:
        self.total = total
        self._clock = clock
        self._ends = None if total is None else clock.now() + total

    def remaining(self) -> float | None:
        """Seconds left (may be <= 0), or None without a budget."""
        return None if self._ends is None else self._ends - self._clock.now()

    def allows(self, wait: float) -> bool:
        """Whether waiting ``wait`` seconds still leaves time for another attempt."""
        left = self.remaining()
        return left is None or wait < left

    def check(
        self, route: str, detail: str = "before the next attempt could be sent"
    ) -> float | None:
        """Seconds left; raise ``APITimeoutError`` (saying when: ``detail``) if none."""
        left = self.remaining()
        if left is not None and left <= 0:
            raise self.error(route, detail)
        return left

    def expired(self) -> bool:
        """Whether the budget has run out."""
        left = self.remaining()
        return left is not None and left <= 0

    def error(self, route: str, detail: str) -> APITimeoutError:
        """The error a call raises when its total budget runs out."""
        total = self.total if self.total is not None else 0.0
        return APITimeoutError(route, f"total timeout of {total:g}s ran out {detail}")
