"""Line layout of generated code, so black finds nothing to change in what templates render.

Black rewrites a line only when it is too long, holds a magic trailing comma, or uses a
spelling black normalizes (quotes, numbers). The emitters avoid all three by
construction: every bracketed construct is a ``Brackets`` that prints on one line when
that line fits, and otherwise one item per line with a trailing comma. A line that fits
and has no trailing comma is left alone by black; an exploded construct carries a magic
trailing comma, so black keeps it exploded and the result does not depend on how black
would have chosen between its split styles. Literals come from ``literal``, which
spells strings and floats as black would.

What this cannot guarantee (a single item longer than the limit, such as a long
string from the spec) ``needs_black`` detects, and the pipeline formats that file.
``tests/unit/test_black_stable.py`` proves the rest on every spec and golden spec.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

LINE_LENGTH = 88  # black's default, which the pipeline uses


def width(text: str) -> int:
    """Display width, over-estimated: black counts East Asian wide characters twice."""
    return len(text) if text.isascii() else sum(1 if c.isascii() else 2 for c in text)


@dataclass(frozen=True, slots=True)
class Brackets:
    """``head item, item tail``: ``head`` ends with the opening bracket (and holds any
    text before it on the line), ``tail`` starts with the closing one."""

    head: str
    items: tuple[str | Brackets, ...]
    tail: str
    one_tuple: bool = False  # ``(x,)``: the comma is syntax, not a layout choice

    def flat(self) -> str:
        """The construct on one line."""
        comma = "," if self.one_tuple and len(self.items) == 1 else ""
        return self.head + ", ".join(flat(i) for i in self.items) + comma + self.tail

    def __str__(self) -> str:
        return self.flat()


def flat(item: str | Brackets) -> str:
    """An item on one line."""
    return item if isinstance(item, str) else item.flat()


def lay(item: str | Brackets, indent: int, trail: str = "") -> str:
    """``item`` laid out with its first line at column ``indent`` (which the caller
    prints), followed by ``trail``; continuation lines carry their own indentation."""
    one = flat(item) + trail
    if isinstance(item, str) or not item.items or indent + width(one) <= LINE_LENGTH:
        return one
    pad = " " * (indent + 4)
    body = "".join(f"{pad}{lay(i, indent + 4, ',')}\n" for i in item.items)
    return f"{item.head}\n{body}{' ' * indent}{item.tail}{trail}"


def call(func: str, items: Sequence[str | Brackets]) -> Brackets:
    """``func(item, ...)``."""
    return Brackets(f"{func}(", tuple(items), ")")


def kwargs(func: str, pairs: Sequence[tuple[str, str | Brackets]]) -> Brackets:
    """``func(key=value, ...)``."""
    return call(func, [keyword(k, v) for k, v in pairs])


def keyword(key: str, value: str | Brackets) -> str | Brackets:
    """``key=value`` (the value's brackets stay splittable)."""
    if isinstance(value, str):
        return f"{key}={value}"
    return Brackets(f"{key}={value.head}", value.items, value.tail, value.one_tuple)


def prefixed(prefix: str, value: str | Brackets) -> str | Brackets:
    """``value`` with ``prefix`` in front of it on its first line."""
    if isinstance(value, str):
        return prefix + value
    return Brackets(prefix + value.head, value.items, value.tail, value.one_tuple)


def tuple_of(items: Sequence[str | Brackets]) -> Brackets:
    """A tuple display (``()``, ``(x,)``, ``(x, y)``)."""
    return Brackets("(", tuple(items), ")", one_tuple=True)


def dunder_all(names: Sequence[str]) -> str:
    """The ``__all__ = [...]`` statement of a module."""
    return lay(Brackets("__all__ = [", tuple(literal(n) for n in names), "]"), 0)


def needs_black(source: str) -> bool:
    """Whether ``source`` may hold a line black would split: a line longer than the
    limit, unless it is inside a triple-quoted string (black never rewraps a
    docstring's text, and ``views.docstring`` spells docstrings as black does) or is one
    string item of an exploded call. Everything else the emitters print is
    black-stable by construction.
    """
    if source.isascii():  # the common case: find the long lines in C
        starts = [m.start() for m in _LONG_LINE.finditer(source)]
    else:
        starts, at = [], 0
        for line in source.split("\n"):
            if width(line) > LINE_LENGTH:
                starts.append(at)
            at += len(line) + 1
    starts = [a for a in starts if not _LONE_STRING.match(source, a)]
    if not starts:
        return False
    spans = _docstring_spans(source)
    return any(not any(a <= s < b for a, b in spans) for s in starts)


_LONG_LINE = re.compile(rf"^.{{{LINE_LENGTH + 1},}}$", re.M)

# An item of an exploded call or display that is one string (``key="..."``,): black has
# nothing to split it at and leaves it as it is, however long.
_LONE_STRING = re.compile(
    r"""[ ]+(?:\w+=)?(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'),$""", re.M
)

# Everything up to the next docstring (code, one-quoted strings, comments: a quote inside
# one never starts another), then the docstring. Possessive runs keep the scan linear.
_DOCSTRINGS = re.compile(
    r"""(?:[^'"#]++|'(?:[^'\\\n]++|\\.)*+'|"(?!"")(?:[^"\\\n]++|\\.)*+"|#[^\n]*+)*+"""
    r'(?P<doc>"""(?:[^"\\]++|\\.|"(?!""))*+""")?',
)


def _docstring_spans(source: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the lines wholly given to a triple-quoted string that
    stands alone on them (only indentation before it, nothing after it)."""
    out = []
    for match in _DOCSTRINGS.finditer(source):
        if match.group("doc") is None:
            continue
        start, end = match.span("doc")
        line_start = source.rfind("\n", 0, start) + 1
        line_end = source.find("\n", end)
        line_end = len(source) if line_end == -1 else line_end
        if not source[line_start:start].strip() and not source[end:line_end].strip():
            out.append((line_start, line_end))
    return out


def literal(value: object) -> str:
    """A Python literal of ``value`` spelled as black spells it.

    Strings prefer double quotes unless that needs more escapes (black's
    ``normalize_string_quotes`` on ``repr``); floats drop the ``+`` of an exponent;
    tuples are built from their items. Other values are their ``repr``.
    """
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, float):
        return repr(value).replace("e+", "e")
    if isinstance(value, tuple):
        return tuple_of([literal(v) for v in value]).flat()
    return repr(value)


def _string(value: str) -> str:
    text = repr(value)
    if text.startswith('"'):  # repr chose double quotes: value has ' and no "
        return text
    if '"' not in value and "'" not in value:  # the common case: only the quotes change
        return f'"{text[1:-1]}"'
    if value.count('"') > value.count("'"):  # double quotes would need more escapes
        return text
    body, out, i = text[1:-1], [], 0
    while i < len(body):  # repr's body: each \x is one escape unit
        if body[i] == "\\":
            unit = body[i : i + 2]
            out.append("'" if unit == "\\'" else unit)
            i += 2
        else:
            out.append('\\"' if body[i] == '"' else body[i])
            i += 1
    return '"' + "".join(out) + '"'
