"""``routegen import-openapi``: OpenAPI 3.0/3.1 in, a valid spec out; round trip of Infusion.

The round trip exports a stage with ``routegen openapi``, imports the document back and
compares the public surface of the client each spec generates: resource classes with
every method's name, signature and return type, models with their fields and types,
enums, client credentials and error classes.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import generator
from generator.cli import main
from generator.emit.methods import ASYNC, SYNC
from generator.emit.render import render_stage
from generator.emit.resources import route_methods
from generator.emit.rest_views import credentials
from generator.emit.views import group_views
from generator.export.openapi import openapi_document
from generator.importer.openapi import import_document, render
from generator.spec.model import StageApi


def surface(stage: StageApi) -> dict[str, Any]:
    """What a user of the generated package sees (names, signatures, types)."""
    standard = stage.request_filter
    filter_class = standard.name if standard else "None"
    resources = sorted(
        (f.prefix + g.class_name, m.name, m.signature, m.returns)
        for f in (SYNC, ASYNC)
        for g in group_views(stage)
        for r in g.routes
        for m in route_methods(r, f, filter_class)
    )
    models = {
        m.name: sorted(
            (f.py_name, str(f.type), f.read_only, f.text_rules) for f in m.fields
        )
        for m in stage.models
    }
    return {
        "resources": resources,
        "models": models,
        "enums": {e.name: e.values for e in stage.enums},
        "credentials": credentials(stage)[0],
        "errors": sorted(e.class_name for e in stage.errors),
    }


def round_trip(tmp_path: Path, spec: str, stage: str, name: str) -> StageApi:
    doc = tmp_path / "openapi.json"
    doc.write_text(json.dumps(openapi_document(generator.build(spec).stage(stage))))
    out = tmp_path / "imported.yaml"
    assert main(["import-openapi", str(doc), "--name", name, "--out", str(out)]) == 0
    api, errors = generator.validate(out)
    assert errors == [] and api is not None, [e.format() for e in errors]
    return api.stage(api.stage_names[0])


def test_infusion_round_trip_keeps_the_public_surface(tmp_path: Path) -> None:
    original = generator.build("spec/infusion.yaml").stage("v1")
    imported = round_trip(tmp_path, "spec/infusion.yaml", "v1", "infusion")
    assert imported.stage.name == "v1" and imported.package == "infusion_v1"
    assert surface(imported) == surface(original)
    pair = imported.auth.token_pair
    assert pair is not None and [t.header for t in pair.tokens] == [
        "licenseuuid",
        "sessionuuid",
    ]
    assert imported.sync is not None and imported.sync.cursor_key == "cursor"
    for f in render_stage(
        imported, "imported.yaml"
    ):  # the imported spec generates a client
        if f.path.endswith(".py"):
            compile(f.content, f.path, "exec")


@pytest.mark.parametrize("stage", ["v1", "v2", "v2.1", "rc"])
def test_standard_body_round_trip_keeps_the_public_surface(
    tmp_path: Path, stage: str
) -> None:
    """Filters, date-range clamping, page sizes, the token route and header paging
    come back from the export (natively and through its x-routegen-* extensions)."""
    original = generator.build("spec/vendnovation.yaml").stage(stage)
    imported = round_trip(tmp_path, "spec/vendnovation.yaml", stage, "vendnovation")
    assert imported.stage.name == stage and imported.package == original.package
    assert surface(imported) == surface(original)
    assert not imported.rest and imported.pagination == original.pagination
    assert imported.date_range == original.date_range
    assert imported.limits == original.limits
    token, expected = imported.auth.token, original.auth.token
    assert token is not None and expected is not None
    assert token == dataclasses.replace(
        expected, source=None
    )  # provenance is not surface
    assert imported.auth.api_key_header == original.auth.api_key_header
    used = {original.request_filter.name} if original.request_filter else set()
    used |= {r.route_filter.filter for r in original.routes if r.route_filter}
    assert {f.name for f in imported.filters} == used
    for route in original.routes:
        back = imported.route(route.name)
        assert (back.max_range, back.max_page_size, back.paged, back.auth) == (
            route.max_range,
            route.max_page_size,
            route.paged,
            route.auth,
        ), route.name
        assert [f.wire for f in back.request_filter] == [
            f.wire for f in route.request_filter
        ]
    assert {e.code: e.status for e in imported.errors} == {
        e.code: e.status for e in original.errors
    }
    assert [g.name for g in imported.gateway] == [g.name for g in original.gateway]
    files = {f.path: f.content for f in render_stage(imported, "imported.yaml")}
    for path, content in files.items():  # the imported spec generates a client
        if path.endswith(".py"):
            compile(content, path, "exec")


def _without_extensions(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _without_extensions(v)
            for k, v in value.items()
            if not k.startswith("x-routegen-")
        }
    if isinstance(value, list):
        return [_without_extensions(v) for v in value]
    return value


def test_a_standard_body_document_without_extensions_imports_with_notes(
    tmp_path: Path,
) -> None:
    """Native inference alone: filters from the bodies, paging from the headers, the
    token from its scheme; what OpenAPI cannot say is marked for the user."""
    original = generator.build("spec/vendnovation.yaml").stage("v2.1")
    data = _without_extensions(json.loads(json.dumps(openapi_document(original))))
    spec, notes = import_document(data)
    assert spec["request_style"] == "standard-body"
    assert spec["auth"]["api_key"] == {"header": "x-api-key"}
    assert spec["auth"]["token"]["header"] == "access-token"
    assert spec["auth"]["token"]["route"] == "auth.authenticate"
    machines = next(r for r in spec["routes"] if r["name"] == "machines.list")
    assert machines["paged"] is True and "organizationIds" in machines["request_filter"]
    assert "startDate" in spec["filters"]["RequestFilter"]["fields"]
    where = {n.split(": ", 1)[0] for n in notes}
    assert {"$.limits", "$.auth.token", "$.date_range", "$.errors.codes"} <= where
    assert "$.routes[transactions.list].max_range" in where
    path = tmp_path / "native.yaml"
    path.write_text(render(spec, notes, "native.json"))
    api, errors = generator.validate(path)
    assert errors == [] and api is not None, [e.format() for e in errors]
    assert api.stage("v2.1").route("machines.list").paged


def test_what_cannot_be_inferred_is_marked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "api.yaml"
    doc.write_text(
        yaml.safe_dump(
            {
                "openapi": "3.0.3",
                "info": {"title": "Pets", "version": "2"},
                "paths": {
                    "/pets/{petId}": {
                        "get": {
                            "operationId": "getPet",
                            "tags": ["pets"],
                            "parameters": [
                                {"name": "petId", "in": "path", "required": True}
                            ],
                            "responses": {
                                "200": {
                                    "description": "ok",
                                    "content": {
                                        "application/json": {
                                            "schema": {
                                                "$ref": "#/components/schemas/Pet"
                                            }
                                        }
                                    },
                                }
                            },
                        }
                    }
                },
                "components": {
                    "schemas": {
                        "Pet": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {
                                "name": {"type": "string", "maxLength": 20},
                                "tag": {"type": "string", "nullable": True},
                                "kind": {"$ref": "#/components/schemas/Kind"},
                            },
                        },
                        "Kind": {"type": "string", "enum": ["cat", "dog"]},
                    }
                },
            }
        )
    )
    assert main(["import-openapi", str(doc)]) == 0
    text = capsys.readouterr().out
    assert "TODO(import) $.limits" in text and "TODO(import) $.api.base_url" in text
    spec = yaml.safe_load(text)
    assert spec["routes"][0]["name"] == "pets.get_pet"
    assert spec["models"]["Pet"]["fields"] == {
        "name": {"type": "string", "max_length": 20},
        "tag": {"type": "string?"},
        "kind": {"type": "Kind?"},
    }
    assert spec["models"]["Kind"] == {"enum": ["cat", "dog"]}
    path = tmp_path / "pets.yaml"
    path.write_text(text)
    assert generator.validate(path)[1] == []


def test_a_document_that_is_not_openapi_3_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "swagger.json"
    doc.write_text(json.dumps({"swagger": "2.0", "paths": {}}))
    assert main(["import-openapi", str(doc)]) == 2
    assert "not an OpenAPI 3.0/3.1 document" in capsys.readouterr().err
    with pytest.raises(Exception, match="OpenAPI"):
        import_document({"openapi": "2.0"})
