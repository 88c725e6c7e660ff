"""What a mock server run is configured with: credentials, data size, limits and faults.

``MockConfig`` is fixed for the life of an app; ``Faults`` is the mutable control a test
holds (``app.state.faults``) to inject latency, 5xx answers, 429s or dropped connections.
A fault fires either before the API handles the request (the default: nothing was
applied) or, with ``after_handler=True``, after the handler ran (a write is applied,
then its answer is lost or replaced). ``ManualClock`` is a ``now`` a test can move.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from ..spec.model import Limits

__all__ = [
    "DEFAULT_API_KEY",
    "Fault",
    "FaultKind",
    "Faults",
    "ManualClock",
    "MockConfig",
    "utcnow",
]

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

    ``after_handler=False`` (default): the fault fires at the gateway, before the API
    sees the request, so nothing is applied. ``after_handler=True``: the API handles the
    request first (a write changes the store), then the fault replaces or loses its
    answer -- the case where a client must not repeat a write that did happen. Such a
    rule's schedule counts only requests that reached the handler.
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
    after_handler: bool = False  # fire after the handler ran (its effect is applied)


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

    def drop_after_next(self, n: int, routes: tuple[str, ...] = ()) -> None:
        """Handle the next ``n`` matching requests, then drop their connections."""
        self.add(Fault("drop", next=n, routes=routes, after_handler=True))

    def fail_after_next(
        self, n: int, status: int = 503, routes: tuple[str, ...] = ()
    ) -> None:
        """Handle the next ``n`` matching requests, then answer ``status`` instead."""
        self.add(
            Fault("error", next=n, status=status, routes=routes, after_handler=True)
        )

    def throttle_next(self, n: int, retry_after: float | None = 1.0) -> None:
        """Answer the next ``n`` requests with 429 Too Many Requests and Retry-After."""
        self.add(Fault("throttle", next=n, retry_after=retry_after))

    def fire(self, route: str, after_handler: bool = False) -> list[Fault]:
        """The faults of one phase that fire for a request to ``route``.

        Advances the schedules of that phase's matching rules only.
        """
        fired: list[Fault] = []
        with self._lock:
            for rule in self._rules:
                if rule.fault.after_handler != after_handler:
                    continue
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


class ManualClock:
    """A ``MockConfig.now`` that moves only when told to (thread-safe).

    ``ManualClock(start)`` reads ``start`` until ``advance(delta)`` or ``set(moment)``;
    a test uses it to move the server's "now" between requests.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._now = start if start is not None else utcnow()
        if self._now.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock by ``delta``; returns the new time."""
        with self._lock:
            self._now += delta
            return self._now

    def set(self, moment: datetime) -> None:
        """Jump to ``moment`` (aware)."""
        if moment.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        with self._lock:
            self._now = moment


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
