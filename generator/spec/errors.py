"""Spec errors as values: collected, sorted and reported together, never raised one by one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

JsonPath = tuple[str | int, ...]


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
        head = f"{self.file}:{self.line}:{self.column}: {self.severity}"
        return f"{head}: {self.message}{where}"

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
