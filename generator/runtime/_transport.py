"""Transports: how a request's payload goes on the wire and a response body comes back.

``Transport`` is the interface; ``JsonTransport`` (JSON bodies over httpx) is today's
one. A SOAP transport (envelopes over httpx) is one more class here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import httpx

from ._json import dumps, loads

__all__ = ["JSON_TRANSPORT", "JsonTransport", "Transport"]


@runtime_checkable
class Transport(Protocol):
    """What a client needs from a transport."""

    def build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        method: str,
        url: str,
        payload: object,
        *,
        headers: Mapping[str, str],
        timeout: httpx.Timeout,
    ) -> httpx.Request:
        """One attempt's request carrying ``payload`` (``None``: no body)."""
        ...

    def decode(self, response: httpx.Response) -> object:
        """The response body as Python data; ``ValueError`` when it is malformed."""
        ...


class JsonTransport:
    """JSON request and response bodies over httpx."""

    def build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        method: str,
        url: str,
        payload: object,
        *,
        headers: Mapping[str, str],
        timeout: httpx.Timeout,
    ) -> httpx.Request:
        """``payload`` as the JSON body, each ``Decimal`` written digit for digit."""
        if payload is None:
            return http.build_request(
                method, url, headers=dict(headers), timeout=timeout
            )
        content = dumps(payload).encode()
        merged = {"Content-Type": "application/json", **headers}
        return http.build_request(
            method, url, content=content, headers=merged, timeout=timeout
        )

    def decode(self, response: httpx.Response) -> object:
        """The JSON body; numbers with a fraction become ``Decimal`` (money stays exact)."""
        return loads(response.content)


JSON_TRANSPORT: Transport = JsonTransport()
