"""Gateway errors, the API key, the key test, authenticate and session tokens."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from mock_support import KEY, Mock, MockFactory

US_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} (AM|PM)$")


def test_unknown_path_is_missing_authentication_token(mock: Mock) -> None:
    r = mock.call("POST", "/no-such-route")
    assert r.status_code == 403
    assert r.json() == {"message": "Missing Authentication Token"}
    assert mock.http.post("/v9/machines", headers={"x-api-key": KEY}).status_code == 403


def test_wrong_method_is_missing_authentication_token(mock: Mock) -> None:
    assert mock.call("GET", "/machines").json() == {
        "message": "Missing Authentication Token"
    }


def test_missing_or_wrong_key_is_forbidden(mock: Mock) -> None:
    for key in (None, "wrong"):
        r = mock.call("POST", "/token-test", key=key, token=False)
        assert (r.status_code, r.json()) == (403, {"message": "Forbidden"})


def test_token_test_needs_only_the_key(mock: Mock) -> None:
    r = mock.call("POST", "/token-test", token=False)
    assert r.status_code == 200
    # The API Key Test page documents a plain string, not a JSON string.
    assert r.text == "Access token was valid"
    assert r.headers["content-type"].startswith("text/plain")


def test_authenticate_returns_us_dates_and_a_three_day_token(mock: Mock) -> None:
    r = mock.call("POST", "/authenticate", json=mock.credentials(), token=False)
    body = r.json()
    assert set(body) == {"accessToken", "userName", "issued", "expires"}
    assert re.fullmatch(r"[0-9a-f-]{36}", body["accessToken"])
    assert body["userName"] == mock.state.config.username
    assert US_DATE.match(body["issued"]) and US_DATE.match(body["expires"])
    assert body["issued"] == "6/1/2024 12:00:00 PM"
    fmt = "%m/%d/%Y %I:%M:%S %p"
    life = datetime.strptime(body["expires"], fmt) - datetime.strptime(
        body["issued"], fmt
    )
    assert life == timedelta(days=3)


def test_authenticate_binds_keys_case_insensitively(mock: Mock) -> None:
    creds = {k.upper(): v for k, v in mock.credentials().items()}
    assert (
        mock.call("POST", "/authenticate", json=creds, token=False).status_code == 200
    )


def test_wrong_credentials_are_invalid_login(mock: Mock) -> None:
    r = mock.call(
        "POST", "/authenticate", json={"username": "x", "password": "y"}, token=False
    )
    assert r.status_code == 403
    [error] = r.json()
    assert error["code"] == "INVALID_LOGIN"
    assert set(error) == {"code", "message", "pointers", "pointerName"}


def test_token_routes_need_a_token(mock: Mock) -> None:
    r = mock.read("/machines", token=False)
    assert r.status_code == 401
    assert [e["code"] for e in r.json()] == ["API_TOKEN"]
    r = mock.read("/machines", token=False, headers={"access-token": "not-a-token"})
    assert r.status_code == 401


def test_expired_token_is_api_token(mock: Mock) -> None:
    assert mock.read("/machines").status_code == 200
    mock.state.expire_tokens()
    r = mock.read("/machines")
    assert (r.status_code, r.json()[0]["code"]) == (401, "API_TOKEN")
    mock.login()
    assert mock.read("/machines").status_code == 200


def test_rc_takes_the_access_token_header(make_mock: MockFactory) -> None:
    """Every known client sends access-token on rc; Bearer was an unbacked proposal."""
    rc = make_mock("rc")
    assert rc.read("/machines").status_code == 200
    token = rc.login()
    bearer = rc.read("/machines", token=False, headers={"Authorization": f"Bearer {token}"})
    assert (bearer.status_code, bearer.json()[0]["code"]) == (401, "API_TOKEN")


def test_key_is_checked_before_the_token(mock: Mock) -> None:
    assert mock.read("/machines", key="wrong", token=False).json() == {
        "message": "Forbidden"
    }


def test_trailing_slash_matches(mock: Mock) -> None:
    assert mock.call("POST", "/token-test/", token=False).status_code == 200


def test_minimal_spec_has_no_token_routes(minimal: Mock) -> None:
    assert minimal.read("/widgets").status_code == 200
