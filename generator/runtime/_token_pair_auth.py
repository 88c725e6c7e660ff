"""Token-pair authentication: two tokens the caller holds, sent as headers on every call.

There is no token route: the caller obtains both tokens from the vendor (here, a
license id and a session id) and passes them to the client, or sets the environment
variables the spec names. Generating a new session id at the vendor invalidates the
old one, so the vendor's "not authorised" answer is explained with the spec's hint
instead of leaving the caller to guess.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from ._exceptions import APIErrorResponse, APIStatusError, MissingCredentialsError
from ._redact import Secret

__all__ = ["PairToken", "TokenPair", "TokenPairConfig"]


@dataclass(frozen=True, slots=True)
class PairToken:
    """One token: the header that carries it, the client keyword, the env variable."""

    header: str
    param: str
    env: str | None = None


@dataclass(frozen=True, slots=True)
class TokenPairConfig:
    """The two tokens, and the error code that means a token is no longer valid."""

    tokens: tuple[PairToken, ...]
    rejected_code: str | None = None
    rejected_hint: str = ""


class TokenPair:
    """The caller's tokens, held as secrets (masked in reprs, logs and errors)."""

    def __init__(
        self, config: TokenPairConfig, given: Mapping[str, str | None]
    ) -> None:
        self.config = config
        self._values: dict[str, Secret] = {}
        for token in config.tokens:
            value = given.get(token.param) or (
                os.environ.get(token.env) if token.env else None
            )
            if not value:
                env = f" or set {token.env}" if token.env else ""
                raise MissingCredentialsError(token.param, f"pass {token.param}={env}")
            self._values[token.header] = Secret(value)

    def headers(self) -> dict[str, str]:
        """The headers every request carries."""
        return {header: secret.get() for header, secret in self._values.items()}

    def secrets(self) -> list[str]:
        """The token values, for redaction."""
        return [secret.get() for secret in self._values.values()]

    def explain(self, error: APIStatusError) -> APIStatusError:
        """Add the spec's hint to the "not authorised" error (e.g. a replaced session)."""
        code, hint = self.config.rejected_code, self.config.rejected_hint
        if isinstance(error, APIErrorResponse) and code and error.code == code and hint:
            error.args = (f"{error.args[0]} ({hint})", *error.args[1:])
        return error
