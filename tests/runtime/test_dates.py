"""Date normalisation, wire format, header parsing, the four clamping rules and windows."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from generator.runtime import DateRangeConfig
from generator.runtime._dates import (
    MILLISECOND,
    clamp_range,
    format_wire,
    normalize_date,
    parse_header_date,
    split_windows,
)

DATES = DateRangeConfig()
WEEK = timedelta(days=7)
T0 = datetime(2024, 3, 1, 6, 30, tzinfo=UTC)
NOW = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)


def test_naive_datetime_is_utc() -> None:
    assert normalize_date(datetime(2024, 3, 1, 6, 30), "start", DATES) == T0


def test_aware_datetime_is_converted_to_utc() -> None:
    eastern = timezone(timedelta(hours=-5))
    value = datetime(2024, 3, 1, 1, 30, tzinfo=eastern)
    assert normalize_date(value, "end", DATES) == T0


def test_date_only_start_and_end_get_start_and_end_of_day() -> None:
    day = date(2024, 3, 1)
    assert normalize_date(day, "start", DATES) == datetime(
        2024, 3, 1, 0, 0, 0, tzinfo=UTC
    )
    assert normalize_date(day, "end", DATES) == datetime(
        2024, 3, 1, 23, 59, 59, tzinfo=UTC
    )


def test_wire_format_is_naive_utc_with_milliseconds() -> None:
    value = datetime(
        2021, 11, 15, 19, 7, 5, 477_912, tzinfo=timezone(timedelta(hours=1))
    )
    assert format_wire(value, DATES) == "2021-11-15T18:07:05.477"


@pytest.mark.parametrize(
    "raw",
    [
        "2021-11-15T18:07:05.477",
        "2021-11-15T18:07:05.477Z",
        "2021-11-15T19:07:05.477+01:00",
        "2021-11-15T18:07:05.4770000Z",
    ],
)
def test_parse_header_date_accepts_iso_with_or_without_offset(raw: str) -> None:
    assert parse_header_date(raw) == datetime(
        2021, 11, 15, 18, 7, 5, 477_000, tzinfo=UTC
    )


def test_parse_header_date_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        parse_header_date("next tuesday")


def test_clamp_both_given_trims_end_only_when_too_long() -> None:
    assert clamp_range(T0, T0 + timedelta(days=2), WEEK, NOW) == (
        T0,
        T0 + timedelta(days=2),
    )
    assert clamp_range(T0, T0 + timedelta(days=30), WEEK, NOW) == (T0, T0 + WEEK)


def test_clamp_only_start_sets_end_to_start_plus_max() -> None:
    assert clamp_range(T0, None, WEEK, NOW) == (T0, T0 + WEEK)


def test_clamp_only_end_sets_start_to_end_minus_max() -> None:
    assert clamp_range(None, T0, WEEK, NOW) == (T0 - WEEK, T0)


def test_clamp_neither_uses_now() -> None:
    assert clamp_range(None, None, WEEK, NOW) == (NOW - WEEK, NOW)


def test_split_windows_cover_the_range_in_order_without_gap_or_overlap() -> None:
    end = T0 + timedelta(days=17, hours=3)
    windows = list(split_windows(T0, end, WEEK))
    assert len(windows) == 3
    assert windows[0][0] == T0
    assert windows[-1][1] == end
    for (_, first_end), (second_start, _) in itertools.pairwise(windows):
        assert second_start - first_end == MILLISECOND
    assert all(s <= e and e - s < WEEK for s, e in windows)


def test_split_windows_of_an_exact_multiple_ends_on_the_last_millisecond() -> None:
    windows = list(split_windows(T0, T0 + 2 * WEEK - MILLISECOND, WEEK))
    assert windows == [
        (T0, T0 + WEEK - MILLISECOND),
        (T0 + WEEK, T0 + 2 * WEEK - MILLISECOND),
    ]


def test_split_windows_of_a_single_instant() -> None:
    assert list(split_windows(T0, T0, WEEK)) == [(T0, T0)]
