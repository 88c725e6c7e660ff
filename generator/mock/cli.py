"""``routegen mock [SPEC] --stage S``: serve one stage of a spec with uvicorn."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .config import DEFAULT_API_KEY, MockConfig

__all__ = ["add_parser", "run"]

_DEFAULTS = MockConfig()


def add_parser(sub: Any) -> None:
    """Register the ``mock`` sub-command."""
    p = sub.add_parser("mock", help="serve one stage with realistic data and rules")
    p.add_argument("spec", nargs="?", default="spec/vendnovation.yaml")
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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the spec, build the app and serve until interrupted."""
    import uvicorn

    from ..cli import Exit, load_api
    from .app import create_app

    api = load_api(args.spec)
    if isinstance(api, Exit):
        return int(api)
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
    credentials = (
        ", ".join(f"{h} {v!r}" for h, v in app.state.mock.tokens.items())
        if stage.rest
        else f"api key {config.api_key!r}, username {config.username!r}, "
        f"password {config.password!r}"
    )
    print(
        f"routegen mock: {stage.info.title} stage {args.stage} at "
        f"http://{args.host}:{args.port}/{args.stage}\n"
        f"  {credentials}\n"
        f"  seed {config.seed}, records {config.records}, limits "
        f"{'off' if args.no_limits else plan}",
        flush=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
