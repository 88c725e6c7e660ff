"""Responses validated straight from the raw bytes keep every value as the exact path does.

``_parse`` hands a body to pydantic's ``validate_json`` only when ``floats_are_exact``
says each number reads as the same ``Decimal`` through a double; otherwise (and on any
validation error) it decodes with ``_json.loads`` first. Either way the caller gets the
same values: money digit for digit, local times naive, other datetimes aware UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pydantic
import pytest

from generator.runtime._json import floats_are_exact, loads
from generator.runtime._model import TextDatesModel, VendorModel, VendorModelBase
from tests.runtime.runtime_support import SITES_UPDATE, Api

US = "%m/%d/%Y %I:%M:%S %p"


class Price(VendorModelBase):
    model_config = pydantic.ConfigDict(populate_by_name=True, extra="allow")

    amount: Decimal = pydantic.Field(validation_alias=pydantic.AliasChoices("amount"))
    count: int = 0


class Stamped(VendorModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    at_utc: datetime = pydantic.Field(validation_alias=pydantic.AliasChoices("atUtc"))
    at_local: datetime = pydantic.Field(
        json_schema_extra={"localTime": True},
        validation_alias=pydantic.AliasChoices("atLocal"),
    )
    maybe: datetime | None = None


class Token(TextDatesModel):
    model_config = pydantic.ConfigDict(extra="allow")

    expires: datetime = pydantic.Field(json_schema_extra={"wireFormat": US})
    fee: Decimal = Decimal(0)


@pytest.mark.parametrize(
    "body",
    [b"[9.93, 0.1, 72.12]", b'{"a": 0.3, "b": -0.5, "c": 123456.1234567}', b"[1, 20, 300]",
     b'{"at": "2024-03-10T10:00:00.000Z", "id": "3fa85f64-5717-4e62-b3fc-2c963f66afa6"}'],
)  # fmt: skip
def test_short_numbers_read_the_same_through_a_double(body: bytes) -> None:
    assert floats_are_exact(body)


@pytest.mark.parametrize(
    "body",
    [b"[12.10]", b"[0.29999999999999998]", b"[0.30000000000000004]", b"[1e5]",
     b"[1E+5]", b'{"a": 1.5e-3 }', b"[12345678.5]", b"[0.1000000000000000000001]",
     b"[-0.00]", b"1e-400"],
)  # fmt: skip
def test_numbers_a_double_would_change_take_the_exact_path(body: bytes) -> None:
    assert not floats_are_exact(body)


ONE = Price(amount=Decimal(1))  # the write's body; its answer is what is read


def _serve(api: Api, body: bytes) -> None:
    api.vendor.routes["/sites"] = lambda request: httpx.Response(
        200, content=body, headers={"content-type": "application/json"}
    )


@pytest.mark.parametrize(
    "text", ["9.93", "0.1", "0.30000000000000004", "0.29999999999999998", "12.10", "1E+2", "7"]
)
def test_money_read_from_a_response_is_exact(api: Api, text: str) -> None:
    _serve(api, f'[{{"amount": {text}}}, {{"amount": 0.2}}]'.encode())
    result = api.call(api.client(), "_request", SITES_UPDATE, body=[ONE], cast_to=Price)
    assert [p.amount for p in result] == [Decimal(text), Decimal("0.2")]
    assert str(result[0].amount) == str(loads(text))  # digit for digit, scale kept
    assert all(isinstance(p.amount, Decimal) for p in result)


def test_unknown_fields_hold_decimals_and_strings_as_sent(api: Api) -> None:
    _serve(api, b'[{"amount": 1.5, "rate": 0.25, "code": "1.5", "tags": [2.5, "x"]}]')
    (price,) = api.call(api.client(), "_request", SITES_UPDATE, body=[ONE], cast_to=Price)
    assert price.model_extra == {
        "rate": Decimal("0.25"), "code": "1.5", "tags": [Decimal("2.5"), "x"]
    }  # fmt: skip


def test_local_times_stay_naive_and_others_become_utc(api: Api) -> None:
    _serve(
        api,
        b'[{"atUtc": "2024-03-10T14:30:05", "atLocal": "2024-03-10T06:30:05",'
        b' "maybe": "2024-03-10T16:30:05+02:00"}]',
    )
    (row,) = api.call(api.client(), "_request", SITES_UPDATE, body=[ONE], cast_to=Stamped)
    assert row.at_utc == datetime(2024, 3, 10, 14, 30, 5, tzinfo=UTC)
    assert row.at_utc.tzinfo is UTC
    assert row.at_local == datetime(2024, 3, 10, 6, 30, 5) and row.at_local.tzinfo is None
    assert row.maybe == datetime(2024, 3, 10, 14, 30, 5, tzinfo=UTC)
    assert row.maybe is not None and row.maybe.tzinfo is UTC


def test_text_dates_and_their_numbers_read_from_raw_json() -> None:
    token = Token.model_validate_json(
        b'{"expires": "9/6/2020 11:17:40 PM", "fee": 9.93, "ratio": 0.5}'
    )
    assert token.expires == datetime(2020, 9, 6, 23, 17, 40, tzinfo=UTC)
    assert token.raw_text("expires") == "9/6/2020 11:17:40 PM"
    assert token.fee == Decimal("9.93")
    assert token.model_extra == {"ratio": Decimal("0.5")}


def test_a_bad_record_is_named_as_before(api: Api) -> None:
    _serve(api, b'[{"amount": 1.5}, {"amount": "lots"}]')
    with pytest.raises(Exception, match=r"1\.amount") as caught:
        api.call(api.client(), "_request", SITES_UPDATE, body=[ONE], cast_to=Price)
    assert type(caught.value).__name__ == "ResponseValidationError"


def test_python_values_given_in_code_are_kept() -> None:
    price = Price(amount=Decimal("1.50"), note=1.5, when=(1, 2))  # type: ignore[call-arg]
    assert price.amount == Decimal("1.50") and str(price.amount) == "1.50"
    assert price.model_extra == {"note": 1.5, "when": (1, 2)}
