"""Template output is black-stable by construction, so the pipeline skips black on it.

The pipeline formats a template-rendered file only when ``layout.needs_black`` finds a
line the construction cannot vouch for. These tests prove the skip is sound: on every
spec and golden spec, black leaves every skipped file unchanged; and the pieces whose
output depends on spec text (string and float literals, docstrings, the fit-or-explode
layout) are checked against black on adversarial input.
"""

from __future__ import annotations

import keyword
from pathlib import Path

import black
import pytest
import yaml
from black.strings import normalize_string_quotes
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.emit import layout
from generator.emit.formatting import MODE
from generator.emit.layout import Brackets, lay, literal, needs_black
from generator.emit.render import render_stage
from generator.emit.soap import render_soap_stage
from generator.emit.views import docstring
from generator.spec.soap import SoapApi
from tests.generation.hostile_spec import hostile_spec

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted(ROOT.glob("tests/golden/*/spec*.yaml")) + sorted(ROOT.glob("spec/*.yaml"))


def _black(source: str) -> str:
    return black.format_str(source, mode=MODE)


def _hostile_spec(tmp_path: Path) -> Path:
    """The spec whose every free-text slot holds hostile strings (quotes, backslashes,
    line separators, Jinja, long text): spec text reaching literals and docstrings."""
    spec = tmp_path / "spec.yaml"
    text = yaml.safe_dump(hostile_spec(), sort_keys=False, allow_unicode=True, width=10_000)
    spec.write_text(text, "utf-8")
    return spec


@pytest.mark.parametrize("spec", [*SPECS, None], ids=lambda p: str(p and p.relative_to(ROOT)))
def test_black_leaves_every_skipped_template_file_unchanged(
    spec: Path | None, tmp_path: Path
) -> None:
    api = pipeline.build_any(spec or _hostile_spec(tmp_path))
    if isinstance(api, SoapApi):  # no stable templates: every Python file gets black
        files = [f for n in api.stage_names for f in render_soap_stage(api, n)]
        assert files and not any(f.stable for f in files)
        return
    checked = 0
    for name in api.stage_names:
        for f in render_stage(api.stage(name), api.file):
            if not f.stable or needs_black(f.content):
                continue  # black formats it in the pipeline
            assert _black(f.content) == f.content, f"{f.path} is not black-stable"
            checked += 1
    assert checked  # the specs exercise the skip, not only the fallback


def test_models_are_never_marked_stable() -> None:
    api = pipeline.build(ROOT / "tests/golden/minimal/spec.yaml")
    files = render_stage(api.stage(api.stage_names[0]), api.file)
    models = [f for f in files if f.path.endswith("/models.py")]
    assert models and not any(f.stable for f in models)


ADVERSARIAL = [
    "",
    "plain",
    "it's",
    'say "hi"',
    "both ' and \"",
    "two '' one \"",
    "one ' two \"\"",
    "back\\slash",
    "back\\'quote",
    "trailing\\",
    "new\nline",
    "tab\there",
    "\x00\x7f\u2028",
    "é and 你好",
    '"""',
    "'''",
]


@pytest.mark.parametrize("value", ADVERSARIAL)
def test_literal_spells_strings_as_black(value: str) -> None:
    text = literal(value)
    assert eval(text) == value
    assert normalize_string_quotes(text) == text
    assert _black(f"x = {text}\n") == f"x = {text}\n"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_literal_of_any_string_is_black_stable(value: str) -> None:
    text = literal(value)
    assert eval(text) == value
    assert normalize_string_quotes(text) == text


@pytest.mark.parametrize("value", [1e20, 1e-05, 2.5, 1.0, 12345678901234567890.0, -3e300])
def test_literal_spells_floats_as_black(value: float) -> None:
    source = f"x = {literal(value)}\n"
    assert _black(source) == source
    assert eval(literal(value)) == value


DOCS = [
    "One line.",
    '"Quoted" at the start',
    'ends with a "quote"',
    'ends with a quote"',
    "First.\n\n    indented\n    block",
    "First.\n\t- tabbed\n\t- list",
    "First.\n  two\n    four",
    "ends in backslash \\",
    'three """ quotes',
    "  surrounding space  \n\n  ",
    "x" * 120,
    "Head.\n" + "y" * 120,
    "",
]


@pytest.mark.parametrize("text", DOCS)
@pytest.mark.parametrize("indent", ["", "    ", "        "])
def test_docstring_is_black_stable(text: str, indent: str) -> None:
    doc = docstring(text, indent)
    if indent:
        source = "class C:\n" + ("    def f(self) -> None:\n" if len(indent) == 8 else "")
        source += f"{indent}{doc}\n"
    else:
        source = f"{doc}\n\nx = 1\n"
    assert _black(source) == source


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_docstring_of_any_text_is_black_stable(text: str) -> None:
    source = f"class C:\n    {docstring(text)}\n"
    assert _black(source) == source


NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,30}", fullmatch=True).filter(
    lambda name: not keyword.iskeyword(name)  # specs cannot name a thing ``or``
)


@st.composite
def calls(draw: st.DrawFn, depth: int = 0) -> Brackets:
    items: list[str | Brackets] = []
    for _ in range(draw(st.integers(0, 5))):
        if depth < 2 and draw(st.booleans()):
            items.append(draw(calls(depth + 1)))
        else:
            items.append(f"{draw(NAMES)}={literal(draw(st.text(max_size=20)))}")
    return Brackets(f"{draw(NAMES)}(", tuple(items), ")")


@settings(max_examples=200, deadline=None)
@given(calls(), st.sampled_from(["x = ", "return ", "result: list[int] = "]))
def test_fit_or_explode_is_black_stable(call: Brackets, lead: str) -> None:
    stmt = Brackets(lead + call.head, call.items, call.tail)
    source = f"def f():\n    {lay(stmt, 4)}\n"
    if needs_black(source):
        return  # the pipeline formats it
    assert _black(source) == source


def test_long_code_line_needs_black_but_docstrings_and_lone_strings_do_not() -> None:
    long = "a" * 90
    assert needs_black(f"x = f({long})\n")
    assert not needs_black(f'def f():\n    """{long}"""\n')
    assert not needs_black(f'x = f(\n    key="{long}",\n)\n')
    assert needs_black(f'x = f(\n    key="{long}" + y,\n)\n')
    # a triple quote inside a one-quoted string does not start a docstring
    assert needs_black(f"x = ['\"\"\"', {long}]\ny = 1  # \"\"\"\n")
    assert layout.width("你好") == 4
    wide = "你" * 50  # 50 characters, 100 columns: black counts the columns
    assert needs_black(f"x = f({wide!r}, y)\n")
    assert not needs_black(f'"""{wide}"""\n\nx = 1\n')
