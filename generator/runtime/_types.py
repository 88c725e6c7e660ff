"""Small shared types: the ``NOT_GIVEN`` sentinel and the timeout alias."""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

import httpx

from ._timeouts import Timeouts

__all__ = ["NOT_GIVEN", "NotGiven", "Timeout", "omit_not_given"]

#: seconds for every phase, httpx's per-phase timeouts, or ``Timeouts`` (adds a total
#: budget per call); None means no limit at all
Timeout: TypeAlias = float | httpx.Timeout | Timeouts | None


class NotGiven:
    """Marks an argument the caller did not pass, where ``None`` is a meaningful value.

    ``timeout=None`` means "no timeout"; ``timeout=NOT_GIVEN`` means "use the client's".
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # One instance only, so ``is NOT_GIVEN`` checks are reliable across copies.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


def omit_not_given(**kwargs: object) -> dict[str, object]:
    """Return the keyword arguments whose value is not ``NOT_GIVEN``."""
    return {
        key: value for key, value in kwargs.items() if not isinstance(value, NotGiven)
    }
