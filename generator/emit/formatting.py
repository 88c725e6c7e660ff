"""Black, in-process, behind a content-hash cache so unchanged files are never reformatted.

Files black must format are cut at their top-level classes and functions and each
chunk is formatted alone: black's result for a file is its chunks' results joined by
two blank lines, so the output is the same, but identical chunks (most resource classes
and models of consecutive stages) are formatted once, the work spreads evenly over the
cores however large one file is, and a chunk the cache holds is never reformatted.

The cache key is the hash of the unformatted text plus black's version and mode, so
an upgrade of black or a change of mode invalidates it; entries are plain files
written atomically, safe for parallel runs.
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import os
import tempfile
from concurrent.futures import Executor, Future
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # black is imported on first use: a cached tree never needs it
    from black.mode import Mode


@lru_cache(maxsize=1)
def _mode() -> Mode:
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY311})


def __getattr__(name: str) -> object:
    """``MODE`` (black's mode), built on first access so importing this module stays cheap."""
    if name == "MODE":
        return _mode()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@lru_cache(maxsize=1)
def _key_prefix() -> str:
    from importlib.metadata import version  # 25 ms: only a cold run needs it

    return f"black-{version('black')}-{_mode().get_cache_key()}"


def _key(source: str) -> str:
    return hashlib.sha256(f"{_key_prefix()}\0{source}".encode()).hexdigest()


def _black_or_error(source: str) -> str | Exception:
    # Runs in worker processes: return the error so the caller can name the file.
    import black
    from black.parsing import InvalidInput

    try:
        return black.format_str(source, mode=_mode())
    except InvalidInput as exc:
        return exc


def split_top_level(path: str, source: str) -> list[str]:
    """``source`` cut before each top-level class or function (decorators and comments kept).

    The preamble (docstring, imports, constants) is the first chunk. Cut points come from
    ``ast`` so a line inside a string is never mistaken for a definition.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise FormatError(path, f"line {exc.lineno}: {exc.msg}") from None
    lines = source.splitlines(keepends=True)
    cuts = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            while first > 0 and lines[first - 1].startswith("#"):
                first -= 1  # a comment right above a definition belongs to it
            cuts.append(first)
    bounds = [0, *[c for c in cuts if c > 0], len(lines)]
    chunks = ["".join(lines[a:b]) for a, b in itertools.pairwise(bounds)]
    return [c for c in chunks if c.strip()] or [source]


class FormatError(Exception):
    """Generated code that black cannot parse: a template bug, reported with the file."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"{path}: generated code is not valid Python: {detail}")
        self.path = path


class Formatter:
    """Formats Python source with black, reusing results from ``cache_dir`` when given."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self.formatted = 0  # how many files black actually formatted (for benchmarks)
        self.cached = 0
        self._pending: dict[str, Future[str | Exception]] = {}  # chunk -> black running

    def prefetch(self, path: str, source: str, pool: Executor) -> None:
        """Start black in ``pool`` on the chunks of ``source`` no cache holds, before
        ``format_many`` asks for them (a stage's models, as soon as they are ready)."""
        if self._read(_key(source)) is not None:
            return
        for chunk in split_top_level(path, source):
            if chunk not in self._pending and self._read(_key(chunk)) is None:
                self._pending[chunk] = pool.submit(_black_or_error, chunk)

    def format_many(
        self, items: list[tuple[str, str]], pool: Executor | None = None
    ) -> list[str]:
        """Format several files; chunks not cached are spread over the CPU cores
        (``pool``'s, or a pool of this call's own)."""
        keys = [_key(source) for _, source in items]
        out: list[str | None] = [self._read(k) for k in keys]
        misses = [i for i, hit in enumerate(out) if hit is None]
        self.cached += len(items) - len(misses)
        chunked = {i: split_top_level(items[i][0], items[i][1]) for i in misses}
        done = self._format_chunks(
            {c: items[i][0] for i in misses for c in chunked[i]}, pool
        )
        for i in misses:
            text = "\n\n\n".join(done[c].strip("\n") for c in chunked[i]) + "\n"
            self.formatted += 1
            self._write(keys[i], text)
            out[i] = text
        return [text or "" for text in out]

    def _format_chunks(
        self, owners: dict[str, str], pool: Executor | None = None
    ) -> dict[str, str]:
        """Each distinct chunk formatted (cache first); ``owners`` names a file per chunk."""
        done: dict[str, str] = {}
        todo: list[str] = []
        running = {c: self._pending.pop(c) for c in owners if c in self._pending}
        for chunk in owners:
            if chunk in running:
                continue
            hit = self._read(_key(chunk))
            if hit is None:
                todo.append(chunk)
            else:
                done[chunk] = hit
        workers = min(len(todo), os.cpu_count() or 1)
        if pool is not None and len(todo) > 1:
            results = list(pool.map(_black_or_error, todo, chunksize=4))
        elif workers > 1:
            from concurrent.futures import ProcessPoolExecutor  # multiprocessing: cold only

            with ProcessPoolExecutor(max_workers=workers) as own:
                results = list(own.map(_black_or_error, todo, chunksize=4))
        else:
            results = [_black_or_error(chunk) for chunk in todo]
        todo += running
        results += [future.result() for future in running.values()]
        for chunk, result in zip(todo, results, strict=True):
            if isinstance(result, Exception):
                raise FormatError(owners[chunk], str(result).splitlines()[0])
            self._write(_key(chunk), result)
            done[chunk] = result
        return done

    def format(self, path: str, source: str) -> str:
        """``source`` formatted by black (cache hit or fresh run)."""
        return self.format_many([(path, source)])[0]

    def _entry(self, key: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / key[:2] / key

    def _read(self, key: str) -> str | None:
        entry = self._entry(key)
        if entry is None:
            return None
        try:
            return entry.read_text(encoding="utf-8")
        except OSError:
            return None

    def _write(self, key: str, text: str) -> None:
        entry = self._entry(key)
        if entry is None:
            return
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, entry)
        except OSError:
            pass  # a cache that cannot be written only costs speed
