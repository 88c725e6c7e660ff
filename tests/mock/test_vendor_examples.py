"""The vendor's own examples (tests/fixtures/vendor_examples/) hold on the mock and client.

Each fixture is one request/response example from a document in the shared reference
(the document is named in the fixture). For each: the documented request is accepted
by the mock as sent, and the same request made through the generated client's
methods and models succeeds; the documented response validates against the generated
model (or maps to the generated exception class). ``<PROSE>`` in a fixture stands for
the PROSE of a machine of organization 1, which the docs leave unnamed.
"""

from __future__ import annotations

import importlib
import json
import sys
from datetime import datetime
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest
from mock_support import ROOT, Mock, MockFactory

from generator.spec.model import Api, Route, StageApi

FIXTURES = ROOT / "tests/fixtures/vendor_examples"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.json"))
USER, PASSWORD = "api@organizationName.com", "a-strong-password"
# Every example the issue names must be a fixture (each document at least once).
DOCUMENTS = {
    "Authenticate",
    "API Key Test",
    "Provision Machines",
    "Update Sites",
    "Get Transactions",
    "Session models",
    "Concepts (Error Handling)",
    "Concepts (Data Retrieval and Filters)",
    "Check Role's Machine Access",
}


def fixture(name: str) -> dict[str, Any]:
    return dict(json.loads((FIXTURES / f"{name}.json").read_text("utf-8")))


def package(stage: str) -> ModuleType:
    name = "vendnovation_" + stage.replace(".", "_")
    path = str(ROOT / "generated" / name)
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module(name)


def _prose(mock: Mock) -> str:
    machines = mock.state.store.rows("Machine")
    return next(
        r.data["prose"]
        for r in machines
        if r.links.get("organization") == 1 and r.data.get("isEnabled") is not False
    )


def _fill(value: Any, prose: str) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, prose) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, prose) for v in value]
    return prose if value == "<PROSE>" else value


@pytest.fixture
def vendor(make_mock: MockFactory) -> Mock:
    return make_mock("v2.1", username=USER, password=PASSWORD)


def test_every_documented_example_is_a_fixture() -> None:
    documents = {fixture(n)["document"] for n in NAMES}
    assert documents >= DOCUMENTS
    for name in NAMES:
        f = fixture(name)
        assert f["reference"] and f["url"].startswith("https://docs."), name


# -- the documented request, sent as written --------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_the_mock_answers_the_documented_request(vendor: Mock, name: str) -> None:
    f = fixture(name)
    route = vendor.state.stage.route(f["route"])
    body = _fill(f["request"], _prose(vendor))
    key = f.get("api_key", vendor.state.config.api_key)
    r = vendor.call(
        f["method"], f["path"], json=body, token=route.auth == "token", key=key
    )
    want = f["response"]
    assert r.status_code == want["status"], r.text
    if "text" in want:
        assert r.text == want["text"]
    elif "gateway" in want:
        assert r.json() == want["json"]
    elif "error" in want:
        [error] = r.json()
        assert error["code"] == want["error"]
        documented = want["json"] if isinstance(want["json"], dict) else want["json"][0]
        assert error.keys() == documented.keys()
    elif "model" in want:
        assert r.json() == [] or isinstance(r.json(), list | dict)


# -- the same request through the generated client --------------------------------


def _client(pkg: ModuleType, mock: Mock) -> Any:
    return pkg.Client(
        base_url=f"http://testserver/{mock.stage}",
        api_key=mock.state.config.api_key,
        username=USER,
        password=PASSWORD,
        http_client=mock.http,
        limiter=False,
    )


def _by_wire(stage: StageApi, route: Route) -> dict[str, Any]:
    """Filter fields of the route by lower-cased wire name (case-insensitive binding)."""
    fields = list(route.request_filter)
    if route.route_filter is not None:
        fields += route.route_filter.fields
    return {f.wire.lower(): f for f in fields}


def _kwargs(stage: StageApi, route: Route, request: dict[str, Any]) -> dict[str, Any]:
    fields = _by_wire(stage, route)
    out: dict[str, Any] = {}
    for section in ("requestFilter", "routeFilter"):
        for key, value in (request.get(section) or {}).items():
            item = fields[key.lower()]  # KeyError: the route does not honour it
            is_date = item.date_role is not None
            out[item.py_name] = datetime.fromisoformat(value) if is_date else value
    return out


