"""``routegen mock [SPEC] --stage S``: serve one stage of a spec on a local port.

The socket is bound before the ready line is printed, so a script that waits for
that line can connect at once (``--port 0`` picks a free port and prints it). Every
request is logged as ``METHOD /path STATUS 12.3ms`` (``--quiet`` turns it off).
"""

from __future__ import annotations

import argparse
import socket
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from ..spec.model import Limits
from ..spec.soap import SoapApi
from .common import Exit, load_any, one_spec

__all__ = ["DEFAULTS", "add_parser", "run"]

# The mock's defaults, spelled out so that building the parser (every routegen command)
# does not import the server (starlette); tests/mock/test_cli.py keeps them equal to
# ``MockConfig()``.
DEFAULTS: dict[str, Any] = {
    "api_key": "mock-api-key",
    "username": "api@example.com",
    "password": "mock-password",
    "seed": 1,
    "records": 1000,
    "limit_slack": 0.0,
}
#: more rows than this per table would only exhaust memory while the mock starts
_MAX_RECORDS = 1_000_000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]


def _ranged(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer within ``[low, high]`` (else a usage error, exit 2)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not within {low}..{high}")
        return value

    parse.__name__ = "integer"  # argparse names the type in its message
    return parse


def _printable(text: str) -> str:
    """An argparse type: non-empty printable ASCII (it is compared with HTTP headers)."""
    if not text or not (text.isascii() and text.isprintable()):
        raise argparse.ArgumentTypeError("must be non-empty printable ASCII")
    return text


def add_parser(sub: Any) -> None:
    """Register the ``mock`` sub-command."""
    p = sub.add_parser(
        "mock",
        help="serve one stage with realistic data and the vendor's rules",
        description=__doc__.split("\n\n")[1].replace("``", "`"),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("spec", nargs="?", help="the spec (default: the only spec/*.yaml)")
    p.add_argument("--stage", required=True, help="the stage to serve, e.g. v2.1")
    p.add_argument(
        "--host", type=_printable, default="127.0.0.1", help="address to listen on"
    )
    p.add_argument(
        "--port", type=_ranged(0, 65535), default=8000, help="port (0: any free port)"
    )
    p.add_argument(
        "--seed",
        type=_ranged(-(2**63), 2**63 - 1),
        default=DEFAULTS["seed"],
        help="seed of the data",
    )
    p.add_argument(
        "--records",
        type=_ranged(0, _MAX_RECORDS),
        default=DEFAULTS["records"],
        help="records per collection",
    )
    p.add_argument(
        "--api-key",
        type=_printable,
        default=DEFAULTS["api_key"],
        help="the accepted api key",
    )
    p.add_argument("--username", default=DEFAULTS["username"], help="the accepted user")
    p.add_argument(
        "--password", default=DEFAULTS["password"], help="the user's password"
    )
    p.add_argument(
        "--no-limits", action="store_true", help="do not enforce the usage plan"
    )
    p.add_argument("--rate", type=float, help="requests/s enforced (default: spec)")
    p.add_argument("--burst", type=int, help="bucket size enforced (default: spec)")
    p.add_argument("--quota", type=int, help="requests/day enforced (default: spec)")
    p.add_argument(
        "--slack",
        type=float,
        default=DEFAULTS["limit_slack"],
        help="seconds of arrival jitter the rate limit forgives (0: strict)",
    )
    p.add_argument("--quiet", action="store_true", help="do not log each request")
    p.add_argument(
        "--cert", help="soap specs: PEM certificate the request signatures must verify against"
    )
    p.set_defaults(func=run)


def logged(app: Asgi, out: Any = sys.stdout) -> Asgi:
    """``app`` that prints ``METHOD /path STATUS 12.3ms`` for every HTTP request."""

    async def wrapper(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started, status = time.perf_counter(), [0]

        async def send_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await app(scope, receive, send_status)
        finally:
            ms = (time.perf_counter() - started) * 1000
            shown = status[0] or "---"  # the connection dropped before a response
            print(
                f"{scope['method']} {scope['path']} {shown} {ms:.1f}ms",
                file=out,
                flush=True,
            )

    return wrapper


def _bind(host: str, port: int) -> socket.socket | str:
    """A listening socket, or why there is none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except (OSError, UnicodeError, OverflowError) as exc:
        return (
            f"cannot listen on {host}:{port}: {getattr(exc, 'strerror', None) or exc}"
        )
    sock.set_inheritable(True)
    return sock


def run(args: argparse.Namespace) -> int:
    """Load the spec, bind the port, print the ready line and serve until interrupted."""
    spec = one_spec("mock", args.spec)
    if isinstance(spec, Exit):
        return int(spec)
    api = load_any(spec)
    if isinstance(api, Exit):
        return int(api)
    if isinstance(api, SoapApi):
        return _run_soap(api, args)
    if args.stage not in api.stage_names:
        known = ", ".join(api.stage_names)
        print(f"error: unknown stage {args.stage!r} (known: {known})", file=sys.stderr)
        return 2
    sock = _bind(args.host, args.port)
    if isinstance(sock, str):
        print(f"routegen mock: error: {sock}", file=sys.stderr)
        return 2
    with sock:
        return _serve(sock, api.stage(args.stage), args)


def _serve(sock: socket.socket, stage: Any, args: argparse.Namespace) -> int:
    import uvicorn  # the server stack loads only when serving

    from ..mock.app import create_app
    from ..mock.config import MockConfig

    config = MockConfig(
        api_key=args.api_key,
        username=args.username,
        password=args.password,
        seed=args.seed,
        records=args.records,
        enforce_limits=not args.no_limits,
        limit_slack=args.slack,
    )
    config = _with_plan(config, stage.limits, args)
    app: Any = create_app(stage, config)
    port = sock.getsockname()[1]
    limits = config.limits or stage.limits
    plan = f"{limits.rate:g}/s burst {limits.burst} quota {limits.quota}"
    plan += f", slack {config.limit_slack:g}s"
    print(
        f"routegen mock: {stage.info.title} stage {args.stage} at "
        f"http://{args.host}:{port}/{args.stage}\n"
        f"  {_credentials(app, config, stage.rest)}\n"
        f"  seed {config.seed}, records {config.records}, limits "
        f"{'off' if args.no_limits else plan}",
        flush=True,
    )
    served = app if args.quiet else logged(app)
    server = uvicorn.Server(uvicorn.Config(served, log_level="warning", lifespan="off"))
    server.run(sockets=[sock])
    return 0


def _credentials(app: Any, config: Any, rest: bool) -> str:
    """What a client must send: the rest mock's token pair, else key and login."""
    if rest:
        return ", ".join(f"{h} {v!r}" for h, v in app.state.mock.tokens.items())
    return (
        f"api key {config.api_key!r}, username {config.username!r}, "
        f"password {config.password!r}"
    )


def _with_plan(config: Any, spec: Limits, args: argparse.Namespace) -> Any:
    """The spec's usage plan with any of ``--rate``/``--burst``/``--quota`` replaced."""
    if args.no_limits or (args.rate, args.burst, args.quota) == (None, None, None):
        return config
    return config.with_limits(
        spec.rate if args.rate is None else args.rate,
        spec.burst if args.burst is None else args.burst,
        spec.quota if args.quota is None else args.quota,
    )


def _run_soap(api: SoapApi, args: argparse.Namespace) -> int:
    """Serve a SOAP spec: signatures verified against ``--cert``; bound before the ready line."""
    if args.stage not in api.stage_names:
        known = ", ".join(api.stage_names)
        print(f"error: unknown stage {args.stage!r} (known: {known})", file=sys.stderr)
        return 2
    if not args.cert:
        print("routegen mock: error: a soap spec needs --cert PEM", file=sys.stderr)
        return 2
    try:
        with open(args.cert, "rb") as fh:
            certificate = fh.read()
    except OSError as exc:
        print(f"routegen mock: error: --cert: {exc.strerror}: {args.cert}", file=sys.stderr)
        return 2
    sock = _bind(args.host, args.port)
    if isinstance(sock, str):
        print(f"routegen mock: error: {sock}", file=sys.stderr)
        return 2
    with sock:
        return _serve_soap(sock, api, certificate, args)


def _serve_soap(
    sock: socket.socket, api: SoapApi, certificate: bytes, args: argparse.Namespace
) -> int:
    import uvicorn  # the server stack loads only when serving

    from ..mock.soap import SoapMockState, create_soap_app

    app: Any = create_soap_app(api, args.stage, SoapMockState(certificate))
    port = sock.getsockname()[1]
    print(
        f"routegen mock: {api.info.title} (soap) stage {args.stage} at "
        f"http://{args.host}:{port}/; flags at /_mock/flags",
        flush=True,
    )
    served = app if args.quiet else logged(app)
    server = uvicorn.Server(uvicorn.Config(served, log_level="warning", lifespan="off"))
    server.run(sockets=[sock])
    return 0
