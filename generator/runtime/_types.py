"""Small shared types: the ``NOT_GIVEN`` sentinel and the timeout alias."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import (
    TYPE_CHECKING,
    Any,
    Final,
    Literal,
    Protocol,
    SupportsIndex,
    TypeAlias,
    TypeVar,
    overload,
)

import httpx

from ._timeouts import Timeouts

__all__ = ["NOT_GIVEN", "NotGiven", "SequenceNotStr", "Timeout", "omit_not_given"]

_T_co = TypeVar("_T_co", covariant=True)

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


if TYPE_CHECKING:

    class SequenceNotStr(Protocol[_T_co]):
        """A ``Sequence`` that a ``str`` does not match, for list-typed filters.

        ``str`` is a ``Sequence[str]``, so ``machine_identifiers: Sequence[str]`` would
        accept ``"M1"`` and send it as a string. ``str.__contains__`` takes only
        ``str``, while this protocol's takes ``object``, so type checkers reject a
        ``str`` (and ``bytes``) here. Same idea as the Stainless SDKs' type.
        """

        @overload
        def __getitem__(self, index: SupportsIndex, /) -> _T_co: ...
        @overload
        def __getitem__(self, index: slice, /) -> Sequence[_T_co]: ...
        def __contains__(self, value: object, /) -> bool: ...
        def __len__(self) -> int: ...
        def __iter__(self) -> Iterator[_T_co]: ...
        def index(self, value: Any, start: int = 0, stop: int = ..., /) -> int: ...
        def count(self, value: Any, /) -> int: ...
        def __reversed__(self) -> Iterator[_T_co]: ...

else:
    # At runtime a plain Sequence, so pydantic validates generated filter fields as
    # usual; the runtime itself rejects a str for a list filter (``_filters.py``).
    SequenceNotStr = Sequence
