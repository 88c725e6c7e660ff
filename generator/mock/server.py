"""Run a mock app with uvicorn in a background thread (e2e tests, benchmarks)."""

from __future__ import annotations

import logging
import threading
import time
from types import TracebackType
from typing import Self

import uvicorn
from starlette.applications import Starlette

__all__ = ["MockServer"]


class MockServer:
    """``with MockServer(app) as server: server.url`` -- uvicorn on a free loopback port."""

    def __init__(self, app: Starlette, host: str = "127.0.0.1", port: int = 0) -> None:
        config = uvicorn.Config(
            app, host=host, port=port, lifespan="off", access_log=False, log_config=None
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, name="mock-server", daemon=True
        )
        self.host = host
        self.port = port
        # Dropped connections are raised on purpose; keep their tracebacks out of test logs.
        logging.getLogger("uvicorn.error").setLevel(logging.CRITICAL)

    def start(self, timeout: float = 10.0) -> None:
        """Start serving; returns once the socket accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the mock server did not start")
            time.sleep(0.01)
        sockets = self._server.servers[0].sockets
        self.port = int(sockets[0].getsockname()[1])

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and wait for the thread."""
        self._server.should_exit = True
        self._thread.join(timeout)

    def url(self, stage: str) -> str:
        """Base URL of ``stage`` on this server."""
        return f"http://{self.host}:{self.port}/{stage}"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
