"""Hand-written client core, copied verbatim into every generated package as ``_runtime``.

Only relative imports are allowed here: the same files run as ``generator.runtime`` in
this repository's tests and as ``<package>._runtime`` inside each generated client.

Parts a package may never use (the SQLite mirror, the sync cursor, the webhook
receiver and what they import: ``sqlite3``, ``http.server``) load on first access to
one of their names, not with the package (PEP 562 ``__getattr__``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._async_client import AsyncAPIClient
from ._base_client import DEFAULT_TIMEOUT, Hooks, RequestEvent
from ._client import SyncAPIClient
from ._config import (
    ApiConfig,
    DateRangeConfig,
    ErrorConfig,
    FilterField,
    LimitsConfig,
    PaginationConfig,
    RouteInfo,
    TokenConfig,
)
from ._error_map import make_status_error
from ._exceptions import (
    APIConnectionError,
    APIErrorResponse,
    APIStatusError,
    APITimeoutError,
    DateRangeError,
    ErrorDetail,
    GatewayError,
    LimiterUnavailable,
    MissingCredentialsError,
    QuotaExhausted,
    RangeClampedWarning,
    RedirectError,
    ResponseTooLargeError,
    ResponseValidationError,
    UnhonouredFilterError,
    UsageError,
    VendorError,
)
from ._hooks import LimitEvent
from ._limits import Clock, Grant, Limiter, LimiterBackend, RateLimiter, SystemClock
from ._offset_pagination import OffsetConfig, OffsetPage
from ._pagination import Page
from ._receive import DEFAULT_MAX_RESPONSE_BYTES
from ._redis_limiter import RedisLimiter, SharedLimiter
from ._resource import AsyncResource, SyncResource
from ._retry import RetryConfig
from ._text_rules import TextRuleError
from ._timeouts import Timeouts
from ._token_pair_auth import PairToken, TokenPairConfig
from ._types import NOT_GIVEN, NotGiven, SequenceNotStr, Timeout, omit_not_given

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIErrorResponse",
    "APIStatusError",
    "APITimeoutError",
    "ApiConfig",
    "AsyncAPIClient",
    "AsyncResource",
    "Change",
    "Clock",
    "DateRangeConfig",
    "DateRangeError",
    "ErrorConfig",
    "ErrorDetail",
    "FilterField",
    "GatewayError",
    "Grant",
    "Hooks",
    "LimitEvent",
    "Limiter",
    "LimiterBackend",
    "LimiterUnavailable",
    "LimitsConfig",
    "MirrorTable",
    "MissingCredentialsError",
    "NotGiven",
    "OffsetConfig",
    "OffsetPage",
    "Page",
    "PaginationConfig",
    "PairToken",
    "QuotaExhausted",
    "RangeClampedWarning",
    "RateLimiter",
    "RedirectError",
    "RedisLimiter",
    "RequestEvent",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "RetryConfig",
    "RouteInfo",
    "SequenceNotStr",
    "SharedLimiter",
    "SqliteMirror",
    "SyncAPIClient",
    "SyncConfig",
    "SyncPage",
    "SyncResource",
    "SystemClock",
    "TextRuleError",
    "Timeout",
    "Timeouts",
    "TokenConfig",
    "TokenPairConfig",
    "UnhonouredFilterError",
    "UsageError",
    "VendorError",
    "WebhookConfig",
    "WebhookReceiver",
    "make_status_error",
    "omit_not_given",
]


if TYPE_CHECKING:
    from ._mirror import MirrorTable, SqliteMirror
    from ._sync_cursor import Change, SyncConfig, SyncPage
    from ._webhooks import WebhookConfig, WebhookReceiver

_LAZY = {
    "MirrorTable": "._mirror",
    "SqliteMirror": "._mirror",
    "Change": "._sync_cursor",
    "SyncConfig": "._sync_cursor",
    "SyncPage": "._sync_cursor",
    "WebhookConfig": "._webhooks",
    "WebhookReceiver": "._webhooks",
}


def __getattr__(name: str) -> Any:
    """A name of a part loaded on first use (see the module docstring)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
