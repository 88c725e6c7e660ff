"""Helpers: import a generated package, run a mock server for a stage over loopback."""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import generator
from generator.mock import MockConfig, MockServer, create_app
from generator.spec.model import Api

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec/vendnovation.yaml"
GENERATED = ROOT / "generated"
STAGES = ("v1", "v2", "v2.1", "rc")
KEY = "e2e-key"
USER, PASSWORD = "api@example.com", "e2e-password"
RECORDS = 16000  # transactions per stage: about 10,700 visible to the key's two orgs

_API: list[Api] = []


def spec_api() -> Api:
    """The real spec, built once."""
    if not _API:
        _API.append(generator.build(SPEC))
    return _API[0]


def package_name(stage: str) -> str:
    """``v2.1`` -> ``vendnovation_v2_1``."""
    return "vendnovation_" + stage.replace(".", "_")


def load_package(stage: str) -> ModuleType:
    """Import the generated package of ``stage`` from ``generated/``."""
    name = package_name(stage)
    path = str(GENERATED / name)
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module(name)


@dataclass
class Served:
    """A running mock for one stage and the generated package that calls it."""

    stage: str
    server: MockServer
    app: Any
    pkg: ModuleType

    @property
    def url(self) -> str:
        return self.server.url(self.stage)

    @property
    def state(self) -> Any:
        return self.app.state.mock

    @property
    def stats(self) -> Any:
        return self.app.state.stats

    def client(self, **kw: Any) -> Any:
        """A sync client of the generated package pointed at this mock."""
        args = {
            "base_url": self.url,
            "api_key": KEY,
            "username": USER,
            "password": PASSWORD,
        }
        args.update(kw)
        return self.pkg.Client(**args)

    def async_client(self, **kw: Any) -> Any:
        """An async client of the generated package pointed at this mock."""
        args = {
            "base_url": self.url,
            "api_key": KEY,
            "username": USER,
            "password": PASSWORD,
        }
        args.update(kw)
        return self.pkg.AsyncClient(**args)

    def visible(self, model: str) -> list[Any]:
        """Rows of ``model`` the key's organizations may see."""
        orgs = self.state.config.organizations
        rows = self.state.store.rows(model)
        return [r for r in rows if r.links.get("organization", orgs[0]) in orgs]


def serve(stage: str, **overrides: Any) -> Served:
    """Start a mock server for ``stage`` (caller stops ``served.server``)."""
    values: dict[str, Any] = {
        "api_key": KEY,
        "username": USER,
        "password": PASSWORD,
        "records": RECORDS,
        "enforce_limits": False,
    }
    values.update(overrides)
    app = create_app(spec_api().stage(stage), MockConfig(**values))
    server = MockServer(app)
    server.start()
    return Served(stage, server, app, load_package(stage))


FAST_RETRY = {"base_delay": 0.01, "max_delay": 0.05, "max_attempts": 6}


def fast_retry(served: Served) -> Any:
    """Retries on (the client's own policy), with short delays."""
    return served.pkg.RetryConfig(**FAST_RETRY)


def utcnow() -> datetime:
    """Now, naive UTC (as the mock stores moments)."""
    return datetime.now(UTC).replace(tzinfo=None)
