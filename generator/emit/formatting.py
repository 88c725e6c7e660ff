"""Black, in-process, behind a content-hash cache so unchanged files are never reformatted.

The cache key is the hash of the unformatted text plus black's version and mode, so
an upgrade of black or a change of mode invalidates it; entries are plain files
written atomically, safe for parallel runs.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from importlib.metadata import version
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

    def format_many(self, items: list[tuple[str, str]]) -> list[str]:
        """Format several files; cache misses are spread over the CPU cores."""
        keys = [_key(source) for _, source in items]
        out: list[str | None] = [self._read(k) for k in keys]
        misses = [i for i, hit in enumerate(out) if hit is None]
        self.cached += len(items) - len(misses)
        workers = min(len(misses), os.cpu_count() or 1)
        if workers > 1:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                sources = [items[i][1] for i in misses]
                results = list(pool.map(_black_or_error, sources))
        else:
            results = [_black_or_error(items[i][1]) for i in misses]
        for i, result in zip(misses, results, strict=True):
            if isinstance(result, Exception):
                raise FormatError(items[i][0], str(result).splitlines()[0])
            self.formatted += 1
            self._write(keys[i], result)
            out[i] = result
        return [text or "" for text in out]

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
