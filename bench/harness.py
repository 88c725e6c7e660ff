"""What every ``make bench`` row shares: whole-process timing, alternation, the table.

Each row is a ratio of two whole commands measured in the same run, alternating
(A, B, A, B…) so that load on a shared machine hits both sides alike; the figure is the
median of the runs. The table replaces the section between the ``bench:run`` markers of
``bench/README.md``; every other section of that file is kept.
"""

from __future__ import annotations

import os
import platform
import signal
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
PEERS_BIN = BENCH / ".venv" / "bin"
BEGIN, END = "<!-- bench:run begin -->", "<!-- bench:run end -->"
Row = tuple[str, str, str, str]  # what, ours, baseline, ratio


def run(cmd: Sequence[str], env: dict[str, str] | None = None, timeout: float = 3600) -> float:
    """Seconds one whole process took; raises on a non-zero exit or a timeout.

    The command runs in its own process group so that a timeout also stops the
    worker processes it started (a formatter's process pool), not only the command.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=environment(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd, stderr=err)
    return time.perf_counter() - started


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured command: this one, with Python's bytecode cache on.

    Users' Pythons write ``__pycache__`` (and pip compiles installed peers at install
    time); a shell with ``PYTHONDONTWRITEBYTECODE`` set would make every run of our
    uninstalled code (the generator, the generated packages) compile its source again.
    """
    env = {**os.environ, **(extra or {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def alternate(sides: dict[str, Callable[[], float]], repeat: int) -> dict[str, float]:
    """Median seconds of each side, the sides run in turn ``repeat`` times."""
    seen: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(repeat):
        for name, side in sides.items():
            seen[name].append(side())
    return {name: statistics.median(values) for name, values in seen.items()}


def fmt(seconds: float) -> str:
    """Seconds for a table cell."""
    return f"{seconds:.2f} s"


def ratio_row(what: str, ours: float, base: float) -> Row:
    """A row whose two sides are seconds."""
    return (what, fmt(ours), fmt(base), f"{ours / base:.2f}")


def peer_versions() -> str:
    """Versions of the peers installed in ``bench/.venv`` (named in the table header)."""
    names = ("openapi-python-client", "openapi-generator-cli", "ruff")
    if not (PEERS_BIN / "python").exists():
        return "none installed (run `make bench`)"
    out = subprocess.run(
        [str(PEERS_BIN / "python"), "-m", "pip", "list", "--format", "freeze"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found = [ln for ln in out.splitlines() if ln.split("==")[0].lower() in names]
    return ", ".join(sorted(found)) or "none installed"


def machine() -> str:
    """The machine, interpreter and load, for the table header."""
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    load = Path("/proc/loadavg").read_text().split()[:3]
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average at start {' '.join(load)}"
    )


def table(rows: list[Row], header: str) -> str:
    """The delimited Markdown section written into ``bench/README.md``."""
    lines = [
        BEGIN,
        header,
        "",
        "| measure | routegen | baseline | ratio |",
        "|---|---|---|---|",
        *[f"| {what} | {ours} | {base} | {ratio} |" for what, ours, base, ratio in rows],
        END,
    ]
    return "\n".join(lines)


def write_readme(section: str) -> None:
    """Replace the delimited section of ``bench/README.md`` (or add it after the intro)."""
    readme = BENCH / "README.md"
    text = readme.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        title = "\n## Side by side (`make bench`)\n\n"
        text = text.replace("\n## ", title + section + "\n\n## ", 1)
    tmp = readme.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, readme)  # a stopped run never leaves half a README
