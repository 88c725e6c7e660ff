"""A small webhook receiver (stdlib ``http.server``) that verifies each call and syncs.

The vendor calls a registered URL when records change. Each call's body is signed:
the signature header holds the hex HMAC-SHA256 of the raw body keyed by the secret
given at registration. A call whose signature does not match is refused (401) and
triggers nothing; a verified call is answered 202 at once, then the changed entity's
``sync_into(mirror)`` runs (or ``on_change(entity)`` when given), so the vendor
never waits for a sync.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ._exceptions import UsageError

__all__ = ["WebhookConfig", "WebhookReceiver", "sign"]

_MAX_BODY = 64 * 1024


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """The signature header and the body key naming the changed entity."""

    signature_header: str
    entity_key: str = "entity"


def sign(secret: str, body: bytes) -> str:
    """The hex HMAC-SHA256 signature of ``body``."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookReceiver:
    """``with WebhookReceiver(client, secret=..., mirror=...) as r: register r.url``.

    ``client`` is a generated sync client; an entity named in a call must be one of its
    resource groups with a ``sync_into`` method. ``errors`` keeps what a triggered sync
    raised (the vendor gets its 202 either way).
    """

    def __init__(
        self,
        client: Any,
        *,
        secret: str,
        mirror: Any = None,
        on_change: Callable[[str], object] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        config: WebhookConfig | None = client.config.webhooks
        if config is None:
            raise UsageError("this API declares no webhooks")
        if mirror is None and on_change is None:
            raise UsageError("WebhookReceiver needs mirror= or on_change=")
        self.config, self._secret = config, secret
        self._client, self._mirror, self._on_change = client, mirror, on_change
        self.errors: list[BaseException] = []
        self.calls = 0
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The URL to register."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> WebhookReceiver:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def verify(self, body: bytes, signature: str | None) -> bool:
        """Whether ``signature`` is the body's signature under the secret."""
        return signature is not None and hmac.compare_digest(
            sign(self._secret, body), signature.strip().lower()
        )

    def trigger(self, entity: str) -> None:
        """Run the sync of ``entity`` (or the caller's ``on_change``)."""
        self.calls += 1
        try:
            if self._on_change is not None:
                self._on_change(entity)
            else:
                getattr(self._client, entity).sync_into(self._mirror)
        except Exception as exc:
            self.errors.append(exc)

    def _entity(self, body: bytes) -> str | None:
        try:
            data = json.loads(body)
        except ValueError:
            return None
        entity = data.get(self.config.entity_key) if isinstance(data, dict) else None
        group = getattr(self._client, entity, None) if isinstance(entity, str) else None
        return entity if hasattr(group, "sync_into") else None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                if length > _MAX_BODY:
                    return self._answer(413)
                body = self.rfile.read(length)
                header = receiver.config.signature_header
                if not receiver.verify(body, self.headers.get(header)):
                    return self._answer(401)
                entity = receiver._entity(body)
                if entity is None:
                    return self._answer(400)
                self._answer(202)
                receiver.trigger(entity)

            def _answer(self, status: int) -> None:
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()
                self.wfile.flush()

            def log_message(self, format: str, *args: Any) -> None:
                return  # quiet: the vendor's calls are not the caller's log

        return Handler
