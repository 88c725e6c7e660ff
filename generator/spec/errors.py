"""Spec errors as values: collected, sorted and reported together, never raised one by one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

JsonPath = tuple[str | int, ...]

MAX_MESSAGE = 500  # characters of one formatted message; longer ones are cut in the middle
MAX_VALUE = 60  # characters of a spec value quoted in a message


def short_repr(value: object, limit: int = MAX_VALUE) -> str:
    """``repr(value)``, cut in the middle past ``limit`` characters (with the full length).

    50,000 errors that each quote a 4,000-character value printed 11.5 MB; the
    location already says where the value is, so a glimpse of it is enough.
    """
    text = repr(value)
    return text if len(text) <= limit else _cut(text, limit)


def _cut(text: str, limit: int) -> str:
    keep = max(limit - 20, 10)
    head, tail = text[: keep * 2 // 3], text[-(keep // 3) :]
    return f"{head}...{tail} ({len(text):,} chars)"


@dataclass(frozen=True, slots=True, order=True)
class SpecError:
    """One problem in a spec, located in its source file."""

    file: str
    line: int
    column: int
    message: str
    json_path: JsonPath = ()
    severity: str = "error"  # "note": reported, but the spec is still usable

    def format(self) -> str:
        """``file:line:col: error: message (at json.path)``."""
        where = f" (at {format_path(self.json_path)})" if self.json_path else ""
        message = self.message
        if len(message) > MAX_MESSAGE:
            message = _cut(message, MAX_MESSAGE)
        head = f"{self.file}:{self.line}:{self.column}: {self.severity}"
        return f"{head}: {message}{where}"

    @property
    def is_error(self) -> bool:
        """False for a note."""
        return self.severity == "error"


def format_path(path: JsonPath) -> str:
    """``("routes", 3, "path")`` -> ``routes[3].path``."""
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def sort_errors(errors: Iterable[SpecError]) -> list[SpecError]:
    """Sorted by file, line, column, message; duplicates removed."""
    return sorted(set(errors))


class SpecErrors(Exception):
    """Raised only at the library boundary to carry collected errors to a caller."""

    def __init__(self, errors: Iterable[SpecError]) -> None:
        self.errors = sort_errors(errors)
        super().__init__("\n".join(e.format() for e in self.errors))
