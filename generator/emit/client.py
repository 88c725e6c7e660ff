"""``_client.py`` of a package: ``Client`` and ``AsyncClient`` with one attribute per group."""

from __future__ import annotations

from typing import Any

from ..spec.model import StageApi
from . import rest_views
from .templating import from_import
from .views import GroupView, docstring

FILE = "_client.py"


def module_doc(where: str, stage: StageApi) -> str:
    """The module docstring."""
    return f"``Client`` and ``AsyncClient`` of {where}."


def context(stage: StageApi, groups: tuple[GroupView, ...]) -> dict[str, Any]:
    """Slots of ``package/_client.py.j2``."""
    flavours = [
        {
            "prefix": p,
            "base": base,
            "http": http,
            "doc": docstring(_client_doc(stage, p == "Async", groups)),
        }
        for p, base, http in (
            ("", "SyncAPIClient", "httpx.Client"),
            ("Async", "AsyncAPIClient", "httpx.AsyncClient"),
        )
    ]
    imports = [
        line
        for g in sorted(groups, key=lambda g: g.attr)
        for line in from_import(
            f".resources.{g.attr}", [g.class_name, "Async" + g.class_name], indent=4
        )
    ]
    credentials, credential_args = rest_views.credentials(stage)
    return {
        "credentials": credentials,
        "credential_args": credential_args,
        "groups": [
            {
                "attr": g.attr,
                "class_name": g.class_name,
                "lazy_imports": {
                    p: from_import(f".resources.{g.attr}", [p + g.class_name], indent=8)[0]
                    for p in ("", "Async")
                },
            }
            for g in groups
        ],
        "flavours": flavours,
        "resource_imports": imports,
    }


def _client_doc(stage: StageApi, is_async: bool, groups: tuple[GroupView, ...]) -> str:
    """What ``help(Client)`` shows: arguments, environment variables, resource groups."""
    kind = "Asynchronous" if is_async else "Synchronous"
    info = stage.info
    envs = [
        (info.api_key_env, "api_key"),
        (info.username_env, "username"),
        (info.password_env, "password"),
    ]
    read = {arg: f" Default: the {env} environment variable." for env, arg in envs if env}
    args = _client_args(stage, is_async, read)
    lines = [
        f"{kind} client of {info.title}, stage {stage.stage.name}.",
        "",
        f"Default base URL: {stage.base_url}. Use as a context manager so connections are closed.",
        "",
        "Args:",
        *(f"    {name}: {text}" for name, text in args),
    ]
    if any(env for env, _ in envs):
        lines += ["", "Environment variables (read when the argument is not passed):"]
        lines += [f"    {env}: {arg}" for env, arg in envs if env]
    lines += ["", "Resource groups (attributes):"]
    for g in groups:
        verbs = sorted({v for r in g.routes for v in (r.py_verb, r.page_verb) if v})
        lines.append(f"    {g.attr}: {', '.join(verbs)}")
    return "\n".join(lines)


def _client_args(stage: StageApi, is_async: bool, read: dict[str, str]) -> list[tuple[str, str]]:
    """One line per constructor argument, in signature order."""
    lim, http = stage.limits, "httpx.AsyncClient" if is_async else "httpx.Client"
    hours = lim.quota_period.total_seconds() / 3600
    quota = f", {lim.quota} calls per {hours:g} h" if lim.quota else ""
    token = stage.auth.token
    route = next((r for r in stage.routes if token and r.name == token.route), None)
    token_route = f"{route.method} {route.path}" if route else "the token route"
    return [
        ("base_url", f"Root URL of the stage, e.g. a mock's. Default: {stage.base_url}."),
        (
            "api_key",
            f"Sent as the {stage.auth.api_key_header} header on every call."
            + read.get("api_key", ""),
        ),
        ("username", f"User for {token_route} (session token)." + read.get("username", "")),
        ("password", "Password for the token route; never logged." + read.get("password", "")),
        ("timeout", "Seconds, an httpx.Timeout or Timeouts(total=...) per call; overridable."),
        ("http_client", f"An {http} to send with (proxies, transports); not closed by us."),
        (
            "limiter",
            f"A RateLimiter or RedisLimiter (shared by processes on one key); None builds "
            f"one ({lim.rate:g}/s, burst {lim.burst}{quota}); False turns client-side "
            "limits off.",
        ),
        ("retry", "RetryConfig for idempotent calls (429, 5xx, connection errors)."),
        ("hooks", "Hooks called with each request, response and limiter grant."),
        ("clock", "Time source of limits, token expiry and default dates (for tests)."),
        (
            "max_response_bytes",
            "Largest response body read, after decompression (default 64 MiB); "
            "a larger one raises ResponseTooLargeError.",
        ),
    ]
