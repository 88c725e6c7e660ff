"""Escaping of spec text into generated code: docstrings and literals round-trip exactly."""

from __future__ import annotations

import ast
import itertools

import pytest

from generator.emit.views import docstring, lit

ALPHABET = ['"', "\\", " ", "\n", "'", "x"]


def _doc_of(literal: str) -> str | None:
    module = ast.parse(f"def f():\n    {literal}\n    return None\n")
    func = module.body[0]
    assert isinstance(func, ast.FunctionDef)
    return ast.get_docstring(func, clean=True)


@pytest.mark.parametrize("length", [1, 2, 3, 4, 5])
def test_every_short_ending_stays_inside_the_docstring(length: int) -> None:
    for chars in itertools.product(ALPHABET, repeat=length):
        text = "said " + "".join(chars)
        literal = docstring(text)
        doc = _doc_of(literal)  # a SyntaxError here means the text escaped
        assert doc is not None, (text, literal)
        # Only surrounding whitespace may differ (docstrings are stripped).
        assert doc.split() == text.strip().split() or doc.strip() == text.strip(), (text, doc)


@pytest.mark.parametrize(
    "text",
    ['He said "hi"\n', 'x" ', '"""', "'''", 'a\\"', "ends \\\\", "line\u2028sep", "\x00nul"],
)
def test_literals_round_trip(text: str) -> None:
    assert ast.literal_eval(lit(text)) == text
