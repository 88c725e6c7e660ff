"""``routegen mock [SPEC] --stage S``: serve one stage of a spec with uvicorn."""

from __future__ import annotations

import argparse
import socket
import sys
from collections.abc import Callable
from typing import Any

from ..mock.config import DEFAULT_API_KEY, MockConfig
from ..spec.model import Limits
from .common import Exit, load_api, one_spec

__all__ = ["add_parser", "run"]

_DEFAULTS = MockConfig()
#: more rows than this per table would only exhaust memory while the mock starts
_MAX_RECORDS = 1_000_000


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
    p = sub.add_parser("mock", help="serve one stage with realistic data and rules")
    p.add_argument("spec", nargs="?", help="default: the only spec/*.yaml")
    p.add_argument("--stage", required=True)
    p.add_argument("--host", type=_printable, default="127.0.0.1")
    p.add_argument("--port", type=_ranged(0, 65535), default=8000)
    p.add_argument("--seed", type=_ranged(-(2**63), 2**63 - 1), default=_DEFAULTS.seed)
    p.add_argument("--records", type=_ranged(0, _MAX_RECORDS), default=_DEFAULTS.records)
    p.add_argument("--api-key", type=_printable, default=DEFAULT_API_KEY)
    p.add_argument("--username", default=_DEFAULTS.username)
    p.add_argument("--password", default=_DEFAULTS.password)
    p.add_argument(
        "--no-limits", action="store_true", help="do not enforce the usage plan"
    )
    p.add_argument("--rate", type=float, help="requests/s enforced (default: spec)")
    p.add_argument("--burst", type=int, help="bucket size enforced (default: spec)")
    p.add_argument("--quota", type=int, help="requests/day enforced (default: spec)")
    p.add_argument(
        "--slack",
        type=float,
        default=_DEFAULTS.limit_slack,
        help="seconds of arrival jitter the rate limit forgives (default 0: strict)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the spec, build the app and serve until interrupted."""
    import uvicorn

    from ..mock.app import create_app  # starlette: loaded only when serving

    spec = one_spec("mock", args.spec)
    if isinstance(spec, Exit):
        return int(spec)
    api = load_api(spec)
    if isinstance(api, Exit):
        return int(api)
    if args.stage not in api.stage_names:
        known = ", ".join(api.stage_names)
        print(f"error: unknown stage {args.stage!r} (known: {known})", file=sys.stderr)
        return 2
    try:
        socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        print(f"error: --host {args.host!r}: {exc}", file=sys.stderr)
        return 2
    config = MockConfig(
        api_key=args.api_key,
        username=args.username,
        password=args.password,
        seed=args.seed,
        records=args.records,
        enforce_limits=not args.no_limits,
        limit_slack=args.slack,
    )
    stage = api.stage(args.stage)
    config = _with_plan(config, stage.limits, args)
    app = create_app(stage, config)
    limits = config.limits or stage.limits
    plan = f"{limits.rate:g}/s burst {limits.burst} quota {limits.quota}"
    plan += f", slack {config.limit_slack:g}s"
    print(
        f"routegen mock: {stage.info.title} stage {args.stage} at "
        f"http://{args.host}:{args.port}/{args.stage}\n"
        f"  {_credentials(app, config, stage.rest)}\n"
        f"  seed {config.seed}, records {config.records}, limits "
        f"{'off' if args.no_limits else plan}",
        flush=True,
    )
    return _serve(uvicorn, app, args.host, args.port)


def _credentials(app: Any, config: MockConfig, rest: bool) -> str:
    """What a client must send: the rest mock's token pair, else key and login."""
    if rest:
        return ", ".join(f"{h} {v!r}" for h, v in app.state.mock.tokens.items())
    return (
        f"api key {config.api_key!r}, username {config.username!r}, "
        f"password {config.password!r}"
    )


def _serve(uvicorn: Any, app: Any, host: str, port: int) -> int:
    """Serve until interrupted; a host or port that cannot be bound exits 2, no traceback."""
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    except SystemExit as exc:  # uvicorn exits 1 when it cannot bind (logged already)
        return 2 if exc.code else 0
    except (OSError, OverflowError) as exc:
        print(f"error: cannot serve on {host}:{port}: {exc}", file=sys.stderr)
        return 2
    return 0


def _with_plan(config: MockConfig, spec: Limits, args: argparse.Namespace) -> MockConfig:
    """The spec's usage plan with any of ``--rate``/``--burst``/``--quota`` replaced."""
    if args.no_limits or (args.rate, args.burst, args.quota) == (None, None, None):
        return config
    return config.with_limits(
        spec.rate if args.rate is None else args.rate,
        spec.burst if args.burst is None else args.burst,
        spec.quota if args.quota is None else args.quota,
    )
