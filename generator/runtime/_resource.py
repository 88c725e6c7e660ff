"""Base classes of the generated resource groups (``client.machines``, ...)."""

from __future__ import annotations

from ._async_client import AsyncAPIClient
from ._client import SyncAPIClient

__all__ = ["AsyncResource", "SyncResource"]


class SyncResource:
    """A group of routes bound to a ``SyncAPIClient``."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncResource:
    """A group of routes bound to an ``AsyncAPIClient``."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
