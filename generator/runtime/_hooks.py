"""Observing a client: the events hooks receive for each attempt and retry wait."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Hooks", "RequestEvent"]


@dataclass(frozen=True, slots=True)
class RequestEvent:
    """What a hook learns about one attempt; never headers or bodies."""

    route: str
    method: str
    url: str  # without the query string
    attempt: int
    status: int | None = None
    elapsed: float | None = None  # seconds from send to response
    wait: float | None = None  # seconds before the next attempt (on_retry only)


class Hooks:
    """Observer of requests; subclass and override what you need (all no-ops here)."""

    def on_request(self, event: RequestEvent) -> None:
        """Called before each attempt is sent."""

    def on_response(self, event: RequestEvent) -> None:
        """Called when an attempt got a response (any status)."""

    def on_retry(self, event: RequestEvent) -> None:
        """Called before waiting ``event.wait`` seconds for the next attempt."""
