"""Every file in tests/specs/invalid/ is rejected with located, sorted, traceback-free errors.

Each case file starts with one or more ``# expect: LINE:COL: substring`` comment lines;
every expectation must appear among the formatted errors as
``<file>:LINE:COL: error: ...substring...``. Cases that cannot be committed sensibly
(an empty file, a 10 MB file) are written into ``tmp_path`` here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import validate
from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
INVALID = ROOT / "tests" / "specs" / "invalid"
VALID_MINIMAL = ROOT / "tests" / "specs" / "valid" / "minimal.yaml"
CASES = sorted(INVALID.glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.+)$")
ERROR_LINE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.+)$"
)


def expectations(path: Path) -> list[tuple[int, int, str]]:
    """The ``# expect:`` lines at the top of a case file (read as bytes: some are not UTF-8)."""
    out = []
    for raw in path.read_bytes().split(b"\n"):
        line = raw.decode("utf-8", errors="replace").rstrip("\r")
        if not line.startswith("#"):
            break
        m = EXPECT.match(line)
        if m:
            out.append((int(m.group(1)), int(m.group(2)), m.group(3)))
    return out


def run_cli(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["validate", str(path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def error_lines(stderr: str) -> list[re.Match[str]]:
    """Formatted error lines; the trailing ``N errors`` summary is not one."""
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert lines, "nothing was printed on stderr"
    assert re.fullmatch(
        r"\d+ errors?", lines[-1]
    ), f"no error count summary: {lines[-1]!r}"
    matches = [ERROR_LINE.match(ln) for ln in lines[:-1]]
    assert all(matches), f"badly formatted error lines:\n{stderr}"
    assert int(lines[-1].split()[0]) == len(matches)
    return [m for m in matches if m is not None]


def assert_rejected(
    path: Path, expected: list[tuple[int, int, str]], capsys: pytest.CaptureFixture[str]
) -> list[str]:
    code, out, err = run_cli(path, capsys)
    assert code == 2, f"exit {code} for {path.name}; stdout={out!r} stderr={err!r}"
    assert "Traceback" not in out + err
    assert out == "", "nothing goes to stdout when a spec is rejected"
    found = error_lines(err)
    for m in found:
        assert m["file"].endswith(path.name), m.group(0)
    positions = [(int(m["line"]), int(m["col"]), m["message"]) for m in found]
    assert positions == sorted(positions), f"errors are not sorted:\n{err}"
    for line, col, substring in expected:
        hits = [
            m
            for m in found
            if (int(m["line"]), int(m["col"])) == (line, col)
            and substring in m["message"]
        ]
        assert (
            hits
        ), f"{path.name}: expected {line}:{col}: ...{substring}... among:\n{err}"
    return [m.group(0) for m in found]


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 32
    for case in CASES:
        assert expectations(case), f"{case.name} states no '# expect:' line"


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_spec_is_rejected(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No wall-clock bound here (speed belongs in bench/): hostile inputs are bounded by
    # the node, depth and size limits, whose own messages the expectations check.
    assert_rejected(case, expectations(case), capsys)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_library_agrees_with_cli(case: Path) -> None:
    api, errors = validate(case)
    assert api is None
    assert errors
    assert errors == sorted(errors)
    for error in errors:
        assert error.format().startswith(
            f"{error.file}:{error.line}:{error.column}: error: "
        )


def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "empty.yaml"
    spec.write_bytes(b"")
    assert_rejected(spec, [(1, 1, "spec is empty")], capsys)


def test_whitespace_only_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "blank.yaml"
    spec.write_text("\n   \n\t\n")
    assert_rejected(spec, [(1, 1, "spec is empty")], capsys)


def test_binary_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "image.yaml"
    spec.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert_rejected(spec, [(1, 1, "binary file")], capsys)


def test_invalid_utf8_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "latin1.yaml"
    spec.write_bytes(b"routespec: 1\napi:\n  title: Caf" + b"\xe9 API\n")
    assert_rejected(spec, [(3, 13, "not UTF-8 text (byte 0xe9)")], capsys)


def test_file_over_size_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "huge.yaml"
    base = VALID_MINIMAL.read_text()
    filler = "# " + "x" * 98 + "\n"
    spec.write_text(base + filler * (10 * 1024 * 1024 // len(filler)))
    assert spec.stat().st_size > 10_000_000
    assert_rejected(spec, [(1, 1, "spec is too large")], capsys)


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_rejected(tmp_path / "nope.yaml", [(1, 1, "cannot read spec")], capsys)


def test_huge_alias_bomb_is_bounded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A billion laughs with 10**12 leaves stops at the node limit (pytest-timeout bounds it)."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    lines += [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)
    ]
    spec = tmp_path / "bomb.yaml"
    spec.write_text("\n".join(lines) + "\n")
    # Bounded by the node limit, not by a clock (speed belongs in bench/).
    found = assert_rejected(spec, [], capsys)
    assert len(found) == 1 and "an alias bomb" in found[0]


def test_three_defects_all_reported(capsys: pytest.CaptureFixture[str]) -> None:
    case = INVALID / "three_defects.yaml"
    expected = expectations(case)
    assert len(expected) == 3
    found = assert_rejected(case, expected, capsys)
    assert len(found) == 3


def test_three_schema_defects_all_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = VALID_MINIMAL.read_text()
    text = text.replace("method: POST", "method: FETCH")
    text = text.replace("burst: 20}", "burst: twenty}")
    text = text.replace("routes:\n", "colour: red\nroutes:\n")
    spec = tmp_path / "three.yaml"
    spec.write_text(text)
    lines = text.splitlines()
    at = {
        key: next(i for i, ln in enumerate(lines) if key in ln) + 1
        for key in ("FETCH", "twenty", "colour")
    }
    found = assert_rejected(
        spec,
        [
            (at["twenty"], 20, "expected integer, got string"),
            (at["colour"], 1, "unknown key 'colour'"),
            (at["FETCH"], 5, "'FETCH' is not one of"),
        ],
        capsys,
    )
    assert len(found) == 3


def test_console_script_in_subprocess() -> None:
    script = Path(sys.executable).with_name("routegen")
    assert script.exists(), script
    case = INVALID / "unknown_response_model.yaml"
    rel = case.relative_to(ROOT)
    proc = subprocess.run(
        [str(script), "validate", str(rel)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    line, col, substring = expectations(case)[0]
    first = proc.stderr.splitlines()[0]
    assert first.startswith(f"{rel}:{line}:{col}: error: "), first
    assert substring in first
    assert first.endswith("(at $.routes[0].response)")
    assert proc.stderr.splitlines()[-1] == "1 error"


def test_valid_minimal_still_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(VALID_MINIMAL)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "ok: 1 stages, 2 routes"
    assert captured.err == ""
