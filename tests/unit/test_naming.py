"""generator.spec.naming: spec names to Python identifiers, on odd inputs."""

from __future__ import annotations

import keyword

import pytest

from generator.spec.naming import (
    class_name,
    package_name,
    param_name,
    safe_identifier,
    snake_case,
    stage_suffix,
)

ODD = [
    "v2.1",
    "total-pages",
    "class",
    "API_TOKEN",
    "HTTPStatus",
    "Ünïcode",
    "2fa",
    "self",
    "match",
    "case",
    "_",
    "",
    "日本",
    "__init__",
    "None",
    "true",
    "a-b.c d",
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("startDate", "start_date"),
        ("siteIds", "site_ids"),
        ("total-pages", "total_pages"),
        ("v2.1", "v2_1"),
        ("v2", "v2"),
        ("API_TOKEN", "api_token"),
        ("HTTPStatus", "http_status"),
        ("getHTTPResponse", "get_http_response"),
        ("XMLHttpRequest", "xml_http_request"),
        ("Ünïcode", "unicode"),
        ("class", "class_"),
        ("match", "match_"),
        ("case", "case_"),
        ("self", "self"),
        ("2fa", "_2fa"),
        ("machine_types", "machine_types"),
        ("search-range-start-date", "search_range_start_date"),
    ],
)
def test_snake_case(name: str, expected: str) -> None:
    assert snake_case(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("machine_mode", "MachineMode"),
        ("machine-mode", "MachineMode"),
        ("API_TOKEN", "ApiToken"),
        ("api_token", "ApiToken"),
        ("HTTPStatus", "HttpStatus"),
        ("total-pages", "TotalPages"),
        ("Ünïcode", "Unicode"),
        ("class", "Class"),
        ("self", "Self"),
        ("match", "Match"),
        ("none", "None_"),
        ("true", "True_"),
        ("v2.1", "V21"),
        ("MachineMode", "MachineMode"),
    ],
)
def test_class_name(name: str, expected: str) -> None:
    assert class_name(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("siteIds", "site_ids"),
        ("self", "self_"),
        ("cls", "cls_"),
        ("page", "page_"),
        ("size", "size_"),
        ("timeout", "timeout_"),
        ("body", "body_"),
        ("requestFilter", "request_filter_"),
        ("splitRange", "split_range_"),
        ("class", "class_"),
        ("match", "match_"),
        ("API_TOKEN", "api_token"),
        ("2fa", "_2fa"),
    ],
)
def test_param_name(name: str, expected: str) -> None:
    assert param_name(name) == expected


@pytest.mark.parametrize(
    ("api", "stage", "expected"),
    [
        ("vendnovation", "v2.1", "vendnovation_v2_1"),
        ("vendnovation", "v1", "vendnovation_v1"),
        ("vendnovation", "rc", "vendnovation_rc"),
        ("vendnovation", "v2.1.3", "vendnovation_v2_1_3"),
        ("acme", "v10.20", "acme_v10_20"),
    ],
)
def test_package_name(api: str, stage: str, expected: str) -> None:
    assert package_name(api, stage) == expected
    assert package_name(api, stage).isidentifier()


def test_stage_suffix() -> None:
    assert stage_suffix("v2.1") == "v2_1"
    assert stage_suffix("RC") == "rc"
    assert stage_suffix("...") == "_"


@pytest.mark.parametrize("name", ODD)
@pytest.mark.parametrize(
    "convert", [snake_case, class_name, param_name], ids=lambda f: f.__name__
)
def test_every_result_is_a_usable_identifier(convert: object, name: str) -> None:
    assert callable(convert)
    out = convert(name)
    assert isinstance(out, str)
    assert out.isidentifier(), (name, out)
    assert out.isascii(), (name, out)
    assert not keyword.iskeyword(out) and not keyword.issoftkeyword(out), (name, out)


@pytest.mark.parametrize(
    "name", ["MachineMode", "Site", "AuthToken", "TransactionLineItem"]
)
def test_pascal_case_names_are_kept(name: str) -> None:
    assert class_name(name) == name
    assert class_name(snake_case(name)) == name


def test_safe_identifier() -> None:
    assert safe_identifier("1abc") == "_1abc"
    assert safe_identifier("lambda") == "lambda_"
    assert safe_identifier("type") == "type"
    assert safe_identifier("_") == "__"


def test_distinct_spec_names_that_collide_are_detectable() -> None:
    """Collisions are expected (checks.py reports them); the mapping itself is many-to-one."""
    assert snake_case("siteId") == snake_case("site_id") == snake_case("SiteID")
    assert param_name("page") == param_name("page_")
