"""compare(): every kind of change, its breaking verdict and the spec line it points at."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import build, load
from generator.diff.engine import KINDS, Change, compare
from generator.diff.report import source_locator
from generator.diff.rules import RULES

SPECS = Path(__file__).parent / "specs"
CHANGES = SPECS / "changes.yaml"

# (old stage, new stage, kind, breaking, line of the element in changes.yaml, message)
EXPECTED = [
    (
        "v1",
        "v2",
        "auth-token-header-changed",
        True,
        20,
        "token header changed from access-token to Authorization",
    ),
    (
        "v1",
        "v2",
        "auth-token-lifetime-changed",
        False,
        20,
        "token lifetime changed from 3d to 1d",
    ),
    (
        "v1",
        "v2",
        "auth-token-scheme-changed",
        True,
        20,
        "token scheme changed from none to Bearer",
    ),
    ("v1", "v2", "enum-added", False, 104, "enum Shade added"),
    ("v1", "v2", "error-added", False, 109, "error code DATE_ERROR added"),
    ("v1", "v2", "error-removed", True, 110, "error code OLD_ERROR removed"),
    (
        "v1",
        "v2",
        "filter-field-retyped",
        False,
        43,
        "field AlertFilter.level type changed from string to string?",
    ),
    ("v1", "v2", "filter-added", False, 45, "filter EventFilter added"),
    (
        "v1",
        "v2",
        "filter-field-added",
        False,
        37,
        "field RequestFilter.regionIds added",
    ),
    (
        "v1",
        "v2",
        "filter-field-removed",
        True,
        38,
        "field RequestFilter.legacyIds removed",
    ),
    (  # int and long: the same JSON integer and Python int
        "v1",
        "v2",
        "filter-field-retyped",
        False,
        36,
        "field RequestFilter.orgIds type changed from List<int>? to List<long>?",
    ),
    (
        "v1",
        "v2",
        "filter-wire-renamed",
        True,
        31,
        "field RequestFilter.startDate wire name changed from StartDate to startDate",
    ),
    ("v1", "v2", "model-added", False, 95, "model Event added"),
    ("v1", "v2", "model-removed", True, 99, "model Legacy removed"),
    ("v1", "v2", "field-added", True, 90, "field Order.priority (int) added"),
    ("v1", "v2", "field-added", False, 91, "field Order.tag (string?) added"),
    (
        "v1",
        "v2",
        "field-constraint-changed",
        True,
        76,
        "field Order.ref max_length changed from 10 to 5",
    ),
    (
        "v1",
        "v2",
        "field-constraint-changed",
        False,
        80,
        "field Order.sku max_length changed from 5 to 10",
    ),
    (
        "v1",
        "v2",
        "field-made-nullable",
        False,
        72,
        "field Order.comment made nullable (string?)",
    ),
    (
        "v1",
        "v2",
        "field-made-required",
        True,
        69,
        "field Order.qty made non-nullable (int)",
    ),
    (
        "v1",
        "v2",
        "field-read-only-changed",
        True,
        83,
        "field Order.status became read-only",
    ),
    ("v1", "v2", "field-removed", True, 89, "field Order.legacy removed"),
    ("v1", "v2", "field-renamed", True, 88, "field Order.oldName renamed to newName"),
    (
        "v1",
        "v2",
        "field-retyped",
        True,
        86,
        "field Order.price retyped from int to decimal",
    ),
    (
        "v1",
        "v2",
        "field-constraint-changed",
        False,
        63,
        "field Reading.code max_length changed from 10 to 5",
    ),
    (
        "v1",
        "v2",
        "field-made-nullable",
        True,
        56,
        "field Reading.value made nullable (int?)",
    ),
    (
        "v1",
        "v2",
        "field-made-required",
        False,
        59,
        "field Reading.note made non-nullable (string)",
    ),
    (
        "v1",
        "v2",
        "route-filter-field-added",
        False,
        161,
        "alerts.list: route filter field AlertFilter.code now honoured",
    ),
    (
        "v1",
        "v2",
        "route-filter-added",
        False,
        170,
        "events.list: route filter AlertFilter added",
    ),
    (
        "v1",
        "v2",
        "route-response-changed",
        True,
        170,
        "events.list: response changed from List<Reading> to List<Event>",
    ),
    (
        "v1",
        "v2",
        "max-range-changed",
        True,
        222,
        "logs.list: max range changed from 31d to 7d",
    ),
    ("v1", "v2", "route-paged-changed", True, 178, "machines.get: became paged"),
    ("v1", "v2", "route-added", False, 207, "route new.thing (POST /new) added"),
    (
        "v1",
        "v2",
        "route-body-changed",
        True,
        152,
        "notes.put: body changed from List<Note> to List<Order>",
    ),
    ("v1", "v2", "route-removed", True, 201, "route old.thing (POST /old) removed"),
    (
        "v1",
        "v2",
        "route-method-changed",
        True,
        144,
        "orders.create: method changed from PUT to POST",
    ),
    (
        "v1",
        "v2",
        "route-auth-changed",
        True,
        187,
        "pings.check: auth changed from key to token",
    ),
    (
        "v1",
        "v2",
        "route-error-removed",
        False,
        187,
        "pings.check: no longer fails with OLD_ERROR",
    ),
    (
        "v1",
        "v2",
        "dates-required-changed",
        True,
        132,
        "readings.list: dates became required",
    ),
    (
        "v1",
        "v2",
        "max-page-size-changed",
        True,
        131,
        "readings.list: max page size changed from 500 to 100",
    ),
    (
        "v1",
        "v2",
        "request-filter-field-added",
        False,
        134,
        "readings.list: request filter field regionIds now honoured",
    ),
    (
        "v1",
        "v2",
        "request-filter-field-removed",
        True,
        134,
        "readings.list: request filter field siteIds no longer honoured",
    ),
    (
        "v1",
        "v2",
        "route-error-added",
        False,
        135,
        "readings.list: may now fail with DATE_ERROR",
    ),
    (
        "v1",
        "v2",
        "route-path-changed",
        True,
        130,
        "readings.list: path changed from /readings to /reports/readings",
    ),
    (
        "v1",
        "v2",
        "route-path-changed",
        True,
        198,
        "widgets.fetch: path changed from /gadgets to /widgets",
    ),
    (
        "v1",
        "v2",
        "route-renamed",
        True,
        196,
        "route gadgets.fetch renamed to widgets.fetch",
    ),
    (
        "v2",
        "v3",
        "route-filter-removed",
        True,
        162,
        "alerts.list: route filter AlertFilter removed",
    ),
    (
        "v2",
        "v3",
        "route-filter-field-removed",
        True,
        171,
        "events.list: route filter field AlertFilter.code no longer honoured",
    ),
    (
        "v2",
        "v3",
        "dates-required-changed",
        False,
        136,
        "readings.list: dates are no longer required",
    ),
    (
        "v2",
        "v3",
        "max-page-size-changed",
        False,
        136,
        "readings.list: max page size changed from 100 to 800",
    ),
    (
        "v2",
        "v3",
        "max-range-changed",
        False,
        136,
        "readings.list: max range changed from 7d to 31d",
    ),
]


@pytest.fixture(scope="module")
def found() -> dict[tuple[str, str], list[Change]]:
    api = build(CHANGES)
    pairs = [("v1", "v2"), ("v2", "v3")]
    return {(a, b): compare(api.stage(a), api.stage(b)) for a, b in pairs}


def _line(change: Change) -> int:
    src, _ = load(CHANGES)
    location = source_locator(src)(change)
    assert location is not None
    return int(location.split(":")[-2])


@pytest.mark.parametrize(
    ("old", "new", "kind", "breaking", "line", "message"), EXPECTED
)
def test_each_change(
    found: dict[tuple[str, str], list[Change]],
    old: str,
    new: str,
    kind: str,
    breaking: bool,
    line: int,
    message: str,
) -> None:
    matches = [c for c in found[(old, new)] if c.message == message]
    assert len(matches) == 1, message
    change = matches[0]
    assert (change.kind, change.breaking) == (kind, breaking)
    assert change.reason
    assert _line(change) == line


def test_nothing_unexpected(found: dict[tuple[str, str], list[Change]]) -> None:
    expected = sorted((o, n, m) for o, n, _, _, _, m in EXPECTED)
    actual = sorted((o, n, c.message) for (o, n), cs in found.items() for c in cs)
    assert actual == expected


def test_every_rule_line_is_produced(all_changes: dict[str, list[Change]]) -> None:
    """The fixture comparisons (conftest.COMPARISONS) produce every kind in RULES,
    and every verdict line of it: no rule is untested, no change lacks a rule."""
    produced = [c for changes in all_changes.values() for c in changes]
    assert {c.kind for c in produced} == set(KINDS)
    lines = {(k, v[0], r) for k, d in RULES.items() for v, r in d.items()}
    assert {(c.kind, c.breaking, c.reason) for c in produced} == lines


def test_same_stage_has_no_changes() -> None:
    api = build(CHANGES)
    assert compare(api.stage("v2"), api.stage("v2")) == []


def test_reverse_direction_flips_additions_into_breaking_removals() -> None:
    api = build(CHANGES)
    back = compare(api.stage("v2"), api.stage("v1"))
    removed = {c.message for c in back if c.kind == "route-removed"}
    # going back, widgets.fetch has no renamed_from pointing at gadgets.fetch
    assert removed == {
        "route new.thing (POST /new) removed",
        "route widgets.fetch (POST /widgets) removed",
    }
    gone = {"route-removed", "model-removed", "enum-removed", "error-removed"}
    assert all(c.breaking for c in back if c.kind in gone)
    assert {c.kind for c in back} >= {"model-removed", "enum-removed", "error-removed"}


def test_removed_elements_point_into_the_old_stage() -> None:
    api = build(CHANGES)
    changes = compare(api.stage("v1"), api.stage("v2"))
    removed = [c for c in changes if c.kind in ("route-removed", "model-removed")]
    assert removed and all(c.side == "old" for c in removed)


def test_against_another_spec() -> None:
    old = build(SPECS / "against_old.yaml").stage("v1")
    new = build(SPECS / "against_new.yaml").stage("v1")
    got = {(c.kind, c.breaking, c.side) for c in compare(old, new)}
    assert got == {
        ("auth-api-key-header-changed", True, "new"),
        ("auth-token-removed", True, "old"),
        ("enum-value-added", False, "new"),
        ("enum-value-removed", True, "new"),
        ("error-status-changed", True, "new"),
        ("filter-removed", True, "old"),
        ("filter-added", False, "new"),
        ("date-range-added", False, "new"),
    }


def test_against_locations_use_each_side_file() -> None:
    old_src, _ = load(SPECS / "against_old.yaml")
    new_src, _ = load(SPECS / "against_new.yaml")
    locate = source_locator(old_src, new_src)
    old = build(SPECS / "against_old.yaml").stage("v1")
    new = build(SPECS / "against_new.yaml").stage("v1")
    where = {c.kind: locate(c) for c in compare(old, new)}
    assert where["filter-removed"] == f"{old_src.file}:19:3"
    assert where["error-status-changed"] == f"{new_src.file}:14:5"
    assert where["auth-api-key-header-changed"] == f"{new_src.file}:7:13"
