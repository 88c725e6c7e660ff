# ruff: noqa: E501  (one case per line reads as a table; wrapping would hide it)
"""Specs the schema accepts but that would generate broken or wrong packages are rejected.

Each case mutates a small valid spec (``hostile_base``) into one member of a class of
defects (issue 11 §2) and expects a located error at the slot at fault; the examples
deliberately differ from the issue's. Near-misses that are fine are accepted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main

from .hostile_base import Mutation, Spec, base_spec, gadget, search, validate_spec, write_spec


def _set(path: tuple[Any, ...], value: Any) -> Mutation:
    def mutate(spec: Spec) -> None:
        node = spec
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _model(name: str, fields: dict[str, Any]) -> Mutation:
    return _set(("models", name), {"fields": fields})


def _route(**route: Any) -> Mutation:
    def mutate(spec: Spec) -> None:
        spec["routes"].append({"summary": "Extra.", **route})

    return mutate


def _no_token(spec: Spec) -> None:
    del spec["auth"]["token"]
    spec["routes"] = [r for r in spec["routes"] if r["name"] != "auth.login"]


def _explicit_token(spec: Spec) -> None:
    _no_token(spec)
    spec["routes"][0]["auth"] = "token"


def _cycle(spec: Spec) -> None:
    spec["models"]["Shelf"] = {"fields": {"box": {"type": "Box"}}}
    spec["models"]["Box"] = {"fields": {"lid": {"type": "Lid"}}}
    spec["models"]["Lid"] = {"fields": {"shelf": {"type": "Shelf"}}}


def _wire_onto_other(spec: Spec) -> None:
    search(spec)["shopIds"]["changes"] = {"v2": {"wire": "toDate"}}


def _pascal_wire(spec: Spec) -> None:
    spec["filters"]["SearchFilter"]["wire_case"] = {"v1": "PascalCase"}
    search(spec)["kind"] = {"type": "int?", "changes": {"v1": {"wire": "ShopIds"}}}


def _gateway_twice(spec: Spec) -> None:
    spec["errors"]["gateway"] = [
        {"name": "Throttled", "status": 429, "message": "Too Many Requests"},
        {"name": "SlowDown", "status": 429, "message": "Too Many Requests"},
    ]


M = "models"
CASES: list[tuple[str, Mutation, tuple[Any, ...], str]] = [
    # class names Python, typing, pydantic or datamodel-code-generator own
    ("model_Optional", _model("Optional", {"a": {"type": "int"}}), (M, "Optional"), "choose another"),
    ("enum_Ellipsis", _set((M, "Ellipsis"), {"enum": ["x"]}), (M, "Ellipsis"), "builtin"),
    ("model_Decimal", _model("Decimal", {"a": {"type": "int"}}), (M, "Decimal"), "choose another"),
    ("model_EmailStr", _model("EmailStr", {"a": {"type": "int"}}), (M, "EmailStr"), "pydantic"),
    ("filter_RootModel", _set(("filters", "RootModel"), {"fields": {"a": {"type": "int?"}}}), ("filters", "RootModel"), "pydantic"),
    ("error_NotImplemented", _set(("errors", "codes", "NOT_IMPLEMENTED"), {"status": 501, "description": "x"}), ("errors", "codes", "NOT_IMPLEMENTED"), "NotImplementedError"),
    ("error_root_Any", _set(("api", "error_root"), "Any"), ("api", "error_root"), "typing"),
    # field names in pydantic's namespace or shadowing what the module imports
    ("field_schemaJson", _set((M, "Gadget", "fields", "schemaJson"), {"type": "int?"}), (M, "Gadget", "fields", "schemaJson"), "BaseModel member"),
    ("field_modelDumpRaw", _set((M, "Gadget", "fields", "modelDumpRaw"), {"type": "int?"}), (M, "Gadget", "fields", "modelDumpRaw"), "protected namespace"),
    ("field_timedelta", _set((M, "Gadget", "fields", "timedelta"), {"type": "DateTime?"}), (M, "Gadget", "fields", "timedelta"), "imports"),
    ("filter_parseObj", _set(("filters", "SearchFilter", "fields", "parseObj"), {"type": "int?"}), ("filters", "SearchFilter", "fields", "parseObj"), "BaseModel member"),
    ("filter_time", _set(("filters", "SearchFilter", "fields", "time"), {"type": "DateTime?"}), ("filters", "SearchFilter", "fields", "time"), "imports"),
    ("filter_float", _set(("filters", "SearchFilter", "fields", "float"), {"type": "double?"}), ("filters", "SearchFilter", "fields", "float"), "imports"),
    ("field_underscores", _set((M, "Gadget", "fields", "__"), {"type": "int?"}), (M, "Gadget", "fields", "__"), "underscore"),
    # enum values one member name under NFKC
    ("enum_ligature", _set((M, "Colour", "enum"), ["\ufb01ne", "fine"]), (M, "Colour", "enum"), "NFKC"),
    ("enum_fullwidth", _set((M, "Colour", "enum"), ["\uff21", "A"]), (M, "Colour", "enum"), "NFKC"),
    # patterns either engine refuses
    ("pattern_bad_repeat", _set((M, "Gadget", "fields", "label", "pattern"), "a{3,1}"), (M, "Gadget", "fields", "label"), "not a valid regular expression"),
    ("pattern_lookahead", _set((M, "Gadget", "fields", "label", "pattern"), "^(?!x)"), (M, "Gadget", "fields", "label"), "regex engine"),
    ("pattern_backref", _set((M, "Gadget", "fields", "label", "pattern"), r"(a)\1"), (M, "Gadget", "fields", "label"), "regex engine"),
    # numbers: NaN, infinities, absurd magnitudes
    ("maximum_inf", _set((M, "Gadget", "fields", "weight", "maximum"), float("inf")), (M, "Gadget", "fields", "weight", "maximum"), "finite"),
    ("minimum_nan", _set((M, "Gadget", "fields", "weight", "minimum"), float("nan")), (M, "Gadget", "fields", "weight", "minimum"), "finite"),
    ("rate_nan", _set(("limits", "rate"), float("nan")), ("limits", "rate"), "finite"),
    ("minimum_subnormal", _set((M, "Gadget", "fields", "weight", "minimum"), 5e-324), (M, "Gadget", "fields", "weight", "minimum"), "too small"),
    ("maximum_huge", _set((M, "Gadget", "fields", "weight", "maximum"), 10**30), (M, "Gadget", "fields", "weight", "maximum"), "out of range"),
    ("rate_tiny", _set(("limits", "rate"), 0.000001), ("limits", "rate"), "one call a day"),
    # a quota period the runtime cannot honour
    ("quota_weekly", _set(("limits", "quota_period"), "7d"), ("limits", "quota_period"), "daily quota"),
    ("quota_hourly", _set(("limits", "quota_period"), "60m"), ("limits", "quota_period"), "daily quota"),
    # api.version
    ("version_words", _set(("api", "version"), "one point two"), ("api", "version"), "PEP 440"),
    ("version_tab", _set(("api", "version"), "1.2\t"), ("api", "version"), "whitespace"),
    ("version_injection", _set(("api", "version"), '1.0"\nevil = "x'), ("api", "version"), "whitespace"),
    # wiring collisions
    ("page_is_key_header_casefold", _set(("pagination", "request"), {"page": "X-API-KEY"}), ("pagination", "request", "page"), "case-insensitive"),
    ("size_is_token_header", _set(("pagination", "request"), {"size": "Session-Token"}), ("pagination", "request", "size"), "already used"),
    ("token_header_is_key_header", _set(("auth", "token", "header"), "x-Api-Key"), ("auth", "token", "header"), "already used"),
    ("key_header_is_transport", _set(("auth", "api_key", "header"), "Accept-Encoding"), ("auth", "api_key", "header"), "transport"),
    ("total_pages_is_page", _set(("pagination", "response"), {"total_pages": "Page"}), ("pagination", "response", "total_pages"), "already used"),
    ("range_headers_equal", _set(("date_range", "response_headers"), {"start": "range", "end": "RANGE"}), ("date_range", "response_headers", "end"), "already used"),
    ("username_is_password", _set(("auth", "token", "password_field"), "user"), ("auth", "token", "password_field"), "already used"),
    ("token_is_expires", _set(("auth", "token", "expires_field"), "token"), ("auth", "token", "expires_field"), "already used"),
    ("body_keys_equal", _set(("body_keys",), {"route_filter": "payload", "body": "payload"}), ("body_keys", "body"), "already used"),
    ("error_keys_equal", _set(("errors", "object"), {"message": "code"}), ("errors", "object", "message"), "already used"),
    ("wire_rename_onto_field", _wire_onto_other, ("filters", "SearchFilter", "fields", "shopIds", "changes", "v2"), "wire name"),
    ("wire_onto_pascal_wire", _pascal_wire, ("filters", "SearchFilter", "fields", "kind"), "wire name"),
    ("gateway_twice", _gateway_twice, ("errors", "gateway", 1, "message"), "already used"),
    ("date_field_not_a_date", _set(("filters", "SearchFilter", "fields", "toDate", "type"), "int?"), ("filters", "SearchFilter", "fields", "toDate"), "must be DateTime"),
    ("date_fields_equal", _set(("date_range", "end_field"), "fromDate"), ("date_range", "end_field"), "same field"),
    ("day_inverted", _set(("date_range", "end_of_day"), "00:00:00"), ("date_range", "end_of_day"), "not before"),
    # token auth with no token, and a token route that needs a token
    ("explicit_token_without_token", _explicit_token, ("routes", 0), "declares no auth.token"),
    ("token_route_needs_token", _set(("routes", 0, "auth"), "token"), ("routes", 0), "cannot itself need a token"),
    # models without a finite instance
    ("self_reference", _model("Tree", {"trunk": {"type": "Tree"}}), (M, "Tree", "fields", "trunk"), "own model"),
    ("three_cycle", _cycle, (M, "Box", "fields", "lid"), "cycle"),
    # impossible constraints
    ("minimum_above_maximum", _set((M, "Gadget", "fields", "weight"), {"type": "double", "minimum": 9, "maximum": 3}), (M, "Gadget", "fields", "weight"), "no value fits"),
    ("exclusive_equals_maximum", _set((M, "Gadget", "fields", "weight"), {"type": "int", "exclusive_minimum": 4, "maximum": 4}), (M, "Gadget", "fields", "weight"), "no value fits"),
    ("min_length_above_max", _set((M, "Gadget", "fields", "label", "min_length"), 41), (M, "Gadget", "fields", "label"), "no value fits"),
    ("minimum_on_string", _set((M, "Gadget", "fields", "label", "minimum"), 1), (M, "Gadget", "fields", "label"), "non-numeric"),
    ("min_length_on_int", _set((M, "Gadget", "fields", "id", "min_length"), 1), (M, "Gadget", "fields", "id"), "non-string"),
    # one endpoint under two spellings
    ("trailing_slash", _route(name="gadgets.patch2", method="PATCH", path="/gadgets/", body={"list_of": "Gadget"}, response="none"), ("routes", 3, "path"), "same endpoint"),
    ("double_slash", _route(name="gadgets.sub", method="POST", path="/gadgets//", response="text"), ("routes", 3, "path"), "same endpoint"),
    ("get_with_filters", _route(name="gadgets.search", method="GET", path="/search", request_filter=["shopIds"], response="text"), ("routes", 3), "a GET sends no body"),
    # base URLs that are not a plain origin + prefix
    ("base_url_credentials", _set(("api", "base_url"), "https://me:pw@api.probe.test/{stage}"), ("api", "base_url"), "credentials"),
    ("base_url_query", _set(("api", "base_url"), "https://api.probe.test/{stage}?x=1"), ("api", "base_url"), "query"),
    ("base_url_placeholder", _set(("api", "base_url"), "https://{region}.probe.test/{stage}"), ("api", "base_url"), "placeholder"),
    ("base_url_quote", _set(("api", "base_url"), 'https://api.probe.test/{stage}"+x+"'), ("api", "base_url"), "placeholder"),
]  # fmt: skip

ACCEPTED: list[tuple[str, Mutation]] = [
    ("nullable_self_reference", _model("Tree", {"parent": {"type": "Tree?"}})),
    ("list_self_reference", _model("Tree", {"children": {"type": "List<Tree>"}})),
    ("model_prefix_field", _set((M, "Gadget", "fields", "modelNumber"), {"type": "string?"})),
    ("pre_release_version", _set(("api", "version"), "2.0.0rc1")),
    ("quota_24h", _set(("limits", "quota_period"), "24h")),
    ("authorization_token_header", _set(("auth", "token", "header"), "Authorization")),
    ("enum_case_variants", _set((M, "Colour", "enum"), ["a", "A"])),
    ("tiny_but_sane_minimum", _set((M, "Gadget", "fields", "weight", "minimum"), 0.0001)),
    ("equal_bounds", _set((M, "Gadget", "fields", "weight"), {"type": "int", "minimum": 4, "maximum": 4})),
]


@pytest.mark.parametrize(
    ("mutate", "path", "substring"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_rejected_at_the_slot(
    mutate: Mutation, path: tuple[Any, ...], substring: str, tmp_path: Path
) -> None:
    spec = base_spec()
    mutate(spec)
    errors = validate_spec(spec, tmp_path)
    hits = [
        e
        for e in errors
        if e.json_path[: len(path)] == path and substring in e.message
    ]
    listed = "\n".join(e.format() for e in errors)
    assert hits, f"expected ...{substring}... at {path}, got:\n{listed}"
    assert all(e.line >= 1 and e.column >= 1 for e in hits)


@pytest.mark.parametrize("mutate", [c[1] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_near_misses_are_accepted(mutate: Mutation, tmp_path: Path) -> None:
    spec = base_spec()
    mutate(spec)
    assert [e.format() for e in validate_spec(spec, tmp_path)] == []


def test_token_auth_is_the_default_only_with_a_token(tmp_path: Path) -> None:
    """A token-less spec's routes default to key auth: callable, not 'needs a token'."""
    import generator

    spec = base_spec()
    _no_token(spec)
    api, errors = generator.validate(write_spec(spec, tmp_path))
    assert errors == [] and api is not None
    assert {r.auth for s in api.resolved for r in s.routes} == {"key"}


def test_cli_reports_located_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = base_spec()
    gadget(spec)["weight"]["maximum"] = float("-inf")
    path = write_spec(spec, tmp_path)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "spec.yaml:" in err and "is not a finite number" in err
    assert "Traceback" not in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,  # a blocking open() would wait here for a writer forever
    )
    assert result.returncode == 2
    assert "not a regular file" in result.stderr


def test_character_device_is_refused(tmp_path: Path) -> None:
    import generator

    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    _, errors = generator.validate("/dev/zero")
    assert [e.message for e in errors] == [
        "spec is not a regular file (a device, FIFO or socket?)"
    ]
