"""Helpers: mock apps for the minimal fixture spec and the real spec, with a fixed clock."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.mock import MockConfig

with warnings.catch_warnings():
    # starlette asks for "httpx2"; the plain httpx it wraps works for these tests
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests/specs/valid/minimal.yaml"
REAL = ROOT / "spec/vendnovation.yaml"
DATES_REQUIRED = ROOT / "tests/golden/dates_required/spec.yaml"
NOW = datetime(2024, 6, 1, 12, 0, 0, tzinfo=UTC)
KEY = "test-key"


def fixed_now() -> datetime:
    """The mock's clock in these tests."""
    return NOW


def config(**overrides: Any) -> MockConfig:
    """A MockConfig with the test key and fixed clock."""
    values: dict[str, Any] = {"api_key": KEY, "now": fixed_now, "records": 500}
    values.update(overrides)
    return MockConfig(**values)


class Mock:
    """A TestClient over one mock app, with helpers that add the key and token."""

    def __init__(self, app: Any, stage: str) -> None:
        self.app = app
        self.stage = stage
        self.http = TestClient(app, raise_server_exceptions=True)
        self.token: str | None = None

    @property
    def state(self) -> Any:
        return self.app.state.mock

    def login(self) -> str:
        r = self.call("POST", "/authenticate", json=self.credentials(), token=False)
        assert r.status_code == 200, r.text
        self.token = r.json()["accessToken"]
        return self.token

    def credentials(self) -> dict[str, str]:
        cfg = self.state.config
        return {"username": cfg.username, "password": cfg.password}

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
        token: bool = True,
        key: str | None = KEY,
        content: bytes | None = None,
    ) -> Any:
        sent = dict(headers or {})
        if key is not None:
            sent["x-api-key"] = key
        auth = self.state.stage.auth.token
        if token and auth is not None:
            value = self.token or self.login()
            sent[auth.header] = f"{auth.scheme} {value}" if auth.scheme else value
        url = f"/{self.stage}{path}"
        if content is not None:
            return self.http.request(method, url, headers=sent, content=content)
        return self.http.request(method, url, headers=sent, json=json)

    def read(
        self, path: str, request_filter: dict[str, Any] | None = None, **kw: Any
    ) -> Any:
        return self.call(
            "POST", path, json={"requestFilter": request_filter or {}}, **kw
        )


MockFactory = Callable[..., Mock]


def visible_rows(mock: Mock, model: str) -> list[Any]:
    """Rows of ``model`` the test key may see (its organizations only)."""
    orgs = mock.state.config.organizations
    rows = mock.state.store.rows(model)
    return [r for r in rows if r.links.get("organization", orgs[0]) in orgs]
