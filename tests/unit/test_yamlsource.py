"""generator.spec.yamlsource: positions, duplicate keys, hostile YAML; SpecError formatting."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator import validate
from generator.spec import yamlsource
from generator.spec.errors import SpecError, SpecErrors, format_path, sort_errors
from generator.spec.yamlsource import Source, parse_text, read_source

TEXT = """\
routespec: 1
api:
  name: acme
  nested:
    deeper: {a: 1, b: [x, y]}
routes:
  - name: widgets.list
    method: POST
  -   name: widgets.update
      path: /widgets
"""


@pytest.fixture()
def src() -> Source:
    source, errors = parse_text(TEXT, "spec.yaml")
    assert errors == []
    return source


def test_data_is_plain_python(src: Source) -> None:
    assert src.data["api"]["nested"]["deeper"] == {"a": 1, "b": ["x", "y"]}
    assert src.data["routes"][1]["path"] == "/widgets"


@pytest.mark.parametrize(
    ("path", "where"),
    [
        (("routespec",), (1, 1)),
        (("api",), (2, 1)),
        (("api", "name"), (3, 3)),
        (("api", "nested", "deeper"), (5, 5)),
        (("api", "nested", "deeper", "b"), (5, 20)),
        (("api", "nested", "deeper", "b", 0), (5, 24)),
        (("api", "nested", "deeper", "b", 1), (5, 27)),
        (("routes", 0), (7, 5)),
        (("routes", 0, "method"), (8, 5)),
        (("routes", 1), (9, 7)),
        (("routes", 1, "path"), (10, 7)),
    ],
)
def test_positions_of_nested_keys_and_list_items(
    src: Source, path: tuple[str | int, ...], where: tuple[int, int]
) -> None:
    assert src.positions[path] == where
    assert src.where(path) == where


def test_where_falls_back_to_nearest_ancestor(src: Source) -> None:
    assert src.where(("routes", 1, "summary")) == (9, 7)
    assert src.where(("nowhere", "at", "all")) == src.where(())


def test_error_is_located(src: Source) -> None:
    err = src.error(("routes", 0, "method"), "bad method")
    assert err == SpecError("spec.yaml", 8, 5, "bad method", ("routes", 0, "method"))
    assert err.format() == "spec.yaml:8:5: error: bad method (at $.routes[0].method)"


def test_duplicate_key_names_the_first_line() -> None:
    text = "a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n"
    src, errors = parse_text(text, "s.yaml")
    assert [e.format() for e in errors] == [
        "s.yaml:5:3: error: duplicate key 'c' (first defined at line 3) (at $.b.c)"
    ]
    assert src.data["b"]["c"] == 1, "the first definition is kept"


def test_duplicate_key_in_flow_mapping() -> None:
    _, errors = parse_text("x: {k: 1, j: 2, k: 3}\n", "s.yaml")
    assert [(e.line, e.column) for e in errors] == [(1, 17)]
    assert "first defined at line 1" in errors[0].message


def test_every_duplicate_is_reported() -> None:
    _, errors = parse_text("a: 1\na: 2\nb: 1\na: 3\nb: 2\n", "s.yaml")
    assert [(e.line, e.message) for e in sort_errors(errors)] == [
        (2, "duplicate key 'a' (first defined at line 1)"),
        (4, "duplicate key 'a' (first defined at line 1)"),
        (5, "duplicate key 'b' (first defined at line 3)"),
    ]


def test_merge_key_rejected() -> None:
    _, errors = parse_text("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", "s.yaml")
    assert [(e.line, e.column) for e in errors] == [(3, 3)]
    assert "merge keys" in errors[0].message


def test_alias_bomb_is_bounded() -> None:
    lines = ["l0: &l0 [" + ", ".join(["lol"] * 10) + "]"]
    lines += [
        f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 15)
    ]
    started = time.perf_counter()
    src, errors = parse_text("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - started < 5
    assert len(errors) == 1
    assert "nodes (an alias bomb?)" in errors[0].message
    assert "alias" in errors[0].message
    assert src.data is None


def test_small_aliases_are_fine() -> None:
    src, errors = parse_text("a: &x [1, 2]\nb: *x\n", "s.yaml")
    assert errors == []
    assert src.data == {"a": [1, 2], "b": [1, 2]}


def test_node_limit_applies_without_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "MAX_NODES", 50)
    _, errors = parse_text("xs: [" + ", ".join(["1"] * 100) + "]\n", "s.yaml")
    assert len(errors) == 1 and "nodes (an alias bomb?)" in errors[0].message


def test_depth_limit() -> None:
    depth = yamlsource.MAX_DEPTH + 5
    _, errors = parse_text("a: " + "[" * depth + "]" * depth + "\n", "s.yaml")
    assert len(errors) == 1
    assert errors[0].line == 1 and errors[0].column > 1
    assert "nests deeper than" in errors[0].message


def test_depth_limit_message_reads_well() -> None:
    depth = yamlsource.MAX_DEPTH + 5
    _, errors = parse_text("a: " + "[" * depth + "]" * depth + "\n", "s.yaml")
    assert "has nesting is" not in errors[0].message, errors[0].message


def test_extreme_nesting_does_not_crash() -> None:
    depth = 20_000
    _, errors = parse_text("a: " + "[" * depth + "]" * depth + "\n", "s.yaml")
    assert len(errors) == 1
    assert "nests deeper than" in errors[0].message


@pytest.mark.parametrize("text", ["", "\n\n", "# c\n  # d\n", " \t \n"])
def test_empty_inputs(text: str) -> None:
    src, errors = parse_text(text, "s.yaml")
    assert [e.message for e in errors] == ["spec is empty"]
    assert src.data is None


@pytest.mark.parametrize("text", ["---\n", "--- ~\n", "...\n", "--- # only a marker\n"])
def test_marker_only_documents_are_rejected(tmp_path: Path, text: str) -> None:
    p = tmp_path / "marker.yaml"
    p.write_text(text)
    api, errors = validate(p)
    assert api is None
    assert len(errors) == 1
    assert errors[0].line <= 2
    assert any(
        w in errors[0].message for w in ("empty", "expected object", "invalid YAML")
    )


def test_invalid_yaml_is_located() -> None:
    _, errors = parse_text("a: 1\nb: [1, 2\nc: 3\n", "s.yaml")
    assert len(errors) == 1
    assert errors[0].message.startswith("invalid YAML: ")
    assert errors[0].line == 3


def test_read_source_size_limit(tmp_path: Path) -> None:
    p = tmp_path / "big.yaml"
    p.write_bytes(b"#" * (yamlsource.MAX_BYTES + 1))
    _, errors = read_source(p, "big.yaml")
    assert len(errors) == 1 and "too large" in errors[0].message


def test_read_source_bom_is_accepted(tmp_path: Path) -> None:
    p = tmp_path / "bom.yaml"
    p.write_bytes(b"\xef\xbb\xbfa: 1\n")
    src, errors = read_source(p, "bom.yaml")
    assert errors == []
    assert src.data == {"a": 1}
    assert src.positions[("a",)] == (1, 1)


def test_read_source_invalid_utf8_position(tmp_path: Path) -> None:
    p = tmp_path / "bad.yaml"
    p.write_bytes(b"a: 1\nbb: \xc3\x28\n")
    _, errors = read_source(p, "bad.yaml")
    assert [(e.line, e.column) for e in errors] == [(2, 5)]
    assert "0xc3" in errors[0].message


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), "$"),
        (("routes",), "$.routes"),
        (("routes", 3, "path"), "$.routes[3].path"),
        (("routes", 0, "changes", "v2.1", "path"), "$.routes[0].changes.v2.1.path"),
        (("a", 0, 1), "$.a[0][1]"),
    ],
)
def test_format_path(path: tuple[str | int, ...], text: str) -> None:
    assert format_path(path) == text


def test_spec_error_format() -> None:
    with_path = SpecError(
        "spec/x.yaml", 14, 5, "unknown key 'foo'", ("routes", 2, "foo")
    )
    assert (
        with_path.format()
        == "spec/x.yaml:14:5: error: unknown key 'foo' (at $.routes[2].foo)"
    )
    without = SpecError("spec/x.yaml", 1, 1, "spec is empty")
    assert without.format() == "spec/x.yaml:1:1: error: spec is empty"


def test_sort_errors_orders_and_dedups() -> None:
    a = SpecError("f", 3, 1, "z")
    b = SpecError("f", 1, 9, "y")
    c = SpecError("f", 1, 2, "x")
    assert sort_errors([a, b, c, a]) == [c, b, a]
    raised = SpecErrors([a, b, c])
    assert raised.errors == [c, b, a]
    assert str(raised).splitlines()[0] == c.format()
