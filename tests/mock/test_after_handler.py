"""Faults after the handler: the write is applied, then its answer is lost or replaced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mock_support import Mock, MockFactory

from generator.mock import ConnectionDropped, Fault, ManualClock


def sites(mock: Mock) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = mock.read("/sites", headers={"size": "2000"}).json()
    return rows


def new_site(mock: Mock, name: str) -> dict[str, Any]:
    return {**sites(mock)[0], "id": None, "name": name}


def test_drop_after_handler_applies_the_write_once(mock: Mock) -> None:
    body = {"body": [new_site(mock, "Dropped after")]}
    mock.app.state.faults.drop_after_next(1, routes=("sites.create",))
    with pytest.raises(ConnectionDropped):
        mock.call("PUT", "/sites", json=body)
    assert [s["name"] for s in sites(mock)].count("Dropped after") == 1
    assert mock.state.store.version == 1
    stats = mock.app.state.stats
    assert (stats.by_route["sites.create"], stats.by_status[0]) == (1, 1)


def test_drop_before_handler_applies_nothing(mock: Mock) -> None:
    body = {"body": [new_site(mock, "Dropped before")]}
    mock.app.state.faults.drop_next(1, routes=("sites.create",))
    with pytest.raises(ConnectionDropped):
        mock.call("PUT", "/sites", json=body)
    assert "Dropped before" not in {s["name"] for s in sites(mock)}
    assert mock.state.store.version == 0


@pytest.mark.parametrize("status", [502, 503])
def test_5xx_after_handler_replaces_the_answer(mock: Mock, status: int) -> None:
    body = {"body": [new_site(mock, "Failed after")]}
    mock.app.state.faults.fail_after_next(1, status=status, routes=("sites.create",))
    r = mock.call("PUT", "/sites", json=body)
    assert r.status_code == status and "message" in r.json()
    assert [s["name"] for s in sites(mock)].count("Failed after") == 1
    assert mock.call("PUT", "/sites", json=body).status_code == 204  # one shot


def test_after_phase_counts_only_handled_requests(mock: Mock) -> None:
    mock.login()
    mock.app.state.faults.add(Fault("error", next=1, status=503))
    mock.app.state.faults.add(Fault("error", next=1, status=502, after_handler=True))
    # the first request stops at the gateway, so the after-phase rule waits for the next
    got = [mock.read("/machines").status_code for _ in range(3)]
    assert got == [503, 502, 200]


def test_after_phase_drop_of_a_read(mock: Mock) -> None:
    mock.login()
    mock.app.state.faults.add(Fault("drop", every=2, after_handler=True))
    assert mock.read("/machines").status_code == 200
    with pytest.raises(ConnectionDropped):
        mock.read("/machines")


def test_manual_clock_moves_the_clamp(make_mock: MockFactory) -> None:
    start = datetime(2024, 6, 1, 12, tzinfo=UTC)
    clock = ManualClock(start)
    mock = make_mock(now=clock)
    mock.login()
    first = mock.read("/transactions").headers["search-range-end-date"]
    clock.advance(timedelta(hours=5))
    second = mock.read("/transactions").headers["search-range-end-date"]
    assert (first, second) == ("2024-06-01T12:00:00.000Z", "2024-06-01T17:00:00.000Z")
    with pytest.raises(ValueError):
        ManualClock(datetime(2024, 1, 1))
