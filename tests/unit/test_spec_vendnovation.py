"""The real spec (spec/vendnovation.yaml): it validates and each stage projects as documented."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from generator import Api, StageApi, build, validate
from generator.cli import main
from generator.diff.engine import compare
from generator.spec.model import Route

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "vendnovation.yaml"
STAGES = ("v1", "v2", "v2.1", "rc")


@pytest.fixture(scope="module")
def api() -> Api:
    return build(SPEC)


def stage(api: Api, name: str) -> StageApi:
    return api.stage(name)


def declared_routes(name: str) -> int:
    """Routes whose ``since``/``until`` window holds stage ``name``, counted from the raw
    YAML (not through the generator), so an edit of the spec moves the expectation too."""
    raw = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    order = [s["name"] for s in raw["stages"]]
    at = order.index(name)

    def alive(route: dict[str, str]) -> bool:
        until = order.index(route["until"]) if "until" in route else len(order)
        return order.index(route.get("since", order[0])) <= at < until

    return sum(alive(r) for r in raw["routes"])


def test_validate_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SPEC)]) == 0
    captured = capsys.readouterr()
    total = sum(declared_routes(name) for name in STAGES)
    assert captured.out.strip() == f"ok: {len(STAGES)} stages, {total} routes"
    assert captured.err == ""


def test_validate_library() -> None:
    api, errors = validate(SPEC)
    assert errors == []
    assert api is not None
    assert api.stage_names == STAGES


@pytest.mark.parametrize("name", STAGES)
def test_route_count_per_stage(api: Api, name: str) -> None:
    assert len(stage(api, name).routes) == declared_routes(name)



def test_route_names_unique_per_stage(api: Api) -> None:
    for s in api.resolved:
        names = [r.name for r in s.routes]
        assert len(names) == len(set(names)), s.stage.name
        endpoints = [(r.method, r.path) for r in s.routes]
        assert len(endpoints) == len(set(endpoints)), s.stage.name


def test_v1_request_filter_wire_names_are_pascal_case(api: Api) -> None:
    rf = stage(api, "v1").request_filter
    assert rf is not None
    wires = {f.name: f.wire for f in rf.fields}
    assert wires["startDate"] == "StartDate"
    assert wires["endDate"] == "EndDate"
    assert wires["organizationIds"] == "OrganizationIds"
    assert wires["siteIds"] == "SiteIds"
    for f in rf.fields:
        assert f.wire[:1].isupper() and f.wire[1:] == f.name[1:], f


@pytest.mark.parametrize("name", ["v2", "v2.1", "rc"])
def test_later_request_filter_wire_names_are_camel_case(api: Api, name: str) -> None:
    rf = stage(api, name).request_filter
    assert rf is not None
    wires = {f.name: f.wire for f in rf.fields}
    assert wires["startDate"] == "startDate"
    assert wires["organizationIds"] == "organizationIds"
    for f in rf.fields:
        assert f.wire == f.name and f.wire[:1].islower(), f


def test_route_request_filters_use_the_stage_wire_names(api: Api) -> None:
    v1 = stage(api, "v1").route("transactions.list")
    assert {f.wire for f in v1.request_filter} >= {"StartDate", "EndDate"}
    v2 = stage(api, "v2").route("transactions.list")
    assert {f.wire for f in v2.request_filter} >= {"startDate", "endDate", "accountIds"}


@pytest.mark.parametrize(
    ("name", "days"), [("v1", 7), ("v2", 31), ("v2.1", 31), ("rc", 31)]
)
def test_transactions_max_range(api: Api, name: str, days: int) -> None:
    assert stage(api, name).route("transactions.list").max_range == timedelta(days=days)


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("v1", "/transactions"),
        ("v2", "/transactions"),
        ("v2.1", "/transactions"),
        ("rc", "/reports/transactions"),
    ],
)
def test_transactions_path(api: Api, name: str, path: str) -> None:
    route = stage(api, name).route("transactions.list")
    assert route.path == path
    assert route.method == "POST"


@pytest.mark.parametrize("name", STAGES)
def test_no_stage_requires_dates(api: Api, name: str) -> None:
    """The vendor's four-row clamping table makes both dates optional on every stage;
    requiring them (the format's ``dates_required``) is a proposal no document backs."""
    ranged = [r for r in stage(api, name).routes if r.max_range is not None]
    assert ranged, name
    for r in stage(api, name).routes:
        assert not r.dates_required, (name, r.name)


@pytest.mark.parametrize("name", STAGES)
def test_token_header(api: Api, name: str) -> None:
    """Every known client sends ``access-token`` on every stage, rc included."""
    token = stage(api, name).auth.token
    assert token is not None
    assert (token.header, token.scheme) == ("access-token", None)
    assert token.route == "auth.authenticate"
    assert token.lifetime == timedelta(days=3)
    assert token.expired_error == "API_TOKEN"
    assert token.invalid_error == "INVALID_LOGIN"
    assert stage(api, name).auth.api_key_header == "x-api-key"


def _contract(route: Route) -> tuple[object, ...]:
    rf = route.route_filter
    return (
        route.method,
        route.path,
        tuple((f.name, f.wire, str(f.type)) for f in route.request_filter),
        (
            None
            if rf is None
            else (rf.filter, tuple((f.name, f.wire, str(f.type)) for f in rf.fields))
        ),
        route.body,
        route.response,
        route.status,
        route.paged,
        route.max_page_size,
        route.max_range,
        route.dates_required,
        route.idempotent,
        route.auth,
    )


def test_v2_1_only_adds_to_v2(api: Api) -> None:
    v2, v21 = stage(api, "v2"), stage(api, "v2.1")
    new = {r.name: r for r in v21.routes}
    for r in v2.routes:
        assert r.name in new, f"{r.name} disappeared in v2.1"
        assert _contract(new[r.name]) == _contract(r), r.name
    assert len(v21.routes) > len(v2.routes)
    old_codes = {e.code: e.status for e in v2.errors}
    new_codes = {e.code: e.status for e in v21.errors}
    assert old_codes.items() <= new_codes.items()
    for m in v2.models:
        m21 = v21.model(m.name)
        assert m21 is not None, m.name
        assert {f.name: str(f.type) for f in m.fields}.items() <= {
            f.name: str(f.type) for f in m21.fields
        }.items()


def test_v2_1_diff_has_no_breaking_change(api: Api) -> None:
    changes = compare(stage(api, "v2"), stage(api, "v2.1"))
    assert changes, "v2.1 adds routes, so the diff is not empty"
    assert [c for c in changes if c.breaking] == []
    assert any(c.kind == "route-added" for c in changes)


def test_v2_1_is_declared_non_breaking(api: Api) -> None:
    flags = {s.name: s.breaking for s in api.stages}
    assert flags["v2.1"] is False
    assert flags["v2"] is True
    assert {s.name: s.prerelease for s in api.stages}["rc"] is True


ERROR_CODES = {
    "API_TOKEN": 401,
    "NO_API_ACCESS": 403,
    "ACCESS_ERROR": 500,
    "DATA_ACCESS": 403,
    "UNKNOWN_ERROR": 500,
    "GENERIC_ERROR": 400,
    "UNEXPECTED_RESULT_COUNT": 400,
    "MISSING_RECORD": 404,
    "MISSING_REQUIRED_DATA": 421,
    "DESERIALIZATION_ERROR": 400,
    "INVALID_DATE_RANGE": 400,
    "DATE_PARSING": 400,
    "INVALID_LOGIN": 403,
}


@pytest.mark.parametrize("name", STAGES)
def test_error_codes(api: Api, name: str) -> None:
    s = stage(api, name)
    for code, status in ERROR_CODES.items():
        found = s.error(code)
        assert found is not None, f"{code} missing in {name}"
        assert found.status == status, code
    api_token = s.error("API_TOKEN")
    assert api_token is not None and api_token.reauth


@pytest.mark.parametrize("name", STAGES)
def test_limits(api: Api, name: str) -> None:
    limits = stage(api, name).limits
    assert (limits.rate, limits.burst, limits.quota) == (20, 100, 5000)
    assert limits.quota_period == timedelta(days=1)


@pytest.mark.parametrize("name", STAGES)
def test_pagination(api: Api, name: str) -> None:
    p = stage(api, name).pagination
    assert dataclasses.asdict(p) == {
        "style": "headers",
        "page_header": "page",
        "size_header": "size",
        "response_page_header": "page",
        "response_size_header": "size",
        "total_pages_header": "total-pages",
        "first_page": 1,
        "default_size": 50,
        "max_size": 2000,
        # offset-style names: defaults, unused by the headers style
        "offset_param": "offset",
        "size_param": "pageSize",
    }
    for r in stage(api, name).routes:
        if r.max_page_size is not None:
            assert r.paged and r.max_page_size <= p.max_size, r.name


def test_date_range_headers(api: Api) -> None:
    dr = stage(api, "v2.1").date_range
    assert dr is not None
    assert (dr.start_field, dr.end_field) == ("startDate", "endDate")
    assert (dr.start_header, dr.end_header) == (
        "search-range-start-date",
        "search-range-end-date",
    )


def test_base_url_per_stage(api: Api) -> None:
    assert (
        stage(api, "v2.1").base_url
        == "https://vendor-api.vendnovation-services.com/v2.1"
    )
    assert stage(api, "v2.1").package == "vendnovation_v2_1"


def test_every_schema_property_has_a_description() -> None:
    import json
    from pathlib import Path

    schema = json.loads(Path("spec/routespec.schema.json").read_text("utf-8"))
    missing: list[str] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for key, value in (node.get("properties") or {}).items():
                if isinstance(value, dict) and "description" not in value:
                    missing.append(f"{path}.{key}")
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(schema, "$")
    assert missing == []


def test_schema_uses_only_known_keywords() -> None:
    """A stray key (e.g. from a comma inside a YAML flow mapping) is not a keyword."""
    import json
    from pathlib import Path

    from jsonschema import Draft202012Validator

    schema = json.loads(Path("spec/routespec.schema.json").read_text("utf-8"))
    known = set(Draft202012Validator.VALIDATORS) | {
        "$schema",
        "$id",
        "$defs",
        "$ref",
        "title",
        "description",
        "default",
        "examples",
        "then",  # companions of the "if" validator (protocol rest or soap)
        "else",
    }
    strays: list[str] = []

    def walk(node: object, path: str, named: bool = False) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if not named and key not in known:
                    strays.append(f"{path}/{key}")
                walk(
                    value,
                    f"{path}/{key}",
                    named=not named and key in ("properties", "$defs"),
                )
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(schema, "$")
    assert strays == []


def test_names_bind_ignoring_case_so_case_only_renames_do_not_break(api: Api) -> None:
    """The Update Sites example mixes Id with chargeKeyId: the vendor binds names
    ignoring case, so v1's PascalCase filter names still bind on v2 (STAGES.md agrees
    with the mock)."""
    assert api.info.case_insensitive_names
    renames = [
        c
        for c in compare(stage(api, "v1"), stage(api, "v2"))
        if c.kind == "filter-wire-renamed"
    ]
    assert renames and not any(c.breaking for c in renames)
    stages_md = (ROOT / "generated" / "STAGES.md").read_text("utf-8")
    assert "values under the old wire name are ignored" not in stages_md
