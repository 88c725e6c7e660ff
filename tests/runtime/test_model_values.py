"""Values as the vendor means them: exact money, naive local times, US-format token dates."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pydantic
import pytest

from generator.runtime._json import dumps, jsonable, loads
from generator.runtime._model import TextDatesModel, VendorModel
from tests.runtime.runtime_support import SITES_UPDATE, Api

US = "%m/%d/%Y %I:%M:%S %p"


class Line(VendorModel):
    """Like a generated model: wire names read and written, Python names in code."""

    model_config = pydantic.ConfigDict(populate_by_name=True)

    unit_price: Decimal = pydantic.Field(
        validation_alias=pydantic.AliasChoices("unitPrice"),
        serialization_alias="unitPrice",
    )
    occurred_at_utc: datetime = pydantic.Field(
        validation_alias=pydantic.AliasChoices("occurredAtUtc"),
        serialization_alias="occurredAtUtc",
    )
    occurred_at_local_time: datetime = pydantic.Field(
        json_schema_extra={"localTime": True},
        validation_alias=pydantic.AliasChoices("occurredAtLocalTime"),
        serialization_alias="occurredAtLocalTime",
    )


class Token(TextDatesModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    expires: datetime = pydantic.Field(json_schema_extra={"wireFormat": US})
    issued: datetime | None = pydantic.Field(
        default=None, json_schema_extra={"wireFormat": US}
    )


WIRE = (
    b'{"unitPrice":0.1000000000000000000001,"occurredAtUtc":"2024-03-10T14:30:05",'
    b'"occurredAtLocalTime":"2024-03-10T06:30:05"}'
)


def test_money_is_read_exactly_and_local_time_stays_naive() -> None:
    line = Line.model_validate(loads(WIRE))
    assert line.unit_price == Decimal("0.1000000000000000000001")
    assert line.occurred_at_utc == datetime(2024, 3, 10, 14, 30, 5, tzinfo=UTC)
    assert line.occurred_at_local_time == datetime(2024, 3, 10, 6, 30, 5)
    assert line.occurred_at_local_time.tzinfo is None


def test_money_and_local_time_go_back_to_the_wire_unchanged() -> None:
    line = Line(
        unit_price=Decimal("12.10"),
        occurred_at_utc=datetime(2024, 3, 10, 14, 30, 5, tzinfo=UTC),
        occurred_at_local_time=datetime(2024, 3, 10, 6, 30, 5),
    )
    text = dumps(jsonable(line))
    assert text == (
        '{"unitPrice":12.10,"occurredAtUtc":"2024-03-10T14:30:05Z",'
        '"occurredAtLocalTime":"2024-03-10T06:30:05"}'
    )
    assert Line.model_validate(loads(text)) == line


@pytest.mark.parametrize("text", ["0.1", "12.10", "1E-7", "-0.00", "123456789012345678.99"])
def test_decimal_round_trips_digit_for_digit(text: str) -> None:
    value = loads(text)
    assert isinstance(value, Decimal)
    assert dumps(value) == text
    assert dumps([{"a": value}]) == f'[{{"a":{text}}}]'


@pytest.mark.parametrize("bad", ["NaN", "Infinity"])
def test_a_non_finite_decimal_is_not_written(bad: str) -> None:
    with pytest.raises(ValueError, match="not a JSON number"):
        dumps(Decimal(bad))


def test_a_write_sends_money_as_exact_json_numbers(api: Api) -> None:
    api.vendor.routes["/sites"] = lambda request: httpx.Response(
        200, content=b"[" + WIRE + b"]", headers={"content-type": "application/json"}
    )
    line = Line.model_validate(loads(WIRE))
    result = api.call(api.client(), "_request", SITES_UPDATE, body=[line], cast_to=Line)
    assert result == [line]
    (request,) = api.vendor.calls
    assert b'"unitPrice":0.1000000000000000000001' in request.content
    assert request.headers["content-type"] == "application/json"


def test_us_format_dates_parse_to_aware_utc_and_keep_the_text() -> None:
    token = Token.model_validate({"expires": "9/6/2020 11:17:40 PM"})
    assert token.expires == datetime(2020, 9, 6, 23, 17, 40, tzinfo=UTC)
    assert token.raw_text("expires") == "9/6/2020 11:17:40 PM"
    assert token.issued is None and token.raw_text("issued") is None
    again = Token.model_validate(token.model_dump(mode="json"))  # ISO also accepted
    assert again.expires == token.expires


def test_a_token_date_in_neither_format_names_the_field() -> None:
    with pytest.raises(pydantic.ValidationError, match="expires"):
        Token.model_validate({"expires": "tomorrow"})
