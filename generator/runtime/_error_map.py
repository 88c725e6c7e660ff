"""The one function that maps a non-2xx response onto the exception tree of ``_exceptions``.

Apart from the tree so that ``_exceptions`` imports nothing of the runtime: ``_config``
names exception classes in ``ErrorConfig``, and this module reads that config.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from ._config import ErrorConfig, RouteInfo
from ._exceptions import (
    APIErrorResponse,
    APIStatusError,
    ErrorDetail,
    GatewayError,
    RedirectError,
)

__all__ = ["json_body", "make_status_error"]


def _keep(text: str) -> str:
    return text


def make_status_error(
    config: ErrorConfig,
    route: RouteInfo,
    response: httpx.Response,
    *,
    scrub: Callable[[str], str] = _keep,
) -> APIStatusError:
    """Map a non-2xx response to the most specific exception class.

    ``scrub`` is applied to every server-supplied string the exception keeps
    (messages, string pointers, pointer names), so a credential the server echoed
    is in no attribute, not only out of ``str(exc)``.
    """
    if response.is_redirect or 300 <= response.status_code < 400:
        return RedirectError(
            location=scrub(_location(response)), response=response, route=route.name
        )
    body = json_body(response)
    errors = _error_objects(config, body, scrub)
    if errors:
        cls = config.codes.get(errors[0].code, APIErrorResponse)
        return cls(errors=errors, response=response, route=route.name)
    message = _gateway_message(config, body)
    if message is not None:
        # The class is chosen by the exact message; only what is kept is scrubbed.
        key = (response.status_code, message)
        gateway = config.gateway.get(key, GatewayError)
        if key == config.unknown_path_gateway:
            message += _wrong_base_url(response)
        return gateway(message=scrub(message), response=response, route=route.name)
    return APIStatusError(
        scrub(response.reason_phrase or "unexpected status"),
        response=response,
        route=route.name,
    )


def json_body(response: httpx.Response) -> object:
    """The decoded JSON body, or None when it is not JSON a parser can hold.

    ``RecursionError`` (JSON nested thousands deep) and ``UnicodeDecodeError`` are
    server-caused too, so they mean "no JSON" here like any other ``ValueError``.
    """
    try:
        return response.json()
    except (ValueError, RecursionError):
        return None


def _wrong_base_url(response: httpx.Response) -> str:
    # The client only calls its stage's own routes, so an unknown path means the
    # base URL or the stage does not match the server, not a missing route.
    try:
        url = str(response.request.url)
    except RuntimeError:  # a response built without its request
        url = "unknown"
    return (
        " (the server knows no such path: the base URL or stage is probably wrong;"
        f" URL used: {url})"
    )


def _location(response: httpx.Response) -> str:
    """The redirect target without its query (which might carry anything)."""
    raw = response.headers.get("location", "")
    try:
        url = httpx.URL(raw)
    except (httpx.InvalidURL, ValueError, TypeError):
        return "(invalid location)"
    # Scheme, host and path only: no userinfo, query or fragment, capped in length.
    origin = f"{url.scheme}://{url.host}" if url.is_absolute_url else ""
    return f"{origin}{url.path}"[:200]


def _error_objects(
    config: ErrorConfig, body: object, scrub: Callable[[str], str]
) -> list[ErrorDetail]:
    """Error objects from a list of them or a single one; [] when the body is neither."""
    items = body if isinstance(body, list) else [body]
    details = [_error_detail(config, item, scrub) for item in items]
    if not details or any(detail is None for detail in details):
        return []
    return [detail for detail in details if detail is not None]


def _error_detail(
    config: ErrorConfig, item: object, scrub: Callable[[str], str]
) -> ErrorDetail | None:
    if not isinstance(item, dict):
        return None
    code = item.get(config.code_key)
    if not isinstance(code, str):
        return None
    message = item.get(config.message_key)
    pointers = item.get(config.pointers_key)
    pointer_name = item.get(config.pointer_name_key)
    return ErrorDetail(
        code=code,
        message=scrub(message) if isinstance(message, str) else "",
        pointers=(
            tuple(scrub(p) if isinstance(p, str) else p for p in pointers)
            if isinstance(pointers, list)
            else ()
        ),
        pointer_name=scrub(pointer_name) if isinstance(pointer_name, str) else None,
    )


def _gateway_message(config: ErrorConfig, body: object) -> str | None:
    # The gateway's body has a message and nothing that looks like an error code.
    if isinstance(body, dict) and config.code_key not in body:
        message = body.get(config.message_key)
        if isinstance(message, str):
            return message
    return None
