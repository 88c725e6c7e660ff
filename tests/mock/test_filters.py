"""Request and route filters: id filters through the org tree, access, unhonoured fields."""

from __future__ import annotations

from mock_support import Mock, MockFactory


def test_site_ids_narrow_machines(mock: Mock) -> None:
    rows = mock.read("/machines", {"siteIds": [1, 4]}).json()
    assert rows and {m["siteId"] for m in rows} == {1, 4}


def test_keys_bind_case_insensitively(mock: Mock) -> None:
    r = mock.call("POST", "/machines", json={"RequestFilter": {"SITEIDS": [2]}})
    assert {m["siteId"] for m in r.json()} == {2}


def test_machine_identifiers_take_ids_and_prose(mock: Mock) -> None:
    machines = mock.read("/machines").json()
    a, b = machines[0], machines[3]
    rows = mock.read(
        "/machines", {"machineIdentifiers": [str(a["id"]), b["prose"]]}
    ).json()
    assert sorted(m["id"] for m in rows) == sorted([a["id"], b["id"]])


def test_account_ids_reach_transactions_through_their_site(mock: Mock) -> None:
    sites = {s["id"]: s for s in mock.read("/sites", headers={"size": "2000"}).json()}
    rows = mock.read(
        "/transactions", {"accountIds": [1]}, headers={"size": "100"}
    ).json()
    assert rows and all(sites[t["siteId"]]["accountId"] == 1 for t in rows)


def test_organization_ids_filter_sites(mock: Mock) -> None:
    rows = mock.read("/sites", {"organizationIds": [2]}).json()
    assert rows and {s["orgId"] for s in rows} == {2}


def test_other_organizations_are_data_access(mock: Mock) -> None:
    r = mock.read("/sites", {"organizationIds": [1, 3]})
    assert r.status_code == 403
    [error] = r.json()
    assert (error["code"], error["pointers"], error["pointerName"]) == (
        "DATA_ACCESS",
        [3],
        "Organization.Id",
    )


def test_reads_only_return_the_keys_organizations(mock: Mock) -> None:
    orgs = mock.read("/organizations").json()
    assert {o["id"] for o in orgs} <= {1, 2}
    assert {s["orgId"] for s in mock.read("/sites").json()} <= {1, 2}


def test_unhonoured_filters_are_ignored(mock: Mock) -> None:
    every = mock.read("/organizations").json()
    assert mock.read("/organizations", {"siteIds": [1]}).json() == every


def test_route_filter_matches_transaction_identifiers(mock: Mock) -> None:
    some = mock.read("/transactions").json()[:3]
    ids = [t["id"] for t in some]
    body = {"requestFilter": {}, "routeFilter": {"transactionIdentifiers": ids}}
    got = mock.call("POST", "/transactions", json=body).json()
    assert sorted(t["id"] for t in got) == sorted(ids)


def test_route_filter_on_other_fields(mock: Mock) -> None:
    body = {
        "routeFilter": {"sources": ["Web"]},
        "requestFilter": {"startDate": "2024-05-01"},
    }
    got = mock.call("POST", "/sessions", json=body)
    assert got.status_code == 200
    assert all(s["source"] == "Web" for s in got.json())


def test_wrong_filter_type_is_deserialization_error(mock: Mock) -> None:
    r = mock.read("/machines", {"siteIds": "1"})
    assert (r.status_code, r.json()[0]["code"]) == (400, "DESERIALIZATION_ERROR")
    assert r.json()[0]["pointers"] == ["requestFilter.siteIds"]


def test_body_that_is_not_json(mock: Mock) -> None:
    r = mock.call("POST", "/machines", content=b"{not json")
    assert (r.status_code, r.json()[0]["code"]) == (400, "DESERIALIZATION_ERROR")


def test_include_deleted(mock: Mock) -> None:
    plain = mock.read("/sites", headers={"size": "2000"}).json()
    every = mock.read(
        "/sites", {"includeDeleted": True}, headers={"size": "2000"}
    ).json()
    assert len(every) >= len(plain)
    assert all(s["isEnabled"] for s in plain)


def test_actions_check_their_ids(mock: Mock) -> None:
    ok = {"organizationIds": [1], "machineIdentifiers": ["1"]}
    assert mock.read("/machines/provision", ok).status_code == 204
    missing = mock.read(
        "/machines/provision",
        {"organizationIds": [1], "machineIdentifiers": ["ZZ000000"]},
    )
    assert (missing.status_code, missing.json()[0]["code"]) == (404, "MISSING_RECORD")
    outside = mock.read(
        "/machines/provision", {"organizationIds": [3], "machineIdentifiers": ["1"]}
    )
    assert outside.json()[0]["code"] == "DATA_ACCESS"


def test_single_object_route(make_mock: MockFactory) -> None:
    mock = make_mock()
    r = mock.call("POST", "/files/download", json={"routeFilter": {"fileIds": [1, 2]}})
    assert r.json()[0]["code"] == "UNEXPECTED_RESULT_COUNT"
    r = mock.call("POST", "/files/download", json={"routeFilter": {"fileIds": [1]}})
    assert r.status_code == 200 and "contentBase64" in r.json()
