"""One mock server per stage for the whole session, over real loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from e2e_support import GENERATED, STAGES, Served, package_name, serve


def _require(stage: str) -> None:
    if not (GENERATED / package_name(stage)).is_dir():
        pytest.fail(f"generated/{package_name(stage)} is missing: run `make generate`")


@pytest.fixture(scope="session", params=STAGES)
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    """A running mock for each stage in turn (limits off: the clients' own limiter runs)."""
    _require(request.param)
    mock = serve(request.param)
    mock.state.store.rows("Transaction")  # generate before any timed test
    yield mock
    mock.server.stop()


@pytest.fixture(scope="session")
def v21() -> Iterator[Served]:
    """The v2.1 mock used by the tests that need one stage only."""
    _require("v2.1")
    mock = serve("v2.1")
    yield mock
    mock.server.stop()


@pytest.fixture(autouse=True)
def _fresh_counters(request: pytest.FixtureRequest) -> None:
    for name in ("served", "v21"):
        if name in request.fixturenames:
            mock: Served = request.getfixturevalue(name)
            mock.stats.reset()
            mock.app.state.faults.clear()
            mock.state.token_lifetime = None
