"""Bulk writes: atomic sets, pointers naming the bad elements, create, update, delete."""

from __future__ import annotations

from typing import Any

from mock_support import Mock


def sites(mock: Mock, **filters: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = mock.read(
        "/sites", filters, headers={"size": "2000"}
    ).json()
    return rows


def test_update_applies_and_nulls_fields_not_sent(mock: Mock) -> None:
    site = dict(sites(mock)[0])
    site["name"] = "Renamed"
    del site["billingAddress"]
    r = mock.call("PATCH", "/sites", json={"body": [site]})
    assert (r.status_code, r.content) == (204, b"")
    after = next(s for s in sites(mock) if s["id"] == site["id"])
    assert (after["name"], after["billingAddress"]) == ("Renamed", None)


def test_one_bad_element_rolls_back_the_set(mock: Mock) -> None:
    before = sites(mock)
    good, bad = dict(before[0]), dict(before[1])
    good["name"] = "Changed"
    bad["id"] = 9999
    r = mock.call("PATCH", "/sites", json={"body": [good, bad]})
    assert r.status_code == 404
    [error] = r.json()
    assert (error["code"], error["pointers"], error["pointerName"]) == (
        "MISSING_RECORD",
        [9999],
        "Site.Id",
    )
    assert sites(mock) == before
    assert mock.state.store.version == 0


def test_every_bad_element_is_named(mock: Mock) -> None:
    before = sites(mock)
    a, b, c = (dict(s) for s in before[:3])
    a["name"] = "x" * 101  # max_length 100
    c["orgId"] = 3  # another organization
    r = mock.call("PATCH", "/sites", json={"body": [a, b, c]})
    codes = {e["code"]: e["pointers"] for e in r.json()}
    assert codes == {"GENERIC_ERROR": [a["id"]], "DATA_ACCESS": [c["id"]]}
    assert sites(mock) == before


def test_missing_required_data_and_wrong_types(mock: Mock) -> None:
    site = dict(sites(mock)[0])
    no_id = {**site, "id": None}
    wrong = {**site, "accountId": "one"}
    r = mock.call("PATCH", "/sites", json={"body": [no_id, wrong]})
    errors = {e["code"]: e for e in r.json()}
    assert r.status_code == 421
    assert errors["MISSING_REQUIRED_DATA"]["pointers"] == [0]
    assert errors["MISSING_REQUIRED_DATA"]["pointerName"] == "body[]"
    assert errors["DESERIALIZATION_ERROR"]["pointers"] == [site["id"]]


def test_body_must_be_a_list(mock: Mock) -> None:
    r = mock.call("PATCH", "/sites", json={"body": {"id": 1}})
    assert (r.status_code, r.json()[0]["code"]) == (400, "DESERIALIZATION_ERROR")
    r = mock.call("PATCH", "/sites", json={})
    assert r.json()[0]["code"] == "MISSING_REQUIRED_DATA"


def test_create_assigns_ids(mock: Mock) -> None:
    template = dict(sites(mock)[0])
    new = [{**template, "id": None, "name": f"New {i}"} for i in range(2)]
    assert mock.call("PUT", "/sites", json={"body": new}).status_code == 204
    created = [s for s in sites(mock) if s["name"].startswith("New ")]
    assert len(created) == 2
    assert len({s["id"] for s in created}) == 2


def test_create_in_an_unknown_account_is_missing_record(mock: Mock) -> None:
    template = dict(sites(mock)[0])
    r = mock.call("PUT", "/sites", json={"body": [{**template, "accountId": 999}]})
    assert r.json()[0]["code"] == "MISSING_RECORD"


def test_delete_and_undelete(mock: Mock) -> None:
    target = sites(mock)[0]["id"]
    ref = {"body": [{"id": target}]}
    assert mock.call("DELETE", "/sites", json=ref).status_code == 204
    assert target not in {s["id"] for s in sites(mock)}
    assert target in {s["id"] for s in sites(mock, includeDeleted=True)}
    assert mock.call("POST", "/sites/undelete", json=ref).status_code == 204
    assert target in {s["id"] for s in sites(mock)}


def test_delete_unknown_is_missing_record(mock: Mock) -> None:
    r = mock.call("DELETE", "/sites", json={"body": [{"id": 1}, {"id": 777}]})
    assert (r.status_code, r.json()[0]["pointers"]) == (404, [777])


def test_moving_a_machine_updates_its_links(mock: Mock) -> None:
    machine = dict(mock.read("/machines").json()[0])
    machine["siteId"] = 7
    assert mock.call("PATCH", "/machines", json={"body": [machine]}).status_code == 204
    moved = mock.read("/machines", {"siteIds": [7]}).json()
    assert machine["id"] in {m["id"] for m in moved}
