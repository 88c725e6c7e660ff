"""``routegen openapi``: a valid OpenAPI 3.1 document per stage, derived from the spec."""

from __future__ import annotations

import json

import pytest
from openapi_spec_validator import validate

import generator
from generator.cli import main
from generator.export.openapi import openapi_document

SPEC = "spec/vendnovation.yaml"


@pytest.fixture(scope="module")
def api() -> generator.Api:
    return generator.build(SPEC)


@pytest.mark.parametrize("stage", ["v1", "v2", "v2.1", "rc"])
def test_every_stage_is_a_valid_openapi_document(
    api: generator.Api, stage: str
) -> None:
    doc = openapi_document(api.stage(stage))
    validate(doc)
    operations = {
        op["operationId"] for ops in doc["paths"].values() for op in ops.values()
    }
    assert operations == {r.name for r in api.stage(stage).routes}


def test_wire_names_and_paging_headers_follow_the_stage(api: generator.Api) -> None:
    v1 = openapi_document(api.stage("v1"))["paths"]["/transactions"]["post"]
    body = v1["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert "StartDate" in body["requestFilter"]["properties"]
    assert [p["name"] for p in v1["parameters"]] == ["page", "size"]
    rc = openapi_document(api.stage("rc"))["paths"]
    assert "/reports/transactions" in rc and "/transactions" not in rc
    headers = rc["/reports/transactions"]["post"]["responses"]["200"]["headers"]
    assert {"total-pages", "search-range-start-date"} <= headers.keys()


def test_cli_prints_json_and_rejects_unknown_stage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["openapi", SPEC, "--stage", "v2.1"]) == 0
    assert json.loads(capsys.readouterr().out)["openapi"] == "3.1.0"
    assert main(["openapi", SPEC, "--stage", "v9"]) == 2
    assert "unknown stage 'v9' (known: v1, v2, v2.1, rc)" in capsys.readouterr().err


def test_the_rest_styles_export_as_valid_openapi() -> None:
    doc = openapi_document(generator.build("spec/infusion.yaml").stage("v1"))
    validate(doc)
    assert set(doc["components"]["securitySchemes"]) == {"license_uuid", "session_uuid"}
    get = doc["paths"]["/products/{uuid}"]["get"]
    assert get["parameters"][0] == {
        "name": "uuid",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }
    search = doc["paths"]["/products/search"]["get"]
    assert [p["name"] for p in search["parameters"]] == ["text", "offset", "pageSize"]
    update = doc["paths"]["/products/{uuid}"]["put"]["requestBody"]
    assert update["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Product"
    }
    sync = doc["paths"]["/sync/products"]["get"]["responses"]["200"]
    page = sync["content"]["application/json"]["schema"]
    assert set(page["properties"]) == {"items", "cursor"}
