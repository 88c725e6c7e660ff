"""The rest-style mock (spec/infusion.yaml): tokens, limits, CRUD, search, sync cursor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

import generator
from generator.mock import ManualClock, MockConfig, create_app

SPEC = "spec/infusion.yaml"
PRODUCT = {
    "code": "NEW-1",
    "description": "A new product",
    "barcode": None,
    "unitPrice": 2.5,
    "active": True,
}


@pytest.fixture(scope="module")
def stage() -> Any:
    return generator.build(SPEC).stage("v1")


def make(stage: Any, **overrides: Any) -> tuple[TestClient, Any]:
    values: dict[str, Any] = {"records": 12, "enforce_limits": False}
    values.update(overrides)
    app = create_app(stage, MockConfig(**values))
    state = app.state.mock
    http = TestClient(app, base_url="http://mock/v1")
    http.headers.update(state.tokens)
    return http, state


def test_both_tokens_are_required_and_a_new_session_replaces_the_old(
    stage: Any,
) -> None:
    http, state = make(stage)
    assert http.get("/products").status_code == 200
    anonymous = TestClient(http.app, base_url="http://mock/v1")
    answer = anonymous.get(
        "/products", headers={"licenseuuid": state.tokens["licenseuuid"]}
    )
    assert answer.status_code == 401 and answer.json()["code"] == "NOT_AUTHORISED"
    old = state.tokens["sessionuuid"]
    new = state.new_session()
    assert new != old
    assert http.get("/products", headers={"sessionuuid": old}).status_code == 401
    assert http.get("/products", headers={"sessionuuid": new}).status_code == 200


def test_ten_requests_per_second(stage: Any) -> None:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    http, _ = make(stage, enforce_limits=True, now=clock)
    statuses = [
        http.get("/products", params={"pageSize": 1}).status_code for _ in range(11)
    ]
    assert statuses == [200] * 10 + [429]
    assert http.get("/products").json() == {"message": "Too Many Requests"}
    clock.advance(timedelta(seconds=1))
    assert http.get("/products").status_code == 200


def test_crud_keeps_versions_and_tombstones(stage: Any) -> None:
    http, state = make(stage)
    created = http.post("/products", json=PRODUCT)
    assert created.status_code == 201
    record = created.json()
    assert (
        record["versionNumber"] == 0
        and record["createdTimestamp"] == record["modifiedTimestamp"]
    )
    uuid = record["uuid"]
    changed = http.put(
        f"/products/{uuid}", json={**PRODUCT, "description": "Changed"}
    ).json()
    assert (changed["versionNumber"], changed["description"]) == (1, "Changed")
    assert http.get(f"/products/{uuid}").json() == changed
    assert http.delete(f"/products/{uuid}").status_code == 204
    assert http.get(f"/products/{uuid}").json()["code"] == "NOT_FOUND"
    tomb = next(r for r in state.store.all("Product") if r["uuid"] == uuid)
    assert tomb["versionNumber"] == 2 and tomb["deletedTimestamp"] is not None


def test_the_server_checks_text_rules_and_required_fields(stage: Any) -> None:
    http, _ = make(stage)
    bad = http.post("/products", json={**PRODUCT, "description": "two  spaces"})
    assert bad.status_code == 400 and "no_double_spaces" in bad.json()["message"]
    missing = http.post("/products", json={**PRODUCT, "code": None})
    assert missing.status_code == 400 and "code" in missing.json()["message"]


def test_offset_pages_and_text_search(stage: Any) -> None:
    http, _ = make(stage)
    everything = http.get("/products", params={"offset": 0, "pageSize": 500}).json()
    assert len(everything) == 12
    page = http.get("/products", params={"offset": 5, "pageSize": 4}).json()
    assert page == everything[5:9]
    code = everything[3]["code"]
    found = http.get("/products/search", params={"text": code.upper()}).json()
    assert everything[3] in found and all(
        code.lower() in r["code"].lower()
        or code.lower() in str(r["description"]).lower()
        or code.lower() in str(r["barcode"]).lower()
        for r in found
    )
    assert http.get("/products", params={"offset": -1}).status_code == 400


def test_sync_cursor_advances_only_on_ack_and_resets(stage: Any) -> None:
    http, _ = make(stage)
    first = http.get("/sync/products", params={"pageSize": 5}).json()
    again = http.get("/sync/products", params={"pageSize": 5}).json()
    assert first == again and len(first["items"]) == 5  # not acknowledged: sent again
    second = http.get(
        "/sync/products", params={"pageSize": 5, "ack": first["cursor"]}
    ).json()
    assert {r["uuid"] for r in second["items"]}.isdisjoint(
        r["uuid"] for r in first["items"]
    )
    third = http.get(
        "/sync/products", params={"pageSize": 5, "ack": second["cursor"]}
    ).json()
    assert len(third["items"]) == 2
    done = http.get("/sync/products", params={"ack": third["cursor"]}).json()
    assert done == {"items": [], "cursor": None}
    uuid = first["items"][0]["uuid"]
    http.delete(f"/products/{uuid}")
    tomb = http.get("/sync/products").json()["items"]
    assert [(r["uuid"], r["versionNumber"]) for r in tomb] == [(uuid, 1)] and tomb[0][
        "deletedTimestamp"
    ]
    assert http.delete("/sync/products/cursor").status_code == 204
    assert (
        len(http.get("/sync/products", params={"pageSize": 1000}).json()["items"]) == 12
    )


def test_bad_bodies_get_a_400_not_a_500_nor_a_stored_record(stage: Any) -> None:
    """Found by the contract tests: a webhook registration that is not JSON or names an
    unparseable URL, and a record field of the wrong type, are the caller's errors."""
    http, state = make(stage)
    answer = http.post(
        "/webhooks",
        content=b"\x3f\xef\x25",
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 400 and answer.json()["code"] == "BAD_REQUEST"
    broken = {"url": "http://[", "secret": "s"}
    assert http.post("/webhooks", json=broken).status_code == 400
    listed = {"url": "http://127.0.0.1:1/hook", "secret": "s", "entities": [1]}
    assert http.post("/webhooks", json=listed).status_code == 400
    before = len(state.store.live("Product"))
    answer = http.post("/products", json={**PRODUCT, "unitPrice": [[], True]})
    assert answer.status_code == 400 and "unitPrice" in answer.json()["message"]
    assert len(state.store.live("Product")) == before
    # Money is a JSON number (the client writes Decimal exactly); a string is refused.
    answer = http.post("/products", json={**PRODUCT, "unitPrice": "2.50"})
    assert answer.status_code == 400 and "unitPrice" in answer.json()["message"]
    assert http.post("/products", json={**PRODUCT, "unitPrice": 2.5}).status_code == 201
