"""The warm path: a validated spec (REST ``Api`` or ``SoapApi``) and its rendered tree,
cached by content hash.

Loading, schema-checking and building a real spec, then rendering and
formatting four packages, takes seconds; an unchanged spec gives the same result every
time. The key hashes everything the result depends on: the spec's bytes and displayed
name, its lock, the format schema, routegen's ``pyproject.toml``, the installed black,
datamodel-code-generator and Jinja, and the generator's own code and templates (so editing the
tool invalidates it, even without a version bump). Entries live beside the black cache
(``ROUTEGEN_CACHE``, default ``.routegen-cache/``; empty disables both) and are written
atomically, so parallel runs are safe. A hit never imports jsonschema, black or
datamodel-code-generator.

Entries are pickles: the cache directory is trusted like the working tree it sits in.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from ..diff.lock import lock_path
from ..pipeline import AnyApi, display_name
from ..spec.errors import SpecError
from ..spec.soap import SoapApi

FORMAT = 2  # 2: Summary.protocol (SOAP specs cached too)
_GENERATOR = Path(__file__).resolve().parents[1]  # generator/
_TEMPLATES = _GENERATOR.parent / "templates"
_SCHEMA = _GENERATOR.parent / "spec" / "routespec.schema.json"
_TOOLS = ("black", "datamodel_code_generator", "jinja2")

Tree = dict[str, bytes]


@dataclass(frozen=True, slots=True)
class Summary:
    """What ``validate``, ``generate`` and ``check`` print and prune by, without the ``Api``."""

    name: str  # api.info.name
    file: str
    stage_names: tuple[str, ...]
    routes: int  # over every stage (a SOAP spec: its operations)
    protocol: str = "rest"  # or "soap"


@dataclass(frozen=True, slots=True)
class Entry:
    """What one spec validated to: a summary, its notes, the pickled ``Api`` (unpickled
    only when a command needs it: thousands of frozen objects cost a quarter second)
    and, once rendered, its tree."""

    summary: Summary
    notes: tuple[SpecError, ...]
    blob: bytes
    tree: Tree | None = None  # every stage, formatted, before specs share STAGES.md

    @classmethod
    def of(cls, api: AnyApi, notes: tuple[SpecError, ...]) -> Entry:
        """The entry of a freshly validated ``api``."""
        blob = pickle.dumps(api, protocol=pickle.HIGHEST_PROTOCOL)
        _APIS[blob] = api
        if isinstance(api, SoapApi):
            summary = Summary(api.info.name, api.file, api.stage_names, len(api.operations), "soap")
        else:
            routes = sum(len(s.routes) for s in api.resolved)
            summary = Summary(api.info.name, api.file, api.stage_names, routes)
        return cls(summary, notes, blob)

    def api(self) -> AnyApi:
        """The validated spec (``Api`` or ``SoapApi``)."""
        if self.blob not in _APIS:
            _APIS[self.blob] = pickle.loads(self.blob)
        return _APIS[self.blob]


_APIS: dict[bytes, AnyApi] = {}  # unpickled once per process


def cache_dir() -> Path | None:
    """``ROUTEGEN_CACHE`` (default ``.routegen-cache``); None when set empty."""
    value = os.environ.get("ROUTEGEN_CACHE", ".routegen-cache")
    return Path(value) / "models" if value else None


def _installed(module: str) -> str:
    """The ``*.dist-info`` names next to ``module``: its version without importing it
    (``importlib.metadata.version`` scans every path entry and costs 60 ms a call)."""
    found = find_spec(module)
    if found is None or found.origin is None:
        return "-"
    site = Path(found.origin).parent.parent
    return ",".join(sorted(p.name for p in site.glob(f"{module}-*.dist-info")))


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    """The generator's sources and templates (the tool itself is an input): each file's
    name, size and modification time, which is what Python's own bytecode cache trusts;
    a touched file costs one rebuild, never a stale result."""
    h = hashlib.sha256()
    for root in (_GENERATOR, _TEMPLATES):
        for path in sorted(root.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            st = path.stat()
            h.update(f"{path.relative_to(root).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    for module in _TOOLS:
        h.update(f"{module}={_installed(module)}\0".encode())
    pyproject = _GENERATOR.parent / "pyproject.toml"  # routegen's version and pins
    h.update(pyproject.read_bytes() if pyproject.exists() else b"-")
    return h.digest()


def key(spec: str | Path) -> str | None:
    """The cache key of ``spec``, or None when it cannot be read (validation reports why)."""
    path = Path(spec)
    if not path.is_file():  # a FIFO or device would block or never end: let validate say so
        return None
    h = hashlib.sha256(f"routegen-model-{FORMAT}\0{display_name(path)}\0".encode())
    h.update(_code_digest())
    try:
        h.update(path.read_bytes() + b"\0")
        h.update(_SCHEMA.read_bytes() + b"\0")
    except OSError:
        return None
    lock = lock_path(path)
    h.update(lock.read_bytes() if lock.exists() else b"<no lock>")
    return h.hexdigest()


def read(spec_key: str | None) -> Entry | None:
    """The cached entry, or None (no cache, a miss, or an unreadable entry)."""
    where = _entry_path(spec_key)
    if where is None:
        return None
    try:
        entry = pickle.loads(where.read_bytes())
    except Exception:  # a truncated or foreign entry only costs speed
        return None
    return entry if isinstance(entry, Entry) else None


def write(spec_key: str | None, entry: Entry) -> None:
    """Store ``entry`` atomically; a cache that cannot be written only costs speed."""
    where = _entry_path(spec_key)
    if where is None:
        return
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, where)
    except OSError:
        pass


def _entry_path(spec_key: str | None) -> Path | None:
    root = cache_dir()
    if root is None or spec_key is None:
        return None
    return root / spec_key[:2] / spec_key
