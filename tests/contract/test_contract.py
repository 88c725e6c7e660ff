"""Contract tests: schemathesis drives ``routegen mock`` with each stage's exported document.

Every operation of every HTTP stage gets generated requests (valid and invalid bodies,
parameters and headers) over 127.0.0.1; each answer must not be a server error and must
conform to the document: a declared status, a declared content type, a body matching
its schema. ``CONTRACT_EXAMPLES`` sets the budget per operation (a few in ``make test``,
more in ``make contract``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

import generator
from generator.export.openapi import openapi_document
from generator.mock import MockConfig, MockServer, create_app
from generator.spec.model import StageApi

STAGES = [
    ("spec/vendnovation.yaml", "v1"),
    ("spec/vendnovation.yaml", "v2"),
    ("spec/vendnovation.yaml", "v2.1"),
    ("spec/vendnovation.yaml", "rc"),
    ("spec/infusion.yaml", "v1"),
]
KEY, USER, PASSWORD = "contract-key", "contract@example.com", "contract-password"
# The vendor's DateTimes carry no offset (UTC by convention), which RFC 3339
# ``date-time`` requires; the export keeps ``format: date-time`` so that generators type
# them as datetimes, so formats are not asserted here. Every other keyword is.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"response_schema_conformance": {"validate-formats": False}}}
)
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "2"))
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(params=STAGES, ids=[f"{s.split('/')[-1][:-5]}-{n}" for s, n in STAGES])
def served(
    request: pytest.FixtureRequest,
) -> Iterator[tuple[StageApi, str, dict[str, str]]]:
    """(stage, base URL, credential headers) of a mock with the usage plan off."""
    spec, name = request.param
    stage = generator.build(spec).stage(name)
    config = MockConfig(
        api_key=KEY, username=USER, password=PASSWORD, records=40, enforce_limits=False
    )
    app = create_app(stage, config)
    with MockServer(app) as server:
        base = server.url(name)
        if stage.auth.token_pair is not None:
            headers = dict(app.state.mock.tokens)
        else:
            headers = {"x-api-key": KEY, "access-token": _token(base)}
        yield stage, base, headers


def _token(base: str) -> str:
    answer = httpx.post(
        f"{base}/authenticate",
        json={"username": USER, "password": PASSWORD},
        headers={"x-api-key": KEY},
        timeout=30,
    )
    answer.raise_for_status()
    token: str = answer.json()["accessToken"]
    return token


def test_mock_answers_conform_to_the_exported_document(
    served: tuple[StageApi, str, dict[str, str]],
) -> None:
    stage, base, headers = served
    schema = schemathesis.openapi.from_dict(openapi_document(stage), config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(stage.routes)
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        # Valid requests and invalid ones (wrong types, missing or extra fields).
        @given(case=st.one_of([operation.as_strategy(mode) for mode in GenerationMode]))
        def conforms(case: schemathesis.Case) -> None:
            case.call_and_validate(
                base_url=base, headers=headers, checks=CHECKS, timeout=30
            )

        conforms()
