"""``routegen openapi``: a valid OpenAPI 3.1 document per stage, derived from the spec."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openapi_spec_validator import validate

import generator
from generator.cli import main
from generator.export.openapi import openapi_document

SPEC = "spec/vendnovation.yaml"
# Every stage of every spec with an HTTP/JSON API (SOAP specs export WSDL instead).
HTTP_STAGES = [
    ("spec/vendnovation.yaml", "v1"),
    ("spec/vendnovation.yaml", "v2"),
    ("spec/vendnovation.yaml", "v2.1"),
    ("spec/vendnovation.yaml", "rc"),
    ("spec/infusion.yaml", "v1"),
]


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


def test_error_answers_are_declared_with_resolvable_references(
    api: generator.Api,
) -> None:
    doc = openapi_document(api.stage("v2.1"))
    schemas = doc["components"]["schemas"]
    assert schemas["ErrorObject"]["type"] == "object"
    assert schemas["GatewayMessage"]["required"] == ["message"]
    responses = doc["paths"]["/machines"]["post"]["responses"]
    # The gateway sits in front of every route: its 403 and 429 answers are declared.
    assert {"403", "429"} <= responses.keys()
    too_many = responses["429"]["content"]["application/json"]["schema"]
    assert too_many == {"$ref": "#/components/schemas/GatewayMessage"}
    forbidden = responses["403"]["content"]["application/json"]["schema"]
    assert {"$ref": "#/components/schemas/GatewayMessage"} in forbidden["anyOf"]
    errors = responses["400"]["content"]["application/json"]["schema"]
    assert errors == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/ErrorObject"},
    }
    text = json.dumps(doc)
    for ref in set(re.findall(r'"#/components/schemas/([^"]+)"', text)):
        assert ref in schemas, ref


@pytest.mark.parametrize(("spec", "stage"), HTTP_STAGES)
def test_openapi_python_client_generates_without_warnings(
    spec: str, stage: str, tmp_path: Path
) -> None:
    """openapi-python-client (a dev dependency) reads the export with zero warnings."""
    doc = openapi_document(generator.build(spec).stage(stage))
    validate(doc)
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(doc), encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("post_hooks: []\n", encoding="utf-8")  # judge the document only
    tool = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [
            str(tool),
            "generate",
            "--path",
            str(document),
            "--output-path",
            str(tmp_path / "out"),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    # Every operation became a function of the generated client (none was omitted).
    modules = list((tmp_path / "out" / "api").rglob("*.py"))
    functions = [m for m in modules if m.name != "__init__.py"]
    operations = [op for item in doc["paths"].values() for op in item.values()]
    assert len(functions) == len(operations)
    errors = "\n".join(m.read_text("utf-8") for m in functions)
    # The error answers are parsed (openapi-python-client omits responses it cannot read).
    assert "ErrorObject.from_dict" in errors
