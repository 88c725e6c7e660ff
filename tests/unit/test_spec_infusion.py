"""spec/infusion.yaml: one stage, six sync entities, the rest styles, sources marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import generator
from generator.spec.model import Api, StageApi

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec/infusion.yaml"
ENTITIES = {
    "products": "Product",
    "customers": "Customer",
    "customer_invoices": "CustomerInvoice",
    "customer_contract_rates": "CustomerContractRate",
    "product_promotional_prices": "ProductPromotionalPrice",
    "discount_matrix_entries": "DiscountMatrixEntry",
}
VERBS = {"list", "search", "get", "create", "update", "delete", "sync", "reset_sync"}
RECORD_FIELDS = [
    "uuid",
    "createdTimestamp",
    "modifiedTimestamp",
    "versionNumber",
    "deletedTimestamp",
]


@pytest.fixture(scope="module")
def stage() -> StageApi:
    api: Api = generator.build(SPEC)
    assert api.stage_names == ("v1",)
    return api.stage("v1")


def test_styles_are_declared(stage: StageApi) -> None:
    assert stage.rest and stage.pagination.style == "offset"
    pair = stage.auth.token_pair
    assert (
        pair is not None
        and stage.auth.api_key_header is None
        and stage.auth.token is None
    )
    assert [t.header for t in pair.tokens] == ["licenseuuid", "sessionuuid"]
    assert "replaced" in pair.rejected_hint and stage.error(str(pair.rejected_error))
    assert (stage.limits.rate, stage.limits.burst, stage.limits.quota) == (10, 1, None)
    assert stage.sync is not None and stage.sync.deleted_field == "deletedTimestamp"


def test_six_entities_with_every_route_kind(stage: StageApi) -> None:
    assert set(stage.groups) == {*ENTITIES, "webhooks"}
    for group, model in ENTITIES.items():
        routes = {r.verb: r for r in stage.routes if r.group == group}
        assert set(routes) == VERBS, group
        assert routes["get"].path_params == ("uuid",)
        assert (routes["update"].method, routes["delete"].method) == ("PUT", "DELETE")
        assert routes["search"].paged and routes["search"].query[0].name == "text"
        assert routes["sync"].sync and routes["sync"].response.model == model
        fields = [f.name for f in stage.model(model).fields]  # type: ignore[union-attr]
        assert fields[:5] == RECORD_FIELDS


def test_text_fields_declare_every_rule(stage: StageApi) -> None:
    ruled = [f for m in stage.models for f in m.fields if f.text_rules]
    assert len(ruled) >= 12
    assert all(len(f.text_rules) == 9 and f.type.base == "string" for f in ruled)


def test_every_route_model_field_and_error_names_its_source() -> None:
    text = SPEC.read_text("utf-8")
    elements = [
        ln
        for ln in text.splitlines()
        if re.match(
            r"^  - name: |^      [a-zA-Z]+: \{type|^    [A-Z_]+: \{status|^  [A-Z][A-Za-z]+:",
            ln,
        )
    ]
    assert len(elements) > 48 + 6 + 40
    unmarked = [ln for ln in elements if "# source: " not in ln]
    assert unmarked == []
