"""compare() across two spec files: stage-wide settings, route policies, field types.

Each row pins one change of a ``COMPARISONS`` entry (conftest.py): its kind, its
breaking flag and the ``file:line`` it points at (removals point into the old file).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import load
from generator.diff.engine import Change
from generator.diff.report import source_locator
from generator.spec.wiretypes import json_type

from .conftest import COMPARISONS

# (comparison, kind, breaking, "file:line", message)
EXPECTED = [
    (
        "wide",
        "api-base-url-changed",
        False,
        "stagewide_new.yaml:4",
        "base URL changed from https://api.acme.test/{stage} to https://acme.test/api/{stage}",
    ),
    (
        "wide",
        "auth-token-changed",
        True,
        "stagewide_new.yaml:9",
        "token token_field changed from accessToken to token",
    ),
    (
        "wide",
        "auth-token-renew-before-changed",
        False,
        "stagewide_new.yaml:9",
        "token renew_before changed from 1h to 2h",
    ),
    (
        "wide",
        "body-key-renamed",
        True,
        "stagewide_new.yaml:32",
        "body keys body key renamed from body to data",
    ),
    (
        "wide",
        "date-range-day-bounds-changed",
        True,
        "stagewide_new.yaml:31",
        "date range end_of_day changed from 23:59:59 to 23:59:00",
    ),
    (
        "wide",
        "date-range-field-renamed",
        True,
        "stagewide_new.yaml:28",
        "date range end_field changed from endDate to toDate",
    ),
    (
        "wide",
        "date-range-field-renamed",
        True,
        "stagewide_new.yaml:27",
        "date range start_field changed from startDate to fromDate",
    ),
    (
        "wide",
        "date-range-header-renamed",
        True,
        "stagewide_new.yaml:29",
        "date range start_header changed from search-range-start-date to x-range-start",
    ),
    (
        "wide",
        "error-object-key-renamed",
        True,
        "stagewide_new.yaml:50",
        "error object pointer_name key renamed from pointerName to pointerField",
    ),
    (
        "wide",
        "filter-field-retyped",
        True,
        "stagewide_new.yaml:39",
        "field RequestFilter.code type changed from string? to int?",
    ),
    (
        "wide",
        "gateway-error-changed",
        True,
        "stagewide_new.yaml:54",
        "gateway error Forbidden changed from 403 'Forbidden' to 403 'Access Denied'",
    ),
    (
        "wide",
        "gateway-error-removed",
        True,
        "stagewide_old.yaml:56",
        "gateway error LimitExceeded removed",
    ),
    (
        "wide",
        "gateway-error-added",
        False,
        "stagewide_new.yaml:56",
        "gateway error MissingAuthenticationToken added",
    ),
    (
        "wide",
        "gateway-error-retry-changed",
        False,
        "stagewide_new.yaml:55",
        "gateway error TooManyRequests retry flag cleared",
    ),
    (
        "wide",
        "limit-changed",
        False,
        "stagewide_new.yaml:18",
        "limit burst changed from 100 to 200",
    ),
    (
        "wide",
        "limit-changed",
        True,
        "stagewide_new.yaml:18",
        "limit quota changed from 5000 to 1000",
    ),
    (
        "wide",
        "limit-changed",
        True,
        "stagewide_new.yaml:18",
        "limit rate changed from 20.0 to 10.0",
    ),
    (
        "wide",
        "field-read-only-changed",
        True,
        "stagewide_new.yaml:44",
        "field Sale.id became writable and required (int)",
    ),
    (
        "wide",
        "field-read-only-changed",
        False,
        "stagewide_new.yaml:45",
        "field Sale.note became writable",
    ),
    (
        "wide",
        "field-retyped",
        True,  # Decimal in Python, float after: callers' arithmetic changes
        "stagewide_new.yaml:46",
        "field Sale.amount retyped from decimal to double",
    ),
    (
        "wide",
        "field-retyped",
        False,
        "stagewide_new.yaml:47",
        "field Sale.count retyped from int to long",
    ),
    (
        "wide",
        "field-retyped",
        False,
        "stagewide_new.yaml:48",
        "field Sale.ratio retyped from float to double",
    ),
    (
        "wide",
        "pagination-default-size-changed",
        False,
        "stagewide_new.yaml:24",
        "pagination default size changed from 50 to 100",
    ),
    (
        "wide",
        "pagination-first-page-changed",
        True,
        "stagewide_new.yaml:23",
        "pagination first page changed from 1 to 0",
    ),
    (
        "wide",
        "pagination-header-renamed",
        True,
        "stagewide_new.yaml:21",
        "pagination request page header renamed from page to pageNumber",
    ),
    (
        "wide",
        "pagination-header-renamed",
        True,
        "stagewide_new.yaml:22",
        "pagination response total_pages header renamed from total-pages to x-total-pages",
    ),
    (
        "wide",
        "pagination-max-size-changed",
        True,
        "stagewide_new.yaml:25",
        "pagination max size changed from 2000 to 1000",
    ),
    (
        "wide",
        "route-idempotent-changed",
        False,
        "stagewide_new.yaml:86",
        "reports.run: is no longer idempotent",
    ),
    (
        "wide",
        "route-min-interval-changed",
        True,
        "stagewide_new.yaml:71",
        "sales.list: min interval changed from 1m to 5m",
    ),
    (
        "wide",
        "route-idempotent-changed",
        False,
        "stagewide_new.yaml:79",
        "sales.update: became idempotent",
    ),
    (
        "wide",
        "route-min-interval-changed",
        True,
        "stagewide_new.yaml:80",
        "sales.update: min interval changed from none to 1s",
    ),
    (
        "wide",
        "route-status-changed",
        True,
        "stagewide_new.yaml:78",
        "sales.update: success status changed from 204 to 200",
    ),
    (
        "wide-back",
        "gateway-error-added",
        False,
        "stagewide_old.yaml:56",
        "gateway error LimitExceeded added",
    ),
    (
        "wide-back",
        "gateway-error-removed",
        True,
        "stagewide_new.yaml:56",
        "gateway error MissingAuthenticationToken removed",
    ),
    (
        "wide-back",
        "gateway-error-retry-changed",
        False,
        "stagewide_old.yaml:55",
        "gateway error TooManyRequests retry flag set",
    ),
    (
        "wide-back",
        "limit-changed",
        True,
        "stagewide_old.yaml:18",
        "limit burst changed from 200 to 100",
    ),
    (
        "wide-back",
        "limit-changed",
        False,
        "stagewide_old.yaml:18",
        "limit quota changed from 1000 to 5000",
    ),
    (
        "wide-back",
        "limit-changed",
        False,
        "stagewide_old.yaml:18",
        "limit rate changed from 10.0 to 20.0",
    ),
    (
        "wide-back",
        "field-read-only-changed",
        True,
        "stagewide_old.yaml:44",
        "field Sale.id became read-only",
    ),
    (
        "wide-back",
        "field-read-only-changed",
        True,
        "stagewide_old.yaml:45",
        "field Sale.note became read-only",
    ),
    (
        "wide-back",
        "pagination-max-size-changed",
        False,
        "stagewide_old.yaml:25",
        "pagination max size changed from 1000 to 2000",
    ),
    (
        "wide-back",
        "route-idempotent-changed",
        False,
        "stagewide_old.yaml:78",
        "reports.run: became idempotent",
    ),
    (
        "wide-back",
        "route-min-interval-changed",
        False,
        "stagewide_old.yaml:71",
        "sales.list: min interval changed from 5m to 1m",
    ),
    (
        "wide-back",
        "route-idempotent-changed",
        False,
        "stagewide_old.yaml:72",
        "sales.update: is no longer idempotent",
    ),
    (
        "wide-back",
        "route-min-interval-changed",
        False,
        "stagewide_old.yaml:72",
        "sales.update: min interval changed from 1s to none",
    ),
    ("against", "date-range-added", False, "against_new.yaml:28", "date range added"),
    (
        "against-back",
        "auth-token-added",
        True,
        "against_old.yaml:8",
        "token authentication added",
    ),
    (
        "against-back",
        "date-range-removed",
        True,
        "against_new.yaml:28",
        "date range removed",
    ),
]


def _location(name: str, change: Change) -> str:
    old, _, new, _ = COMPARISONS[name]
    location = source_locator(load(old)[0], load(new)[0])(change)
    assert location is not None
    file, line, _ = location.rsplit(":", 2)
    return f"{Path(file).name}:{line}"


@pytest.mark.parametrize(("name", "kind", "breaking", "where", "message"), EXPECTED)
def test_each_change(
    all_changes: dict[str, list[Change]],
    name: str,
    kind: str,
    breaking: bool,
    where: str,
    message: str,
) -> None:
    matches = [c for c in all_changes[name] if c.message == message]
    assert len(matches) == 1, message
    change = matches[0]
    assert (change.kind, change.breaking) == (kind, breaking)
    assert change.reason
    assert _location(name, change) == where


def test_stagewide_changes_are_pinned_one_way(
    all_changes: dict[str, list[Change]],
) -> None:
    """Old -> new: every change of the new kinds is in EXPECTED (nothing unexpected)."""
    kinds = {kind for _, kind, _, _, _ in EXPECTED}
    pinned = sorted(m for n, _, _, _, m in EXPECTED if n == "wide")
    found = sorted(c.message for c in all_changes["wide"] if c.kind in kinds)
    assert found == pinned


def test_same_shape_retype_keeps_nullability_checks(
    all_changes: dict[str, list[Change]],
) -> None:
    """A wire-compatible retype is ok and reports nothing else for the field."""
    sale = [c for c in all_changes["wide"] if "Sale.count" in c.message]
    assert [(c.kind, c.breaking) for c in sale] == [("field-retyped", False)]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("int", "long", True),
        ("decimal", "double", False),
        ("float", "double", True),
        ("int", "decimal", False),
        ("string", "DateTime", False),
        ("string", "Guid", False),
        ("Sale", "Sale", True),
    ],
)
def test_json_type(a: str, b: str, same: bool) -> None:
    assert (json_type(a) == json_type(b)) is same


def test_same_spec_stages_share_stagewide_settings(
    all_changes: dict[str, list[Change]],
) -> None:
    """Within one spec stage-wide settings never differ (base URL: its template)."""
    wide = {"api", "limits", "pagination", "date range", "body keys", "error object"}
    for name in ("v1>v2", "v2>v3", "v2>v1"):
        subjects = {c.subject for c in all_changes[name]}
        assert not subjects & wide
        assert not any(s.startswith("gateway error") for s in subjects)
