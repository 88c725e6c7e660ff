"""Fixtures of the runtime tests; the stage, vendor and clock live in runtime_support."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.runtime.runtime_support import Api, FakeClock, Vendor


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def vendor(clock: FakeClock) -> Vendor:
    return Vendor(clock)


@pytest.fixture(params=["sync", "async"])
def api(
    request: pytest.FixtureRequest, vendor: Vendor, clock: FakeClock
) -> Iterator[Api]:
    yield Api(request.param, vendor, clock)
