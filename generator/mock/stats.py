"""Request counts of a mock app, shared by the gateway-style and rest-style apps."""

from __future__ import annotations

import threading
from collections import Counter

__all__ = ["Stats"]


class Stats:
    """Requests served, by route name and by status (0: connection dropped)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_route: Counter[str] = Counter()
        self.by_status: Counter[int] = Counter()

    @property
    def requests(self) -> int:
        """Every request received."""
        return sum(self.by_route.values())

    def record(self, route: str, status: int) -> None:
        """Count one request."""
        with self._lock:
            self.by_route[route] += 1
            self.by_status[status] += 1

    def reset(self) -> None:
        """Forget every count."""
        with self._lock:
            self.by_route.clear()
            self.by_status.clear()
