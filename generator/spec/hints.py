"""How to fix it: "did you mean" suggestions and schema patterns said in words."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# Every ``pattern`` of spec/routespec.schema.json, said as a rule a person can follow.
PATTERN_WORDS = {
    "^(List<[A-Za-z][A-Za-z0-9]*\\??>|[A-Za-z][A-Za-z0-9]*)\\??$": (
        "a type name such as int, DateTime or Site, optionally List<...>, with ? for nullable"
    ),
    "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$": "a time of day as HH:MM:SS (24-hour)",
    "^/[a-z0-9][a-z0-9/_-]*$": ("a path starting with / in lower-case letters, digits, /, _ and -"),
    "^/(?:[a-z0-9]|\\{[A-Za-z_][A-Za-z0-9_]*\\})(?:[a-z0-9/_-]|\\{[A-Za-z_][A-Za-z0-9_]*\\})*$": (
        "a path starting with / in lower-case letters, digits, /, _ and -,"
        " with {name} path parameters"
    ),
    "^(?:(?:doc|observed|platform): \\S.*|proposal(?:: \\S.*)?)$": (
        "'doc: <page>', 'observed: <client or capture>', 'platform: <behaviour>' or 'proposal'"
    ),
    "^[1-9][0-9]{0,5}(s|m|h|d)$": "a duration: a positive number then s, m, h or d (e.g. 31d)",
    "^[A-Z][A-Z0-9_]*$": "UPPER_SNAKE_CASE (capital letters, digits and _)",
    "^[A-Z][A-Za-z0-9]*$": "a PascalCase name (a capital letter, then letters and digits)",
    "^[A-Za-z0-9][A-Za-z0-9-]*$": "a header name: letters, digits and -",
    "^[A-Za-z]+$": "letters only",
    "^[A-Za-z_][A-Za-z0-9_]*$": "an identifier: letters, digits and _, not starting with a digit",
    "^[a-z][a-z0-9]*(\\.[0-9]+)*$": "a stage name such as v2 or v2.1 (lower case, dotted numbers)",
    "^[a-z][a-z0-9_]*$": "snake_case (lower-case letters, digits and _)",
    "^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$": "group.verb in snake_case, e.g. sites.list",
    "^https?://[^\\s]+$": "an http:// or https:// URL without spaces",
}


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """``: did you mean 'DateTime'?`` for the closest candidate, or ``""``."""
    pool = sorted(set(candidates))
    by_case = {c.lower(): c for c in pool}
    match = by_case.get(name.lower())
    if match is None:
        close = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
        match = close[0] if close else None
    return f": did you mean {match!r}?" if match and match != name else ""


def pattern_in_words(pattern: str) -> str:
    """The rule of a schema pattern in words (the pattern itself when unknown)."""
    return PATTERN_WORDS.get(pattern, f"the pattern {pattern}")
