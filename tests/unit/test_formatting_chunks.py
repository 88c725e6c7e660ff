"""Chunked black: formatting a file chunk by chunk gives exactly black's whole-file result."""

from __future__ import annotations

import black
import pytest

import generator
from generator.emit.formatting import MODE, FormatError, Formatter, split_top_level
from generator.emit.render import render_stage

SOURCE = '''"""Doc.

class NotACut:  a definition-like line inside the module docstring
"""
import os
X = {'a':1}
# attached to f
@staticmethod
def f(a,b):
    return a+b
class C( object ):
    x=1
    def g(self): return 'y'
async def h(): pass
'''


def test_cuts_at_top_level_definitions_with_their_decorators_and_comments() -> None:
    chunks = split_top_level("m.py", SOURCE)
    assert "".join(chunks) == SOURCE
    assert [c.splitlines()[0] for c in chunks] == [
        '"""Doc.',
        "# attached to f",
        "class C( object ):",
        "async def h(): pass",
    ]


def test_chunked_result_equals_whole_file_black() -> None:
    formatted = Formatter(None).format_many([("m.py", SOURCE)])[0]
    assert formatted == black.format_str(SOURCE, mode=MODE)


@pytest.mark.parametrize("spec", ["minimal", "errors", "odd_shapes", "wire_names"])
def test_generated_modules_equal_whole_file_black(spec: str) -> None:
    api = generator.build(f"tests/golden/{spec}/spec.yaml")
    files = [
        f for name in api.stage_names for f in render_stage(api.stage(name), api.file) if f.python
    ]
    formatter = Formatter(None)
    got = formatter.format_many([(f.path, f.content) for f in files])
    for f, text in zip(files, got, strict=True):
        assert text == black.format_str(f.content, mode=MODE), f.path


def test_identical_chunks_across_files_are_formatted_once(tmp_path: object) -> None:
    formatter = Formatter(None)
    calls: list[str] = []
    original = formatter._format_chunks

    def spy(owners: dict[str, str], pool: object = None) -> dict[str, str]:
        calls.extend(owners)
        return original(owners)

    formatter._format_chunks = spy  # type: ignore[method-assign]
    formatter.format_many([("a.py", SOURCE), ("b.py", SOURCE.replace("X = ", "Y = "))])
    assert len(calls) == 5  # two preambles, three shared definitions


def test_invalid_python_names_the_file() -> None:
    with pytest.raises(FormatError, match=r"bad\.py"):
        Formatter(None).format_many([("bad.py", "def (:\n")])
