"""The mock never answers 500: hostile requests get the vendor's documented errors.

Every route of every stage is sent out-of-range and offset dates, JSON nested 100,000
deep, NaN/Infinity and out-of-range ids, invalid UTF-8 and other hostile bodies; each
answer must be a JSON error object list (or the normal answer) with a documented code,
and the keep-alive connection must stay usable. ``make test`` sends a sample;
``make hostile`` (``ROUTEGEN_HOSTILE=full``) every payload to every route and stage.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from mock_support import Mock, MockFactory

from generator.mock.errors import DEFAULT_STATUS
from generator.spec.model import Api

FULL = os.environ.get("ROUTEGEN_HOSTILE") == "full"
DOCUMENTED = set(DEFAULT_STATUS)

DATES = [
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59:59-05:00",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59.999+00:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "10000-01-01",
    "2024-02-30",
]
DEEP = 100_000


def bodies(route: Any, stage: str) -> list[tuple[str, bytes]]:
    """Hostile request bodies for one route: (label, raw JSON)."""
    out: list[tuple[str, bytes]] = [
        ("nested list", b'{"requestFilter": ' + b"[" * DEEP + b"]" * DEEP + b"}"),
        ("nested object", b'{"a":' * DEEP + b"1" + b"}" * DEEP),
        ("invalid utf-8", b'{"requestFilter": {"x": "\xff\xfe"}}'),
        ("bare NaN", b"NaN"),
        ("huge int", b'{"requestFilter": {"siteIds": [' + b"9" * 5000 + b"]}}"),
    ]
    for value in ("NaN", "Infinity", "-Infinity", "1e400", "2147483648", "-2147483649",
                  "9223372036854775808", "1.5", "true"):
        for wire in ("siteIds", "organizationIds", "machineIds", "templateIds", "fileIds"):
            key = "routeFilter" if wire in ("templateIds", "fileIds") else "requestFilter"
            out.append((f"{wire}={value}", f'{{"{key}": {{"{wire}": [{value}]}}}}'.encode()))
        out.append((f"body id={value}", f'{{"body": [{{"id": {value}}}]}}'.encode()))
    for date in DATES:
        for role in ("startDate", "endDate"):
            out.append((f"{role}={date}", f'{{"requestFilter": {{"{role}": "{date}"}}}}'.encode()))
        both = f'{{"requestFilter": {{"startDate": "{date}", "endDate": "{date}"}}}}'
        out.append((f"both={date}", both.encode()))
    if FULL:
        return out
    telling = ("siteIds=NaN", "siteIds=2147483648", "body id=1e400", "fileIds=Infinity",
               "startDate=9999-12-31T23:59:59-05:00", "endDate=0001-01-01T00:00:00+01:00")
    return out[:2] + [item for item in out if item[0] in telling]


def routes(api: Api, stage: str) -> list[Any]:
    return [r for r in api.stage(stage).routes if r.auth == "token"]


STAGES = ["v1", "v2", "v2.1", "rc"] if FULL else ["v2.1"]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("stage", STAGES)
def test_no_hostile_request_gets_a_500(make_mock: MockFactory, real_api: Api, stage: str) -> None:
    mock = make_mock(stage, enforce_limits=False)
    mock.http = type(mock.http)(mock.app, raise_server_exceptions=False)
    failures = []
    tried = 0
    for route in routes(real_api, stage):
        for label, raw in bodies(route, stage):
            tried += 1
            r = mock.call(route.method, route.path, content=raw,
                          headers={"content-type": "application/json"})
            json_type = r.headers.get("content-type", "").startswith("application/json")
            if r.status_code >= 500 or (r.status_code >= 400 and not json_type):
                failures.append((route.name, label, r.status_code, r.text[:80]))
                mock.login()  # a crashed handler must not poison the next request
                continue
            if r.status_code >= 400:
                body = r.json()
                codes = {e.get("code") for e in body} if isinstance(body, list) else set()
                if not codes <= DOCUMENTED or not codes:
                    failures.append((route.name, label, r.status_code, r.text[:80]))
    print(f"{stage}: {tried} hostile requests")
    assert failures == []


# -- the documented rules the mock used to skip -------------------------------------


def codes(response: Any) -> list[str]:
    if not response.content:
        return []
    body = response.json()
    return [e["code"] for e in body] if isinstance(body, list) else []


def first_id(mock: Mock, model: str) -> Any:
    orgs = mock.state.config.organizations
    rows = mock.state.store.rows(model)
    return next(r.data["id"] for r in rows if r.links.get("organization", orgs[0]) in orgs)


def machine_ids(mock: Mock, count: int) -> list[str]:
    orgs = mock.state.config.organizations
    rows = mock.state.store.rows("Machine")
    mine = [r for r in rows if r.links.get("organization") in orgs]
    return [str(r.data["id"]) for r in mine[:count]]


@pytest.mark.parametrize("templates", [[], None, [1, 2]])
def test_applying_a_template_needs_exactly_one_template(
    mock: Mock, templates: list[int] | None
) -> None:
    route_filter = {} if templates is None else {"templateIds": templates}
    body = {"requestFilter": {"machineIdentifiers": machine_ids(mock, 2)},
            "routeFilter": route_filter}
    r = mock.call("POST", "/templates/apply", json=body)
    assert (r.status_code, codes(r)) == (400, ["UNEXPECTED_RESULT_COUNT"])
    assert r.json()[0]["pointers"] == ["routeFilter.templateIds"]


def test_one_template_applies_to_many_machines(mock: Mock) -> None:
    body = {
        "requestFilter": {"machineIdentifiers": machine_ids(mock, 2)},
        "routeFilter": {"templateIds": [first_id(mock, "Template")]},
    }
    r = mock.call("POST", "/templates/apply", json=body)
    assert r.status_code == 204, r.text


@pytest.mark.parametrize("files", [[], None, [1, 2]])
def test_downloading_needs_exactly_one_file(mock: Mock, files: list[int] | None) -> None:
    r = mock.call("POST", "/files/download",
                  json={"routeFilter": {} if files is None else {"fileIds": files}})
    assert (r.status_code, codes(r)) == (400, ["UNEXPECTED_RESULT_COUNT"])


def test_downloading_one_file_works(mock: Mock) -> None:
    ident = first_id(mock, "File")
    r = mock.call("POST", "/files/download", json={"routeFilter": {"fileIds": [ident]}})
    assert r.status_code == 200 and "contentBase64" in r.json()


@pytest.mark.parametrize(
    ("orgs", "machines"), [([1, 2], 1), ([1], 2), ([], 1), ([1], 0), (None, 1)]
)
def test_provisioning_needs_one_organization_and_one_machine(
    mock: Mock, orgs: list[int] | None, machines: int
) -> None:
    request_filter: dict[str, Any] = {"machineIdentifiers": machine_ids(mock, machines)}
    if orgs is not None:
        request_filter["organizationIds"] = orgs
    r = mock.call("POST", "/machines/provision", json={"requestFilter": request_filter})
    assert (r.status_code, codes(r)) == (400, ["UNEXPECTED_RESULT_COUNT"])


def upload(size: int) -> dict[str, Any]:
    item = {"recordType": "site", "recordId": 1, "fileName": "big.bin",
            "contentType": "application/octet-stream", "contentBase64": "A" * size}
    return {"body": [item]}


def test_an_upload_over_6_mb_is_a_generic_error(mock: Mock) -> None:
    r = mock.call("PUT", "/files", json=upload(6 * 1024 * 1024))
    assert (r.status_code, codes(r)) == (400, ["GENERIC_ERROR"])
    assert "6 MB" in r.json()[0]["message"]


def test_an_upload_under_6_mb_is_read(mock: Mock) -> None:
    r = mock.call("PUT", "/files", json=upload(5 * 1024 * 1024))
    assert "GENERIC_ERROR" not in codes(r)


@pytest.mark.parametrize("value", ["2147483648", "-2147483649", "99999999999999999999"])
@pytest.mark.parametrize("where", ["requestFilter", "body"])
def test_ids_beyond_a_32_bit_int_are_deserialization_errors(
    mock: Mock, value: str, where: str
) -> None:
    if where == "body":
        path, raw = "/sites", f'{{"body": [{{"id": {value}, "name": "x", "orgId": 1}}]}}'
        method = "PATCH"
    else:
        path, raw, method = "/sites", f'{{"requestFilter": {{"siteIds": [{value}]}}}}', "POST"
    r = mock.call(method, path, content=raw.encode(),
                  headers={"content-type": "application/json"})
    assert r.status_code == 400 and codes(r)[0] == "DESERIALIZATION_ERROR"


def test_the_largest_32_bit_id_is_an_ordinary_missing_record(mock: Mock) -> None:
    r = mock.read("/sites", {"siteIds": [2**31 - 1]})
    assert r.status_code == 200 and r.json() == []


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_deserialization_errors(mock: Mock, value: str) -> None:
    raw = f'{{"requestFilter": {{"siteIds": [{value}]}}}}'.encode()
    r = mock.call("POST", "/sites", content=raw, headers={"content-type": "application/json"})
    assert (r.status_code, codes(r)) == (400, ["DESERIALIZATION_ERROR"])


@pytest.mark.parametrize(
    "date",
    ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00+00:01"],
)
def test_dates_beyond_the_calendar_are_date_parsing_errors(mock: Mock, date: str) -> None:
    r = mock.read("/transactions", {"startDate": date})
    assert (r.status_code, codes(r)) == (400, ["DATE_PARSING"])


@pytest.mark.parametrize(
    ("field", "date"), [("startDate", "9999-12-31"), ("endDate", "0001-01-01")]
)
def test_a_clamp_past_the_calendar_is_a_date_parsing_error(
    mock: Mock, field: str, date: str
) -> None:
    r = mock.read("/transactions", {field: date})
    assert (r.status_code, codes(r)) == (400, ["DATE_PARSING"])
    assert r.json()[0]["pointers"] == [f"requestFilter.{field}"]


def test_the_calendars_edges_are_ordinary_dates(mock: Mock) -> None:
    r = mock.read("/transactions", {"startDate": "0001-01-01", "endDate": "0001-01-02"})
    assert r.status_code == 200 and r.json() == [], r.text
    r = mock.read("/transactions", {"startDate": "9999-12-30", "endDate": "9999-12-31"})
    assert r.status_code == 200 and r.json() == []


# -- over a real server: a hostile request does not reset keep-alive ----------------


def test_keep_alive_survives_hostile_requests(real_api: Api) -> None:
    import httpx
    from mock_support import KEY, config

    from generator.mock import create_app
    from generator.mock.server import MockServer

    app = create_app(real_api.stage("v2.1"), config(enforce_limits=False))
    with MockServer(app) as server, httpx.Client(base_url=server.url("v2.1"), timeout=10) as http:
        cfg = app.state.mock.config
        login = {"username": cfg.username, "password": cfg.password}
        token = http.post("/authenticate", json=login, headers={"x-api-key": KEY})
        headers = {"x-api-key": KEY, "access-token": token.json()["accessToken"],
                   "content-type": "application/json"}
        streams = set()
        for raw in (b"[" * DEEP + b"]" * DEEP, b'{"requestFilter": {"siteIds": [NaN]}}',
                    b'{"requestFilter": {"startDate": "9999-12-31T23:59:59-05:00"}}'):
            r = http.post("/transactions", content=raw, headers=headers)
            assert r.status_code == 400 and r.headers["content-type"] == "application/json"
            streams.add(id(r.extensions["network_stream"]))
            ok = http.post("/sites", json={}, headers=headers)
            assert ok.status_code == 200
            streams.add(id(ok.extensions["network_stream"]))
        assert len(streams) == 1  # every request went over the one connection


@pytest.mark.parametrize(
    "option", [["--port", "181090"], ["--port", "-1"], ["--port", "http"],
               ["--records", "-5"], ["--seed", "1e3"], ["--api-key", ""],
               ["--host", "no-such-host.invalid"]],
)
def test_a_bad_mock_option_is_a_usage_error(
    option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from mock_support import REAL

    from generator.cli import main

    assert main(["mock", str(REAL), "--stage", "v2", *option]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and option[0].lstrip("-") in err
