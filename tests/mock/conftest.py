"""Fixtures: mock apps for the minimal fixture spec and the real spec, with a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from mock_support import DATES_REQUIRED, MINIMAL, REAL, Mock, MockFactory, config

import generator
from generator.mock import create_app
from generator.spec.model import Api


@pytest.fixture(scope="session")
def minimal_api() -> Api:
    return generator.build(MINIMAL)


@pytest.fixture(scope="session")
def real_api() -> Api:
    return generator.build(REAL)


@pytest.fixture(scope="session")
def dates_required_api() -> Api:
    return generator.build(DATES_REQUIRED)


@pytest.fixture
def make_mock(
    real_api: Api, minimal_api: Api, dates_required_api: Api
) -> Iterator[MockFactory]:
    apis = {"real": real_api, "minimal": minimal_api}
    apis["dates_required"] = dates_required_api

    def make(stage: str = "v2.1", spec: str = "real", **overrides: Any) -> Mock:
        api = apis[spec]
        return Mock(create_app(api.stage(stage), config(**overrides)), stage)

    yield make


@pytest.fixture
def mock(make_mock: MockFactory) -> Mock:
    return make_mock()


@pytest.fixture
def minimal(make_mock: MockFactory) -> Mock:
    return make_mock("v1", "minimal")
