"""``routegen mock [SPEC] --stage S``: serve one stage of a spec with uvicorn."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..mock.config import DEFAULT_API_KEY, MockConfig
from ..spec.soap import SoapApi
from .common import Exit, load_any, one_spec

__all__ = ["add_parser", "run"]

_DEFAULTS = MockConfig()


def add_parser(sub: Any) -> None:
    """Register the ``mock`` sub-command."""
    p = sub.add_parser("mock", help="serve one stage with realistic data and rules")
    p.add_argument("spec", nargs="?", help="default: the only spec/*.yaml")
    p.add_argument("--stage", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--seed", type=int, default=_DEFAULTS.seed)
    p.add_argument("--records", type=int, default=_DEFAULTS.records)
    p.add_argument("--api-key", default=DEFAULT_API_KEY)
    p.add_argument("--username", default=_DEFAULTS.username)
    p.add_argument("--password", default=_DEFAULTS.password)
    p.add_argument(
        "--no-limits", action="store_true", help="do not enforce the usage plan"
    )
    p.add_argument(
        "--cert", help="soap specs: PEM certificate the request signatures must verify against"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the spec, build the app and serve until interrupted."""
    import uvicorn

    from ..mock.app import create_app  # starlette: loaded only when serving

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
    config = MockConfig(
        api_key=args.api_key,
        username=args.username,
        password=args.password,
        seed=args.seed,
        records=args.records,
        enforce_limits=not args.no_limits,
    )
    stage = api.stage(args.stage)
    app = create_app(stage, config)
    limits = stage.limits
    plan = f"{limits.rate:g}/s burst {limits.burst} quota {limits.quota}"
    print(
        f"routegen mock: {stage.info.title} stage {args.stage} at "
        f"http://{args.host}:{args.port}/{args.stage}\n"
        f"  api key {config.api_key!r}, username {config.username!r}, "
        f"password {config.password!r}\n"
        f"  seed {config.seed}, records {config.records}, limits "
        f"{'off' if args.no_limits else plan}",
        flush=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _run_soap(api: SoapApi, args: argparse.Namespace) -> int:
    """Serve a SOAP spec: signatures verified against ``--cert``."""
    import uvicorn

    from ..mock.soap import SoapMockState, create_soap_app

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
    app = create_soap_app(api, args.stage, SoapMockState(certificate))
    print(
        f"routegen mock: {api.info.title} (soap) stage {args.stage} at "
        f"http://{args.host}:{args.port}/; flags at /_mock/flags",
        flush=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
