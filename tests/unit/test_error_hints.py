"""Errors that say how to fix them: did-you-mean with the stage, the stages listed, the
first declaration's line, schema rules in words, the two YAML pitfalls, and schema and
semantic errors reported in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import validate

MINIMAL = (Path(__file__).resolve().parents[1] / "specs" / "valid" / "minimal.yaml").read_text()
TWO_STAGES = MINIMAL.replace(
    "  - {name: v1, description: First release.}\n",
    "  - {name: v1, description: First release.}\n  - {name: v2, description: Next.}\n",
)


def errors_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    api, errors = validate(path)
    assert api is None
    return [e.format() for e in errors]


def one_error(tmp_path: Path, text: str) -> str:
    found = errors_of(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


def test_unknown_type_names_the_stage_and_the_closest_name(tmp_path: Path) -> None:
    text = TWO_STAGES.replace(
        '      price: {type: "decimal?"',
        "      seen: {type: Datetime, since: v2, description: Seen.}\n"
        '      price: {type: "decimal?"',
    )
    error = one_error(tmp_path, text)
    assert "Widget.seen: unknown type 'Datetime' in stage v2: did you mean 'DateTime'?" in error
    assert "spec.yaml:24:14: error: " in error  # located at the field's type


def test_unknown_stage_lists_the_stages(tmp_path: Path) -> None:
    text = TWO_STAGES.replace("      name: {type: string,", "      name: {since: v3, type: string,")
    error = one_error(tmp_path, text)
    assert "unknown stage 'v3' in 'since'" in error and "(stages: v1, v2)" in error


def test_unknown_error_code_and_filter_suggest_declared_names(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "    response: none\n",
        "    response: none\n    errors: [GENERIC_ERRO]\n    route_filter: RequestFiltre\n",
    )
    found = "\n".join(errors_of(tmp_path, text))
    assert "unknown error code 'GENERIC_ERRO' in stage v1: did you mean 'GENERIC_ERROR'?" in found
    assert "unknown filter 'RequestFiltre' in stage v1: did you mean 'RequestFilter'?" in found


def test_a_duplicate_names_the_line_of_the_first_declaration(tmp_path: Path) -> None:
    text = MINIMAL.replace("  - name: widgets.update", "  - name: widgets.list", 1)
    found = "\n".join(errors_of(tmp_path, text))
    first = MINIMAL.splitlines().index("  - name: widgets.list") + 1
    assert f"duplicate route name 'widgets.list' (first declared at line {first})" in found
    assert "$.routes[0])" not in found.split("(at")[0]


def test_a_pattern_mismatch_says_the_rule_in_words(tmp_path: Path) -> None:
    error = one_error(tmp_path, MINIMAL.replace("path: /widgets\n", "path: widgets\n", 1))
    assert "expected a path starting with / in lower-case letters" in error


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (
            '      price: {type: "decimal?",',
            "      price: {type: decimal?,",
            'quote it, e.g. {type: "int?"}',
        ),
        (
            "description: Display name.}",
            "description: Display name, if any.}",
            "an unquoted comma inside {...} starts a new key: quote the text",
        ),
    ],
    ids=["nullable-in-flow-mapping", "comma-in-description"],
)
def test_the_two_yaml_pitfalls_suggest_quoting(
    tmp_path: Path, before: str, after: str, expected: str
) -> None:
    assert before in MINIMAL
    assert expected in one_error(tmp_path, MINIMAL.replace(before, after))


def test_schema_and_semantic_errors_in_one_run(tmp_path: Path) -> None:
    text = MINIMAL.replace("    method: PATCH\n", "    method: PUSH\n").replace(
        '      price: {type: "decimal?"', '      price: {type: "Money?"'
    )
    found = "\n".join(errors_of(tmp_path, text))
    assert "'PUSH' is not one of" in found  # the schema layer
    assert "Widget.price: unknown type 'Money' in stage v1" in found  # the semantic layer


def test_semantic_checks_skip_an_element_the_schema_rejected(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        '      price: {type: "decimal?", minimum: 0,',
        '      price: {type: "Money?", minimum: x,',
    )
    found = errors_of(tmp_path, text)
    assert len(found) == 1 and "minimum" in found[0]  # no guess about a broken model
