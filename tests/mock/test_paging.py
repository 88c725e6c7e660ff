"""Header pagination: defaults, clamps, totals and the last page."""

from __future__ import annotations

import math

from mock_support import Mock, MockFactory


def test_defaults_are_page_1_size_50(minimal: Mock) -> None:
    r = minimal.read("/widgets")
    assert r.status_code == 200
    assert (r.headers["page"], r.headers["size"]) == ("1", "50")
    assert r.headers["total-pages"] == str(math.ceil(500 / 50))
    assert [w["id"] for w in r.json()] == list(range(1, 51))


def test_pages_cover_every_record_once(minimal: Mock) -> None:
    seen = []
    for page in range(1, 7):
        r = minimal.read("/widgets", headers={"page": str(page), "size": "100"})
        seen += [w["id"] for w in r.json()]
    assert seen == list(range(1, 501))


def test_size_is_clamped_to_the_route_max(minimal: Mock) -> None:
    r = minimal.read("/widgets", headers={"size": "1000"})
    assert r.headers["size"] == "100"
    assert len(r.json()) == 100
    assert r.headers["total-pages"] == "5"


def test_size_is_clamped_to_2000(make_mock: MockFactory) -> None:
    mock = make_mock(records=3000)
    r = mock.read(
        "/sessions/events", {"startDate": "2024-01-01"}, headers={"size": "5000"}
    )
    assert r.headers["size"] == "2000"


def test_transactions_are_clamped_to_100(mock: Mock) -> None:
    r = mock.read("/transactions", headers={"size": "2000"})
    assert r.headers["size"] == "100"


def test_page_past_the_end_is_empty(minimal: Mock) -> None:
    r = minimal.read("/widgets", headers={"page": "99"})
    assert (r.status_code, r.json(), r.headers["page"]) == (200, [], "99")


def test_bad_values_fall_back_to_defaults(minimal: Mock) -> None:
    r = minimal.read("/widgets", headers={"page": "x", "size": "0"})
    assert (r.headers["page"], r.headers["size"]) == ("1", "50")


def test_header_names_are_case_insensitive(minimal: Mock) -> None:
    r = minimal.read("/widgets", headers={"PAGE": "2", "Size": "10"})
    assert (r.headers["page"], r.headers["size"]) == ("2", "10")
    assert r.json()[0]["id"] == 11


def test_generated_rows_respect_constraints(minimal: Mock) -> None:
    rows = minimal.read("/widgets", headers={"size": "100"}).json()
    assert all(len(w["name"]) <= 50 for w in rows)
    assert all(w["price"] is None or w["price"] >= 0 for w in rows)


def test_same_seed_same_data(make_mock: MockFactory) -> None:
    a = make_mock(seed=7).read("/transactions").json()
    b = make_mock(seed=7).read("/transactions").json()
    c = make_mock(seed=8).read("/transactions").json()
    assert a == b
    assert a != c