def _wire_keys(model: type[pydantic.BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """The element's keys spelt as the model's wire names (matched ignoring case)."""
    names = [f.serialization_alias or f.alias or n for n, f in model.model_fields.items()]
    wires = {name.lower(): name for name in names}
    return {wires[k.lower()]: v for k, v in data.items()}


def _call(pkg: ModuleType, client: Any, stage: StageApi, route: Route, request: Any) -> Any:
    group, verb = route.name.split(".")
    resource = getattr(client, group)
    if route.body is not None and route.body.kind == "list":
        model = getattr(pkg.models, route.body.model or "")
        items = [model.model_validate(_wire_keys(model, e)) for e in request["body"]]
        return getattr(resource, verb)(items)
    if route.name == "auth.authenticate":
        return resource.authenticate()
    kwargs = _kwargs(stage, route, request or {})
    if route.paged:  # one page: ``page`` for ``list``, ``<verb>_page`` otherwise
        pager = "page" if verb == "list" else f"{verb}_page"
        return getattr(resource, pager)(**kwargs).items
    return getattr(resource, verb)(**kwargs)


SUCCESSES = [n for n in NAMES if fixture(n)["response"]["status"] < 400]
FAILURES = [n for n in NAMES if fixture(n)["response"]["status"] >= 400]


@pytest.mark.parametrize("name", SUCCESSES)
def test_the_generated_client_makes_the_documented_request(
    vendor: Mock, real_api: Api, name: str
) -> None:
    f = fixture(name)
    stage = real_api.stage(f["stage"])
    route = stage.route(f["route"])
    pkg = package(f["stage"])
    request = _fill(f["request"], _prose(vendor))
    with _client(pkg, vendor) as client:
        result = _call(pkg, client, stage, route, request)
    want = f["response"]
    if "text" in want:
        assert result == want["text"]
    elif want["status"] == 204:
        assert result is None
    elif route.response.kind == "list":
        model = getattr(pkg.models, route.response.model or "")
        assert isinstance(result, list)
        assert all(isinstance(item, model) for item in result)
    else:
        assert isinstance(result, getattr(pkg.models, route.response.model or ""))


# -- the documented response, read by the generated models ------------------------


@pytest.mark.parametrize("name", [n for n in SUCCESSES if "json" in fixture(n)["response"]])
def test_the_documented_response_validates_against_the_generated_model(
    real_api: Api, name: str
) -> None:
    f = fixture(name)
    route = real_api.stage(f["stage"]).route(f["route"])
    pkg = package(f["stage"])
    model = getattr(pkg.models, route.response.model or "")
    body = f["response"]["json"]
    shape: Any = list[model] if route.response.kind == "list" else model
    parsed = pydantic.TypeAdapter(shape).validate_python(body)
    items = parsed if isinstance(parsed, list) else [parsed]
    originals = body if isinstance(body, list) else [body]
    for item, original in zip(items, originals, strict=True):
        dumped = item.model_dump(mode="json", by_alias=True)
        assert dumped.keys() == original.keys()  # no documented field is dropped


@pytest.mark.parametrize("name", FAILURES)
def test_the_documented_error_maps_to_the_generated_exception(
    real_api: Api, name: str
) -> None:
    f = fixture(name)
    pkg = package(f["stage"])
    runtime = importlib.import_module(f"{pkg.__name__}._runtime._error_map")
    api = importlib.import_module(f"{pkg.__name__}._api")
    errors = importlib.import_module(f"{pkg.__name__}._errors")
    info = getattr(api, f["route"].replace(".", "_").upper())
    want = f["response"]
    response = httpx.Response(want["status"], json=want["json"])
    error = runtime.make_status_error(errors.ERROR_CONFIG, info, response)
    if "gateway" in want:
        assert isinstance(error, getattr(pkg, want["gateway"]))
        assert error.message == want["json"]["message"]
        return
    stage = real_api.stage(f["stage"])
    code = stage.error(want["error"])
    assert code is not None
    assert isinstance(error, getattr(pkg, code.class_name))
    documented = want["json"] if isinstance(want["json"], dict) else want["json"][0]
    [detail] = error.errors
    assert detail.code == documented["code"]
    assert list(detail.pointers) == documented["pointers"]
    assert detail.pointer_name == documented["pointerName"]


def test_contact_is_accepted_as_a_string_and_as_an_object(vendor: Mock) -> None:
    """The Site models page says string, the Update Sites example sends an object."""
    pkg = package("v2.1")
    site = fixture("update_sites")["request"]["body"][0]
    as_object = pkg.models.Site.model_validate(_wire_keys(pkg.models.Site, site))
    assert isinstance(as_object.contact, pkg.models.SiteContact)
    as_text = as_object.model_copy(update={"contact": "Jane Doe, 555-0100"})
    for element in (site, {**site, "contact": "Jane Doe, 555-0100"}):
        r = vendor.call("PATCH", "/sites", json={"body": [element]})
        assert r.status_code == 204, r.text
    assert as_text.model_dump(by_alias=True)["contact"] == "Jane Doe, 555-0100"
