"""What a mock server run is configured with: credentials, data size, limits and faults.

``MockConfig`` is fixed for the life of an app; ``Faults`` is the mutable control a test
holds (``app.state.faults``) to inject latency, 5xx answers, 429s or dropped connections.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from ..model import Limits

__all__ = ["DEFAULT_API_KEY", "Fault", "FaultKind", "Faults", "MockConfig", "utcnow"]

DEFAULT_API_KEY = "mock-api-key"
FaultKind = Literal["latency", "error", "drop", "throttle"]


def utcnow() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Fault:
    """One fault rule: what happens, and to which requests.

    A rule fires for a matching request when any of its schedules says so: the next
    ``next`` matching requests, every ``every``-th matching request, or at random with
    ``probability`` (seeded, so a run is reproducible).
    """

    kind: FaultKind
    probability: float = 0.0
    next: int = 0
    every: int = 0
    status: int = 503  # kind "error": 502, 503 or 504
    code: str | None = None  # kind "error": answer this error code's object instead
    delay: float = 0.0  # kind "latency": seconds
    retry_after: float | None = 1.0  # kind "throttle": Retry-After seconds (None: omit)
    routes: tuple[str, ...] = ()  # route names; empty: every route


@dataclass(slots=True)
class _Rule:
    fault: Fault
    remaining: int
    seen: int = 0


class Faults:
    """Thread-safe fault schedule shared by the app and the test that drives it."""

    def __init__(self, rules: tuple[Fault, ...] = (), seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._rules = [_Rule(rule, rule.next) for rule in rules]
        self.fired = 0  # how many faults fired in all

    def add(self, fault: Fault) -> None:
        """Add a rule; it applies from the next request on."""
        with self._lock:
            self._rules.append(_Rule(fault, fault.next))

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    def fail_next(
        self, n: int, status: int = 503, routes: tuple[str, ...] = ()
    ) -> None:
        """Answer the next ``n`` matching requests with ``status``."""
        self.add(Fault("error", next=n, status=status, routes=routes))

    def drop_next(self, n: int, routes: tuple[str, ...] = ()) -> None:
        """Drop the connection of the next ``n`` matching requests."""
        self.add(Fault("drop", next=n, routes=routes))

    def throttle_next(self, n: int, retry_after: float | None = 1.0) -> None:
        """Answer the next ``n`` requests with 429 Too Many Requests and Retry-After."""
        self.add(Fault("throttle", next=n, retry_after=retry_after))

    def fire(self, route: str) -> list[Fault]:
        """The faults that fire for one request to ``route`` (advances the schedules)."""
        fired: list[Fault] = []
        with self._lock:
            for rule in self._rules:
                if rule.fault.routes and route not in rule.fault.routes:
                    continue
                if self._fires(rule):
                    fired.append(rule.fault)
            self.fired += len(fired)
        return fired

    def _fires(self, rule: _Rule) -> bool:
        rule.seen += 1
        hit = False
        if rule.remaining > 0:
            rule.remaining -= 1
            hit = True
        if rule.fault.every > 0 and rule.seen % rule.fault.every == 0:
            hit = True
        if rule.fault.probability > 0 and self._rng.random() < rule.fault.probability:
            hit = True
        return hit


@dataclass(frozen=True, slots=True)
class MockConfig:
    """Settings of one mock app; every field has a usable default."""

    api_key: str = DEFAULT_API_KEY
    username: str = "api@example.com"
    password: str = "mock-password"
    seed: int = 1
    records: int = 1000  # rows of each paged table that is not part of the org tree
    organizations: tuple[int, ...] = (1, 2)  # the key's organizations; 3 exists outside
    enforce_limits: bool = True
    limits: Limits | None = None  # None: the stage's usage plan
    limit_slack: float = (
        0.0  # seconds of arrival jitter the rate limit forgives (strict)
    )
    token_lifetime: timedelta | None = None  # None: the stage's token lifetime
    history: timedelta = timedelta(days=120)  # how far back dated rows are spread
    faults: tuple[Fault, ...] = ()
    now: Callable[[], datetime] = field(default=utcnow)

    def with_limits(
        self, rate: float, burst: int, quota: int | None = None
    ) -> MockConfig:
        """A copy enforcing another usage plan."""
        plan = Limits(
            rate=rate, burst=burst, quota=quota, quota_period=timedelta(days=1)
        )
        return replace(self, limits=plan, enforce_limits=True)
